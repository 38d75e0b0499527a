from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rules.levels._view import LevelRule, formulas, is_convergence
from formalai_lint.rules.levels.quantities import decimals


class FormulaArithmetic(LevelRule):
    """A weighted sum in a ```math fence or `$$` block does not add up to the number it is
    said to equal, or the weights of a 收敛度 formula do not sum to 1.

    A result is accepted when it is within the tolerance (default 0.0005) or when it is the
    exact sum rounded to the decimals it is written with (`= 0.67` for 0.665).
    """

    code = "FL405"
    name = "formula-arithmetic"
    summary = "A weighted-sum formula does not add up, or its weights do not sum to 1"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        tolerance = self.model.arithmetic_tolerance
        for f in formulas(doc):
            if f.computed is not None and f.stated is not None:
                rounding = 0.5 * 10 ** -decimals(f.stated_text) + 1e-9
                if abs(f.computed - f.stated) > max(tolerance, rounding):
                    terms = " + ".join(t.text for t in f.terms)
                    yield self.diagnostic(
                        doc.path,
                        f.line,
                        f.column,
                        f"{terms} = {f.computed:.6g}, not {f.stated_text}",
                        f.text,
                    )
            weights = f.weights
            if (
                weights
                and is_convergence(f, self.model.words)
                and abs(sum(weights) - 1) > tolerance
            ):
                shown = " + ".join(f"{w:g}" for w in weights)
                yield self.diagnostic(
                    doc.path,
                    f.line,
                    f.column,
                    f"the weights of this 收敛度 formula sum to {shown} = {sum(weights):.6g}, not 1",
                    f.text,
                )
