"""Shared test helpers: lint a tree the way the CLI does, and read inline expectations."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from formalai_lint.results import Report
from formalai_lint.session import Session

FIXTURES = Path(__file__).parent / "fixtures"


def python_output(code: str) -> str:
    """What `code` prints, run in a fresh interpreter (so that what it imports is its own)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


# `<!-- expect: FL201 -->` on the offending line; `<!-- expect@+1: FL101 -->` for the next line;
# several codes separated by commas or spaces.
EXPECT = re.compile(r"<!--\s*expect(?:@([+-]\d+))?:\s*([A-Z0-9, ]+?)\s*-->")


@pytest.fixture(autouse=True, scope="session")
def _private_cache_secret(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache's per-user secret (formalai_lint.cache.secret) lives in a folder of the test
    session's, never in the home folder of whoever runs the tests."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


def expectations(root: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in EXPECT.finditer(line):
                target = number + int(match[1] or 0)
                found.extend((rel, target, code) for code in re.split(r"[,\s]+", match[2]) if code)
    return sorted(found)


def lint_tree(root: Path, *paths: Path, **overrides: object) -> Report:
    """Lint `paths` (default: all of `root`) with `root`'s config, through a Session (in-process,
    no cache). Files named are linted alone (no dependents), as in a folder run."""
    given = list(paths) or [root]
    with Session.open(given, **overrides) as session:  # type: ignore[arg-type]
        return session.lint(session.targets(given))


def found(report: Report) -> list[tuple[str, int, str]]:
    return sorted((d.path, d.line, d.code) for d in report.diagnostics)


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    from click.testing import CliRunner

    from formalai_lint.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a fixture (a file or a folder) into an empty folder that is its own project root."""

    def make(fixture: Path) -> Path:
        root = tmp_path / "project"
        if fixture.is_dir():
            shutil.copytree(fixture, root)
        else:
            root.mkdir()
            shutil.copy(fixture, root / fixture.name)
        return root

    return make


def growth(work: Callable[[int], object], n: int) -> float:
    """How much more CPU time `work(4 * n)` takes than `work(n)`: the best of three runs each,
    in this process's CPU time (not wall time: other processes on the machine do not count),
    garbage collection off while measuring."""

    def best(size: int) -> float:
        times = []
        for _ in range(3):
            gc.collect()
            gc.disable()  # a collection landing in one run only would skew the ratio
            try:
                start = time.process_time()
                work(size)
                times.append(time.process_time() - start)
            finally:
                gc.enable()
        return min(times)

    return best(4 * n) / best(n)
