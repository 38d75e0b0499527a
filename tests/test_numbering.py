"""The numbering rules' messages: what they quote and what they suggest (FL501, FL502)."""

from __future__ import annotations

from pathlib import Path

from formalai_lint.rules.numbering._view import _number
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
        "subsection `1.13.3 丙` does not carry the number of its section `1.12 子系统`"
        " (line 5): to be renumbered 1.12.x?",
        "subsection `3.2 步骤二` does not carry the number of its chapter `2. 方法`"
        " (line 16): to be renumbered 2.2?",
    ]


def test_a_subsection_left_in_another_chapter_is_not_given_one_fix(project) -> None:  # type: ignore[no-untyped-def]
    # `2.3` under `4.` may have been moved there, or be meant as 4.3: the message names both
    assert messages(project, "moved-subsections.md", "FL502") == [
        "subsection `2.3 关系定义` does not carry the number of its chapter `4. 与实现层映射`"
        " (line 15); numbered as a subsection of chapter `2. 元模型元素` (line 7):"
        " moved, or to be renumbered 4.3?",
        "subsections 3.1–3.2 do not carry the number of their chapter `5. 验证规则` (line 24);"
        " numbered as subsections of chapter `3. 形式化约束` (line 13):"
        " moved, or to be renumbered 5.x?",
        "subsection `6.1 运维工具` follows 6.5: expected 6.6",
        "subsection `9.1 术语表` does not carry the number of its chapter `7. 附录` (line 46):"
        " to be renumbered 7.1?",
    ]


def test_the_toc_heading_is_not_the_chapter_a_subsection_was_moved_from(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# 文档\n\n## 一、概述\n\n## 二、目录\n\n- [一、概述](#一概述)\n- [三、方法](#三方法)\n\n"
        "## 三、方法\n\n### 3.1 步骤\n\n### 2.2 模板\n",
        encoding="utf-8",
    )
    assert [d.message for d in lint_tree(tmp_path).diagnostics if d.code == "FL502"] == [
        "subsection `2.2 模板` does not carry the number of its chapter `三、方法` (line 10):"
        " to be renumbered 3.2?"
    ]


def test_a_block_moved_in_is_one_slip_where_it_starts(project) -> None:  # type: ignore[no-untyped-def]
    assert messages(project, "moved-block.md", "FL501") == [
        "heading `2. 隐私保护` follows `4.`: expected 5.",
        "heading `三、挑战（旧稿）` repeats `三、`: expected 四、",
        "heading `5. 展望` follows `2.`: expected 3.",
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
