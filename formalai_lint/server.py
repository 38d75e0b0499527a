"""`formalai-lint server`: a Language Server Protocol server over stdio (pygls, lsprotocol).

It lints what the editor holds: an open document is linted from its in-memory text on open,
on change (at once after a pause in typing, debounced within a burst) and on save, with the
same settings, rules, document model and cross-file rules as the command line; the facts of
the files that are not open come from the on-disk cache (or are parsed once). When the
anchors of an open document change, the other open documents that link to it are linted again.

`Lint` below is the only place that wires the server to the engine. Everything the editor
asks for (code actions, hover, go to definition, references, completion, symbols, rename)
is answered from parsed `Document`s and `DocFacts`, with the fixes and the heading rename
of `formalai_lint.fixes` and `formalai_lint.rename`. The fixers and the rename are imported
by the requests that use them, not at start-up (the editor waits for the first diagnostics).

Positions: the model counts lines of the text with its line endings normalised and columns
in characters; LSP counts in the negotiated encoding (UTF-16 by default), so every range is
converted with the line's text (emoji in headings are two UTF-16 units).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import posixpath
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from formalai_lint import __version__, engine, lazyre, registry, source, workers
from formalai_lint.cache import DIR_NAME
from formalai_lint.config import Settings, load_settings
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document, Heading, Link, normalise
from formalai_lint.engine import Outcome
from formalai_lint.errors import LintError
from formalai_lint.files import MARKDOWN_SUFFIXES, folder_readme
from formalai_lint.fixes.edits import Edit
from formalai_lint.links import join, reaches, target_of
from formalai_lint.project import DocFacts, Project
from formalai_lint.resources import RULE_URL
from formalai_lint.results import FileResult
from formalai_lint.rule import Fix
from formalai_lint.rules.levels import model as levels
from formalai_lint.rules.levels._view import label, level_doc
from formalai_lint.rules.shared import encoded
from formalai_lint.rules.tool.internal_error import InternalError
from formalai_lint.rules.tool.time_budget_exceeded import TimeBudgetExceeded
from formalai_lint.session import Session
from formalai_lint.workers import RunOptions

log = logging.getLogger("formalai_lint.server")
DEBOUNCE = 0.05  # seconds a change in a burst waits for the next one before it is linted
HOVER_LINES = 6  # lines of a section shown when hovering a link to it
SUPPRESS = "<!-- formalai-lint-disable-line {code} -->"
T = TypeVar("T")


class Lint:
    """The run the server keeps open: a `Session` (settings, rule set, the project's files,
    phase 1 with the cache) and the documents the editor holds (their text, their results,
    their parse).

    `run` is phase 1 for `engine.lint`: an open document's result comes from its buffer, any
    other from the session's phase 1 (the cache, or the file parsed once until it changes).
    An open document whose buffer holds the bytes the cache has a result for (a document just
    opened, or changed back) takes that result, as a CLI run would: it is parsed only when a
    request needs its model.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.settings = session.settings
        self.rules = session.rules.file_rules
        self.files = session.files
        self.texts: dict[str, str] = {}  # open documents: their buffers
        self.buffers: dict[str, Outcome] = {}  # their results
        self.docs: dict[str, Document] = {}  # their parses, once made

    # -- phase 1 for engine.lint ---------------------------------------------------------
    def run(self, paths: Sequence[str]) -> list[Outcome]:
        on_disk = [p for p in paths if p not in self.buffers]
        found = dict(zip(on_disk, self.session.phase1.run(on_disk), strict=True))
        return [self.buffers[p] if p in self.buffers else found[p] for p in paths]

    def forget(self, path: str) -> None:
        """`path` changed on disk: read it again when next asked."""
        self.session.phase1.forget([path])

    def save(self) -> None:
        """Write the cache (the session's phase 1 stays open)."""
        self.session.phase1.save(self.files)

    def all_files(self) -> frozenset[str]:
        return self.files | frozenset(self.buffers)

    # -- documents ----------------------------------------------------------------------
    def update(self, path: str, text: str) -> None:
        """Lint the buffer of an open document: the cached result of the same bytes, else
        parsed and linted (file rules, within the time budget)."""
        self.texts[path] = text
        self.docs.pop(path, None)
        cached = self._cached(path, text)
        if cached is not None:
            self.buffers[path] = (cached, [])
            return
        settings = self.settings
        doc: Document | None = None
        try:
            with workers.cpu_budget(settings.max_file_seconds):
                doc = Document(path, text, settings.parse_options)
                result = FileResult(path, DocFacts.of(doc))
                for rule in self.rules:
                    try:
                        result.diagnostics.extend(rule.check(doc))
                    except Exception as e:
                        message = f"rule {rule.code} ({rule.name}) crashed: {type(e).__name__}: {e}"
                        result.diagnostics.append(
                            InternalError(settings).diagnostic(path, 1, 1, message, rule.code)
                        )
        except workers.BudgetExceeded:
            seconds = f"{settings.max_file_seconds:g}"
            message = f"not linted: took more than max-file-seconds = {seconds} s of CPU time"
            diag = TimeBudgetExceeded(settings).diagnostic(path, 1, 1, message, "budget")
            result, doc = FileResult(path, None, [diag]), None
        except Exception as e:
            message = f"parsing crashed: {type(e).__name__}: {e}"
            diag = InternalError(settings).diagnostic(path, 1, 1, message, "parse")
            result, doc = FileResult(path, None, [diag]), None
        self.buffers[path] = (result, [])
        if doc is not None:
            self.docs[path] = doc

    def _cached(self, path: str, text: str) -> FileResult | None:
        """The cache's result for `path` if the buffer is, byte for byte, what it was linted
        from (and it was parsed: a file that could not be read is linted from the buffer)."""
        cache = self.session.phase1.cache
        if cache is None:
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no file holds these bytes
            return None
        result = cache.get(path, source.Contents(text, data).digest)
        return result if result is not None and result.facts is not None else None

    def parsed(self, path: str) -> Document | None:
        """An open document's parse, made when first asked for (None: it does not parse
        within the time budget, or the parser crashed; its diagnostics say so)."""
        if path not in self.docs and path in self.texts:
            try:
                with workers.cpu_budget(self.settings.max_file_seconds):
                    doc = engine.parse(self.settings, path, self.texts[path])
            except (workers.BudgetExceeded, Exception):
                return None
            self.docs[path] = doc
        return self.docs.get(path)

    def lines(self, path: str) -> list[str]:
        """An open document's lines, as the model counts them."""
        doc = self.docs.get(path)
        return doc.lines if doc is not None else normalise(self.texts.get(path, "")).split("\n")

    def close(self, path: str) -> None:
        self.texts.pop(path, None)
        self.buffers.pop(path, None)
        self.docs.pop(path, None)

    def diagnostics(self, path: str) -> list[Diagnostic]:
        """Everything the CLI would report for `path`, from the buffers and the cache."""
        report = engine.lint(self.session.rules, [path], self.all_files(), self.run)
        return [d for d in report.diagnostics if d.path == path]

    def facts(self, path: str) -> DocFacts | None:
        if path in self.buffers:
            return self.buffers[path][0].facts
        if path not in self.files or not path.endswith(MARKDOWN_SUFFIXES):
            return None
        return self.run([path])[0][0].facts

    def all_facts(self) -> dict[str, DocFacts]:
        """The facts of every Markdown document of the project (references, rename)."""
        markdown = sorted(p for p in self.all_files() if p.endswith(MARKDOWN_SUFFIXES))
        return {r.path: r.facts for r, _ in self.run(markdown) if r.facts is not None}

    def document(self, path: str) -> Document | None:
        """An open document's parse, or the file on disk parsed (None if unreadable)."""
        if path in self.texts:
            return self.parsed(path)
        if path not in self.files:
            return None
        settings = self.settings
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size).text
        except source.UnreadableError:
            return None
        return engine.parse(settings, path, text)

    def project(self) -> Project:
        return Project(self.all_files(), _LazyFacts(self), hidden=self._hidden)

    def _hidden(self) -> frozenset[str]:
        return engine.hidden_folders(self.settings, self.all_files())


class _LazyFacts(Mapping[str, DocFacts]):
    def __init__(self, lint: Lint) -> None:
        self.lint = lint

    def __getitem__(self, path: str) -> DocFacts:
        found = self.lint.facts(path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.lint.all_files())

    def __len__(self) -> int:
        return len(self.lint.all_files())


# -- positions ---------------------------------------------------------------------------
def _units(text: str, encoding: str) -> int:
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _char(line: str, units: int, encoding: str) -> int:
    """The character index of `units` code units into `line`."""
    if encoding == lsp.PositionEncodingKind.Utf32:
        return min(units, len(line))
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += _units(char, encoding)
    return len(line)


class Positions:
    """Converts the model's (1-based line, 1-based character column) to LSP positions."""

    def __init__(self, lines: Sequence[str], encoding: str) -> None:
        self.lines, self.encoding = lines, encoding

    def position(self, line: int, column: int) -> lsp.Position:
        index = min(max(line - 1, 0), max(len(self.lines) - 1, 0))
        text = self.lines[index] if self.lines else ""
        return lsp.Position(index, _units(text[: max(column - 1, 0)], self.encoding))

    def range(self, line: int, column: int, end_line: int, end_column: int) -> lsp.Range:
        return lsp.Range(self.position(line, column), self.position(end_line, end_column))

    def model(self, position: lsp.Position) -> tuple[int, int]:
        """(line, column) of the model for an LSP position."""
        text = self.lines[position.line] if position.line < len(self.lines) else ""
        return position.line + 1, _char(text, position.character, self.encoding) + 1

    def edit(self, edit: Edit) -> lsp.TextEdit:
        return lsp.TextEdit(
            self.range(edit.start_line, edit.start_column, edit.end_line, edit.end_column),
            edit.text,
        )


def _diagnostic_end(lines: Sequence[str], d: Diagnostic) -> tuple[int, int]:
    """Where a diagnostic's range ends: its own end if the rule gives one, else the end of
    its text on its line (a link up to its closing parenthesis), else the end of the line."""
    if d.end_line is not None and d.end_column is not None:
        return d.end_line, d.end_column
    line = lines[d.line - 1] if 0 < d.line <= len(lines) else ""
    at = line.find(d.text, d.column - 1) if d.text else -1
    if at < 0:
        return d.line, max(len(line) + 1, d.column + 1)
    end = at + len(d.text)
    if line[end : end + 1] in (")", ">"):
        end += 1
    return d.line, end + 1


def _link_end(doc: Document, link: Link) -> tuple[int, int]:
    from formalai_lint.rules.links.fix import destination_span, text_position

    span = destination_span(doc, link)
    if span is None:
        return link.line, link.column + len(link.text) + 2
    line, column = text_position(doc, span[1])
    return line, column + 1  # past the `)`


def _link_at(doc: Document, line: int, column: int) -> Link | None:
    for link in doc.links:
        if link.line == line and link.column <= column:
            end_line, end_column = _link_end(doc, link)
            if (end_line, end_column) > (line, column):
                return link
    return None


def _heading_at(doc: Document, line: int) -> Heading | None:
    return next((h for h in doc.headings if h.line == line), None)


def _section_of(doc: Document, heading: Heading) -> tuple[int, int]:
    return next((s.start_line, s.end_line) for s in doc.sections if s.heading == heading)


# -- the server ----------------------------------------------------------------------------
class Server(LanguageServer):
    def __init__(self) -> None:
        super().__init__("formalai-lint", __version__)
        self.lint: Lint | None = None
        self.root: Path | None = None
        self.latest: dict[str, list[Diagnostic]] = {}  # path -> what was last published
        self.pending: dict[str, asyncio.TimerHandle] = {}  # uri -> its lint, scheduled
        self.quiet: dict[str, float] = {}  # uri -> when it last changed or was linted after
        self.debounce = DEBOUNCE

    # -- set-up ---------------------------------------------------------------------------
    def start(self, root: Path | None) -> None:
        self.root = root

    def _lint_for(self, file: Path) -> Lint | None:
        """The run of the project that holds `file`, made on first use."""
        if self.lint is not None:
            return self.lint
        start = self.root or file.parent
        options = RunOptions(1, None)
        try:
            settings = load_settings([start])
            options = RunOptions(1, settings.root / DIR_NAME)
            session = Session(settings, options)
        except LintError as e:
            self.message(f"formalai-lint: configuration error: {e}", lsp.MessageType.Error)
            try:
                session = Session(Settings(root=_real(start)), options)
            except (LintError, OSError) as e:
                self.message(f"formalai-lint: {e}", lsp.MessageType.Error)
                return None
        # Phase 1 opens as in a CLI run: what is loaded now is never scanned by the cyclic
        # collector again, and it runs less often (a parse allocates millions of objects).
        session.phase1  # noqa: B018
        self.lint = Lint(session)
        return self.lint

    def message(self, text: str, kind: lsp.MessageType = lsp.MessageType.Warning) -> None:
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=text))

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)

    def path_of(self, uri: str) -> str | None:
        """The project-relative path of a document URI, None outside the project."""
        fs = to_fs_path(uri)
        if fs is None:
            return None
        lint = self._lint_for(Path(fs))
        if lint is None:
            return None
        real = _real(Path(fs))
        try:
            relative = real.relative_to(_real(lint.settings.root))
        except ValueError:
            return None
        path = relative.as_posix()
        if path.startswith(DIR_NAME) or not path.endswith(MARKDOWN_SUFFIXES):
            return None
        return path

    def uri_of(self, path: str) -> str:
        assert self.lint is not None
        return from_fs_path(str(self.lint.settings.root / path)) or ""

    def positions(self, doc: Document) -> Positions:
        return Positions(doc.lines, self.encoding)

    # -- diagnostics ----------------------------------------------------------------------
    def refresh(self, uri: str) -> None:
        """Lint an open document from its buffer and publish; then its open dependents."""
        self.pending.pop(uri, None)
        path = self.path_of(uri)
        if path is None or self.lint is None:
            return
        text = self.workspace.get_text_document(uri).source
        previous = self.lint.docs.get(path)  # freed after the publish (a large one takes ms)
        with _collected_after():
            before = self.lint.facts(path) if path in self.lint.buffers else None
            self.lint.update(path, text)
            self.publish(path, uri)
            after = self.lint.facts(path)
            if before is None or after is None or before.anchors != after.anchors:
                self.refresh_dependents(path)
        del previous

    def refresh_dependents(self, path: str) -> None:
        """Lint again the other open documents that link into `path`."""
        assert self.lint is not None
        for other in list(self.lint.buffers):
            facts = self.lint.facts(other)
            if other != path and facts is not None and _links_into(facts, path):
                self.publish(other, self.uri_of(other))

    def publish(self, path: str, uri: str) -> None:
        assert self.lint is not None
        found = self.lint.diagnostics(path)
        self.latest[path] = found
        lines = self.lint.lines(path)
        converted = [self.to_lsp(Positions(lines, self.encoding), lines, d) for d in found]
        version = self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=converted, version=version)
        )

    def to_lsp(self, at: Positions, lines: Sequence[str], d: Diagnostic) -> lsp.Diagnostic:
        end_line, end_column = _diagnostic_end(lines, d)
        return lsp.Diagnostic(
            range=at.range(d.line, d.column, end_line, end_column),
            message=d.message,
            severity=lsp.DiagnosticSeverity.Error
            if d.severity == Severity.ERROR
            else lsp.DiagnosticSeverity.Warning,
            code=d.code,
            code_description=lsp.CodeDescription(href=RULE_URL.format(code=d.code)),
            source="formalai-lint",
            data={"name": d.name, "fixable": d.fixable},
        )

    def schedule(self, uri: str, delay: float) -> None:
        """Lint `uri` after a change: at once when the document has been quiet (no change, no
        lint of a change) for `delay` (a keystroke after a pause), else when no other change
        has come for `delay` (a burst of typing, a key held down, is linted once at its end;
        changes that queued up behind a lint are such a burst)."""
        self.cancel(uri)
        now = time.monotonic()
        wait = delay if now - self.quiet.get(uri, float("-inf")) < delay else 0.0
        self.quiet[uri] = now
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(wait, _guarded(self, self._lint_change), uri)

    def _lint_change(self, uri: str) -> None:
        self.refresh(uri)
        self.quiet[uri] = time.monotonic()

    def cancel(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    # -- helpers for requests ------------------------------------------------------------
    def open_doc(self, uri: str) -> tuple[str, Document] | None:
        path = self.path_of(uri)
        if path is None or self.lint is None:
            return None
        if path not in self.lint.texts:
            self.lint.update(path, self.workspace.get_text_document(uri).source)
        doc = self.lint.parsed(path)
        return (path, doc) if doc is not None else None

    def loaded(self) -> Callable[[str], Document | None]:
        """A loader that parses each document at most once per request."""
        assert self.lint is not None
        lint, seen = self.lint, {}

        def load(path: str) -> Document | None:
            if path not in seen:
                seen[path] = lint.document(path)
            return seen[path]

        return load

    def workspace_edit(
        self, edits: Mapping[str, Sequence[Edit]], load: Callable[[str], Document | None]
    ) -> lsp.WorkspaceEdit:
        changes: dict[str, list[lsp.TextEdit]] = {}
        for path, items in edits.items():
            doc = load(path)
            if doc is None:
                continue
            at = self.positions(doc)
            changes[self.uri_of(path)] = [at.edit(e) for e in sorted(items)]
        return lsp.WorkspaceEdit(changes=changes)


@contextlib.contextmanager
def _collected_after() -> Iterator[None]:
    """No cyclic garbage collection inside (a lint and its publish): a parse leaves tens of
    thousands of new objects that the collector tracks (~73,000 for the largest FormalAI
    document), none of them garbage, and its pass over them (~10 ms there) would come before
    the diagnostics. The collection they made due runs at the first allocation after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _links_into(facts: DocFacts, path: str) -> bool:
    return any(link.path and reaches(facts.path, link, path) for link in facts.links)


def _guarded(server: Server, func: Callable[..., T]) -> Callable[..., T | None]:
    """`func`, with any exception logged and shown instead of ending the server."""

    def run(*args: Any) -> T | None:
        try:
            return func(*args)
        except Exception as e:
            log.error("%s", traceback.format_exc())
            server.message(f"formalai-lint: internal error: {type(e).__name__}: {e}")
            return None

    return run


server = Server()


@server.feature(lsp.INITIALIZE)
def _initialize(ls: Server, params: lsp.InitializeParams) -> None:
    root = None
    if params.workspace_folders:
        root = to_fs_path(params.workspace_folders[0].uri)
    elif params.root_uri:
        root = to_fs_path(params.root_uri)
    elif params.root_path:
        root = params.root_path
    ls.start(Path(root) if root else None)
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
        ls.debounce = max(0.0, float(options["debounce"]))


@server.feature(lsp.INITIALIZED)
def _initialized(ls: Server, params: lsp.InitializedParams) -> None:
    """Ask the client to report Markdown files changed on disk (a file not open that another
    links to), when it can register for that."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/*{suffix}") for suffix in MARKDOWN_SUFFIXES]
    ls.client_register_capability(
        lsp.RegistrationParams(
            [
                lsp.Registration(
                    "formalai-lint-watched-files",
                    lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                )
            ]
        )
    )


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: Server, params: lsp.DidOpenTextDocumentParams) -> None:
    _guarded(ls, ls.refresh)(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: Server, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.debounce)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: Server, params: lsp.DidSaveTextDocumentParams) -> None:
    path = ls.path_of(params.text_document.uri)
    if ls.lint is not None and path is not None:
        ls.lint.forget(path)
        ls.lint.files = ls.lint.files | {path}
    _guarded(ls, ls.refresh)(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: Server, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel(uri)
    ls.quiet.pop(uri, None)
    path = ls.path_of(uri)
    if ls.lint is not None and path is not None:
        ls.lint.close(path)
        ls.lint.forget(path)
        ls.latest.pop(path, None)
        if path in ls.lint.files:
            _guarded(ls, ls.refresh_dependents)(path)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: Server, params: lsp.DidChangeWatchedFilesParams) -> None:
    if ls.lint is None:
        return
    lint = ls.lint
    for change in params.changes:
        path = ls.path_of(change.uri)
        if path is None:
            continue
        lint.forget(path)
        if change.type == lsp.FileChangeType.Deleted:
            lint.files = lint.files - {path}
        else:
            lint.files = lint.files | {path}
    for path in list(lint.buffers):
        _guarded(ls, ls.publish)(path, ls.uri_of(path))


@server.feature(lsp.SHUTDOWN)
def _shutdown(ls: Server, params: None) -> None:
    if ls.lint is not None:
        with contextlib.suppress(OSError, LintError):
            ls.lint.save()


def serve() -> None:
    """Run the server on stdin and stdout until the client ends it."""
    server.start_io()


# -- requests ------------------------------------------------------------------------------
def _request(func: Callable[..., T]) -> Callable[..., T | None]:
    """A request handler that answers None, not an error, when something unexpected fails."""

    def run(ls: Server, params: Any) -> T | None:
        try:
            return func(ls, params)
        except Exception:
            log.error("%s", traceback.format_exc())
            return None

    run.__name__ = func.__name__
    return run


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]
    ),
)
@_request
def _code_action(ls: Server, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    from formalai_lint.rules.links.fix import link_edits
    from formalai_lint.rules.numbering.fix import NUMBERING_CODES
    from formalai_lint.rules.toc.fix import NotFixable, toc_edit

    found = ls.open_doc(params.text_document.uri)
    if found is None or ls.lint is None:
        return None
    path, doc = found
    at = ls.positions(doc)
    first = params.range.start.line + 1
    last = params.range.end.line + 1
    here = [
        d
        for d in ls.latest.get(path, [])
        if first <= _diagnostic_end(doc.lines, d)[0] and d.line <= last
    ]
    actions: list[lsp.CodeAction] = []
    only = params.context.only or []
    wants_fix_all = not only or any(k.startswith(lsp.CodeActionKind.Source) for k in only)

    def action(title: str, edits: Mapping[str, Sequence[Edit]], kind: str, d: Any = None) -> None:
        lsp_diags = [ls.to_lsp(at, doc.lines, d)] if d is not None else None
        actions.append(
            lsp.CodeAction(
                title=title,
                kind=kind,
                diagnostics=lsp_diags,
                edit=ls.workspace_edit(edits, ls.loaded()),
                is_preferred=kind == lsp.CodeActionKind.QuickFix and "(unsafe)" not in title,
            )
        )

    toc_codes = {r.code for r in ls.lint.rules if r.fix is Fix.SAFE}
    if any(d.code in toc_codes for d in here):
        try:
            edit = toc_edit(doc)
        except NotFixable:
            edit = None
        if edit is not None:
            toc = next(d for d in here if d.code in toc_codes)
            action(
                "Rewrite the table of contents", {path: [edit]}, lsp.CodeActionKind.QuickFix, toc
            )
    for d in here:
        rule = registry.find(d.code)
        if rule is not None and rule.fix is Fix.UNSAFE and d.code not in NUMBERING_CODES:
            for edit, diag in link_edits(doc, [d], ls.lint.project()):
                action(
                    f"Retarget the link to `{edit.text}` (unsafe)",
                    {path: [edit]},
                    lsp.CodeActionKind.QuickFix,
                    diag,
                )
    if any(d.code in NUMBERING_CODES for d in here):
        edits = _renumber_edits(ls, path, doc)
        if edits:
            numbered = next(d for d in here if d.code in NUMBERING_CODES)
            action(
                "Renumber the headings, and every link to them (unsafe)",
                edits,
                lsp.CodeActionKind.QuickFix,
                numbered,
            )
    for d in here:
        line = doc.lines[d.line - 1] if d.line <= len(doc.lines) else ""
        end = len(line) + 1
        comment = (" " if line.strip() else "") + SUPPRESS.format(code=d.code)
        action(
            f"Suppress {d.code} on this line",
            {path: [Edit(d.line, end, d.line, end, comment)]},
            lsp.CodeActionKind.QuickFix,
            d,
        )
    if wants_fix_all and any(d.fixable for d in ls.latest.get(path, [])):
        edits = _fix_all(ls, path, doc)
        if edits:
            action(
                "Fix all safely fixable problems (formalai-lint)",
                edits,
                lsp.CodeActionKind.SourceFixAll,
            )
    return actions


def _fix_all(ls: Server, path: str, doc: Document) -> dict[str, list[Edit]]:
    """The safe fixes of the whole document, as one edit of its text."""
    from formalai_lint import fix
    from formalai_lint.rules.toc.fix import NotFixable

    assert ls.lint is not None
    lint = ls.lint
    toc_rules = [r for r in lint.rules if r.fix is Fix.SAFE]
    try:
        result = fix.fix_document(
            path,
            doc.text.encode("utf-8"),
            ls.latest.get(path, []),
            toc_rules,
            lint.settings.parse_options,
        )
    except (NotFixable, source.UnreadableError):
        return {}
    if not result.changed:
        return {}
    new = result.after.decode("utf-8")
    last = len(doc.lines)
    return {path: [Edit(1, 1, last, len(doc.lines[-1]) + 1, new)]}


def _renumber_edits(ls: Server, path: str, doc: Document) -> dict[str, list[Edit]]:
    from formalai_lint.rename import RenameError, rename_headings
    from formalai_lint.rules.numbering.fix import renumbering

    assert ls.lint is not None
    texts, _ = renumbering(doc)
    if not texts:
        return {}
    try:
        renamed = rename_headings(
            doc, texts, ls.lint.all_facts(), ls.loaded(), ls.lint.settings.parse_options
        )
    except RenameError:
        return {}
    return renamed.edits if not renamed.missed else {}


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
@_request
def _hover(ls: Server, params: lsp.HoverParams) -> lsp.Hover | None:
    found = ls.open_doc(params.text_document.uri)
    if found is None or ls.lint is None:
        return None
    path, doc = found
    at = ls.positions(doc)
    line, column = at.model(params.position)
    parts: list[str] = []
    for d in ls.latest.get(path, []):
        end_line, end_column = _diagnostic_end(doc.lines, d)
        if (d.line, d.column) <= (line, column) < (end_line, end_column):
            rule = registry.find(d.code)
            summary = rule.summary if rule else ""
            parts.append(f"**{d.code}** `{d.name}`: {summary}\n\n{d.message}")
    link = _link_at(doc, line, column)
    if link is not None and not link.external:
        target = _target(ls, path, link)
        if target is not None:
            parts.append(_describe_target(ls, *target, link))
    figure = _level_figure(ls, doc, line, column)
    if figure:
        parts.append(figure)
    if not parts:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    )


_FIGURE = lazyre.compile(r"\d+(?:\.\d+)?\s*[%％]?")


def _level_figure(ls: Server, doc: Document, line: int, column: int) -> str | None:
    """On a figure of adoption or convergence in a level document (a cell of such a column
    or row, or a line of prose naming it), the configured range of the document's level."""
    assert ls.lint is not None
    text = doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""
    if not any(m.start() < column <= m.end() for m in _FIGURE.finditer(text)):
        return None
    model = levels.model(ls.lint.settings.table)
    found = level_doc(doc, model)
    if found is None:
        return None
    words = model.words
    names = [text]
    for table in doc.tables:
        for row in table.rows:
            cells = [c for c in row if c.line == line and c.column <= column]
            if cells:
                index = row.index(cells[-1])
                header = table.header[index].text if index < len(table.header) else ""
                names = [header, row[0].text]
    said = {label(n) for n in names}
    adoption = any(w in n for w in words.adoption for n in said)
    convergence = any(w in n for w in words.convergence for n in said)
    if not (adoption or convergence):
        return None
    level = found.level
    shown = [f"**{level.id} {level.name}** (configured)"]
    if convergence:
        shown.append(f"收敛度: {level.convergence.describe('C', percent=True)}")
    if adoption and level.adoption is not None:
        shown.append(f"采用率: {level.adoption.describe('a', percent=True)}")
    return "\n\n".join(shown)


def _target(ls: Server, path: str, link: Link) -> tuple[str, Document, Heading | None] | None:
    """The document a link leads to, and the heading its fragment names (if any)."""
    assert ls.lint is not None
    target = target_of(path, link)
    if target is None:
        return None
    if target not in ls.lint.all_files():
        readme = folder_readme(target)
        if readme not in ls.lint.all_files():
            return None
        target = readme
    if not target.endswith(MARKDOWN_SUFFIXES):
        return None
    doc = ls.lint.document(target)
    if doc is None:
        return None
    heading = next((h for h in doc.headings if h.anchor == link.fragment), None)
    return target, doc, heading


def _describe_target(
    ls: Server, path: str, doc: Document, heading: Heading | None, link: Link
) -> str:
    if heading is None:
        if link.fragment:
            return f"`{path}`: no heading `#{link.fragment}`"
        start, end = 1, min(len(doc.lines), HOVER_LINES)
        title = doc.title or path
    else:
        start, end = _section_of(doc, heading)
        title = heading.text
    shown = "\n".join(doc.lines[start - 1 : min(end, start + HOVER_LINES - 1)])
    return f"**{title}** — `{path}`, line {start}\n\n```markdown\n{shown}\n```"


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
@_request
def _definition(ls: Server, params: lsp.DefinitionParams) -> lsp.Location | None:
    found = ls.open_doc(params.text_document.uri)
    if found is None:
        return None
    path, doc = found
    line, column = ls.positions(doc).model(params.position)
    link = _link_at(doc, line, column)
    if link is None or link.external:
        return None
    target = _target(ls, path, link)
    if target is None:
        return None
    target_path, target_doc, heading = target
    at = ls.positions(target_doc)
    if heading is None:
        where = at.range(1, 1, 1, 1)
    else:
        where = at.range(heading.line, 1, heading.line, len(target_doc.lines[heading.line - 1]) + 1)
    return lsp.Location(uri=ls.uri_of(target_path), range=where)


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
@_request
def _references(ls: Server, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    found = ls.open_doc(params.text_document.uri)
    if found is None or ls.lint is None:
        return None
    path, doc = found
    heading = _heading_at(doc, params.position.line + 1)
    if heading is None:
        return None
    load = ls.loaded()
    result: list[lsp.Location] = []
    if params.context.include_declaration:
        at = ls.positions(doc)
        result.append(
            lsp.Location(
                ls.uri_of(path),
                at.range(heading.line, heading.column, heading.line, heading.column),
            )
        )
    for source_path, facts in sorted(ls.lint.all_facts().items()):
        links = [
            link
            for link in facts.links
            if link.fragment == heading.anchor and reaches(source_path, link, path)
        ]
        if not links:
            continue
        source_doc = load(source_path)
        if source_doc is None:
            continue
        at = ls.positions(source_doc)
        for link in links:
            end_line, end_column = _link_end(source_doc, link)
            result.append(
                lsp.Location(
                    ls.uri_of(source_path), at.range(link.line, link.column, end_line, end_column)
                )
            )
    return result


_AFTER_FRAGMENT = lazyre.compile(r"\]\(\s*<?#([^\s)#]*)$")
_AFTER_FILE_FRAGMENT = lazyre.compile(r"\]\(\s*<?([^\s)#<>]+)#([^\s)#]*)$")
_AFTER_PAREN = lazyre.compile(r"\]\(\s*<?([^\s)#<>]*)$")


@server.feature(
    lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["(", "#", "/"])
)
@_request
def _completion(ls: Server, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    if path is None or ls.lint is None:
        return None
    lines = ls.workspace.get_text_document(uri).lines
    text = lines[params.position.line].rstrip("\r\n") if params.position.line < len(lines) else ""
    before = text[: _char(text, params.position.character, ls.encoding)]
    items: list[lsp.CompletionItem] = []

    def replacing(typed: str, new: str) -> lsp.TextEdit:
        start = params.position.character - _units(typed, ls.encoding)
        return lsp.TextEdit(
            lsp.Range(lsp.Position(params.position.line, start), params.position), new
        )

    def anchors(doc: Document | None, typed: str) -> lsp.CompletionList:
        """The anchors of `doc`, each replacing the fragment typed so far."""
        for h in doc.headings if doc else ():
            items.append(
                lsp.CompletionItem(
                    label=h.anchor,
                    kind=lsp.CompletionItemKind.Reference,
                    detail=h.text,
                    text_edit=replacing(typed, encoded(h.anchor)),
                    filter_text=h.anchor,
                )
            )
        return lsp.CompletionList(is_incomplete=False, items=items)

    match = _AFTER_FRAGMENT.search(before)
    if match:
        return anchors(ls.lint.document(path), match[1])
    match = _AFTER_FILE_FRAGMENT.search(before)
    if match:
        target = join(path, unquote(match[1]))
        if target is not None and target not in ls.lint.all_files():
            target = folder_readme(target)
        return anchors(ls.lint.document(target) if target else None, match[2])
    match = _AFTER_PAREN.search(before)
    if match:
        folder = posixpath.dirname(path)
        for other in sorted(ls.lint.all_files()):
            if other == path or other.startswith(DIR_NAME + "/"):
                continue
            relative = posixpath.relpath(other, folder or ".")
            markdown = other.endswith(MARKDOWN_SUFFIXES)
            items.append(
                lsp.CompletionItem(
                    label=relative,
                    kind=lsp.CompletionItemKind.File,
                    sort_text=("0" if markdown else "1") + relative,
                    text_edit=replacing(match[1], encoded(relative, frozenset(" ()<>\\"))),
                    filter_text=relative,
                )
            )
        return lsp.CompletionList(is_incomplete=False, items=items)
    return None


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_request
def _symbols(ls: Server, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    found = ls.open_doc(params.text_document.uri)
    if found is None:
        return None
    _, doc = found
    at = ls.positions(doc)
    roots: list[lsp.DocumentSymbol] = []
    stack: list[tuple[int, list[lsp.DocumentSymbol]]] = []  # level, children of that symbol
    for section in doc.sections:
        h = section.heading
        end = len(doc.lines[section.end_line - 1]) + 1 if section.end_line <= len(doc.lines) else 1
        line_end = len(doc.lines[h.line - 1]) + 1
        children: list[lsp.DocumentSymbol] = []
        symbol = lsp.DocumentSymbol(
            name=h.text.strip() or "(empty heading)",
            kind=lsp.SymbolKind.String if h.level > 1 else lsp.SymbolKind.File,
            range=at.range(h.line, 1, section.end_line, end),
            selection_range=at.range(h.line, h.column, h.line, line_end),
            detail=f"#{h.anchor}",
            children=children,
        )
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        (stack[-1][1] if stack else roots).append(symbol)
        stack.append((h.level, children))
    return roots


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
@_request
def _prepare_rename(
    ls: Server, params: lsp.PrepareRenameParams
) -> lsp.PrepareRenamePlaceholder | None:
    from formalai_lint.fixes.headings import RenameError, heading_span

    found = ls.open_doc(params.text_document.uri)
    if found is None:
        return None
    _, doc = found
    heading = _heading_at(doc, params.position.line + 1)
    if heading is None:
        return None
    try:
        start, end = heading_span(doc, heading)
    except RenameError:
        return None
    at = ls.positions(doc)
    text = doc.lines[heading.line - 1][start - 1 : end - 1]
    return lsp.PrepareRenamePlaceholder(
        range=at.range(heading.line, start, heading.line, end), placeholder=text
    )


@server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
@_request
def _rename(ls: Server, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    from formalai_lint.rename import RenameError, rename_heading

    found = ls.open_doc(params.text_document.uri)
    if found is None or ls.lint is None:
        return None
    _, doc = found
    heading = _heading_at(doc, params.position.line + 1)
    if heading is None:
        ls.message("formalai-lint: rename works on a heading (put the cursor on its line)")
        return None
    load = ls.loaded()
    try:
        renamed = rename_heading(
            doc,
            heading.line,
            params.new_name.strip(),
            ls.lint.all_facts(),
            load,
            ls.lint.settings.parse_options,
        )
    except RenameError as e:
        ls.message(f"formalai-lint: cannot rename: {e}")
        return None
    if renamed.missed:
        where = ", ".join(f"{p}:{line}" for p, line, _ in renamed.missed[:5])
        ls.message(f"formalai-lint: links not rewritten (reference links): {where}")
    return ls.workspace_edit(renamed.edits, load)
