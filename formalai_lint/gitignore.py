"""Which folders of the project git ignores, read from its `.gitignore` files.

Only what the did-you-mean of broken links needs: a folder a `.gitignore` pattern matches is
not suggested as a link target. The patterns follow gitignore(5): `#` comments, `!` negation
(the last matching pattern wins), a `/` at the start or in the middle anchors a pattern to
its `.gitignore`'s folder, `*`, `?`, `[…]` and `**`. The files are read with `source.read`
(inside the root, regular files only, size-limited); one that cannot be read is skipped.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from formalai_lint import source


def _regex(pattern: str) -> re.Pattern[str]:
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("/**", i) and i + 3 == len(body):
            out.append("(?:/.*)?")
            i += 3
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[" and "]" in body[i + 2 :]:
            end = body.index("]", i + 2)
            out.append("[" + body[i + 1 : end].replace("\\", "\\\\").replace("!", "^", 1) + "]")
            i = end + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out))


def parse(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """(negated, regex) for each pattern of a `.gitignore`, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line.removeprefix("\\")
        if line.strip("/"):
            rules.append((negated, _regex(line)))
    return rules


def ignored_folders(folders: Iterable[str], texts: dict[str, str]) -> frozenset[str]:
    """The folders (project-relative) ignored by the `.gitignore` texts (folder -> text).
    A folder inside an ignored one is not listed: the outer one hides it already."""
    rules = {folder: parse(text) for folder, text in texts.items()}
    ignored: set[str] = set()
    for folder in sorted(folders, key=lambda f: f.count("/")):
        parent = posixpath.dirname(folder)
        if not folder or parent in ignored or any(p in ignored for p in _above(parent)):
            continue
        verdict = False
        for base in reversed(_above(parent)):  # the root's .gitignore first
            relative = folder[len(base) + 1 :] if base else folder
            for negated, regex in rules.get(base, ()):
                if regex.fullmatch(relative):
                    verdict = not negated
        if verdict:
            ignored.add(folder)
    return frozenset(ignored)


def _above(folder: str) -> list[str]:
    result = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        result.append(folder)
    return result


def read_ignored(
    root: Path, files: frozenset[str], folders: Iterable[str], max_bytes: int
) -> frozenset[str]:
    """`ignored_folders` of the project under `root`, its `.gitignore` files read safely."""
    texts = {}
    for path in files:
        if path == ".gitignore" or path.endswith("/.gitignore"):
            try:
                texts[posixpath.dirname(path)] = source.read(root / path, root, max_bytes)
            except source.UnreadableError:
                continue
    return ignored_folders(folders, texts) if texts else frozenset()
