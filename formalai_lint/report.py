"""Turning diagnostics into output. Paths are shown relative to the working directory."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from formalai_lint.diagnostic import Diagnostic, Severity

FORMATS = ("text", "json")


def display_path(root: Path, path: str, cwd: Path) -> str:
    return Path(os.path.relpath(root / path, cwd)).as_posix()


def render(diagnostics: Sequence[Diagnostic], fmt: str, root: Path, cwd: Path) -> str:
    shown = [d.to_json() | {"path": display_path(root, d.path, cwd)} for d in diagnostics]
    if fmt == "json":
        return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
    return "".join(
        f"{d['path']}:{d['line']}:{d['column']}: {d['code']} {d['message']}"
        + (" [warning]" if d["severity"] == "warning" else "")
        + "\n"
        for d in shown
    )


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    files = len({d.path for d in diagnostics})
    noun = "file" if files_checked == 1 else "files"
    if not diagnostics:
        return f"All clear: {files_checked} {noun} checked."
    return (
        f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)}"
        f" in {files} of {files_checked} {noun} checked."
    )
