"""The rule plugin interface: `Rule`, `FileRule`, `ProjectRule` (and `Project`, which they read).

A rule is a small class with plain metadata and one `check` method. A `FileRule` sees one
parsed `Document`; a `ProjectRule` runs after every file is parsed and sees the `Project`
(`project.py`): the facts (title, anchors, links) of every document, never the documents
themselves, so that facts can be cached and computed in worker processes.

Third-party packages add rules by naming their classes in the `formalai_lint.rules`
entry-point group, exactly as the built-in rules do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document
from formalai_lint.project import DocFacts, Project

__all__ = ["DocFacts", "FileRule", "Project", "ProjectRule", "Rule"]


class Rule:
    code: ClassVar[str]  # "FL201": never reused
    name: ClassVar[str]  # "broken-fragment": kebab-case, accepted wherever a code is
    summary: ClassVar[str]  # one line, shown by `formalai-lint rules`
    severity: ClassVar[Severity] = Severity.ERROR

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def diagnostic(
        self, path: str, line: int, column: int, message: str, text: str = "", **extra: Any
    ) -> Diagnostic:
        """A diagnostic stamped with this rule's code, name and default severity."""
        return Diagnostic(
            path=path,
            line=line,
            column=column,
            code=self.code,
            message=message,
            name=self.name,
            severity=self.severity,
            text=text,
            **extra,
        )


class FileRule(Rule):
    def check(self, doc: Document) -> Iterable[Diagnostic]:
        raise NotImplementedError


class ProjectRule(Rule):
    def check(self, project: Project) -> Iterable[Diagnostic]:
        raise NotImplementedError
