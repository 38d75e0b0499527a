"""The unsafe fixes for FL201, FL202, FL203 and FL301: retarget a broken link.

A broken link is retargeted to the diagnostic's did-you-mean, and only then: a file of the
same name elsewhere in the project sharing the longest tail of path parts with the wanted
one, or an anchor of the target that differs only by dashes, case or numbering. The
suggestion functions give no answer when two candidates tie, so neither does the fix.

It is unsafe because it is a guess: the one candidate is very likely, not proven, right.
Only the link's destination is replaced; its text, title and everything around it stay.
"""

from __future__ import annotations

from bisect import bisect_right

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document, Link
from formalai_lint.fixes.edits import Edit
from formalai_lint.links import Status, resolve, suggest_anchor
from formalai_lint.rule import Project
from formalai_lint.rules.shared import DESTINATION_UNSAFE, encoded


def suggestion(doc: Document, link: Link, project: Project | None) -> str | None:
    """The new destination, written as it goes in the source, or None without one clear candidate."""
    if not link.path:
        if link.fragment is None:
            return None
        hint = suggest_anchor(link.fragment, doc.anchors)
        return "#" + encoded(hint) if hint else None
    if project is None:
        return None
    found = resolve(project, doc.path, link)
    if found.suggestion is None or found.candidates != 1:
        return None  # only a unique candidate is retargeted to
    path, hash_, fragment = found.suggestion.partition("#")
    if found.status is Status.MISSING_FILE:  # a path written for a link, a decoded fragment
        return encoded(path, DESTINATION_UNSAFE) + hash_ + encoded(fragment)
    if found.status is Status.MISSING_FRAGMENT:  # the path part is the link's own, as written
        return path + hash_ + encoded(fragment)
    return None


def _destination_span(doc: Document, link: Link) -> tuple[int, int] | None:
    """Start and end offsets in `doc.text` of the link's destination as written."""
    start = doc.memo(_line_starts)[link.line - 1] + link.column - 1
    raw = link.target
    if not raw or not doc.text.startswith(("[", "!["), start):
        return None
    at = doc.text.find(raw, start)
    if at < 0 or "\n\n" in doc.text[start:at]:
        return None
    before = doc.text[start:at].rstrip(" \t\n")
    if not before.endswith("]("):
        return None  # a reference link, or the target text also occurs in the label
    return at, at + len(raw)


def _line_starts(doc: Document) -> tuple[int, ...]:
    """Offset in `doc.text` of each line's first character (`doc.memo(_line_starts)`)."""
    starts, offset = [], 0
    for line in doc.lines:
        starts.append(offset)
        offset += len(line) + 1
    return tuple(starts)


def _position(doc: Document, offset: int) -> tuple[int, int]:
    starts = doc.memo(_line_starts)
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def link_edits(
    doc: Document, diagnostics: list[Diagnostic], project: Project | None
) -> list[tuple[Edit, Diagnostic]]:
    """An edit for each link diagnostic of `doc` with one clear new destination (the caller
    passes the diagnostics of the rules that declare `Fix.UNSAFE`)."""
    by_place = {(link.line, link.column, link.target): link for link in doc.links}
    result = []
    for diag in diagnostics:
        link = by_place.get((diag.line, diag.column, diag.text))
        if link is None:
            continue
        new = suggestion(doc, link, project)
        span = _destination_span(doc, link)
        if new is None or span is None:
            continue
        if link.target.startswith("<") and link.target.endswith(">"):
            new = f"<{new.removeprefix('<').replace('>', '')}>"
        (line, column), (end_line, end_column) = _position(doc, span[0]), _position(doc, span[1])
        result.append((Edit(line, column, end_line, end_column, new), diag))
    return result
