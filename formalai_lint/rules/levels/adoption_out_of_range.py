from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import (
    LevelRule,
    column_levels,
    is_definition,
    level_doc,
    log,
    readings,
)
from formalai_lint.rules.levels.quantities import leading


class AdoptionOutOfRange(LevelRule):
    """In a level document's representative-technology tables, the leading solution's adoption
    (the largest value of a row or column headed 采用率 / 2025采用率) lies outside the level's
    adoption bound. Definition (收敛状态) and comparison (Lx vs Ly) tables are FL403/FL404's."""

    code = "FL401"
    name = "adoption-out-of-range"
    summary = "Leading solution's adoption contradicts the level's adoption bound"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        found = level_doc(doc, self.model)
        if found is None or found.level.adoption is None:
            return
        bound = found.level.adoption
        for table in doc.tables:
            if is_definition(table, self.model.words) or column_levels(table):
                continue
            for values in readings(doc, table, self.model.words.adoption):
                top = leading([q for r in values for q in r.values])
                if top is None:
                    continue
                reading = next(r for r in values if top in r.values)
                if bound.intersects(top.interval):
                    continue
                log.debug(
                    "%s:%d: %s is outside %s",
                    doc.path,
                    reading.cell.line,
                    top.text,
                    bound.describe("a", True),
                )
                yield self.diagnostic(
                    doc.path,
                    reading.cell.line,
                    reading.cell.column,
                    f"leading adoption {top.text} (column `{reading.column}`) is outside "
                    f"{found.level.id}'s bound {bound.describe('a', percent=True)}",
                    reading.cell.text,
                )
