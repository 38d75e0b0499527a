"""Hostile input: every case of issue 7, point 2. Each file is linted next to a normal one, and
the run must go on, report the hostile file precisely (or not at all when it is fine) and
still find the normal file's problem. No absolute timings: costs are measured by
`scripts/hostile_tree.py`; the two tests of documents too large for a test's time check the
ratio of two sizes instead (linear work grows about 4× at 4× the size, quadratic 16×)."""

from __future__ import annotations

import codecs
import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from formalai_lint import source
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from tests.conftest import growth, lint_tree

# A normal document with one broken fragment on line 5: it must be reported in every run.
NORMAL = "# 正常文档\n\n## 一、概念\n\n见[不存在的节](#不存在)。\n"
NORMAL_FINDING = ("normal.md", 5, "FL201")


def project(root: Path, files: dict[str, bytes | str]) -> Path:
    (root / ".git").mkdir(parents=True)  # the project root: no config from above applies
    (root / "normal.md").write_text(NORMAL, encoding="utf-8")
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def diagnostics(root: Path, **overrides: object) -> list[tuple[str, int, int, str, str]]:
    report = lint_tree(root, **overrides)
    found = [(d.path, d.line, d.column, d.code, d.message) for d in report.diagnostics]
    assert NORMAL_FINDING in [(p, line, code) for p, line, _, code, _ in found]
    return [f for f in found if f[0] != "normal.md"]


def only(found: list[tuple[str, int, int, str, str]], path: str) -> list[tuple[int, int, str, str]]:
    return [(line, col, code, msg) for p, line, col, code, msg in found if p == path]


def test_empty_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"empty.md": b""})
    assert only(diagnostics(root), "empty.md") == []


def test_utf8_bom_is_dropped_and_columns_are_unchanged(tmp_path: Path) -> None:
    text = "# 标题\n\n[坏](#没有)\n"
    root = project(tmp_path, {"bom.md": codecs.BOM_UTF8 + text.encode(), "plain.md": text})
    found = diagnostics(root)
    assert only(found, "bom.md") == only(found, "plain.md")
    assert [(line, col, code) for line, col, code, _ in only(found, "bom.md")] == [(3, 1, "FL201")]
    assert Document("bom.md", source.decode(codecs.BOM_UTF8 + text.encode())).title == "标题"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_crlf_and_lone_cr_count_lines_like_lf(tmp_path: Path, newline: str) -> None:
    text = "# 标题\n\n## 目录\n\n- [概念](#概念)\n\n## 概念\n\n文字 [坏](#没有)\n"
    root = project(tmp_path, {"lf.md": text, "other.md": text.replace("\n", newline)})
    found = diagnostics(root)
    assert only(found, "other.md") == only(found, "lf.md")
    assert [(line, col) for line, col, _, _ in only(found, "lf.md")] == [(9, 4)]


def test_nul_bytes_are_binary_data(tmp_path: Path) -> None:
    data = b"# title\n\x89PNG\x00\x00\x00\rIHDR"
    root = project(tmp_path, {"blob.md": data})
    assert data.index(0) == 12  # offsets count from 0, as hex dumps and editors do
    assert only(diagnostics(root), "blob.md") == [
        (1, 1, "FL001", "cannot read file: binary data: NUL byte at byte 12 (line 2)")
    ]


def test_invalid_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    data = "# 标题\n\n正文".encode() + b"\xc3\x28 rest\n"
    root = project(tmp_path, {"latin.md": data})
    offset = data.index(b"\xc3")
    assert only(diagnostics(root), "latin.md") == [
        (1, 1, "FL001", f"cannot read file: not UTF-8 at byte {offset} (line 3)")
    ]


def test_gbk_is_not_guessed(tmp_path: Path) -> None:
    root = project(tmp_path, {"gbk.md": "# 标题\n".encode("gbk")})
    [(line, _, code, message)] = only(diagnostics(root), "gbk.md")
    assert (line, code) == (1, "FL001") and "not UTF-8 at byte 2" in message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    text = "# 标题\n\n[坏](#没有)\n"
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    root = project(tmp_path, {"wide.md": bom + text.encode(encoding), "plain.md": text})
    found = diagnostics(root)
    assert only(found, "wide.md") == only(found, "plain.md") != []


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    root = project(tmp_path, {"wide.md": "# 标题\n".encode("utf-16-le")})
    [(_, _, code, message)] = only(diagnostics(root), "wide.md")
    assert code == "FL001" and "binary data" in message


def test_20_mb_file_is_skipped_with_fl003_and_never_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    big = "## 节\n\n" + "正文 " * 30 + "\n\n"
    data = (big * (20_000_000 // len(big.encode()) + 1)).encode()
    root = project(tmp_path, {"big.md": data})
    real_fdopen = os.fdopen
    reads: list[int] = []

    class Counting:
        def __init__(self, f):  # type: ignore[no-untyped-def]
            self.f = f

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *args):  # type: ignore[no-untyped-def]
            self.f.close()

        def read(self, n: int = -1) -> bytes:
            chunk = self.f.read(n)
            reads.append(len(chunk))
            return chunk

    # every read of source.read goes through os.fdopen: count the bytes it hands out
    monkeypatch.setattr(source.os, "fdopen", lambda fd, mode: Counting(real_fdopen(fd, mode)))
    assert len(data) > 20_000_000
    assert only(diagnostics(root), "big.md") == [
        (1, 1, "FL003", f"not linted: {len(data)} bytes, more than max-file-size = 10485760")
    ]
    assert max(reads) < 1_000_000  # only the small files were read


def test_max_file_size_is_configurable(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.md": "# 标题\n\n" + "字" * 100 + "\n"})
    (root / ".formalai-lint.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    found = diagnostics(root)
    assert [(code, path) for path, _, _, code, _ in found] == [("FL003", "a.md")]
    (root / ".formalai-lint.toml").write_text("max-file-size = 100000\n", encoding="utf-8")
    assert only(diagnostics(root), "a.md") == []


def test_single_5_mb_line_with_links(tmp_path: Path) -> None:
    unit = "字" * 1000 + "[坏](#没有) "
    count = 5_000_000 // len(unit.encode()) + 1
    line = unit * count
    root = project(tmp_path, {"line.md": "# 标题\n\n" + line + "\n"})
    found = only(diagnostics(root), "line.md")
    assert len(line.encode()) > 5_000_000
    assert len(found) == count
    assert {(ln, code) for ln, _, code, _ in found} == {(3, "FL201")}
    assert [col for _, col, _, _ in found] == [1001 + i * len(unit) for i in range(count)]


@pytest.mark.parametrize("unit", ["> ", "- ", "1. ", "> - "])
def test_10000_nested_levels_complete_and_say_what_was_not_parsed(
    tmp_path: Path, unit: str
) -> None:
    text = "# 标题\n\n" + unit * 10_000 + "深处\n\n## 之后\n\n[坏](#没有)\n"
    root = project(tmp_path, {"deep.md": text})
    found = only(diagnostics(root), "deep.md")
    assert found[0][:3] == (3, 1, "FL004")
    doc = Document("deep.md", text)
    if "之后" in [h.text for h in doc.headings]:  # quotes: only the deep content is dropped
        assert found[1:] == [(7, 1, "FL201", found[1][3])]
    else:  # lists: markdown-it drops the rest of the file, and FL004 says so
        assert found[1:] == []


def duplicate_headings(n: int) -> str:
    """N headings of the same text (anchors 节, 节-1 … 节-(n-1)), then links to the last
    anchor and to one past it."""
    return "# 文档\n\n" + "## 节\n" * n + f"\n[末节](#节-{n - 1}) [越界](#节-{n})\n"


def test_headings_with_duplicate_ids_cost_linear_time(tmp_path: Path) -> None:
    """Numbering duplicate anchors (`节-1`, `节-2`, …) stays linear: 4× the headings cost
    about 4× (an anchor numbered by trying every earlier suffix would cost 16×), and the last
    anchor is still the last heading's."""
    roots = {}
    for n in (2_000, 8_000):
        roots[n] = project(tmp_path / str(n), {"many.md": duplicate_headings(n)})

    def lint(n: int) -> None:
        found = only(diagnostics(roots[n]), "many.md")
        column = duplicate_headings(n).splitlines()[-1].index("[越界]") + 1
        assert [(line, col, code) for line, col, code, _ in found] == [(n + 4, column, "FL201")]

    assert growth(lint, 2_000) < 8


def toc_and_headings(n: int) -> str:
    """A TOC of N entries and N headings, one entry stale (line 82: `#节-7x` for `节 77`)."""
    toc = "".join(f"- [节 {i}](#节-{i})\n" for i in range(n))
    body = "".join(f"## 节 {i}\n" for i in range(n))
    return f"# 文档\n\n## 目录\n\n{toc}\n{body}".replace("](#节-77)", "](#节-7x)")


def test_toc_entries_and_headings_cost_linear_time(tmp_path: Path) -> None:
    """Matching TOC entries to headings stays linear: 4× the entries and headings cost about
    4× (matching each entry against every heading would cost 16×), and the one stale entry is
    found at both sizes. Once a single 100,000-entry document (25 s of CPU); the ratio of two
    sizes proves the same without the wait."""
    roots = {}
    for n in (1_000, 4_000):
        roots[n] = project(tmp_path / str(n), {"toc.md": toc_and_headings(n)})

    def lint(n: int) -> None:
        codes = [(line, code) for line, _, code, _ in only(diagnostics(roots[n]), "toc.md")]
        # its text still names its heading: one FL102 naming that heading, no FL101 for it
        assert codes == [(82, "FL102")]

    assert growth(lint, 1_000) < 8


def test_table_with_10000_columns(tmp_path: Path) -> None:
    n = 10_000
    header = "|" + "|".join(f"列{i}" for i in range(n)) + "|"
    rows = "|" + "|".join("-" for _ in range(n)) + "|\n|" + "|".join("值" for _ in range(n - 1))
    text = f"# 表\n\n{header}\n{rows}|[坏](#没有)|\n"
    root = project(tmp_path, {"wide.md": text})
    assert [(ln, code) for ln, _, code, _ in only(diagnostics(root), "wide.md")] == [(5, "FL201")]
    [table] = Document("wide.md", text).tables
    assert (
        len(table.header) == n and table.header[-1].column == len(header) - len(f"列{n - 1}|") + 1
    )


@pytest.mark.parametrize(
    "line", ["[" * 100_000, "*" * 100_000, "*a **a " * 20_000, "![" * 50_000, "[a](" * 50_000,
             "_" * 100_000, "<" * 100_000, "`" * 100_000, "$" * 100_000, "[a" * 30_000 + "]" * 30_000],
    ids=["brackets", "stars", "emphasis", "images", "open-links", "underscores", "angles",
         "backticks", "dollars", "nested-labels"],
)  # fmt: skip
def test_pathological_inline_runs(tmp_path: Path, line: str) -> None:
    # after a word, so that a run of ` or $ is inline, not a fence or a math block
    root = project(tmp_path, {"runs.md": f"# 标题\n\n文字 {line}\n\n[坏](#没有)\n"})
    assert [(ln, code) for ln, _, code, _ in only(diagnostics(root), "runs.md")] == [(5, "FL201")]


def test_unclosed_html_comments_and_anchor_tags(tmp_path: Path) -> None:
    text = "# 标题\n\n" + "<!--\n" * 20_000 + "\n<div>\n" + "<a " * 20_000 + "\n\n[坏](#没有)\n"
    root = project(tmp_path, {"html.md": text})
    assert only(diagnostics(root), "html.md") == []  # all of it is one open comment


def test_headings_of_punctuation_or_emoji(tmp_path: Path) -> None:
    text = "# ！？。\n\n## 🎉🎉\n\n### ……\n\n[一](#) [二](#-1) [三](#-2) [四](#-3)\n"
    root = project(tmp_path, {"punct.md": text})
    found = only(diagnostics(root), "punct.md")
    column = text.splitlines()[6].index("[四]") + 1
    assert [(line, col, code) for line, col, code, _ in found] == [(7, column, "FL201")]
    assert [h.anchor for h in Document("punct.md", text).headings] == ["", "-1", "-2"]


def test_symlink_loops_are_reported_not_followed(tmp_path: Path) -> None:
    root = project(tmp_path, {"sub/a.md": "# A\n"})
    (root / "self.md").symlink_to("self.md")
    (root / "ping.md").symlink_to("pong.md")
    (root / "pong.md").symlink_to("ping.md")
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    report = lint_tree(root)
    found = {(d.path, d.code, d.message) for d in report.diagnostics if d.path != "normal.md"}
    assert found == {
        (name, "FL001", "cannot read file: symlink loop")
        for name in ("self.md", "ping.md", "pong.md")
    }
    assert report.files_checked == 5  # normal, sub/a and the three loops; `sub/up` not entered


def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.md").write_text("# 机密\n\n[坏](#没有)\n", encoding="utf-8")
    root = project(tmp_path / "repo", {})
    (root / "leak.md").symlink_to(secret / "passwd.md")
    (root / "leakdir").symlink_to(secret, target_is_directory=True)
    (root / "zero.md").symlink_to("/dev/zero")
    with opened_paths() as opened:
        found = diagnostics(root)
    reason = "cannot read file: symlink to a path outside the project root (not followed)"
    assert found == [("leak.md", 1, 1, "FL001", reason), ("zero.md", 1, 1, "FL001", reason)]
    assert not [p for p in opened if str(secret) in p or p == "/dev/zero"]


def test_links_and_schemes_out_of_the_root_are_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n", encoding="utf-8")
    links = [
        "../secret.md", "../secret.md#机密", "/../secret.md", f"file://{secret}",
        "javascript:alert(1)", "data:text/html,<b>x</b>", "../../../../etc/passwd",
    ]  # fmt: skip
    text = "# 链接\n\n" + "\n\n".join(f"[x]({target})" for target in links) + "\n"
    root = project(tmp_path / "repo", {"links.md": text})
    with opened_paths() as opened:
        found = only(diagnostics(root), "links.md")
    assert not [p for p in opened if str(secret) in p or p.startswith("/etc/")]
    outside = [line for line, _, code, _ in found if code == "FL204"]
    assert outside == [3, 5, 7, 15]  # `/../secret.md` is the repository root's parent too
    assert {code for _, _, code, _ in found} == {"FL204"}


def test_symlinks_named_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit passes them: the symlink itself is the target, never where it points."""
    from click.testing import CliRunner

    from formalai_lint.cli import main

    (tmp_path / "secret.md").write_text("# 机密\n\n[坏](#没有)\n", encoding="utf-8")
    root = project(tmp_path / "repo", {})
    (root / "leak.md").symlink_to(tmp_path / "secret.md")
    (root / "loop.md").symlink_to("loop.md")
    (root / "gone.md").symlink_to("nowhere.md")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(
        main, ["--no-cache", "--jobs", "1", "leak.md", "loop.md", "gone.md"]
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "gone.md:1:1: FL001 cannot read file: broken symlink",
        "leak.md:1:1: FL001 cannot read file: symlink to a path outside the project root"
        " (not followed)",
        "loop.md:1:1: FL001 cannot read file: symlink loop",
    ]
    assert "Traceback" not in result.stderr


def test_unreadable_permission(tmp_path: Path) -> None:
    """A file without read permission. As root (CI containers) chmod 000 does not stop the
    process, so this checks whether the process can really be denied: if it can, the real file
    system is used; if not, `os.open` is made to fail with EACCES for that one file. Either way
    the reported reason must be `permission denied`."""
    root = project(tmp_path, {"locked.md": "# 锁\n"})
    locked = root / "locked.md"
    locked.chmod(0)
    try:
        os.close(os.open(locked, os.O_RDONLY))
        really_denied = False
    except PermissionError:
        really_denied = True
    with pytest.MonkeyPatch.context() as mp:
        if not really_denied:
            real_open = os.open

            def denying_open(path, flags, *args):  # type: ignore[no-untyped-def]
                if Path(path) == locked:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real_open(path, flags, *args)

            mp.setattr(source.os, "open", denying_open)
        found = only(diagnostics(root), "locked.md")
    locked.chmod(0o644)
    assert found == [(1, 1, "FL001", "cannot read file: permission denied")]


def test_broken_symlink_fifo_and_directory(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    (root / "gone.md").symlink_to("nowhere.md")
    os.mkfifo(root / "pipe.md")  # opening it for reading would block without O_NONBLOCK
    found = {(p, msg) for p, _, _, code, msg in diagnostics(root) if code == "FL001"}
    assert found == {
        ("gone.md", "cannot read file: broken symlink"),
        ("pipe.md", "cannot read file: not a regular file (a FIFO, socket or device)"),
    }
    (root / "folder.md").mkdir()
    with pytest.raises(source.UnreadableError, match="is a directory"):
        source.read(root / "folder.md", root)


NAMES = [
    "with space.md",
    "中文 目录.md",
    "a;b&c|d$(e)`f`'g\"h.md",
    "*?[x].md",
    "-dash.md",
    "#hash.md",
]


def test_paths_with_spaces_cjk_and_shell_metacharacters(tmp_path: Path) -> None:
    from urllib.parse import quote

    files = {name: f"# {name}\n\n[坏](#没有)\n" for name in NAMES}
    index = (
        "# 索引\n\n" + "\n".join(f"- [{n}]({quote(n)})" for n in NAMES) + "\n- [无](<缺 失.md>)\n"
    )
    root = project(tmp_path, {**files, "index.md": index})
    found = diagnostics(root)
    assert sorted((p, ln, code) for p, ln, _, code, _ in found) == sorted(
        [(name, 3, "FL201") for name in NAMES] + [("index.md", len(NAMES) + 3, "FL202")]
    )


def test_paths_with_metacharacters_through_the_command_line(tmp_path: Path) -> None:
    import subprocess

    root = project(tmp_path, {name: f"# {name}\n\n[坏](#没有)\n" for name in NAMES})
    args = [sys.executable, "-m", "formalai_lint", "--output-format", "json", "--", *NAMES]
    done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for name in NAMES:
        assert f'"path": {json_string(name)}' in done.stdout


def json_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def test_directory_named_like_a_markdown_file(tmp_path: Path) -> None:
    root = project(
        tmp_path, {"x.md/README.md": "# 目录型\n\n[坏](#没有)\n", "y.md": "[到 x](x.md)\n"}
    )
    report = lint_tree(root)
    assert {(d.path, d.code) for d in report.diagnostics} == {
        ("x.md/README.md", "FL201"),
        NORMAL_FINDING[::2],
    }
    assert report.files_checked == 3


class Crashes(FileRule):
    code = "FL099"
    name = "crashes-on-purpose"
    summary = "A test rule that raises on files named crash*.md"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if doc.path.startswith("crash"):
            raise ZeroDivisionError("on purpose")
        return iter(())


@pytest.mark.parametrize("verbose", [False, True])
def test_a_crashing_rule_is_fl002_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    from click.testing import CliRunner

    from formalai_lint import registry
    from formalai_lint.cli import main

    root = project(tmp_path, {"crash.md": "# 崩溃\n\n[坏](#没有)\n"})
    rules = (*registry.all_rules(), Crashes)
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    monkeypatch.chdir(root)
    args = ["--no-cache", "--jobs", "1", *(["-v"] if verbose else [])]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    assert (
        "crash.md:1:1: FL002 rule FL099 (crashes-on-purpose) crashed: ZeroDivisionError: on purpose"
        in lines
    )
    assert "crash.md:3:1: FL201" in "\n".join(lines)  # the other rules still ran on it
    assert "normal.md:5:2: FL201" in "\n".join(lines)  # and on the other files
    assert ("Traceback" in result.stderr) is verbose
    assert ("ZeroDivisionError" in result.stderr) is verbose


@contextmanager
def opened_paths() -> Iterator[list[str]]:
    """Record every path opened (builtins.open, os.open, …) while the block runs."""
    opened: list[str] = []
    _RECORDERS.append(opened)
    try:
        yield opened
    finally:
        _RECORDERS.remove(opened)


_RECORDERS: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event == "open" and _RECORDERS and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        for recorder in _RECORDERS:
            recorder.append(path)


sys.addaudithook(_audit)
