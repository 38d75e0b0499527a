"""The numbering rules' messages: what they quote and what they suggest (FL501, FL502)."""

from __future__ import annotations

from pathlib import Path

from formalai_lint.rules._numbering import _number
from tests.conftest import FIXTURES, lint_tree


def messages(project, name: str, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    root = project(FIXTURES / code / name)
    return [d.message for d in lint_tree(root).diagnostics if d.code == code]


def test_a_part_is_quoted_whole_and_expected_as_a_part(project) -> None:  # type: ignore[no-untyped-def]
    assert messages(project, "parts.md", "FL501") == [
        "heading `第四部分：附录` follows `第二部分`: expected 第三部分"
    ]


def test_chapter_forms_are_expected_in_their_own_form(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# 书\n\n## 第一章 起\n\n## 第三章 承\n\n### 1. 甲\n\n### 3. 乙\n", encoding="utf-8"
    )
    assert [d.message for d in lint_tree(tmp_path).diagnostics] == [
        "heading `第三章 承` follows `第一章`: expected 第二章",
        "heading `3. 乙` follows `1.`: expected 2.",
    ]


def test_one_diagnostic_per_heading_and_none_contradicts_another(project) -> None:  # type: ignore[no-untyped-def]
    assert messages(project, "one-per-heading.md", "FL502") == [
        "subsection `1.13.3 丙` under `1.12 子系统` should be numbered 1.12.x",
        "subsection `3.2 步骤二` under `2. 方法` should be numbered 2.2",
    ]


def test_ordinals_read_as_the_documents_write_them() -> None:
    read = {text: _number(text) for text in ("8 六、结果", "7 2025年最新技术", "5 . 标题", "3")}
    assert {text: n.parts if n else None for text, n in read.items()} == {
        "8 六、结果": (8,),
        "7 2025年最新技术": (7,),
        "5 . 标题": (5,),
        "3": (3,),
    }
    for prose in ("2025年回顾", "1.5B 模型", "5 %", "3-5年规划", "Cambridge Part IA"):
        assert _number(prose) is None, prose
    for weak in ("3- OpenQuant", "5自动化价值", "3. 1因果", "3个原则"):
        found = _number(weak)
        assert found is not None and found.weak, weak


def test_continuations_are_notes_in_brackets_not_words_inside_them() -> None:
    for text in ("二、方法（续）", "3.2 结果(bis)", "12.7 完善（本轮新增）", "1.2 (cont.)"):
        found = _number(text)
        assert found is not None and found.continuation, text
    for text in ("3. 结构（后续推进时建议统一）", "二、方法（建议）"):
        found = _number(text)
        assert found is not None and not found.continuation, text
