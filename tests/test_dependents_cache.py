"""Changed-files mode with a warm cache: documents whose cached result is current are
screened by their cached link paths (no file is parsed, and only results that could link into
the given files are decoded); the answers are those of a run without a cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from formalai_lint import cache, engine
from formalai_lint.config import load_settings
from formalai_lint.session import Session
from formalai_lint.workers import RunOptions

DOCS = {
    "README.md": "# 根\n\n[概念](概念/) [甲](sub/a.md)\n",
    "概念/README.md": "# 概念\n",
    "概念/收敛.md": "# 收敛\n\n[上级](./) [根](../README.md)\n",
    "encoded.md": "# 编码\n\n[收敛](%E6%A6%82%E5%BF%B5/%E6%94%B6%E6%95%9B.md)\n",
    "escaped.md": '# 转义\n\n[收敛](概念/收敛\\.md) 与 [概念](概念) 与 [引号](q"uote.md)\n',
    "unrelated.md": "# 无关\n\n提到 收敛.md 但不是链接。\n",
    'q"uote.md': "# 引号\n",
    "sub/a.md": "# 甲\n\n[乙](b.md) [根](../)\n",
    "sub/b.md": "# 乙\n\n[甲](a.md)\n",
    "sub/c.md": "# 丙\n\n提到 b.md 的文字。\n",
}
QUESTIONS = ["概念/收敛.md", "概念/README.md", "README.md", "sub/b.md", 'q"uote.md']


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    for name, text in DOCS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def session(root: Path, options: RunOptions | None = None) -> Session:
    return Session(load_settings([root]), options)


def answers(root: Path, options: RunOptions | None) -> dict[str, list[str]]:
    return {given: session(root, options).dependents([given]) for given in QUESTIONS}


def warm(root: Path, options: RunOptions) -> None:
    with session(root, options) as run:
        run.lint(sorted(p for p in run.files if p.endswith(".md")))


def record(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    parsed: list[str] = []
    decoded: list[str] = []
    parse, decode = engine.parse, cache.decode
    monkeypatch.setattr(
        engine, "parse", lambda s, path, text: parsed.append(path) or parse(s, path, text)
    )

    def decoding(body: bytes) -> engine.FileResult:
        result = decode(body)
        decoded.append(result.path)
        return result

    monkeypatch.setattr(cache, "decode", decoding)
    return parsed, decoded


def test_warm_cache_gives_the_same_dependents_without_parsing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = answers(root, None)
    assert uncached["sub/b.md"] == ["sub/a.md"]
    assert uncached['q"uote.md'] == ["escaped.md"]
    options = RunOptions(cache_dir=root / cache.DIR_NAME)
    warm(root, options)
    parsed, decoded = record(monkeypatch)
    assert answers(root, options) == uncached
    assert parsed == []
    decoded.clear()
    session(root, options).dependents(["sub/b.md"])
    assert decoded == ["sub/a.md"]  # sub/c.md names b.md in its text, not in a link: not decoded


def test_a_document_changed_since_it_was_cached_is_screened_by_its_text(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = RunOptions(cache_dir=root / cache.DIR_NAME)
    warm(root, options)
    (root / "unrelated.md").write_text(
        "# 无关\n\n现在链接到[收敛](概念/收敛.md)。\n", encoding="utf-8"
    )
    parsed, _ = record(monkeypatch)
    assert session(root, options).dependents(["概念/收敛.md"]) == [
        "encoded.md",
        "escaped.md",
        "unrelated.md",
    ]
    assert parsed == ["unrelated.md"]


def test_a_corrupted_cache_entry_is_not_used_to_screen(root: Path) -> None:
    options = RunOptions(cache_dir=root / cache.DIR_NAME)
    warm(root, options)
    (cache_file,) = (root / cache.DIR_NAME).glob("*.jsonl")
    lines = cache_file.read_bytes().split(b"\n")
    # hide the link to b.md in a.md's entry: a screen trusting it would miss a.md
    lines = [line.replace(b"b.md", b"x.md") if b'"sub/a.md"' in line else line for line in lines]
    cache_file.write_bytes(b"\n".join(lines))
    assert session(root, options).dependents(["sub/b.md"]) == ["sub/a.md"]
