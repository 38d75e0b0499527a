from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._toc import matched_entries


class TocMissingEntry(FileRule):
    """A heading at a level the TOC covers has no entry in it.

    The TOC covers the heading levels its entries link to, from the highest to the lowest.
    The TOC's own heading need not be listed.
    """

    code = "FL101"
    name = "toc-missing-entry"
    summary = "A heading inside the TOC's range has no TOC entry"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc)
        if doc.toc is None or not matched:
            return
        levels = [h.level for _, h in matched]
        low, high = min(levels), max(levels)
        listed = {h.anchor for _, h in matched}
        for h in doc.headings:
            if low <= h.level <= high and h.anchor not in listed and h != doc.toc.heading:
                yield self.diagnostic(
                    doc.path,
                    h.line,
                    h.column,
                    f"heading `{h.text}` has no entry in the table of contents"
                    f" (expected a link to `#{h.anchor}`)",
                    h.text,
                    fixable=True,
                )
