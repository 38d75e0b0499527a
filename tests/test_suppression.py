"""Inline suppressions: the comments view of the document, each directive form, suppression of
file-rule and project-rule diagnostics, and FL901 for the ones that suppress nothing.
(The fixtures under tests/fixtures/FL901/ cover the same forms end to end.)"""

from __future__ import annotations

import json
from pathlib import Path

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import DocFacts
from formalai_lint.suppression import apply, directives
from tests.conftest import lint_tree

RULES = [("FL201", "broken-fragment"), ("FL202", "broken-link"), ("FL901", "unused-suppression")]


def write(root: Path, **docs: str) -> Path:
    root.mkdir(exist_ok=True)
    (root / ".formalai-lint.toml").write_text("", encoding="utf-8")
    for name, text in docs.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def codes(root: Path, *paths: Path, **overrides: object) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in lint_tree(root, *paths, **overrides).diagnostics]


def test_comments_view_has_block_inline_and_multiline_comments_but_not_code() -> None:
    text = (
        "# 标题\n"
        "\n"
        "<!-- 块注释 -->\n"
        "段落 [链接](#标题) <!-- 行内\n"
        "两行 --> 结尾\n"
        "\n"
        "`<!-- 代码 -->`\n"
        "\n"
        "```\n"
        "<!-- 围栏 -->\n"
        "```\n"
        "\n"
        "| 列 | 值 <!-- 单元格 --> |\n"
        "|---|---|\n"
    )
    doc = Document("a.md", text)
    got = [(c.text, c.line, c.column, c.end_line) for c in doc.comments]
    assert got == [
        ("块注释", 3, 1, 3),
        ("行内\n两行", 4, 14, 5),
        ("单元格", 13, 9, 13),
    ]
    for comment in doc.comments:
        assert doc.lines[comment.line - 1][comment.column - 1 :].startswith("<!--")


def test_directives_parse_kind_selectors_and_reason() -> None:
    doc = Document(
        "a.md",
        "<!-- formalai-lint-disable FL201, broken-link FL3: 原因 -->\n\n"
        "<!-- formalai-lint-disable-next-line FL2 -- 生成的页面 -->\n\n"
        "<!-- 普通注释 -->\n\n"
        "<!-- formalai-lint-enable -->\n",
    )
    found = [(d.kind, d.selectors, d.line) for d in directives(doc.comments)]
    assert found == [
        ("disable", ("FL201", "broken-link", "FL3"), 1),
        ("disable-next-line", ("FL2",), 3),
        ("enable", (), 7),
    ]


def test_suppressions_survive_the_facts_json_round_trip() -> None:
    doc = Document("a.md", "# 甲\n\n<!-- formalai-lint-disable-file FL201 -->\n")
    facts = DocFacts.of(doc)
    assert facts.suppressions
    again = DocFacts.from_json(json.loads(json.dumps(facts.to_json())))
    assert again == facts


def test_each_form_suppresses_only_its_lines(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        a=(
            "# 甲\n"  # 1
            "\n"
            "<!-- formalai-lint-disable FL201 -->\n"  # 3
            "[一](#无一)\n"  # 4 suppressed
            "<!-- formalai-lint-enable -->\n"  # 5
            "[二](#无二)\n"  # 6 reported
            "<!-- formalai-lint-disable-next-line FL201 -->\n"  # 7
            "[三](#无三)\n"  # 8 suppressed
            "[四](#无四)\n"  # 9 reported: only the next line
            "\n"
            "- [五](#无五) <!-- formalai-lint-disable-line FL201 -->\n"  # 11 suppressed
            "- [六](#无六)\n"  # 12 reported
        ),
    )
    assert codes(root) == [("a.md", 6, "FL201"), ("a.md", 9, "FL201"), ("a.md", 12, "FL201")]


def test_selectors_are_codes_prefixes_names_or_nothing(tmp_path: Path) -> None:
    for selector in ("FL201", "FL2", "FL", "broken-fragment", ""):
        root = write(
            tmp_path / f"p{selector}",
            a=f"# 甲\n\n<!-- formalai-lint-disable-next-line {selector} -->\n[一](#无)\n",
        )
        assert codes(root) == [], selector
    root = write(
        tmp_path / "other", a="# 甲\n\n<!-- formalai-lint-disable-next-line FL1 -->\n[一](#无)\n"
    )
    assert ("a.md", 4, "FL201") in codes(root)


def test_disable_file_covers_lines_above_it(tmp_path: Path) -> None:
    root = write(tmp_path / "p", a="# 甲\n\n[一](#无)\n\n<!-- formalai-lint-disable-file FL2 -->\n")
    assert codes(root) == []


def test_project_rule_diagnostics_are_suppressed_too(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        a=(
            "# 甲\n\n"
            "<!-- formalai-lint-disable-next-line FL203 -->\n"
            "[乙的旧节](b.md#旧节)\n\n"
            "[缺失](c.md) <!-- formalai-lint-disable-line broken-link -->\n\n"
            "[乙的另一旧节](b.md#另一旧节)\n"
        ),
        b="# 乙\n\n## 新节\n",
    )
    assert codes(root) == [("a.md", 8, "FL203")]


def test_unused_suppression_is_reported_once_per_unused_selector(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        a="# 甲\n\n<!-- formalai-lint-disable-next-line FL201 FL202 FL203 -->\n[一](#无)\n",
    )
    report = lint_tree(root)
    messages = [(d.line, d.code, d.severity.value, d.message) for d in report.diagnostics]
    comment = "`<!-- formalai-lint-disable-next-line FL201 FL202 FL203 -->`"
    assert messages == [
        (3, "FL901", "warning", f"`FL202` in {comment} suppresses nothing"),
        (3, "FL901", "warning", f"`FL203` in {comment} suppresses nothing"),
    ]


def test_bare_directive_that_suppresses_nothing_is_reported(tmp_path: Path) -> None:
    root = write(tmp_path / "p", a="# 甲\n\n<!-- formalai-lint-disable-file -->\n")
    (diag,) = lint_tree(root).diagnostics
    assert diag.code == "FL901"
    assert diag.message == "`<!-- formalai-lint-disable-file -->` suppresses nothing"
    assert (diag.line, diag.column) == (3, 1)


def test_malformed_directives_are_reported(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        a=(
            "# 甲\n\n"
            "<!-- formalai-lint-disabel FL201 -->\n\n"
            "<!-- formalai-lint-enable FL201 -->\n\n"
            "<!-- formalai-lint-disable-line FL777 -->\n\n"
            "<!-- formalai-lint-disable-line Broken -->\n"
        ),
    )
    messages = [(d.line, d.message) for d in lint_tree(root).diagnostics]
    assert [line for line, _ in messages] == [3, 5, 7, 9]
    assert "unknown suppression `<!-- formalai-lint-disabel FL201 -->`" in messages[0][1]
    assert "closes no `formalai-lint-disable`" in messages[1][1]
    assert "`FL777`" in messages[2][1] and "matches no rule" in messages[2][1]
    assert "`Broken`" in messages[3][1] and "not a rule code" in messages[3][1]


def test_unused_check_skips_rules_that_did_not_run_and_fl901_can_be_ignored(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p", a="# 甲\n\n<!-- formalai-lint-disable-next-line FL101 -->\n正文。\n"
    )
    assert codes(root) == [("a.md", 3, "FL901")]
    assert codes(root, ignore=["FL101"]) == []  # FL101 did not run: nothing to judge
    assert codes(root, ignore=["FL901"]) == []


def test_fl901_is_silenced_only_by_a_directive_naming_it(tmp_path: Path) -> None:
    unused = "<!-- formalai-lint-disable-next-line FL201 -->\n正文。\n"
    named = write(
        tmp_path / "named", a=f"# 甲\n\n<!-- formalai-lint-disable-file FL901 -->\n\n{unused}"
    )
    assert codes(named) == []
    bare = write(tmp_path / "bare", a=f"# 甲\n\n<!-- formalai-lint-disable-file -->\n\n{unused}")
    # the bare one does not silence FL901 and suppresses nothing else: both are reported
    assert codes(bare) == [("a.md", 3, "FL901"), ("a.md", 5, "FL901")]
    alone = write(tmp_path / "alone", a="# 甲\n\n<!-- formalai-lint-disable-file FL901 -->\n")
    assert codes(alone) == [("a.md", 3, "FL901")]  # it does not silence itself


def test_suppressions_of_files_not_reported_on_are_not_judged(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        a="# 甲\n\n[乙](b.md#乙)\n",
        b="# 乙\n\n<!-- formalai-lint-disable-next-line FL201 -->\n正文。\n",
    )
    assert codes(root, root / "a.md") == []  # b.md is parsed for its facts, not linted
    assert codes(root) == [("b.md", 3, "FL901")]


def test_internal_errors_cannot_be_suppressed() -> None:
    crash = Diagnostic("a.md", 1, 1, "FL002", "rule FL201 crashed", name="internal-error")
    doc = Document("a.md", "<!-- formalai-lint-disable-file -->\n")
    found = {"a.md": directives(doc.comments)}
    known = [*RULES, ("FL002", "internal-error")]
    assert apply([crash], found, None, known, known) == [crash]
