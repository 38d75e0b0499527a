"""`formalai-lint report`: from a check run's results to the page (what the CLI calls).

The run itself (configuration, files, cache, phase 1 and 2) is the check run's; this adds
only what the page needs beyond its diagnostics: the facts phase 1 already holds, the level
documents parsed again for their tables (a handful of files), and the baseline comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from formalai_lint import engine, health, healthpage, levelmap, source
from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.engine import Phase1Run
from formalai_lint.project import DocFacts

if TYPE_CHECKING:
    from formalai_lint.baseline import Outcome


def facts(run: Phase1Run, targets: Sequence[str], files: frozenset[str]) -> dict[str, DocFacts]:
    """The facts of the targets and of the documents they link to, from a session's phase 1
    (which returns what it has already linted in this run without linting it again)."""
    found = {r.path: r.facts for r, _ in run(targets) if r.facts is not None}
    linked = sorted(engine.linked_documents(list(found.values()), files) - set(targets))
    found.update((r.path, r.facts) for r, _ in run(linked) if r.facts is not None)
    return found


def level_documents(
    settings: Settings,
    targets: Sequence[str],
    facts: dict[str, DocFacts],
    diagnostics: Sequence[Diagnostic],
) -> list[Document]:
    """The targets that are level documents (by file name or H1, or because a level rule
    reported on them), parsed again for their tables: the facts do not hold tables."""
    flagged = {d.path for d in diagnostics if d.code in levelmap.LEVEL_CODES}
    wanted = [
        path
        for path in targets
        if path in facts and (path in flagged or levelmap.is_candidate(path, facts[path].title))
    ]
    docs = []
    for path in wanted:
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size).text
        except source.UnreadableError:  # it changed since phase 1; its findings say so
            continue
        docs.append(engine.parse(settings, path, text))
    return docs


def page(
    settings: Settings,
    targets: Sequence[str],
    files: frozenset[str],
    diagnostics: Sequence[Diagnostic],
    found: dict[str, DocFacts],
    link_base: str | None = None,
    baseline_path: Path | None = None,
    outcome: Outcome | None = None,
) -> str:
    """The page of a lint of `targets`; `outcome` is its comparison with the baseline file."""
    delta = None
    if outcome is not None:
        where = str(baseline_path) if baseline_path else "the baseline"
        delta = health.BaselineDelta(where, outcome.matched, len(outcome.new), outcome.gone)
    docs = level_documents(settings, targets, found, diagnostics)
    model = levelmap.configured_model(settings.table)
    data = health.gather(
        settings.root.name,
        targets,
        files,
        diagnostics,
        found,
        levelmap.level_map(docs, model, diagnostics),
        delta,
        outcome.new if outcome is not None else (),
    )
    return healthpage.render(data, link_base)
