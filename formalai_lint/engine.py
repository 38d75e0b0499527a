"""Collect, then check: the lint of a set of documents, given a way to run phase 1.

`RuleSet` is the run's rules, built once from the settings. Phase 1 (`lint_file`) parses one
document and runs the file rules on it, keeping the document's facts; the caller decides how
phase 1 runs (in-process, in workers, through the cache: `workers.Phase1`) and passes it to
`lint` as a function. Documents that targets link to are run through phase 1 too, for their
facts. Phase 2 runs the project rules once over those facts. Then suppressions, per-file
ignores and severity overrides apply and the diagnostics are sorted. File I/O is limited to
`source.read`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import Any

from formalai_lint import gitignore, links, registry, source, suppression
from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.files import MARKDOWN_SUFFIXES, folder_readme, is_excluded
from formalai_lint.links import join
from formalai_lint.project import DocFacts, Project
from formalai_lint.results import FileResult, Report
from formalai_lint.rule import FileRule, ProjectRule, Rule
from formalai_lint.rules.tool.file_too_large import FileTooLarge
from formalai_lint.rules.tool.internal_error import InternalError
from formalai_lint.rules.tool.unreadable_file import UnreadableFile
from formalai_lint.rules.tool.unused_suppression import UnusedSuppression
from formalai_lint.selector import selector_matches
from formalai_lint.suppression import Directive

__all__ = ["FileResult", "Report", "RuleSet", "lint", "lint_file"]

Outcome = tuple[FileResult, list[str]]  # a file's result and the tracebacks of crashed rules
Phase1Run = Callable[[Sequence[str]], list[Outcome]]  # one outcome per path, in order


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The rules of a run, chosen by the settings once: the enabled rule classes, and
    instances of the file rules and the project rules. Pickled as its settings (a worker
    started by `spawn` rebuilds it the same way)."""

    settings: Settings
    enabled: tuple[type[Rule], ...]

    @classmethod
    def of(cls, settings: Settings) -> RuleSet:
        return cls(settings, registry.enabled(settings))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RuleSet.of, (self.settings,))

    @cached_property
    def file_rules(self) -> list[FileRule]:
        return [c(self.settings) for c in self.enabled if issubclass(c, FileRule)]

    @cached_property
    def project_rules(self) -> list[ProjectRule]:
        return [c(self.settings) for c in self.enabled if issubclass(c, ProjectRule)]

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.enabled)


def parse(settings: Settings, path: str, text: str) -> Document:
    return Document(path, text, settings.parse_options)


def lint_file(
    settings: Settings, path: str, rules: Sequence[FileRule]
) -> tuple[FileResult, list[str], str | None]:
    """Phase 1 for one file: read, parse, run the file rules, keep the facts. Returns the
    result, the tracebacks of crashed rules and the digest of the bytes read (None when the
    file could not be read)."""
    try:
        contents = source.read(settings.root / path, settings.root, settings.max_file_size)
        doc = parse(settings, path, contents.text)
    except source.TooLargeError as e:
        diag = FileTooLarge(settings).diagnostic(path, 1, 1, f"not linted: {e}", e.reason)
        return FileResult(path, None, [diag]), [], None
    except source.UnreadableError as e:
        diag = UnreadableFile(settings).diagnostic(path, 1, 1, f"cannot read file: {e}", e.reason)
        return FileResult(path, None, [diag]), [], None
    result = FileResult(path, DocFacts.of(doc))
    tracebacks: list[str] = []
    for rule in rules:
        try:
            result.diagnostics.extend(rule.check(doc))
        except Exception as e:
            result.diagnostics.append(_crash(settings, rule, path, e))
            tracebacks.append(traceback.format_exc())
    return result, tracebacks, contents.digest


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
            for candidate in (target, folder_readme(target)):
                if candidate in files and candidate.endswith(MARKDOWN_SUFFIXES):
                    found.add(candidate)
    return found


def lint(rules: RuleSet, targets: Sequence[str], files: frozenset[str], run: Phase1Run) -> Report:
    """Lint `targets` among the project's `files`, running phase 1 through `run`."""
    settings = rules.settings
    diagnostics: list[Diagnostic] = []
    tracebacks: list[str] = []
    docs: dict[str, DocFacts] = {}
    for result, crashes in run(targets):
        diagnostics.extend(result.diagnostics)
        tracebacks.extend(crashes)
        if result.facts is not None:
            docs[result.path] = result.facts
    # The documents targets link to, for their facts only (none left when every document is
    # a target, as in a whole-project run).
    others = {f for f in files if f.endswith(MARKDOWN_SUFFIXES)}.difference(targets)
    if rules.project_rules and others:
        linked = sorted(linked_documents(list(docs.values()), files) & others)
        for result, _ in run(linked):
            if result.facts is not None:  # unreadable: reported when it is a target
                docs[result.path] = result.facts

    if rules.project_rules:
        project = Project(files, docs, tuple(targets), partial(hidden_folders, settings, files))
        for rule in rules.project_rules:
            try:
                diagnostics.extend(rule.check(project))
            except Exception as e:
                diagnostics.append(_crash(settings, rule, targets[0] if targets else ".", e))
                tracebacks.append(traceback.format_exc())

    kept = [d for d in diagnostics if d.code in rules.codes]
    found = {path: docs[path].suppressions for path in targets if path in docs}
    kept = _suppress(settings, rules.enabled, kept, found)
    return Report(sorted(_configure(settings, kept)), len(targets), tracebacks, list(targets))


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
