from collections import Counter
from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._toc import matched_entries


class TocNesting(FileRule):
    """A TOC entry is indented to a depth that does not match its heading's level.

    Each heading level is one list deeper than the level above it. Which level the outermost
    list holds is what most entries agree on, so one stale or misplaced entry at the top
    does not make every other entry look wrong.
    """

    code = "FL104"
    name = "toc-nesting"
    summary = "TOC entry depth does not match the heading's level"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc)
        if not matched:
            return
        offsets = Counter(h.level - e.depth for e, h in matched)
        top = min(offsets, key=lambda level: (-offsets[level], level))
        for entry, heading in matched:
            expected = heading.level - top
            if entry.depth != expected:
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    f"TOC entry `{entry.text}` is at depth {entry.depth}, but its heading is"
                    f" H{heading.level}: expected depth {expected}",
                    entry.text,
                    fixable=True,
                )
