"""Changed-files mode reports only news.

When files are named (a pre-commit hook names the staged ones), the files that link into them
are checked too, but what they held before the change is not news: a named file gets all its
findings; a file that is not named gets only the findings about its links into named files
(a link or an image whose target, or whose folder's README.md, is a named file), whatever rule
reports them (FL203 for a renamed heading, FL301, FL302 for a changed title, …).

A finding is "about a link" when it stands where one of the file's links starts (the link
rules report at the link's start): no second parse, only the facts already gathered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.engine import linked_documents
from formalai_lint.rule import DocFacts


def only_news(
    diagnostics: Iterable[Diagnostic],
    named: Collection[str],
    facts: Mapping[str, DocFacts],
    files: frozenset[str],
) -> list[Diagnostic]:
    """The diagnostics of the `named` files, and those of other files that stand at a link
    into a named file. `facts` are the documents' facts (those of the files not named, at
    least); `files` every file of the project."""
    named = set(named)
    into: dict[str, set[tuple[int, int]]] = {}  # path -> (line, column) of its links into named

    def links_into_named(path: str) -> set[tuple[int, int]]:
        found = into.get(path)
        if found is None:
            doc = facts.get(path)
            found = set()
            if doc is not None:
                for link in doc.links:
                    single = doc._replace(links=(link,))
                    if linked_documents([single], files) & named:
                        found.add((link.line, link.column))
            into[path] = found
        return found

    return [
        d for d in diagnostics if d.path in named or (d.line, d.column) in links_into_named(d.path)
    ]
