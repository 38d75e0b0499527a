"""What the TOC rules share: each entry paired with the heading it links to."""

from __future__ import annotations

from collections.abc import Sequence

from formalai_lint.document import Document, Heading, TocEntry
from formalai_lint.links import suggest_anchor


def matched_entries(doc: Document, guess: bool = False) -> list[tuple[TocEntry, Heading]]:
    """Each entry with the heading it links to. With `guess`, an entry whose fragment matches
    no id is paired with the heading of its one did-you-mean (FL102's), when there is one."""
    if doc.toc is None:
        return []
    by_anchor = {h.anchor: h for h in doc.headings}
    anchors = frozenset(by_anchor)  # indexed once by suggest_anchor
    result = []
    for entry in doc.toc.entries:
        anchor = entry.fragment
        if guess and anchor not in by_anchor:
            anchor = suggest_anchor(anchor, anchors)
        if anchor in by_anchor:
            result.append((entry, by_anchor[anchor]))
    return result


def squashed(text: str) -> str:
    """`text` without white space: `AI 意识` and `AI意识` name the same heading."""
    return "".join(text.split())


def first_part(title: str) -> str:
    """The first part of a bilingual title in the corpus's `中文 / English / Deutsch` style."""
    return title.split(" / ", 1)[0].strip()


def same_title(text: str, title: str) -> bool:
    """Whether link text names a heading or title: white space ignored, and a bilingual title
    may be named by its first part alone."""
    return squashed(text) in (squashed(title), squashed(first_part(title)))


def did_you_mean(suggestion: str | None) -> str:
    return f" (did you mean `{suggestion}`?)" if suggestion else ""


def tree_depths(headings: Sequence[Heading]) -> list[int]:
    """How deep each heading sits in a TOC listing exactly these headings, in order.

    A heading is one level deeper than the nearest heading above it of a higher level (`#`
    is higher than `##`); a skipped level (`#` then `###`) does not add depth, since a
    Markdown list cannot nest an item two levels below its parent.
    """
    depths, stack = [], []
    for heading in headings:
        while stack and stack[-1] >= heading.level:
            stack.pop()
        depths.append(len(stack))
        stack.append(heading.level)
    return depths
