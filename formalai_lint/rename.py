"""Project-wide heading rename: new heading texts in, edits for every file out.

Renaming a heading changes its anchor, and may change the `-N` ids of the headings of the
same text after it. `rename_headings` works out every id that changes by parsing the
document once more with the new heading texts and pairing old and new headings in order
(a rename keeps the number and levels of the headings, else it is refused). Every link to a
changed id is then rewritten: in the document itself (TOC entries, related-topics lists, any
`#frag` or `./self.md#frag`) and in every other document whose facts hold a link into it
(`file.md#frag`, a folder's README). Links are found through the documents' facts, so only
the documents that do link into the renamed one are parsed.

Only a link's destination changes, as written (its path part, angle brackets and percent
encoding kept); its text stays. A reference-style link (`[x][ref]`) whose definition holds
the fragment is not rewritten; it is counted in `missed`. A fragment that is also the id of
an HTML anchor (`<a id=…>`) of the document is left alone: the link may mean the anchor.

Everything here is pure: the caller gives the documents' facts and a function that parses a
document by path (from disk, from an editor's buffer, from the cache).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from formalai_lint.document import Document, Link, ParseOptions
from formalai_lint.fixes.edits import Edit, EditError, SourceBytes
from formalai_lint.fixes.headings import RenameError, heading_span
from formalai_lint.links import reaches, target_of
from formalai_lint.project import DocFacts
from formalai_lint.rules.links.fix import destination_span, text_position
from formalai_lint.rules.shared import encoded

__all__ = [
    "RenameError",
    "Renamed",
    "apply",
    "apply_to_text",
    "new_destination",
    "rename_heading",
    "rename_headings",
    "target_of",
]


@dataclass
class Renamed:
    """What a rename changes: edits per file (in each document's own coordinates)."""

    edits: dict[str, list[Edit]] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # old id -> new id, of the target
    links: int = 0  # links rewritten, in every file
    missed: list[tuple[str, int, int]] = field(default_factory=list)  # (path, line, column)

    def add(self, path: str, edit: Edit) -> None:
        self.edits.setdefault(path, []).append(edit)


def apply_to_text(text: str, edits: list[Edit]) -> str:
    """`text` (a document's normalised text) with the edits applied."""
    return SourceBytes.of(text.encode("utf-8")).apply(edits).decode("utf-8")


def new_destination(link: Link, anchor: str) -> str:
    """The link's destination as written, with its fragment replaced by `anchor`."""
    raw = link.target
    bracketed = raw.startswith("<") and raw.endswith(">")
    inner = raw[1:-1] if bracketed else raw
    before, _, old = inner.partition("#")
    fragment = quote(anchor, safe="-_.~") if "%" in old else encoded(anchor)
    new = f"{before}#{fragment}"
    return f"<{new.replace('>', '%3E')}>" if bracketed else new


def _link_edits(
    doc: Document,
    target: str,
    anchors: Mapping[str, str],
    skip_lines: frozenset[int],
    result: Renamed,
) -> None:
    """Edits of `doc`'s links that lead to a changed anchor of the document `target`."""
    for link in doc.links:
        if link.external or link.fragment not in anchors or link.line in skip_lines:
            continue
        if not reaches(doc.path, link, target):
            continue
        span = destination_span(doc, link)
        if span is None:
            result.missed.append((doc.path, link.line, link.column))
            continue
        assert link.fragment is not None
        (line, column), (end_line, end_column) = (
            text_position(doc, span[0]),
            text_position(doc, span[1]),
        )
        new = new_destination(link, anchors[link.fragment])
        result.add(doc.path, Edit(line, column, end_line, end_column, new))
        result.links += 1


def rename_headings(
    doc: Document,
    texts: Mapping[int, str],
    facts: Mapping[str, DocFacts],
    load: Callable[[str], Document | None],
    options: ParseOptions | None = None,
) -> Renamed:
    """Rename the headings of `doc` on the lines of `texts` to those source texts, and
    rewrite every link to an id that changes, in `doc` and in the documents of `facts`
    (`load(path)` parses one of them; None when it cannot be read: its links are missed)."""
    by_line = {h.line: h for h in doc.headings}
    result = Renamed()
    for line, text in sorted(texts.items()):
        heading = by_line.get(line)
        if heading is None:
            raise RenameError(f"no heading on line {line}")
        if "\n" in text or "\r" in text:
            raise RenameError("a heading is one line of text")
        start, end = heading_span(doc, heading)
        result.add(doc.path, Edit(line, start, line, end, text))
    new_doc = Document(doc.path, apply_to_text(doc.text, result.edits.get(doc.path, [])), options)
    old, new = doc.headings, new_doc.headings
    if len(old) != len(new) or any(a.level != b.level for a, b in zip(old, new, strict=True)):
        raise RenameError("the new text would not keep the headings as they are")
    html_ids = {a.id for a in doc.html_anchors}
    result.anchors = {
        a.anchor: b.anchor
        for a, b in zip(old, new, strict=True)
        if a.anchor != b.anchor and a.anchor not in html_ids
    }
    if not result.anchors:
        return result
    _link_edits(doc, doc.path, result.anchors, frozenset(texts), result)
    for path in sorted(facts):
        if path == doc.path:
            continue
        if not any(
            link.fragment in result.anchors and reaches(path, link, doc.path)
            for link in facts[path].links
        ):
            continue
        other = load(path)
        if other is None:
            result.missed.extend(
                (path, link.line, link.column)
                for link in facts[path].links
                if link.fragment in result.anchors and reaches(path, link, doc.path)
            )
            continue
        _link_edits(other, doc.path, result.anchors, frozenset(), result)
    return result


def rename_heading(
    doc: Document,
    line: int,
    text: str,
    facts: Mapping[str, DocFacts],
    load: Callable[[str], Document | None],
    options: ParseOptions | None = None,
) -> Renamed:
    """Rename the one heading on `line` (see `rename_headings`)."""
    return rename_headings(doc, {line: text}, facts, load, options)


def apply(doc_text: str, edits: list[Edit]) -> str:
    """A document's text with a rename's edits applied (raises RenameError if they overlap)."""
    try:
        return apply_to_text(doc_text, edits)
    except EditError as e:
        raise RenameError(str(e)) from e
