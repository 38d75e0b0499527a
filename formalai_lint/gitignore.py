"""Which folders of the project git ignores, read from its `.gitignore` files.

Only what the did-you-mean of broken links needs: a folder a `.gitignore` pattern matches is
not suggested as a link target. The patterns are matched by `pathspec`'s `GitIgnoreSpec`
(gitignore(5) semantics: `#` comments, `!` negation, anchoring, `*`, `?`, `[…]`, `**`); a
deeper `.gitignore` overrides a shallower one, as in git. The patterns come from the
repository, so they run on pathspec's RE2 backend, whose matching is linear in the path:
Python's `re` backtracks exponentially on a pattern like `a*a*a*a*a*a*a*a*a*a*a*a*b`. The files are read with
`source.read` (inside the root, regular files only, size-limited); one that cannot be read
is skipped.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from formalai_lint import source
from formalai_lint.links import ancestors


def ignored_folders(folders: Iterable[str], texts: dict[str, str]) -> frozenset[str]:
    """The folders (project-relative) ignored by the `.gitignore` texts (folder -> text).
    A folder inside an ignored one is not listed: the outer one hides it already."""
    from pathspec import GitIgnoreSpec  # imported when a .gitignore is read: start-up stays short

    specs = {
        folder: GitIgnoreSpec.from_lines(text.splitlines(), backend="re2")
        for folder, text in texts.items()
    }
    ignored: set[str] = set()
    for folder in sorted(folders, key=lambda f: f.count("/")):
        parent = posixpath.dirname(folder)
        if not folder or any(p in ignored for p in ancestors(parent)):
            continue
        verdict = False
        for base in reversed(ancestors(parent)):  # the root's .gitignore first, deeper ones win
            spec = specs.get(base)
            if spec is not None:
                relative = folder[len(base) + 1 :] if base else folder
                include = spec.check_file(relative + "/").include
                if include is not None:
                    verdict = include
        if verdict:
            ignored.add(folder)
    return frozenset(ignored)


def read_ignored(
    root: Path, files: frozenset[str], folders: Iterable[str], max_bytes: int
) -> frozenset[str]:
    """`ignored_folders` of the project under `root`, its `.gitignore` files read safely."""
    texts = {}
    for path in files:
        if path == ".gitignore" or path.endswith("/.gitignore"):
            try:
                texts[posixpath.dirname(path)] = source.read(root / path, root, max_bytes).text
            except source.UnreadableError:
                continue
    return ignored_folders(folders, texts) if texts else frozenset()
