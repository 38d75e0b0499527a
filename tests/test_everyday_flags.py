"""ruff's everyday flags, named as ruff names them: --exit-zero, -q/--quiet, -s/--silent,
--color, --show-settings, --show-files, --output-format full; and the changed-files mode that
reports only news."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli as run

A = "# 甲\n\n见[乙的定义](b.md#定义)。\n\n见[缺失](旧.md)。\n"  # its own FL202 is old news
B = "# 乙\n\n## 定义\n\n正文。\n"
C = "# 丙\n\n见[甲](a.md)。\n\n[坏锚点](#没有)\n"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    for name, text in {"a.md": A, "b.md": B, "c.md": C}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_files_report_the_named_files_and_links_into_them_only(docs: Path) -> None:
    code, out, err = run("b.md", "--no-cache")
    assert (code, out) == (0, "")  # a.md's old broken link is not news
    assert "2 files checked" in err  # b.md and a.md, which links into it
    (docs / "b.md").write_text(B.replace("## 定义", "## 新的定义"), encoding="utf-8")
    code, out, _ = run("b.md", "--no-cache")
    assert code == 1
    assert out == "a.md:3:2: FL203 `b.md` has no heading or anchor `#定义`\n"
    code, out, _ = run("b.md", "c.md", "--no-cache")  # a named file gets all its findings
    assert out.splitlines() == [
        "a.md:3:2: FL203 `b.md` has no heading or anchor `#定义`",
        "c.md:5:1: FL201 no heading or anchor `#没有` in this file",
    ]
    assert run("a.md", "--no-cache")[1].count("\n") == 2  # named: its FL203 and its FL202


def test_a_changed_title_reaches_related_topics_that_name_it(docs: Path) -> None:
    (docs / ".formalai-lint.toml").write_text('related-title-check = "exact"\n', encoding="utf-8")
    (docs / "d.md").write_text(
        "# 丁\n\n## 相关主题\n\n- [乙](b.md)\n\n见[坏](没有.md)\n", encoding="utf-8"
    )
    assert run("b.md", "--no-cache")[1] == ""
    (docs / "b.md").write_text(B.replace("# 乙", "# 戊"), encoding="utf-8")
    out = run("b.md", "--no-cache")[1]
    assert out.startswith("d.md:5:3: FL302") and out.count("\n") == 1


def test_exit_zero_keeps_errors_but_exits_zero(docs: Path) -> None:
    code, out, _ = run(".", "--no-cache", "--exit-zero")
    assert code == 0 and "FL202" in out
    (docs / ".formalai-lint.toml").write_text("selct = 1\n", encoding="utf-8")
    assert run(".", "--exit-zero")[0] == 2  # a mistake is still a mistake


def test_quiet_prints_the_diagnostics_only_and_silent_nothing(docs: Path) -> None:
    code, out, err = run(".", "--no-cache", "-q")
    assert code == 1 and "FL202" in out and err == ""
    code, out, err = run(".", "--no-cache", "--quiet", "--baseline", "none.json")
    assert code == 2 and "does not exist" in err  # errors are still shown
    code, out, err = run(".", "--no-cache", "-s")
    assert (code, out, err) == (1, "", "")
    assert run(".", "--no-cache", "--silent", "--exit-zero")[0] == 0


def test_color_always_never_auto(docs: Path) -> None:
    assert "\x1b[" in run(".", "--no-cache", "--color", "always")[1]
    assert "\x1b[" in run(".", "--no-cache", "--color=always", "--output-format", "full")[1]
    assert "\x1b[" not in run(".", "--no-cache", "--color", "never")[1]
    assert "\x1b[" not in run(".", "--no-cache")[1]  # auto: not a terminal
    code, _, err = run(".", "--color", "sometimes")
    assert code == 2 and "--color" in err and err.count("\n") == 1


def test_show_settings_and_show_files_print_and_exit_zero(docs: Path) -> None:
    (docs / ".formalai-lint.toml").write_text(
        'ignore = ["FL3"]\nexclude = ["c.md"]\n[severity]\nFL202 = "warning"\n', encoding="utf-8"
    )
    code, out, _ = run("--show-settings")
    assert code == 0
    assert f'root = "{docs}"' in out.splitlines()
    assert 'ignore = ["FL3"]' in out and 'severity = {"FL202" = "warning"}' in out
    assert "respect-gitignore = true" in out and "force-exclude = false" in out
    enabled = next(line for line in out.splitlines() if line.startswith("enabled-rules"))
    assert '"FL202"' in enabled and '"FL301"' not in enabled
    code, out, _ = run("--show-files")
    assert (code, out) == (0, "a.md\nb.md\n")
    assert run("c.md", "--show-files")[1] == "c.md\n"  # named: linted although excluded


def test_full_output_shows_the_line_and_a_caret_under_the_span(docs: Path) -> None:
    code, out, _ = run("c.md", "--no-cache", "--output-format", "full")
    assert code == 1
    assert (
        out
        == (
            "c.md:5:1: FL201 no heading or anchor `#没有` in this file\n"
            "  |\n"
            "5 | [坏锚点](#没有)\n"
            "  | " + "^" * 15 + " FL201\n"  # wide characters take two columns
            "  |\n"
        )
    )


def _stdin(text: str, *args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from formalai_lint.cli import main

    result = CliRunner().invoke(main, list(args), input=text.encode("utf-8"))
    return result.exit_code, result.stdout, result.stderr


def test_a_document_on_stdin_is_linted_in_place_of_its_file(docs: Path) -> None:
    renamed = B.replace("## 定义", "## 改名") + "\n[坏](#无)\n"
    code, out, _ = _stdin(renamed, "-", "--stdin-filename", "b.md")
    assert code == 1
    assert out.splitlines() == [
        "a.md:3:2: FL203 `b.md` has no heading or anchor `#定义`",  # the project as on disk
        "b.md:7:1: FL201 no heading or anchor `#无` in this file",  # the text on stdin
    ]
    assert (docs / "b.md").read_text(encoding="utf-8") == B  # nothing written
    code, out, _ = _stdin("# 新\n\n[乙](../b.md#定义)\n", "-", "--stdin-filename", "sub/new.md")
    assert (code, out) == (0, "")  # a file that does not exist yet
    assert _stdin(B, "-", "--stdin-filename", "b.md", "--output-format", "json")[1] == "[]\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-"], "needs --stdin-filename PATH"),
        (["-", "a.md", "--stdin-filename", "b.md"], "`-` (stdin) is the only path"),
        (["a.md", "--stdin-filename", "b.md"], "--stdin-filename only applies with the path `-`"),
        (["-", "--stdin-filename", "b.md", "--fix"], "do not apply to a document on stdin"),
    ],
)
def test_stdin_mistakes_are_one_line_errors(docs: Path, args: list[str], message: str) -> None:
    code, out, err = _stdin("# x\n", *args)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1
