"""Configuration through the command line: per-file-ignores, severity overrides, select /
extend-select / ignore (flags win over the file), exclude, the TOC and related-topics heading
patterns, and one-line validation messages that name the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

BROKEN_FRAGMENT = "# 甲\n\n[坏锚点](#不存在)\n"  # FL201 on line 3
BROKEN_LINK = "# 乙\n\n[坏文件](不存在.md)\n"  # FL202 on line 3


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(BROKEN_FRAGMENT, encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text(BROKEN_LINK, encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "c.md").write_text(BROKEN_FRAGMENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(root: Path, toml: str, name: str = ".formalai-lint.toml") -> None:
    (root / name).write_text(toml, encoding="utf-8")


run = run_cli  # the shared in-process CLI runner


def reported(*args: str) -> list[str]:
    """`path CODE` of each diagnostic of a run."""
    out = run(*args)[1]
    return [f"{line.split(':')[0]} {line.split(' ')[1]}" for line in out.splitlines()]


def test_without_config_everything_is_reported(docs: Path) -> None:
    configure(docs, "")
    assert reported() == ["docs/a.md FL201", "docs/b.md FL202", "drafts/c.md FL201"]


def test_per_file_ignores_by_glob_with_codes_prefixes_and_names(docs: Path) -> None:
    configure(docs, '[per-file-ignores]\n"drafts/*" = ["FL2"]\n"docs/a.md" = ["broken-fragment"]\n')
    assert reported() == ["docs/b.md FL202"]
    configure(docs, '[per-file-ignores]\n"docs/*.md" = ["FL202"]\n')
    assert reported() == ["docs/a.md FL201", "drafts/c.md FL201"]


def test_severity_override_turns_an_error_into_a_warning(docs: Path) -> None:
    configure(docs, 'select = ["FL201"]\n[severity]\nFL201 = "warning"\n')
    code, out, err = run()
    assert code == 0
    assert out.splitlines()[0].endswith("[warning]")
    assert "Found 0 errors and 2 warnings" in err


def test_extend_select_adds_to_select(docs: Path) -> None:
    configure(docs, 'select = ["FL1"]\nextend-select = ["FL202"]\n')
    assert reported() == ["docs/b.md FL202"]


def test_ignore_wins_over_select(docs: Path) -> None:
    configure(docs, 'select = ["FL2"]\nignore = ["broken-link"]\n')
    assert reported() == ["docs/a.md FL201", "drafts/c.md FL201"]


def test_command_line_flags_replace_the_config_values(docs: Path) -> None:
    configure(docs, 'select = ["FL1"]\nignore = ["FL201"]\nextend-select = ["FL201"]\n')
    assert reported() == []  # FL201 is extended in but ignored; FL202 is not selected
    assert reported("--select", "FL2") == ["docs/b.md FL202"]  # config's ignore still applies
    assert reported("--select", "FL2", "--ignore", "FL202") == [
        "docs/a.md FL201",
        "drafts/c.md FL201",
    ]
    assert reported("--extend-select", "FL202") == ["docs/b.md FL202"]


def test_exclude_globs_skip_files_and_folders_unless_named(docs: Path) -> None:
    configure(docs, 'exclude = ["drafts", "docs/b*"]\n')
    assert reported() == ["docs/a.md FL201"]
    # as ruff: a path named on the command line is linted even if excluded...
    assert reported("drafts/c.md") == ["drafts/c.md FL201"]
    assert reported("drafts") == ["drafts/c.md FL201"]
    # ...unless --force-exclude (what the pre-commit hook passes) or `force-exclude = true`
    assert run("drafts/c.md", "--force-exclude")[0] == 0
    assert run("drafts", "--force-exclude")[:2] == (0, "")
    configure(docs, 'exclude = ["drafts", "docs/b*"]\nforce-exclude = true\n')
    assert run("drafts/c.md")[0] == 0
    assert reported("drafts/c.md", "--no-force-exclude") == ["drafts/c.md FL201"]


def test_per_file_ignores_globs_match_folders_as_exclude_does(docs: Path) -> None:
    configure(docs, '[per-file-ignores]\n"drafts" = ["FL201"]\n"docs/*.md" = ["FL202"]\n')
    assert reported() == ["docs/a.md FL201"]


def test_pyproject_table_is_read(docs: Path) -> None:
    configure(
        docs,
        '[project]\nname = "kb"\n\n[tool.formalai-lint]\nignore = ["FL201"]\n',
        "pyproject.toml",
    )
    assert reported() == ["docs/b.md FL202"]


def test_toc_and_related_heading_patterns(docs: Path) -> None:
    (docs / "docs" / "toc.md").write_text(
        "# 文档\n\n## 索引\n\n- [文档](#文档)\n  - [索引](#索引)\n\n## 遗漏的一节\n",
        encoding="utf-8",
    )
    configure(docs, 'select = ["FL101"]\n')
    assert reported() == []  # `索引` is not a TOC heading by default
    configure(docs, 'select = ["FL101"]\ntoc-heading = "^索引$"\n')
    assert reported() == ["docs/toc.md FL101"]

    (docs / "docs" / "related.md").write_text(
        "# 关联\n\n## 延伸阅读\n\n- [不存在的文档](没有.md)\n", encoding="utf-8"
    )
    configure(docs, 'select = ["FL301"]\n')
    assert reported() == []  # not a related-topics section: FL202's business
    configure(docs, 'select = ["FL301"]\nrelated-heading = "延伸阅读"\n')
    assert reported() == ["docs/related.md FL301"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'selekt = ["FL2"]\n',
            "`(top level)`: unknown key 'selekt' (did you mean `select`?); expected one of: ",
        ),
        ('select = "FL2"\n', "`select`: expected array, got str 'FL2'"),
        (
            'ignore = ["FL2", "bad code"]\n',
            "`ignore[1]`: 'bad code' is not a rule code, prefix or name",
        ),
        (
            '[severity]\nFL201 = "fatal"\n',
            "`severity.FL201`: 'fatal' is not one of 'error', 'warning'",
        ),
        (
            '[per-file-ignores]\n"docs/*" = ["FL2", "Nope"]\n',
            "`per-file-ignores.docs/*[1]`: 'Nope' is not a rule code, prefix or name",
        ),
        ('toc-heading = "(目录"\n', "`toc-heading`: '(目录' is not a valid regular expression"),
        (
            '[per-file-ignores]\n"docs/*" = ["no-such-rule"]\n',
            "`per-file-ignores.docs/*`: `no-such-rule` matches no rule",
        ),
        ('[severity]\nFL999 = "warning"\n', "`severity.FL999`: no rule FL999"),
        ('extend-select = ["FL8"]\n', "`FL8` matches no rule"),
        ("select = [\n", "invalid TOML"),
        (
            'related-title-check = "loose"\n',
            "`related-title-check`: 'loose' is not one of 'mislink', 'exact'",
        ),
        ('archive-folders = "old"\n', "`archive-folders`: expected array, got str 'old'"),
    ],
)
def test_config_mistakes_are_one_line_errors_naming_the_key(
    docs: Path, toml: str, message: str
) -> None:
    configure(docs, toml)
    code, out, err = run()
    assert code == 2
    assert out == ""
    assert err.startswith(f"formalai-lint: error: {docs / '.formalai-lint.toml'}")
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_command_line_selector_is_a_one_line_error(docs: Path) -> None:
    configure(docs, "")
    code, _, err = run("--select", "FL2,bogus code")
    assert code == 2
    assert (
        err == "formalai-lint: error: --select: `bogus code` is not a rule code, prefix or name\n"
    )


def test_archive_folders_setting_names_the_folders_never_suggested(docs: Path) -> None:
    (docs / "old").mkdir()
    (docs / "old" / "不存在.md").write_text("# 旧\n", encoding="utf-8")
    assert "did you mean `../old/不存在.md`" in run("--select", "FL202")[1]
    configure(docs, 'archive-folders = ["old"]\n')
    out = run("--select", "FL202")[1]
    assert "docs/b.md:3:1: FL202" in out and "did you mean" not in out
