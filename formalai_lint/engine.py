"""Collect, then check: the whole lint of a set of documents.

Phase 1 parses each target once and runs the file rules on it; it also keeps the document's
facts. Documents that targets link to are parsed for their facts too. Phase 2 runs the
project rules once over those facts. Then per-file ignores and severity overrides apply and
the diagnostics are sorted. File I/O is limited to `source.read`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from formalai_lint import gitignore, links, registry, source, suppression
from formalai_lint.config import Settings, selector_matches
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.files import is_excluded
from formalai_lint.links import MARKDOWN_SUFFIXES, join
from formalai_lint.rule import DocFacts, FileRule, Project, ProjectRule, Rule
from formalai_lint.rules.tool.file_too_large import FileTooLarge
from formalai_lint.rules.tool.internal_error import InternalError
from formalai_lint.rules.tool.unreadable_file import UnreadableFile
from formalai_lint.rules.tool.unused_suppression import UnusedSuppression
from formalai_lint.suppression import Directive

if TYPE_CHECKING:
    from formalai_lint import workers


@dataclass
class FileResult:
    path: str
    facts: DocFacts | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    files_checked: int
    tracebacks: list[str] = field(default_factory=list)  # shown with -v


def parse(settings: Settings, path: str) -> Document:
    text = source.read(settings.root / path, settings.root, settings.max_file_size)
    return Document(path, text, settings.parse_options)


def lint_file(
    settings: Settings, path: str, rules: Sequence[FileRule]
) -> tuple[FileResult, list[str]]:
    """Phase 1 for one file: parse, run the file rules, keep the facts."""
    try:
        doc = parse(settings, path)
    except source.TooLargeError as e:
        diag = FileTooLarge(settings).diagnostic(path, 1, 1, f"not linted: {e}", e.reason)
        return FileResult(path, None, [diag]), []
    except source.UnreadableError as e:
        diag = UnreadableFile(settings).diagnostic(path, 1, 1, f"cannot read file: {e}", e.reason)
        return FileResult(path, None, [diag]), []
    result = FileResult(path, DocFacts.of(doc))
    tracebacks: list[str] = []
    for rule in rules:
        try:
            result.diagnostics.extend(rule.check(doc))
        except Exception as e:
            result.diagnostics.append(_crash(settings, rule, path, e))
            tracebacks.append(traceback.format_exc())
    return result, tracebacks


def _crash(settings: Settings, rule: Rule, path: str, error: Exception) -> Diagnostic:
    message = f"rule {rule.code} ({rule.name}) crashed: {type(error).__name__}: {error}"
    return InternalError(settings).diagnostic(path, 1, 1, message, rule.code)


def hidden_folders(settings: Settings, files: frozenset[str]) -> frozenset[str]:
    """Folders a did-you-mean never points into from outside: archives, excluded, git-ignored."""
    folders = Project(files, {}).directories - {""}
    return links.hidden_folders(
        folders, settings.exclude, settings.archive_folders
    ) | gitignore.read_ignored(settings.root, files, folders, settings.max_file_size)


def linked_documents(facts: Iterable[DocFacts], files: frozenset[str]) -> set[str]:
    """Markdown files that these documents link to (folders count as their README.md)."""
    found: set[str] = set()
    for doc in facts:
        for link in doc.links:
            if not link.path:
                continue
            target = join(doc.path, link.path)
            if target is None:
                continue
            readme = f"{target}/README.md" if target else "README.md"
            for candidate in (target, readme):
                if candidate in files and candidate.endswith(MARKDOWN_SUFFIXES):
                    found.add(candidate)
    return found


def lint(
    settings: Settings,
    targets: Sequence[str],
    files: frozenset[str],
    options: workers.RunOptions | None = None,
    phase1: workers.Phase1 | None = None,
) -> Report:
    """Lint `targets`; `options` says how phase 1 runs (default: in-process, no cache).

    A caller that already ran phase 1 on some documents (the changed-files mode) passes its
    open `phase1`, so that those documents are not linted again; it then saves the cache.
    """
    from formalai_lint import workers  # here: workers imports this module

    enabled = registry.enabled(settings)
    project_rules = [cls(settings) for cls in enabled if issubclass(cls, ProjectRule)]

    diagnostics: list[Diagnostic] = []
    tracebacks: list[str] = []
    docs: dict[str, DocFacts] = {}
    with workers.phase1_of(settings, files, options, shared=phase1) as phase1:
        for result, crashes in phase1.run(targets):
            diagnostics.extend(result.diagnostics)
            tracebacks.extend(crashes)
            if result.facts is not None:
                docs[result.path] = result.facts
        # The documents targets link to, for their facts only (none left when every
        # document is a target, as in a whole-project run).
        others = {f for f in files if f.endswith(MARKDOWN_SUFFIXES)}.difference(targets)
        if project_rules and others:
            linked = sorted(linked_documents(list(docs.values()), files) & others)
            for result, _ in phase1.run(linked):
                if result.facts is not None:  # unreadable: reported when it is a target
                    docs[result.path] = result.facts

    if project_rules:
        project = Project(files, docs, tuple(targets), partial(hidden_folders, settings, files))
        for rule in project_rules:
            try:
                diagnostics.extend(rule.check(project))
            except Exception as e:
                diagnostics.append(_crash(settings, rule, targets[0] if targets else ".", e))
                tracebacks.append(traceback.format_exc())

    codes = {cls.code for cls in enabled}
    kept = [d for d in diagnostics if d.code in codes]
    found = {path: docs[path].suppressions for path in targets if path in docs}
    kept = _suppress(settings, enabled, kept, found)
    return Report(sorted(_configure(settings, kept)), len(targets), tracebacks)


def _suppress(
    settings: Settings,
    enabled: Sequence[type[Rule]],
    diagnostics: list[Diagnostic],
    found: Mapping[str, Sequence[Directive]],
) -> list[Diagnostic]:
    """Apply the inline suppressions of the targets; report unused ones as FL901."""
    fl901 = UnusedSuppression(settings) if UnusedSuppression in enabled else None
    known = registry.all_rules()
    return suppression.apply(
        diagnostics,
        found,
        fl901,
        [(r.code, r.name) for r in enabled],
        [(r.code, r.name) for r in known],
    )


def _configure(settings: Settings, diagnostics: Iterable[Diagnostic]) -> Iterable[Diagnostic]:
    """Apply per-file ignores and severity overrides."""
    for diag in diagnostics:
        ignored = any(
            is_excluded(diag.path, (glob,))  # the glob semantics of `exclude`
            and any(selector_matches(s, diag.code, diag.name) for s in codes)
            for glob, codes in settings.per_file_ignores
        )
        if ignored:
            continue
        severity = settings.severity.get(diag.code)
        yield replace(diag, severity=severity) if severity else diag
