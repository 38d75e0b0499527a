"""Baselines: --write-baseline records today's diagnostics, --baseline reports only new ones,
matched by path, code and offending text so that unrelated edits change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formalai_lint.baseline import compare
from formalai_lint.diagnostic import Diagnostic
from tests.conftest import run_cli

A = "# 甲\n\n见[缺失的文件](旧文件.md)。\n\n见[缺失的一节](#无此节)。\n"
B = "# 乙\n\n见[甲](a.md)。\n"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "b.md").write_text(B, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


run = run_cli  # the shared in-process CLI runner


def test_write_then_check_is_clean(docs: Path) -> None:
    assert run(".")[0] == 1
    code, out, err = run(".", "--write-baseline", "baseline.json")
    assert (code, out) == (0, "")
    assert "wrote 2 entries to baseline.json" in err
    data = json.loads((docs / "baseline.json").read_text(encoding="utf-8"))
    assert data["formalai-lint-baseline"] == 1
    assert [(e["path"], e["code"], e["text"]) for e in data["entries"]] == [
        ("a.md", "FL201", "#无此节"),
        ("a.md", "FL202", "旧文件.md"),
    ]
    code, out, err = run(".", "--baseline", "baseline.json")
    assert (code, out) == (0, "")
    assert "accounts for 2 diagnostics" in err


def test_lines_inserted_above_keep_findings_baselined_and_new_ones_are_reported(docs: Path) -> None:
    run(".", "--write-baseline", "baseline.json")
    page = docs / "a.md"
    page.write_text(
        A.replace("# 甲\n", "# 甲\n\n新增的段落。\n\n再一段。\n")
        + "\n见[新的坏链接](另一个缺失.md)。\n",
        encoding="utf-8",
    )
    code, out, _ = run(".", "--baseline", "baseline.json")
    assert code == 1
    assert out == "a.md:11:2: FL202 `另一个缺失.md` does not exist\n"


def test_a_second_identical_finding_is_new(docs: Path) -> None:
    run(".", "--write-baseline", "baseline.json")
    (docs / "a.md").write_text(A + "\n又见[缺失的文件](旧文件.md)。\n", encoding="utf-8")
    code, out, _ = run(".", "--baseline", "baseline.json")
    assert code == 1
    assert out.count("FL202") == 1


def test_fixed_findings_are_counted_as_stale_and_pruned_by_writing_again(docs: Path) -> None:
    run(".", "--write-baseline", "baseline.json")
    (docs / "a.md").write_text(A.replace("旧文件.md", "b.md"), encoding="utf-8")
    code, _, err = run(".", "--baseline", "baseline.json")
    assert code == 0
    assert "1 of its entries no longer occur (prune with --write-baseline baseline.json)" in err
    run(".", "--write-baseline", "baseline.json")
    entries = json.loads((docs / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert [e["code"] for e in entries] == ["FL201"]
    assert "no longer occur" not in run(".", "--baseline", "baseline.json")[2]


def test_writing_from_a_partial_run_keeps_the_other_files_entries(docs: Path) -> None:
    (docs / "b.md").write_text(B + "\n[坏](#坏)\n", encoding="utf-8")
    run(".", "--write-baseline", "baseline.json")
    (docs / "a.md").write_text(A.replace("旧文件.md", "b.md"), encoding="utf-8")
    run("b.md", "--write-baseline", "baseline.json", "--select", "FL201")
    entries = json.loads((docs / "baseline.json").read_text(encoding="utf-8"))["entries"]
    # b.md was checked (with a.md, which links to it); both now have only FL201 entries
    assert sorted((e["path"], e["code"]) for e in entries) == [("a.md", "FL201"), ("b.md", "FL201")]


def test_stale_entries_of_files_not_checked_are_not_counted(docs: Path) -> None:
    run(".", "--write-baseline", "baseline.json")
    _, _, err = run("b.md", "--baseline", "baseline.json", "--ignore", "FL2")
    assert "no longer occur" not in err


def test_compare_matches_text_not_lines_and_counts_multiplicity() -> None:
    def d(line: int, text: str) -> Diagnostic:
        return Diagnostic("a.md", line, 1, "FL202", f"`{text}` does not exist", text=text)

    entries = [{"path": "a.md", "code": "FL202", "text": "x.md"}]
    found = [d(40, "x.md"), d(50, "x.md"), d(60, "y.md")]
    outcome = compare(found, entries, {"a.md"}, {"a.md"}, {})
    assert [(x.line, x.text) for x in outcome.new] == [(50, "x.md"), (60, "y.md")]
    assert (outcome.matched, outcome.stale) == (1, 0)


def test_missing_or_invalid_baseline_is_a_one_line_error(docs: Path) -> None:
    code, _, err = run(".", "--baseline", "nope.json")
    assert code == 2
    assert err == (
        "formalai-lint: error: baseline file `nope.json` does not exist"
        " (create it with --write-baseline nope.json)\n"
    )
    (docs / "broken.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(".", "--baseline", "broken.json")
    assert code == 2 and "is not valid JSON" in err
    (docs / "other.json").write_text('{"entries": []}', encoding="utf-8")
    code, _, err = run(".", "--baseline", "other.json")
    assert code == 2 and "is not a formalai-lint baseline" in err


def test_write_baseline_refuses_to_overwrite_another_file(docs: Path) -> None:
    code, _, err = run(".", "--write-baseline", "a.md")
    assert code == 2
    assert err.startswith("formalai-lint: error: refusing to overwrite `a.md`:")
    assert (docs / "a.md").read_text(encoding="utf-8") == A
