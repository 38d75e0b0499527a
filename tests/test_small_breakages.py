"""Small breakages a new user hits: a closed pipe, misspelt config keys, TOML syntax errors,
several config mistakes at once, `rules` under the current config, and a duplicated
known-bad line against a baseline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

BROKEN = "# 甲\n\n见[缺失的文件](旧文件.md)。\n\n见[缺失的一节](#无此节)。\n"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(root: Path, toml: str) -> Path:
    path = root / ".formalai-lint.toml"
    path.write_text(toml, encoding="utf-8")
    return path


def _piped_into_head(args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`formalai-lint ARGS | head -1` in a shell; the exit code is formalai-lint's own."""
    command = f"set -o pipefail; {sys.executable} -m formalai_lint {args} | head -1"
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_rules_into_a_closed_pipe_exits_quietly(docs: Path) -> None:
    result = _piped_into_head("rules", docs)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("FL001  unreadable-file")
    assert result.stdout.count("\n") == 1


def test_check_into_a_closed_pipe_keeps_its_exit_code(docs: Path) -> None:
    configure(docs, "")
    for i in range(300):  # more than a pipe's buffer of diagnostics
        (docs / f"d{i:03}.md").write_text(f"# 丁{i}\n\n[坏]({i}.md)\n", encoding="utf-8")
    result = _piped_into_head(". --no-cache -j 1", docs)
    assert result.returncode == 1  # findings, as without the pipe
    assert result.stdout.startswith("a.md:3:2: FL202")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "BrokenPipe" not in result.stderr


def test_a_misspelt_key_gets_a_did_you_mean(docs: Path) -> None:
    configure(docs, 'selct = ["ALL"]\n[levels]\naproximation-tolerance = 3\n')
    code, _, err = run("--no-cache")
    assert code == 2
    assert "unknown key 'selct' (did you mean `select`?)" in err
    assert "unknown key 'aproximation-tolerance'" not in err or "approximation" in err
    configure(docs, 'ignore = ["brokn-link"]\n')
    code, _, err = run("--no-cache")
    assert code == 2
    assert "`brokn-link` matches no rule (did you mean `broken-link`?)" in err
    configure(docs, "wholly-unrelated = 1\n")
    assert "did you mean" not in run("--no-cache")[2]


def test_a_toml_syntax_error_names_its_line_and_column(docs: Path) -> None:
    path = configure(docs, 'select = ["ALL"]\nexclude = ["a",\nignore = 3\n')
    code, out, err = run("--no-cache")
    assert (code, out) == (2, "")
    assert err.startswith(f"formalai-lint: error: {path}:3:")
    assert "invalid TOML" in err and err.count("\n") == 1
    configure(docs, 'select = "FL2\n')
    err = run("--no-cache")[2]
    assert f"{path}:1:" in err and "invalid TOML" in err


def test_every_config_mistake_is_reported_one_line_each(docs: Path) -> None:
    path = configure(
        docs, 'selct = ["ALL"]\nexclude = 3\n[severity]\nFL201 = "fatal"\nFL202 = "warning"\n'
    )
    code, out, err = run("--no-cache")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 3, err
    assert all(line.startswith(f"formalai-lint: error: {path}: `") for line in lines)
    assert "`(top level)`: unknown key 'selct'" in lines[0]
    assert "`exclude`: expected array" in lines[1]
    assert "`severity.FL201`: 'fatal' is not one of" in lines[2]
    configure(docs, 'ignore = ["brokn-link", "FL8"]\n[severity]\nFL999 = "error"\n')
    err = run("--no-cache")[2]
    assert err.count("formalai-lint: error:") == 3
    assert "`FL8` matches no rule" in err and "no rule FL999" in err


def test_a_key_holding_a_line_break_cannot_forge_an_error_line(docs: Path) -> None:
    configure(docs, '"a\\nformalai-lint: error: forged" = 1\n')
    code, _, err = run("--no-cache")
    assert code == 2 and err.count("\n") == 1


def test_rules_shows_the_severity_and_fix_in_force(docs: Path) -> None:
    def row(out: str, code: str) -> list[str]:
        return next(line.split()[:4] for line in out.splitlines() if line.startswith(code))

    code, out, _ = run("rules")
    assert code == 0
    assert row(out, "FL101") == ["FL101", "toc-missing-entry", "error", "safe"]
    assert row(out, "FL202") == ["FL202", "broken-link", "error", "unsafe"]
    assert row(out, "FL302") == ["FL302", "related-title-mismatch", "warning", "-"]
    configure(docs, 'ignore = ["FL1"]\n[severity]\nFL202 = "warning"\nFL302 = "error"\n')
    code, out, _ = run("rules")
    assert code == 0
    assert row(out, "FL101") == ["FL101", "toc-missing-entry", "off", "safe"]
    assert row(out, "FL202") == ["FL202", "broken-link", "warning", "unsafe"]
    assert row(out, "FL302") == ["FL302", "related-title-mismatch", "error", "-"]
    other = docs / "other.toml"
    other.write_text('select = ["FL2"]\n', encoding="utf-8")
    out = run("rules", "--config", str(other))[1]
    assert row(out, "FL302")[2] == "off" and row(out, "FL202")[2] == "error"


SECTIONS = (
    "# 甲\n\n## 一\n\n第一段。\n\n见[缺失的文件](旧文件.md)。\n\n第二段。\n\n## 二\n\n第三段。\n"
)
BAD = "见[缺失的文件](旧文件.md)。"


@pytest.mark.parametrize(
    ("copied", "line"),
    [
        (SECTIONS.replace("## 一\n\n", f"## 一\n\n{BAD}\n\n"), 5),  # above the original
        (SECTIONS + f"\n{BAD}\n", 15),  # below it
    ],
)
def test_a_copied_known_bad_line_is_reported_at_the_copy(
    docs: Path, copied: str, line: int
) -> None:
    configure(docs, "")
    (docs / "a.md").write_text(SECTIONS, encoding="utf-8")
    assert run("--write-baseline", "baseline.json")[0] == 0
    (docs / "a.md").write_text(copied, encoding="utf-8")
    assert copied.splitlines()[line - 1] == BAD
    code, out, err = run("--baseline", "baseline.json", "--no-cache")
    assert code == 1
    assert out == f"a.md:{line}:2: FL202 `旧文件.md` does not exist\n"
    assert "accounts for 1 diagnostics" in err
