"""Heading ids are GitHub's.

`data/github_slugger_cases.json` holds (heading text, expected id) pairs chosen to cover the
traps: full-width punctuation, `a & b` -> `a--b`, repeated headings and taken suffixes, emoji
(deleted, but the invisible U+FE0F / U+20E3 marks stay), Pandoc `{#id}` kept as text, letters of
every script, Unicode case folding. The expected ids were produced by the npm package
github-slugger 2.0.0 (in a scratch folder, not a dependency), in this order, with one slugger.
"""

from __future__ import annotations

import json
from pathlib import Path

from formalai_lint.document import Document
from formalai_lint.slug import Slugger, slug

CASES = json.loads(
    (Path(__file__).parent / "data" / "github_slugger_cases.json").read_text("utf-8")
)


def test_ids_match_github_slugger_in_sequence() -> None:
    slugger = Slugger()
    assert [[text, slugger.slug(text)] for text, _ in CASES] == CASES


def test_duplicate_suffix_already_taken_is_skipped() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["foo", "foo", "foo-1", "foo"]] == [
        "foo",
        "foo-1",
        "foo-1-1",
        "foo-2",
    ]


def test_no_collapsing_of_spaces() -> None:
    assert slug("a  b") == "a--b"
    assert slug("a & b") == "a--b"


def test_headings_in_a_document_get_unique_ids() -> None:
    doc = Document("x.md", "# 示例\n\n## 示例\n\n## 示例 `代码`\n\n## **示例**\n")
    assert [h.anchor for h in doc.headings] == ["示例", "示例-1", "示例-代码", "示例-2"]
