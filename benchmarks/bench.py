"""Benchmark formalai-lint against the parse floor, in one run, on the same files.

    python benchmarks/bench.py                      # synthetic corpora of 500, 2,000, 8,000 docs
    python benchmarks/bench.py --sizes 500,2000     # other sizes
    python benchmarks/bench.py --dir ../shared/corpus/formalai   # any folder (linted in a copy)

For each corpus it times, as separate processes and by wall clock:
  (a) floor     read + markdown-it-py parse of every file in one process (benchmarks/floor.py)
  (b) cold -j1  formalai-lint --jobs 1, empty cache
  (c) cold -jN  formalai-lint --jobs <all CPUs>, empty cache
  (d) warm      again, nothing changed
  (e) 1 changed again after editing one document (a new edit each time)
  (f) pre-commit  formalai-lint on 5 edited documents, warm cache
and prints each as a ratio to (a), with the peak resident memory of the largest process of
any run. (a), (b) and (c) are measured in `--repeat` interleaved rounds (a, b, c, a, b, c, …);
a cold run is divided by the floor run of its own round, and the table shows the median of
those paired ratios, so that a slow spell of a shared machine does not fall on one side of a
ratio only. (d), (e) and (f) are the best of `--repeat` runs, divided by the best floor run.
Then start-up: linting one small file vs `python -c "import markdown_it"`, interleaved, best
of 20 each. Ratios compare runs made side by side; absolute times do not travel. The
folders are generated (deterministically, from --seed) in a temporary folder,
which is removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))
from floor import markdown_files  # noqa: E402
from generate import generate  # noqa: E402

LINT = [sys.executable, "-m", "formalai_lint"]
CACHE = ".formalai-lint-cache"
TARGETS = {"cold -j1": 1.25, "cold -jN": 0.75, "warm": 0.10, "1 changed": 0.15, "pre-commit": 0.05}


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its workers
    peak_mb: float  # largest resident set of the process or any of its workers
    code: int
    output: str  # hash of stdout


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        digest = hashlib.sha256(out.read()).hexdigest()[:12]
    # wait4 reports the child and the children it waited for (its workers): the maximum RSS.
    return Run(
        elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, digest
    )


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def edit(path: Path, counter: int) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n补充说明第 {counter} 条：内容有所更新。\n")


def bench_folder(root: Path, jobs: int, rng: random.Random, repeat: int) -> dict[str, Run | float]:
    docs = markdown_files(root)
    size = sum(p.stat().st_size for p in docs) / 1e6
    lint = [*LINT, "."]
    results: dict[str, Run | float] = {"docs": len(docs), "MB": size}
    cold: dict[str, list[Run]] = {"floor": [], "cold -j1": [], "cold -jN": []}
    for _ in range(repeat):  # interleaved rounds: machine noise falls on all three alike
        cold["floor"].append(measure([sys.executable, str(HERE / "floor.py"), "."], root))
        shutil.rmtree(root / CACHE, ignore_errors=True)
        cold["cold -j1"].append(measure([*lint, "--jobs", "1"], root))
        shutil.rmtree(root / CACHE, ignore_errors=True)
        cold["cold -jN"].append(measure([*lint, "--jobs", str(jobs)], root))
    results.update({name: best(runs) for name, runs in cold.items()})
    # A cold run is compared with the floor run of its own round, and the median of those
    # paired ratios is kept: the two ran back to back, on the machine in the same state.
    for name in ("cold -j1", "cold -jN"):
        paired = [
            run.seconds / floor.seconds
            for run, floor in zip(cold[name], cold["floor"], strict=True)
        ]
        results[f"rounds {name}"] = paired  # type: ignore[assignment]
        results[f"ratio {name}"] = statistics.median(paired)
    results["warm"] = best([measure(lint, root) for _ in range(repeat)])
    changed = []
    for i in range(repeat):
        edit(rng.choice(docs), i)
        changed.append(measure(lint, root))
    results["1 changed"] = best(changed)
    precommit = []
    for i in range(repeat):
        chosen = rng.sample(docs, min(5, len(docs)))
        for path in chosen:
            edit(path, 100 + i)
        names = [p.relative_to(root).as_posix() for p in chosen]
        precommit.append(measure([*LINT, *names], root))
    results["pre-commit"] = best(precommit)
    return results


def startup(tmp: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    project = tmp / "startup"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    (project / "a.md").write_text("# 小文件\n\n## 一、概述\n\n一句话。\n", encoding="utf-8")
    (project / ".git").mkdir()  # a project root of its own, as in a repository
    config = project / ".formalai-lint.toml"
    measure([*LINT, "a.md"], project, env)  # writes the bytecode, when it may be written
    times: dict[str, list[float]] = {"lint": [], "configured": [], "baseline": []}
    for _ in range(20):  # interleaved, like the cold runs
        config.unlink(missing_ok=True)
        times["lint"].append(measure([*LINT, "a.md"], project, env).seconds)
        config.write_text("select = ['ALL']\n", encoding="utf-8")
        times["configured"].append(measure([*LINT, "a.md"], project, env).seconds)
        baseline = measure([sys.executable, "-c", "import markdown_it"], project, env)
        times["baseline"].append(baseline.seconds)
    return min(times["lint"]), min(times["configured"]), min(times["baseline"])


def with_bytecode(tmp: Path) -> dict[str, str]:
    """The environment with Python's bytecode cache allowed (kept under `tmp`, so the
    checkout is not touched), as for a tool installed from a wheel."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def print_table(rows: list[tuple[str, dict[str, Run | float]]], jobs: int) -> None:
    head = f"{'corpus':<14}{'docs':>6}{'MB':>7}{'floor s':>9}"
    for name in TARGETS:
        head += f"{name.replace('-jN', f'-j{jobs}'):>12}"
    head += f"{'peak MB':>9}  outputs"
    print(head)
    for label, r in rows:
        floor = r["floor"]
        assert isinstance(floor, Run)
        line = f"{label:<14}{r['docs']:>6}{r['MB']:>7.1f}{floor.seconds:>9.2f}"
        peak = 0.0
        for name in TARGETS:
            run = r[name]
            assert isinstance(run, Run)
            ratio = r.get(f"ratio {name}", run.seconds / floor.seconds)
            line += f"{ratio:>11.3f}x"
            peak = max(peak, run.peak_mb)
        same = {r[n].output for n in ("cold -j1", "cold -jN", "warm")}  # type: ignore[union-attr]
        line += f"{peak:>9.0f}  {'identical' if len(same) == 1 else 'DIFFER'}"
        print(line)
    targets = "".join(f"{'<= ' + format(t, '.2f'):>12}" for t in TARGETS.values())
    print(f"{'target':<36}{targets}{'< 400':>9}")
    print()
    print("cold runs: median of the ratios to the floor run of the same round; per round:")
    for label, r in rows:
        rounds = "; ".join(
            f"{name.replace('-jN', f'-j{jobs}')} "
            + " ".join(f"{x:.3f}" for x in r[f"rounds {name}"])  # type: ignore[union-attr]
            for name in ("cold -j1", "cold -jN")
        )
        print(f"  {label}: {rounds}")
    print("warm, 1 changed, pre-commit: best run / best floor run")
    print()
    for label, r in rows:
        floor, cold = r["floor"], r["cold -j1"]
        assert isinstance(floor, Run) and isinstance(cold, Run)
        print(
            f"{label}: cold -j1 {cold.seconds:.2f} s wall, CPU {cold.cpu:.2f} s"
            f" = {cold.cpu / floor.cpu:.3f}x the floor's CPU {floor.cpu:.2f} s;"
            f" floor {r['MB'] / floor.seconds:.2f} MB/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,2000,8000", help="comma-separated doc counts")
    parser.add_argument(
        "--dir", type=Path, action="append", default=[], help="bench this folder too"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="for (c)-(f)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (a)-(c), runs of (d)-(f)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] if args.sizes else []

    print(f"machine: {machine()}")
    print(f"load average at start: {load()}")
    rng = random.Random(args.seed)
    rows: list[tuple[str, dict[str, Run | float]]] = []
    with tempfile.TemporaryDirectory(prefix="formalai-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for folder in args.dir:
            copy = tmp / folder.resolve().name
            shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".git", CACHE))
            for path in copy.rglob("*"):
                path.chmod(path.stat().st_mode | 0o200)  # a read-only source stays read-only
            copy.chmod(copy.stat().st_mode | 0o200)
            rows.append(
                (folder.resolve().name[:13], bench_folder(copy, args.jobs, rng, args.repeat))
            )
            shutil.rmtree(copy)
        for n in sizes:
            out = tmp / f"synthetic-{n}"
            generate(out, n, args.seed)
            rows.append((f"synthetic {n}", bench_folder(out, args.jobs, rng, args.repeat)))
            shutil.rmtree(out)
        starts = {"as run": startup(tmp)}
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            # An editable checkout then compiles the tool's modules from source on every run,
            # while markdown_it's were compiled by pip when it was installed. `pip install .`
            # compiles the tool's modules too: an installed tool starts as measured here.
            starts["bytecode cached, as pip installs it"] = startup(tmp, with_bytecode(tmp))
    print()
    print_table(rows, args.jobs)
    synthetic = [r for label, r in rows if label.startswith("synthetic")]
    if len(synthetic) >= 2:
        small, large = synthetic[0], synthetic[-1]
        per_mb = [r["cold -j1"].seconds / r["MB"] for r in (small, large)]  # type: ignore[union-attr, operator]
        print(
            f"per-MB cost of cold -j1: {per_mb[1] * 1000:.0f} ms/MB at {large['docs']} docs vs"
            f" {per_mb[0] * 1000:.0f} ms/MB at {small['docs']} docs = {per_mb[1] / per_mb[0]:.2f}x"
            " (target <= 1.30)"
        )
    for how, (lint, configured, baseline) in starts.items():
        print(
            f"start-up ({how}), one small file: {lint * 1000:.0f} ms ({lint / baseline:.2f}x),"
            f" with a config file {configured * 1000:.0f} ms ({configured / baseline:.2f}x);"
            f" python -c 'import markdown_it': {baseline * 1000:.0f} ms (target <= 2x)"
        )
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
