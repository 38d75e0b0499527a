"""Every fixture under tests/fixtures/ gives exactly the diagnostics its markers name.

A fixture is a Markdown file, or a folder that is a small project of its own (for
cross-file rules, or with a `.formalai-lint.toml`). Expected diagnostics are written inline:
`<!-- expect: FL201 -->` on the offending line, `<!-- expect@+1: FL101 -->` for the next one.
A fixture without markers must lint clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, expectations, found, lint_tree


def _fixtures() -> list[Path]:
    result = []
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        result.extend(sorted(p for p in rule_dir.iterdir() if p.suffix == ".md" or p.is_dir()))
    return result


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(fixture: Path, project) -> None:  # type: ignore[no-untyped-def]
    root = project(fixture)
    assert found(lint_tree(root)) == expectations(root)


def test_every_rule_family_has_fixtures() -> None:
    from formalai_lint import registry

    codes = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    engine_only = {"FL002"}  # raised only by a crashing rule: tested in test_hostile.py
    missing = [r.code for r in registry.all_rules() if r.code not in codes | engine_only]
    assert not missing, f"rules without fixtures: {missing}"
