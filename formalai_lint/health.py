"""The health report's data: what a check run found, arranged for one page.

Pure functions of what a run already has: its diagnostics, the facts (links, with their TOC
or related-topics context) of the documents it parsed, the level map (`levelmap.py`) and,
with a baseline, its comparison. `healthpage.render` turns the result into HTML.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.files import folder_readme
from formalai_lint.levelmap import LevelMap
from formalai_lint.links import join
from formalai_lint.project import DocFacts

# Rule families by code prefix, in the order the page lists them.
FAMILIES = (
    ("FL0", "files"),
    ("FL1", "table of contents"),
    ("FL2", "links"),
    ("FL3", "related topics"),
    ("FL4", "levels"),
    ("FL5", "numbering"),
    ("FL9", "suppressions"),
)
# Link findings: a link that leads nowhere (FL301: in a related-topics section).
BROKEN_LINK_CODES = frozenset(("FL201", "FL202", "FL203", "FL204", "FL301"))
# Documents that are entry points by their name: never orphans.
INDEX_NAMES = frozenset(("readme.md", "index.md", "_index.md", "readme.markdown"))
MOST_LINKED = 15  # how many of the most-linked documents the page lists


@dataclass(frozen=True)
class RuleCount:
    code: str
    name: str
    errors: int
    warnings: int
    fixable: int
    new: int  # not in the baseline (all of them without one)

    @property
    def total(self) -> int:
        return self.errors + self.warnings


@dataclass(frozen=True)
class FamilyCount:
    prefix: str
    name: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class DocumentFindings:
    path: str
    findings: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.findings if d.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class Folder:
    path: str  # "" for the root
    errors: int
    warnings: int
    folders: tuple[Folder, ...]  # worst first
    documents: tuple[DocumentFindings, ...]  # worst first

    @property
    def name(self) -> str:
        return posixpath.basename(self.path) or "."

    @property
    def total(self) -> int:
        return self.errors + self.warnings


@dataclass(frozen=True)
class LinkHealth:
    documents: int  # the documents the figures below are about (the targets parsed)
    orphans: tuple[str, ...]
    most_linked: tuple[tuple[str, int], ...]  # (document, documents linking to it)
    broken_by_folder: tuple[tuple[str, int], ...]  # (folder, broken links), most first
    without_toc: tuple[str, ...]
    without_related: tuple[str, ...]


@dataclass(frozen=True)
class BaselineDelta:
    path: str
    matched: int  # findings the baseline accounts for
    new: int  # findings not in it
    fixed: tuple[tuple[str, str, str], ...]  # its entries that no longer occur: (path, code, text)


@dataclass(frozen=True)
class Health:
    project: str  # the project root's folder name
    files_checked: int
    diagnostics: tuple[Diagnostic, ...]
    families: tuple[FamilyCount, ...]
    rules: tuple[RuleCount, ...]
    tree: Folder
    links: LinkHealth
    level_map: LevelMap
    baseline: BaselineDelta | None = None
    new: frozenset[Diagnostic] = field(default_factory=frozenset)  # with a baseline

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rules)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.rules)

    @property
    def fixable(self) -> int:
        return sum(r.fixable for r in self.rules)


def gather(
    project: str,
    targets: Sequence[str],
    files: Collection[str],
    diagnostics: Sequence[Diagnostic],
    facts: Mapping[str, DocFacts],
    level_map: LevelMap,
    baseline: BaselineDelta | None = None,
    new: Iterable[Diagnostic] = (),
) -> Health:
    """Everything the page shows. `facts` are those of every document the run parsed (the
    targets and the documents they link to); `new` the diagnostics a baseline does not hold."""
    new_set = frozenset(new) if baseline is not None else frozenset(diagnostics)
    return Health(
        project,
        len(targets),
        tuple(diagnostics),
        families(diagnostics),
        rule_counts(diagnostics, new_set),
        folder_tree(diagnostics),
        link_health(targets, files, diagnostics, facts),
        level_map,
        baseline,
        new_set if baseline is not None else frozenset(),
    )


def family_of(code: str) -> tuple[str, str]:
    return next(((p, n) for p, n in FAMILIES if code.startswith(p)), (code[:3], "other"))


def families(diagnostics: Iterable[Diagnostic]) -> tuple[FamilyCount, ...]:
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    names: dict[str, str] = {}
    for d in diagnostics:
        prefix, name = family_of(d.code)
        names[prefix] = name
        (errors if d.severity == Severity.ERROR else warnings)[prefix] += 1
    return tuple(
        FamilyCount(prefix, names[prefix], errors[prefix], warnings[prefix])
        for prefix in sorted(names)
    )


def rule_counts(
    diagnostics: Iterable[Diagnostic], new: Collection[Diagnostic]
) -> tuple[RuleCount, ...]:
    """Per rule, most findings first."""
    rows: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for d in diagnostics:
        row = rows.setdefault(d.code, [0, 0, 0, 0])
        names[d.code] = d.name
        row[0 if d.severity == Severity.ERROR else 1] += 1
        row[2] += d.fixable
        row[3] += d in new
    counts = [RuleCount(code, names[code], *row) for code, row in rows.items()]
    return tuple(sorted(counts, key=lambda r: (-r.total, r.code)))


def folder_tree(diagnostics: Iterable[Diagnostic]) -> Folder:
    """The folders holding findings, each with its subtree's counts, worst first."""
    by_document: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_document.setdefault(d.path, []).append(d)
    return _folder("", by_document)


def _folder(path: str, by_document: Mapping[str, list[Diagnostic]]) -> Folder:
    prefix = f"{path}/" if path else ""
    documents, subfolders = [], set()
    for document, found in by_document.items():
        if not document.startswith(prefix):
            continue
        rest = document[len(prefix) :]
        if "/" in rest:
            subfolders.add(prefix + rest.split("/", 1)[0])
        else:
            documents.append(DocumentFindings(document, tuple(sorted(found))))
    folders = [_folder(sub, by_document) for sub in subfolders]
    errors = sum(f.errors for f in folders) + sum(d.errors for d in documents)
    warnings = sum(f.warnings for f in folders) + sum(d.warnings for d in documents)
    return Folder(
        path,
        errors,
        warnings,
        tuple(sorted(folders, key=lambda f: (-f.errors, -f.total, f.path))),
        tuple(sorted(documents, key=lambda d: (-d.errors, -len(d.findings), d.path))),
    )


def link_health(
    targets: Sequence[str],
    files: Collection[str],
    diagnostics: Iterable[Diagnostic],
    facts: Mapping[str, DocFacts],
) -> LinkHealth:
    """Orphans, most-linked documents, broken links per folder, documents without a TOC or
    a related-topics section (as the parse marks links: `toc`, `related`).

    A link counts for the document it reaches (a folder's README for a folder), once per
    linking document, never from the document itself.
    """
    folders = {"/".join(f.split("/")[:i]) for f in files for i in range(f.count("/") + 1)}
    linked_from: dict[str, set[str]] = {}
    for source in facts.values():
        for link in source.links:
            if not link.path:
                continue
            target = join(source.path, link.path)
            if target is not None and target not in files and target in folders:
                target = folder_readme(target)
            if target is not None and target in files and target != source.path:
                linked_from.setdefault(target, set()).add(source.path)
    documents = [path for path in targets if path in facts]
    orphans = tuple(
        path
        for path in documents
        if path not in linked_from and posixpath.basename(path).lower() not in INDEX_NAMES
    )
    ranked = sorted(((p, len(s)) for p, s in linked_from.items()), key=lambda x: (-x[1], x[0]))
    broken = Counter(
        posixpath.dirname(d.path) or "." for d in diagnostics if d.code in BROKEN_LINK_CODES
    )
    return LinkHealth(
        len(documents),
        orphans,
        tuple(ranked[:MOST_LINKED]),
        tuple(sorted(broken.items(), key=lambda x: (-x[1], x[0]))),
        tuple(p for p in documents if not any(k.context == "toc" for k in facts[p].links)),
        tuple(p for p in documents if not any(k.context == "related" for k in facts[p].links)),
    )
