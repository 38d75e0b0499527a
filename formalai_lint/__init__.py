"""formalai-lint: a linter for Markdown knowledge bases in the FormalAI style.

For rule authors: `Rule`, `FileRule`, `ProjectRule`, `Project`, `Document`, `Diagnostic`,
`Severity`. For callers: `lint(paths, ...)` returns the diagnostics; `Session` runs the steps
one by one; `LintError` (and its kinds in `formalai_lint.errors`) reports a mistake.

The names are loaded on first use, so that `formalai-lint --version` and `import
formalai_lint` stay quick (the parser and the rules are imported only when needed).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from formalai_lint._version import __version__

if TYPE_CHECKING:
    from formalai_lint.diagnostic import Diagnostic, Severity
    from formalai_lint.document import Document
    from formalai_lint.errors import LintError
    from formalai_lint.project import Project
    from formalai_lint.rule import FileRule, ProjectRule, Rule
    from formalai_lint.session import Session, lint

_WHERE = {
    "Diagnostic": "formalai_lint.diagnostic",
    "Document": "formalai_lint.document",
    "FileRule": "formalai_lint.rule",
    "LintError": "formalai_lint.errors",
    "Project": "formalai_lint.project",
    "ProjectRule": "formalai_lint.rule",
    "Rule": "formalai_lint.rule",
    "Session": "formalai_lint.session",
    "Severity": "formalai_lint.diagnostic",
    "lint": "formalai_lint.session",
}

__all__ = [
    "Diagnostic",
    "Document",
    "FileRule",
    "LintError",
    "Project",
    "ProjectRule",
    "Rule",
    "Session",
    "Severity",
    "__version__",
    "lint",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'formalai_lint' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
