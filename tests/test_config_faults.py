"""Configuration faults and command-line mistakes: each exits 2 with exactly one line on stderr
that names the file, the key and what was expected, and never a traceback (issue 7, point 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formalai_lint.cli import main

CLEAN = "# 文档\n\n正文。\n"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["--no-cache", *args] if args[:1] != ("rule",) else list(args)
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "doc.md").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_error_line(code: int, stderr: str) -> str:
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("formalai-lint: error: ")
    return lines[0]


def config(root: Path, text: str | bytes, name: str = ".formalai-lint.toml") -> Path:
    path = root / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_missing_config_file(root: Path) -> None:
    line = one_error_line(*run(root, "--config", "nope.toml")[::2])
    assert "`nope.toml`" in line and "does not exist" in line


def test_config_path_is_a_folder(root: Path) -> None:
    (root / "conf").mkdir()
    line = one_error_line(*run(root, "--config", "conf")[::2])
    assert "`conf`" in line and "not a file" in line


def test_empty_config_means_defaults(root: Path) -> None:
    """A decision: an empty config file is valid TOML with no settings, so every default
    applies (as ruff and mypy do); it still marks the project root."""
    config(root, "")
    (root / "sub").mkdir()
    (root / "sub" / "bad.md").write_text("# 标题\n\n[坏](#没有)\n", encoding="utf-8")
    code, out, err = run(root, "sub")
    assert code == 1 and "FL201" in out and "Traceback" not in err


def test_empty_pyproject_is_not_a_config(root: Path) -> None:
    config(root, "", "pyproject.toml")
    assert run(root)[0] == 0


def test_invalid_toml(root: Path) -> None:
    path = config(root, 'select = ["FL201"\nignore = []\n')
    line = one_error_line(*run(root)[::2])
    assert f"{path}:2:1: invalid TOML" in line  # line and column where the parser stopped


def test_config_not_utf8(root: Path) -> None:
    path = config(root, b'toc-heading = "\xff"\n')
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and "not UTF-8" in line


def test_unreadable_config(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = config(root, "")
    real_open = os.open

    def denied(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(name) in (path.resolve(), path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)  # root reads through chmod 000, so simulate it
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and "permission denied" in line.lower()


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('select = "FL201"', "`select`", "expected array, got str 'FL201'"),
        ("ignore = [201]", "`ignore[0]`", "expected string, got int 201"),
        ('exclude = "docs/"', "`exclude`", "expected array"),
        ('max-file-size = "10MB"', "`max-file-size`", "expected integer, got str '10MB'"),
        ("max-file-size = 0", "`max-file-size`", "0 is less than the minimum of 1"),
        (
            'severity = {FL201 = "fatal"}',
            "`severity.FL201`",
            "'fatal' is not one of 'error', 'warning'",
        ),
        ('toc-heading = "(unclosed"', "`toc-heading`", "not a valid regular expression"),
        ('per-file-ignores = {"a.md" = "FL201"}', "`per-file-ignores.a.md`", "expected array"),
        (
            "selct = []",
            "`(top level)`",
            "unknown key 'selct' (did you mean `select`?); expected one of:",
        ),
        ('select = ["FL20x"]', "`select[0]`", "'FL20x' is not a rule code"),
    ],
)
def test_wrong_types_and_values(root: Path, text: str, key: str, expected: str) -> None:
    path = config(root, text + "\n")
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and key in line and expected in line, line


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('select = ["FL999"]', "`select`: `FL999`"),
        ('ignore = ["FL8"]', "`ignore`: `FL8`"),
        ('select = ["fl201"]', "`select`: `fl201`"),
        ('extend-select = ["no-such-rule"]', "`extend-select`: `no-such-rule`"),
        ('per-file-ignores = {"a.md" = ["FL998"]}', "per-file-ignores.a.md"),
        ('severity = {FL997 = "warning"}', "severity.FL997"),
    ],
)
def test_unknown_rule_codes(root: Path, text: str, key: str) -> None:
    path = config(root, text + "\n")
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and key in line and ("matches no rule" in line or "no rule" in line)


def test_unknown_rule_code_on_the_command_line(root: Path) -> None:
    line = one_error_line(*run(root, "--select", "FL999")[::2])
    assert "the command line: `select`: `FL999` matches no rule" in line


def test_overlapping_level_thresholds(root: Path) -> None:
    path = config(
        root,
        "[levels.L0]\nconvergence = {min = 0, max = 0.5}\n"
        "[levels.L1]\nconvergence = {min = 0.4, max = 1}\n",
    )
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and "`levels`" in line and "L0" in line and "L1" in line
    assert "overlap" in line
    # the check belongs to the level rules: a run without them does not read the table
    assert run(root, "--ignore", "FL4")[0] == 0


def test_pyproject_with_a_tool_value_that_is_not_a_table(root: Path) -> None:
    path = config(root, "tool = 1\n", "pyproject.toml")
    line = one_error_line(*run(root)[::2])
    assert str(path) in line and "`tool`" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing/x.md"], "path `missing/x.md` does not exist"),
        (["--bogus"], "No such option '--bogus'"),
        (["--output-format", "xml"], "Invalid value for '--output-format'"),
        (["--jobs", "0"], "Invalid value for '-j' / '--jobs'"),
        (["rule"], "Missing argument 'CODE'"),
        (["rule", "FL999"], "unknown rule `FL999`"),
        (["--config"], "Option '--config' requires an argument"),
    ],
)
def test_command_line_mistakes(root: Path, args: list[str], expected: str) -> None:
    line = one_error_line(*run(root, *args)[::2])
    assert expected in line, line


def test_a_real_process_reports_mistakes_on_one_line(root: Path) -> None:
    config(root, "select = 1\n")
    for args, expected in [
        (["doc.md"], "`select`: expected array"),
        (["--bogus"], "No such option '--bogus'"),
        (["--config", "nope.toml"], "does not exist"),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "formalai_lint", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert expected in one_error_line(done.returncode, done.stderr)
        assert done.stdout == ""


def test_configured_paths_are_confined_to_the_root(tmp_path: Path) -> None:
    """`files.confine` is what any path-valued setting (cache folder, baseline) goes through:
    a repository's config must not make the linter write or read outside the repository."""
    from formalai_lint.config import ConfigError
    from formalai_lint.files import confine

    root = tmp_path / "repo"
    (root / "inside").mkdir(parents=True)
    (root / "escape").symlink_to(tmp_path, target_is_directory=True)
    assert confine(root, "cache", "cache-dir") == root.resolve() / "cache"
    assert (
        confine(root, "inside/../new/baseline.json", "baseline")
        == root.resolve() / "new/baseline.json"
    )
    assert confine(root, ".", "cache-dir") == root.resolve()
    for value in ("..", "../elsewhere", "/etc/passwd", "inside/../../x", "escape/x", "escape"):
        with pytest.raises(ConfigError, match=r"`baseline` = .* is outside the project root"):
            confine(root, value, "baseline")
