"""This user's secret: the key that authenticates what the tool keeps between runs (the
cache's entries, the note that a config file is valid), kept outside every project so that no
repository can forge it."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path

from formalai_lint import safeio

SECRET_BYTES = 32


def secret_file() -> Path | None:
    """Where this user's cache secret is kept: `$XDG_CACHE_HOME/formalai-lint/secret`, else
    `~/.cache/formalai-lint/secret`; outside every project, so no repository can plant it."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "formalai-lint" / "secret"


def secret() -> bytes | None:
    """This user's secret key for the cache's MACs, made on first use: 32 random bytes in a
    file of mode 0600 in a folder that only this user can write. None (no cache) when that
    cannot be had: no home folder, a folder others can write, a read-only file system."""
    file = secret_file()
    return None if file is None else _secret(file)


@functools.cache  # once per process and file
def _secret(file: Path) -> bytes | None:
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = os.lstat(file.parent)
        if not stat.S_ISDIR(folder.st_mode) or folder.st_mode & 0o022:
            return None
        if uid is not None and folder.st_uid != uid:
            return None
        for _ in range(2):
            with contextlib.suppress(safeio.UnreadableError):
                with safeio.open_regular(file, max_bytes=SECRET_BYTES, follow=False) as f:
                    info = os.fstat(f.fileno())
                    data = f.read()
                mine = uid is None or info.st_uid == uid
                if len(data) == SECRET_BYTES and not info.st_mode & 0o077 and mine:
                    return data
            safeio.write(file, os.urandom(SECRET_BYTES), mode=0o600)
    except OSError:
        return None
    return None
