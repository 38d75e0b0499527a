"""The level map's data: every technology a level document describes, with the adoption rate
and the convergence degree it states, over the regions of the configured level model.

A technology is read from a representative-technology table of a level document (neither its
definition table nor an `Lx vs Ly` comparison, as FL401/FL402 read them), where a row (or
column) labelled like 采用率 and one labelled like 收敛度 both hold a value in the same column
(or row): that column (row) is one technology, named by its header (first cell). A table
holding a single technology, such as `| 指标 | 数值 |` under `### 5.1 注意力机制`, is named
by the heading above it. Values are read by the level rules' own readers, so the map shows
what FL401 and FL402 judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from formalai_lint import lazyre
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Cell, Document, Table

# The level family: its only imports in the report (one place to change when it moves).
from formalai_lint.rules.levels._view import column_levels, declared_levels, is_definition, label
from formalai_lint.rules.levels._view import leading_values as cell_values
from formalai_lint.rules.levels.model import Interval, LevelModel, file_level, title_level
from formalai_lint.rules.levels.model import model as configured_model

LEVEL_CODES = frozenset(("FL401", "FL402", "FL403", "FL404", "FL405", "FL406", "FL407"))
WHOLE_DOCUMENT_CODES = frozenset(("FL407",))  # the level itself is in doubt: every point
_MARKUP = lazyre.compile(r"[*_`]")

__all__ = ["LevelMap", "configured_model", "is_candidate", "level_map"]


class Figure(NamedTuple):
    """A stated value: as written, the range it means, and where the map places it."""

    text: str  # `90%+`
    interval: Interval
    line: int
    column: int

    @property
    def at(self) -> float:
        """The value the text names: `90%+` at 0.90, `<30%` at 0.30, `50-70%` at 0.60."""
        low, high = self.interval.low, self.interval.high
        if high - low < 1e-9:
            return low
        if low <= 1e-9:
            return high
        if high >= 1 - 1e-9:
            return low
        return (low + high) / 2


class Point(NamedTuple):
    path: str
    level: str | None  # the document's level; None when it is not stated consistently
    name: str
    section: str  # the heading above the table
    adoption: Figure
    convergence: Figure
    fits: bool | None  # inside its level's region; None when the level is unknown
    findings: tuple[Diagnostic, ...] = ()  # FL401–FL407 findings about it


class Region(NamedTuple):
    level: str
    name: str
    adoption: Interval  # the whole axis when the level sets no adoption bound
    convergence: Interval
    adoption_text: str
    convergence_text: str


class LevelMap(NamedTuple):
    regions: tuple[Region, ...]
    points: tuple[Point, ...]


def is_candidate(path: str, title: str | None) -> bool:
    """Whether a document may be a level document, from what its facts hold (file name, H1)."""
    return bool(file_level(path) or title_level(title))


def regions(model: LevelModel) -> tuple[Region, ...]:
    return tuple(
        Region(
            level.id,
            level.name,
            level.adoption or Interval(),
            level.convergence,
            level.adoption.describe("a", percent=True) if level.adoption else "any a",
            level.convergence.describe(),
        )
        for level in model.levels
    )


def level_map(
    docs: Iterable[Document], model: LevelModel, diagnostics: Sequence[Diagnostic]
) -> LevelMap:
    """The map of the level documents among `docs`, with the level findings of each point."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.code in LEVEL_CODES:
            by_path.setdefault(d.path, []).append(d)
    points: list[Point] = []
    for doc in docs:
        found = by_path.get(doc.path, [])
        for point in technologies(doc, model):
            cells = {(f.line, f.column) for f in (point.adoption, point.convergence)}
            about = tuple(
                d for d in found if d.code in WHOLE_DOCUMENT_CODES or (d.line, d.column) in cells
            )
            points.append(point._replace(findings=about))
    return LevelMap(regions(model), tuple(points))


def technologies(doc: Document, model: LevelModel) -> list[Point]:
    """The technologies a level document describes (none for other documents)."""
    ids = {level_id for level_id, _ in declared_levels(doc).values()}
    if not ids:
        return []
    level = model.get(next(iter(ids))) if len(ids) == 1 else None
    words = model.words
    found: list[Point] = []
    for table in doc.tables:
        if is_definition(table, words) or column_levels(table):
            continue
        section = _plain(table.heading.title) if table.heading else ""
        figures = [
            (name, adoption, convergence)
            for name, a, c in _pairs(table, words.adoption, words.convergence)
            if (adoption := _figure(a)) and (convergence := _figure(c))
        ]
        for name, adoption, convergence in figures:
            fits = None
            if level is not None:
                bound = level.adoption or Interval()
                fits = bound.intersects(adoption.interval) and level.convergence.intersects(
                    convergence.interval
                )
            named = section if len(figures) == 1 and section else name or section
            level_id = level.id if level else None
            found.append(Point(doc.path, level_id, named, section, adoption, convergence, fits))
    return found


def _pairs(
    table: Table, adoption: tuple[str, ...], convergence: tuple[str, ...]
) -> Iterable[tuple[str, Cell, Cell]]:
    """(name, adoption cell, convergence cell) per technology of the table."""
    rows = {label(row[0].text): row for row in reversed(table.rows) if row}
    a_row = next((rows[w] for w in adoption if w in rows), None)
    c_row = next((rows[w] for w in convergence if w in rows), None)
    if a_row is not None and c_row is not None:  # technologies are columns
        for j in range(1, min(len(a_row), len(c_row), len(table.header))):
            yield _plain(table.header[j].text), a_row[j], c_row[j]
        return
    headers = [label(cell.text) for cell in table.header]
    a_col = next((headers.index(w) for w in adoption if w in headers), None)
    c_col = next((headers.index(w) for w in convergence if w in headers), None)
    if a_col is None or c_col is None:
        return
    for row in table.rows:  # technologies are rows
        if len(row) > max(a_col, c_col):
            yield _plain(row[0].text), row[a_col], row[c_col]


def _figure(cell: Cell) -> Figure | None:
    values = cell_values(cell)
    if not values:
        return None
    return Figure(values[0].text, values[0].interval, cell.line, cell.column)


def _plain(text: str) -> str:
    return _MARKUP.sub("", text).strip()
