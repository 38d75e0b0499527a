from formalai_lint.rule import Rule


class FileTooLarge(Rule):
    """Reported by the engine for a file above `max-file-size`: it is skipped, the run goes on."""

    code = "FL003"
    name = "file-too-large"
    summary = "A file is larger than max-file-size and was not linted"
