"""A baseline: today's diagnostics recorded in a file, so that only new ones fail a run.

An entry is matched by path (relative to the project root), rule code, the offending text
(the diagnostic's message when a rule records no text) and a short hash of the offending line
(its text, surrounding spaces stripped) — never by line number, so editing elsewhere in a file
does not bring old findings back, while a finding whose line was rewritten, or a new file at
the path of a deleted one, is covered only where it repeats an accepted line word for word.
Matching counts: two identical broken links in a file need two entries. The file is JSON,
sorted, one entry per diagnostic, so that it diffs well in review:

    {"formalai-lint-baseline": 1, "entries": [{"path": ..., "code": ..., "text": ...,
                                               "line-hash": ..., "message": ...}]}

`message` is there for the reader; it is not matched. An entry without `line-hash` (written by an
older version) matches on path, code and text alone; writing the baseline again adds it.
Entries of files that no longer exist are stale: counted as such, and dropped by writing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from formalai_lint import safeio, source
from formalai_lint.config import ConfigError, Settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.safeio import printable

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # a larger baseline file is refused, not read
MARKER = "formalai-lint-baseline"

Key = tuple[str, str, str]  # (path, code, text)
LineHashes = Mapping[tuple[str, int], str]  # (path, line) -> hash of that line
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the document model counts lines


def key(d: Diagnostic) -> Key:
    """A file name that is not UTF-8 is recorded as `safeio.printable` shows it."""
    return (printable(d.path), d.code, printable(d.text or d.message))


def line_hashes(
    settings: Settings, diagnostics: Iterable[Diagnostic]
) -> dict[tuple[str, int], str]:
    """The hash of each diagnostic's line, each file read once (a file that cannot be read
    has empty lines: its FL001/FL003 entries match while it stays unreadable)."""
    wanted: dict[str, set[int]] = {}
    for d in diagnostics:
        wanted.setdefault(d.path, set()).add(d.line)
    hashes = {}
    for path, numbers in wanted.items():
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size)
            lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
        except source.UnreadableError:
            lines = []
        for n in numbers:
            line = lines[n - 1].strip() if 0 < n <= len(lines) else ""
            data = line.encode("utf-8", "surrogatepass")
            hashes[(path, n)] = hashlib.sha256(data).hexdigest()[:16]
    return hashes


@dataclass(frozen=True)
class Outcome:
    new: list[Diagnostic]  # not in the baseline: these are reported
    matched: int  # diagnostics the baseline accounts for
    stale: int  # baseline entries (of the checked files, or of deleted ones) that no longer occur
    gone: tuple[Key, ...] = ()  # those entries: (path, code, text), one per entry


def load(path: Path, root: Path | None = None) -> list[dict[str, str]]:
    """The entries of a baseline file; ConfigError when it is missing or not a baseline.
    It is read by `safeio`: a regular file of at most MAX_BYTES, never a symlink, and, when
    its path is inside the project `root` as written, really inside it."""
    if not path.exists() and not path.is_symlink():
        raise ConfigError(
            f"baseline file `{path}` does not exist (create it with --write-baseline {path})"
        )
    inside = root if root is not None and safeio.lexically_inside(root, path) else None
    try:
        raw = safeio.read_bytes(path, inside, MAX_BYTES, follow=False)
        data = json.loads(raw.decode("utf-8"))
    except (safeio.UnreadableError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read baseline file `{path}`: {e}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"baseline file `{path}` is not valid JSON: {e}") from None
    except RecursionError:  # e.g. 100,000 nested `[`: no baseline nests like that
        raise ConfigError(f"baseline file `{path}` nests too deeply to be a baseline") from None
    marker = data.get(MARKER) if isinstance(data, dict) else None
    if type(marker) is not int or marker != VERSION:  # not `true`, not `1.0`
        raise ConfigError(
            f"`{path}` is not a formalai-lint baseline (expected a JSON object with "
            f'"{MARKER}": {VERSION}; write one with --write-baseline)'
        )
    entries = data.get("entries")
    fields = ("path", "code", "text")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict)
        and all(isinstance(e.get(f), str) for f in fields)
        and isinstance(e.get("line-hash", ""), str)
        for e in entries
    ):
        raise ConfigError(
            f"baseline file `{path}`: `entries` must be a list of objects with string "
            "`path`, `code`, `text` (and `line-hash`)"
        )
    return entries


def compare(
    diagnostics: Sequence[Diagnostic],
    entries: Iterable[dict[str, str]],
    checked: Collection[str],
    files: Collection[str],
    hashes: LineHashes,
) -> Outcome:
    """Split the diagnostics into new ones and ones the baseline accounts for. Entries of the
    files checked in this run count as stale (a pre-commit run sees a few files), and so do
    entries of files that are not in the project's `files` any more."""
    entries = list(entries)
    exact: Counter[tuple[str, str, str, str]] = Counter()
    legacy: Counter[Key] = Counter()  # entries without a line hash
    for e in entries:
        if "line-hash" in e:
            exact[(e["path"], e["code"], e["text"], e["line-hash"])] += 1
        else:
            legacy[(e["path"], e["code"], e["text"])] += 1
    new: list[Diagnostic] = []
    for d in sorted(diagnostics):
        k = key(d)
        full = (*k, hashes.get((d.path, d.line), ""))
        if exact[full] > 0:
            exact[full] -= 1
        elif legacy[k] > 0:
            legacy[k] -= 1
        else:
            new.append(d)
    present = {printable(p) for p in files}
    counted = {printable(p) for p in checked} | ({e["path"] for e in entries} - present)
    gone = tuple(
        (k[0], k[1], k[2])
        for k, n in [*exact.items(), *legacy.items()]
        if n > 0 and k[0] in counted
        for _ in range(n)
    )
    return Outcome(new, len(diagnostics) - len(new), len(gone), gone)


def write(
    path: Path,
    diagnostics: Iterable[Diagnostic],
    checked: Collection[str],
    files: Collection[str],
    hashes: LineHashes,
    root: Path | None = None,
) -> int:
    """Record `diagnostics`; entries of an existing baseline for files not checked in this run
    are kept, so that writing from a partial run does not forget the rest, unless their file is
    not among the project's `files` any more. Returns the count."""
    if path.is_symlink():
        raise ConfigError(
            f"cannot write baseline file `{path}`: it is a symbolic link (not written through)"
        )
    checked = {printable(p) for p in checked}
    present = {printable(p) for p in files}
    kept: list[dict[str, str]] = []
    if path.exists():  # a file that is not a baseline is never overwritten
        try:
            kept = [
                e for e in load(path, root) if e["path"] not in checked and e["path"] in present
            ]
        except ConfigError as e:
            raise ConfigError(f"refusing to overwrite `{path}`: {e}") from None
    entries = kept + [
        {
            "path": key(d)[0],
            "code": d.code,
            "text": key(d)[2],
            "line-hash": hashes.get((d.path, d.line), ""),
            "message": printable(d.message),
        }
        for d in diagnostics
    ]
    entries.sort(
        key=lambda e: (
            e["path"],
            e["code"],
            e["text"],
            e.get("line-hash", ""),
            e.get("message", ""),
        )
    )
    document = {MARKER: VERSION, "entries": entries}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    try:
        safeio.write_named(path, text.encode("utf-8"), root or Path.cwd())
    except OSError as e:
        raise ConfigError(f"cannot write baseline file `{path}`: {e.strerror or e}") from None
    return len(entries)
