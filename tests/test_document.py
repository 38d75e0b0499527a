"""The document model: one parse, and the views rules read."""

from __future__ import annotations

import pytest

from formalai_lint.document import Document, ParseOptions

CORPUS_STYLE = """\
# 03.2-示例：收敛（测试）

## 一、概述

正文。

## 二、目录

- [03.2-示例：收敛（测试）](#032-示例收敛测试)
  - [一、概述](#一概述)
  - [二、目录](#二目录)
  - [三、定义](#三定义)
    - [3.1 形式化](#31-形式化)

## 三、定义

### 3.1 形式化

## 四、相关主题

- [上级](../README.md)
- [同级](#三定义)

## 五、附录

[正文链接](#一概述)
"""


def test_headings_text_line_and_ids() -> None:
    doc = Document("a.md", CORPUS_STYLE)
    assert [(h.level, h.text, h.line) for h in doc.headings][:3] == [
        (1, "03.2-示例：收敛（测试）", 1),
        (2, "一、概述", 3),
        (2, "二、目录", 7),
    ]
    assert doc.headings[0].anchor == "032-示例收敛测试"
    assert doc.title == "03.2-示例：收敛（测试）"
    assert doc.headings[1].title == "概述"


def test_toc_entries_depths_and_range() -> None:
    doc = Document("a.md", CORPUS_STYLE)
    assert doc.toc is not None
    assert doc.toc.heading.text == "二、目录"
    assert (doc.toc.start_line, doc.toc.end_line) == (9, 13)
    assert [(e.fragment, e.depth, e.line, e.column) for e in doc.toc.entries] == [
        ("032-示例收敛测试", 0, 9, 3),
        ("一概述", 1, 10, 5),
        ("二目录", 1, 11, 5),
        ("三定义", 1, 12, 5),
        ("31-形式化", 2, 13, 7),
    ]


def test_bilingual_toc_heading_and_configurable_pattern() -> None:
    text = "# T\n\n## 目录 / Table of Contents / Inhaltsverzeichnis\n\n- [A](#a)\n\n## A\n"
    assert Document("a.md", text).toc is not None
    # `目录结构` (a section about folder layout) is not a table of contents
    assert Document("a.md", "# T\n\n## 目录结构\n\n- [A](#a)\n\n## A\n").toc is None
    custom = ParseOptions(toc_pattern=r"^索引$")
    assert Document("a.md", "# T\n\n## 索引\n\n- [A](#a)\n\n## A\n", custom).toc is not None


def test_link_context_toc_related_and_plain() -> None:
    doc = Document("a.md", CORPUS_STYLE)
    contexts = {(link.target, link.line): link.context for link in doc.links}
    assert contexts[("#一概述", 10)] == "toc"
    assert contexts[("../README.md", 21)] == "related"
    assert contexts[("#三定义", 22)] == "related"
    assert contexts[("#一概述", 26)] == ""


def test_link_positions_and_raw_targets() -> None:
    text = (
        "# T\n\n段落 [一](#一概述) 与\n> 引用里 [二](../b%20c.md#%E4%BA%8C) 和 ![图](img/x.png)\n"
    )
    doc = Document("d/a.md", text)
    first, second, image = doc.links
    assert (first.line, first.column, first.target, first.fragment) == (3, 4, "#一概述", "一概述")
    assert (second.line, second.column) == (4, 7)
    assert second.target == "../b%20c.md#%E4%BA%8C"
    assert (second.path, second.fragment) == ("../b c.md", "二")
    assert image.image and image.path == "img/x.png" and image.line == 4


def test_display_math_opening_with_content_does_not_swallow_headings() -> None:
    text = "# T\n\n$$D(x) = \\begin{cases}\n1 & x \\\\\n0 & \\text{否则}\n\\end{cases}$$\n\n## 后续标题\n"
    doc = Document("a.md", text)
    assert [h.text for h in doc.headings] == ["T", "后续标题"]
    (math,) = doc.blocks
    assert (math.kind, math.line, math.content_line) == ("math", 3, 3)


def test_nothing_in_code_math_or_comments_is_a_heading_or_link() -> None:
    text = (
        "# T\n\n```markdown\n# 不是标题\n[x](#y)\n```\n\n`[x](#z)`\n\n"
        "<!--\n# 注释里的标题\n[x](#w)\n-->\n\n$$\n[x](#v)\n$$\n\n$[x](#u)$\n"
    )
    doc = Document("a.md", text)
    assert [h.text for h in doc.headings] == ["T"]
    assert doc.links == ()


def test_bom_and_crlf() -> None:
    doc = Document("a.md", "\ufeff# 标题\r\n\r\n## 二\r\n")
    assert [(h.text, h.line) for h in doc.headings] == [("标题", 1), ("二", 3)]


def test_html_anchors_tables_blocks_and_front_matter() -> None:
    text = (
        "---\nlevel: L0\ntitle: '示例'\n---\n# T\n\n<a id=\"top\"></a>\n\n"
        "段落 <a name='mid'>x</a>\n\n"
        "| **维度** | **值** |\n| --- | --- |\n| 采用率 | **<30%** |\n\n"
        "```math\n0.3 \\times 0.4 = 0.12\n```\n"
    )
    doc = Document("a.md", text)
    assert doc.front_matter == {"level": "L0", "title": "示例"}
    assert {a.id for a in doc.html_anchors} == {"top", "mid"}
    assert {"top", "mid", "t"} <= doc.anchors
    (table,) = doc.tables
    assert [c.text for c in table.header] == ["维度", "值"]
    assert [(c.text, c.line) for c in table.rows[0]] == [("采用率", 13), ("<30%", 13)]
    assert table.heading is not None and table.heading.text == "T"
    (fence,) = doc.blocks
    assert (fence.kind, fence.info, fence.content_line) == ("fence", "math", 16)


def test_cells_with_the_same_text_in_one_row_have_their_own_columns() -> None:
    row = "| 收敛度 | 60% | 60% | [见](#t) | [见](#t) |"
    text = f"# T\n\n| 指标 | 甲 | 乙 | 丙 | 丁 |\n| --- | --- | --- | --- | --- |\n{row}\n"
    (table,) = Document("a.md", text).tables
    first, second = row.index("60%"), row.rindex("60%")
    assert [(c.text, c.column) for c in table.rows[0][1:3]] == [
        ("60%", first + 1),
        ("60%", second + 1),
    ]
    links = Document("a.md", text).links
    assert [(link.line, link.column) for link in links] == [
        (5, row.index("[见]") + 1),
        (5, row.rindex("[见]") + 1),
    ]


def test_sections_end_before_the_next_heading_of_same_or_higher_level() -> None:
    doc = Document("a.md", CORPUS_STYLE)
    related = doc.related_sections
    assert [(s.heading.text, s.start_line, s.end_line) for s in related] == [
        ("四、相关主题", 19, 23)
    ]


def test_related_context_spans_nested_and_repeated_sections() -> None:
    text = (
        "# T\n\n## 一、相关主题\n\n### 1.1 子节\n\n- [a](a.md)\n\n## 二、正文\n\n- [b](b.md)\n\n"
        "## 三、相关链接\n\n- [c](c.md)\n"
    )
    doc = Document("x.md", text)
    assert [(link.target, link.context) for link in doc.links] == [
        ("a.md", "related"),
        ("b.md", ""),
        ("c.md", "related"),
    ]


@pytest.mark.parametrize(
    ("source", "words", "held"),
    [
        ("收敛度 80%", ["收敛度"], True),
        ("收**敛**度 80%", ["收敛度"], True),  # markup between the characters
        ("&#x6536;敛度 80%", ["收敛度"], True),  # an entity stands for one
        ("见 <https://x.example/%E6%94%B6%E6%95%9B%E5%BA%A6>", ["收敛度"], True),  # decoded
        ("`收敛\n度`", ["收敛 度"], True),  # a code span's newline reads as a space
        ("采用率 80%", ["收敛度"], False),
        ("度敛收", ["收敛度"], False),
    ],
)
def test_texts_holding_finds_a_word_however_the_source_writes_it(
    source: str, words: list[str], held: bool
) -> None:
    doc = Document("a.md", f"# 标题\n\n{source}\n\n其他段落。\n")
    first_paragraph = Document("a.md", doc.text).texts[0].text
    expected = [first_paragraph] if held else []
    assert [t.text for t in doc.texts_holding(words)] == expected
    _ = doc.texts
    assert [t.text for t in doc.texts_holding(words)] == expected  # from `texts`, once read


def test_a_paragraph_that_cannot_hold_the_word_is_not_parsed() -> None:
    doc = Document("a.md", "收敛度 **80%**\n\n采用率 **60%**\n")
    assert [t.text for t in doc.texts_holding(["收敛度"])] == ["收敛度 80%"]
    first, second = [t for t in doc.block_tokens if t.type == "inline"]
    assert first.children and second.children == []


def test_inline_content_is_parsed_when_first_read() -> None:
    doc = Document("a.md", "# 标题\n\n纯文本 **粗**。\n\n见 [链接](#标题)。\n")
    heading, plain, linked = [t for t in doc.block_tokens if t.type == "inline"]
    assert heading.children and linked.children  # read by the model: headings and links
    assert plain.children == []  # no `[` or `<`: nothing in it for the model
    assert [t.text for t in doc.texts] == ["纯文本 粗。", "见 链接。"]
    assert [c.type for c in plain.children] == [
        "text",
        "strong_open",
        "text",
        "strong_close",
        "text",
    ]


def test_links_headings_and_toc_entries_know_where_they_end() -> None:
    text = "# 标题 #\n\n## 目录\n\n- [标题](#标题)\n- 无链接条目\n\n> 见 [跨\n> 行](b.md) 与 ![图](c.png)。\n"
    doc = Document("a.md", text)
    title = doc.headings[0]
    assert (title.line, title.column, title.end_line, title.end_column) == (1, 3, 1, 5)
    assert doc.toc is not None
    entry = doc.toc.entries[0]
    assert (entry.line, entry.column, entry.end_line, entry.end_column) == (5, 3, 5, 12)
    unlinked = doc.toc.unlinked[0]
    assert (unlinked.line, unlinked.column, unlinked.end_line, unlinked.end_column) == (6, 3, 6, 8)
    across, image = [link for link in doc.links if link.context != "toc"]
    assert (across.line, across.column, across.end_line, across.end_column) == (8, 5, 9, 11)
    assert (image.line, image.end_line, image.end_column - image.column) == (
        9,
        9,
        len("![图](c.png)"),
    )
