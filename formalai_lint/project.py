"""The project index that cross-file rules read: the facts of each document, and the files.

`DocFacts` is what a project rule knows of one document (title, anchors, local links,
suppression comments): small, and round-tripped through JSON, so that it can be computed in
a worker process and kept in the cache. `Project` holds the facts of the parsed documents
and the list of every file under the root, with the link resolutions that several rules
share, computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from formalai_lint.document import Document, Link
from formalai_lint.links import FileIndex, Resolution, resolve
from formalai_lint.suppression import Directive, directives


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
        return FileIndex(self.files | self.directories, self.hidden())

    @cached_property
    def resolved_links(self) -> tuple[tuple[DocFacts, Link, Resolution], ...]:
        """Every local link of the target documents with where it leads, resolved once for
        all the project rules that read it."""
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
