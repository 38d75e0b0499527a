from formalai_lint.rule import Rule


class TimeBudgetExceeded(Rule):
    """Reported by the engine for a file whose parse and file rules took more than
    `max-file-seconds` of CPU time: it is not linted, the run goes on."""

    code = "FL005"
    name = "time-budget-exceeded"
    summary = "A file took more than max-file-seconds to parse and check, and was not linted"
