"""Phase 1 at scale: each document parsed once, in worker processes, through the cache.

`Phase1.run(paths)` returns one `(FileResult, tracebacks)` per path, in the order given,
whatever the number of workers: results come from the cache when the document's bytes are
unchanged, else from `engine.lint_file` run in-process (`--jobs 1`, or little to do) or in a
pool of worker processes that get the run's `RuleSet` (forked, or rebuilt from its settings).
Workers return compact results (facts and file diagnostics, never documents); project rules
run once in the parent.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from formalai_lint import source
from formalai_lint.cache import Cache, CacheUnavailable, cache_key, encode
from formalai_lint.config import Settings
from formalai_lint.engine import Outcome, RuleSet, lint_file
from formalai_lint.errors import WorkerError
from formalai_lint.results import FileResult
from formalai_lint.rule import FileRule
from formalai_lint.rules.tool.internal_error import InternalError
from formalai_lint.rules.tool.time_budget_exceeded import TimeBudgetExceeded

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

# Below this many bytes to parse, a pool costs more than it saves (fork, pickling).
PARALLEL_MIN_BYTES = 256 * 1024
TASKS_PER_WORKER = 32  # chunks per worker: small enough to balance, large enough to batch
PROGRESS_AFTER = 1.0  # seconds before a progress bar appears
PARENT_POLL = 0.5  # seconds between a worker's checks that its parent is still alive

# A linted file: path, outcome, and (when caching) the digest of the bytes it was linted from
# and its result encoded for the cache, done in the worker so the parent only writes it.
Linted = tuple[str, Outcome, str | None, bytes | None]


class RunOptions(NamedTuple):
    """How to run phase 1. The defaults (one process, no cache, silent) suit library calls
    and tests; the command line passes its own."""

    jobs: int = 1
    cache_dir: Path | None = None  # None: no cache
    progress: bool = False
    verbose: bool = False  # say why the cache is not used


def pool_size(jobs: int, files: int) -> int:
    """Workers for `files` documents: never more than the documents or the CPUs (`-j 1000`
    on 2 CPUs starts 2 workers)."""
    return max(1, min(jobs, files, default_jobs()))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Phase1:
    """Runs `lint_file` on documents, each at most once per run; use as a context manager."""

    def __init__(self, rules: RuleSet, options: RunOptions) -> None:
        self.settings = rules.settings
        self.ruleset = rules
        self.rules = rules.file_rules
        self.options = options
        self.cache = self._open_cache()
        self.progress = Progress(options.progress)
        self._pool: ProcessPoolExecutor | None = None
        self._gc = _collecting_less()
        self._outcomes: dict[str, Outcome] = {}  # documents already linted in this run
        self._digests: dict[str, str | None] = {}  # their content hashes, taken once

    def _open_cache(self) -> Cache | None:
        if self.options.cache_dir is None:
            return None
        try:
            key = cache_key(self.settings, self.ruleset.enabled)
            return Cache.open(self.options.cache_dir, key, self.settings.root)
        except CacheUnavailable as e:
            if self.options.verbose:
                print(f"formalai-lint: running without a cache: {e}", file=sys.stderr)
            return None

    def __enter__(self) -> Phase1:
        self._gc.__enter__()
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self._gc.__exit__(None, None, None)
        self.progress.close()
        if self._pool is not None:
            if kind is not None:  # interrupted (Ctrl-C) or failed: stop the workers now
                _kill_workers(self._pool)
            # Wait even then: the executor's thread must finish before the interpreter's exit
            # hook wakes it, or (Python 3.11) the hook can write to the pipe the thread is
            # closing and print a traceback. The workers are dead, so this is quick.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def save(self, files: frozenset[str]) -> None:
        """Write the cache, keeping the entries of files that still exist."""
        if self.cache is not None:
            self.cache.save(files)

    def cached_body(self, path: str) -> bytes | None:
        """`path`'s cached result, still encoded, if the file is unchanged since (else None)."""
        if self.cache is None:
            return None
        digest = self._digest(path)
        return self.cache.body(path, digest) if digest else None

    def _digest(self, path: str) -> str | None:
        if path not in self._digests:
            root, limit = self.settings.root, self.settings.max_file_size
            self._digests[path] = source.digest(root / path, limit, root)
        return self._digests[path]

    def run(self, paths: Sequence[str]) -> list[Outcome]:
        outcomes = self._outcomes  # a document asked for twice in one run is linted once
        todo: dict[str, str | None] = {}  # path -> content hash before linting
        fresh = [path for path in dict.fromkeys(paths) if path not in outcomes]
        self.progress.add(len(fresh))
        for path in fresh:
            digest = self._digest(path) if self.cache is not None else None
            cached = self.cache.get(path, digest) if self.cache is not None and digest else None
            if cached is not None:
                outcomes[path] = (cached, [])
                self.progress.advance(1)
            else:
                todo[path] = digest
        for path, outcome, digest_after, body in self._execute(list(todo)):
            outcomes[path] = outcome
            before = todo[path]
            # Cache only a clean result of bytes that did not change while being linted.
            if self.cache is not None and body is not None and before and before == digest_after:
                self.cache.put(path, before, body)
            self.progress.advance(1)
        return [outcomes[path] for path in paths]

    def forget(self, paths: Iterable[str]) -> None:
        """Lint these documents again when next asked for (`--fix` changed them)."""
        for path in paths:
            self._outcomes.pop(path, None)
            self._digests.pop(path, None)

    def _execute(self, paths: list[str]) -> Iterator[Linted]:
        hashing = self.cache is not None
        if self.options.jobs <= 1 or len(paths) < 2:
            for path in paths:
                yield _lint_one(self.settings, self.rules, path, hashing)
            return
        sizes = {path: _size(self.settings.root / path) for path in paths}
        if sum(sizes.values()) < PARALLEL_MIN_BYTES:
            for path in paths:
                yield _lint_one(self.settings, self.rules, path, hashing)
            return
        yield from self._in_pool(paths, sizes, hashing)

    def _in_pool(self, paths: list[str], sizes: dict[str, int], hashing: bool) -> Iterator[Linted]:
        # Imported here: they cost start-up time that a small run never needs back.
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        from formalai_lint.markdown import parser

        jobs = pool_size(self.options.jobs, len(paths))
        if self._pool is None:
            parser()  # loaded and built once, before the workers fork, rather than in each
            self._pool = ProcessPoolExecutor(
                jobs,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(self.ruleset, os.getpid(), self.options.verbose),
            )
        chunks = _chunks(paths, sizes, jobs * TASKS_PER_WORKER)
        # Workers are forked on the first submit: SIGINT is blocked meanwhile, so that a
        # Ctrl-C never reaches a worker before it has set itself to ignore it.
        with _blocking(signal.SIGINT):
            pending: set[Future[list[Linted]]] = {
                self._pool.submit(_lint_chunk, chunk, hashing) for chunk in chunks
            }
        try:
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
                self.progress.draw()
        except BrokenProcessPool:
            raise WorkerError(
                "a worker process died (out of memory?); run with --jobs 1 to find the file"
            ) from None


def _chunks(paths: list[str], sizes: dict[str, int], count: int) -> list[list[str]]:
    """About `count` chunks of similar total size, largest files first (they finish last
    otherwise). Results are reordered by the caller, so chunk order does not matter."""
    ordered = sorted(paths, key=lambda p: (-sizes[p], p))
    budget = max(1, sum(sizes.values()) // count)
    chunks: list[list[str]] = [[]]
    filled = 0
    for path in ordered:
        if chunks[-1] and filled + sizes[path] > budget:
            chunks.append([])
            filled = 0
        chunks[-1].append(path)
        filled += sizes[path]
    return chunks


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _context() -> BaseContext:
    """`fork` where it is safe (Linux): workers start at once with everything imported.
    Elsewhere the platform default; workers then rebuild their rules from `Settings`."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Parsing allocates millions of short-lived objects that reference counting frees; the
    cyclic collector's frequent young-generation passes over them cost 10-15 % of the parse
    for nothing. Collect less often meanwhile, and never scan what was loaded before."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


_worker: RuleSet | None = None


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop busy workers before Python 3.14.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()


@contextmanager
def _blocking(signum: int) -> Iterator[None]:
    """Block `signum` in this thread meanwhile (children forked meanwhile inherit the mask);
    a signal that arrives is delivered when it is unblocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signum})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _init_worker(rules: RuleSet, parent: int, verbose: bool) -> None:
    global _worker
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _detach_output(verbose)
    _collecting_less().__enter__()  # for the life of the worker process
    _worker = rules


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the run: when the parent dies (kill -9, the OOM killer, a
    CI cancel), the kernel kills the worker (Linux: PR_SET_PDEATHSIG); elsewhere, and as a
    fallback, a thread notices the new parent pid within PARENT_POLL seconds."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="formalai-lint-parent-watch", daemon=True).start()


def _detach_output(verbose: bool) -> None:
    """Workers print nothing (results go back through the pool), so they do not keep the
    caller's stdout open, nor stderr unless -v logs from them: a reader of the output sees
    its end when the parent exits, whatever the workers do."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in (1,) if verbose else (1, 2):
            os.dup2(null, fd)
    finally:
        os.close(null)


def _lint_chunk(paths: list[str], hashing: bool) -> list[Linted]:
    assert _worker is not None, "worker not initialised"
    return [_lint_one(_worker.settings, _worker.file_rules, path, hashing) for path in paths]


def _lint_one(settings: Settings, rules: Sequence[FileRule], path: str, hashing: bool) -> Linted:
    """`lint_file` within the file's CPU budget, with the digest of the bytes it read; a
    crash outside the rules (in parsing) becomes FL002 for that file, and a file over its
    budget FL005 (never cached), the same in a worker as in-process."""
    digest = None
    try:
        with cpu_budget(settings.max_file_seconds):
            result, crashes, digest = lint_file(settings, path, rules)
            outcome = (result, crashes)
    except BudgetExceeded:
        gc.collect()  # what the interrupted parse left behind, before the next file
        seconds = f"{settings.max_file_seconds:g}"
        message = f"not linted: took more than max-file-seconds = {seconds} s of CPU time"
        diag = TimeBudgetExceeded(settings).diagnostic(path, 1, 1, message, "over max-file-seconds")
        return path, (FileResult(path, None, [diag]), []), None, None
    except Exception as e:
        message = f"parsing crashed: {type(e).__name__}: {e}"
        diag = InternalError(settings).diagnostic(path, 1, 1, message, "parse")
        outcome = (FileResult(path, None, [diag]), [traceback.format_exc()])
    if not hashing or outcome[1]:  # not caching, or a rule crashed: not worth keeping
        return path, outcome, None, None
    if digest is None:  # a file that does not decode (FL001): its bytes' digest keys it
        digest = source.digest(settings.root / path, settings.max_file_size, settings.root)
    return path, outcome, digest, encode(outcome[0])


class BudgetExceeded(BaseException):
    """A file's CPU budget ran out. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` in a rule or in the parser can swallow it."""


_CAN_TIME = hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in the body once this process has spent `seconds` of CPU time
    in it. markdown-it-py's parse cannot be stopped cooperatively, but it is Python code, and
    Python runs a signal handler between two bytecodes (the regular expression engine checks
    for signals too): a CPU-time timer (ITIMER_PROF, so a busy machine does not shorten the
    budget) interrupts any parse or rule promptly, in a worker as in-process. The timer
    repeats every 0.1 s until the body ends, in case one exception is swallowed (a bare
    `except:`, a `__del__`). Only in the main thread, where Python delivers signals, and
    where the platform has the timer; elsewhere the body runs without a budget."""
    if not seconds or not _CAN_TIME or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            raise BudgetExceeded

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.1)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class Progress:
    """`done/total files` on stderr, drawn only on request, after PROGRESS_AFTER seconds."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0
        self.start = time.monotonic()
        self._shown = False
        self._last = 0.0

    def add(self, count: int) -> None:
        self.total += count

    def advance(self, count: int) -> None:
        self.done += count
        self.draw()

    def draw(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < PROGRESS_AFTER or now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\rformalai-lint [{bar}] {self.done}/{self.total} files")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
