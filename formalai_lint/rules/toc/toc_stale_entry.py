from collections.abc import Iterator, Mapping

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Block, Document, Heading
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.toc._view import guessed_heading, named_headings, swallowed_ids


class TocStaleEntry(FileRule):
    """A TOC entry links to an anchor that no heading (or HTML anchor) of the file has.

    The message names the heading the entry means, with its real id: the one heading whose id
    differs only by dashes, case or numbering, else the one heading the entry's text names.
    When the heading was swallowed by a code fence left open, it says where that fence opens.
    """

    code = "FL102"
    name = "toc-stale-entry"
    summary = "A TOC entry's anchor matches no heading"
    fix = Fix.SAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if doc.toc is None:
            return
        by_anchor = {h.anchor: h for h in doc.headings}
        anchors = frozenset(by_anchor)  # indexed once by suggest_anchor
        named: Mapping[str, Heading | None] | None = None
        swallowed: dict[str, Block] | None = None
        for entry in doc.toc.entries:
            if entry.fragment in doc.anchors:
                continue
            if named is None or swallowed is None:  # once per document, on the first one
                named, swallowed = named_headings(doc), swallowed_ids(doc)
            heading = guessed_heading(entry, anchors, by_anchor, named)
            message = f"TOC entry `{entry.text}` links to `#{entry.fragment}`, which no heading has"
            if heading is not None:
                message += f": heading `{heading.text}` (line {heading.line}) has the id `#{heading.anchor}`"
            elif fence := swallowed.get(entry.fragment):
                message += (
                    f": the code fence opened at line {fence.line} is still open,"
                    " so the heading after it is read as code"
                )
            yield self.diagnostic(
                doc.path, entry.line, entry.column, message, entry.target, **span(entry)
            )
