from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import LevelRule, formulas, is_convergence


class FormulaApproximation(LevelRule):
    """The `≈ P%` after a formula is more than the tolerance (default 2.5 percentage points)
    away from the formula's computed value, or, for a 收敛度 formula, puts the value in another
    level than the computed value is in."""

    code = "FL406"
    name = "formula-approximation"
    summary = "The ≈ P% after a formula is far from its value or in another level"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        model = self.model
        for f in formulas(doc):
            if f.approx is None or f.computed is None:
                continue
            points = abs(f.approx - f.computed) * 100
            problems = []
            if points > model.approximation_tolerance + 1e-9:
                problems.append(
                    f"is {points:.3g} points from the computed {f.computed:.6g} "
                    f"(tolerance {model.approximation_tolerance:g})"
                )
            if is_convergence(f, self.model.words):
                computed_level = model.by_convergence(f.computed)
                approx_level = model.by_convergence(f.approx)
                if computed_level and approx_level and computed_level != approx_level:
                    problems.append(
                        f"puts it in {approx_level.id}, but {f.computed:.6g} is {computed_level.id}"
                    )
            if problems:
                yield self.diagnostic(
                    doc.path,
                    f.line,
                    f.column,
                    f"≈ {f.approx_text} " + " and ".join(problems),
                    f.text,
                )
