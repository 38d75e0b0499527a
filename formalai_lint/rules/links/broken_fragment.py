from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.links import attribute_note, suggest_anchor, unchecked
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.shared import did_you_mean


class BrokenFragment(FileRule):
    """A same-file `#fragment` matches no heading id and no HTML anchor of the file.

    TOC entries are left to FL102 and related-topics links to FL301.
    """

    code = "FL201"
    name = "broken-fragment"
    summary = "A same-file #fragment matches no heading id or HTML anchor"
    fix = Fix.UNSAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for link in doc.links:
            if link.path or not link.fragment or link.external or link.context:
                continue
            if unchecked(link):
                continue
            if link.fragment not in doc.anchors:
                hint = suggest_anchor(link.fragment, doc.anchors)
                yield self.diagnostic(
                    doc.path,
                    link.line,
                    link.column,
                    f"no heading or anchor `#{link.fragment}` in this file"
                    + did_you_mean(hint and f"#{hint}")
                    + attribute_note(link.fragment, doc.anchors),
                    link.target,
                    **span(link),
                )
