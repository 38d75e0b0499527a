"""Which files exist under the project root, and which of them to lint.

The walk never leaves the root: symlinked folders are listed by os.walk but not entered, and
a symlinked file is only listed here (its contents are read by `source.read`, which refuses
one whose real path lies outside the root). `confine` does the same for configured paths.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from fnmatch import translate
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from formalai_lint.config import real_location
from formalai_lint.errors import ConfigError, UsageError
from formalai_lint.source import is_inside, locate

if TYPE_CHECKING:
    from formalai_lint.gitignore import GitIgnore

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".formalai-lint-cache", ".tox", ".venv", "__pycache__"}
)
MARKDOWN_SUFFIXES = (".md", ".markdown")


def folder_readme(folder: str) -> str:
    """The document a link to `folder` (project-relative, "" for the root) leads to."""
    return f"{folder}/README.md" if folder else "README.md"


def project_files(root: Path) -> frozenset[str]:
    """Every file below `root` as a POSIX path relative to it; symlinked folders are not entered."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in names)
    return frozenset(found)


@lru_cache(maxsize=16)
def glob_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path matches any of the globs (`fnmatchcase` semantics: `*` also crosses
    `/`, case counts), as one regex compiled once for all of them."""
    if not patterns:
        return lambda path: False
    regex = re.compile("|".join(f"(?:{translate(p)})" for p in patterns))
    return lambda path: regex.match(path) is not None


def is_excluded(path: str, patterns: Sequence[str], below: str = "") -> bool:
    """True when `path` or one of its parent folders matches one of the globs (`exclude`
    and `per-file-ignores` keys alike). Only the folders below `below` are looked at: a
    folder named on the command line is searched even when it is excluded itself."""
    matches = glob_matcher(tuple(patterns))
    parts = path.split("/")
    start = below.count("/") + 2 if below else 1
    return any(matches("/".join(parts[:i])) for i in range(start, len(parts) + 1))


def select_targets(
    paths: Iterable[Path],
    root: Path,
    files: frozenset[str],
    exclude: Sequence[str],
    *,
    ignored: GitIgnore | None = None,
    force_exclude: bool = False,
) -> list[str]:
    """The Markdown files to lint: given files as they are, folders searched for `.md` files.

    As ruff does: what a folder search finds is skipped when an `exclude` glob or git
    (`ignored`) excludes it or a folder below the named one; a file or folder named on the
    command line is linted even if excluded or ignored, unless `force_exclude`.
    """
    targets: set[str] = set()
    markdown = [f for f in files if f.endswith(MARKDOWN_SUFFIXES)]
    for path in paths:
        rel = _relative(path, root)
        if path.is_dir():
            below = "" if rel == "." or force_exclude else rel
            # A named folder git ignores is searched as if it were not ignored (as ruff does).
            git = ignored if ignored is not None and not ignored.ignored(below, True) else None
            prefix = "" if rel == "." else rel + "/"
            targets.update(
                f
                for f in markdown
                if f.startswith(prefix)
                and not is_excluded(f, exclude, below)
                and not (git is not None and git.ignored(f))
            )
        elif not force_exclude or not (
            is_excluded(rel, exclude) or (ignored is not None and ignored.ignored(rel))
        ):
            targets.add(rel)
    return sorted(targets)


def relative_path(path: Path, root: Path) -> str:
    """The project path (POSIX, relative to `root`) of a file named on the command line,
    which need not exist (`--stdin-filename`)."""
    return _relative(path, root)


def _relative(path: Path, root: Path) -> str:
    """`path` relative to `root`. A folder by its real path (a symlinked folder that leads out
    of the root is a UsageError: it is not silently skipped); a file as written, else with
    its folders' symlinks resolved (the root was then found from the real path: see
    `config.load_settings`), so that `read` judges where the file really is."""
    if path.is_dir():
        real, real_root = Path(os.path.realpath(path)), Path(os.path.realpath(root))
        if not is_inside(real_root, real):
            raise UsageError(
                f"`{path}` is a symlink to a folder outside the project root `{root}`;"
                " it is not linted"
            )
        return real.relative_to(real_root).as_posix()
    lexical = locate(path)
    if is_inside(root, lexical):
        return lexical.relative_to(root).as_posix()
    return real_location(path).relative_to(root).as_posix()


def confine(root: Path, value: str, key: str) -> Path:
    """The absolute path a configured path `value` names, relative to the project root.

    For any setting that is a path (a cache folder, a baseline file): `key` names the setting
    in the error. Raises ConfigError when the path leaves the root, lexically (`../x`, `/x`)
    or through a symlink (`link/x` where `link` points outside); it need not exist yet.
    """
    root = Path(os.path.realpath(root))
    lexical = Path(os.path.normpath(root / value))
    if not is_inside(root, lexical) or not is_inside(root, Path(os.path.realpath(lexical))):
        raise ConfigError(f"`{key}` = {value!r} is outside the project root `{root}`")
    return lexical
