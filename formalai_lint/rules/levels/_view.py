"""What the level rules (FL401–FL407) share: the document's level, its tables, its values.

Everything read or skipped is logged at DEBUG on `formalai_lint.levels` (`-v` shows it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from formalai_lint.document import Cell, Document, Table
from formalai_lint.rule import FileRule

if TYPE_CHECKING:
    from formalai_lint.config import Settings
from formalai_lint import lazyre
from formalai_lint.rules.levels import model as levels
from formalai_lint.rules.levels import quantities
from formalai_lint.rules.levels.model import Interval, Level, LevelModel, Words
from formalai_lint.rules.levels.quantities import Formula, Quantity

log = logging.getLogger("formalai_lint.levels")

ADOPTION_LABELS = ("采用率", "2025采用率")
CONVERGENCE_LABELS = ("收敛度",)
DEFINITION_HEADING = "收敛状态"
LEVEL_IN_TEXT = lazyre.compile(r"(?<![A-Za-z0-9])L(\d+)(?![0-9])")
_PROSE_CONVERGENCE = lazyre.compile(
    r"收敛度\s*(?:(?:[:：]|为|约为?|达到?|是)\s*)?(?=[<>≤≥≈约]?\s{0,3}\d)"
)
_VALUE_WINDOW = 64  # a percent expression is read from this many characters after `收敛度`
_SENTENCE_END = lazyre.compile(r"[。；;！？!?\n]")
MATH_FENCES = ("math", "latex", "tex", "katex")


def label(text: str) -> str:
    """A table cell as a row or column label: markup and spaces dropped."""
    return re.sub(r"[\s*_`]", "", text)


class LevelDoc(NamedTuple):
    doc: Document
    level: Level
    model: LevelModel


def declared_levels(doc: Document) -> Mapping[str, tuple[str, int]]:
    """Where the document states its level: {"file name" | "H1" | "front matter": (id, line)};
    read once per document (`Document.memo`), for the seven level rules."""
    return doc.memo(_declared_levels)


def _declared_levels(doc: Document) -> Mapping[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    by_file = levels.file_level(doc.path)
    if by_file:
        found["file name"] = (by_file, 1)
    h1 = next((h for h in doc.headings if h.level == 1), None)
    by_title = levels.title_level(h1.text if h1 else None)
    if by_title and h1:
        found["H1"] = (by_title, h1.line)
    by_front = levels.front_matter_level(doc.front_matter)
    if by_front:
        found["front matter"] = (by_front, 1)
    return found


class LevelRule(FileRule):
    """A rule that reads the level model, built once per rule instead of once per document."""

    @classmethod
    def check_settings(cls, settings: Settings) -> None:
        """The `levels` table of the configuration (already schema-valid) is a sound model:
        the levels partition 0–1, the labels are plain words."""
        levels.check_config(settings.table, str(settings.config_file))

    @cached_property
    def model(self) -> LevelModel:
        return levels.model(self.settings.table)


def level_doc(doc: Document, model: LevelModel) -> LevelDoc | None:
    """The document's configured level, when it states exactly one; else None (skipped)."""
    declared = declared_levels(doc)
    ids = {level_id for level_id, _ in declared.values()}
    if not ids:
        return None
    if len(ids) > 1:
        log.debug("%s: skipped: its file name, H1 and front matter disagree on the level", doc.path)
        return None
    level = model.get(ids.pop())
    if level is None:
        log.debug(
            "%s: skipped: level %s is not configured", doc.path, next(iter(declared.values()))[0]
        )
        return None
    log.debug("%s: level document %s (from %s)", doc.path, level.id, ", ".join(declared))
    return LevelDoc(doc, level, model)


# --- tables ------------------------------------------------------------------------------------


def column_levels(table: Table) -> dict[int, str]:
    """Columns of a comparison table `| 维度 | L0: 反向分化 | L1: 未收敛 |` -> {1: "L0", 2: "L1"}."""
    found = {}
    for i, cell in enumerate(table.header):
        ids = {f"L{m}" for m in LEVEL_IN_TEXT.findall(cell.text)}
        if len(ids) == 1:
            found[i] = ids.pop()
    return found if len(set(found.values())) >= 2 else {}


def is_definition(table: Table, words: Words) -> bool:
    """A level's definition table: under a 收敛状态 heading, or shaped like one (a column
    headed like 特征, and a row labelled 采用率 or 收敛度); never a comparison table."""
    if column_levels(table):
        return False
    if table.heading and any(w in table.heading.title for w in words.definition_headings):
        return True
    rows = {label(row[0].text) for row in table.rows if row}
    labelled = bool(rows & {*words.adoption, *words.convergence})
    return labelled and any(_definition_header(cell.text, words) for cell in table.header[1:])


def _definition_header(text: str, words: Words) -> bool:
    return any(w in label(text) for w in words.definition_columns)


def definition_column(table: Table, words: Words) -> int:
    """The column that states the thresholds: headed like 特征, else the first value column."""
    columns = enumerate(table.header)
    return next((i for i, c in columns if i and _definition_header(c.text, words)), 1)


def leading_values(cell: Cell) -> list[Quantity]:
    """The values of a cell that starts with one (`40%`, `90%+ vs 5%`); [] for prose cells."""
    values = quantities.cell_value(cell.text)
    if values and values[0].start <= 2:
        return values
    return []


class Reading(NamedTuple):
    """One value cell of a labelled row or column: what a rule compares with a level."""

    cell: Cell
    values: list[Quantity]
    column: str  # the header of the value's column, or the row label in column layouts


def readings(doc: Document, table: Table, labels: tuple[str, ...]) -> Iterator[list[Reading]]:
    """Per labelled row (first cell in `labels`) or column (header in `labels`): its values."""
    for row in table.rows:
        if row and label(row[0].text) in labels:
            yield list(_cells(doc, row[1:], [h.text for h in table.header[1:]]))
    for j, header in enumerate(table.header):
        if j and label(header.text) in labels:
            cells = [row[j] for row in table.rows if len(row) > j]
            names = [row[0].text if row else "" for row in table.rows if len(row) > j]
            yield list(_cells(doc, cells, names))


def _cells(
    doc: Document, cells: tuple[Cell, ...] | list[Cell], names: list[str]
) -> Iterator[Reading]:
    for cell, name in zip(cells, names, strict=False):
        values = leading_values(cell)
        if values:
            log.debug(
                "%s:%d: read %s from `%s`",
                doc.path,
                cell.line,
                ", ".join(v.text for v in values),
                cell.text,
            )
            yield Reading(cell, values, label(name) or name)
        elif re.search(r"\d", cell.text):
            log.debug("%s:%d: skipped unreadable cell `%s`", doc.path, cell.line, cell.text)


class Drift(NamedTuple):
    """A table cell stating an adoption or 收敛度 that contradicts a level's definition."""

    cell: Cell
    name: str  # the row label: 采用率, 收敛度 …
    stated: Quantity
    defined: Interval
    var: str  # "a" (adoption, shown in percent) or "C" (convergence)

    def describe(self) -> tuple[str, str]:
        """The stated and the configured range, as `a < 30%` / `0.60 < C ≤ 0.80`."""
        percent = self.var == "a"
        return (
            self.stated.interval.describe(self.var, percent),
            self.defined.describe(self.var, percent),
        )


def drifts(
    doc: Document, table: Table, columns: Iterable[int], level: Level, words: Words
) -> Iterator[Drift]:
    """Cells of `columns` in the 采用率 / 收敛度 rows of `table` that contradict `level`."""
    for row in table.rows:
        name = label(row[0].text) if row else ""
        if name in words.adoption:
            defined, var = level.adoption, "a"
        elif name in words.convergence:
            defined, var = level.convergence, "C"
        else:
            continue
        if defined is None:
            continue
        for column in columns:
            if column >= len(row):
                continue
            cell = row[column]
            values = leading_values(cell)
            if not values:
                log.debug("%s:%d: skipped unreadable cell `%s`", doc.path, cell.line, cell.text)
                continue
            stated = values[0]
            log.debug("%s:%d: read %s %s for %s", doc.path, cell.line, name, stated.text, level.id)
            if contradicts(stated.interval, defined):
                yield Drift(cell, name, stated, defined, var)


def contradicts(statement: Interval, defined: Interval) -> bool:
    """A stated threshold contradicts a definition: a range must equal it, a value lie in it."""
    if statement.is_point:
        return not defined.contains(statement.low)
    return not statement.same_as(defined)


# --- prose and mermaid -------------------------------------------------------------------------


class Mention(NamedTuple):
    value: Quantity
    line: int
    column: int
    text: str


@lru_cache(maxsize=8)
def _prose_convergence(words: tuple[str, ...]) -> re.Pattern[str]:
    """`收敛度 70%`, `收敛度：约 70%`, `收敛度达到 70%` for each configured word."""
    names = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(
        rf"(?:{names})\s*(?:(?:[:：]|为|约为?|达到?|是)\s*)?(?=[<>≤≥≈约]?\s{{0,3}}\d)"
    )


def convergence_mentions(
    text: str, doc_level: str, line: int, column: int, path: str, words: Words
) -> Iterator[Mention]:
    """`收敛度 X%` in a text; skipped when its sentence names another level.

    One pass: the sentence bounds, the levels a sentence names and the line count are carried
    from one mention to the next, never re-read from the start or to the end of the text.
    """
    sentence = (0, -1)  # the bounds of the sentence of the last mention
    others: set[str] = set()
    scanned, at_line, line_start = 0, line, -1  # newlines counted up to `scanned`
    for match in _prose_convergence(words.convergence).finditer(text):
        window = text[match.end() : match.end() + _VALUE_WINDOW]
        values = quantities.percents(window)
        if not values or values[0].start > 1:
            log.debug("%s:%d: skipped `%s…`: no percent after it", path, line, window[:8])
            continue
        value = values[0]
        if match.start() >= sentence[1]:
            start = sentence[1] if sentence[1] >= 0 else 0
            for end in _SENTENCE_END.finditer(text, start, match.start()):
                start = end.end()
            end_match = _SENTENCE_END.search(text, match.end())
            sentence = (start, end_match.start() if end_match else len(text))
            named = {f"L{m}" for m in LEVEL_IN_TEXT.findall(text, *sentence)}
            others = named - {doc_level}
        quoted = text[match.start() : match.end() + value.start + len(value.text)]
        newline = text.rfind("\n", scanned, match.start())
        at_line += text.count("\n", scanned, match.start())
        line_start = newline if newline >= 0 else line_start
        scanned = match.start()
        at_column = (column if line_start < 0 else 1) + match.start() - (line_start + 1)
        if others:
            log.debug(
                "%s:%d: skipped `%s`: the sentence names %s",
                path,
                at_line,
                quoted,
                ", ".join(sorted(others)),
            )
            continue
        log.debug("%s:%d: read `%s`", path, at_line, quoted)
        yield Mention(value, at_line, at_column, quoted)


# --- formulas ----------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _convergence_lhs(words: tuple[str, ...]) -> re.Pattern[str]:
    names = "".join(f"{re.escape(w)}|" for w in words)
    return re.compile(rf"{names}convergence|^C(?:_\(?\w+\)?)?(?:\(T\))?$", re.IGNORECASE)


def is_convergence(formula: Formula, words: Words) -> bool:
    """A formula of the convergence degree: its left side names it (`收敛度`, `C_{arch}`)."""
    return bool(_convergence_lhs(words.convergence).search(formula.lhs.strip()))


def formulas(doc: Document) -> tuple[Formula, ...]:
    """Readable formula lines of the ```math fences and `$$` blocks.

    Three rules read them; they are read once per document (`Document.memo`).
    """
    return doc.memo(_formulas)


def _formulas(doc: Document) -> tuple[Formula, ...]:
    return tuple(_read_formulas(doc))


def _read_formulas(doc: Document) -> Iterator[Formula]:
    for block in doc.blocks:
        if block.kind == "fence" and (block.info.split() or [""])[0] not in MATH_FENCES:
            continue
        # a `$$` block's content starts on the `$$` line itself (empty when `$$` stands alone)
        first_line = block.line if block.kind == "math" else block.content_line
        first_column = 3 if block.kind == "math" else 1
        for formula in quantities.formulas(block.content, first_line, first_column):
            log.debug(
                "%s:%d: read formula: terms %s, computed %s, stated %s, ≈ %s",
                doc.path,
                formula.line,
                [t.text for t in formula.terms],
                formula.computed,
                formula.stated_text or "-",
                formula.approx_text or "-",
            )
            yield formula
