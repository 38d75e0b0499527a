"""The Python API: `formalai_lint.lint` and `Session` give what the command line gives, print
nothing, and report mistakes as `LintError`s."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import formalai_lint
from formalai_lint import LintError, Session
from formalai_lint.errors import ConfigError, UsageError
from tests.conftest import run_cli

DOCS = {
    ".formalai-lint.toml": "",
    "a.md": "# 甲\n\n见[乙的定义](b.md#定义)与[不存在](#不存在)。\n",
    "b.md": "# 乙\n\n## 定义\n\n正文。\n",
    "c.md": "# 丙\n\n## 二、目录\n\n- [一、开始](#一开始)\n\n## 一、开始\n\n## 二、继续\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, text in DOCS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def cli_json(root: Path, *args: str) -> list[dict[str, object]]:
    code, out, _ = run_cli(str(root), "--no-cache", "--output-format", "json", *args)
    assert code in (0, 1)
    return json.loads(out)  # type: ignore[no-any-return]


def test_lint_returns_what_the_command_line_prints(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(root)
    found = formalai_lint.lint([root])
    assert capsys.readouterr() == ("", "")  # prints nothing
    assert {d.code for d in found} >= {"FL201", "FL101"}
    assert [d.to_json() for d in found] == cli_json(root)


def test_select_and_ignore_apply_as_on_the_command_line(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    only = formalai_lint.lint([root], select=["FL2"])
    assert only and {d.code[:3] for d in only} == {"FL2"}
    assert [d.to_json() for d in only] == cli_json(root, "--select", "FL2")
    assert not any(d.code == "FL201" for d in formalai_lint.lint([root], ignore=["FL201"]))


def test_a_file_named_alone_also_checks_the_files_linking_into_it(root: Path) -> None:
    (root / "b.md").write_text("# 乙\n\n## 新的定义\n", encoding="utf-8")
    found = formalai_lint.lint([root / "b.md"], select=["FL203"])
    assert [(d.path, d.code) for d in found] == [("a.md", "FL203")]


def test_mistakes_are_lint_errors_with_the_command_lines_message(root: Path) -> None:
    with pytest.raises(UsageError, match=r"path `.*nowhere` does not exist"):
        formalai_lint.lint([root / "nowhere"])
    (root / ".formalai-lint.toml").write_text("selct = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'selct'") as error:
        formalai_lint.lint([root])
    assert isinstance(error.value, LintError)
    code, _, err = run_cli(str(root))
    assert code == 2 and err.strip() == f"formalai-lint: error: {error.value}"


def test_a_session_lints_fixes_and_lints_the_fixed_files_again(root: Path) -> None:
    with Session.open([root], cache=True) as session:
        report = session.lint(session.targets([root]))
        assert report.targets == ["a.md", "b.md", "c.md"]
        assert any(d.code == "FL101" for d in report.diagnostics)
        fixed = session.fix(report.diagnostics)
        assert fixed.run.changed_paths == ["c.md"]
        assert not any(d.code == "FL101" for d in fixed.diagnostics)
        assert any(d.code == "FL201" for d in fixed.diagnostics)  # not fixable: still there
    assert "[二、继续](#二继续)" in (root / "c.md").read_text(encoding="utf-8")
    assert list((root / ".formalai-lint-cache").glob("*.jsonl"))  # saved when it closed


def test_rule_authors_import_from_the_package() -> None:
    from formalai_lint import Diagnostic, Document, FileRule, Project, ProjectRule, Rule, Severity
    from formalai_lint.project import Project as RealProject
    from formalai_lint.rule import FileRule as RealFileRule

    assert (FileRule, Project) == (RealFileRule, RealProject)
    assert all(isinstance(c, type) for c in (Diagnostic, Document, ProjectRule, Rule, Severity))
    with pytest.raises(AttributeError):
        formalai_lint.nothing_of_that_name  # noqa: B018


def test_version_loads_neither_the_parser_nor_the_rules() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "formalai_lint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"formalai-lint, version {formalai_lint.__version__}"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "markdown_it" not in loaded
    assert not any(name.startswith("formalai_lint.rules") for name in loaded)
    assert "formalai_lint.session" not in loaded


def test_a_document_not_yet_cached_is_read_twice_and_a_cached_one_once(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once for the cache's look-up (its digest), once to lint it (the digest of those bytes
    keys the new entry: no third read); a warm run only looks up."""
    from formalai_lint import safeio, source

    opened: list[str] = []

    def counting(real):  # type: ignore[no-untyped-def]
        def wrapper(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            opened.append(Path(path).name)
            return real(path, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(source, "read_bytes", counting(safeio.read_bytes))
    monkeypatch.setattr(source, "open_regular", counting(safeio.open_regular))
    for reads in (2, 1):
        opened.clear()
        with Session.open([root], cache=True) as session:
            session.lint(session.targets([root]))
        assert sorted(opened) == sorted(["a.md", "b.md", "c.md"] * reads)


def test_read_gives_the_digest_the_cache_looks_up(root: Path) -> None:
    from formalai_lint import source

    contents = source.read(root / "a.md", root)
    assert contents.text == DOCS["a.md"]
    assert contents.data == DOCS["a.md"].encode()
    assert contents.digest == source.digest(root / "a.md", None, root)


def test_a_rule_set_is_rebuilt_from_its_settings_when_pickled(root: Path) -> None:
    import pickle

    with Session.open([root], select=["FL1", "FL201"]) as session:
        copy = pickle.loads(pickle.dumps(session.rules))
        assert copy.enabled == session.rules.enabled
        assert [r.code for r in copy.file_rules] == [r.code for r in session.rules.file_rules]
