"""Where a relative link points, and what it should have said when it points nowhere.

Resolution is lexical: the path is joined and normalised as text and checked against the
project root and the index of files. Nothing is opened; nothing outside the root is touched.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from formalai_lint.document import Link
from formalai_lint.files import MARKDOWN_SUFFIXES
from formalai_lint.rule import Project


class Status(Enum):
    OK = "ok"
    EXTERNAL = "external"
    OUTSIDE_ROOT = "outside-root"
    MISSING_FILE = "missing-file"
    MISSING_FRAGMENT = "missing-fragment"


class Resolution(NamedTuple):
    status: Status
    path: str | None = None  # the project-relative file (or README of a folder) it reaches
    suggestion: str | None = None  # "did you mean" target, written as the link should be


@lru_cache(maxsize=1 << 16)  # linked_documents() and resolve() join the same links
def join(source: str, path: str) -> str | None:
    """The project-relative path a link in `source` names, or None if it leaves the root."""
    if path.startswith("/"):  # GitHub resolves root-relative links against the repository
        joined = posixpath.normpath(path.lstrip("/") or ".")
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
        return None
    return "" if joined == "." else joined


def resolve(project: Project, source: str, link: Link) -> Resolution:
    if link.external:
        return Resolution(Status.EXTERNAL)
    if link.path == "":
        target: str | None = source
    else:
        target = join(source, link.path)
        if target is None:
            return Resolution(Status.OUTSIDE_ROOT)
        if target not in project.files:
            if target not in project.directories:
                hint = suggest_file(project, source, target)
                if hint and link.fragment is not None:
                    hint += "#" + link.fragment
                return Resolution(Status.MISSING_FILE, target, hint)
            readme = posixpath.join(target, "README.md") if target else "README.md"
            target = readme if readme in project.files else None
    if not link.fragment or target is None or not target.endswith(MARKDOWN_SUFFIXES):
        return Resolution(Status.OK, target)
    facts = project.docs.get(target)
    if facts is None or link.fragment in facts.anchors:
        return Resolution(Status.OK, target)
    hint = suggest_anchor(link.fragment, facts.anchors)
    prefix = link.target.partition("#")[0]
    return Resolution(Status.MISSING_FRAGMENT, target, f"{prefix}#{hint}" if hint else None)


def suggest_file(project: Project, source: str, wanted: str) -> str | None:
    """The one existing file or folder sharing the longest tail of path parts with `wanted`."""
    parts = wanted.split("/")
    candidates = project.by_basename.get(parts[-1], ())
    best, best_len = [], 0
    for candidate in candidates:
        shared = _shared_tail(parts, candidate.split("/"))
        if shared > best_len:
            best, best_len = [candidate], shared
        elif shared == best_len:
            best.append(candidate)
    if len(best) != 1:
        return None
    relative = posixpath.relpath(best[0], posixpath.dirname(source) or ".")
    return relative.replace(" ", "%20")  # written as a link destination must be


def _shared_tail(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


_NUMBERING = re.compile(r"^(?:[\d-]+|[一二三四五六七八九十百零〇]+)")
_ANCHOR_KEYS: tuple[Callable[[str], str], ...] = (
    lambda s: s.lower().replace("-", ""),  # differs only by dashes (or case)
    lambda s: _NUMBERING.sub("", s.lower()).replace("-", ""),  # differs only by numbering
)


def suggest_anchor(fragment: str, anchors: Iterable[str]) -> str | None:
    """The one anchor that differs from `fragment` only by dashes, case or numbering."""
    index = _anchor_index(anchors if isinstance(anchors, frozenset) else frozenset(anchors))
    for key, by_key in zip(_ANCHOR_KEYS, index, strict=True):
        wanted = key(fragment)
        if not wanted:
            continue
        matches = by_key.get(wanted, ())
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None  # a tie: no guess
    return None


@lru_cache(maxsize=16)
def _anchor_index(anchors: frozenset[str]) -> tuple[dict[str, list[str]], ...]:
    """Anchors grouped by each key, built once per document: many broken links stay linear."""
    index: tuple[dict[str, list[str]], ...] = tuple({} for _ in _ANCHOR_KEYS)
    for key, by_key in zip(_ANCHOR_KEYS, index, strict=True):
        for anchor in anchors:
            by_key.setdefault(key(anchor), []).append(anchor)
    return index
