"""A baseline: today's diagnostics recorded in a file, so that only new ones fail a run.

An entry is matched by path (relative to the project root), rule code, the offending text
(the diagnostic's message when a rule records no text) and a short hash of the offending line
(its text, surrounding spaces stripped) — never by line number, so editing elsewhere in a file
does not bring old findings back, while a finding whose line was rewritten, or a new file at
the path of a deleted one, is covered only where it repeats an accepted line word for word.
Matching counts: two identical broken links in a file need two entries. The file is JSON,
sorted, one entry per diagnostic, so that it diffs well in review:

    {"formalai-lint-baseline": 1, "entries": [{"path": ..., "code": ..., "text": ...,
                                               "line-hash": ..., "context-hash": ...,
                                               "message": ...}]}

`message` is there for the reader; it is not matched. `context-hash` (the nearest non-blank
lines around the finding) only decides which of several identical findings the entries cover:
a known-bad line copied elsewhere in its file is reported at the copy, not at the original. An entry without `line-hash` (written by an
older version) matches on path, code and text alone; writing the baseline again adds it.
Entries of files that no longer exist are stale: counted as such, and dropped by writing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from formalai_lint import lazyre, safeio, source
from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.errors import BaselineError
from formalai_lint.safeio import printable

VERSION = 1
MAX_SAME = 64  # identical findings in one file beyond this are matched in line order only
MAX_BYTES = 256 * 1024 * 1024  # a larger baseline file is refused, not read
MARKER = "formalai-lint-baseline"

Key = tuple[str, str, str]  # (path, code, text)
_LINE_BREAK = lazyre.compile(r"\r\n|\r|\n")  # as the document model counts lines


class LineHash(NamedTuple):
    """What an entry records of a diagnostic's line: the hash of its text, and the hash of
    the nearest non-blank lines above and below it (`context`). The context only decides
    which of several identical findings is the old one: a known-bad line copied elsewhere
    has other neighbours, so the copy is reported, at its own line."""

    line: str
    context: str = ""


LineHashes = Mapping[tuple[str, int], LineHash]  # (path, line) -> its hashes


def key(d: Diagnostic) -> Key:
    """A file name that is not UTF-8 is recorded as `safeio.printable` shows it."""
    return (printable(d.path), d.code, printable(d.text or d.message))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _neighbour(lines: list[str], index: int, step: int) -> str:
    """The nearest non-blank line from `index` on in direction `step`, stripped; "" at an end."""
    while 0 <= index < len(lines):
        if lines[index].strip():
            return lines[index].strip()
        index += step
    return ""


def _agreement(recorded: str, now: str) -> int:
    """How many of the two neighbours (above, below) of a recorded entry a finding still has."""
    if not recorded or not now:
        return 0
    half = len(recorded) // 2
    return (recorded[:half] == now[:half]) + (recorded[half:] == now[half:])


def line_hashes(
    settings: Settings, diagnostics: Iterable[Diagnostic]
) -> dict[tuple[str, int], LineHash]:
    """The hashes of each diagnostic's line, each file read once (a file that cannot be read
    has empty lines: its FL001/FL003 entries match while it stays unreadable)."""
    wanted: dict[str, set[int]] = {}
    for d in diagnostics:
        wanted.setdefault(d.path, set()).add(d.line)
    hashes = {}
    for path, numbers in wanted.items():
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size).text
            lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
        except source.UnreadableError:
            lines = []
        for n in numbers:
            line = lines[n - 1].strip() if 0 < n <= len(lines) else ""
            above, below = _neighbour(lines, n - 2, -1), _neighbour(lines, n, 1)
            context = _hash(above)[:8] + _hash(below)[:8] if lines else ""
            hashes[(path, n)] = LineHash(_hash(line), context)
    return hashes


@dataclass(frozen=True)
class Outcome:
    new: list[Diagnostic]  # not in the baseline: these are reported
    matched: int  # diagnostics the baseline accounts for
    stale: int  # baseline entries (of the checked files, or of deleted ones) that no longer occur
    gone: tuple[Key, ...] = ()  # those entries: (path, code, text), one per entry


def load(path: Path, root: Path | None = None) -> list[dict[str, str]]:
    """The entries of a baseline file; BaselineError when it is missing or not a baseline.
    It is read by `safeio`: a regular file of at most MAX_BYTES, never a symlink, and, when
    its path is inside the project `root` as written, really inside it."""
    if not path.exists() and not path.is_symlink():
        raise BaselineError(
            f"baseline file `{path}` does not exist (create it with --write-baseline {path})"
        )
    inside = root if root is not None and safeio.lexically_inside(root, path) else None
    try:
        raw = safeio.read_bytes(path, inside, MAX_BYTES, follow=False)
        data = json.loads(raw.decode("utf-8"))
    except (safeio.UnreadableError, UnicodeDecodeError) as e:
        raise BaselineError(f"cannot read baseline file `{path}`: {e}") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"baseline file `{path}` is not valid JSON: {e}") from None
    except RecursionError:  # e.g. 100,000 nested `[`: no baseline nests like that
        raise BaselineError(f"baseline file `{path}` nests too deeply to be a baseline") from None
    marker = data.get(MARKER) if isinstance(data, dict) else None
    if type(marker) is not int or marker != VERSION:  # not `true`, not `1.0`
        raise BaselineError(
            f"`{path}` is not a formalai-lint baseline (expected a JSON object with "
            f'"{MARKER}": {VERSION}; write one with --write-baseline)'
        )
    entries = data.get("entries")
    fields = ("path", "code", "text")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict)
        and all(isinstance(e.get(f), str) for f in fields)
        and isinstance(e.get("line-hash", ""), str)
        and isinstance(e.get("context-hash", ""), str)
        for e in entries
    ):
        raise BaselineError(
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
    pool: dict[tuple[str, str, str, str], list[str]] = {}  # the contexts of each key's entries
    for e in entries:
        if "line-hash" in e:
            pool.setdefault((e["path"], e["code"], e["text"], e["line-hash"]), []).append(
                e.get("context-hash", "")
            )
    ordered = sorted(diagnostics)
    matched: set[int] = set()
    for wanted in (2, 1):  # both neighbours as recorded, then one of them
        for i, d in enumerate(ordered):
            line = hashes.get((d.path, d.line), LineHash(""))
            full = (*key(d), line.line)
            contexts = pool.get(full, [])
            if i in matched or len(contexts) > MAX_SAME:
                continue
            for j, context in enumerate(contexts):
                if _agreement(context, line.context) >= wanted:
                    del contexts[j]
                    exact[full] -= 1
                    matched.add(i)
                    break
    new: list[Diagnostic] = []
    for i, d in enumerate(ordered):
        if i in matched:
            continue
        k = key(d)
        full = (*k, hashes.get((d.path, d.line), LineHash("")).line)
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
        raise BaselineError(
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
        except BaselineError as e:
            raise BaselineError(f"refusing to overwrite `{path}`: {e}") from None
    entries = kept + [
        {
            "path": key(d)[0],
            "code": d.code,
            "text": key(d)[2],
            "line-hash": hashes.get((d.path, d.line), LineHash("")).line,
            "context-hash": hashes.get((d.path, d.line), LineHash("")).context,
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
            e.get("context-hash", ""),
            e.get("message", ""),
        )
    )
    document = {MARKER: VERSION, "entries": entries}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    try:
        safeio.write_named(path, text.encode("utf-8"), root or Path.cwd())
    except OSError as e:
        raise BaselineError(f"cannot write baseline file `{path}`: {e.strerror or e}") from None
    return len(entries)
