from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import (
    LevelRule,
    column_levels,
    drifts,
    level_doc,
)


class ComparisonDrift(LevelRule):
    """A comparison table `Lx vs Ly` states, for another level Ly, an adoption or 收敛度 that
    contradicts Ly's configured definition. Columns are matched to levels by the level id in
    their header (`L1: 未收敛`); the document's own column is FL403's."""

    code = "FL404"
    name = "comparison-drift"
    summary = "A comparison table misstates another level's thresholds"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        model = self.model
        found = level_doc(doc, model)
        if found is None:
            return
        for table in doc.tables:
            for column, level_id in column_levels(table).items():
                other = model.get(level_id)
                if level_id == found.level.id or other is None:
                    continue
                for drift in drifts(doc, table, [column], other, self.model.words):
                    _, defined = drift.describe()
                    yield self.diagnostic(
                        doc.path,
                        drift.cell.line,
                        drift.cell.column,
                        f"states {drift.name} {drift.stated.text} for {level_id}, but {level_id}"
                        f" is configured as {defined}",
                        drift.cell.text,
                    )
