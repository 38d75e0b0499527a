from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.toc._view import expected_headings, matched_entries


class TocMissingEntry(FileRule):
    """A heading at a level the TOC covers as a whole has no entry in it.

    The TOC covers the highest heading level it lists, and each lower level of which it lists
    at least half the headings. An entry with a stale anchor still lists the heading it
    means (FL102 reports it). The TOC's own heading need not be listed.
    """

    code = "FL101"
    name = "toc-missing-entry"
    summary = "A heading at a level the TOC covers has no TOC entry"
    fix = Fix.SAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc, guess=True)
        if doc.toc is None or not matched:
            return
        listed = {h.anchor for _, h in matched}
        for h in expected_headings(doc, matched):
            if h.anchor not in listed:
                yield self.diagnostic(
                    doc.path,
                    h.line,
                    h.column,
                    f"heading `{h.text}` has no entry in the table of contents"
                    f" (expected a link to `#{h.anchor}`)",
                    h.text,
                    **span(h),
                )
