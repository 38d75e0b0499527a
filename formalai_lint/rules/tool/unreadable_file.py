from formalai_lint.rule import Rule


class UnreadableFile(Rule):
    """Reported by the engine when a file cannot be read or decoded; the run goes on."""

    code = "FL001"
    name = "unreadable-file"
    summary = "A file cannot be read or decoded"
