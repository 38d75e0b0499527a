from bisect import bisect_left
from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.toc._view import matched_entries, misdirected, named_headings


def _in_order(positions: list[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence of `positions`."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of an increasing run of k+1
    values: list[int] = []  # positions[tails[k]], kept beside for bisect
    parent = [-1] * len(positions)
    for i, value in enumerate(positions):
        k = bisect_left(values, value)
        parent[i] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(i)
            values.append(value)
        else:
            tails[k], values[k] = i, value
    keep, i = set(), tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


class TocOrder(FileRule):
    """TOC entries are not in the order of their headings in the document.

    The entries kept in place are the longest run already in document order; every other
    entry is reported once, so one moved entry gives one diagnostic.
    """

    code = "FL103"
    name = "toc-order"
    summary = "TOC entries are not in document order"
    fix = Fix.SAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        named = named_headings(doc) if doc.toc else {}
        # an entry that links to the wrong heading is FL105's, not out of order here
        matched = [(e, h) for e, h in matched_entries(doc) if not misdirected(e, h, named)]
        keep = _in_order([h.line for _, h in matched])
        for i, (entry, heading) in enumerate(matched):
            if i not in keep:
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    f"TOC entry `{entry.text}` is out of order: its heading is on line {heading.line}",
                    entry.text,
                    **span(entry),
                )
