"""The command line, through click's runner (and once through a real process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

BROKEN = "# 标题\n\n[坏链接](#不存在)\n\n## 相关主题\n\n- [本文](#标题)\n"
CLEAN = "# 标题\n\n[好链接](#标题)\n"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "docs" / "clean.md").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


run = run_cli  # the shared in-process CLI runner


def test_findings_exit_1_with_path_line_column_code_and_text(docs: Path) -> None:
    code, out, err = run("docs")
    assert code == 1
    assert out == "docs/broken.md:3:1: FL201 no heading or anchor `#不存在` in this file\n"
    assert "Found 1 error" in err


def test_clean_exit_0_and_default_path_is_the_current_folder(docs: Path) -> None:
    assert run("docs/clean.md")[0] == 0
    assert run()[0] == 1  # `.` holds broken.md


def test_paths_are_shown_relative_to_where_the_command_runs(docs: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(docs / "docs")
    assert run(".")[1].startswith("broken.md:3:1: FL201")


def test_select_and_ignore_take_codes_prefixes_and_names(docs: Path) -> None:
    assert run("docs", "--ignore", "FL2")[0] == 0
    assert run("docs", "--ignore", "broken-fragment")[0] == 0
    assert run("docs", "--select", "FL1,FL3")[0] == 0
    assert run("docs", "--select", "FL201")[0] == 1


def test_check_subcommand_is_the_default(docs: Path) -> None:
    assert run("check", "docs")[:2] == run("docs")[:2]


def test_json_output_shape(docs: Path) -> None:
    code, out, _ = run("docs", "--output-format", "json")
    (item,) = json.loads(out)
    assert code == 1
    for key, value in {
        "path": "docs/broken.md",
        "line": 3,
        "column": 1,
        "code": "FL201",
        "name": "broken-fragment",
        "severity": "error",
    }.items():
        assert item[key] == value
    assert "#不存在" in item["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-folder"], "path `missing-folder` does not exist"),
        (["docs", "--select", "FL999"], "`FL999` matches no rule"),
        (["docs", "--select", "not a code"], "is not a rule code"),
        (["docs", "--output-format", "xml"], "Invalid value for '--output-format'"),
        (["docs", "--no-such-flag"], "No such option"),
    ],
)
def test_user_mistakes_exit_2_with_a_message(docs: Path, args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_invalid_config_names_the_key(docs: Path) -> None:
    (docs / ".formalai-lint.toml").write_text('select = ["FL2"]\nseverity = { FL201 = "fatal" }\n')
    code, _, err = run("docs")
    assert code == 2
    assert "`severity.FL201`" in err and "'fatal' is not one of" in err
    (docs / ".formalai-lint.toml").write_text("colour = true\n")
    code, _, err = run("docs")
    assert code == 2 and "unknown key 'colour'" in err


def test_rules_table_and_rule_page() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert "FL201  broken-fragment" in out
    code, out, _ = run("rule", "FL201")
    assert code == 0 and out.startswith("# FL201 broken-fragment")
    assert run("rule", "broken-fragment")[1] == out
    code, _, err = run("rule", "FL999")
    assert code == 2 and "unknown rule `FL999`" in err


def test_python_dash_m_runs_the_same_cli(docs: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "formalai_lint", "docs/clean.md"],
        capture_output=True,
        text=True,
        cwd=docs,
    )
    assert result.returncode == 0, result.stderr
    assert "All clear: 1 file checked." in result.stderr
