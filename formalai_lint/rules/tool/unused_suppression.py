from formalai_lint.diagnostic import Severity
from formalai_lint.rule import Rule


class UnusedSuppression(Rule):
    """Reported by the engine (see `formalai_lint.suppression`) after the other rules ran:
    a suppression comment that silenced nothing, or one that is malformed."""

    code = "FL901"
    name = "unused-suppression"
    summary = "A formalai-lint suppression comment suppresses nothing or is malformed"
    severity = Severity.WARNING
