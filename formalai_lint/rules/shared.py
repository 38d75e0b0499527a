"""What more than one rule family uses: the wording of a did-you-mean, how a title is
compared, how a fix writes a link destination. A family's own view of a document stays in
the family (`toc/_view.py`, ...); anything a second family needs moves here."""

from __future__ import annotations

from urllib.parse import quote

# What a link destination cannot hold as it is in a path (`%` too, in a fragment or alone).
DESTINATION_UNSAFE = frozenset(" ()<>\\")


def did_you_mean(suggestion: str | None, candidates: int = 1) -> str:
    """A message's ` (did you mean …?)`, saying when it is the nearest of several files."""
    if not suggestion:
        return ""
    if candidates > 1:
        return f" (did you mean `{suggestion}`? the nearest of {candidates} files of that name)"
    return f" (did you mean `{suggestion}`?)"


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


def encoded(text: str, unsafe: frozenset[str] = DESTINATION_UNSAFE | {"%"}) -> str:
    """A decoded path or fragment written so that a link destination reads it back."""
    return "".join(quote(c) if c in unsafe or c.isspace() else c for c in text)
