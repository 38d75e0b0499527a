from formalai_lint.rule import Rule


class InternalError(Rule):
    """Reported by the engine when a rule raises; the run goes on and exits with code 2."""

    code = "FL002"
    name = "internal-error"
    summary = "A rule crashed on a file"
