"""The unsafe fix for FL501 and FL502: renumber headings to the numbers the rules expect.

Only a sequence the rules flag is renumbered, and it is renumbered as a whole, in document
order: a chapter sequence (FL501's siblings, from its first number 1; a 1 further on starts a
new sequence, a continuation `（续）` keeps the number before it) becomes 1, 2, 3 …; the
numbered subsections of a chapter (FL502) take the chapter's number as their prefix, and
their last numbers count from 1 (from 0 when the first is 0): subsections `6.11`–`6.19`
found under `九、` (moved there) become `9.1`–`9.9`. A subsection whose prefix followed its
chapter's old number follows the new one (`4.2` becomes `3.2` when `四、` becomes `三、`),
at every depth. A continuation numbered under another prefix (`0.1 …（新增）`) is left alone.

Only the numeral changes, as written (`四、` → `三、`, `第4章` → `第3章`, `4.2` → `3.2`): a
heading whose source does not start with its number (`**一、**背景`), or a Roman part
number, is not renumbered. It is unsafe because the rules do not say which side is wrong
(a chapter moved, or misnumbered): the fix takes the document's order as right.

`renumbering(doc)` gives the new heading texts by line; the caller renames them through
`formalai_lint.rename`, which updates every link to an anchor that changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from formalai_lint import lazyre
from formalai_lint.document import Document, Heading
from formalai_lint.fixes.headings import RenameError, heading_source
from formalai_lint.rules.numbering._view import Number, families, number, slips, to_chinese
from formalai_lint.rules.numbering.heading_numbering import _continued

NUMBERING_CODES = frozenset({"FL501", "FL502"})
_CHINESE_NUMERAL = lazyre.compile(r"[一二三四五六七八九十零〇两]+")
_DIGITS = lazyre.compile(r"\d+")


def _consecutive(values: Sequence[int], repeats: Sequence[bool], restarts: bool) -> list[int]:
    """The values renumbered in order from 1 (from 0 when the first is 0): each one more than
    the one before, a 1 starting again (`restarts`), a continuation repeating the one before."""
    out = [min(values[0], 1)]
    for index in range(1, len(values)):
        if restarts and values[index] == 1:
            out.append(1)
        elif repeats[index] and values[index] == values[index - 1]:
            out.append(out[-1])
        else:
            out.append(out[-1] + 1)
    return out


def _chapters(doc: Document) -> dict[Heading, tuple[int, ...]]:
    """New numbers of the chapters of every sequence FL501 flags."""
    new: dict[Heading, tuple[int, ...]] = {}
    for family in families(doc):
        numbered = [(h, n) for h in family.children if (n := number(h)) and len(n.parts) == 1]
        for part in (True, False):
            sequence = [(h, n) for h, n in numbered if n.part == part]
            if not sequence:
                continue
            style = sequence[0][1].chinese
            sequence = _continued([(h, n) for h, n in sequence if n.chinese == style])
            if not sequence or sequence[0][1].parts != (1,):
                continue
            values = [n.parts[0] for _, n in sequence]
            repeats = [n.continuation for _, n in sequence]
            if next(slips(values, restarts=True, repeats=repeats), None) is None:
                continue
            for (heading, n), value in zip(
                sequence, _consecutive(values, repeats, True), strict=True
            ):
                if (value,) != n.parts:
                    new[heading] = (value,)
    return new


def _subsections(doc: Document, new: dict[Heading, tuple[int, ...]]) -> None:
    """Add the new numbers of subsections (FL502), parents first (families come in order)."""
    for family in families(doc):
        parent = family.parent
        found = number(parent) if parent else None
        if parent is None or found is None or found.part or found.weak:
            continue
        prefix = new.get(parent, found.parts)
        numbered = [
            (h, n)
            for h in family.children
            if (n := number(h)) and len(n.parts) == len(found.parts) + 1
        ]
        kept = [(h, n) for h, n in numbered if not (n.continuation and n.parts[:-1] != found.parts)]
        if not kept:
            continue
        lasts = [n.parts[-1] for _, n in kept]
        repeats = [n.continuation for _, n in kept]
        wrong = any(n.parts[:-1] != prefix for _, n in kept)
        slipped = next(slips(lasts, repeats=repeats), None) is not None
        if not (wrong or slipped):
            continue
        lasts = _consecutive(lasts, repeats, False)
        for (heading, n), last in zip(kept, lasts, strict=True):
            parts = (*prefix, last)
            if parts != n.parts:
                new[heading] = parts


def _written(n: Number, parts: tuple[int, ...]) -> str | None:
    """The number `n` as written, with the value `parts` (None for a Roman part number)."""
    if len(n.parts) > 1:
        return ".".join(map(str, parts))
    if n.chinese:
        return _CHINESE_NUMERAL.sub(to_chinese(parts[0]), n.text, count=1)
    if _DIGITS.search(n.text):
        return _DIGITS.sub(str(parts[0]), n.text, count=1)
    return None


def renumbering(doc: Document) -> tuple[dict[int, str], list[str]]:
    """The new source texts of the headings to renumber, by line, and why others are not."""
    new = _chapters(doc)
    _subsections(doc, new)
    texts: dict[int, str] = {}
    skipped: list[str] = []
    for heading, parts in sorted(new.items(), key=lambda item: item[0].line):
        n = number(heading)
        assert n is not None
        try:
            source = heading_source(doc, heading)
        except RenameError as e:
            skipped.append(f"{doc.path}:{heading.line}: not renumbered: {e}")
            continue
        written = _written(n, parts)
        if written is None or not source.startswith(n.text):
            skipped.append(
                f"{doc.path}:{heading.line}: not renumbered: its number `{n.text}` is not"
                " written plainly at its start"
            )
            continue
        texts[heading.line] = written + source[len(n.text) :]
    return texts, skipped
