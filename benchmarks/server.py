"""Measure `formalai-lint server` on a knowledge base, and rename a heading through it.

    python benchmarks/server.py DIR                       # DIR is copied first, never modified
    python benchmarks/server.py DIR --rename "## 四、核心概念形式化定义" --to "四、核心概念的形式化定义"

With the cache warm (a CLI run on the copy first), it times:
  start-up   server process started -> first diagnostics of the largest document published
             (best and median of --starts fresh processes);
  change     didChange of the largest document -> its diagnostics published, over --changes
             edits 200 ms apart (each appends a character to its last line), p50 and p95;
  burst      --bursts bursts of 8 such edits 20 ms apart (a key held down): from the last
             edit to its diagnostics (the server's debounce included), and how many lints
             each burst cost.
With --rename, it finds the documents that have that heading, picks the one most linked to
from other documents, renames the heading through the server (textDocument/rename), writes
the workspace edit to the files, and reports: the files and links edited, the links into the
heading from other documents before and after (from the CLI's facts), and the FL201/FL203
findings of a whole-project lint before and after (a finding the rename created would show
as new).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pytest_lsp.client import LanguageClient

SERVER = [sys.executable, "-m", "formalai_lint", "server"]


def lint(root: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        [*SERVER[:-1], str(root), "--output-format", "json"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    data = json.loads(out)
    return data if isinstance(data, list) else data["diagnostics"]


def project_documents(root: Path) -> list[Path]:
    from formalai_lint import files
    from formalai_lint.config import load_settings

    settings = load_settings([root])
    all_files = files.project_files(settings.root)
    targets = files.select_targets([root], settings.root, all_files, settings.exclude)
    return [settings.root / t for t in targets if t.endswith(".md")]


async def start(root: Path) -> LanguageClient:
    client = LanguageClient()
    client.versions = {}  # type: ignore[attr-defined]

    client.publishes = 0  # type: ignore[attr-defined]

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.versions[params.uri] = params.version  # type: ignore[attr-defined]
        client.publishes += 1  # type: ignore[attr-defined]

    @client.feature(lsp.WINDOW_SHOW_MESSAGE)
    def _message(params: lsp.ShowMessageParams) -> None:
        print(f"server: {params.message}", file=sys.stderr)

    await client.start_io(*SERVER)
    await client.initialize_session(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri())
    )
    return client


async def published(client: LanguageClient, uri: str, version: int | None = None) -> None:
    versions = client.versions  # type: ignore[attr-defined]
    while uri not in client.diagnostics or (version is not None and versions[uri] != version):
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", 1, text))
    )
    return uri


async def startup(root: Path, largest: Path, runs: int) -> list[float]:
    times = []
    text = largest.read_text("utf-8")
    for _ in range(runs):
        began = time.perf_counter()
        client = await start(root)
        uri = open_doc(client, largest, text)
        await published(client, uri)
        times.append(time.perf_counter() - began)
        await client.shutdown_session()
        await client.stop()
    return times


def type_char(client: LanguageClient, uri: str, lines: list[str], version: int) -> None:
    """Append `。` to the last line, as a keystroke does (an incremental change)."""
    lines[-1] += "。"
    end = lsp.Position(len(lines) - 1, len(lines[-1]) - 1)
    change = lsp.TextDocumentContentChangePartial(range=lsp.Range(end, end), text="。")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [change])
    )


async def changes(root: Path, largest: Path, count: int) -> list[float]:
    client = await start(root)
    text = largest.read_text("utf-8")
    uri = open_doc(client, largest, text)
    await published(client, uri)
    lines = text.split("\n")
    times = []
    for version in range(2, count + 2):
        began = time.perf_counter()
        type_char(client, uri, lines, version)
        await published(client, uri, version)
        times.append(time.perf_counter() - began)
        await asyncio.sleep(0.2)  # a pause between keystrokes, past the debounce
    await client.shutdown_session()
    await client.stop()
    return times


async def bursts(root: Path, largest: Path, count: int, size: int = 8) -> tuple[list[float], int]:
    """`count` bursts of `size` keystrokes 20 ms apart (a key held down): the time from the
    last keystroke of a burst to its diagnostics, and the lints published in all."""
    client = await start(root)
    text = largest.read_text("utf-8")
    uri = open_doc(client, largest, text)
    await published(client, uri)
    lines, version, times = text.split("\n"), 1, []
    before = client.publishes  # type: ignore[attr-defined]
    for _ in range(count):
        for key in range(size):
            if key:
                await asyncio.sleep(0.02)
            version += 1
            began = time.perf_counter()
            type_char(client, uri, lines, version)
        await published(client, uri, version)
        times.append(time.perf_counter() - began)
        await asyncio.sleep(0.3)
    lints = client.publishes - before  # type: ignore[attr-defined]
    await client.shutdown_session()
    await client.stop()
    return times, lints


def apply_edit(edit: lsp.WorkspaceEdit) -> dict[str, int]:
    """Write a workspace edit to the files; the number of edits per file."""
    counts = {}
    for uri, edits in (edit.changes or {}).items():
        path = Path(uri.removeprefix("file://"))
        from urllib.parse import unquote

        path = Path(unquote(str(path)))
        lines = path.read_text("utf-8").split("\n")
        for e in sorted(
            edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
        ):
            start, end = e.range.start, e.range.end

            def index(line: str, units: int) -> int:
                count = 0
                for i, char in enumerate(line):
                    if count >= units:
                        return i
                    count += 2 if ord(char) > 0xFFFF else 1
                return len(line)

            first, last = lines[start.line], lines[end.line]
            new = (
                first[: index(first, start.character)]
                + e.new_text
                + last[index(last, end.character) :]
            )
            lines[start.line : end.line + 1] = new.split("\n")
        path.write_text("\n".join(lines), "utf-8")
        counts[str(path)] = len(edits)
    return counts


def links_into(root: Path, target: Path, anchor: str) -> int:
    """Links from other documents to `target#anchor` (from the engine's facts)."""
    from formalai_lint import engine, files, source
    from formalai_lint.config import load_settings
    from formalai_lint.rename import target_of

    settings = load_settings([root])
    relative = target.relative_to(settings.root).as_posix()
    count = 0
    for path in sorted(files.project_files(settings.root)):
        if not path.endswith(".md") or path == relative:
            continue
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size).text
        except source.UnreadableError:
            continue
        doc = engine.parse(settings, path, text)
        for link in doc.links:
            found = target_of(path, link)
            if (
                link.fragment == anchor
                and found is not None
                and (found == relative or f"{found}/README.md" == relative)
            ):
                count += 1
    return count


async def rename(root: Path, heading: str, new: str) -> dict[str, Any]:
    from formalai_lint.document import Document
    from formalai_lint.slug import slug

    level, _, text = heading.partition(" ")
    old_anchor, new_anchor = slug(text), slug(new)
    candidates = [
        p for p in project_documents(root) if f"\n{heading}\n" in p.read_text("utf-8", "replace")
    ]
    best = max(candidates, key=lambda p: links_into(root, p, old_anchor))
    before = lint(root)
    into_before = links_into(root, best, old_anchor)
    client = await start(root)
    source = best.read_text("utf-8")
    uri = open_doc(client, best, source)
    await published(client, uri)
    line = next(h.line for h in Document("x.md", source).headings if h.text == text) - 1
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(line, len(level) + 2),
            new_name=new,
        )
    )
    await client.shutdown_session()
    await client.stop()
    assert edit is not None
    counts = apply_edit(edit)
    after = lint(root)

    def broken(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(d["path"], d["text"]) for d in found if d["code"] in ("FL201", "FL203")}

    return {
        "document": str(best.relative_to(root)),
        "documents with the heading": len(candidates),
        "files edited": len(counts),
        "edits": sum(counts.values()),
        "links from other documents before": into_before,
        "links to the old anchor from other documents after": links_into(root, best, old_anchor),
        "links to the new anchor from other documents after": links_into(root, best, new_anchor),
        "FL201+FL203 before": len(broken(before)),
        "FL201+FL203 after": len(broken(after)),
        "FL201/FL203 created": sorted(broken(after) - broken(before)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--document", help="time this document (relative), not the largest")
    parser.add_argument("--rename", help="heading line to rename, e.g. `## 四、核心概念形式化定义`")
    parser.add_argument("--to", help="its new text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / args.dir.name
        shutil.copytree(args.dir, root, symlinks=True)
        for path in [root, *root.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
        subprocess.run(["git", "init", "-q", str(root)], check=False)
        lint(root)  # warms the cache
        documents = project_documents(root)
        largest = max(documents, key=lambda p: p.stat().st_size)
        if args.document:
            largest = root / args.document
        print(f"document: {largest.relative_to(root)} ({largest.stat().st_size:,} bytes)")
        times = asyncio.run(startup(root, largest, args.starts))
        print(
            f"start-up to first diagnostics: best {min(times) * 1000:.0f} ms,"
            f" median {statistics.median(times) * 1000:.0f} ms ({args.starts} starts)"
        )
        times = sorted(asyncio.run(changes(root, largest, args.changes)))
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"change -> diagnostics: p50 {statistics.median(times) * 1000:.0f} ms,"
            f" p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms ({len(times)} changes)"
        )
        times, lints = asyncio.run(bursts(root, largest, args.bursts))
        print(
            f"burst of 8 keystrokes 20 ms apart -> diagnostics of the last:"
            f" p50 {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms;"
            f" {lints / len(times):.1f} lints per burst ({len(times)} bursts)"
        )
        if args.rename:
            result = asyncio.run(rename(root, args.rename, args.to or args.rename + "（改）"))
            for key, value in result.items():
                print(f"{key}: {value}")


if __name__ == "__main__":
    main()
