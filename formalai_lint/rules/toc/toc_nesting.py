from collections import Counter
from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document, Heading, TocEntry
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.toc._view import (
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

    One slip is one finding: the entries that follow one another, in the TOC's order, with
    the same shift (entry depth minus the depth its heading gives) are one run, reported at
    its first entry. The children of a mis-nested entry and a run of siblings at the same
    wrong depth are therefore not reported again.
    """

    code = "FL104"
    name = "toc-nesting"
    summary = "TOC entry depth does not match the heading's level"
    fix = Fix.SAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc, guess=True)  # a stale entry still stands for its heading
        if not matched:
            return
        matched = tuple(sorted(matched, key=lambda pair: pair[0].line))  # unlinked: last
        named = named_headings(doc)
        # The outermost list holds the level most entries agree on (one stale entry at the
        # top must not shift every other entry); the tree is the headings the TOC should list.
        offsets = Counter(h.level - e.depth for e, h in matched)
        top = min(offsets, key=lambda level: (-offsets[level], level))
        tree = expected_headings(doc, matched, top)
        depth_of = dict(zip((h.anchor for h in tree), tree_depths(tree), strict=True))
        parent_of = _parents(tree)
        shifts = [e.depth - depth_of[h.anchor] for e, h in matched]
        shift_of = {h.anchor: shift for (_, h), shift in zip(matched, shifts, strict=True)}
        by_anchor = {h.anchor: h for h in tree}
        start = 0
        while start < len(matched):
            end = start + 1
            while end < len(matched) and shifts[end] == shifts[start]:
                end += 1
            run = [
                (e, h)
                for e, h in matched[start:end]
                if e.fragment == h.anchor  # else FL102
                and not misdirected(e, h, named)  # else FL105
            ]
            if shifts[start] and run:
                entry, heading = run[0]
                expected = depth_of[heading.anchor]
                # The TOC is its own witness when the one entry is the odd one out among the
                # headings of its level and parent: those just before and after it are listed
                # at the depth the headings give. Else either side may be the one to change.
                siblings = _siblings(tree, parent_of, heading) if end - start == 1 else ()
                witness = len(siblings) == 2 and all(shift_of.get(a) == 0 for a in siblings)
                parent = by_anchor.get(parent_of[heading.anchor])
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    _message(entry, heading, expected, len(run) - 1, parent, witness),
                    entry.text,
                    **span(entry),
                )
            start = end


def _parents(tree: list[Heading]) -> dict[str, str]:
    """Each heading's parent in the TOC's outline: the nearest heading above of a higher level."""
    parents: dict[str, str] = {}
    stack: list[Heading] = []
    for heading in tree:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        parents[heading.anchor] = stack[-1].anchor if stack else ""
        stack.append(heading)
    return parents


def _siblings(tree: list[Heading], parent_of: dict[str, str], heading: Heading) -> list[str]:
    """The ids of the headings just before and after `heading` of its level and parent."""
    same = [
        h.anchor
        for h in tree
        if h.level == heading.level and parent_of[h.anchor] == parent_of[heading.anchor]
    ]
    at = same.index(heading.anchor)
    return same[max(at - 1, 0) : at] + same[at + 1 : at + 2]


def _message(
    entry: TocEntry,
    heading: Heading,
    expected: int,
    others: int,
    parent: Heading | None,
    witness: bool,
) -> str:
    subject = f"TOC entry `{entry.text}`"
    if others:
        after = "the entry" if others == 1 else f"the {others} entries"
        subject += f" (and {after} after it, shifted the same way)"
    under = f" under `{parent.text}` (H{parent.level})" if parent else ""
    facts = f"{subject} is at depth {entry.depth}, but its heading is H{heading.level}{under}"
    if witness:
        return f"{facts}: expected depth {expected}, as the TOC lists the headings beside it"
    sides = (
        "the entries' depth or the headings' levels are"
        if others
        else "the entry's depth or the heading's level is"
    )
    return f"{facts}, at depth {expected} in the headings' outline: either {sides} off"
