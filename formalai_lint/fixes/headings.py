"""Where a heading's text is written on its line: what a rename or a renumbering replaces."""

from __future__ import annotations

from formalai_lint import lazyre
from formalai_lint.document import Document, Heading

# An ATX heading's closing sequence: spaces, then `#`s, then spaces, at the end of the line.
_CLOSING = lazyre.compile(r"(?:[ \t]+#+)?[ \t]*$")


class RenameError(Exception):
    """A heading cannot be renamed; the message says why."""


def heading_span(doc: Document, heading: Heading) -> tuple[int, int]:
    """The columns (start, end: 1-based, end excluded) of a heading's source text on its line:
    after `## `, before an ATX closing sequence. A setext heading over several lines is not
    renamed (RenameError)."""
    if "\n" in heading.text:
        raise RenameError(f"the heading on line {heading.line} spans several lines")
    line = doc.lines[heading.line - 1]
    start = heading.column
    content = line[start - 1 :]
    atx = line[: start - 1].rstrip().endswith("#")
    end = start + len(_CLOSING.sub("", content) if atx else content.rstrip())
    return start, end


def heading_source(doc: Document, heading: Heading) -> str:
    start, end = heading_span(doc, heading)
    return doc.lines[heading.line - 1][start - 1 : end - 1]
