from collections import Counter
from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._toc import (
    expected_headings,
    matched_entries,
    misdirected,
    named_headings,
    tree_depths,
)


class TocNesting(FileRule):
    """A TOC entry is indented to a depth that does not match its heading's level.

    Each heading level is one list deeper than the level above it; a skipped level (`#` then
    `###`) adds no depth, as a list cannot nest an item two levels below its parent. Which
    level the outermost list holds is what most entries agree on, so one stale or misplaced
    entry at the top does not make every other entry look wrong. A stale entry (FL102) still
    stands for the heading it means, so the headings around it keep their depth.
    """

    code = "FL104"
    name = "toc-nesting"
    summary = "TOC entry depth does not match the heading's level"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc, guess=True)  # a stale entry still stands for its heading
        if not matched:
            return
        named = named_headings(doc.headings)
        # The outermost list holds the level most entries agree on (one stale entry at the
        # top must not shift every other entry); the tree is the headings the TOC should list.
        offsets = Counter(h.level - e.depth for e, h in matched)
        top = min(offsets, key=lambda level: (-offsets[level], level))
        tree = expected_headings(doc, matched, top)
        depth_of = dict(zip((h.anchor for h in tree), tree_depths(tree), strict=True))
        for entry, heading in matched:
            expected = depth_of[heading.anchor]
            if (
                entry.depth != expected
                and entry.fragment == heading.anchor  # else FL102
                and not misdirected(entry, heading, named)  # else FL105
            ):
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    f"TOC entry `{entry.text}` is at depth {entry.depth}, but its heading is"
                    f" H{heading.level}: expected depth {expected}",
                    entry.text,
                    fixable=True,
                )
