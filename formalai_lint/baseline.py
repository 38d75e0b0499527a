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

from formalai_lint.config import ConfigError
from formalai_lint.diagnostic import Diagnostic

VERSION = 1
MARKER = "formalai-lint-baseline"

Key = tuple[str, str, str]  # (path, code, text)


def key(d: Diagnostic) -> Key:
    return (d.path, d.code, d.text or d.message)


@dataclass(frozen=True)
class Outcome:
    new: list[Diagnostic]  # not in the baseline: these are reported
    matched: int  # diagnostics the baseline accounts for
    stale: int  # baseline entries (of the checked files) that no longer occur


def load(path: Path) -> list[dict[str, str]]:
    """The entries of a baseline file; ConfigError when it is missing or not a baseline."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"baseline file `{path}` does not exist (create it with --write-baseline {path})"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read baseline file `{path}`: {e}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"baseline file `{path}` is not valid JSON: {e}") from None
    except RecursionError:  # e.g. 100,000 nested `[`: no baseline nests like that
        raise ConfigError(f"baseline file `{path}` nests too deeply to be a baseline") from None
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


def write(path: Path, diagnostics: Iterable[Diagnostic], checked: Collection[str]) -> int:
    """Record `diagnostics`; entries of an existing baseline for files not checked in this run
    are kept, so that writing from a partial run does not forget the rest. Returns the count."""
    checked = set(checked)
    kept: list[dict[str, str]] = []
    if path.exists():  # a file that is not a baseline is never overwritten
        try:
            kept = [e for e in load(path) if e["path"] not in checked]
        except ConfigError as e:
            raise ConfigError(f"refusing to overwrite `{path}`: {e}") from None
    entries = kept + [
        {"path": d.path, "code": d.code, "text": key(d)[2], "message": d.message}
        for d in diagnostics
    ]
    entries.sort(key=lambda e: (e["path"], e["code"], e["text"], e.get("message", "")))
    document = {MARKER: VERSION, "entries": entries}
    try:
        if path.parent != Path(""):
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
    except OSError as e:
        raise ConfigError(f"cannot write baseline file `{path}`: {e.strerror or e}") from None
    return len(entries)
