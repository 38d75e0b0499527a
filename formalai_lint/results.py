"""What a lint returns: one file's phase-1 result, and the report of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.project import DocFacts


@dataclass
class FileResult:
    """Phase 1 of one document: its facts (None when it could not be parsed) and the
    diagnostics of the file rules. This is what workers return and the cache keeps."""

    path: str
    facts: DocFacts | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Report:
    """A lint's outcome: the diagnostics (sorted, suppressions and configuration applied)."""

    diagnostics: list[Diagnostic]
    files_checked: int
    tracebacks: list[str] = field(default_factory=list)  # of crashed rules; shown with -v
    targets: list[str] = field(default_factory=list)  # the documents reported on
    # In changed-files mode, the files named (`targets` adds those linking into them):
    named: list[str] | None = None
