"""The one way the tool opens files for reading and creates or replaces files.

Reading (`open_regular`, `read_bytes`): a file is opened only when it is a regular file (never
a FIFO, a socket or a device, which could block or never end), only when its real path lies
inside `root` (when a root is given), never through a symlink when `follow` is false, and
never beyond `max_bytes`. Every refusal is an `UnreadableError` whose message says why.

Writing (`write`): the new bytes go to a temporary file created with `O_CREAT | O_EXCL |
O_NOFOLLOW` under an unpredictable name in the target's own folder, and are renamed over the
target in one step (a reader sees the old file or the new one, never half of one). A target
that is a symlink is refused (`UnsafeWrite`), as is one whose folder lies outside `root`
through a symlink; a rename replaces a directory entry and never writes through one, so a
symlink planted at the target or at a temporary name cannot redirect a write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class UnreadableError(Exception):
    """The file cannot be read or decoded; the message says why.

    `reason` is the message without positions or sizes (stable, so a baseline can match it).
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class TooLargeError(UnreadableError):
    """The file is larger than the allowed size; it is skipped, not read."""


class UnsafeWrite(OSError):
    """A write refused because it would go through a symlink or out of the root."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EPERM, message)


def is_inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """True when `path` is `root` or below it (both taken as they are: resolve them first).
    Compared as strings, which costs a tenth of walking `Path.parents`: a warm run asks this
    of every document."""
    top, below = os.path.normcase(root), os.path.normcase(path)
    return below == top or below.startswith(os.path.join(top, ""))


def really_inside(root: Path, path: Path) -> bool:
    """True when `path`, its symlinks resolved, is inside `root`, its symlinks resolved."""
    return is_inside(os.path.realpath(root), os.path.realpath(path))


def lexically_inside(root: Path, path: Path) -> bool:
    """True when `path`, made absolute and normalised as text, is inside `root` (the same)."""
    return is_inside(Path(os.path.abspath(root)), Path(os.path.abspath(path)))


def open_regular(
    path: Path, root: Path | None = None, max_bytes: int | None = None, follow: bool = True
) -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file inside `root` of at most
    `max_bytes`; a symlink is refused outright when `follow` is false."""
    if root is not None and not really_inside(root, path):
        raise UnreadableError("symlink to a path outside the project root (not followed)")
    flags = os.O_RDONLY | _NONBLOCK | _BINARY | _CLOEXEC | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if not follow and e.errno == errno.ELOOP:
            raise UnreadableError("is a symbolic link (not followed)") from None
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
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(
    path: Path, root: Path | None = None, max_bytes: int | None = None, follow: bool = True
) -> bytes:
    """The bytes of `path`, opened by `open_regular` (see there), read to at most `max_bytes`."""
    try:
        with open_regular(path, root, max_bytes, follow) as f:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except OSError as e:
        raise UnreadableError(_reason(path, e)) from None
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we looked
        message = f"more than max-file-size = {max_bytes} bytes"
        raise TooLargeError(message, "larger than max-file-size")
    return data


def write(
    target: Path,
    data: bytes | Callable[[BinaryIO], object],
    root: Path | None = None,
    *,
    like: os.stat_result | None = None,
    mode: int = 0o666,
    durable: bool = False,
    check: Callable[[], str | None] | None = None,
) -> None:
    """Create or replace `target` with `data`, atomically (see the module's docstring).

    `data`: the bytes, or a function that writes them to the file it is given (streaming).
    `root`: the folder `target` must stay in once its folders' symlinks are resolved.
    `like`: the stat of the file being replaced; its mode and owner are kept. Otherwise a new
    file gets `mode` less the umask.
    `durable`: fsync before the rename. `check`: called just before the rename; a message
    it returns cancels the write (raised as UnsafeWrite). Raises OSError (UnsafeWrite for
    a refusal); the temporary file never outlives a failure.
    """
    target = Path(os.path.abspath(target))
    if target.is_symlink():
        raise UnsafeWrite(f"`{target}` is a symbolic link (not written through)")
    folder = target.parent
    if root is not None and not really_inside(root, folder):
        raise UnsafeWrite(f"`{target}`: its folder leads outside `{root}` through a symlink")
    dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    temporary = None
    try:
        fd, temporary = _create_temporary(dir_fd, target.name, mode)
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            if like is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(like.st_mode))
                if (like.st_uid, like.st_gid) != _owner(handle.fileno()):
                    os.fchown(handle.fileno(), like.st_uid, like.st_gid)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        problem = check() if check is not None else None
        if problem:
            raise UnsafeWrite(problem)
        os.replace(temporary, target.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=dir_fd)
        os.close(dir_fd)


def write_named(path: Path, data: bytes, root: Path) -> None:
    """Write a file the user named (`--output-file`, `--write-baseline`), creating its folders.

    Inside the project `root` (as written), a path that is a symlink is refused, wherever it
    points (a symlink committed under the name a CI step writes would otherwise send the
    output anywhere), and so is one whose folders lead out of the root through a symlink; the
    file is replaced atomically. A path outside the project is the user's own choice: an
    existing symlink or special file there (`/dev/stdout`, `/dev/null`, a FIFO) is written
    through, never replaced; any other file is replaced atomically."""
    path = Path(os.path.abspath(path))
    if not lexically_inside(root, path):
        if path.is_symlink() or (path.exists() and not path.is_file()):
            with open(path, "wb") as f:  # the user's own device or link: written through
                f.write(data)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, data)
        return
    if path.is_symlink():
        raise UnsafeWrite(
            "it is a symbolic link (not written through; remove it or name another file)"
        )
    if not really_inside(root, path.parent):
        raise UnsafeWrite("its folder leads out of the project root through a symlink")
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, data, root)


def writable_folder(folder: Path) -> bool:
    """Writable, and not marked read-only by its mode (which root would otherwise ignore)."""
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & 0o222)


def _create_temporary(dir_fd: int, name: str, mode: int) -> tuple[int, str]:
    """A new file `.<name>.<random>.tmp` in the folder `dir_fd`, never an existing one or a
    symlink; `mode` less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        temporary = f".{name[:200]}.{os.urandom(8).hex()}.tmp"
        try:
            return os.open(temporary, flags, mode, dir_fd=dir_fd), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name")


def _owner(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_uid, info.st_gid


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


def printable(text: str) -> str:
    """`text` made encodable as UTF-8: the undecodable bytes of a file name (which Python
    holds as lone surrogates, U+DC80–U+DCFF) become `\\xNN`, any other lone surrogate
    `\\udNNN`. Text that is already valid is returned as it is."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
