"""Issue 17, hostile inputs against what the tool reports: suppression bombs, quadratic
inputs, baselines of deleted files, JUnit well-formedness, escaped output, diffs that apply,
and the smaller consistency items. Each test performs the attack.

Linear-time checks compare two sizes (n and 4n): linear work grows about 4×, quadratic 16×;
the bounds are generous and there are no absolute timings."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from formalai_lint import document
from formalai_lint.cli import main
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document
from formalai_lint.suppression import Directive, apply
from tests.conftest import growth, lint_tree, run_cli

RULES = [("FL201", "broken-fragment"), ("FL202", "broken-link"), ("FL901", "unused-suppression")]


class _FL901:
    code, name = "FL901", "unused-suppression"

    def diagnostic(self, path: str, line: int, column: int, message: str, text: str) -> Diagnostic:
        return Diagnostic(path, line, column, self.code, message, self.name, Severity.WARNING, text)


def project(root: Path, **docs: str | bytes) -> Path:
    root.mkdir(exist_ok=True)
    (root / ".formalai-lint.toml").write_text("", encoding="utf-8")
    for name, text in docs.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (root / name).write_bytes(data)
    return root


# -- item 7: one comment repeating a code N times ---------------------------------------


def test_a_code_repeated_in_one_comment_gives_one_bounded_fl901(tmp_path: Path) -> None:
    def output_size(n: int) -> int:
        root = project(
            tmp_path / str(n),
            **{"a.md": f"# 甲\n\n<!-- formalai-lint-disable-file {'FL201 ' * n}-->\n"},
        )
        diags = lint_tree(root).diagnostics
        assert [d.code for d in diags] == ["FL901"]
        return sum(len(json.dumps(d.to_json())) for d in diags)

    small, large = output_size(2_000), output_size(8_000)
    assert large <= small * 1.5  # bounded: the quote does not grow with the comment
    assert large < 1_000


@pytest.mark.parametrize("selector", ["x" * 50_000, "FL2" + "0" * 50_000])
def test_a_huge_selector_is_quoted_bounded(tmp_path: Path, selector: str) -> None:
    root = project(tmp_path, **{"a.md": f"# 甲\n\n<!-- formalai-lint-disable {selector} -->\n"})
    [diag] = lint_tree(root).diagnostics
    assert diag.code == "FL901" and len(diag.message) + len(diag.text) < 400


# -- item 8: quadratic shapes -----------------------------------------------------------


def test_40000_inline_anchors_on_one_line_are_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted, not timed: the characters of file lines searched to place inline tokens."""
    searched = [0]
    column_base = document._column_base

    def counting(source_line: str, original: str) -> int:
        searched[0] += len(original)
        return column_base(source_line, original)

    monkeypatch.setattr(document, "_column_base", counting)

    def work(n: int) -> int:
        searched[0] = 0
        doc = Document("a.md", "# 甲\n\n" + "<a id='x'>" * n + "\n")
        assert len(doc.html_anchors) == n
        return searched[0]

    assert work(4 * 10_000) <= 4.5 * work(10_000)
    assert growth(lambda n: Document("a.md", "<a id='x'>" * n), 4_000) < 10


def test_n_disable_next_line_comments_with_n_findings_are_linear() -> None:
    def run(n: int) -> None:
        found = {
            "a.md": [
                Directive(
                    "disable-next-line",
                    ("FL202",),
                    "formalai-lint-disable-next-line FL202",
                    2 * i + 1,
                    1,
                    2 * i + 1,
                )
                for i in range(n)
            ]
        }
        diags = [
            Diagnostic("a.md", 2 * i + 2, 1, "FL202", "broken", "broken-link") for i in range(n)
        ]
        assert apply(diags, found, _FL901(), RULES, RULES) == []  # type: ignore[arg-type]

    assert growth(run, 2_000) < 10


def test_n_unused_disable_comments_naming_fl901_are_linear() -> None:
    def run(n: int) -> None:
        found = {
            "a.md": [
                Directive(
                    "disable-line", ("FL901",), "formalai-lint-disable-line FL901", i + 1, 1, i + 1
                )
                for i in range(n)
            ]
        }
        assert len(apply([], found, _FL901(), RULES, RULES)) == n  # type: ignore[arg-type]

    assert growth(run, 2_000) < 10


# -- item 19: a repeated selector ---------------------------------------------------------


def test_a_repeated_selector_gives_one_fl901(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        **{"a.md": "# 甲\n\n<!-- formalai-lint-disable-next-line FL202, FL202 FL202 -->\n正文\n"},
    )
    diags = lint_tree(root).diagnostics
    assert [(d.code, d.line) for d in diags] == [("FL901", 3)]


# -- item 15: JUnit with control characters and U+FFFE ----------------------------------


def test_junit_is_well_formed_with_control_characters_in_paths_and_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "b\x1bc\x01\ufffe.md"
    root = project(
        tmp_path, **{"a.md": "# 甲\n\n[x](#c%01%EF%BF%BEd)\n", name: "# 乙\n\n[y](#q)\n"}
    )
    monkeypatch.chdir(root)
    code, out, _ = run_cli("check", "--no-cache", "--output-format", "junit", ".")
    assert code == 1
    suites = ET.fromstring(out.encode("utf-8"))
    names = sorted(case.get("name") for case in suites.iter("testcase"))
    assert names == ["a.md", "b\\x1bc\\x01\\ufffe.md"]
    listing = "".join(f.text or "" for f in suites.iter("failure"))
    assert "#c\\x01\\ufffed" in listing


# -- item 16: forged lines, workflow commands and escape sequences in text output --------

HOSTILE = (
    "# 甲\n\n"
    "[x](<#a%0A::warning file=a.md::Injected>)\n"
    "[y](<#b%0Aother.md:99:1: FL201 forged>)\n"
    "[z](#c%1B[31mred%1B]0;title%07)\n"
    "[w](#d%E2%80%AEabc%E2%80%A8)\n"
)


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_decoded_fragments_cannot_forge_lines_or_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    root = project(tmp_path, **{"a.md": HOSTILE, "e\x1b[2Jf.md": "# 乙\n\n[v](#q)\n"})
    monkeypatch.chdir(root)
    code, out, _ = run_cli("check", "--no-cache", "--output-format", fmt, ".")
    assert code == 1
    for bad in ("\x1b", "\x07", "\u202e", "\u2028", "\r"):
        assert bad not in out
    lines = out.splitlines()
    if fmt == "text":
        assert len(lines) == 5 and all(
            line.startswith(("a.md:", "e\\x1b[2Jf.md:")) for line in lines
        )
        assert "`#a\\n::warning file=a.md::Injected`" in out
    if fmt == "github":
        assert len(lines) == 5 and all(line.startswith("::error file=") for line in lines)
    assert not any(line.startswith(("::warning", "other.md")) for line in lines)


# -- item 17: --diff output applies with git apply and patch ----------------------------

TOC = "# 标题\n\n## 目录\n\n- [一、甲](#一甲)\n\n## 一、甲\n## 二、乙"


def test_diff_applies_with_git_and_patch_and_equals_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = {
        "no newline.md": TOC,  # a space in the name, no final newline
        "crlf.md": TOC.replace("\n", "\r\n") + "\r\n",
        "crlf-no-newline.md": TOC.replace("\n", "\r\n"),
        'quote"d.md': TOC + "\n",
        "bom.md": "\ufeff" + TOC + "\n",
    }
    before = project(tmp_path / "before", **shapes)
    applied, fixed = tmp_path / "applied", tmp_path / "fixed"
    shutil.copytree(before, applied)
    shutil.copytree(before, fixed)
    monkeypatch.chdir(before)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--diff", "."])
    assert result.exit_code == 1 and "Would fix 5 diagnostics in 5 files" in result.stderr
    patch_file = tmp_path / "fix.diff"
    patch_file.write_bytes(result.stdout_bytes)  # (`.stdout` would turn CRLF into LF)

    git = ["git", "-c", "core.autocrlf=false", "apply", "--check", str(patch_file)]
    subprocess.run(["git", "init", "-q"], cwd=applied, check=True)
    assert subprocess.run(git, cwd=applied, capture_output=True, text=True).stderr == ""
    subprocess.run([*git[:4], str(patch_file)], cwd=applied, check=True)
    if shutil.which("patch"):
        dry = ["patch", "-p1", "--dry-run", "-i", str(patch_file)]
        result = subprocess.run(dry, cwd=before, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr

    monkeypatch.chdir(fixed)
    _, _, err = run_cli("check", "--no-cache", "--fix", ".")
    assert "Fixed 5 diagnostics in 5 files" in err
    for name in shapes:
        assert (applied / name).read_bytes() == (fixed / name).read_bytes(), name


# -- item 14: baseline entries of deleted files -------------------------------------------

OLD = "# 甲\n\n见[缺失的文件](旧文件.md)。\n\n见[缺失的一节](#无此节)。\n"


def test_entries_of_a_deleted_file_are_stale_dropped_and_never_cover_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, **{"a.md": OLD, "b.md": "# 乙\n\n正文。\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", "--no-cache", ".", "--write-baseline", "baseline.json")[0] == 0
    (root / "a.md").unlink()

    for args in ([".", "--baseline", "baseline.json"], ["b.md", "--baseline", "baseline.json"]):
        code, out, err = run_cli("check", "--no-cache", *args)
        assert (code, out) == (0, "")
        assert "2 of its entries no longer occur" in err

    # a new file at the same path, with the same link targets on other lines
    (root / "a.md").write_text(
        "# 新的甲\n\n新写的[一句](旧文件.md)。\n\n[另一句](#无此节)\n", "utf-8"
    )
    code, out, _ = run_cli("check", "--no-cache", ".", "--baseline", "baseline.json")
    assert code == 1
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["FL202", "FL201"]

    (root / "a.md").unlink()
    code, _, err = run_cli("check", "--no-cache", "b.md", "--write-baseline", "baseline.json")
    assert code == 0 and "wrote 0 entries" in err
    assert json.loads((root / "baseline.json").read_text("utf-8"))["entries"] == []


# -- item 19: baseline marker, config NaN, FL001 line of CR files, would-fix count ------


@pytest.mark.parametrize("marker", ["true", "1.0"])
def test_a_baseline_marker_that_is_not_the_integer_1_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str
) -> None:
    root = project(tmp_path, **{"a.md": OLD})
    (root / "baseline.json").write_text(
        f'{{"formalai-lint-baseline": {marker}, "entries": []}}', "utf-8"
    )
    monkeypatch.chdir(root)
    code, out, err = run_cli("check", "--no-cache", ".", "--baseline", "baseline.json")
    assert (code, out) == (2, "")
    assert err.startswith("formalai-lint: error: `baseline.json` is not a formalai-lint baseline")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[levels]\napproximation-tolerance = nan\n", "levels.approximation-tolerance"),
        ("[levels]\narithmetic-tolerance = -nan\n", "levels.arithmetic-tolerance"),
        ("[levels.L0]\nconvergence = { min = nan, max = 0.3 }\n", "levels.L0.convergence.min"),
    ],
)
def test_nan_in_the_config_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, key: str
) -> None:
    root = project(tmp_path, **{"a.md": "# 甲\n"})
    (root / ".formalai-lint.toml").write_text(toml, "utf-8")
    monkeypatch.chdir(root)
    code, out, err = run_cli("check", "--no-cache", ".")
    assert (code, out) == (2, "")
    assert (
        err
        == f"formalai-lint: error: {root / '.formalai-lint.toml'}: `{key}`: nan is not a number; give a value\n"
    )


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_fl001_names_the_line_of_cr_and_crlf_files(tmp_path: Path, newline: str) -> None:
    data = newline.join(["# 甲", "", "正文", "坏字节 "]).encode("utf-8") + b"\xff\n"
    root = project(tmp_path, **{"a.md": data})
    [diag] = lint_tree(root).diagnostics
    assert diag.code == "FL001" and "(line 4)" in diag.message


def test_diff_would_fix_as_many_as_fix_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = {
        "a.md": TOC + "\n\n见[乙](b.md#二、乙节)。\n",  # a TOC fix and a fragment fix
        "b.md": "# 乙\n\n## 二、乙节\n\n见[甲](<a.md>)与[丙](c.md)。\n",
        "c.md": "# 丙\n",
    }
    counts = []
    for flag in ("--diff", "--fix"):
        root = project(tmp_path / flag, **docs)
        monkeypatch.chdir(root)
        _, _, err = run_cli("check", "--no-cache", flag, "--unsafe-fixes", ".")
        counts.append(err.splitlines()[-1].split(" diagnostic")[0].split()[-1])
    assert counts[0] == counts[1] != "0"
