"""One registration: a built-in rule is a module in its family folder, with a page and a
fixture; third-party rules come from entry points; the README's table agrees with the rules."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from formalai_lint import registry
from formalai_lint.config import ConfigError
from formalai_lint.rule import FileRule, Fix
from tests.conftest import FIXTURES, expectations, python_output

ROOT = Path(__file__).parent.parent
RULES = registry.all_rules()
FAMILIES = {"0": "tool", "1": "toc", "2": "links", "3": "related", "4": "levels", "5": "numbering"}
FAMILIES["9"] = "tool"
# FL002 is reported when a rule crashes; no document makes a sound rule crash, so it has no
# document fixture: tests/test_hostile.py registers a crashing rule and checks FL002 there.
NO_DOCUMENT_FIXTURE = {"FL002"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_its_module_page_and_fixture(rule: type) -> None:
    family = FAMILIES[rule.code[2]]
    module = f"formalai_lint.rules.{family}.{rule.name.replace('-', '_')}"
    assert rule.__module__ == module, "one module per rule, named after it, in its family"
    page = ROOT / "rules" / f"{rule.code}.md"
    assert page.read_text(encoding="utf-8").startswith(f"# {rule.code} {rule.name}\n")
    if rule.code in NO_DOCUMENT_FIXTURE:
        return
    fixtures = FIXTURES / rule.code
    assert fixtures.is_dir(), f"no tests/fixtures/{rule.code}/"
    assert rule.code in {code for _, _, code in expectations(fixtures)}, "no fixture fires it"


def test_every_rule_module_defines_a_rule() -> None:
    """No stray module in a family folder: each public module but `fix` is a rule's."""
    rules_dir = ROOT / "formalai_lint" / "rules"
    modules = {
        f"formalai_lint.rules.{p.parent.name}.{p.stem}"
        for p in rules_dir.glob("*/*.py")
        if not p.stem.startswith("_") and p.stem != "fix"
    }
    helpers = {"formalai_lint.rules.levels.model", "formalai_lint.rules.levels.quantities"}
    assert modules - helpers == {r.__module__ for r in RULES}


def test_readme_rule_table_agrees_with_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (FL\d{3}) \| ([a-z0-9-]+) \| (\w+) \| (\w*) \| .+ \|$", readme, flags=re.M
    )
    expected = [
        (r.code, r.name, r.severity.value, "" if r.fix is Fix.NONE else r.fix.value) for r in RULES
    ]
    assert rows == expected


def test_fixable_follows_the_declared_fix() -> None:
    assert {r.code for r in RULES if r.fix is Fix.SAFE} == {f"FL10{i}" for i in range(1, 6)}
    unsafe = {"FL201", "FL202", "FL203", "FL301", "FL501", "FL502"}
    assert {r.code for r in RULES if r.fix is Fix.UNSAFE} == unsafe
    for rule in RULES:
        if issubclass(rule, FileRule):
            diag = rule.__new__(rule).diagnostic("a.md", 1, 1, "m")
            assert diag.fixable is (rule.fix is Fix.SAFE)


def _package(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")


RULE_BODY = """from formalai_lint.rule import FileRule
from {helper} import Base


class {cls}(Base):
    code = "{code}"
    name = "{name}"
    summary = "a rule found by its module"
"""


def test_a_module_in_a_family_folder_is_a_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery: every public module of each family folder, the rules it defines itself;
    not `_view.py`, `fix.py`, a base class without a code, nor a rule it imports."""
    base = "from formalai_lint.rule import FileRule\n\n\nclass Base(FileRule):\n    pass\n"
    _package(
        tmp_path,
        {
            "kb_rules/__init__.py": "",
            "kb_rules/shared.py": "",
            "kb_rules/fam/__init__.py": "",
            "kb_rules/fam/_view.py": base,
            "kb_rules/fam/fix.py": "raise RuntimeError('a fixer is not imported')\n",
            "kb_rules/fam/new_rule.py": RULE_BODY.format(
                helper="kb_rules.fam._view", cls="NewRule", code="FL601", name="new-rule"
            ),
            "kb_rules/fam/other_rule.py": RULE_BODY.format(
                helper="kb_rules.fam._view", cls="OtherRule", code="FL602", name="other-rule"
            )
            + "from kb_rules.fam.new_rule import NewRule  # imported: not defined here\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "BUILT_IN", "kb_rules")
    found = sorted((r.__module__, r.code) for r in registry.built_in_rules())
    assert found == [("kb_rules.fam.new_rule", "FL601"), ("kb_rules.fam.other_rule", "FL602")]


def _plugins(monkeypatch: pytest.MonkeyPatch, *entries: tuple[str, str]) -> None:
    registry.all_rules.cache_clear()
    monkeypatch.setattr(
        registry, "_entry_points", lambda: [registry._EntryPoint(n, v) for n, v in entries]
    )


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    body = (
        "from formalai_lint.rule import FileRule, Fix\n\n\n"
        "class Good(FileRule):\n    code = 'FL801'\n    name = 'good'\n    summary = 's'\n\n\n"
        "class Fixing(Good):\n    code = 'FL802'\n    name = 'fixing'\n    fix = Fix.SAFE\n\n\n"
        "class Nameless(FileRule):\n    code = 'FL803'\n    name = 'Not Kebab'\n    summary = 's'\n"
    )
    _package(tmp_path, {"kb_plugin.py": body, "kb_broken.py": "import no_such_module\n"})
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    registry.all_rules.cache_clear()


@pytest.mark.usefixtures("plugin")
def test_third_party_rules_load_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(
        monkeypatch,
        ("FL801", "kb_plugin:Good"),
        # an entry point into formalai_lint itself, left by an older install: ignored
        ("FL101", "formalai_lint.rules.toc_missing_entry:TocMissingEntry"),
    )
    codes = [r.code for r in registry.all_rules()]
    assert "FL801" in codes and codes == sorted(codes) and len(codes) == len(RULES) + 1


@pytest.mark.usefixtures("plugin")
@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("FL801", "kb_broken:Rule"), r"rule plugin `kb_broken:Rule` failed to load: No module"),
        (("FL801", "kb_plugin:Missing"), r"`kb_plugin:Missing` failed to load"),
        (("FL801", "kb_plugin:FileRule.diagnostic"), r"is not a formalai_lint.Rule subclass"),
        (("FL809", "kb_plugin:Good"), r"entry point name `FL809` differs from its code `FL801`"),
        (("FL803", "kb_plugin:Nameless"), r"`name` must be kebab-case"),
        (("FL802", "kb_plugin:Fixing"), r"`fix` must be Fix.NONE"),
    ],
)
def test_a_broken_plugin_is_a_one_line_config_error(
    monkeypatch: pytest.MonkeyPatch, entry: tuple[str, str], message: str
) -> None:
    _plugins(monkeypatch, entry)
    with pytest.raises(ConfigError, match=message):
        registry.all_rules()


@pytest.mark.usefixtures("plugin")
def test_a_plugin_cannot_take_a_built_in_code(monkeypatch: pytest.MonkeyPatch) -> None:
    (Path(sys.path[0]) / "kb_clash.py").write_text(
        "from kb_plugin import Good\n\n\nclass Clash(Good):\n    code = 'FL201'\n",
        encoding="utf-8",
    )
    _plugins(monkeypatch, ("FL201", "kb_clash:Clash"))
    with pytest.raises(ConfigError, match="two rules claim code FL201"):
        registry.all_rules()


def test_version_and_help_import_no_rule() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom formalai_lint.cli import main\n"
        "for args in (['--version'], ['--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('formalai_lint.rules')))\n"
    )
    assert python_output(code) == "[]"
