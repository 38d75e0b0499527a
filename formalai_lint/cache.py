"""The on-disk cache of phase-1 results: each document's facts and file diagnostics.

A warm run reads and hashes every document, and re-parses only those whose content changed;
project rules always run again, over the cached facts, so cross-file findings stay exact.

Layout: `.formalai-lint-cache/` in the project root (or `--cache-dir`) holds a `.gitignore`
(`*`), a `CACHEDIR.TAG`, and one file per *key* named `<key>.jsonl`. The key hashes
everything that changes results besides a document's own bytes: the tool's version and code,
the parser's installed files, the project root, every `Settings` field and the enabled rules. The
file's first line names the key; each further line is one document:

    <content hash> TAB <path as JSON> TAB <MAC> TAB <result as JSON>

The MAC is a BLAKE2b of the cache key and the rest of the line, keyed with a per-user
secret kept outside every project (`secret`): a line that is truncated, corrupted, copied
from another key's file (another config, another project), or written by anyone who does not
hold the secret (a cache committed to the repository, say) is ignored and its document parsed
again, so a cache never changes a result. Without a usable secret there is no cache. The
whole file is rewritten atomically (`safeio.write`) at the end of a run that changed it, and
every file of the cache is read only as a regular file, never through a symlink.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Collection
from dataclasses import fields
from pathlib import Path
from typing import Any

from formalai_lint import safeio
from formalai_lint._version import __version__
from formalai_lint.config import CACHE_DIR_NAME, Settings, plain
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.errors import CacheError
from formalai_lint.project import DocFacts
from formalai_lint.results import FileResult
from formalai_lint.rule import Rule
from formalai_lint.secret import secret, secret_file

DIR_NAME = CACHE_DIR_NAME
FORMAT = "formalai-lint-cache 2"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# formalai-lint cache; see formalai-lint --help\n"
)
KEEP_KEYS = 4  # cache files of other keys kept (e.g. a pre-commit run with other options)
SERIALISED_FIELDS = ("path", "facts", "diagnostics")  # of FileResult: extend both together
MAX_CACHE_BYTES = 1 << 30  # a larger cache file is not read (the run parses everything)


class CacheUnavailable(Exception):
    """The cache folder cannot be used; the run goes on without a cache."""


def cache_key(settings: Settings, rules: Collection[type[Rule]]) -> str:
    """A hash of everything besides a document's bytes that can change its phase-1 result."""
    parts = {
        "format": FORMAT,
        "version": __version__,
        "code": _code_fingerprint(tuple(rules)),
        "parser": _parser_fingerprint(),
        "root": str(settings.root),
        "settings": {
            f.name: plain(getattr(settings, f.name))
            for f in fields(settings)
            if f.name not in ("root", "config_file")
        },
        "rules": sorted(f"{r.__module__}.{r.__qualname__}" for r in rules),
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@functools.cache  # once per process: a pre-commit run opens the cache twice
def _code_fingerprint(rules: Collection[type[Rule]]) -> list[tuple[str, int, int]]:
    """Size and mtime of this package's modules and of every rule's module, so that an edit
    to the tool or to a plugin (even without a version bump) invalidates the cache. Taken
    once per process, like the code it describes, which is imported once."""
    files: set[str] = set()
    for folder, subfolders, names in os.walk(os.path.dirname(__file__)):  # os.walk: start-up
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files.update(os.path.join(folder, name) for name in names if name.endswith(".py"))
    for rule in rules:
        module = sys.modules.get(rule.__module__)
        file = getattr(module, "__file__", None)
        if file:
            files.add(str(Path(file)))
    return _stats(sorted(files))


@functools.cache
def _parser_fingerprint() -> list[tuple[str, int, int]]:
    """Where the parser's packages (markdown-it-py, mdit-py-plugins) are installed, with the
    size and mtime of their `__init__.py`, which holds the version: an upgrade or a reinstall
    rewrites it. Found without importing them, which a run whose documents are all cached
    never does (14–36 ms of its start-up)."""
    specs = (importlib.util.find_spec(name) for name in ("markdown_it", "mdit_py_plugins"))
    return _stats([spec.origin for spec in specs if spec and spec.origin])


def _stats(files: list[str]) -> list[tuple[str, int, int]]:
    """Each file that exists, with its size and mtime."""
    found = []
    for file in files:
        with contextlib.suppress(OSError):
            info = os.stat(file)
            found.append((file, info.st_size, info.st_mtime_ns))
    return found


def encode(result: FileResult) -> bytes:
    """One line of UTF-8 JSON (JSON escapes every control character, and no byte of a
    multi-byte UTF-8 sequence is a newline or a tab). A file name that is not UTF-8 (held as
    lone surrogates) makes it ASCII JSON, whose `\\udcNN` escapes decode to the same name."""
    data = {
        "path": result.path,
        "facts": None if result.facts is None else result.facts.to_json(),
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":")).encode()


def decode(body: bytes) -> FileResult:
    data = json.loads(body)
    facts = None if data["facts"] is None else DocFacts.from_json(data["facts"])
    return FileResult(data["path"], facts, [Diagnostic.from_json(d) for d in data["diagnostics"]])


def check_dir(directory: Path) -> None:
    """Refuse a folder that exists and holds something other than a formalai-lint cache:
    `--cache-dir docs` must not litter (or prune) a folder of the user's."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise CacheError(f"--cache-dir: `{directory}` is not a folder")
    if directory.is_dir() and not (directory / "CACHEDIR.TAG").is_file():
        with contextlib.suppress(OSError):
            if any(directory.iterdir()):
                raise CacheError(
                    f"--cache-dir: `{directory}` is not empty and is not a formalai-lint cache"
                    " (it has no CACHEDIR.TAG); give an empty or new folder"
                )


class Cache:
    """The entries of one key: path -> (content hash, MAC, result), decoded on demand."""

    def __init__(self, directory: Path, key: str, mac_key: bytes) -> None:
        self.directory = directory
        self.key = key
        self.file = directory / f"{key}.jsonl"
        self._header = json.dumps({"format": FORMAT, "key": key}).encode()
        self._mac_key = mac_key
        self._entries: dict[str, tuple[str, str, bytes]] = {}
        self._dirty = False

    @classmethod
    def open(cls, directory: Path, key: str, root: Path | None = None) -> Cache:
        """Create the folder if needed and load the key's file; CacheUnavailable if the
        folder cannot be written (a read-only project: its mode forbids writing, even to root),
        if it leads out of the project `root` through a symlink while named inside it, or
        if there is no secret to key its MACs with."""
        mac_key = secret()
        if mac_key is None:
            raise CacheUnavailable(f"no private secret for the cache ({secret_file()})")
        try:
            if directory.is_symlink():
                raise CacheUnavailable(f"`{directory}` is a symlink")
            if root is not None and safeio.lexically_inside(root, directory):
                existing = next(p for p in (directory, *directory.parents) if p.exists())
                if not safeio.really_inside(root, existing):
                    raise CacheUnavailable(f"`{directory}` leads out of the project root")
            existing = next(p for p in (directory, *directory.parents) if p.exists())
            if not safeio.writable_folder(existing):
                raise CacheUnavailable(f"`{existing}` is read-only")
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", TAG)):
                if not (directory / name).is_file():
                    safeio.write(directory / name, text.encode(), directory)
        except OSError as e:
            raise CacheUnavailable(f"cannot use `{directory}`: {e.strerror or e}") from None
        cache = cls(directory, key, mac_key)
        cache._load()
        return cache

    def _load(self) -> None:
        """Read the entries line by line (bodies stay undecoded bytes until asked for)."""
        try:
            with safeio.open_regular(self.file, None, MAX_CACHE_BYTES, follow=False) as f:
                if f.readline().rstrip(b"\n") != self._header:
                    self._dirty = True  # another format: rewritten on save
                    return
                for line in f:
                    self._add(line.rstrip(b"\n"))
        except (OSError, safeio.UnreadableError):
            self._dirty = True
            return

    def _add(self, line: bytes) -> None:
        parts = line.split(b"\t", 3)
        try:
            digest, path_json, mac = (part.decode("ascii") for part in parts[:3])
            path = json.loads(path_json)
        except (ValueError, UnicodeDecodeError):
            self._dirty = True
            return
        if len(parts) == 4 and isinstance(path, str):
            self._entries[path] = (digest, mac, parts[3])
        else:
            self._dirty = True

    def _mac(self, path: str, digest: str, body: bytes) -> str:
        name = path.encode("utf-8", "surrogateescape")
        message = b"\0".join((self.key.encode(), name, digest.encode(), body))
        return hashlib.blake2b(message, key=self._mac_key, digest_size=16).hexdigest()

    def get(self, path: str, digest: str) -> FileResult | None:
        """The cached result of `path` if its content hash is `digest` and the entry is sound."""
        entry = self._entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        _, mac, body = entry
        result = None
        if mac == self._mac(path, digest, body):  # integrity, not secrecy: == is fine
            with contextlib.suppress(Exception):  # malformed in any way: parse the file again
                result = decode(body)
        if result is None or not _belongs_to(result, path):
            del self._entries[path]
            self._dirty = True
            return None
        return result

    def body(self, path: str, digest: str) -> bytes | None:
        """The cached result of `path` still encoded (as `encode` wrote it), if its content
        hash is `digest` and its MAC is sound: a screen can search it without decoding it."""
        entry = self._entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        _, mac, body = entry
        return body if mac == self._mac(path, digest, body) else None

    def put(self, path: str, digest: str, body: bytes) -> None:
        """Store `body`, a result as `encode` wrote it, for `path` with content hash `digest`."""
        self._entries[path] = (digest, self._mac(path, digest, body), body)
        self._dirty = True

    def save(self, keep: Collection[str]) -> None:
        """Write the file if anything changed, dropping entries of files not in `keep`
        (deleted or renamed documents). Errors are ignored: the cache is only an aid."""
        stale = [path for path in self._entries if path not in keep]
        for path in stale:
            del self._entries[path]
        if not (self._dirty or stale):
            return

        def lines(f: Any) -> None:  # line by line: no second copy of every body
            f.write(self._header + b"\n")
            for path in sorted(self._entries):
                digest, mac, body = self._entries[path]
                f.write(f"{digest}\t{json.dumps(path)}\t{mac}\t".encode() + body + b"\n")

        try:
            safeio.write(self.file, lines, self.directory)
        except OSError:
            return
        self._dirty = False
        with contextlib.suppress(OSError):
            self._prune()

    def _prune(self) -> None:
        """Keep the files of the few most recently used keys; drop stale temporary files."""
        now = time.time()
        others = []
        for file in self.directory.iterdir():
            with contextlib.suppress(OSError):
                if file.name.endswith(".tmp") and now - file.stat().st_mtime > 3600:
                    file.unlink()
                elif file.suffix == ".jsonl" and file != self.file:
                    others.append((file.stat().st_mtime, file))
        for _, file in sorted(others, reverse=True)[KEEP_KEYS - 1 :]:
            with contextlib.suppress(OSError):
                file.unlink()


def _belongs_to(result: FileResult, path: str) -> bool:
    return (
        result.path == path
        and (result.facts is None or result.facts.path == path)
        and all(d.path == path for d in result.diagnostics)
    )
