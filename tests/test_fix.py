"""`--fix`, `--unsafe-fixes`, `--diff`: fixture pairs, the CLI, and the safety rules.

Each folder of tests/fix_fixtures/ holds `before/` (a small project) and `after/` (what it
must be once fixed, byte for byte). Folders named `unsafe-*` are fixed with --unsafe-fixes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from formalai_lint import fix
from formalai_lint.cli import main
from formalai_lint.config import load_settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.fixes.edits import Edit
from formalai_lint.fixes.html import outside_html
from formalai_lint.rules.toc import fix as toc_fix
from formalai_lint.session import Session
from tests.conftest import lint_tree

PAIRS = Path(__file__).parent / "fix_fixtures"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".formalai-lint-cache" not in p.parts
    }


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", sorted(p.name for p in PAIRS.iterdir()), ids=str)
def test_fix_gives_the_expected_files(case: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PAIRS / case / "before", root)
    flags = ["--fix", "--unsafe-fixes"] if case.startswith("unsafe-") else ["--fix"]
    before = lint_tree(root).diagnostics
    assert before, "a fix fixture must have something to fix"

    code, _, err = _run(*flags, str(root))

    assert _files(root) == _files(PAIRS / case / "after")
    assert "Fixed" in err and "formalai-lint: warning" not in err
    after = lint_tree(root).diagnostics
    assert not [d for d in after if d.code.startswith("FL1")]
    assert code == (1 if any(d.severity == "error" for d in after) else 0)
    fixed_once = _files(root)
    _run(*flags, str(root))
    assert _files(root) == fixed_once  # idempotent


def test_every_toc_rule_has_a_fix_pair_in_both_corpus_styles() -> None:
    """Each of FL101–FL105 is fixed in a `## 二、目录` TOC and in a bilingual one."""
    for style in ("toc-numbered", "toc-bilingual"):
        for rule in ("missing-entry", "stale-entry", "order", "nesting", "text"):
            assert (PAIRS / f"{style}-{rule}" / "before").is_dir(), (style, rule)


def _project(tmp_path: Path, text: str | bytes, name: str = "doc.md") -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    (root / name).write_bytes(data)
    return root


STALE = """# 标题

## 目录

- [标题](#标题)
  - [目录](#目录)
  - [一、甲](#一甲)

## 一、甲

正文。

## 二、乙

正文。
"""


def test_diff_prints_a_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE)
    code, out, err = _run("--diff", str(root))
    assert code == 1
    assert "+  - [二、乙](#二乙)" in out
    assert out.startswith("diff --git a/") and "\n--- a/" in out and "\n+++ b/" in out
    assert "Would fix 1 diagnostic in 1 file" in err
    assert (root / "doc.md").read_text() == STALE


def test_diff_exits_0_when_nothing_would_change(tmp_path: Path) -> None:
    root = _project(
        tmp_path, STALE.replace("  - [一、甲](#一甲)", "  - [一、甲](#一甲)\n  - [二、乙](#二乙)")
    )
    code, out, _ = _run("--diff", str(root))
    assert (code, out) == (0, "")


def test_unsafe_fixes_alone_is_a_usage_error(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE)
    code, _, err = _run("--unsafe-fixes", str(root))
    assert code == 2
    assert "--unsafe-fixes only applies with --fix or --diff" in err
    assert "Traceback" not in err


def test_plain_run_says_how_many_are_fixable(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE)
    code, out, err = _run(str(root))
    assert code == 1
    assert "FL101" in out and "[*]" in out
    assert "[*] 1 fixable with --fix." in err


def test_fix_summary_counts_fixed_and_remaining(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE + "\n见[别处](missing.md)。\n")
    code, out, err = _run("--fix", str(root))
    assert "Fixed 1 diagnostic in 1 file (1 TOC rewritten, 0 links retargeted); 1 remains." in err
    assert "FL202" in out and "FL101" not in out
    assert code == 1


def test_safe_fix_leaves_broken_links_alone(tmp_path: Path) -> None:
    root = _project(tmp_path, "# 甲\n\n见[乙](#二乙)。\n\n## 一、乙\n")
    before = (root / "doc.md").read_bytes()
    _run("--fix", str(root))
    assert (root / "doc.md").read_bytes() == before
    _run("--fix", "--unsafe-fixes", str(root))
    assert (root / "doc.md").read_text() == "# 甲\n\n见[乙](#一乙)。\n\n## 一、乙\n"


def test_a_tie_is_never_retargeted(tmp_path: Path) -> None:
    root = _project(tmp_path, "# 甲\n\n见[乙](#乙)。\n\n## 一、乙\n\n## 二、乙\n")
    before = (root / "doc.md").read_bytes()
    _run("--fix", "--unsafe-fixes", str(root))
    assert (root / "doc.md").read_bytes() == before


def test_a_file_that_does_not_decode_is_never_written(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE.encode() + b"\xff\xfe broken\n")
    fake = Diagnostic("doc.md", 14, 4, "FL101", "missing", fixable=True)
    outcome = Session(load_settings([root])).fix([fake]).run
    assert outcome.fixes == []
    assert any("not fixed" in w and "UTF-8" in w for w in outcome.warnings)
    assert (root / "doc.md").read_bytes().endswith(b"\xff\xfe broken\n")


def test_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    root = _project(tmp_path, STALE, "real.md")
    (root / "link.md").symlink_to(root / "real.md")
    fake = Diagnostic("link.md", 14, 4, "FL101", "missing", fixable=True)
    outcome = Session(load_settings([root])).fix([fake]).run
    assert outcome.fixes == [] and "symbolic link" in outcome.warnings[0]
    assert (root / "real.md").read_text() == STALE


def test_write_is_skipped_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = _project(tmp_path, "new on disk\n") / "doc.md"
    problem = fix.write_atomic(path, b"what we read\n", b"fixed\n")
    assert problem and "changed on disk" in problem
    assert path.read_bytes() == b"new on disk\n"
    assert [p.name for p in path.parent.iterdir()] == ["doc.md"]  # no temporary file left


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = _project(tmp_path, "old\n") / "doc.md"
    path.chmod(0o640)
    assert fix.write_atomic(path, b"old\n", b"new\n") is None
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["doc.md"]


def test_a_toc_edit_that_changes_the_page_outside_the_toc_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-parse check: an edit reaching past the TOC list is refused, with a warning."""

    def too_wide(doc: Document) -> Edit:
        assert doc.toc is not None
        return Edit(
            doc.toc.start_line, 1, doc.toc.end_line + 3, 1, "- [标题](#标题)\n\n"
        )  # eats `## 一、甲`

    monkeypatch.setattr(fix, "toc_edit", too_wide)
    root = _project(tmp_path, STALE)
    _, _, err = _run("--fix", str(root))
    assert "TOC not rewritten: the rendered page outside the TOC would change" in err
    assert (root / "doc.md").read_text() == STALE


def test_a_toc_with_other_content_is_not_rewritten(tmp_path: Path) -> None:
    text = STALE.replace("  - [一、甲](#一甲)", "  - [一、甲](#一甲)\n  - 另见外部资料")
    root = _project(tmp_path, text)
    _, _, err = _run("--fix", str(root))
    assert "TOC not rewritten" in err and "另见外部资料" in err
    assert (root / "doc.md").read_text() == text


def test_a_comment_in_a_toc_line_survives_or_blocks_the_rewrite(tmp_path: Path) -> None:
    kept = STALE.replace("  - [一、甲](#一甲)", "  - [一、甲](#一甲) <!-- 保留 -->")
    root = _project(tmp_path, kept)
    _run("--fix", str(root))
    assert (
        "  - [一、甲](#一甲) <!-- 保留 -->\n  - [二、乙](#二乙)\n" in (root / "doc.md").read_text()
    )


def test_outside_html_ignores_the_toc_and_nothing_else() -> None:
    doc = Document("a.md", STALE)
    other_toc = Document(
        "a.md", STALE.replace("  - [一、甲](#一甲)", "  - [一、甲](#一甲)\n  - [二、乙](#二乙)")
    )
    other_text = Document("a.md", STALE.replace("正文。", "改过的正文。", 1))
    assert outside_html(doc) == outside_html(other_toc)
    assert outside_html(doc) != outside_html(other_text)
    moved = Document("a.md", STALE + "\n[x](#一甲)\n")
    retargeted = Document("a.md", STALE + "\n[x](#二乙)\n")
    assert outside_html(moved, destinations=True) == outside_html(retargeted, destinations=True)
    assert outside_html(moved) != outside_html(retargeted)


def test_labels_that_would_be_markup_are_escaped() -> None:
    doc = Document("a.md", "# t\n\n## 目录\n\n- [t](#t)\n\n## a\\*b\\* [c]\n")
    heading = doc.headings[-1]
    text = toc_fix.label(heading, None, short=False)
    assert toc_fix._renders_as(text, "a*b* [c]")
    assert text != "a*b* [c]"  # as written, it would render as emphasis


def _script():  # type: ignore[no-untyped-def]
    import importlib.util

    path = Path(__file__).parents[1] / "scripts" / "check_fix_html.py"
    spec = importlib.util.spec_from_file_location("check_fix_html", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> None:
    """A small project: two stale TOCs (both corpus styles, one CRLF), one clean file."""
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text(STALE, encoding="utf-8")
    bilingual = (PAIRS / "toc-bilingual-missing-entry" / "before" / "doc.md").read_bytes()
    (root / "sub" / "b.md").write_bytes(bilingual.replace(b"\n", b"\r\n"))
    (root / "c.md").write_text("# 无目录\n\n正文。\n", encoding="utf-8")


def test_check_fix_html_script_passes_on_a_generated_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path / "tree")
    before = _files(tmp_path / "tree")
    assert _script().main([str(tmp_path / "tree")]) == 0
    out = capsys.readouterr().out
    assert (
        "3 files, 2 changed by --fix; rendered HTML outside TOC blocks identical in 2 of 2" in out
    )
    assert _files(tmp_path / "tree") == before  # it works on a copy


def test_check_fix_html_script_catches_a_change_outside_the_toc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script()
    real_fix = script.fix

    def fix_and_damage(root: Path, unsafe: bool) -> None:
        real_fix(root, unsafe)
        page = root / "a.md"
        page.write_text(page.read_text().replace("正文。", "改动。", 1))

    monkeypatch.setattr(script, "fix", fix_and_damage)
    _tree(tmp_path / "tree")
    assert script.main([str(tmp_path / "tree")]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT outside the TOC: a.md" in out
