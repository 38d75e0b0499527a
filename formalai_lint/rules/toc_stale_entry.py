from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.links import suggest_anchor
from formalai_lint.rule import FileRule
from formalai_lint.rules._toc import did_you_mean


class TocStaleEntry(FileRule):
    """A TOC entry links to an anchor that no heading (or HTML anchor) of the file has."""

    code = "FL102"
    name = "toc-stale-entry"
    summary = "A TOC entry's anchor matches no heading"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if doc.toc is None:
            return
        headings = frozenset(h.anchor for h in doc.headings)  # indexed once by suggest_anchor
        for entry in doc.toc.entries:
            if entry.fragment not in doc.anchors:
                hint = suggest_anchor(entry.fragment, headings)
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    f"TOC entry `{entry.text}` links to `#{entry.fragment}`, which no heading has"
                    + did_you_mean(hint and f"#{hint}"),
                    entry.target,
                    fixable=True,
                )
