"""What the TOC rules share: each entry paired with the heading it links to."""

from __future__ import annotations

from collections.abc import Sequence

from formalai_lint.document import Document, Heading, TocEntry


def matched_entries(doc: Document) -> list[tuple[TocEntry, Heading]]:
    if doc.toc is None:
        return []
    by_anchor = {h.anchor: h for h in doc.headings}
    return [(e, by_anchor[e.fragment]) for e in doc.toc.entries if e.fragment in by_anchor]


def same_title(text: str, title: str) -> bool:
    """Whether link text names a heading or title.

    White space is ignored (`AI 意识` = `AI意识`), and bilingual titles in the corpus's
    `中文 / English / Deutsch` style may be named by their first part alone.
    """
    text = "".join(text.split())
    return text in ("".join(title.split()), "".join(title.split(" / ")[0].split()))


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
