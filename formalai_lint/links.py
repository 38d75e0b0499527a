"""Where a relative link points, and what it should have said when it points nowhere.

Resolution is lexical: the path is joined and normalised as text and checked against the
project root and the index of files. Nothing is opened; nothing outside the root is touched.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from formalai_lint import lazyre
from formalai_lint.document import PLANNED_TAG, Link
from formalai_lint.files import MARKDOWN_SUFFIXES, folder_readme, glob_matcher

if TYPE_CHECKING:  # a Project is passed in; project.py builds on this module
    from formalai_lint.project import Project


class Status(Enum):
    OK = "ok"
    EXTERNAL = "external"
    OUTSIDE_ROOT = "outside-root"
    MISSING_FILE = "missing-file"
    MISSING_FRAGMENT = "missing-fragment"
    UNCHECKED = "unchecked"  # a template's slot or a link marked `（待创建）`: see `unchecked`


class Resolution(NamedTuple):
    status: Status
    path: str | None = None  # the project-relative file (or README of a folder) it reaches
    suggestion: str | None = None  # "did you mean" target, written as the link should be
    candidates: int = 1  # how many files the suggestion was chosen from (nearest first)


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


def target_of(source: str, link: Link) -> str | None:
    """The project path a local link's path part names (`source` itself for `#frag`)."""
    if not link.path:
        return source
    return join(source, link.path)


def reaches(source: str, link: Link, path: str) -> bool:
    """Whether `link`, in the document `source`, leads to the document `path` (a link to
    a folder leads to its README.md)."""
    target = target_of(source, link)
    if target is None:
        return False
    return target == path or folder_readme(target) == path


def unchecked(link: Link) -> bool:
    """Links not to check: a template's slot to fill in, its whole text in square brackets
    (`[[相关概念1]](./x.md)`), a link its line marks as still to be written
    (`[TLA+ 指南](./tla.md)（待创建）`, `(planned)`), and a to-do tag written as a link to
    itself (`[需更新](需更新)`: a note to the author, not a reference)."""
    text = link.text.strip()
    return (
        link.planned
        or (len(text) > 2 and text.startswith("[") and text.endswith("]"))
        or (text == link.target and PLANNED_TAG.fullmatch(text) is not None)
    )


_EXTERNAL = Resolution(Status.EXTERNAL)
_UNCHECKED = Resolution(Status.UNCHECKED)


@lru_cache(maxsize=1 << 16)
def _reached(target: str | None) -> Resolution:
    """`Resolution(Status.OK, target)`, made once per target: most links resolve, and making
    the tuple cost a quarter of resolving one (it is immutable, so it is shared)."""
    return Resolution(Status.OK, target)


def resolve(project: Project, source: str, link: Link) -> Resolution:
    if link.external:
        return _EXTERNAL
    if unchecked(link):
        return _UNCHECKED
    if link.path == "":
        target: str | None = source
    else:
        target = join(source, link.path)
        if target is None:
            return Resolution(Status.OUTSIDE_ROOT)
        if target not in project.files:
            if target not in project.directories:
                hint, count = suggest_file(project, source, target)
                if hint and link.fragment is not None:
                    hint += "#" + link.fragment
                return Resolution(Status.MISSING_FILE, target, hint, count)
            readme = folder_readme(target)
            target = readme if readme in project.files else None
    if not link.fragment or target is None or not target.endswith(MARKDOWN_SUFFIXES):
        return _reached(target)
    facts = project.docs.get(target)
    if facts is None or link.fragment in facts.anchors:
        return _reached(target)
    hint = suggest_anchor(link.fragment, facts.anchors)
    prefix = link.target.partition("#")[0]
    return Resolution(Status.MISSING_FRAGMENT, target, f"{prefix}#{hint}" if hint else None)


def suggest_file(project: Project, source: str, wanted: str) -> tuple[str | None, int]:
    """The did-you-mean for a missing `wanted` linked from `source`, and how many files it
    was chosen from: of the files (or folders) sharing the longest tail of path parts with
    `wanted`, the one nearest `source` in the tree. Never `source` itself or its own folder,
    never a file inside a hidden folder (archive, excluded, git-ignored) `source` is not in,
    and never on the file name alone when several files have it (`README.md`): then a
    folder above it must match too.

    Cost per link: one dictionary lookup per tail length and one per folder above `source`
    (the index is built once per project), so N broken links stay linear.
    """
    index = project.file_index
    parts = wanted.split("/")
    for length in range(len(parts), 0, -1):
        found = index.nearest("/".join(parts[-length:]), source)
        if found is not None:
            best, count = found
            if length == 1 and count > 1:
                return None, 0  # a file name alone, shared by several files, says too little
            relative = posixpath.relpath(best, posixpath.dirname(source) or ".")
            return relative.replace(" ", "%20"), count  # written as a link destination must be
    return None, 0


def hidden_folders(
    folders: Iterable[str], exclude: Sequence[str], archive_words: Sequence[str]
) -> frozenset[str]:
    """Folders whose name contains an archive word (`00-归档`, `old-backups`; a Latin word
    not preceded by a letter), or that an `exclude` glob matches."""
    words = [w.casefold() for w in archive_words]
    excluded = glob_matcher(tuple(exclude))
    found = set()
    for folder in folders:
        name = folder.rsplit("/", 1)[-1].casefold()
        if any(word in name and _has_word(name, word) for word in words) or excluded(folder):
            found.add(folder)
    return frozenset(found)


def _has_word(name: str, word: str) -> bool:
    at = name.find(word)
    while at >= 0:
        if at == 0 or not (name[at - 1].isascii() and name[at - 1].isalpha()):
            return True
        at = name.find(word, at + 1)
    return False


def ancestors(folder: str) -> list[str]:
    """`folder` and every folder above it, up to the root (""), deepest first."""
    result = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        result.append(folder)
    return result


def is_hidden(path: str, hidden: frozenset[str]) -> str | None:
    """The outermost hidden folder `path` is in (or is), else None."""
    if not hidden:
        return None
    inside = [folder for folder in ancestors(path) if folder in hidden]
    return inside[-1] if inside else None


def _ends_with(path: str, tail: str) -> bool:
    return path == tail or path.endswith("/" + tail)


class _Bucket(NamedTuple):
    size: int  # how many paths
    first: tuple[str, ...]  # the two smallest paths (enough to pass over one excluded)


_ByFolder = dict[str, dict[int, _Bucket]]  # folder -> depth below it -> bucket


class FileIndex:
    """Every file and folder of the project by each tail of its path (`b/c.md`, `c.md`), and
    for each tail, its paths by the folders above them: the nearest path to a linking file is
    found by walking up from it, never by scanning every file of the same name."""

    def __init__(self, paths: Iterable[str], hidden: frozenset[str]) -> None:
        self.hidden = hidden
        self._paths = frozenset(p for p in paths if p)
        self._by_tail: dict[str, list[str]] = {}
        for path in sorted(self._paths):
            parts = path.split("/")
            for length in range(1, len(parts) + 1):
                self._by_tail.setdefault("/".join(parts[-length:]), []).append(path)
        self._groups: dict[str, tuple[_ByFolder, _ByFolder]] = {}

    def _group(self, tail: str) -> tuple[_ByFolder, _ByFolder] | None:
        """For the paths ending in `tail`: folder -> depth below it -> bucket, for the
        paths outside hidden folders and for those inside one."""
        if tail not in self._by_tail:
            return None
        group = self._groups.get(tail)
        if group is None:
            group = self._groups[tail] = ({}, {})
            for path in self._by_tail[tail]:
                by_folder = group[1 if is_hidden(path, self.hidden) else 0]
                for depth, folder in enumerate(ancestors(posixpath.dirname(path))):
                    buckets = by_folder.setdefault(folder, {})
                    old = buckets.get(depth, _Bucket(0, ()))
                    buckets[depth] = _Bucket(old.size + 1, tuple(sorted((*old.first, path)))[:2])
        return group

    def nearest(self, tail: str, source: str) -> tuple[str, int] | None:
        """The path ending in `tail` fewest folder steps from `source`, and how many paths
        were eligible; None when none is."""
        group = self._group(tail)
        if group is None:
            return None
        here = posixpath.dirname(source)
        excluded = [p for p in (source, here) if p in self._paths and _ends_with(p, tail)]
        outer = is_hidden(here, self.hidden)  # hidden paths are eligible inside it only
        # Folders to look in: every folder above `source` for the paths outside hidden
        # folders, and the folders from `source` up to `outer` for those inside.
        above = ancestors(here)
        inside = above[: above.index(outer) + 1] if outer is not None else []
        best: tuple[int, str] | None = None
        for by_folder, folders in zip(group, (above, inside), strict=True):
            for up, folder in enumerate(folders):
                for depth, bucket in by_folder.get(folder, {}).items():
                    kept = [p for p in bucket.first if p not in excluded]
                    if kept and (best is None or (up + depth, kept[0]) < best):
                        best = (up + depth, kept[0])
        if best is None:
            return None
        total = -len(excluded)  # all of a group's paths are below its widest folder
        for by_folder, folders in zip(group, (above, inside), strict=True):
            if folders:
                total += sum(b.size for b in by_folder.get(folders[-1], {}).values())
        return best[1], total


_NUMBERING = lazyre.compile(r"^(?:[\d-]+|[一二三四五六七八九十百零〇]+)")
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


def attribute_note(fragment: str | None, anchors: frozenset[str]) -> str:
    """A note when the heading was written with its own id after it as `{#fragment}`: GitHub
    does not read that as the id but as text, so `## 2.3 运行时 {#23-运行时}` gets the id
    `#23-运行时-23-运行时`. Only that doubled form is recognised (a mere tail would also
    match `## 1. 概述` for `#概述`)."""
    anchor = f"{fragment}-{fragment}"
    if not fragment or anchor not in anchors:
        return ""
    return (
        f"; the heading's `{{#{fragment}}}` is not an id on GitHub, which shows it as text:"
        f" the heading's id there is `#{anchor}`"
    )
