"""Renumbering (the unsafe fix of FL501/FL502): which headings get which numbers."""

from __future__ import annotations

from pathlib import Path

from formalai_lint.config import Settings
from formalai_lint.document import Document
from formalai_lint.rules.numbering.fix import renumbering
from formalai_lint.rules.numbering.heading_numbering import HeadingNumbering
from formalai_lint.rules.numbering.subsection_numbering import SubsectionNumbering


def _new(text: str) -> dict[int, str]:
    texts, _ = renumbering(Document("a.md", text))
    return texts


def _lines(*headings: str) -> str:
    return "# T\n\n" + "\n\n".join(headings) + "\n"


def test_a_skipped_chapter_renumbers_the_rest_and_their_subsections() -> None:
    text = _lines("## 一、甲", "## 二、乙", "## 四、丙", "### 4.1 子", "#### 4.1.1 孙", "## 五、丁")
    assert _new(text) == {7: "三、丙", 9: "3.1 子", 11: "3.1.1 孙", 13: "四、丁"}


def test_numbers_past_ten_and_chapter_words() -> None:
    chapters = [f"## {n}、章" for n in "一二三四五六七八九十"] + ["## 十二、末章"]
    assert _new(_lines(*chapters)) == {23: "十一、末章"}
    assert _new(_lines("## 第1章 起", "## 第3章 承")) == {5: "第2章 承"}


def test_subsections_take_their_chapters_number() -> None:
    text = _lines("## 1. 甲", "### 1.1 a", "## 2. 乙", "### 3.1 b", "### 3.2 c")
    assert _new(text) == {9: "2.1 b", 11: "2.2 c"}


def test_a_continuation_under_another_prefix_is_left_alone() -> None:
    text = _lines("## 1. 甲", "### 0.1 导读（新增）", "### 1.1 a", "### 1.3 b")
    assert _new(text) == {9: "1.2 b"}


def test_a_continuation_keeps_the_number_before_it() -> None:
    text = _lines("## 一、甲", "## 二、乙", "## 二、乙（续）", "## 四、丙")
    assert _new(text) == {9: "三、丙"}


def test_what_the_rules_accept_is_not_touched() -> None:
    assert _new(_lines("## 三、甲", "## 五、乙")) == {}  # not starting at 1: not checked
    assert _new(_lines("## 一、甲", "## 二、乙", "## 一、新篇", "## 二、续篇")) == {}
    assert _new(_lines("## 1. 甲", "### 1.1 a", "### 1.2 b")) == {}


def test_a_number_in_markup_is_reported_not_renumbered() -> None:
    texts, skipped = renumbering(Document("a.md", _lines("## 一、甲", "## `三、`乙")))
    assert texts == {}
    assert "not renumbered" in skipped[0]


def test_after_renumbering_the_rules_are_quiet() -> None:
    from formalai_lint.project import DocFacts
    from formalai_lint.rename import apply, rename_headings

    text = _lines(
        "## 一、甲", "### 1.2 a", "### 1.1 b", "## 三、乙", "### 2.1 c", "## 三、丙", "### 5.1 d"
    )
    doc = Document("a.md", text)
    texts, _ = renumbering(doc)
    renamed = rename_headings(doc, texts, {"a.md": DocFacts.of(doc)}, {"a.md": doc}.get)
    fixed = Document("a.md", apply(doc.text, renamed.edits["a.md"]))
    settings = Settings(root=Path("."))
    assert not list(HeadingNumbering(settings).check(fixed))
    assert not list(SubsectionNumbering(settings).check(fixed))
    assert [h.text for h in fixed.headings][1:] == [
        "一、甲",
        "1.1 a",
        "1.2 b",
        "二、乙",
        "2.1 c",
        "三、丙",
        "3.1 d",
    ]


def test_diff_shows_the_renumbering_in_every_file_and_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from formalai_lint.cli import main

    (tmp_path / "a.md").write_text(_lines("## 一、甲", "## 三、乙", "[乙](#三乙)"), "utf-8")
    (tmp_path / "b.md").write_text("# B\n\n[乙](a.md#三乙)\n", "utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["check", "--no-cache", "--diff", "--unsafe-fixes", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "+## 二、乙" in result.stdout and "+[乙](a.md#二乙)" in result.stdout
    assert "+[乙](#二乙)" in result.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    safe = CliRunner().invoke(main, ["check", "--no-cache", "--diff", str(tmp_path)])
    assert safe.stdout == ""  # renumbering is an unsafe fix


def test_subsections_moved_under_another_chapter_count_from_one() -> None:
    text = _lines("## 一、甲", "### 1.1 a", "## 二、乙", "### 1.5 b", "### 1.6 c")
    assert _new(text) == {9: "2.1 b", 11: "2.2 c"}
