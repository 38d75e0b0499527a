"""Changed-files mode: which other documents must be checked when only some files are given.

Renaming a heading in `b.md` breaks a link in an untouched `a.md`, so a pre-commit run on
`b.md` must check `a.md` too. `dependents()` finds every Markdown file of the project whose
links point into the given files (the links an engine run would follow: a file, or a folder
meaning its README.md).

Parsing the whole project costs seconds, so documents are first screened: a link can only
reach `dir/b.md` if its path names `b.md`; it can only reach `dir/README.md` if it names `dir`
(`dir`, `../dir/`, `dir/README.md`) or is written inside `dir` with `.`/`..` segments only
(`README.md`, `./`, `../..`, `/`: these lead only to folders above the linking file).
A document whose result is in the cache (unchanged since) is screened by that result, still
encoded: it holds every local link's decoded path, so a document none of whose link paths
names one of the files, and that is not inside one of the folders, cannot link into them;
the others are decoded and their links followed exactly. Any other document is screened by
its text, after undoing Markdown escapes, HTML entities and percent-encoding (the ways a
destination can be written), and parsed if it passes. (A detour such as
`../x/../README.md` is followed only in a document that passes the screen.)
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Sequence
from urllib.parse import unquote

from formalai_lint import gitignore, lazyre, source
from formalai_lint.config import Settings
from formalai_lint.engine import linked_documents
from formalai_lint.files import MARKDOWN_SUFFIXES, is_excluded
from formalai_lint.workers import Phase1

_ESCAPED = lazyre.compile(r"\\([!-/:-@\[-`{-~])")
# A link destination made of `.`/`..` segments only, or those and `README.md`, or `/`:
# `](../)`, `](./README.md#x)`, `[ref]: ..`; the form that names no folder.
_DOT_LINK = lazyre.compile(
    r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)"
    r"(?:(?:\.\.?/)*\.\.?/?|(?:\.\.?/)*README\.md|/(?:README\.md)?)"
    r"(?:[#?][^\s)>]*)?>?(?:\s|\)|$)",
    re.M,
)


def dependents(phase1: Phase1, given: Sequence[str], files: frozenset[str]) -> list[str]:
    """Markdown files not in `given` (and not excluded) whose links point into `given`.
    The documents that pass the screen go through the run's `phase1` like targets (workers
    and cache), so that a warm pre-commit run reads them from the cache, and the lint that
    follows does not parse them again."""
    settings = phase1.settings
    targets = {path for path in given if path.endswith(MARKDOWN_SUFFIXES)}
    folders = {posixpath.dirname(p) for p in targets if posixpath.basename(p) == "README.md"}
    # `…/D/README.md` names D unless its folders are all `.`/`..`: then it is written inside D
    names = {posixpath.basename(p) for p in targets if posixpath.basename(p) != "README.md"}
    names |= {posixpath.basename(folder) for folder in folders if folder}
    # a name as it appears inside a JSON string of a cached result
    encoded = [
        json.dumps(name, ensure_ascii=False)[1:-1].encode(errors="surrogateescape")
        for name in names
    ]
    git = gitignore.of_settings(settings, files)
    candidates = []
    for path in sorted(files):
        if path in targets or not path.endswith(MARKDOWN_SUFFIXES):
            continue
        if is_excluded(path, settings.exclude) or (git is not None and git.ignored(path)):
            continue
        inside = any(folder == "" or path.startswith(folder + "/") for folder in folders)
        body = phase1.cached_body(path)
        if body is not None:
            passes = inside or any(name in body for name in encoded)
        else:
            passes = _mentions(settings, path, names, inside)
        if passes:
            candidates.append(path)
    outcomes = phase1.run(candidates)
    return [
        result.path
        for result, _ in outcomes
        if result.facts is not None and linked_documents([result.facts], files) & targets
    ]


def _mentions(settings: Settings, path: str, names: set[str], dot_links: bool) -> bool:
    """Whether the document's text names one of `names` or (with `dot_links`) has a link
    made of `.`/`..` segments only."""
    try:
        text = source.read(settings.root / path, settings.root, settings.max_file_size).text
    except source.UnreadableError:
        return False
    decoded = unquote(html.unescape(_ESCAPED.sub(r"\1", text)))
    return any(name in decoded for name in names) or bool(dot_links and _DOT_LINK.search(decoded))
