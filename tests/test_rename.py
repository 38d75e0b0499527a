"""The project-wide heading rename: every link to a changed anchor follows the heading."""

from __future__ import annotations

import pytest

from formalai_lint.document import Document
from formalai_lint.project import DocFacts
from formalai_lint.rename import RenameError, apply, rename_heading, rename_headings

GUIDE = """# 指南

## 目录

- [一、背景](#一背景)
- [二、方法](#二方法)
  - [2.1 步骤](#21-步骤)

## 一、背景

先看 [方法](#二方法)，再看 [步骤](./guide.md#21-步骤)。

## 二、方法

### 2.1 步骤

## 相关主题

- [背景](#一背景)
"""

NOTES = """# 笔记

参见 [指南的方法](guide/guide.md#二方法) 与 [编码的](guide/guide.md#%E4%BA%8C%E6%96%B9%E6%B3%95)。
另见 [目录](guide/#二方法)、[无关](other.md#二方法) 和 [尖括号](<guide/guide.md#二方法>)。
"""


def _project(docs: dict[str, str]) -> tuple[dict[str, Document], dict[str, DocFacts]]:
    parsed = {path: Document(path, text) for path, text in docs.items()}
    return parsed, {path: DocFacts.of(doc) for path, doc in parsed.items()}


def _renamed(docs: dict[str, str], path: str, texts: dict[int, str]) -> dict[str, str]:
    parsed, facts = _project(docs)
    result = rename_headings(parsed[path], texts, facts, parsed.get)
    return {p: apply(parsed[p].text, edits) for p, edits in result.edits.items()}


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def test_rename_rewrites_toc_local_and_cross_file_links() -> None:
    docs = {"guide/guide.md": GUIDE, "notes.md": NOTES, "other.md": "# 其他\n\n## 二、方法\n"}
    line = _line(GUIDE, "## 二、方法")

    out = _renamed(docs, "guide/guide.md", {line: "二、研究方法"})

    guide = out["guide/guide.md"]
    assert "## 二、研究方法" in guide
    assert "- [二、方法](#二研究方法)" in guide  # the TOC entry's link; its text is the TOC fix's
    assert "先看 [方法](#二研究方法)" in guide
    assert "[步骤](./guide.md#21-步骤)" in guide  # an unchanged anchor is left alone
    notes = out["notes.md"]
    assert "(guide/guide.md#二研究方法)" in notes
    assert "(guide/guide.md#%E4%BA%8C%E7%A0%94%E7%A9%B6%E6%96%B9%E6%B3%95)" in notes
    assert "(guide/#二方法)" in notes  # the folder's README, not guide.md
    assert "(other.md#二方法)" in notes  # another file's anchor of the same name
    assert "(<guide/guide.md#二研究方法>)" in notes
    assert "other.md" not in out


def test_a_folder_link_reaches_its_readme() -> None:
    docs = {"kb/README.md": "# K\n\n## 概述\n", "a.md": "[k](kb/#概述) [k2](kb/README.md#概述)\n"}
    out = _renamed(docs, "kb/README.md", {3: "总览"})
    assert out["a.md"] == "[k](kb/#总览) [k2](kb/README.md#总览)\n"


def test_every_link_after_a_rename_resolves() -> None:
    docs = {"guide/guide.md": GUIDE, "notes.md": NOTES}
    line = _line(GUIDE, "### 2.1 步骤")
    out = _renamed(docs, "guide/guide.md", {line: "2.1 具体步骤"})
    new = Document("guide/guide.md", out["guide/guide.md"])
    for link in new.links:
        if link.fragment:
            assert link.fragment in new.anchors, link


def test_duplicate_ids_of_other_headings_stay_right() -> None:
    text = "# T\n\n## 小结\n\n## 方法\n\n## 小结\n\n见 [第一个](#小结) 与 [第二个](#小结-1)。\n"
    docs = {"a.md": text, "b.md": "[二](a.md#小结-1) [一](a.md#小结)\n"}
    out = _renamed(docs, "a.md", {3: "总结"})
    assert "见 [第一个](#总结) 与 [第二个](#小结)。" in out["a.md"]
    assert out["b.md"] == "[二](a.md#小结) [一](a.md#总结)\n"


def test_renaming_onto_a_later_heading_shifts_its_id() -> None:
    text = "# T\n\n## 甲\n\n## 乙\n\n[甲](#甲) [乙](#乙)\n"
    out = _renamed({"a.md": text}, "a.md", {3: "乙"})
    assert out["a.md"].endswith("[甲](#乙) [乙](#乙-1)\n")
    new = Document("a.md", out["a.md"])
    assert [h.anchor for h in new.headings] == ["t", "乙", "乙-1"]


def test_closing_hashes_and_emphasis_are_kept_outside_the_text() -> None:
    text = "# T\n\n## 旧 名 ##\n\n[x](#旧-名)\n"
    out = _renamed({"a.md": text}, "a.md", {3: "新名"})
    assert out["a.md"] == "# T\n\n## 新名 ##\n\n[x](#新名)\n"


def test_html_anchor_of_the_same_id_is_not_retargeted() -> None:
    text = '# T\n\n<a id="旧"></a>\n\n## 旧\n\n[x](#旧)\n'
    parsed, facts = _project({"a.md": text})
    result = rename_heading(parsed["a.md"], 5, "新", facts, parsed.get)
    assert result.anchors == {}
    assert result.links == 0


def test_reference_links_are_reported_as_missed() -> None:
    text = "# T\n\n## 旧\n\n[x][r]\n\n[r]: #旧\n"
    parsed, facts = _project({"a.md": text})
    result = rename_heading(parsed["a.md"], 3, "新", facts, parsed.get)
    assert result.missed == [("a.md", 5, 1)]


def test_a_rename_that_removes_a_heading_is_refused() -> None:
    parsed, facts = _project({"a.md": "# T\n\n## 旧\n"})
    with pytest.raises(RenameError):
        rename_heading(parsed["a.md"], 3, "a\nb", facts, parsed.get)
    with pytest.raises(RenameError):
        rename_heading(parsed["a.md"], 2, "x", facts, parsed.get)


def test_crlf_and_bom_files_keep_their_bytes() -> None:
    from formalai_lint.fixes.edits import SourceBytes

    data = "\ufeff# T\r\n\r\n## 旧\r\n\r\n[x](#旧)\r\n".encode()
    src = SourceBytes.of(data)
    doc = Document("a.md", src.text)
    result = rename_heading(doc, 3, "新", {"a.md": DocFacts.of(doc)}, {"a.md": doc}.get)
    assert src.apply(result.edits["a.md"]) == "\ufeff# T\r\n\r\n## 新\r\n\r\n[x](#新)\r\n".encode()
