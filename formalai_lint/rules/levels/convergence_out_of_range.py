from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import (
    LevelRule,
    column_levels,
    convergence_mentions,
    formulas,
    is_convergence,
    is_definition,
    level_doc,
    readings,
)


class ConvergenceOutOfRange(LevelRule):
    """A 收敛度 the level document states lies outside its level's convergence range.

    Read from: rows or columns headed 收敛度 of its tables (not the 收敛状态 definition table,
    FL403, nor `Lx vs Ly` comparison tables, FL403/FL404), prose and mermaid labels
    `收敛度 X%` whose sentence names no other level, and the stated result of a 收敛度 formula.
    """

    code = "FL402"
    name = "convergence-out-of-range"
    summary = "Stated 收敛度 lies outside the level's convergence range"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        found = level_doc(doc, self.model)
        if found is None:
            return
        level = found.level
        expected = level.convergence.describe()

        def report(line: int, column: int, what: str, text: str) -> Diagnostic:
            return self.diagnostic(
                doc.path, line, column, f"{what} is outside {level.id}'s range {expected}", text
            )

        for table in doc.tables:
            if is_definition(table, self.model.words) or column_levels(table):
                continue
            for values in readings(doc, table, self.model.words.convergence):
                for reading in values:
                    bad = [
                        q for q in reading.values if not level.convergence.intersects(q.interval)
                    ]
                    if bad:
                        what = f"收敛度 {bad[0].text} (column `{reading.column}`)"
                        yield report(
                            reading.cell.line, reading.cell.column, what, reading.cell.text
                        )
        for text in doc.texts_holding(self.model.words.convergence):
            for m in convergence_mentions(
                text.text, level.id, text.line, 1, doc.path, self.model.words
            ):
                if not level.convergence.intersects(m.value.interval):
                    yield report(m.line, m.column, f"`{m.text}`", m.text)
        for block in doc.blocks:
            if block.kind != "fence" or block.info.strip() != "mermaid":
                continue
            for index, line in enumerate(block.content.split("\n")):
                column = len(line) - len(line.lstrip()) + 1
                for m in convergence_mentions(
                    line.strip(),
                    level.id,
                    block.content_line + index,
                    column,
                    doc.path,
                    self.model.words,
                ):
                    if not level.convergence.intersects(m.value.interval):
                        yield report(m.line, m.column, f"mermaid label `{m.text}`", m.text)
        for formula in formulas(doc):
            if (
                formula.stated is None
                or not formula.terms
                or not is_convergence(formula, self.model.words)
            ):
                continue
            if not level.convergence.contains(formula.stated):
                what = f"formula result {formula.stated_text}"
                yield report(formula.line, formula.column, what, formula.text)
