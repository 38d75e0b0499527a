"""Edits on a document's coordinates, applied to the file's original bytes.

The document model numbers lines of a text whose BOM was dropped and whose line endings were
normalised to `\\n`. An `Edit` names a range in those coordinates (1-based line and column,
columns in characters). `SourceBytes` keeps the file's bytes as read; applying edits maps
each range back to byte offsets in them and splices in the new text, encoded as the file is
and with its line breaks written as the file's own line ending at that place. Every byte
outside the edited ranges is copied, never decoded and re-encoded.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

from formalai_lint import lazyre, source

_LINE_BREAK = lazyre.compile(r"\r\n|\r|\n")


class EditError(Exception):
    """The edits cannot be applied (they overlap, or fall outside the text)."""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the characters from (start_line, start_column) up to, not including,
    (end_line, end_column) with `text`, whose line breaks are written as `\\n`."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class SourceBytes:
    """A file's bytes, how they decode, and where each line starts in the decoded text."""

    data: bytes
    codec: str  # "utf-8", "utf-16-le" or "utf-16-be"
    bom: int  # bytes of byte-order mark at the start
    text: str  # the decoded text after the BOM, line endings as in the file

    @classmethod
    def of(cls, data: bytes) -> SourceBytes:
        """Decode exactly as `source.decode` does; raise `source.UnreadableError` if it fails."""
        decoded = source.decode(data)
        if data.startswith(codecs.BOM_UTF16_LE):
            codec, bom = "utf-16-le", 2
        elif data.startswith(codecs.BOM_UTF16_BE):
            codec, bom = "utf-16-be", 2
        elif data.startswith(codecs.BOM_UTF8):
            codec, bom = "utf-8", 3
        else:
            codec, bom = "utf-8", 0
        text = data[bom:].decode(codec)
        if text != decoded:  # `source` decoded it some other way: we cannot map offsets
            raise source.UnreadableError("decoded differently than expected; not edited")
        return cls(data, codec, bom, text)

    def _line_spans(self) -> list[tuple[int, int, str]]:
        """(start, end of content, line ending) of each line, in characters of `text`."""
        spans, start = [], 0
        for match in _LINE_BREAK.finditer(self.text):
            spans.append((start, match.start(), match[0]))
            start = match.end()
        spans.append((start, len(self.text), ""))
        return spans

    def offset(self, spans: list[tuple[int, int, str]], line: int, column: int) -> int:
        """Character offset in `text` of a (line, column) of the document model."""
        if not 1 <= line <= len(spans):
            raise EditError(f"line {line} is outside the file")
        start, end, _ = spans[line - 1]
        if line == 1 and self.text.startswith("\ufeff"):
            start += 1  # the model also drops a BOM left in the decoded text
        position = start + column - 1
        if not start <= position <= end:
            raise EditError(f"column {column} is outside line {line}")
        return position

    def line_ending(self, spans: list[tuple[int, int, str]], line: int) -> str:
        """The line ending of `line`, or the nearest one before it (the file's last line has none)."""
        for _, _, ending in reversed(spans[:line]):
            if ending:
                return ending
        return next((ending for _, _, ending in spans if ending), "\n")

    def apply(self, edits: Sequence[Edit]) -> bytes:
        """The file's bytes with the edits applied; bytes outside them are copied as they are."""
        spans = self._line_spans()
        placed: list[tuple[int, int, str]] = []  # (start, end, new text), in order
        for edit in sorted(edits):
            start = self.offset(spans, edit.start_line, edit.start_column)
            end = self.offset(spans, edit.end_line, edit.end_column)
            if end < start or (placed and start < placed[-1][1]):
                raise EditError("edits overlap")
            new = edit.text.replace("\n", self.line_ending(spans, edit.start_line))
            placed.append((start, end, new))
        out, cursor = [], 0
        chars, position = 0, self.bom  # a character offset of `text` and its byte offset
        for start, end, new in placed:  # in order: each span is encoded once
            byte_start = position + len(self.text[chars:start].encode(self.codec))
            byte_end = byte_start + len(self.text[start:end].encode(self.codec))
            chars, position = end, byte_end
            out.append(self.data[cursor:byte_start])
            out.append(new.encode(self.codec))
            cursor = byte_end
        out.append(self.data[cursor:])
        return b"".join(out)
