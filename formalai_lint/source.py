"""Reading a document's bytes and decoding them: the only place that touches file contents."""

from __future__ import annotations

import codecs
from pathlib import Path


class UnreadableError(Exception):
    """The file cannot be read or decoded; the message says why."""


def decode(data: bytes) -> str:
    """Decode a Markdown file: UTF-8 (a BOM is dropped), or UTF-16 when it starts with its BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UnreadableError(f"invalid UTF-16 at byte {e.start}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableError(f"not UTF-8 at byte {e.start}") from None


def read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableError("is a directory") from None
    except PermissionError:
        raise UnreadableError("permission denied") from None
    except FileNotFoundError:
        raise UnreadableError("no such file (a broken symlink?)") from None
    except OSError as e:
        raise UnreadableError(e.strerror or str(e)) from None
    return decode(data)
