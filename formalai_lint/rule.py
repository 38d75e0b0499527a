"""The rule plugin interface, and the project index that cross-file rules read.

A rule is a small class with plain metadata and one `check` method. A `FileRule` sees one
parsed `Document`; a `ProjectRule` runs after every file is parsed and sees the `Project`:
the facts (title, anchors, links) of every document, never the documents themselves, so
that facts can be cached and computed in worker processes.

Built-in rules are found by their modules in `formalai_lint/rules/<family>/`; third-party
packages add rules by naming their classes in the `formalai_lint.rules` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document, Link
from formalai_lint.suppression import Directive, directives

if TYPE_CHECKING:
    from formalai_lint.config import Settings
    from formalai_lint.links import FileIndex, Resolution


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


class DocFacts(NamedTuple):
    """What cross-file rules know of one document. Round-trips through JSON, links and
    suppressions as arrays in field order (compact, and quick to write and read back)."""

    path: str
    title: str | None
    anchors: frozenset[str]
    links: tuple[Link, ...]
    suppressions: tuple[Directive, ...] = ()  # its `formalai-lint-…` comments

    @classmethod
    def of(cls, doc: Document) -> DocFacts:
        local = tuple(link for link in doc.links if not link.external)
        return cls(doc.path, doc.title, doc.anchors, local, directives(doc.comments))

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "anchors": sorted(self.anchors),
            "links": [list(link) for link in self.links],
            "suppressions": [list(d) for d in self.suppressions],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocFacts:
        return cls(
            path=data["path"],
            title=data["title"],
            anchors=frozenset(data["anchors"]),
            links=tuple(Link(*link) for link in data["links"]),
            suppressions=tuple(
                Directive(kind, tuple(selectors), *rest)
                for kind, selectors, *rest in data.get("suppressions", ())
            ),
        )


@dataclass(frozen=True)
class Project:
    """The phase-2 view: every file under the root, and the facts of the parsed documents.

    `targets` are the documents being reported on; `docs` also holds the documents they
    link to, so that fragments and titles in untouched files can be checked.
    """

    files: frozenset[str]
    docs: Mapping[str, DocFacts]
    targets: tuple[str, ...] = field(default=())
    # The folders never suggested to documents outside them, computed on first use (reading
    # the .gitignore files costs time that a run without a broken link need not spend).
    hidden: Callable[[], frozenset[str]] = frozenset

    @cached_property
    def directories(self) -> frozenset[str]:
        dirs = {""}
        for path in self.files:
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
        return frozenset(dirs)

    @cached_property
    def file_index(self) -> FileIndex:
        """Files and folders by the tails of their paths, for the did-you-mean of links."""
        from formalai_lint.links import FileIndex  # links.py builds on Project

        return FileIndex(self.files | self.directories, self.hidden())

    @cached_property
    def resolved_links(self) -> tuple[tuple[DocFacts, Link, Resolution], ...]:
        """Every local link of the target documents with where it leads, resolved once for
        all the project rules that read it."""
        from formalai_lint.links import resolve  # links.py builds on Project

        return tuple(
            (doc, link, resolve(self, doc.path, link))
            for doc in self.target_facts()
            for link in doc.links
        )

    def target_facts(self) -> Iterable[DocFacts]:
        for path in self.targets:
            facts = self.docs.get(path)
            if facts is not None:
                yield facts
