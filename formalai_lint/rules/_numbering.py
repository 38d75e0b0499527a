"""What the numbering rules (FL501, FL502) share: reading a heading's number.

A chapter ordinal is a Chinese numeral followed by `、` (`四、`, `十一、`, also `第四章`) or
an Arabic integer followed by `.`, `、` or a space (`4.`, `4 `). A subsection number is
dotted (`4.2`, `4.2.1`, optionally followed by `.`). Anything else is unnumbered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from formalai_lint.document import Document, Heading

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CHINESE = re.compile(
    r"^\s*(?:第([一二三四五六七八九十零〇两]+)[章节部分篇]|([一二三四五六七八九十零〇]+)[、．.])"
)
_ARABIC = re.compile(r"^\s*(\d{1,2})(?:[.．、]|\s)(?![\d.．%％])")
# `4.2 标题`, `4.2. 标题`, also `3.4 2025年…` (a space, then anything but a percentage)
_DOTTED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,3})+)(?:[.．、]\s*(?=[^\d\s.．%％])|\s+(?=[^\s%％]))")


def chinese_number(text: str) -> int | None:
    """一 … 九十九 (`十一` 11, `二十` 20, `二十一` 21); None for anything else."""
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 and text in _DIGITS else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    high = 1 if not tens else _DIGITS.get(tens)
    low = 0 if not ones else _DIGITS.get(ones)
    if high is None or low is None or high == 0:
        return None
    return high * 10 + low


class Number(NamedTuple):
    parts: tuple[int, ...]  # (4,) for `四、` and `4.`; (4, 2) for `4.2`
    text: str  # as written: `四、`, `4.2`
    chinese: bool

    @property
    def shown(self) -> str:
        return ".".join(map(str, self.parts))


def number(heading: Heading) -> Number | None:
    return _number(heading.text)


@lru_cache(maxsize=4096)  # FL501 and FL502 read the same headings
def _number(text: str) -> Number | None:
    match = _CHINESE.match(text)
    if match:
        value = chinese_number(match[1] or match[2])
        return Number((value,), match[0].strip(), True) if value else None
    match = _DOTTED.match(text)
    if match:
        return Number(tuple(int(p) for p in match[1].split(".")), match[1], False)
    match = _ARABIC.match(text)
    if match and int(match[1]) > 0:
        return Number((int(match[1]),), match[0].strip(), False)
    return None


def to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def slips(values: Sequence[int], restarts: bool = False) -> Iterator[tuple[int, int]]:
    """Indexes of the values that do not continue their sequence, with the value expected.

    Each value is compared with the one before it, so one repeated or skipped number is one
    slip; after a slip the next value may follow either the slip or what it should have been.
    With `restarts`, a 1 starts a new sequence (documents merged from several parts).
    """
    accepted = {values[0] + 1} if values else set()
    for index in range(1, len(values)):
        value, expected = values[index], values[index - 1] + 1
        ok = value in accepted or (restarts and value == 1)
        accepted = {value + 1} if ok else {value + 1, expected + 1}
        if not ok:
            yield index, expected


class Family(NamedTuple):
    """The headings of one level that share a parent heading (or none)."""

    parent: Heading | None
    children: tuple[Heading, ...]


def families(doc: Document) -> Iterator[Family]:
    parents: list[Heading] = []  # the open headings, shallowest first
    groups: dict[tuple[int, int], list[Heading]] = {}  # (parent line or 0, level) -> children
    owner: dict[tuple[int, int], Heading | None] = {}
    for heading in doc.headings:
        while parents and parents[-1].level >= heading.level:
            parents.pop()
        parent = parents[-1] if parents else None
        key = (parent.line if parent else 0, heading.level)
        groups.setdefault(key, []).append(heading)
        owner[key] = parent
        parents.append(heading)
    for key, children in groups.items():
        yield Family(owner[key], tuple(children))
