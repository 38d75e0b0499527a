"""Processes and budgets under attack (issue 17, items 6, 9, 13 and 18): workers die with
their parent, Ctrl-C exits 130 and stops them, one crafted file costs at most its CPU budget,
and absurd numbers or an unwritable stdout are one-line errors."""

from __future__ import annotations

import concurrent.futures
import json
import os
import select
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from formalai_lint import workers
from formalai_lint.config import Settings
from formalai_lint.document import Document
from tests.conftest import lint_tree, run_cli

LINUX = sys.platform.startswith("linux")
CLI = [sys.executable, "-m", "formalai_lint"]
BOMB = "# 一串没有闭合的图片括号\n\n" + "![" * 150_000 + "\n"  # many seconds of parse each
BROKEN = "# 短文档\n\n[坏链接](#不存在)\n"


def bomb_tree(root: Path, count: int = 4, config: str = "") -> Path:
    root.mkdir(exist_ok=True)
    (root / ".formalai-lint.toml").write_text(config, encoding="utf-8")
    for i in range(count):
        (root / f"bomb{i}.md").write_text(BOMB, encoding="utf-8")
    (root / "broken.md").write_text(BROKEN, encoding="utf-8")
    return root


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _state(int(entry), parent=pid):
            found.append(int(entry))
    return found


def _state(pid: int, parent: int | None = None) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and (parent is None or int(fields[1]) == parent)


def alive(pids: list[int], within: float) -> list[int]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        left = [p for p in pids if _state(p)]
        if not left:
            return []
        time.sleep(0.1)
    return [p for p in pids if _state(p)]


class Started:
    """The CLI processes a test starts, and their workers: whatever is left is killed."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.workers: list[int] = []

    def busy(self, root: Path, jobs: str) -> subprocess.Popen[bytes]:
        """The CLI on the bomb tree, in a session of its own (like a terminal's foreground
        job), once its workers (two, unless --jobs 1) are parsing."""
        proc = subprocess.Popen(
            [*CLI, str(root), "--no-cache", "-j", jobs],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.procs.append(proc)
        deadline = time.monotonic() + 30
        while jobs != "1" and len(children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.workers = children(proc.pid)
        time.sleep(1.0)  # well into the parse of the first files
        assert proc.poll() is None, "the run ended before it could be interrupted"
        return proc

    def clean(self) -> None:
        # Orphaned workers first: they may hold the pipes that `communicate` reads to the end.
        for proc in self.procs:
            self.workers.extend(children(proc.pid))
            if proc.poll() is None:
                proc.kill()
        for pid in self.workers:
            if _state(pid):
                os.kill(pid, signal.SIGKILL)
        for proc in self.procs:
            proc.communicate()


@pytest.fixture
def started() -> Iterator[Started]:
    runs = Started()
    yield runs
    runs.clean()


def eof_within(stream: object, seconds: float) -> bool:
    ready, _, _ = select.select([stream], [], [], seconds)
    return bool(ready) and stream.read() == b""  # type: ignore[attr-defined]


@pytest.mark.skipif(not LINUX, reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_parent_kills_the_workers_and_frees_the_pipe(
    tmp_path: Path, started: Started, signum: int
) -> None:
    proc = started.busy(bomb_tree(tmp_path / "kb"), "2")
    pool = list(started.workers)
    assert len(pool) == 2
    proc.send_signal(signum)
    # The caller (a CI step, `timeout`, a pipe into another tool) sees the end of the output:
    # no worker holds stdout or stderr open, and none is left parsing or blocked.
    assert eof_within(proc.stdout, 10), "a worker still holds stdout"
    assert eof_within(proc.stderr, 10), "a worker still holds stderr"
    assert alive(pool, within=10) == []


@pytest.mark.skipif(not LINUX, reason="reads /proc")
@pytest.mark.parametrize("jobs", ["2", "1"])
def test_ctrl_c_exits_130_with_one_line_and_stops_the_workers(
    tmp_path: Path, started: Started, jobs: str
) -> None:
    proc = started.busy(bomb_tree(tmp_path / "kb"), jobs)
    pool = list(started.workers)
    assert len(pool) == (0 if jobs == "1" else 2)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 130  # not 1, which means "findings" to a CI step
    assert stderr.decode() == "formalai-lint: interrupted\n"  # no traceback, from anyone
    assert stdout == b""
    assert alive(pool, within=5) == []


def test_a_crafted_file_costs_at_most_its_budget_and_the_run_goes_on(tmp_path: Path) -> None:
    bomb_tree(tmp_path / "kb", count=2, config="max-file-seconds = 0.5\n")
    outputs = set()
    for jobs in ("1", "2"):  # in-process, and in two workers (over 256 KB to parse)
        proc = subprocess.run(
            [*CLI, "kb", "--no-cache", "-j", jobs, "--output-format", "json"],
            capture_output=True,
            cwd=tmp_path,
        )
        assert proc.returncode == 1, proc.stderr
        outputs.add(proc.stdout)
        found = [(d["path"], d["code"], d["text"]) for d in json.loads(proc.stdout)]
        assert sorted(found) == [
            ("kb/bomb0.md", "FL005", "over max-file-seconds"),
            ("kb/bomb1.md", "FL005", "over max-file-seconds"),
            ("kb/broken.md", "FL201", "#不存在"),
        ]
    assert len(outputs) == 1  # byte for byte the same whatever --jobs is


def test_a_file_over_budget_is_not_cached_and_has_no_facts(tmp_path: Path) -> None:
    root = bomb_tree(tmp_path / "kb", count=1, config="max-file-seconds = 0.2\n")
    report = lint_tree(root)
    assert sorted((d.path, d.code) for d in report.diagnostics) == [
        ("bomb0.md", "FL005"),
        ("broken.md", "FL201"),
    ]
    settings = Settings(root=root, max_file_seconds=0.2)
    _path, (result, crashes), digest, body = workers._lint_one(settings, [], "bomb0.md", True)
    assert result.facts is None and crashes == [] and digest is None and body is None


def test_the_budget_interrupts_and_then_disarms() -> None:
    start = time.process_time()
    with pytest.raises(workers.BudgetExceeded), workers.cpu_budget(0.2):
        while True:
            pass
    assert time.process_time() - start < 5
    with workers.cpu_budget(0.2):  # a body that ends in time: nothing fires afterwards
        pass
    end = time.process_time() + 0.5
    while time.process_time() < end:
        pass
    assert signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, signal.SIG_IGN, None)


def _cost(text: str) -> tuple[float, int]:
    """CPU seconds and peak traced memory of parsing `text` and reading what rules read."""
    settings = Settings(root=Path("."))
    tracemalloc.start()
    start = time.process_time()
    doc = Document("x.md", text, settings.parse_options)
    _ = doc.links, doc.headings
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


@pytest.mark.parametrize(
    "shape", [lambda n: "![" * n, lambda n: "[ " + "_" * (4 * n)], ids=["images", "underscores"]
)
def test_crafted_shapes_cost_linear_time_and_memory(shape) -> None:  # type: ignore[no-untyped-def]
    small, large = _cost(shape(2_000)), _cost(shape(8_000))
    assert large[0] < 8 * max(small[0], 0.01)  # 4 times the input: well under 16 times the time
    assert large[1] < 8 * small[1]  # and the memory


def test_absurd_jobs_is_a_one_line_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    code, out, err = run_cli(str(tmp_path), "-j", "99999999999999999999")
    assert code == 2 and out == ""
    assert err.startswith("formalai-lint: error: ") and err.count("\n") == 1
    assert "internal error" not in err


def test_jobs_is_capped_at_the_files_and_the_cpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            sizes.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    for i in range(3):
        (tmp_path / f"d{i}.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    code, out, _ = run_cli(str(tmp_path), "--no-cache", "-j", "1000")
    assert code == 1 and out.count("FL201") == 3
    assert sizes == [min(3, workers.default_jobs())]
    assert workers.pool_size(1000, 604) == workers.default_jobs()
    assert workers.pool_size(8, 1) == 1


def test_huge_max_file_size_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text("max-file-size = 99999999999999999999\n")
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    code, out, err = run_cli(str(tmp_path))
    assert code == 2 and out == "" and "FL002" not in err
    assert "`max-file-size`" in err and err.count("\n") == 1


def test_deeply_nested_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "baseline.json").write_text("[" * 100_000, encoding="utf-8")
    code, _, err = run_cli(str(tmp_path), "--baseline", str(tmp_path / "baseline.json"))
    assert code == 2
    assert err.startswith("formalai-lint: error: ") and err.count("\n") == 1


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*CLI, str(tmp_path)], stdout=full, stderr=subprocess.PIPE)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert (
        err.splitlines()[0]
        == "formalai-lint: error: cannot write to stdout: No space left on device"
    )
    assert "Traceback" not in err and "internal error" not in err
