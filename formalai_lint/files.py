"""Which files exist under the project root, and which of them to lint."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".formalai-lint-cache", ".tox", ".venv", "__pycache__"}
)
MARKDOWN_SUFFIXES = (".md", ".markdown")


def project_files(root: Path) -> frozenset[str]:
    """Every file below `root` as a POSIX path relative to it; symlinked folders are not entered."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in names)
    return frozenset(found)


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """True when `path` or one of its parent folders matches an exclude glob."""
    parts = path.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatchcase(c, p) for p in patterns for c in candidates)


def select_targets(
    paths: Iterable[Path], root: Path, files: frozenset[str], exclude: Sequence[str]
) -> list[str]:
    """The Markdown files to lint: given files as they are, folders searched for `.md` files."""
    targets: set[str] = set()
    markdown = [f for f in files if f.endswith(MARKDOWN_SUFFIXES)]
    for path in paths:
        rel = path.resolve().relative_to(root).as_posix()
        if path.is_dir():
            prefix = "" if rel == "." else rel + "/"
            targets.update(f for f in markdown if f.startswith(prefix))
        else:
            targets.add(rel)
    return sorted(t for t in targets if not is_excluded(t, exclude))
