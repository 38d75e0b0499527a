"""Reading a document's bytes and decoding them: the only place that touches file contents.

`read` opens a file only when its real path (symlinks resolved) lies inside the project root,
only when it is a regular file (never a FIFO or a device, which could block or never end),
and only up to `max_bytes`. Every refusal is an `UnreadableError` whose message says why;
the engine turns it into FL001 (or FL003 for `TooLargeError`) and goes on with other files.
It returns the text with the bytes it was decoded from (what `--fix` edits) and their
digest (what the cache keys a result with), so that no caller reads the file again.
`digest` hashes a file's bytes without decoding them: the cache's look-up.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path
from typing import NamedTuple

from formalai_lint.safeio import (
    TooLargeError,
    UnreadableError,
    is_inside,
    open_regular,
    read_bytes,
)

__all__ = [
    "Contents",
    "TooLargeError",
    "UnreadableError",
    "decode",
    "digest",
    "is_inside",
    "locate",
    "read",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MiB; the `max-file-size` setting changes it


def decode(data: bytes) -> str:
    """Decode a Markdown file: UTF-8 (a BOM is dropped), or UTF-16 when it starts with its BOM.

    A NUL byte marks a binary file (git decides the same way): it is refused, not half-read.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UnreadableError(f"invalid UTF-16 at byte {e.start}", "invalid UTF-16") from None
        nul = text.find("\0")
        if nul >= 0:
            line = _line_number(text[:nul])
            raise UnreadableError(f"binary data: NUL character on line {line}", "binary data")
        return text
    nul = data.find(b"\0")
    if nul >= 0:
        message = f"binary data: NUL byte at byte {nul}{_line_of(data, nul)}"
        raise UnreadableError(message, "binary data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        offset = e.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
        message = f"not UTF-8 at byte {offset}{_line_of(data, offset)}"
        raise UnreadableError(message, "not UTF-8") from None


def _line_of(data: bytes, offset: int) -> str:
    return f" (line {_line_number(data[:offset].decode('latin-1'))})"


def _line_number(before: str) -> int:
    """The line the text after `before` is on: CRLF, CR and LF each end a line, as in the
    document model."""
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


_SUBSTITUTES: dict[Path, str] = {}  # absolute path -> the text read instead of the file's


def substitute(path: Path | None, text: str = "") -> None:
    """From now on, in this process, `read(path)` gives `text` (a document given on stdin
    with `--stdin-filename path`: the rest of the project is read from disk); the document
    of an earlier call is forgotten. `None`: read every file from disk again."""
    _SUBSTITUTES.clear()
    if path is not None:
        _SUBSTITUTES[Path(os.path.abspath(path))] = text


class Contents(NamedTuple):
    """A file as read: its decoded text and the bytes it was decoded from."""

    text: str
    data: bytes

    @property
    def digest(self) -> str:
        """The digest of the bytes (as `digest` computes it for the file)."""
        return _hasher(self.data).hexdigest()


def read(
    path: Path,
    root: Path | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    *,
    follow: bool = True,
) -> Contents:
    """`path`'s text and bytes; refused unless it is a regular file inside `root` (when
    given) of at most `max_bytes`, and, with `follow` false, not a symlink."""
    if _SUBSTITUTES:
        text = _SUBSTITUTES.get(Path(os.path.abspath(path)))
        if text is not None:
            return Contents(text, text.encode("utf-8", "surrogateescape"))
    data = read_bytes(path, root, max_bytes, follow)
    return Contents(decode(data), data)


def digest(path: Path, max_bytes: int | None = None, root: Path | None = None) -> str | None:
    """The digest of a regular file's bytes (never decoded), or None when it is not one (a
    symlink, a folder, a FIFO, unreadable, outside `root`) or is larger than `max_bytes`:
    such files are never cached (`read` decides what becomes of them)."""
    try:
        hasher = _hasher()
        with open_regular(path, root, max_bytes, follow=False) as f:
            while chunk := f.read(1 << 20):
                hasher.update(chunk)
    except (OSError, UnreadableError):
        return None
    return hasher.hexdigest()


def _hasher(data: bytes = b"") -> hashlib.blake2b:
    return hashlib.blake2b(data, digest_size=16)


def locate(path: Path) -> Path:
    """`path` made absolute and normalised as text; no symlink in it is resolved. The project
    root and its config are found from the path as it is written, so a symlinked folder named
    on the command line (`linkdir/x.md`, `linkdir -> ../elsewhere`) cannot move them out of
    the project; `read` then judges where each file really is (outside the root: FL001)."""
    return Path(os.path.abspath(path))
