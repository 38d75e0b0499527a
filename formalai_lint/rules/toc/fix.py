"""The safe fix for FL101–FL105: rewrite the TOC's list from the headings, in its own style.

What "its own style" means, all read from the TOC's list lines and its entries only:

- the list marker (`-`, `*`, `+`, or `1.` / `1)` numbered per level), the indentation of the
  outermost items, the indentation added per level, and the spaces after the marker;
- the heading levels covered: the highest level its entries link to, and each lower level of
  which it lists at least half the headings (FL101's rule); a heading of another level
  that has an entry keeps it;
- whether the H1 is listed (it is when the covered levels start at 1), and whether the TOC's
  own heading is listed (it is when an entry links to it);
- entry texts: an entry that already links to its heading with an accepted text keeps its
  whole line content as written. A new or wrong entry gets the heading's own Markdown
  (code and math kept, links reduced to text) or, when that does not render to the
  heading's text, its plain text (escaped where needed). In a TOC whose entries name
  bilingual headings (`概述 / Overview`) by their first part, new entries do the same;
- everything after the list (and before it) is untouched.

Entries are nested as the headings are: each heading one level deeper than the nearest
listed heading above it of a higher level, so a skipped level never needs an empty item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from formalai_lint import lazyre
from formalai_lint.document import Document, Heading, TocEntry, plain_text
from formalai_lint.fixes.edits import Edit
from formalai_lint.markdown import parser
from formalai_lint.rules.shared import encoded, first_part, squashed
from formalai_lint.rules.toc._view import (
    expected_headings,
    matched_entries,
    misdirected,
    named_headings,
    names_heading,
    tree_depths,
)

ITEM = lazyre.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(.*)$")
_SIMPLE = frozenset(
    {"text", "code_inline", "math_inline", "math_inline_double", "softbreak"}
    | {f"{tag}_{side}" for tag in ("em", "strong", "s") for side in ("open", "close")}
)
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class NotFixable(Exception):
    """The TOC cannot be rewritten safely; the message says why."""


@dataclass(frozen=True)
class Style:
    base: str  # indentation of the outermost items
    unit: str  # indentation added per level
    marker: str  # "-", "*", "+" or, numbered, "." / ")"
    ordered: bool
    gap: str  # white space after the marker
    low: int  # highest heading level covered (1 = H1)
    high: int
    short_bilingual: bool  # bilingual headings named by their first ` / ` part


def _most_common(values: list[str], default: str) -> str:
    return Counter(values).most_common(1)[0][0] if values else default


def read_style(doc: Document) -> Style:
    toc = doc.toc
    assert toc is not None
    lines = doc.lines[toc.start_line - 1 : toc.end_line]
    items = [m for m in map(ITEM.match, lines) if m]
    if not items:
        raise NotFixable("its list has no items")
    base = items[0][1]
    marker = items[0][2]
    ordered = marker[-1] in ".)"
    gap = _most_common([m[3] for m in items], " ")
    units = []
    for entry in toc.entries:
        match = ITEM.match(doc.lines[entry.line - 1])
        if entry.depth > 0 and match and match[1].startswith(base):
            extra = match[1][len(base) :]
            if extra and len(extra) % entry.depth == 0:
                units.append(extra[: len(extra) // entry.depth])
    unit = _most_common(units, " " * (len(marker) + len(gap)))
    matched = matched_entries(doc, guess=True)
    if not matched:
        raise NotFixable("none of its entries links to a heading")
    levels = [h.level for _, h in matched]
    bilingual = [(e, h) for e, h in matched if " / " in h.text]
    short = sum(1 for e, h in bilingual if squashed(e.text) == squashed(first_part(h.text)))
    return Style(
        base=base,
        unit=unit,
        marker=marker[-1] if ordered else marker,
        ordered=ordered,
        gap=gap,
        low=min(levels),
        high=max(levels),
        short_bilingual=short * 2 > len(bilingual),
    )


def _sources(doc: Document) -> dict[int, str]:
    """The Markdown source of each heading whose inline content is simple (by heading line)."""
    result: dict[int, str] = {}
    tokens = doc.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            inline = tokens[i + 1]
            if all(child.type in _SIMPLE for child in inline.children or ()):
                result[token.map[0] + 1] = inline.content
    return result


def _renders_as(label: str, wanted: str) -> bool:
    """Whether `[label](#x)` is one link whose text is `wanted`."""
    if "\n" in label or not label.strip():
        return False
    children = parser().parseInline(f"[{label}](#x)")[0].children or []
    if len(children) < 2 or children[0].type != "link_open" or children[-1].type != "link_close":
        return False
    inner = children[1:-1]
    if any(child.type == "link_open" for child in inner):
        return False
    return " ".join(plain_text(inner).split()) == " ".join(wanted.split())


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in _ASCII_PUNCTUATION else c for c in text)


def label(heading: Heading, source: str | None, short: bool) -> str:
    """The link text of a new entry for `heading` (see the module's docstring)."""
    wanted = heading.text.replace("\n", " ")
    if short and " / " in wanted:
        wanted = first_part(wanted)
        source = first_part(source) if source else None
    for candidate in (source, wanted, _escaped(wanted)):
        if candidate is not None and _renders_as(candidate.replace("\n", " "), wanted):
            return candidate.replace("\n", " ")
    raise NotFixable(f"heading `{heading.text}` cannot be written as link text")


def destination(anchor: str) -> str:
    return "#" + encoded(anchor)


def _kept_content(doc: Document, entry: TocEntry) -> str | None:
    """An entry line's content after its marker, when the entry's link starts it."""
    match = ITEM.match(doc.lines[entry.line - 1])
    if match and entry.column == len(match[1]) + len(match[2]) + len(match[3]) + 1:
        return match[4]
    return None


def _check_range(doc: Document) -> None:
    """Refuse a TOC whose lines hold anything but list items with same-file links."""
    toc = doc.toc
    assert toc is not None
    linked = {link.line for link in doc.links if not link.path and link.fragment}
    for number in range(toc.start_line, toc.end_line + 1):
        line = doc.lines[number - 1]
        if line.strip() and not (ITEM.match(line) and number in linked):
            raise NotFixable(f"line {number} of its list is not a TOC entry: `{line.strip()}`")


def new_lines(doc: Document) -> list[str]:
    """The TOC's list lines as they should be."""
    toc = doc.toc
    assert toc is not None
    _check_range(doc)
    style = read_style(doc)
    listed = expected_headings(doc, matched_entries(doc, guess=True))
    kept: dict[str, str] = {}
    named = named_headings(doc)
    for entry in toc.entries:
        heading = next((h for h in listed if h.anchor == entry.fragment), None)
        content = _kept_content(doc, entry)
        if (
            heading
            and content is not None
            and names_heading(entry, heading)
            and not misdirected(entry, heading, named)
        ):
            kept.setdefault(entry.fragment, content)
    sources = _sources(doc)
    lines, numbers = [], [0] * (style.high - style.low + 2)
    for heading, depth in zip(listed, tree_depths(listed), strict=True):
        content = kept.get(heading.anchor)
        if content is None:
            text = label(heading, sources.get(heading.line), style.short_bilingual)
            content = f"[{text}]({destination(heading.anchor)})"
        marker = style.marker
        if style.ordered:
            numbers[depth] += 1
            numbers[depth + 1 :] = [0] * len(numbers[depth + 1 :])
            marker = f"{numbers[depth]}{style.marker}"
        lines.append(f"{style.base}{style.unit * depth}{marker}{style.gap}{content}")
    old = doc.lines[toc.start_line - 1 : toc.end_line]
    lost = [line.strip() for line in old if "<!--" in line and line not in lines]
    if lost:
        raise NotFixable(f"an HTML comment in it would be lost: `{lost[0]}`")
    return lines


def toc_edit(doc: Document) -> Edit | None:
    """The edit that rewrites the TOC's list, or None when it is already as it should be."""
    toc = doc.toc
    if toc is None:
        return None
    lines = new_lines(doc)
    if lines == doc.lines[toc.start_line - 1 : toc.end_line]:
        return None
    end_column = len(doc.lines[toc.end_line - 1]) + 1
    return Edit(toc.start_line, 1, toc.end_line, end_column, "\n".join(lines))
