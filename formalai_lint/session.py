"""One run of the linter, owned by one object: every entry point goes through a `Session`.

A session holds the settings, the rule set (built once), the list of the project's files, and
the open phase 1 (the parse, the cache and the worker processes), so that whatever a run does
(lint, lint the files given and those that link into them, fix, lint the fixed files again)
parses each unchanged document at most once and writes the cache once, when it closes. Its
methods return data and print nothing: the command line (`cli.py`), the Python API
(`formalai_lint.lint`), the tests and the scripts render or assert what they get.

    with Session.open([Path("docs")], jobs=4, cache=True) as session:
        report = session.lint(session.targets([Path("docs")]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from formalai_lint import engine, files, gitignore, lazyre, registry, source
from formalai_lint.cache import DIR_NAME, check_dir
from formalai_lint.config import Settings, load_settings
from formalai_lint.dependents import dependents
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.engine import RuleSet
from formalai_lint.errors import LintError, UsageError
from formalai_lint.news import only_news
from formalai_lint.results import Report
from formalai_lint.workers import Phase1, RunOptions, default_jobs

if TYPE_CHECKING:
    from formalai_lint import baseline, fix


_LINE_BREAK = lazyre.compile(r"\r\n|\r|\n")  # as the document model counts lines


@dataclass
class Fixed:
    """What `Session.fix` did: the files changed (or that would change), the warnings, and the
    diagnostics that remain (the changed files linted again; unchanged when not written)."""

    run: fix.FixRun
    diagnostics: list[Diagnostic]


class Session:
    """A run: settings, rules, files and phase 1. Use as a context manager (the cache is saved
    and the workers are stopped when it closes)."""

    def __init__(self, settings: Settings, options: RunOptions | None = None) -> None:
        registry.check_settings(settings)
        self.settings = settings
        self.rules = RuleSet.of(settings)
        self.files = files.project_files(settings.root)
        self._stdin: str | None = None  # the project path of a document given on stdin
        self.options = options or RunOptions()
        self._phase1: Phase1 | None = None

    @classmethod
    def open(
        cls,
        paths: Sequence[Path | str] = (".",),
        *,
        config: Path | str | None = None,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        respect_gitignore: bool | None = None,
        force_exclude: bool | None = None,
        stdin_path: Path | None = None,
        jobs: int | None = 1,
        cache: bool = False,
        cache_dir: Path | None = None,
        progress: bool = False,
        verbose: bool = False,
    ) -> Session:
        """A session for linting `paths`: the configuration found from them (or `config`),
        the command line's `select`/`extend_select`/`ignore` over the file's. `jobs`: worker
        processes (None: one per CPU). `cache`: read and write the cache, in `cache_dir`
        (default: `.formalai-lint-cache/` in the project root)."""
        for path in map(Path, paths):
            if path == stdin_path:  # a document on stdin: its file need not exist yet
                continue
            if not path.exists() and not path.is_symlink():
                raise UsageError(f"path `{path}` does not exist")
        settings = load_settings(
            [Path(p) for p in paths],
            Path(config) if config is not None else None,
            use_cache=cache,
            select=_listed(select),
            extend_select=_listed(extend_select),
            ignore=_listed(ignore),
            respect_gitignore=respect_gitignore,
            force_exclude=force_exclude,
        )
        session = cls(settings)
        if cache and cache_dir is not None:
            check_dir(cache_dir.absolute())
        directory = None
        if cache:
            directory = cache_dir.absolute() if cache_dir else settings.root / DIR_NAME
        session.options = RunOptions(jobs or default_jobs(), directory, progress, verbose)
        return session

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close(kind, error, trace)

    def close(
        self,
        kind: type[BaseException] | None = None,
        error: BaseException | None = None,
        trace: TracebackType | None = None,
    ) -> None:
        """Save the cache and stop the workers. After an exit (`sys.exit`) or an error
        reported to the user (`LintError`: what was linted is still right) the cache is saved;
        after a crash or an interruption (Ctrl-C) it is not, and the workers are killed."""
        phase1, self._phase1 = self._phase1, None
        if phase1 is None:
            return
        if kind is not None and issubclass(kind, SystemExit):
            kind = error = trace = None
        try:
            if kind is None or issubclass(kind, LintError):
                phase1.save(self.files)
        finally:
            phase1.__exit__(kind, error, trace)

    @property
    def phase1(self) -> Phase1:
        """The run's phase 1, opened on first use."""
        if self._phase1 is None:
            self._phase1 = Phase1(self.rules, self.options).__enter__()
        return self._phase1

    def targets(self, paths: Sequence[Path | str]) -> list[str]:
        """The documents `paths` name (folders: their Markdown files), as project paths."""
        given = [Path(p) for p in paths]
        return files.select_targets(
            given,
            self.settings.root,
            self.files,
            self.settings.exclude,
            ignored=gitignore.of_settings(self.settings, self.files),
            force_exclude=self.settings.force_exclude,
        )

    def substitute(self, path: Path, text: str) -> str:
        """Lint `text` in place of the file `path` (a document on stdin; the file need not
        exist yet): returns its project path. The rest of the project is read from disk."""
        named = files.relative_path(path, self.settings.root)
        source.substitute(self.settings.root / named, text)
        self.files = self.files | {named}
        self._stdin = named
        return named

    def news(
        self, diagnostics: Sequence[Diagnostic], named: Sequence[str], checked: Sequence[str]
    ) -> list[Diagnostic]:
        """Of the diagnostics of a changed-files lint (`checked`: the `named` files and those
        linking into them), the news: see `formalai_lint.news`."""
        linking = sorted(set(checked).difference(named))
        facts = {r.path: r.facts for r, _ in self.phase1.run(linking) if r.facts is not None}
        return only_news(diagnostics, named, facts, self.files)

    def lines(self, path: str) -> Sequence[str]:
        """The lines of the project file `path` (for `--output-format full`), () when it
        cannot be read."""
        try:
            text = source.read(self.settings.root / path, self.settings.root).text
        except source.UnreadableError:
            return ()
        return _LINE_BREAK.split(text)

    def lint(self, targets: Sequence[str]) -> Report:
        """Lint `targets` (project paths, as `targets()` gives them)."""
        phase1 = self.phase1
        try:
            return engine.lint(self.rules, targets, self.files, phase1.run)
        finally:
            phase1.progress.close()  # what follows on stderr starts on a clean line

    def dependents(self, given: Sequence[str]) -> list[str]:
        """The Markdown files, besides `given`, whose links point into `given`."""
        return dependents(self.phase1, given, self.files)

    def lint_with_dependents(self, given: Sequence[str]) -> Report:
        """Lint `given` and every document that links into them (the changed-files mode of a
        pre-commit run); `report.targets` lists them all."""
        return self.lint(sorted({*given, *self.dependents(given)}))

    def check(self, paths: Sequence[Path | str]) -> Report:
        """What `formalai-lint PATH...` lints: the targets of `paths`, and when a file is named
        (pre-commit's changed files) or a document is on stdin, also the documents that link
        into them; then `report.named` lists the files named (see `news`)."""
        targets = self.targets(paths)
        if self._stdin is not None or any(Path(p).is_file() for p in paths):
            report = self.lint_with_dependents(targets)
            report.named = targets
            return report
        return self.lint(targets)

    def fix(
        self,
        diagnostics: Sequence[Diagnostic],
        *,
        unsafe: bool = False,
        write: bool = True,
        baseline_file: Path | None = None,
    ) -> Fixed:
        """Fix what `diagnostics` report; when `write`, write the files and lint the changed
        ones again (compared with `baseline_file` when given)."""
        from formalai_lint import fix  # here: a run without --fix never loads the fixers

        outcome = fix.run(
            self.rules, diagnostics, self.files, unsafe=unsafe, write=write, phase1=self.phase1.run
        )
        remaining = list(diagnostics)
        changed = outcome.changed_paths
        if write and changed:
            self.phase1.forget(changed)
            again = self.lint(changed).diagnostics
            if baseline_file is not None:
                again = self.compare_baseline(again, changed, baseline_file).new
            refreshed = set(changed)
            kept = [d for d in remaining if d.path not in refreshed]
            remaining = sorted([*kept, *again])
        return Fixed(outcome, remaining)

    def compare_baseline(
        self, diagnostics: Sequence[Diagnostic], targets: Sequence[str], path: Path
    ) -> baseline.Outcome:
        """Split `diagnostics` (of a lint of `targets`) by the baseline file at `path`."""
        from formalai_lint import baseline  # here: most runs have no baseline (start-up time)

        hashes = baseline.line_hashes(self.settings, diagnostics)
        entries = baseline.load(path, self.settings.root)
        return baseline.compare(diagnostics, entries, targets, self.files, hashes)

    def write_baseline(
        self, diagnostics: Sequence[Diagnostic], targets: Sequence[str], path: Path
    ) -> int:
        """Record `diagnostics` (of a lint of `targets`) in the baseline file at `path`;
        returns the number of entries written."""
        from formalai_lint import baseline  # here: most runs have no baseline (start-up time)

        hashes = baseline.line_hashes(self.settings, diagnostics)
        return baseline.write(path, diagnostics, targets, self.files, hashes, self.settings.root)


def _listed(selectors: Sequence[str] | None) -> list[str] | None:
    return None if selectors is None else list(selectors)


def lint(
    paths: Sequence[Path | str] = (".",),
    *,
    config: Path | str | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    jobs: int | None = 1,
    cache: bool = False,
) -> list[Diagnostic]:
    """The diagnostics of `paths`, as `formalai-lint PATH...` finds them (files named alone
    also check the files that link into them). Raises a `formalai_lint.errors.LintError`
    for a mistake in the arguments or the configuration."""
    with Session.open(
        paths,
        config=config,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        jobs=jobs,
        cache=cache,
    ) as session:
        report = session.check(paths)
        if report.named is not None:  # only news, as on the command line
            return session.news(report.diagnostics, report.named, report.targets)
        return report.diagnostics
