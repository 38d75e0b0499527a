"""The rule registry and the reference pages under rules/ are kept in step, and every page's
examples behave as the page says: the `bad` example fires the rule, the `good` one does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formalai_lint import registry
from tests.conftest import lint_tree

PAGES = Path(__file__).parent.parent / "rules"
# ```markdown bad            -> example.md of the bad project
# ```markdown good path=b.md -> b.md of the good project
EXAMPLE = re.compile(r"^```markdown (bad|good)(?: path=(\S+))?\n(.*?)^```$", re.S | re.M)
RULES = registry.all_rules()


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    pages = {p.stem for p in PAGES.glob("FL*.md")}
    assert pages == {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_page_heading_and_sections(rule) -> None:  # type: ignore[no-untyped-def]
    text = (PAGES / f"{rule.code}.md").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {rule.code} {rule.name}"
    for section in ("## What it does", "## Why is this bad?"):
        assert section in text, f"{rule.code}.md lacks `{section}`"


def test_rule_metadata() -> None:
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
        module = rule.__module__.rsplit(".", 1)[-1]
        if rule.__module__.startswith("formalai_lint.rules."):
            assert module == rule.name.replace("-", "_"), "one module per rule, named after it"


def _examples(rule) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    page = PAGES / f"{rule.code}.md"
    text = page.read_text(encoding="utf-8") if page.exists() else ""  # missing: failed above
    projects: dict[str, dict[str, str]] = {"bad": {}, "good": {}}
    for kind, path, body in EXAMPLE.findall(text):
        projects[kind][path or "example.md"] = body
    return projects


WITH_EXAMPLES = [r for r in RULES if _examples(r)["bad"]]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda r: r.code)
@pytest.mark.parametrize("kind", ["bad", "good"])
def test_page_examples(rule, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = _examples(rule)[kind]
    assert project, f"{rule.code}.md has no `markdown {kind}` example"
    for path, body in project.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(body, encoding="utf-8")
    codes = [d.code for d in lint_tree(tmp_path).diagnostics]
    if kind == "bad":
        assert rule.code in codes
    else:
        assert rule.code not in codes, codes


def test_most_rules_have_examples() -> None:
    engine_reported = {"FL001", "FL002", "FL003", "FL005"}
    missing = [r.code for r in RULES if r not in WITH_EXAMPLES and r.code not in engine_reported]
    assert not missing, f"pages without a bad/good example: {missing}"
