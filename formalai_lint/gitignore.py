"""What git ignores in the project, read from its `.gitignore` files and `.git/info/exclude`.

Two uses: files git ignores are not linted when a folder is searched (`respect-gitignore`),
and a folder git ignores is never suggested as a link target. The patterns are matched by
`pathspec`'s `GitIgnoreSpec` (gitignore(5) semantics: `#` comments, `!` negation, anchoring,
`*`, `?`, `[…]`, `**`), with git's precedence: `.git/info/exclude` lowest, then each
`.gitignore` from the repository's top down to the path's own folder, a deeper one winning;
a path inside an ignored folder is ignored whatever a pattern says of it (git never looks
inside). `.gitignore` files between the git top level and the project root count too. The
patterns come from the repository, so they run on pathspec's RE2 backend, whose matching is
linear in the path: Python's `re` backtracks exponentially on a pattern like
`a*a*a*a*a*a*a*a*a*a*a*a*b`. The files are read with `safeio` (inside the repository,
regular files only, size-limited); one that cannot be read is skipped. Not read: the user's
global `core.excludesFile`, which is not the repository's to decide.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from formalai_lint import safeio
from formalai_lint.config import Settings, git_root
from formalai_lint.links import ancestors

EXCLUDE_FILE = "\0info/exclude"  # the key of `.git/info/exclude` among the pattern texts


class GitIgnore:
    """Whether git ignores a path, given the pattern texts by the folder that holds them.

    `texts` maps a folder relative to the git top level ("" for the top) to the text of its
    `.gitignore`, and EXCLUDE_FILE to `.git/info/exclude`. `base` is the project root
    relative to the git top level: the paths asked about are relative to the project root.
    """

    def __init__(self, texts: Mapping[str, str], base: str = "") -> None:
        from pathspec import GitIgnoreSpec  # imported only when there are patterns to match

        self.specs: dict[str, Any] = {
            folder: GitIgnoreSpec.from_lines(text.splitlines(), backend="re2")
            for folder, text in texts.items()
        }
        self.base = base
        self._folders: dict[str, bool] = {}  # top-relative folder -> ignored (itself or above)

    def _verdict(self, path: str, is_dir: bool) -> bool:
        """Whether the patterns alone ignore `path` (top-relative), not looking at its folders."""
        verdict = False
        exclude = self.specs.get(EXCLUDE_FILE)
        suffix = "/" if is_dir else ""
        if exclude is not None:
            include = exclude.check_file(path + suffix).include
            verdict = include if include is not None else verdict
        for folder in reversed(ancestors(posixpath.dirname(path))):  # the top first
            spec = self.specs.get(folder)
            if spec is not None:
                relative = path[len(folder) + 1 :] if folder else path
                include = spec.check_file(relative + suffix).include
                verdict = include if include is not None else verdict
        return verdict

    def _folder_ignored(self, folder: str) -> bool:
        """Whether the top-relative `folder` or a folder above it is ignored (memoised)."""
        if not folder:
            return False
        known = self._folders.get(folder)
        if known is None:
            parent = posixpath.dirname(folder)
            known = self._folder_ignored(parent) or self._verdict(folder, True)
            self._folders[folder] = known
        return known

    def _top(self, path: str) -> str:
        return f"{self.base}/{path}" if self.base and path else (self.base or path)

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        """Whether git ignores the project-relative `path` (a file unless `is_dir`)."""
        path = self._top(path)
        if is_dir:
            return self._folder_ignored(path)
        return self._folder_ignored(posixpath.dirname(path)) or self._verdict(path, False)


def ignored_folders(folders: Iterable[str], texts: Mapping[str, str]) -> frozenset[str]:
    """The folders (project-relative) ignored by the `.gitignore` texts (folder -> text).
    A folder inside an ignored one is not listed: the outer one hides it already."""
    return _outermost(GitIgnore(texts), folders)


def _outermost(matcher: GitIgnore, folders: Iterable[str]) -> frozenset[str]:
    return frozenset(
        folder
        for folder in folders
        if folder
        and matcher.ignored(folder, True)
        and not matcher.ignored(posixpath.dirname(folder), True)
    )


def git_dir(top: Path) -> Path | None:
    """The git folder of the repository whose top level is `top`: `.git` itself, or where a
    `.git` file (a worktree, a submodule) points, its common folder for a worktree."""
    dot_git = top / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        text = safeio.read_bytes(dot_git, None, 64 * 1024).decode("utf-8").strip()
    except (OSError, safeio.UnreadableError, UnicodeDecodeError):
        return None
    if not text.startswith("gitdir:"):
        return None
    folder = (top / text.removeprefix("gitdir:").strip()).resolve()
    try:
        common = safeio.read_bytes(folder / "commondir", None, 64 * 1024).decode().strip()
    except (OSError, safeio.UnreadableError, UnicodeDecodeError):
        return folder
    return (folder / common).resolve()


def _text(path: Path, inside: Path | None, max_bytes: int) -> str | None:
    """The file's text if it holds a pattern (None if it holds only comments and blank lines,
    like the `.git/info/exclude` that `git init` writes: pathspec is then not even loaded)."""
    try:
        text = safeio.read_bytes(path, inside, max_bytes).decode("utf-8", "replace")
    except (OSError, safeio.UnreadableError):
        return None
    patterns = (line for line in text.splitlines() if not line.startswith("#"))
    return text if any(line.strip() for line in patterns) else None


def load(root: Path, files: Iterable[str], max_bytes: int) -> GitIgnore | None:
    """What git ignores in the project under `root` (whose files are `files`): the
    `.gitignore` files among them, those in the folders between the git top level and
    `root`, and `.git/info/exclude`. None outside a git repository or without patterns."""
    top = git_root(root)
    if top is None:
        return None
    base = root.relative_to(top).as_posix() if root != top else ""
    texts: dict[str, str] = {}
    for path in files:
        if path == ".gitignore" or path.endswith("/.gitignore"):
            text = _text(root / path, root, max_bytes)
            if text is not None:
                texts[posixpath.join(base, posixpath.dirname(path)).rstrip("/")] = text
    if base:
        for folder in ancestors(posixpath.dirname(base)):  # above the root, up to the top
            text = _text(top / folder / ".gitignore", top, max_bytes)
            if text is not None:
                texts[folder] = text
    meta = git_dir(top)
    exclude = _text(meta / "info" / "exclude", None, max_bytes) if meta else None
    if exclude is not None:
        texts[EXCLUDE_FILE] = exclude
    return GitIgnore(texts, base) if texts else None


def of_settings(settings: Settings, files: Iterable[str]) -> GitIgnore | None:
    """What git ignores in the project, unless `respect-gitignore` is off (None then, and
    outside a git repository or without patterns)."""
    if not settings.respect_gitignore:
        return None
    return load(settings.root, files, settings.max_file_size)


def read_ignored(
    root: Path, files: frozenset[str], folders: Iterable[str], max_bytes: int
) -> frozenset[str]:
    """The folders (project-relative) git ignores under `root`, outermost ones only."""
    matcher = load(root, files, max_bytes)
    return frozenset() if matcher is None else _outermost(matcher, folders)
