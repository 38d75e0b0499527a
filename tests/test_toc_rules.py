"""TOC recognition and what the TOC rules say (their fixtures check where they fire)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formalai_lint.config import Settings
from formalai_lint.document import Document, toc_title
from formalai_lint.rules.toc.toc_missing_entry import TocMissingEntry
from formalai_lint.rules.toc.toc_nesting import TocNesting
from formalai_lint.rules.toc.toc_stale_entry import TocStaleEntry
from formalai_lint.rules.toc.toc_text_mismatch import TocTextMismatch


@pytest.mark.parametrize(
    "heading",
    [
        "## 📋 目录",
        "## 📑 目录 / Table of Contents",
        "## **目录**",
        "## 1. 📋 目录 {#-目录}",
        "## 目录（Table of Contents）",
        "## 目录 (Contents)",
        "## 二、目录",
        "## Table of Contents",
    ],
)
def test_decorated_toc_headings_are_recognised(heading: str) -> None:
    doc = Document("a.md", f"# T\n\n{heading}\n\n- [A](#a)\n\n## A\n")
    assert doc.toc is not None and doc.toc.heading.line == 3


@pytest.mark.parametrize("heading", ["## 目录结构", "## 📁 目录结构", "## 相关目录", "## 目录说明"])
def test_other_headings_with_the_word_are_not(heading: str) -> None:
    assert Document("a.md", f"# T\n\n{heading}\n\n- [A](#a)\n\n## A\n").toc is None


def test_toc_title_removes_only_decoration() -> None:
    assert toc_title("1. 📋 目录 {#toc}") == "目录"
    assert toc_title("📑 目录 / Table of Contents") == "目录"
    assert toc_title("目录（续）") == "目录（续）"  # not a translation


def messages(rule: type, text: str) -> list[tuple[int, str]]:
    doc = Document("a.md", text)
    return [(d.line, d.message) for d in rule(Settings(Path("."))).check(doc)]


def test_stale_entry_names_the_heading_and_its_id_once() -> None:
    text = (
        "# T\n\n## 目录\n\n- [1.1.8 Fn Trait](#18-fn-trait)\n- [1.1.9 Box](#119-box)\n\n"
        "## 1.1.8 Fn Trait\n\n## 1.1.9 Box\n"
    )
    assert messages(TocStaleEntry, text) == [
        (
            5,
            "TOC entry `1.1.8 Fn Trait` links to `#18-fn-trait`, which no heading has:"
            " heading `1.1.8 Fn Trait` (line 8) has the id `#118-fn-trait`",
        )
    ]
    assert messages(TocMissingEntry, text) == []


def test_stale_entry_says_which_code_fence_is_still_open() -> None:
    text = "# T\n\n## 目录\n\n- [A](#a)\n- [B](#b)\n\n## A\n\n```text\nx\n\n## B\n"
    assert messages(TocStaleEntry, text) == [
        (
            6,
            "TOC entry `B` links to `#b`, which no heading has: the code fence opened at"
            " line 10 is still open, so the heading after it is read as code",
        )
    ]


def test_closed_fences_are_closed() -> None:
    doc = Document("a.md", "```\na\n```\n\n> ~~~~\n> b\n> ~~~~\n\n- ```\n  c\n")
    assert [b.closed for b in doc.blocks] == [True, True, False]


def test_entry_linking_to_the_wrong_heading_names_the_right_one() -> None:
    text = "# T\n\n## 目录\n\n- [A](#a)\n- [✅ A](#a)\n\n## A\n\n## ✅ A\n"
    assert messages(TocTextMismatch, text) == [
        (
            6,
            "TOC entry `✅ A` links to heading `A` (line 8), but its text names heading `✅ A`"
            " (line 10), whose id is `#-a`",
        )
    ]


@pytest.mark.parametrize(
    ("entry", "heading"),
    [
        ("$\\\\beta$-平滑", "$\\beta$-平滑"),
        ("L\\_2 损失", "L_2 损失"),
        ("\\<x\\>", "<x>"),
        ("1、引言", "1. 引言"),
        ("1.1 背景", "1.1. 背景"),
        ("✅ 完成", "完成"),
        ("参考文献", "参考文献 / References"),
    ],
)
def test_entry_text_compared_as_github_shows_it(entry: str, heading: str) -> None:
    text = f'# T\n\n## 目录\n\n- [{entry}](#x)\n\n<a id="x"></a>\n\n## {heading}\n'
    doc = Document("a.md", text)
    slug = doc.headings[-1].anchor
    assert messages(TocTextMismatch, text.replace("(#x)", f"(#{slug})")) == []


def test_numbered_item_number_stands_for_the_ordinal_only_when_equal() -> None:
    text = "# T\n\n## 目录\n\n1. [引言](#1-引言)\n2. [方法](#3-方法)\n\n## 1. 引言\n\n## 3. 方法\n"
    assert [line for line, _ in messages(TocTextMismatch, text)] == [6]


def test_nesting_slip_is_reported_once_with_the_entries_it_moves() -> None:
    text = (
        "# T\n\n## 目录\n\n- [一、引言](#一引言)\n- [二、基础](#二基础)\n- [三、方法](#三方法)\n"
        "- [四、小结](#四小结)\n\n## 一、引言\n\n### 二、基础\n\n### 三、方法\n\n### 四、小结\n"
    )
    # 二 to 四 are H3 under 一 in the headings, siblings of 一 in the TOC: either may be wrong.
    assert messages(TocNesting, text) == [
        (
            6,
            "TOC entry `二、基础` (and the 2 entries after it, shifted the same way) is at"
            " depth 0, but its heading is H3 under `一、引言` (H2), at depth 1 in the headings'"
            " outline: either the entries' depth or the headings' levels are off",
        )
    ]


def test_nesting_names_the_entry_when_the_toc_lists_its_neighbours_right() -> None:
    text = (
        "# T\n\n## 目录\n\n- [一、概述](#一概述)\n  - [1.1 动机](#11-动机)\n"
        "    - [1.2 历史](#12-历史)\n  - [1.3 术语](#13-术语)\n\n"
        "## 一、概述\n\n### 1.1 动机\n\n### 1.2 历史\n\n### 1.3 术语\n"
    )
    assert messages(TocNesting, text) == [
        (
            7,
            "TOC entry `1.2 历史` is at depth 2, but its heading is H3 under `一、概述` (H2):"
            " expected depth 1, as the TOC lists the headings beside it",
        )
    ]
