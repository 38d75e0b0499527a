"""formalai-lint: a linter for Markdown knowledge bases in the FormalAI style."""

from formalai_lint._version import __version__
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document
from formalai_lint.rule import FileRule, Project, ProjectRule, Rule

__all__ = [
    "Diagnostic",
    "Document",
    "FileRule",
    "Project",
    "ProjectRule",
    "Rule",
    "Severity",
    "__version__",
]
