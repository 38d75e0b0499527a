from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules._levels import (
    ADOPTION_LABELS,
    CONVERGENCE_LABELS,
    LevelRule,
    column_levels,
    contradicts,
    definition_column,
    is_definition,
    label,
    leading_values,
    level_doc,
    log,
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
            elif is_definition(table):
                columns = [definition_column(table)]
                where = "收敛状态 table"
            else:
                continue
            for row in table.rows:
                name = label(row[0].text) if row else ""
                if name in ADOPTION_LABELS:
                    defined, var = level.adoption, "a"
                elif name in CONVERGENCE_LABELS:
                    defined, var = level.convergence, "C"
                else:
                    continue
                if defined is None:
                    continue
                for j in columns:
                    if j >= len(row):
                        continue
                    cell = row[j]
                    values = leading_values(cell)
                    if not values:
                        log.debug(
                            "%s:%d: skipped unreadable cell `%s`", doc.path, cell.line, cell.text
                        )
                        continue
                    stated = values[0]
                    log.debug("%s:%d: read %s %s", doc.path, cell.line, name, stated.text)
                    if contradicts(stated.interval, defined):
                        percent = var == "a"
                        yield self.diagnostic(
                            doc.path,
                            cell.line,
                            cell.column,
                            f"{where} states {name} {stated.text} "
                            f"({stated.interval.describe(var, percent)}), but {level.id} is "
                            f"configured as {defined.describe(var, percent)}",
                            cell.text,
                        )
