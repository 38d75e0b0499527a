from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import (
    LevelRule,
    column_levels,
    definition_column,
    drifts,
    is_definition,
    level_doc,
)


class ThresholdDrift(LevelRule):
    """The level document's own definition of its level differs from the configured one.

    Read from the 收敛状态 table (rows 采用率 and 收敛度, column 特征) and from the document's
    own column of `Lx vs Ly` comparison tables. A range (`<30%`, `50-70%`, `90%+`) must equal
    the configured range, bounds and inclusiveness included; a single value (`收敛度 60%`)
    must lie inside it.
    """

    code = "FL403"
    name = "threshold-drift"
    summary = "The level's definition table states thresholds that differ from the configured level"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        found = level_doc(doc, self.model)
        if found is None:
            return
        level = found.level
        for table in doc.tables:
            levels_by_column = column_levels(table)
            if levels_by_column:
                columns = [j for j, lv in levels_by_column.items() if lv == level.id]
                where = "comparison table"
            elif is_definition(table, self.model.words):
                columns = [definition_column(table, self.model.words)]
                where = "收敛状态 table"
            else:
                continue
            for drift in drifts(doc, table, columns, level, self.model.words):
                stated, defined = drift.describe()
                yield self.diagnostic(
                    doc.path,
                    drift.cell.line,
                    drift.cell.column,
                    f"{where} states {drift.name} {drift.stated.text} ({stated}), but {level.id}"
                    f" is configured as {defined}",
                    drift.cell.text,
                )
