"""The rule plugin interface: `Rule`, `FileRule`, `ProjectRule` (and `Project`, which they read).

A rule is a small class with plain metadata and one `check` method. A `FileRule` sees one
parsed `Document`; a `ProjectRule` runs after every file is parsed and sees the `Project`
(`project.py`): the facts (title, anchors, links) of every document, never the documents
themselves, so that facts can be cached and computed in worker processes.

Built-in rules are found by their modules in `formalai_lint/rules/<family>/`; third-party
packages add rules by naming their classes in the `formalai_lint.rules` entry-point group.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, ClassVar, Protocol

from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document
from formalai_lint.project import DocFacts, Project

__all__ = ["DocFacts", "FileRule", "Project", "ProjectRule", "Rule", "span"]


class Fix(Enum):
    """What `--fix` does for a rule's diagnostics. The fixes live in the rule's family
    (`rules/toc/fix.py` rewrites the TOC, `rules/links/fix.py` retargets links)."""

    NONE = "none"
    SAFE = "safe"  # `--fix`; its diagnostics are `fixable` (`[*]`)
    UNSAFE = "unsafe"  # only with `--unsafe-fixes`: a likely guess, not a proof


class Rule:
    code: ClassVar[str]  # "FL201": never reused
    name: ClassVar[str]  # "broken-fragment": kebab-case, accepted wherever a code is
    summary: ClassVar[str]  # one line, shown by `formalai-lint rules`
    severity: ClassVar[Severity] = Severity.ERROR
    fix: ClassVar[Fix] = Fix.NONE  # declared once here; `Diagnostic.fixable` follows from it

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def check_settings(cls, settings: Settings) -> None:
        """Raise ConfigError (a one-line message) if the settings this rule reads are unsound;
        called once per run for the enabled rules, before any file is read."""

    def diagnostic(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        text: str = "",
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        **extra: Any,
    ) -> Diagnostic:
        """A diagnostic stamped with this rule's code, name, default severity and fixability;
        `end_line` and `end_column` (the column just after the span) when the span is known:
        see `span`."""
        return Diagnostic(
            path=path,
            line=line,
            column=column,
            code=self.code,
            message=message,
            name=self.name,
            severity=self.severity,
            text=text,
            end_line=end_line,
            end_column=end_column,
            fixable=self.fix is Fix.SAFE,
            **extra,
        )


class _Spanned(Protocol):
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...


def span(item: _Spanned) -> dict[str, int]:
    """The end of a link, heading or TOC entry as `Rule.diagnostic`'s keywords; {} when the
    document model does not know it."""
    if not item.end_line:
        return {}
    return {"end_line": item.end_line, "end_column": item.end_column}


class FileRule(Rule):
    def check(self, doc: Document) -> Iterable[Diagnostic]:
        raise NotImplementedError


class ProjectRule(Rule):
    def check(self, project: Project) -> Iterable[Diagnostic]:
        raise NotImplementedError
