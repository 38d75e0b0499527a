"""`formalai-lint server` end to end: a real server process driven over stdio (pytest-lsp)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import python_output

GUIDE = """# 指南

## 目录

- [一、背景](#一背景)
- [二、方法](#二方法)

## 一、背景

先看 [方法](#二方法)。

## 二、方法

正文第一行。
正文第二行。
"""

NOTES = """# 笔记

参见 [方法](guide.md#二方法)。
"""

CONFIG = Path(__file__).parent / "_server_project"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "formalai_lint", "server"])
)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    root = tmp_path / "kb"
    root.mkdir()
    (root / "guide.md").write_text(GUIDE, "utf-8")
    (root / "notes.md").write_text(NOTES, "utf-8")
    (root / "pic.png").write_bytes(b"")
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(),
            root_uri=root.as_uri(),
            initialization_options={"debounce": 0.01},
        )
    )
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _root(client: LanguageClient) -> Path:
    return client.root  # type: ignore[attr-defined,no-any-return]


def _open(client: LanguageClient, name: str, text: str | None = None) -> str:
    path = _root(client) / name
    if text is not None:
        path.write_text(text, "utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "markdown", 1, path.read_text("utf-8"))
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, text: str, version: int = 2) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri),
            [lsp.TextDocumentContentChangeWholeDocument(text)],
        )
    )


async def _published(
    client: LanguageClient,
    uri: str,
    ready: Callable[[list[lsp.Diagnostic]], bool] = lambda d: True,
    seconds: float = 20,
) -> list[lsp.Diagnostic]:
    """The diagnostics published for `uri` once `ready` holds (waits for them)."""
    for _ in range(int(seconds * 50)):
        found = client.diagnostics.get(uri)
        if found is not None and ready(list(found)):
            return list(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics as expected for {uri}: {client.diagnostics.get(uri)}")


def _codes(diagnostics: list[lsp.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


@pytest.mark.asyncio
async def test_diagnostics_on_open_with_code_link_and_exact_range(client: LanguageClient) -> None:
    uri = _open(client, "notes.md", "# 笔记\n\n😀 见 [方法](guide.md#不存在)。\n")
    found = await _published(client, uri, lambda d: bool(d))
    assert _codes(found) == ["FL203"]
    diag = found[0]
    assert diag.code_description is not None
    assert diag.code_description.href.endswith("/rules/FL203.md")
    assert diag.severity == lsp.DiagnosticSeverity.Error
    # `😀` is two UTF-16 units: the link starts at character 5, ends after its `)`
    assert diag.range == lsp.Range(
        lsp.Position(2, 5), lsp.Position(2, 5 + len("[方法](guide.md#不存在)"))
    )


@pytest.mark.asyncio
async def test_change_is_linted_from_the_buffer(client: LanguageClient) -> None:
    uri = _open(client, "notes.md")
    assert await _published(client, uri) == []
    _change(client, uri, "# 笔记\n\n参见 [方法](#没有)。\n")
    found = await _published(client, uri, lambda d: bool(d))
    assert _codes(found) == ["FL201"]
    assert (_root(client) / "notes.md").read_text("utf-8") == NOTES  # nothing written


@pytest.mark.asyncio
async def test_save_lints_again(client: LanguageClient) -> None:
    uri = _open(client, "notes.md", "# 笔记\n\n[x](#没有)\n")
    await _published(client, uri, lambda d: bool(d))
    (_root(client) / "notes.md").write_text(NOTES, "utf-8")
    _change(client, uri, NOTES)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
    assert await _published(client, uri, lambda d: not d) == []


@pytest.mark.asyncio
async def test_renaming_a_heading_updates_the_other_open_files(client: LanguageClient) -> None:
    guide = _open(client, "guide.md")
    notes = _open(client, "notes.md")
    await _published(client, guide)
    assert await _published(client, notes) == []
    _change(client, guide, GUIDE.replace("## 二、方法", "## 二、研究方法"))
    found = await _published(client, notes, lambda d: bool(d))
    assert _codes(found) == ["FL203"]  # the other open file, never saved, sees the new anchor
    _change(client, guide, GUIDE, 3)
    assert await _published(client, notes, lambda d: not d) == []


@pytest.mark.asyncio
async def test_a_file_changed_on_disk_updates_the_open_files(client: LanguageClient) -> None:
    notes = _open(client, "notes.md")
    assert await _published(client, notes) == []
    guide = _root(client) / "guide.md"
    guide.write_text(GUIDE.replace("## 二、方法", "## 二、研究方法"), "utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams([lsp.FileEvent(guide.as_uri(), lsp.FileChangeType.Changed)])
    )
    found = await _published(client, notes, lambda d: bool(d))
    assert _codes(found) == ["FL203"]


async def _actions(client: LanguageClient, uri: str, line: int) -> list[lsp.CodeAction]:
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)),
            lsp.CodeActionContext(diagnostics=[]),
        )
    )
    return [action for action in found or [] if isinstance(action, lsp.CodeAction)]


@pytest.mark.asyncio
async def test_code_actions_toc_fix_unsafe_link_fix_suppress_and_fix_all(
    client: LanguageClient,
) -> None:
    text = GUIDE.replace("- [二、方法](#二方法)\n", "- [二、方法](#二方法)\n- [三、旧](#三旧)\n")
    text = text.replace("先看 [方法](#二方法)", "先看 [方法](#二-方法)")
    uri = _open(client, "guide.md", text)
    await _published(client, uri, lambda d: len(d) >= 2)
    toc_line = text.split("\n").index("- [三、旧](#三旧)")
    actions = await _actions(client, uri, toc_line)
    titles = [a.title for a in actions]
    assert "Rewrite the table of contents" in titles
    assert "Suppress FL102 on this line" in titles
    toc = next(a for a in actions if a.title == "Rewrite the table of contents")
    assert toc.edit is not None and toc.edit.changes is not None
    (edit,) = toc.edit.changes[uri]
    assert "三旧" not in edit.new_text and "二方法" in edit.new_text
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    assert suppress.edit is not None and suppress.edit.changes is not None
    assert suppress.edit.changes[uri][0].new_text == " <!-- formalai-lint-disable-line FL102 -->"

    link_line = text.split("\n").index("先看 [方法](#二-方法)。")
    actions = await _actions(client, uri, link_line)
    unsafe = next(a for a in actions if "(unsafe)" in a.title)
    assert unsafe.title == "Retarget the link to `#二方法` (unsafe)"
    assert not unsafe.is_preferred
    fix_all = next(a for a in actions if a.kind == lsp.CodeActionKind.SourceFixAll)
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    new_text = fix_all.edit.changes[uri][0].new_text
    assert "三旧" not in new_text and "#二-方法" in new_text  # safe fixes only


@pytest.mark.asyncio
async def test_hover_on_a_link_and_on_a_diagnostic(client: LanguageClient) -> None:
    uri = _open(client, "notes.md", NOTES + "\n[坏](#无)\n")
    await _published(client, uri, lambda d: bool(d))
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(2, 5))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "二、方法" in hover.contents.value and "正文第一行" in hover.contents.value
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(4, 2))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "FL201" in hover.contents.value and "broken-fragment" in hover.contents.value


@pytest.mark.asyncio
async def test_go_to_definition_of_a_cross_file_fragment_and_a_file(
    client: LanguageClient,
) -> None:
    uri = _open(client, "notes.md", NOTES + "\n[指南](guide.md)\n")
    await _published(client, uri)
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(2, 6))
    )
    assert isinstance(found, lsp.Location)
    assert found.uri == (_root(client) / "guide.md").as_uri()
    assert found.range.start.line == GUIDE.split("\n").index("## 二、方法")
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(4, 2))
    )
    assert isinstance(found, lsp.Location) and found.range.start.line == 0


@pytest.mark.asyncio
async def test_references_of_a_heading_across_the_project(client: LanguageClient) -> None:
    uri = _open(client, "guide.md")
    await _published(client, uri)
    line = GUIDE.split("\n").index("## 二、方法")
    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            context=lsp.ReferenceContext(include_declaration=False),
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(line, 4),
        )
    )
    assert found is not None
    places = sorted((Path(loc.uri).name, loc.range.start.line) for loc in found)
    assert places == [("guide.md", 5), ("guide.md", 9), ("notes.md", 2)]  # TOC, text, notes


@pytest.mark.asyncio
async def test_completion_of_anchors_paths_and_other_files_anchors(
    client: LanguageClient,
) -> None:
    uri = _open(client, "notes.md", "# 笔记\n\n[a](#\n[b](\n[c](guide.md#\n")

    async def labels(line: int, character: int) -> list[str]:
        found = await client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
        )
        assert isinstance(found, lsp.CompletionList)
        return [item.label for item in found.items]

    await _published(client, uri)
    assert await labels(2, 5) == ["笔记"]
    assert set(await labels(3, 4)) == {"guide.md", "pic.png"}
    assert await labels(4, 13) == ["指南", "目录", "一背景", "二方法"]


@pytest.mark.asyncio
async def test_document_symbols_are_the_heading_outline(client: LanguageClient) -> None:
    uri = _open(client, "guide.md")
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    (top,) = symbols
    assert isinstance(top, lsp.DocumentSymbol) and top.name == "指南"
    assert [c.name for c in top.children or []] == ["目录", "一、背景", "二、方法"]


@pytest.mark.asyncio
async def test_rename_a_heading_across_files(client: LanguageClient) -> None:
    uri = _open(client, "guide.md")
    await _published(client, uri)
    line = GUIDE.split("\n").index("## 二、方法")
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, 4))
    )
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder)
    assert prepared.placeholder == "二、方法"
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(line, 4),
            new_name="二、研究方法",
        )
    )
    assert edit is not None and edit.changes is not None
    notes = (_root(client) / "notes.md").as_uri()
    assert sorted(edit.changes) == sorted([uri, notes])
    assert [e.new_text for e in edit.changes[notes]] == ["guide.md#二研究方法"]
    assert sorted(e.new_text for e in edit.changes[uri]) == [
        "#二研究方法",
        "#二研究方法",
        "二、研究方法",
    ]


@pytest.mark.asyncio
async def test_a_configuration_error_is_a_message_not_a_crash(client: LanguageClient) -> None:
    (_root(client) / ".formalai-lint.toml").write_text("select = 3\n", "utf-8")
    uri = _open(client, "notes.md", "# 笔记\n\n[x](#无)\n")
    found = await _published(client, uri, lambda d: bool(d))
    assert _codes(found) == ["FL201"]  # linted with the defaults
    assert any("configuration error" in m.message for m in client.messages)


@pytest.mark.asyncio
async def test_the_server_survives_a_hostile_document(client: LanguageClient) -> None:
    hostile = "> " * 5000 + "x\n" + "[" * 20000 + "\n" + "|a|\n|-|\n" * 2000 + "\x00\ud800"[:1]
    uri = _open(client, "hostile.md", hostile)
    await _published(client, uri)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    notes = _open(client, "notes.md")
    assert await _published(client, notes) == []


@pytest.mark.asyncio
async def test_hover_on_a_level_figure_shows_the_configured_range(client: LanguageClient) -> None:
    text = "# 03.1.2-L2: 收敛进行时\n\n收敛度 72% 左右。\n\n| 方案 | 采用率 |\n|---|---|\n| 甲 | 60% |\n"
    uri = _open(client, "03.1.2-L2-收敛进行时.md", text)
    await _published(client, uri)

    async def hover(line: int, character: int) -> str:
        found = await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
        )
        assert found is not None and isinstance(found.contents, lsp.MarkupContent)
        return found.contents.value

    prose = await hover(2, 5)
    assert "L2" in prose and "收敛度: 60% < C ≤ 80%" in prose
    cell = await hover(6, 7)
    assert "采用率: 50% ≤ a ≤ 70%" in cell and "收敛度" not in cell


def test_the_command_line_starts_without_the_language_server_stack() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from formalai_lint.cli import main\n"
        "CliRunner().invoke(main, ['--version'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))\n"
    )
    assert python_output(code) == "[]"


@pytest.mark.asyncio
async def test_a_document_opened_unchanged_is_published_from_the_cache_and_parsed_on_request(
    client: LanguageClient,
) -> None:
    from formalai_lint.session import lint

    root = _root(client)
    (root / "guide.md").write_text(GUIDE.replace("(#二方法)。", "(#无此节)。"), "utf-8")
    expected = [(d.code, d.line, d.column) for d in lint([root], cache=True)]
    assert ("FL201", 10, 4) in expected  # and the cache holds guide.md's result
    uri = _open(client, "guide.md")
    found = await _published(client, uri, lambda d: bool(d))
    assert [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in found] == [
        e for e in expected if e[0] == "FL201"
    ]
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None and [s.name for s in symbols] == ["指南"]


def test_an_unchanged_buffer_takes_the_cached_result_without_a_parse(tmp_path: Path) -> None:
    from formalai_lint.cache import DIR_NAME
    from formalai_lint.config import load_settings
    from formalai_lint.server import Lint
    from formalai_lint.session import Session
    from formalai_lint.workers import RunOptions

    (tmp_path / ".git").mkdir()
    text = GUIDE.replace("(#二方法)。", "(#无此节)。").replace("\n", "\r\n")
    (tmp_path / "guide.md").write_bytes(text.encode("utf-8"))
    settings = load_settings([tmp_path])
    with Session(settings, RunOptions(1, tmp_path / DIR_NAME)) as warm:
        warm.lint(["guide.md"])
    lint = Lint(Session(settings, RunOptions(1, tmp_path / DIR_NAME)))
    lint.update("guide.md", text)
    assert "guide.md" not in lint.docs  # the cache's result: no parse
    from_cache = lint.diagnostics("guide.md")
    assert [d.code for d in from_cache] == ["FL201"]
    assert lint.lines("guide.md") == GUIDE.replace("(#二方法)。", "(#无此节)。").split("\n")
    doc = lint.parsed("guide.md")  # parsed when a request needs it
    assert doc is not None and doc.lines == lint.lines("guide.md")
    lint.update("guide.md", text + "改")
    assert "guide.md" in lint.docs  # other bytes: parsed and linted
    lint.update("guide.md", text)
    assert lint.diagnostics("guide.md") == from_cache


def test_a_change_after_a_pause_is_linted_at_once_and_a_burst_once_at_its_end() -> None:
    import time

    from formalai_lint.server import Server

    uri, delay = "file:///a.md", 0.3
    linted: list[float] = []  # when each lint started
    changed: list[float] = []  # when each change came

    async def scenario() -> None:
        server = Server()

        def lint(uri: str) -> None:  # a slow lint: longer than the debounce
            linted.append(time.monotonic())
            time.sleep(0.4)

        def change() -> None:
            changed.append(time.monotonic())
            server.schedule(uri, delay)

        server.refresh = lint  # type: ignore[method-assign]
        change()  # after a pause: linted at once
        await asyncio.sleep(0.05)
        for _ in range(4):  # came while that lint ran, then a key held down: one burst
            change()
            await asyncio.sleep(0.01)
        await asyncio.sleep(1.2)  # the burst's lint, then a pause
        change()
        await asyncio.sleep(0.3)

    asyncio.run(scenario())
    assert len(linted) == 3
    assert linted[0] - changed[0] < 0.2  # at once
    assert linted[1] - changed[4] >= delay  # the burst: once, `delay` after its last change
    assert linted[2] - changed[5] < 0.2  # after a pause: at once again


def test_the_language_server_starts_without_the_command_line_modules() -> None:
    code = (
        "import sys\n"
        "import formalai_lint.server\n"
        "formalai_lint.server.serve = lambda: print(sorted(\n"
        "    m for m in sys.modules if m in ('click', 'formalai_lint.cli', 'formalai_lint.report')\n"
        "))\n"
        "sys.argv = ['formalai-lint', 'server']\n"
        "from formalai_lint.__main__ import main\n"
        "main()\n"
    )
    assert python_output(code) == "[]"
