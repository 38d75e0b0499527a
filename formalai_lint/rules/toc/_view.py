"""What the TOC rules share: each entry paired with the heading it links to.

The pairs and the headings by name are read once per document (`Document.memo`), whichever
TOC rule or fix asks first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from formalai_lint import lazyre
from formalai_lint.document import (
    Block,
    Document,
    Heading,
    TocEntry,
    without_symbols,
)
from formalai_lint.links import suggest_anchor
from formalai_lint.rules.shared import first_part, squashed
from formalai_lint.slug import slug

# A backslash escape of ASCII punctuation, which GitHub removes also inside `$…$`.
_ESCAPE = lazyre.compile(r"\\([!-/:-@\[-`{-~])")
# A leading ordinal (`1.`, `1、`, `1.2`, `二、`) and the punctuation after it.
_ORDINAL = lazyre.compile(r"^\s*([一二三四五六七八九十百零〇两]+|\d+(?:\.\d+)*)\s*[.、．]?")
_ARABIC_ORDINAL = lazyre.compile(r"^\s*(?:\d+\.)*(\d+)\s*[.、．]?")
_HEADING_LINE = lazyre.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*$")


def matched_entries(doc: Document, guess: bool = False) -> tuple[tuple[TocEntry, Heading], ...]:
    """Each entry with the heading it links to. With `guess`, an entry whose fragment matches
    no id is paired with the heading FL102 names for it (`guessed_heading`), if any, and an
    item without a link (last) with the heading its text names."""
    return doc.memo(_guessed_pairs if guess else _linked_pairs)


def _linked_pairs(doc: Document) -> tuple[tuple[TocEntry, Heading], ...]:
    return tuple(_pairs(doc, guess=False))


def _guessed_pairs(doc: Document) -> tuple[tuple[TocEntry, Heading], ...]:
    return tuple(_pairs(doc, guess=True))


def _pairs(doc: Document, guess: bool) -> list[tuple[TocEntry, Heading]]:
    if doc.toc is None:
        return []
    by_anchor = {h.anchor: h for h in doc.headings}
    anchors = frozenset(by_anchor)  # indexed once by suggest_anchor
    named = named_headings(doc) if guess else {}
    result = []
    for entry in doc.toc.entries:
        heading = by_anchor.get(entry.fragment)
        if heading is None and guess:
            heading = guessed_heading(entry, anchors, by_anchor, named)
        if heading is not None:
            result.append((entry, heading))
    for item in doc.toc.unlinked if guess else ():
        heading = named.get(text_key(item.text))
        if heading is None and item.number:  # `1. 概述` in a numbered list names `## 1. 概述`
            heading = named.get(text_key(f"{item.number}. {item.text}"))
        if heading is not None:
            result.append((item, heading))
    return result


def guessed_heading(
    entry: TocEntry,
    anchors: frozenset[str],
    by_anchor: dict[str, Heading],
    named: Mapping[str, Heading | None],
) -> Heading | None:
    """The heading a stale entry means: the one heading whose id differs from the entry's
    fragment only by dashes, case or numbering, else the one heading its text names."""
    anchor = suggest_anchor(entry.fragment, anchors)
    if anchor is not None:
        return by_anchor[anchor]
    return named.get(text_key(entry.text))


def named_headings(doc: Document) -> Mapping[str, Heading | None]:
    """Each heading by the texts an entry may name it with (None: more than one heading)."""
    return doc.memo(_named_headings)


def _named_headings(doc: Document) -> Mapping[str, Heading | None]:
    named: dict[str, Heading | None] = {}
    for heading in doc.headings:
        for key in {text_key(heading.text), text_key(first_part(heading.text))}:
            named[key] = heading if key not in named else None
    return named


@lru_cache(maxsize=4096)  # each TOC rule compares the same entry and heading texts
def text_key(text: str, loose: bool = False) -> str:
    """Rendered text as compared: backslash escapes processed as GitHub does (also inside
    math, `$\\\\beta$` shows `$\\beta$`), white space and the ordinal's punctuation (`1.`,
    `1、`) ignored; `loose`, emoji and other pictographic symbols ignored too."""
    text = _ESCAPE.sub(r"\1", text)
    if loose:
        text = without_symbols(text).strip()
    return squashed(_ORDINAL.sub(r"\1", text, count=1))


def names_heading(entry: TocEntry, heading: Heading) -> bool:
    """Whether the entry's text is the heading's, as GitHub shows both (see `text_key`; an
    emoji more or less, `✅ 已完成` for `已完成`, is decoration, not a different text).

    A bilingual heading may be named by its first part; in a numbered list, the item's
    number stands for the heading's ordinal (`1. [引言](#1-引言)` names `## 1. 引言`).
    """
    key = text_key(entry.text, loose=True)
    if key in (text_key(heading.text, True), text_key(first_part(heading.text), True)):
        return True
    return bool(entry.number) and _number_stands_for_ordinal(entry, heading, key)


def misdirected(
    entry: TocEntry, heading: Heading, named: Mapping[str, Heading | None]
) -> Heading | None:
    """The other heading an entry's text names exactly, when it links to `heading` whose text
    it does not name exactly (`[✅ 已完成](#已完成)` beside `## 已完成` and `## ✅ 已完成`)."""
    key = text_key(entry.text)
    if key in (text_key(heading.text), text_key(first_part(heading.text))):
        return None
    other = named.get(key)
    return other if other is not None and other != heading else None


def _number_stands_for_ordinal(entry: TocEntry, heading: Heading, key: str) -> bool:
    arabic = _ARABIC_ORDINAL.match(heading.text)
    if not arabic or arabic[1].lstrip("0") != entry.number.lstrip("0"):
        return False  # `3. [引言](#1-引言)` shows 3 where the heading says 1
    title = heading.text[arabic.end() :]
    return key in (text_key(title, True), text_key(first_part(title), True))


def swallowed_ids(doc: Document) -> dict[str, Block]:
    """The ids of the lines that read as headings inside a code fence left open, each with
    that fence: headings it swallowed, which stale TOC entries may still link to."""
    result: dict[str, Block] = {}
    for block in doc.blocks:
        if block.kind == "fence" and not block.closed:
            for line in block.content.splitlines():
                match = _HEADING_LINE.match(line)
                if match:
                    text = _ESCAPE.sub(r"\1", match[1]).replace("*", "")
                    result.setdefault(slug(text), block)
    return result


def covered_levels(doc: Document, matched: Sequence[tuple[TocEntry, Heading]]) -> set[int]:
    """The heading levels the TOC covers as a whole: the highest level it lists, and each
    lower level of which it lists at least half the headings (its own heading counted only
    when listed).

    Two stray H4 entries in a TOC of H2–H3 do not make every H4 of the document required.
    """
    if not matched:
        return set()
    toc_heading = doc.toc.heading if doc.toc else None
    listed = {h.anchor for _, h in matched}
    top = min(h.level for _, h in matched)
    total: dict[int, int] = {}
    found: dict[int, int] = {}
    for h in doc.headings:
        if h.level > top and (h != toc_heading or h.anchor in listed):
            total[h.level] = total.get(h.level, 0) + 1
            found[h.level] = found.get(h.level, 0) + (h.anchor in listed)
    return {top} | {level for level, count in total.items() if found[level] * 2 >= count}


def expected_headings(
    doc: Document, matched: Sequence[tuple[TocEntry, Heading]], top: int | None = None
) -> list[Heading]:
    """The headings the TOC should list, in order: those of the levels it covers and those it
    lists anyway; with `top` (a higher level its outermost list stands for), every heading
    from that level down to the highest level it lists. The TOC's own heading only if listed.
    Headings above the TOC are required only when it lists one of them (it then covers the
    whole document from its title, the first H1: not a banner or stray front matter above).
    """
    if not matched:
        return []
    levels = covered_levels(doc, matched)
    listed = {h.anchor for _, h in matched}
    first = min(levels)
    top = first if top is None else min(top, first)
    toc_heading = doc.toc.heading if doc.toc else None
    lists_own = toc_heading is not None and toc_heading.anchor in listed
    # Where the required headings start: at the TOC's heading unless the TOC lists one above
    # it, and never above the document's title (its first H1).
    start = toc_heading.line if toc_heading else 0
    if any(h.line < start for _, h in matched):
        start = next((h.line for h in doc.headings if h.level == 1), 0)
    return [
        h
        for h in doc.headings
        if top <= h.level
        and (h.level < first or h.level in levels or h.anchor in listed)
        and (h != toc_heading or lists_own)
        and (h.line >= start or h.anchor in listed)
    ]


def tree_depths(headings: Sequence[Heading]) -> list[int]:
    """How deep each heading sits in a TOC listing exactly these headings, in order.

    A heading is one level deeper than the nearest heading above it of a higher level (`#`
    is higher than `##`); a skipped level (`#` then `###`) does not add depth, since a
    Markdown list cannot nest an item two levels below its parent.
    """
    depths: list[int] = []
    stack: list[int] = []
    for heading in headings:
        while stack and stack[-1] >= heading.level:
            stack.pop()
        depths.append(len(stack))
        stack.append(heading.level)
    return depths
