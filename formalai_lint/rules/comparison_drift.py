from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules._levels import (
    ADOPTION_LABELS,
    CONVERGENCE_LABELS,
    LevelRule,
    column_levels,
    contradicts,
    label,
    leading_values,
    level_doc,
    log,
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
            for j, level_id in column_levels(table).items():
                other = model.get(level_id)
                if level_id == found.level.id or other is None:
                    continue
                for row in table.rows:
                    name = label(row[0].text) if row else ""
                    if name in ADOPTION_LABELS:
                        defined, var = other.adoption, "a"
                    elif name in CONVERGENCE_LABELS:
                        defined, var = other.convergence, "C"
                    else:
                        continue
                    if defined is None or j >= len(row):
                        continue
                    values = leading_values(row[j])
                    if not values:
                        log.debug(
                            "%s:%d: skipped unreadable cell `%s`",
                            doc.path,
                            row[j].line,
                            row[j].text,
                        )
                        continue
                    stated = values[0]
                    log.debug(
                        "%s:%d: read %s %s for %s",
                        doc.path,
                        row[j].line,
                        name,
                        stated.text,
                        level_id,
                    )
                    if contradicts(stated.interval, defined):
                        percent = var == "a"
                        yield self.diagnostic(
                            doc.path,
                            row[j].line,
                            row[j].column,
                            f"states {name} {stated.text} for {level_id}, but {level_id} is "
                            f"configured as {defined.describe(var, percent)}",
                            row[j].text,
                        )
