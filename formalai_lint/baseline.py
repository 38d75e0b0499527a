"""A baseline: today's diagnostics recorded in a file, so that only new ones fail a run.

An entry is matched by path (relative to the project root), rule code and the offending text
(the diagnostic's message when a rule records no text) — never by line number, so editing
elsewhere in a file does not bring old findings back. Matching counts: two identical broken
links in a file need two entries. The file is JSON, sorted, one entry per diagnostic, so that
it diffs well in review:

    {"formalai-lint-baseline": 1, "entries": [{"path": ..., "code": ..., "text": ..., "message": ...}]}

`message` is there for the reader; it is not matched.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from formalai_lint import safeio
from formalai_lint.config import ConfigError
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.safeio import printable

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # a larger baseline file is refused, not read
MARKER = "formalai-lint-baseline"

Key = tuple[str, str, str]  # (path, code, text)


def key(d: Diagnostic) -> Key:
    """A file name that is not UTF-8 is recorded as `safeio.printable` shows it."""
    return (printable(d.path), d.code, printable(d.text or d.message))


@dataclass(frozen=True)
class Outcome:
    new: list[Diagnostic]  # not in the baseline: these are reported
    matched: int  # diagnostics the baseline accounts for
    stale: int  # baseline entries (of the checked files) that no longer occur


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
    if not isinstance(data, dict) or data.get(MARKER) != VERSION:
        raise ConfigError(
            f"`{path}` is not a formalai-lint baseline (expected a JSON object with "
            f'"{MARKER}": {VERSION}; write one with --write-baseline)'
        )
    entries = data.get("entries")
    fields = ("path", "code", "text")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and all(isinstance(e.get(f), str) for f in fields) for e in entries
    ):
        raise ConfigError(
            f"baseline file `{path}`: `entries` must be a list of objects with string "
            "`path`, `code` and `text`"
        )
    return entries


def compare(
    diagnostics: Sequence[Diagnostic], entries: Iterable[dict[str, str]], checked: Collection[str]
) -> Outcome:
    """Split the diagnostics into new ones and ones the baseline accounts for. Only entries of
    the files checked in this run count as stale (a pre-commit run sees a few files)."""
    remaining = Counter((e["path"], e["code"], e["text"]) for e in entries)
    new: list[Diagnostic] = []
    for d in sorted(diagnostics):
        k = key(d)
        if remaining[k] > 0:
            remaining[k] -= 1
        else:
            new.append(d)
    checked = set(checked)
    stale = sum(n for (path, _, _), n in remaining.items() if n > 0 and path in checked)
    return Outcome(new, len(diagnostics) - len(new), stale)


def write(
    path: Path,
    diagnostics: Iterable[Diagnostic],
    checked: Collection[str],
    root: Path | None = None,
) -> int:
    """Record `diagnostics`; entries of an existing baseline for files not checked in this run
    are kept, so that writing from a partial run does not forget the rest. Returns the count."""
    if path.is_symlink():
        raise ConfigError(
            f"cannot write baseline file `{path}`: it is a symbolic link (not written through)"
        )
    checked = {printable(p) for p in checked}
    kept: list[dict[str, str]] = []
    if path.exists():  # a file that is not a baseline is never overwritten
        try:
            kept = [e for e in load(path, root) if e["path"] not in checked]
        except ConfigError as e:
            raise ConfigError(f"refusing to overwrite `{path}`: {e}") from None
    entries = kept + [
        {"path": key(d)[0], "code": d.code, "text": key(d)[2], "message": printable(d.message)}
        for d in diagnostics
    ]
    entries.sort(key=lambda e: (e["path"], e["code"], e["text"], e.get("message", "")))
    document = {MARKER: VERSION, "entries": entries}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    try:
        safeio.write_named(path, text.encode("utf-8"), root or Path.cwd())
    except OSError as e:
        raise ConfigError(f"cannot write baseline file `{path}`: {e.strerror or e}") from None
    return len(entries)
