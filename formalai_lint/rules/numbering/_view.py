"""What the numbering rules (FL501, FL502) share: reading a heading's number.

A heading's number is read at its start, and only the first one counts (`8 六、…` is 8):
- a chapter ordinal: a Chinese numeral followed by `、` or `.` (`四、`), `第四章` / `第4节` /
  `第四篇`, or an Arabic integer of one or two digits followed by `.`, `、` or a space (`4.`,
  `4、`, `4 `, `5 . 标题`, `7 2025年…`, a bare `3`; not `1.5B`, `5 %`);
- a part: `第二部分` or `Part 2` / `Part II`, its own sequence beside the chapters;
- a subsection number: dotted (`4.2`, `4.2.1`, optionally followed by `.`).
A weak ordinal, an Arabic integer followed by `-`, directly by a non-ASCII letter (CJK text), or by `. ` and a
stray digit (`3- OpenQuant`, `5自动化价值`, `3. 1因果…`), counts only where it continues its
sequence (`3个原则` elsewhere is prose, `2. 1基本语法` after `9.` a garbled heading).
A continuation, a heading with a parenthesized note `(续)`, `(bis)`, `(cont.)`, `（新增）`,
`（本轮新增，续）`, `（2025-02 新增）`, may repeat the number before it, and its subsection
number is not checked against its parent (an added section is often numbered on purpose to
come first: `0.1 …（新增）` under `1.`). `（后续推进）` is not a continuation.
Anything else is unnumbered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from formalai_lint import lazyre
from formalai_lint.document import Document, Heading

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN = "[一二三四五六七八九十零〇两]+"
# A letter that is not ASCII (a digit or `_` is not a letter): CJK text in these documents.
# Not the CJK range `[\u4e00-\u9fff]`, which costs Python's regex compiler milliseconds
# per use (it builds a table of the range one character at a time), at every start-up.
_LETTER = r"[^\W\d_A-Za-z]"
_PART = lazyre.compile(
    rf"^\s*(?:第({_CN}|\d{{1,2}})部分|Part\s+(\d{{1,2}}|[IVX]+)\b)", re.IGNORECASE
)
_CHAPTER = lazyre.compile(rf"^\s*第({_CN}|\d{{1,2}})([章节篇])")
_CHINESE = lazyre.compile(rf"^\s*({_CN})[、．.]")
# `4.`, `4、`, `5 . 标题`, `7 2025年…`, `3`: not `1.5B`, `4.2`, `5 %`
_ARABIC = lazyre.compile(
    rf"^\s*(\d{{1,2}})(?:\s*[.．、](?![\d%％]|\s\d{{1,2}}{_LETTER})|\s+(?![\s%％.．])|\s*$)"
)
# `3- OpenQuant`, `5自动化价值`, `3. 1因果…` (a stray digit): ordinals only in sequence
_WEAK = lazyre.compile(rf"^\s*(\d{{1,2}})(?:-(?![\d-])|(?={_LETTER})|\.\s\d{{1,2}}(?={_LETTER}))")
# `4.2 标题`, `4.2. 标题`, also `3.4 2025年…` (a space, then anything but a percentage)
_DOTTED = lazyre.compile(
    r"^\s*(\d{1,2}(?:\.\d{1,3})+)(?:[.．、]\s*(?=[^\d\s.．%％])|\s+(?=[^\s%％]))"
)
_PARENTHESIZED = lazyre.compile(r"[(（]([^()（）]*)[)）]")
# a word of a parenthesized note that marks a continuation: `(续)`, `（2025-02 新增）`, `(bis)`
_CONTINUATION = lazyre.compile(r"续|续表|.*新增|bis|cont\.?|continued", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10}


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


def _value(text: str) -> int | None:
    """An Arabic, Chinese or Roman (I … XXXIX) numeral."""
    if text.isdigit():
        return int(text)
    upper = text.upper()
    if set(upper) <= set(_ROMAN):
        values = [_ROMAN[c] for c in upper]
        return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
    return chinese_number(text)


class Number(NamedTuple):
    parts: tuple[int, ...]  # (4,) for `四、` and `4.`; (4, 2) for `4.2`
    text: str  # as written: `四、`, `第二部分`, `4.2`
    chinese: bool  # a Chinese numeral: the expected value is shown as one
    form: str = "{}."  # how the expected value is written: `{}、`, `第{}章`, `Part {}`
    part: bool = False  # `第N部分` / `Part N`: a sequence of its own, beside the chapters
    weak: bool = False  # `3- …`, `5自动化`: an ordinal only where it continues its sequence
    continuation: bool = False  # `(续)`, `（新增）`: may repeat the number before it

    @property
    def shown(self) -> str:
        return ".".join(map(str, self.parts))

    @property
    def series(self) -> tuple[bool, bool]:
        """Which sequence the number belongs to: parts, Chinese or Arabic chapters."""
        return self.part, self.chinese

    def written(self, value: int) -> str:
        return self.form.format(to_chinese(value) if self.chinese else value)


def number(heading: Heading) -> Number | None:
    return _number(heading.text)


@lru_cache(maxsize=4096)  # FL501 and FL502 read the same headings
def _number(text: str) -> Number | None:
    found = _read(text)
    if found and any(
        _CONTINUATION.fullmatch(word)
        for note in _PARENTHESIZED.findall(text)
        for word in re.split(r"[\s,，、/;；]+", note)
    ):
        return found._replace(continuation=True)
    return found


def _read(text: str) -> Number | None:
    match = _PART.match(text)
    if match:
        value = _value(match[1] or match[2])
        chinese = bool(match[1]) and not match[1].isdigit()
        form = "第{}部分" if match[1] else "Part {}"
        return Number((value,), match[0].strip(), chinese, form, part=True) if value else None
    match = _CHAPTER.match(text)
    if match:
        value = _value(match[1])
        chinese = not match[1].isdigit()
        form = f"第{{}}{match[2]}"
        return Number((value,), match[0].strip(), chinese, form) if value else None
    match = _CHINESE.match(text)
    if match:
        value = chinese_number(match[1])
        return Number((value,), match[0].strip(), True, "{}、") if value else None
    match = _DOTTED.match(text)
    if match:
        return Number(tuple(int(p) for p in match[1].split(".")), match[1], False)
    match = _ARABIC.match(text)
    if match and int(match[1]) > 0:
        return Number((int(match[1]),), match[0].strip(), False)
    match = _WEAK.match(text)
    if match and int(match[1]) > 0:
        return Number((int(match[1]),), match[1], False, weak=True)
    return None


def to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def slips(
    values: Sequence[int], restarts: bool = False, repeats: Sequence[bool] = ()
) -> Iterator[tuple[int, int]]:
    """Indexes of the values that do not continue their sequence, with the value expected.

    Each value is compared with the one before it, so one repeated or skipped number is one
    slip; after a slip the next value may follow either the slip or what it should have been,
    or be the value it skipped (two swapped headings are one slip). After a slip back (a
    repeat or a lower number), the value that continues the sequence from before the slip is
    accepted too, until the numbers pass it: a block inserted or moved in (`10 6 7 8 11`) is
    one slip, at its start, not a second one where the sequence resumes.
    With `restarts`, a 1 starts a new sequence (documents merged from several parts). A value
    whose `repeats` flag is set (a continuation) may also equal the one before it.
    """
    accepted = {values[0] + 1} if values else set()
    last = values[0] if values else 0  # the number the next one should follow
    skipped = None  # the number a slip skipped over: `8.2 8.4 8.3` is one swap, one slip
    resume = None  # the number that continues the sequence from before the slip
    for index in range(1, len(values)):
        value, expected = values[index], last + 1
        if value in (skipped, resume):
            last, skipped, resume = max(value, last), None, None
            accepted = {last + 1}
            continue
        ok = (
            value in accepted
            or (restarts and value == 1)
            or (index < len(repeats) and repeats[index] and value == last)
        )
        accepted = {value + 1} if ok else {value + 1, expected + 1}
        skipped = expected if not ok and value > expected else None
        if not ok and value < expected and resume is None:
            resume = expected  # a block of lower numbers inserted or moved in: `10 6 7 8 11`
        elif ok and resume is not None and (value >= resume or (restarts and value == 1)):
            resume = None  # the sequence went past it, or a new one started
        last = value
        if not ok:
            yield index, expected


def earlier_sibling(doc: Document, heading: Heading, parts: tuple[int, ...]) -> Heading | None:
    """The heading before `heading`, of its level and parent, numbered `parts`, if any; not
    the TOC heading (`二、目录`: subsections numbered 2.x were never under it)."""
    headings = doc.headings
    toc = doc.toc.heading if doc.toc else None
    for other in reversed(headings[: headings.index(heading)]):
        if other.level < heading.level:
            return None
        found = number(other) if other.level == heading.level and other != toc else None
        if found and not found.part and found.parts == parts:
            return other
    return None


class Family(NamedTuple):
    """The headings of one level that share a parent heading (or none)."""

    parent: Heading | None
    children: tuple[Heading, ...]


def families(doc: Document) -> tuple[Family, ...]:
    """The headings grouped by level and parent, read once per document (FL501 and FL502)."""
    return doc.memo(_families)


def _families(doc: Document) -> tuple[Family, ...]:
    return tuple(_grouped(doc))


def _grouped(doc: Document) -> Iterator[Family]:
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
