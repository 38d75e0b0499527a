"""Reading a document's bytes and decoding them: the only place that touches file contents.

`read` opens a file only when its real path (symlinks resolved) lies inside the project root,
only when it is a regular file (never a FIFO or a device, which could block or never end),
and only up to `max_bytes`. Every refusal is an `UnreadableError` whose message says why;
the engine turns it into FL001 (or FL003 for `TooLargeError`) and goes on with other files.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MiB; the `max-file-size` setting changes it


class UnreadableError(Exception):
    """The file cannot be read or decoded; the message says why.

    `reason` is the message without positions or sizes (stable, so a baseline can match it).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class TooLargeError(UnreadableError):
    """The file is larger than the configured `max-file-size`; it is skipped, not read."""


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


def read(path: Path, root: Path | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """The text of `path`; refused unless it is a regular file inside `root` (when given)."""
    if root is not None and not is_inside(
        Path(os.path.realpath(root)), Path(os.path.realpath(path))
    ):
        raise UnreadableError("symlink to a path outside the project root (not followed)")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise UnreadableError(_reason(path, e)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableError("not a regular file (a FIFO, socket or device)")
        if max_bytes is not None and info.st_size > max_bytes:
            message = f"{info.st_size} bytes, more than max-file-size = {max_bytes}"
            raise TooLargeError(message, "larger than max-file-size")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except OSError as e:
        raise UnreadableError(_reason(path, e)) from None
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we looked
        message = f"more than max-file-size = {max_bytes} bytes"
        raise TooLargeError(message, "larger than max-file-size")
    return decode(data)


def locate(path: Path) -> Path:
    """`path` made absolute with the symlinks of its folders resolved, but not the symlink a
    file may itself be: a symlinked file named on the command line stays inside the project,
    and `read` judges where it points (loops and links out of the root become FL001)."""
    path = Path(os.path.abspath(path))
    if path.is_dir():
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def is_inside(root: Path, path: Path) -> bool:
    """True when `path` is `root` or below it (both taken as they are: resolve them first)."""
    return path == root or root in path.parents


def _reason(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "broken symlink" if path.is_symlink() else "no such file"
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EISDIR:
        return "is a directory"
    return error.strerror or str(error)
