"""Build a tree of hostile Markdown inputs (issue 7), optionally next to a copy of a corpus,
and measure what each costs.

    python scripts/hostile_tree.py DEST [--corpus PATH] [--measure]

DEST/hostile/ receives every hostile file (DEST must not exist). With --corpus, the corpus is
copied to DEST first (never written to in place). With --measure, each hostile file is
linted alone, in-process, and its time is printed next to that of a normal document of the
same size: the ratio shows whether the cost stays linear. Nothing here is a test; the tests
are tests/test_hostile.py.
"""

from __future__ import annotations

import argparse
import codecs
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

MB = 1_000_000


def normal(size: int) -> str:
    """Ordinary Markdown in the FormalAI style: numbered sections, prose, links, math."""
    parts, total, i = ["# 正常文档\n\n"], 0, 0
    while total < size:
        part = f"## {i}、小节 {i}\n\n这一节讨论收敛，见[上一节](#{i}小节-{i})与公式 $C_{i}$。\n\n"
        parts.append(part)
        total += len(part.encode())
        i += 1
    return "".join(parts)


def toc_and_headings(n: int) -> str:
    toc = "".join(f"- [节 {i}](#节-{i})\n" for i in range(n))
    return "# 文档\n\n## 目录\n\n" + toc + "\n" + "".join(f"## 节 {i}\n" for i in range(n))


TEXT_FILES: dict[str, Callable[[], str | bytes]] = {
    "empty.md": lambda: b"",
    "bom.md": lambda: codecs.BOM_UTF8 + "# 带字节序标记\n\n正文。\n".encode(),
    "crlf.md": lambda: "# 换行\r\n\r\n正文。\r\n".encode(),
    "lone-cr.md": lambda: "# 旧式换行\r\r正文。\r".encode(),
    "nul.md": lambda: b"# binary\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "invalid-utf8.md": lambda: "# 标题\n\n正文".encode() + b"\xc3\x28\n",
    "gbk.md": lambda: "# 国标编码\n".encode("gbk"),
    "utf16-bom.md": lambda: "\ufeff# 宽字符\n\n正文。\n".encode("utf-16-le"),
    "utf16-no-bom.md": lambda: "# 宽字符\n".encode("utf-16-le"),
    "big-20mb.md": lambda: normal(20 * MB),
    "line-5mb.md": lambda: "# 长行\n\n" + ("字" * 1000 + "[链](#长行) ") * (5 * MB // 3020 + 1) + "\n",
    "nested-quotes.md": lambda: "> " * 10_000 + "深处\n",
    "nested-lists.md": lambda: "- " * 10_000 + "深处\n",
    "headings-100k.md": lambda: toc_and_headings(100_000),
    "table-10k-columns.md": lambda: (
        "|" + "|".join(f"c{i}" for i in range(10_000)) + "|\n"
        + "|" + "|".join("-" for _ in range(10_000)) + "|\n"
        + ("|" + "|".join("v" for _ in range(10_000)) + "|\n") * 3
    ),
    "brackets.md": lambda: "文字 " + "[" * 200_000 + "\n",
    "stars.md": lambda: "文字 " + "*" * 200_000 + "\n",
    "emphasis.md": lambda: "*a **a " * 30_000 + "\n",
    "images.md": lambda: "文字 " + "![" * 100_000 + "\n",
    "open-links.md": lambda: "[a](" * 50_000 + "\n",
    "unclosed-comments.md": lambda: "<!--\n" * 50_000,
    "math-markers.md": lambda: "$$\n" * 50_000,
    "punctuation-headings.md": lambda: "# ！？。\n\n## 🎉🎉\n\n### ……\n\n[一](#-1) [二](#-2)\n",
    "with space.md": lambda: "# 空格\n",
    "中文 文件名.md": lambda: "# 中文文件名\n",
    "a;b&c|d$(e)`f`'g\"h.md": lambda: "# 元字符\n",
    "links-out.md": lambda: (
        "# 外链\n\n[上级](../../etc/passwd) [绝对](/etc/passwd) [文件](file:///etc/passwd)\n"
        "[脚本](javascript:alert(1)) [数据](data:text/html,x)\n"
    ),
    "x.md/README.md": lambda: "# 名为 x.md 的目录\n",
}  # fmt: skip


def build(dest: Path) -> Path:
    hostile = dest / "hostile"
    hostile.mkdir(parents=True)
    for name, make in TEXT_FILES.items():
        data = make()
        path = hostile / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    (hostile / "loop-self.md").symlink_to("loop-self.md")
    (hostile / "loop-a.md").symlink_to("loop-b.md")
    (hostile / "loop-b.md").symlink_to("loop-a.md")
    (hostile / "loop-dir").symlink_to(".", target_is_directory=True)
    (hostile / "outside.md").symlink_to("/etc/passwd")
    (hostile / "outside-dir").symlink_to("/etc", target_is_directory=True)
    (hostile / "dev-zero.md").symlink_to("/dev/zero")
    (hostile / "broken.md").symlink_to("nowhere.md")
    os.mkfifo(hostile / "fifo.md")
    locked = hostile / "no-permission.md"
    locked.write_text("# 锁\n", encoding="utf-8")
    locked.chmod(0)  # root still reads it: the tests simulate the denial
    return hostile


def measure(hostile: Path) -> None:
    from formalai_lint.config import load_settings
    from formalai_lint.session import Session

    root = hostile.parent
    settings = load_settings([root])
    reference = root / "normal-reference.md"
    reference.write_text("", encoding="utf-8")
    all_files = Session(settings).files

    def timed(path: str) -> tuple[float, list[str]]:
        """One run on `path` alone (a new session: the reference file is rewritten between)."""
        with Session(settings) as session:
            start = time.perf_counter()
            report = session.lint([path])
            return time.perf_counter() - start, sorted({d.code for d in report.diagnostics})

    print(f"{'file':28} {'bytes':>10} {'seconds':>8} {'normal':>8} {'ratio':>6}  codes")
    for path in sorted(p for p in all_files if p.startswith("hostile/") and p.endswith(".md")):
        size = (root / path).lstat().st_size
        seconds, codes = timed(path)
        base = 0.0
        if size > 10_000 and "FL003" not in codes:
            reference.write_text(normal(size), encoding="utf-8")
            base, _ = timed("normal-reference.md")
        ratio = f"{seconds / base:6.2f}" if base else "     -"
        print(f"{path[8:]:28} {size:>10} {seconds:8.2f} {base:8.2f} {ratio}  {' '.join(codes)}")
    reference.unlink(missing_ok=True)
    print("\nnormal documents, max-file-size raised (is the cost linear in size?)")
    settings = replace(settings, max_file_size=100 * MB)
    for size in (1 * MB, 5 * MB, 20 * MB):
        reference.write_text(normal(size), encoding="utf-8")
        all_files = all_files | {reference.name}
        seconds, _ = timed(reference.name)
        print(f"{size:>10} bytes {seconds:8.2f} s  {seconds / (size / MB):6.2f} s/MB")
    reference.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--corpus", type=Path, help="copy this corpus into DEST first")
    parser.add_argument("--measure", action="store_true", help="time each hostile file")
    args = parser.parse_args()
    if args.dest.exists():
        parser.error(f"{args.dest} exists")
    if args.corpus:
        shutil.copytree(
            args.corpus,
            args.dest,
            symlinks=True,
            ignore=shutil.ignore_patterns(".formalai-lint-cache"),
        )
    hostile = build(args.dest)
    print(f"built {hostile}")
    if args.measure:
        measure(hostile)


if __name__ == "__main__":
    main()
