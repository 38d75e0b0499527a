"""The document model: one markdown-it-py parse, and the views rules read.

A `Document` is built once per file. Rules never look at the raw text again: they read
headings, links, HTML anchors, the table of contents, sections, tables, text blocks and
code/math blocks from here. Lines and columns are 1-based; columns count characters.

The inline content of a block is parsed when something first reads it (see `markdown.py`):
headings and the blocks that may hold a link or inline HTML while the model is built, the
other paragraphs and table cells only if a rule reads `texts` or `tables` (`texts_holding`
parses only the paragraphs that may hold the words asked for). A text with nothing in it for
the inline parser (`3.1 采用率分析`) is not given to it at all (`markdown.parse_inline`).

The parser itself (`markdown.py`, markdown-it-py and its plugins) is loaded when the first
`Document` is built, not when this module is imported: the records below (`Link`, `Heading`
…) are read by the cache, the project rules and the reports, and a run whose documents are
all cached never parses one (not loading markdown-it-py saved 14–36 ms of such a run's start-up).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast
from urllib.parse import unquote

from formalai_lint import lazyre
from formalai_lint.slug import Slugger

if TYPE_CHECKING:
    from markdown_it.token import Token

_T = TypeVar("_T")

DEFAULT_TOC_PATTERN = r"^(?:目录|Table of Contents|Contents)$"
DEFAULT_RELATED_PATTERN = r"相关主题|相关章节|相关链接|Related"

# `二、`, `2.`, `2.1 `, `第二章 ` … at the start of a heading: the chapter ordinal.
ORDINAL_PREFIX = lazyre.compile(
    r"^\s*(?:第?[一二三四五六七八九十百零〇两]+[、.．章节]\s*|\d+(?:\.\d+)*[.、．]?\s+|\d+(?:\.\d+)+\s*)"
)
# What `toc_title` removes around the words of a TOC heading: a trailing `{#id}` attribute,
# and a translation after ` / ` or in Latin letters between brackets (`（Table of Contents）`).
_HEADING_ATTRIBUTE = lazyre.compile(r"\s*\{#[^{}]*\}\s*$")
_TRANSLATION_TAIL = lazyre.compile(r"\s*(?:/.*|[(（][A-Za-z][A-Za-z '&-]*[)）])$")
_SCHEME = lazyre.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_HTML_ANCHOR = lazyre.compile(
    r"""<a\b[^<>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_QUOTE_MARKERS = lazyre.compile(r"^\s*(?:>\s?)*")
_NEWLINES = lazyre.compile(r"\r\n?")
# A parenthesised note that a link's target is still to be written: `（待创建）`, `(planned)`.
_PLANNED_WORDS = (
    r"(?:待创建|待编写|待补充|待完善|计划中|规划中|即将\w{0,2}|TODO|TBD|coming soon"
    r"|planned|to be (?:written|created))"
)
PLANNED = lazyre.compile(r"[（(]\s*" + _PLANNED_WORDS + r"\s*[）)]", re.IGNORECASE)
# A to-do tag written as a link to itself: `[需更新](需更新)`, `[TODO](TODO)`.
PLANNED_TAG = lazyre.compile(r"需更新|待更新|" + _PLANNED_WORDS, re.IGNORECASE)
_NEWLINE = lazyre.compile("\n")
_ENCODED = lazyre.compile(r"[%&\\<:\ud800-\udfff]")
_FRONT_MATTER_LINE = lazyre.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_TEXT_TOKENS = frozenset(("text", "code_inline", "math_inline", "math_inline_double"))
_BREAK_TOKENS = frozenset(("softbreak", "hardbreak"))
_INLINE_READ = frozenset(("html_inline", "link_open", "image"))
# Frequent block tokens that `_walk` has nothing to do with (a cell is read at its inline
# token): skipped at once. Take a kind out of here before giving it a branch in `_walk`.
_PASSED_OVER = frozenset(
    (
        "list_item_close",
        "td_open",
        "td_close",
        "th_open",
        "th_close",
        "tr_close",
        "heading_close",
        "thead_open",
        "thead_close",
        "tbody_open",
        "tbody_close",
        "hr",
    )
)


class ParseOptions(NamedTuple):
    """What a document needs from the configuration to build its views."""

    toc_pattern: str = DEFAULT_TOC_PATTERN
    related_pattern: str = DEFAULT_RELATED_PATTERN


class Heading(NamedTuple):
    level: int
    text: str  # plain text as GitHub renders it: markup removed, code and math text kept
    line: int
    column: int  # where the heading text starts
    anchor: str  # GitHub id, unique within the document
    end_line: int = 0  # where its text ends: the column just after it (0: unknown)
    end_column: int = 0

    @property
    def title(self) -> str:
        """The text without its chapter ordinal (`二、目录` -> `目录`)."""
        return ORDINAL_PREFIX.sub("", self.text, count=1)


def _decoration(char: str) -> bool:
    """Emoji and other pictographic symbols, and the invisible characters emoji are built with."""
    category = unicodedata.category(char)
    return category in ("So", "Sk", "Cf", "Me") or "\ufe00" <= char <= "\ufe0f"


class _Undecorated(dict[int, int | None]):
    """A `str.translate` table that drops decorations: each character is judged once (the
    first 65,536 characters seen are kept, so that no text can grow it without bound)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if _decoration(chr(code)) else code
        if len(self) < 65_536:
            self[code] = kept
        return kept


_UNDECORATED = _Undecorated()


def without_symbols(text: str) -> str:
    """`text` without emoji and other pictographic symbols (`📋 目录 ✅` -> ` 目录 `)."""
    return text.translate(_UNDECORATED)


def toc_title(text: str) -> str:
    """A heading's text as `toc-heading` is matched against: `## 1. 📋 **目录** {#toc}`,
    `## 📑 目录 / Table of Contents` and `## 目录（Table of Contents）` all give `目录`.

    Removed: a trailing `{#…}` attribute, emoji and other symbols, the chapter ordinal, and a
    translation tail (after ` / `, or Latin words in brackets). Markup is already gone from
    the heading's plain text.
    """
    text = _HEADING_ATTRIBUTE.sub("", text)
    text = without_symbols(text).strip()
    text = ORDINAL_PREFIX.sub("", text, count=1)
    return _TRANSLATION_TAIL.sub("", text).strip()


class Link(NamedTuple):
    target: str  # the destination as written in the source
    path: str  # percent-decoded path part, "" for a same-file `#fragment`
    fragment: str | None  # percent-decoded fragment, None when there is no `#`
    text: str
    line: int
    column: int
    image: bool = False
    external: bool = False  # has a URL scheme (`https:`, `mailto:`, `file:` …) or starts `//`
    context: str = ""  # "toc", "related" or ""
    in_math: bool = False  # written between `\(` and `\)`, which GitHub does not read as math
    planned: bool = False  # marked on its line, after its start, `（待创建）` / `(planned)`
    end_line: int = 0  # where the whole `[text](target)` ends: the column just after it
    end_column: int = 0  # (0: unknown)


class HtmlAnchor(NamedTuple):
    id: str
    line: int


class Comment(NamedTuple):
    """An HTML comment outside code (`<!-- … -->`): suppressions are written as these."""

    text: str  # between `<!--` and `-->`, stripped
    line: int
    column: int
    end_line: int  # the line of its `-->`


class TocEntry(NamedTuple):
    text: str
    fragment: str
    target: str
    depth: int  # 0 for the outermost list
    line: int
    column: int
    number: str = ""  # the item's number in a numbered list (`2` for `2. [引言](#2-引言)`)
    end_line: int = 0  # where its link (or, unlinked, its text) ends: the column just after
    end_column: int = 0


class Toc(NamedTuple):
    heading: Heading
    start_line: int  # first line of the list
    end_line: int  # last line of the list
    entries: tuple[TocEntry, ...]
    # Items that name a heading in plain text, without a link (fragment and target ""): a
    # heading listed so is in the TOC, only not clickable.
    unlinked: tuple[TocEntry, ...] = ()


class Cell(NamedTuple):
    text: str
    line: int
    column: int


class Table(NamedTuple):
    line: int
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    heading: Heading | None  # the nearest heading above the table


class Block(NamedTuple):
    """A code fence (`kind="fence"`, with its info string) or a `$$` math block (`"math"`)."""

    kind: str
    info: str
    content: str
    line: int  # the line of the opening marker
    content_line: int  # the line the content starts on
    heading: Heading | None
    closed: bool = True  # False for a code fence that runs to the end of its container


class TextBlock(NamedTuple):
    """Prose: the plain text of a paragraph, with soft line breaks kept as `\\n`."""

    text: str
    line: int
    heading: Heading | None


class Section(NamedTuple):
    heading: Heading
    start_line: int  # the heading's line
    end_line: int  # the last line before the next heading of the same or a higher level


_RawTable = tuple[int, list[list["Token"]], Heading | None]  # line, rows of cells, heading


class _Builder:
    """Mutable state of the single walk over the tokens."""

    def __init__(
        self,
        lines: list[str],
        toc_re: re.Pattern[str],
        children: Callable[[Token], list[Token]],
    ) -> None:
        self.lines = lines
        self.toc_re = toc_re
        self.children = children
        self.slugger = Slugger()
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.html_anchors: list[HtmlAnchor] = []
        self.comments: list[Comment] = []
        # Paragraphs and tables are kept as their inline tokens: only level documents read
        # them, so their text and positions are worked out on first use (`Document.texts`).
        self.paragraphs: list[tuple[Token, Heading | None]] = []
        self.tables: list[_RawTable] = []
        self.blocks: list[Block] = []
        self.front_matter: str | None = None
        self.toc_links: set[int] = set()  # id() of the links that are TOC entries
        self.toc: Toc | None = None
        self.planned_at: dict[int, int] = {}  # line index -> column of its last PLANNED note

    def planned(self, line: int, column: int) -> bool:
        """Whether line `line` has a `（待创建）`-like note at or after `column` (1-based);
        each line is searched once, so many links on one line stay linear."""
        at = self.planned_at.get(line)
        if at is None:
            found = [m.start() for m in PLANNED.finditer(self.lines[line - 1])]
            at = self.planned_at[line] = found[-1] + 1 if found else 0
        return at >= column


@lru_cache(maxsize=4096)  # documents link to the same few targets again and again
def decode_href(href: str) -> tuple[str, str | None]:
    """Split a link destination into its percent-decoded path and fragment."""
    path, hash_, fragment = href.partition("#")
    path = path.split("?", 1)[0]
    return unquote(path), (unquote(fragment) if hash_ else None)


def as_written(raw: str) -> bool:
    """Whether a relative link's destination, as written, is what its href decodes to, so
    that the href need not be decoded: nothing in it is escaped (`\\`, `&…;`) or already
    percent-encoded (`%`), it has no `:` (which markdown-it's URL parser may read as a
    scheme and host), no `<` and no white space at either end (which it trims), and no lone
    surrogate (which it replaces). markdown-it's percent-encoding of the rest is undone by
    `decode_href` exactly."""
    return _ENCODED.search(raw) is None and raw == raw.strip()


def is_external(href: str) -> bool:
    return bool(_SCHEME.match(href)) or href.startswith("//")


def plain_text(children: Sequence[Token] | None) -> str:
    """Text of inline tokens as GitHub renders it: markup dropped, code and math text kept."""
    parts: list[str] = []
    for child in children or ():
        if child.type in _TEXT_TOKENS:
            parts.append(child.content)
        elif child.type in _BREAK_TOKENS:
            parts.append("\n")
    return "".join(parts)


def normalise(text: str) -> str:
    """A file's text as the model reads it: without a BOM, every line ending a `\\n`."""
    return _NEWLINES.sub("\n", text.removeprefix("\ufeff"))


class Document:
    """One parsed Markdown file. `path` is POSIX and relative to the project root."""

    def __init__(self, path: str, text: str, options: ParseOptions | None = None) -> None:
        options = options or ParseOptions()
        self.path = path
        self.text = normalise(text)
        self.lines = self.text.split("\n")
        self._env: dict[str, Any] = {}  # the link reference definitions
        self._inline_parsed: set[int] = set()  # id() of the inline tokens parsed so far
        self._memo: dict[Callable[[Document], Any], Any] = {}  # see `memo`
        from formalai_lint.markdown import MAX_NESTING, parse_blocks  # see the docstring above

        # Block tokens; an inline token's children are filled in by `children()`.
        self.block_tokens: list[Token] = parse_blocks(self.text, self._env)
        self.max_nesting: int = MAX_NESTING  # the parser's depth limit: what lies deeper is dropped
        build = _Builder(self.lines, re.compile(options.toc_pattern, re.IGNORECASE), self.children)
        _walk(self.block_tokens, build)
        self.headings: tuple[Heading, ...] = tuple(build.headings)
        self.html_anchors: tuple[HtmlAnchor, ...] = tuple(build.html_anchors)
        self.comments: tuple[Comment, ...] = tuple(build.comments)
        self._paragraphs = build.paragraphs
        self._tables = build.tables
        self.blocks: tuple[Block, ...] = tuple(build.blocks)
        self.toc: Toc | None = build.toc
        self.front_matter: dict[str, str] = _front_matter(build.front_matter)
        related = re.compile(options.related_pattern, re.IGNORECASE)
        self.related_sections: tuple[Section, ...] = tuple(
            s for s in self.sections if related.search(s.heading.text)
        )
        self.links: tuple[Link, ...] = _with_context(
            build.links, build.toc_links if build.toc else set(), self.related_sections
        )

    def children(self, token: Token) -> list[Token]:
        """The children of one of the document's inline tokens, parsed on first use."""
        if id(token) not in self._inline_parsed:
            from formalai_lint.markdown import parse_inline  # loaded with the first Document

            self._inline_parsed.add(id(token))
            parse_inline(token, self._env)
        return token.children or []

    def memo(self, view: Callable[[Document], _T]) -> _T:
        """`view(self)`, computed on first use and kept with this document: how the rules of
        a family share what they read of a document (`doc.memo(matched_entries)`). `view`
        is a module-level function of the document alone; its result is shared, so it
        should be immutable (a tuple, a frozen mapping) or never changed by its readers."""
        try:
            return cast(_T, self._memo[view])
        except KeyError:
            found = self._memo[view] = view(self)
            return found

    @cached_property
    def tokens(self) -> list[Token]:
        """All the tokens, every inline token parsed: what `parser().parse(text)` returns."""
        for token in self.block_tokens:
            if token.type == "inline":
                self.children(token)
        return self.block_tokens

    @cached_property
    def texts(self) -> tuple[TextBlock, ...]:
        """Every paragraph's plain text, in document order."""
        return tuple(self._text(token, heading) for token, heading in self._paragraphs)

    def texts_holding(self, words: Sequence[str]) -> Iterator[TextBlock]:
        """The `texts` that hold one of `words`, without parsing the paragraphs that cannot.

        A paragraph's plain text is its source's characters in their order, markup dropped
        (a code span's newlines read as spaces), except where an entity (`&…;`) or an autolink
        (`<…>`, its percent-escapes decoded) stands. So a paragraph with neither, in whose
        source no word's characters appear in order, cannot hold a word. A word with white
        space in it (or an empty one) turns this filter off.
        """
        if "texts" in self.__dict__ or any(word.split() != [word] for word in words):
            candidates: Iterable[TextBlock] = self.texts
        else:
            candidates = (
                self._text(token, heading)
                for token, heading in self._paragraphs
                if _may_hold(token.content, words)
            )
        for text in candidates:
            if any(word in text.text for word in words):
                yield text

    def _text(self, token: Token, heading: Heading | None) -> TextBlock:
        line = _position(token, 0, self.lines)[0]
        return TextBlock(plain_text(self.children(token)), line, heading)

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """Every table, its header row and body rows as cells with their positions."""
        return tuple(
            Table(line, *_header_and_rows([[self._cell(t) for t in row] for row in rows]), heading)
            for line, rows, heading in self._tables
        )

    def _cell(self, token: Token) -> Cell:
        return Cell(plain_text(self.children(token)), *_position(token, 0, self.lines))

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """Each heading's section: up to the next heading of the same or a higher level."""
        ends = [len(self.lines)] * len(self.headings)
        open_: list[int] = []  # indexes of the headings whose section is still open
        for index, heading in enumerate(self.headings):
            while open_ and self.headings[open_[-1]].level >= heading.level:
                ends[open_.pop()] = heading.line - 1
            open_.append(index)
        return tuple(Section(h, h.line, end) for h, end in zip(self.headings, ends, strict=True))

    @cached_property
    def anchors(self) -> frozenset[str]:
        """Every id a `#fragment` can reach: heading ids and explicit HTML anchors."""
        return frozenset(h.anchor for h in self.headings) | {a.id for a in self.html_anchors}

    @property
    def title(self) -> str | None:
        """The text of the first H1, if any."""
        return next((h.text for h in self.headings if h.level == 1), None)


def _with_context(
    links: list[Link], toc_links: set[int], related: Sequence[Section]
) -> tuple[Link, ...]:
    """Mark TOC entries `toc` and links inside a related-topics section `related`.

    Links come in document order and the sections by start line, so one sweep suffices.
    Only a TOC entry's own link is `toc`: any other link on a TOC line is checked as usual.
    """
    spans = sorted((s.start_line, s.end_line) for s in related)
    result, at, end = [], 0, 0
    for link in links:
        while at < len(spans) and spans[at][0] <= link.line:
            end = max(end, spans[at][1])
            at += 1
        if id(link) in toc_links:
            link = link._replace(context="toc")
        elif link.line <= end and at:
            link = link._replace(context="related")
        result.append(link)
    return tuple(result)


def _may_hold(source: str, words: Sequence[str]) -> bool:
    """Whether a paragraph's plain text may hold one of `words` (see `Document.texts_holding`)."""
    if "&" in source or "<" in source:
        return True
    for word in words:
        at = -1
        for char in word:
            at = source.find(char, at + 1)
            if at < 0:
                break
        else:
            return True
    return False


def _header_and_rows(
    rows: list[list[Cell]],
) -> tuple[tuple[Cell, ...], tuple[tuple[Cell, ...], ...]]:
    header = tuple(rows[0]) if rows else ()
    return header, tuple(tuple(r) for r in rows[1:])


def _front_matter(content: str | None) -> dict[str, str]:
    """Top-level `key: value` scalars of YAML front matter (nothing nested is needed)."""
    result: dict[str, str] = {}
    for line in (content or "").splitlines():
        match = _FRONT_MATTER_LINE.match(line)
        if match:
            result[match[1]] = match[2].strip("'\"")
    return result


def _position(token: Token, offset: int, lines: list[str]) -> tuple[int, int]:
    """Line and column in the file of character `offset` of an inline token's source.

    The token's line starts and each line's column base are computed once and kept in
    `token.meta`, offset 0's too: thousands of links or inline HTML tags on one long line cost
    linear time, not quadratic.
    """
    first = token.map[0] if token.map else 0
    content = token.content
    if offset == 0:  # most calls (paragraphs, cells, headings): the first line, no table
        start = token.meta.get("_start")
        if start is None:
            number = min(first, len(lines) - 1)
            end = content.find("\n")
            source_line = content[: end if end >= 0 else len(content)]
            start = token.meta["_start"] = (
                number + 1,
                _column_base(source_line, lines[number]) + 1,
            )
        return start
    starts = token.meta.get("_line_starts")
    if starts is None:
        starts = token.meta["_line_starts"] = [0, *(m.end() for m in _NEWLINE.finditer(content))]
        token.meta["_line_bases"] = {}
    line_index = bisect_right(starts, offset) - 1
    line_start = starts[line_index]
    number = min(first + line_index, len(lines) - 1)
    bases: dict[int, int] = token.meta["_line_bases"]
    base = bases.get(line_index)
    if base is None:
        line_end = content.find("\n", line_start)
        source_line = content[line_start : line_end if line_end >= 0 else len(content)]
        base = bases[line_index] = _column_base(source_line, lines[number])
    return number + 1, base + offset - line_start + 1


def _column_base(source_line: str, original: str) -> int:
    """Where an inline token's source line starts in the file's line (its indentation, if
    the source line is not found: markdown-it may have dropped a container's markers)."""
    base = original.find(source_line) if source_line else -1
    return base if base >= 0 else len(original) - len(original.lstrip())


def _place_cell(token: Token, lines: list[str], after: int) -> int:
    """Fix where a table cell starts: on its row's line, after the cell before it (ends at
    `after`), so that two cells of one row with the same text get their own columns (the
    line search of `_column_base` finds the first). Returns where this cell ends."""
    if not token.map or not token.content or token.map[0] >= len(lines):
        return after
    found = lines[token.map[0]].find(token.content, after)
    if found < 0:  # not verbatim on the line (an escaped pipe): `_position` searches it
        return after
    token.meta["_start"] = (token.map[0] + 1, found + 1)
    token.meta["_line_starts"] = [0]  # a cell is one line
    token.meta["_line_bases"] = {0: found}
    return found + len(token.content)


def _walk(tokens: list[Token], b: _Builder) -> None:
    heading: Heading | None = None  # the nearest heading above
    toc_heading: Heading | None = None  # a TOC heading whose list has not been seen yet
    toc_list: tuple[int, int, int] | None = None  # (list depth, first line, last line)
    toc_entries: list[TocEntry] = []
    unlinked: list[TocEntry] = []
    item_open = False  # inside a TOC list item whose entry link has not been seen yet
    item_number = ""  # the number of that item, in a numbered list
    list_depth = 0
    table: list[list[Token]] | None = None
    table_line = 0
    cell_end = 0  # where the last cell of the current table row ends on its line
    in_paragraph = False

    for index, token in enumerate(tokens):
        kind = token.type
        if kind in _PASSED_OVER:
            continue
        if kind == "inline":  # the most frequent kinds first
            if table is not None:
                table[-1].append(token)
                cell_end = _place_cell(token, b.lines, cell_end)
            elif in_paragraph:
                b.paragraphs.append((token, heading))
            entry = _inline(token, b)
            if item_open and entry is not None and entry.path == "" and entry.fragment:
                depth = list_depth - 1 - (toc_list[0] if toc_list else 0)
                toc_entries.append(
                    TocEntry(
                        entry.text,
                        entry.fragment,
                        entry.target,
                        depth,
                        entry.line,
                        entry.column,
                        item_number,
                        entry.end_line,
                        entry.end_column,
                    )
                )
                b.toc_links.add(id(entry))
            elif item_open and entry is None:
                depth = list_depth - 1 - (toc_list[0] if toc_list else 0)
                text = plain_text(b.children(token))
                line, column = _position(token, 0, b.lines)
                end = _position(token, len(token.content.rstrip()), b.lines)
                unlinked.append(TocEntry(text, "", "", depth, line, column, item_number, *end))
            item_open = False
        elif kind == "paragraph_open":
            in_paragraph = True
        elif kind == "paragraph_close":
            in_paragraph = False
        elif kind == "heading_open":
            inline = tokens[index + 1]
            text = plain_text(b.children(inline))
            line, column = _position(inline, 0, b.lines)
            end = _position(inline, len(inline.content.rstrip()), b.lines)
            heading = Heading(int(token.tag[1]), text, line, column, b.slugger.slug(text), *end)
            b.headings.append(heading)
            toc_heading = (
                heading if b.toc is None and b.toc_re.search(toc_title(heading.text)) else None
            )
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if toc_heading is not None and toc_list is None and token.map:
                toc_list = (list_depth, token.map[0] + 1, token.map[1])
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if toc_list is not None and list_depth == toc_list[0] and toc_heading is not None:
                if toc_entries:
                    last = _last_content_line(b.lines, toc_list[1], toc_list[2])
                    b.toc = Toc(toc_heading, toc_list[1], last, tuple(toc_entries), tuple(unlinked))
                toc_heading, toc_list = None, None
        elif kind == "list_item_open":
            item_open = toc_list is not None
            item_number = token.info  # markdown-it's number of an ordered item, else ""
        elif kind == "table_open":
            table, table_line = [], (token.map[0] + 1 if token.map else 0)
        elif kind == "tr_open" and table is not None:
            table.append([])
            cell_end = 0
        elif kind == "table_close" and table is not None:
            b.tables.append((table_line, table, heading))
            table = None
        elif kind in ("fence", "math_block", "math_block_label") and token.map:
            line = token.map[0] + 1
            if kind == "fence":
                closed = _fence_closed(b.lines, token)
                info = token.info.strip()
                block = Block("fence", info, token.content, line, line + 1, heading, closed)
            else:
                starts_alone = b.lines[token.map[0]].strip() == "$$"
                content_line = line + 1 if starts_alone else line
                block = Block("math", "", token.content, line, content_line, heading)
            b.blocks.append(block)
        elif kind == "html_block" and token.map:
            _html_anchors(token.content, token.map[0] + 1, b)
            for offset, raw in _comments_in(token.content):
                _comment(token, offset, raw, b)
        elif kind == "front_matter":
            b.front_matter = token.content


def _fence_closed(lines: list[str], token: Token) -> bool:
    """Whether a fence's last line is its closing marker (an unclosed one runs to the end)."""
    first, end = token.map or (0, 0)
    last = _QUOTE_MARKERS.sub("", lines[end - 1]).strip() if end - first >= 2 else ""
    return len(last) >= len(token.markup) and set(last) == {token.markup[0]}


def _last_content_line(lines: list[str], first: int, end: int) -> int:
    """markdown-it's list map includes trailing blank lines; drop them."""
    while end > first and not lines[end - 1].strip():
        end -= 1
    return end


def _html_anchors(html: str, line: int, b: _Builder) -> None:
    counted = 0  # newlines are counted incrementally: linear in the size of the block
    for match in _HTML_ANCHOR.finditer(html):
        anchor_id = next(g for g in match.groups() if g is not None)
        line += html.count("\n", counted, match.start())
        counted = match.start()
        b.html_anchors.append(HtmlAnchor(anchor_id, line))


def _comments_in(html: str) -> Iterator[tuple[int, str]]:
    """Each `<!-- … -->` with its offset. str.find, not a regex: linear when one never closes."""
    start = html.find("<!--")
    while start >= 0:
        end = html.find("-->", start + 4)
        if end < 0:
            return
        yield start, html[start : end + 3]
        start = html.find("<!--", end + 3)


def _comment(token: Token, offset: int, raw: str, b: _Builder) -> None:
    """Record the comment `raw` found at `offset` of the token's source."""
    line, column = _position(token, offset, b.lines)
    text = raw.removeprefix("<!--").removesuffix("-->").strip()
    b.comments.append(Comment(text, line, column, line + raw.count("\n")))


def _in_paren_math(token: Token, offset: int) -> bool:
    """Whether `offset` of the token's source lies between a `\\(` and the next `\\)`.
    The delimiters are found once per token (kept in `token.meta`): many links stay linear."""
    if "\\(" not in token.content:
        return False
    spans = token.meta.get("_paren_math")
    if spans is None:
        spans, at = [], token.content.find("\\(")
        while at >= 0:
            end = token.content.find("\\)", at + 2)
            if end < 0:
                break
            spans.extend((at, end))
            at = token.content.find("\\(", end + 2)
        token.meta["_paren_math"] = spans
    return bisect_right(spans, offset) % 2 == 1


def _inline(token: Token, b: _Builder) -> Link | None:
    """Collect the links, HTML anchors and comments of one inline token; return its first link."""
    if "[" not in token.content and "<" not in token.content:
        return None  # no link, image, autolink or inline HTML can be in it
    first: Link | None = None
    children = b.children(token)
    cursor = 0  # where to look for the next inline HTML in the token's source
    for i, child in enumerate(children):
        if child.type not in _INLINE_READ:
            continue
        if child.type == "html_inline":
            line, _ = _position(token, 0, b.lines)
            _html_anchors(child.content, line, b)
            if child.content.startswith("<!--"):
                offset = token.content.find(child.content, cursor)
                cursor = max(offset, cursor)
                _comment(token, max(offset, 0), child.content, b)
            continue
        href = str(child.attrs.get("href" if child.type == "link_open" else "src", ""))
        if not href:
            continue
        if child.type == "link_open":
            depth, j = 1, i + 1
            while j < len(children) and depth:
                depth += {"link_open": 1, "link_close": -1}.get(children[j].type, 0)
                j += 1
            text = plain_text(children[i + 1 : j - 1])
        else:
            text = plain_text(child.children)
        written = child.meta.get("raw")  # None for a reference link: its href is all there is
        raw = written or unquote(href)
        external = is_external(href)
        plain = written is not None and not external and as_written(written)
        path, fragment = decode_href(written if plain else href)
        start = child.meta.get("start", 0)
        line, column = _position(token, start, b.lines)
        end_line, end_column = _position(token, child.meta.get("end", start), b.lines)
        link = Link(
            target=raw,
            path=path,
            fragment=fragment,
            text=text,
            line=line,
            column=column,
            image=child.type == "image",
            external=external,
            in_math=_in_paren_math(token, start),
            planned=b.planned(line, column),
            end_line=end_line,
            end_column=end_column,
        )
        b.links.append(link)
        first = first or link
    return first
