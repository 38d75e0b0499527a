"""Parallel phase 1 and the on-disk cache: same output whatever the workers and the cache,
and a cache that is invalidated by edits and never trusted when it is damaged or foreign."""

from __future__ import annotations

import concurrent.futures
import io
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from formalai_lint import cache, engine, registry, source, workers
from formalai_lint.cli import main
from formalai_lint.config import load_settings
from formalai_lint.document import Document
from formalai_lint.rule import DocFacts, FileRule
from tests.conftest import python_output

FIXTURES = Path(__file__).parent / "fixtures"

README = """# 知识库总览

## 一、目录

- [知识库总览](#知识库总览)
  - [一、目录](#一目录)
  - [二、模块](#二模块)

## 二、模块

- [推理的边界](docs/a.md#三核心概念)
- [训练的代价](docs/b.md)
"""

A = """# 推理的边界

## 一、概述

推理的边界决定了模型能走多远。

## 二、目录

- [推理的边界](#推理的边界)
  - [一、概述](#一概述)
  - [二、目录](#二目录)
  - [三、核心概念](#三核心概念)
    - [3.1 定义](#31-定义)

## 三、核心概念

### 3.1 定义

设 $x$ 为输入，推理步骤记作 $f(x)$。

$$
C = 1 - \\frac{H}{H_{\\max}}
$$

参见 [训练的代价](b.md#二成本来源)。
"""

B = """# 训练的代价

## 一、概述

训练的代价来自数据与算力，见 [推理的边界](a.md#三核心概念)。
这里有一个不存在的文件：[旧笔记](old-notes.md)。
<!-- formalai-lint-disable-next-line FL201 -->
这一处是有意的：[跳到别处](#没有这一节)。

## 二、成本来源

| 来源 | 占比 |
| ---- | ---- |
| 算力 | 70% |
| 数据 | 30% |

## 三、相关主题

- [推理的边界](a.md) - 边界与代价
- [知识库总览](../README.md) - 回到总览
"""

C = """# 评估的方法

## 一、目录

- [评估的方法](#评估的方法)
  - [一、目录](#一目录)
  - [二、基准](#二基准)
  - [三、已删除的一节](#三已删除的一节)

## 二、基准

基准测试衡量 [训练的代价](b.md#二成本来源) 与 [推理](a.md#四不存在)。
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project (with findings of several kinds) as the working directory."""
    project = tmp_path / "kb"
    (project / "docs").mkdir(parents=True)
    (project / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (project / "README.md").write_text(README, encoding="utf-8")
    for name, text in (("a.md", A), ("b.md", B), ("c.md", C)):
        (project / "docs" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [".", *args], catch_exceptions=False)


def output(result: Result) -> tuple[int, bytes, str]:
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths `lint_file` parses in-process (use with --jobs 1)."""
    calls: list[str] = []
    real = workers.lint_file

    def spy(settings, path, rules):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(settings, path, rules)

    monkeypatch.setattr(workers, "lint_file", spy)
    return calls


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make even a tiny project use the worker pool, and record each pool's size."""
    created: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            created.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    return created


def cache_files(root: Path) -> list[Path]:
    return sorted((root / cache.DIR_NAME).glob("*.jsonl"))


def test_the_project_has_findings_of_several_kinds(root: Path) -> None:
    result = run("--no-cache", "--output-format", "json")
    codes = {d["code"] for d in json.loads(result.stdout)}
    assert result.exit_code == 1
    assert {"FL102", "FL202", "FL203"} <= codes
    assert "FL201" not in codes  # suppressed by the comment, which travels in the facts


def test_output_is_identical_for_jobs_and_cache_states(root: Path, pools: list[int]) -> None:
    reference = output(run("--no-cache", "--jobs", "1"))
    for fmt in ("text", "json"):
        expected = output(run("--no-cache", "--jobs", "1", "--output-format", fmt))
        assert output(run("--no-cache", "--jobs", "2", "--output-format", fmt)) == expected
    assert pools == [2, 2]  # the --jobs 2 runs really used two worker processes
    assert output(run("--jobs", "1")) == reference  # cold cache, written in-process
    assert output(run("--jobs", "1")) == reference  # warm
    assert output(run("--jobs", "2")) == reference  # warm, nothing left to parse
    for file in cache_files(root):
        file.unlink()
    assert output(run("--jobs", "2")) == reference  # cold cache, written from workers
    assert output(run("--jobs", "1")) == reference  # warm from what the workers wrote
    assert len(cache_files(root)) == 1
    assert pools == [2, 2, 2]  # the warm --jobs 2 run needed no pool


def test_warm_run_parses_nothing_and_an_edit_parses_one_file(root: Path, linted: list[str]) -> None:
    run("--jobs", "1")
    assert sorted(linted) == ["README.md", "docs/a.md", "docs/b.md", "docs/c.md"]
    linted.clear()
    run("--jobs", "1")
    assert linted == []
    (root / "docs" / "c.md").write_text(C + "\n补充一句。\n", encoding="utf-8")
    run("--jobs", "1")
    assert linted == ["docs/c.md"]


def test_a_warm_run_never_loads_the_parser(root: Path) -> None:
    """Nothing to parse, nothing of the parser imported (markdown-it-py: start-up time)."""
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom formalai_lint.cli import main\n"
        "result = CliRunner().invoke(main, ['.', '--jobs', '1'])\n"
        "print(result.exit_code, 'markdown_it' in sys.modules)\n"
    )
    assert python_output(code) == "1 True"  # cold: every document is parsed
    assert python_output(code) == "1 False"  # warm
    (root / "docs" / "c.md").write_text(C + "\n补充一句。\n", encoding="utf-8")
    assert python_output(code) == "1 True"  # one document changed: it is parsed


def test_renamed_heading_breaks_the_link_in_an_untouched_file(
    root: Path, linted: list[str]
) -> None:
    before = run("--jobs", "1", "--output-format", "json")
    assert not [d for d in json.loads(before.stdout) if d["text"] == "a.md#三核心概念"]
    linted.clear()
    a = root / "docs" / "a.md"
    a.write_text(A.replace("三、核心概念", "三、基本概念"), encoding="utf-8")

    after = run("--jobs", "1", "--output-format", "json")
    assert linted == ["docs/a.md"]  # b.md came from the cache, its link was checked again
    broken = [
        (d["path"], d["code"]) for d in json.loads(after.stdout) if d["text"] == "a.md#三核心概念"
    ]
    assert broken == [("docs/b.md", "FL203")]
    assert output(after) == output(run("--no-cache", "--output-format", "json"))


def test_the_link_into_a_renamed_heading_is_reported_once_per_link(root: Path) -> None:
    run("--jobs", "1")
    (root / "docs" / "a.md").write_text(A.replace("三、核心概念", "三、基本概念"), encoding="utf-8")
    warm = json.loads(run("--jobs", "1", "--output-format", "json").stdout)
    found = sorted((d["path"], d["line"], d["code"]) for d in warm if "三核心概念" in d["text"])
    # b.md line 5 (FL203), README line 11 (FL203); a.md's own TOC entry is now stale (FL102)
    assert found == [
        ("README.md", 11, "FL203"),
        ("docs/a.md", 12, "FL102"),
        ("docs/b.md", 5, "FL203"),
    ]


def damage(root: Path, edit: Callable[[list[str]], list[str]]) -> None:
    (file,) = cache_files(root)
    lines = file.read_text(encoding="utf-8").split("\n")
    file.write_text("\n".join(edit(lines)), encoding="utf-8")


def line_of(lines: list[str], path: str) -> int:
    return next(i for i, line in enumerate(lines) if f'\t"{path}"\t' in line)


def swap_body(lines: list[str]) -> list[str]:
    """Give b.md the (well-formed, correctly hashed) result of a.md: a foreign entry."""
    a, b = line_of(lines, "docs/a.md"), line_of(lines, "docs/b.md")
    digest, path, mac, _ = lines[b].split("\t", 3)
    lines[b] = "\t".join([digest, path, mac, lines[a].split("\t", 3)[3]])
    return lines


def flip_byte(lines: list[str]) -> list[str]:
    b = line_of(lines, "docs/b.md")
    lines[b] = lines[b].replace("old-notes.md", "old-notes.mx")
    return lines


def truncate(lines: list[str]) -> list[str]:
    b = line_of(lines, "docs/b.md")
    lines[b] = lines[b][: len(lines[b]) // 2]
    return lines


def garbage(lines: list[str]) -> list[str]:
    return [*lines[:2], "\x00\xff not a cache line", "x\ty\tz\tw", *lines[2:]]


@pytest.mark.parametrize("edit", [swap_body, flip_byte, truncate, garbage])
def test_a_damaged_entry_is_ignored_and_rebuilt(root: Path, linted: list[str], edit) -> None:  # type: ignore[no-untyped-def]
    reference = output(run("--no-cache"))
    run("--jobs", "1")
    damage(root, edit)
    linted.clear()
    assert output(run("--jobs", "1")) == reference
    assert linted == ([] if edit is garbage else ["docs/b.md"])
    linted.clear()
    assert output(run("--jobs", "1")) == reference
    assert linted == []  # the rewritten cache is sound again


def test_an_unreadable_cache_file_is_ignored(root: Path, linted: list[str]) -> None:
    reference = output(run("--no-cache"))
    run("--jobs", "1")
    (file,) = cache_files(root)
    file.write_bytes(b"\xff\xfe binary junk \x00")
    linted.clear()
    assert output(run("--jobs", "1")) == reference
    assert len(linted) == 4


def test_an_entry_from_another_configuration_is_not_trusted(root: Path, linted: list[str]) -> None:
    """Lines copied from the cache of `--select FL2` into the full run's cache are foreign."""
    reference = output(run("--no-cache"))
    run("--jobs", "1", "--select", "FL2")
    (narrow,) = cache_files(root)
    narrow_lines = narrow.read_text(encoding="utf-8").split("\n")
    run("--jobs", "1")
    (full,) = [f for f in cache_files(root) if f != narrow]
    full.write_text(
        "\n".join([full.read_text().split("\n")[0], *narrow_lines[1:]]), encoding="utf-8"
    )
    linted.clear()
    assert output(run("--jobs", "1")) == reference
    assert len(linted) == 4


def test_a_malformed_body_with_a_valid_mac_is_rebuilt(root: Path, linted: list[str]) -> None:
    reference = output(run("--no-cache"))
    run("--jobs", "1")
    settings = load_settings([root])
    key = cache.cache_key(settings, registry.enabled(settings))
    store = cache.Cache.open(root / cache.DIR_NAME, key)
    digest = source.digest(root / "docs/b.md")
    assert digest is not None
    store.put("docs/b.md", digest, b'{"path": "docs/b.md", "facts": 3}')
    store.save(frozenset({"README.md", "docs/a.md", "docs/b.md", "docs/c.md"}))
    linted.clear()
    assert output(run("--jobs", "1")) == reference
    assert linted == ["docs/b.md"]


def test_config_changes_use_another_cache(root: Path) -> None:
    run()
    (root / ".formalai-lint.toml").write_text('ignore = ["FL102"]\n', encoding="utf-8")
    warm = output(run())
    assert warm == output(run("--no-cache"))
    assert b"FL102" not in warm[1]
    assert len(cache_files(root)) == 2


def test_the_cache_key_covers_settings_and_rules(root: Path) -> None:
    settings = load_settings([root])
    rules = registry.enabled(settings)
    key = cache.cache_key(settings, rules)
    assert cache.cache_key(load_settings([root]), rules) == key  # stable between runs
    changed = [
        replace(settings, toc_pattern="^Contents$"),
        replace(settings, related_pattern="See also"),
        replace(settings, table={"levels": {"L0": {}}}),
        replace(settings, ignore=("FL101",)),
        replace(settings, root=root / "docs"),
    ]
    keys = {cache.cache_key(s, rules) for s in changed} | {cache.cache_key(settings, rules[1:])}
    assert key not in keys and len(keys) == len(changed) + 1


def test_the_cache_key_covers_the_installed_parser() -> None:
    """The parser's packages are found where they are installed, without importing them."""
    import markdown_it
    import mdit_py_plugins

    found = {Path(path): (size, mtime) for path, size, mtime in cache._parser_fingerprint()}
    assert set(found) == {Path(markdown_it.__file__), Path(mdit_py_plugins.__file__)}
    for path, (size, mtime) in found.items():
        assert (size, mtime) == (path.stat().st_size, path.stat().st_mtime_ns)


def test_deleted_files_leave_the_cache(root: Path) -> None:
    run()
    (root / "docs" / "c.md").unlink()
    run()
    (file,) = cache_files(root)
    assert '"docs/c.md"' not in file.read_text(encoding="utf-8")
    assert '"docs/b.md"' in file.read_text(encoding="utf-8")


def test_cache_folder_is_self_ignoring_and_tagged(root: Path) -> None:
    run()
    folder = root / cache.DIR_NAME
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert not list(folder.glob("*.tmp"))


def test_no_cache_writes_nothing(root: Path) -> None:
    run("--no-cache")
    assert not (root / cache.DIR_NAME).exists()


def test_cache_dir_outside_the_root_is_used_and_keyed_by_project(
    tmp_path: Path, root: Path
) -> None:
    shared = tmp_path / "shared-cache"
    reference = output(run("--no-cache"))
    assert output(run("--cache-dir", str(shared))) == reference
    assert output(run("--cache-dir", str(shared))) == reference
    assert not (root / cache.DIR_NAME).exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (other / "README.md").write_text("# 另一个项目\n\n见 [缺失](docs/a.md)。\n", encoding="utf-8")
    os.chdir(other)
    other_reference = output(run("--no-cache"))
    assert output(run("--cache-dir", str(shared))) == other_reference
    assert len(list(shared.glob("*.jsonl"))) == 2  # one per project: never mixed


def test_cache_dir_that_is_someone_elses_folder_is_refused(root: Path) -> None:
    result = run("--cache-dir", "docs")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "formalai-lint: error: --cache-dir: `"
        + str(root / "docs")
        + "` is not empty and is not a formalai-lint cache (it has no CACHEDIR.TAG);"
        " give an empty or new folder"
    ]
    (root / "notes.txt").write_text("x", encoding="utf-8")
    assert run("--cache-dir", "notes.txt").exit_code == 2


def test_read_only_project_is_linted_without_a_cache(root: Path) -> None:
    reference = output(run("--no-cache"))
    mode = root.stat().st_mode
    root.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        assert output(run()) == reference
        assert not (root / cache.DIR_NAME).exists()
        assert "without a cache" in run("-v").stderr
    finally:
        root.chmod(mode)


def test_jobs_must_be_positive(root: Path) -> None:
    result = CliRunner().invoke(main, [".", "--jobs", "0"])
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_a_crash_while_parsing_is_the_same_in_workers(
    root: Path, monkeypatch: pytest.MonkeyPatch, pools: list[int]
) -> None:
    real = workers.lint_file

    def crashes_on_c(settings, path, rules):  # type: ignore[no-untyped-def]
        if path == "docs/c.md":
            raise RecursionError("too deep")
        return real(settings, path, rules)

    monkeypatch.setattr(workers, "lint_file", crashes_on_c)  # inherited by forked workers
    serial = output(run("--no-cache", "--jobs", "1"))
    assert serial[0] == 2
    assert b"docs/c.md:1:1: FL002 parsing crashed: RecursionError: too deep" in serial[1]
    assert output(run("--no-cache", "--jobs", "2")) == serial
    assert output(run("--jobs", "1")) == serial
    assert output(run("--jobs", "1")) == serial  # a crashed file is not cached: it crashes again


def documents() -> Iterator[Path]:
    yield from sorted(FIXTURES.rglob("*.md"))


def test_every_fixture_round_trips_through_the_cache_format() -> None:
    settings = load_settings([FIXTURES])
    rules = [
        r for r in (cls(settings) for cls in registry.enabled(settings)) if hasattr(r, "check")
    ]
    file_rules = [r for r in rules if isinstance(r, FileRule)]
    count = 0
    for path in documents():
        rel = path.relative_to(settings.root).as_posix()
        try:
            doc = Document(rel, path.read_bytes().decode("utf-8-sig"), settings.parse_options)
        except UnicodeDecodeError:
            continue
        facts = DocFacts.of(doc)
        assert DocFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts
        result, _, _ = engine.lint_file(settings, rel, file_rules)
        back = cache.decode(cache.encode(result))
        assert back.facts == result.facts
        assert [d.to_json() for d in back.diagnostics] == [d.to_json() for d in result.diagnostics]
        count += 1
    assert count > 20


def test_the_cache_format_covers_every_field_of_a_file_result() -> None:
    from dataclasses import fields

    assert tuple(f.name for f in fields(engine.FileResult)) == cache.SERIALISED_FIELDS


def test_progress_is_drawn_only_when_enabled_and_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    quiet = workers.Progress(enabled=True, stream=stream)
    quiet.add(3)
    quiet.advance(3)  # within the first second: nothing
    quiet.close()
    assert stream.getvalue() == ""
    monkeypatch.setattr(workers, "PROGRESS_AFTER", 0.0)
    bar = workers.Progress(enabled=True, stream=stream)
    bar.add(4)
    bar.advance(1)
    bar.close()
    assert stream.getvalue().startswith("\rformalai-lint [")
    assert "1/4 files" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[K")
    off = io.StringIO()
    silent = workers.Progress(enabled=False, stream=off)
    silent.add(1)
    silent.advance(1)
    silent.close()
    assert off.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PROGRESS_AFTER", 0.0)
    result = run("--no-cache")
    assert "\r" not in result.stderr


def test_a_valid_config_is_remembered_and_an_invalid_one_still_refused(root: Path) -> None:
    run()
    assert not (root / cache.DIR_NAME / "valid-config").exists()  # no cache folder yet then
    run()
    assert (root / cache.DIR_NAME / "valid-config").is_file()
    (root / ".formalai-lint.toml").write_text('ignore = "FL102"\n', encoding="utf-8")
    result = run()
    assert result.exit_code == 2
    assert "`ignore`" in result.stderr and "Traceback" not in result.stderr
