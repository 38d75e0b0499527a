"""Changed-files mode (what a pre-commit hook runs): given only some files, the cross-file index
still comes from the whole project, and every file whose links point into the given files is
checked too. Last, the real hook, installed by `pre-commit` from a snapshot of this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formalai_lint import engine
from formalai_lint.cli import main
from formalai_lint.config import load_settings
from formalai_lint.session import Session

REPO = Path(__file__).resolve().parent.parent


def write(root: Path, docs: dict[str, str]) -> Path:
    for name, text in docs.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text('exclude = ["草稿"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return write(
        tmp_path,
        {
            "a.md": "# 甲\n\n见[乙的定义](b.md#定义)。\n",
            "b.md": "# 乙\n\n## 定义\n\n正文。\n",
            "c.md": "# 丙\n\n与 b 无关，见[甲](a.md)。\n",
        },
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def found(root: Path, *given: str) -> list[str]:
    with Session(load_settings([root])) as session:
        return session.dependents(list(given))


def test_renaming_a_heading_fails_the_untouched_file_that_links_to_it(project: Path) -> None:
    assert run("b.md")[0] == 0
    (project / "b.md").write_text("# 乙\n\n## 新的定义\n\n正文。\n", encoding="utf-8")
    code, out, err = run("b.md")
    assert code == 1
    assert out == "a.md:3:2: FL203 `b.md` has no heading or anchor `#定义`\n"
    assert "of 2 files checked" in err  # b.md and its dependent a.md, not c.md


def test_titles_and_anchors_of_files_not_given_are_known(project: Path) -> None:
    assert run("a.md")[0] == 0  # b.md#定义 resolves although b.md was not given


def test_dependents_follow_encoded_escaped_and_folder_links(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    write(
        tmp_path,
        {
            "概念/README.md": "# 概念\n",
            "概念/收敛.md": "# 收敛\n\n[上级](./) [根](../README.md)\n",
            "README.md": "# 根\n",
            "encoded.md": "# 编码\n\n[收敛](%E6%A6%82%E5%BF%B5/%E6%94%B6%E6%95%9B.md)\n",
            "escaped.md": "# 转义\n\n[收敛](概念/收敛\\.md) 与 [概念](概念)\n",
            "unrelated.md": "# 无关\n\n提到 收敛.md 但不是链接。\n",
            "other/deep.md": "# 深\n\n[向上](../)\n",
        },
    )
    assert found(tmp_path, "概念/收敛.md") == ["encoded.md", "escaped.md"]
    assert found(tmp_path, "概念/README.md") == ["escaped.md", "概念/收敛.md"]
    assert found(tmp_path, "README.md") == ["other/deep.md", "概念/收敛.md"]


def test_only_documents_whose_text_could_link_there_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    write(
        tmp_path,
        {
            "README.md": "# 根\n",
            "sub/a.md": "# 甲\n\n[乙](b.md) [根](../)\n",
            "sub/b.md": "# 乙\n\n[甲](a.md)\n",
            "sub/c.md": "# 丙\n\n提到 b.md 的文字。\n",
        },
    )
    parsed: list[str] = []
    original = engine.parse
    monkeypatch.setattr(
        engine,
        "parse",
        lambda settings, path, text: parsed.append(path) or original(settings, path, text),
    )
    assert found(tmp_path, "README.md") == ["sub/a.md"]
    assert parsed == ["sub/a.md"]  # the only one with a `.`/`..` link
    parsed.clear()
    assert found(tmp_path, "sub/b.md") == ["sub/a.md"]
    assert parsed == ["sub/a.md", "sub/c.md"]  # c.md names b.md: parsed, but no link


def test_excluded_files_are_not_added(project: Path) -> None:
    write(project, {"草稿/d.md": "# 丁\n\n[乙](../b.md#不存在)\n"})
    assert found(project, "b.md") == ["a.md"]


def test_a_folder_argument_does_not_add_dependents(project: Path) -> None:
    write(project, {"sub/b2.md": "# 乙二\n", "a2.md": "# 甲二\n\n[乙二](sub/b2.md#不存在)\n"})
    assert run("sub")[0] == 0  # only sub/ is reported on
    assert run("sub/b2.md")[0] == 1  # a file argument: a2.md is checked too


# -- the hooks ----------------------------------------------------------------------------


def test_the_mypy_hook_installs_what_pyproject_names() -> None:
    """This project's own mypy hook runs in an environment of its own: the runtime
    dependencies and the checker pins of the `test` extra, exactly as pyproject.toml names
    them (so that the hook and .ci/run check with the same packages)."""
    import yaml  # a dependency of pre-commit (the `test` extra)

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "mypy"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    checkers = [
        d for d in project["optional-dependencies"]["test"] if d.startswith(("mypy", "types-"))
    ]
    assert sorted(hook["additional_dependencies"]) == sorted(project["dependencies"] + checkers)
    assert hook["pass_filenames"] is False  # the files come from [tool.mypy]


def _git(*args: str, cwd: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def _snapshot(dest: Path) -> Path:
    """The checkout's working tree (tracked and untracked files, minus ignored ones) as a
    one-commit repository. try-repo on the checkout itself would miss new untracked files."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


def _run_hook(docs: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` in `docs`, whose .pre-commit-config.yaml names the hook repository,
    as a documentation repository adds it. The hook's environment is installed into `home`
    once and reused by later runs (`pre-commit try-repo` would install it afresh each time)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "formalai-lint", "--files", *files],
        cwd=docs,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow  # installs the hook's environment (pip, with the dependencies)
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.skipif(not (REPO / ".git").exists(), reason="the project is not a git checkout")
def test_the_pre_commit_hook(tmp_path: Path) -> None:
    pytest.importorskip(
        "pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')"
    )
    hook_repo = _snapshot(tmp_path / "hook")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    docs = write(
        tmp_path / "docs",
        {
            ".pre-commit-config.yaml": (
                f"repos:\n  - repo: {json.dumps(str(hook_repo))}\n    rev: {revision}\n"
                "    hooks:\n      - id: formalai-lint\n"
            ),
            "a.md": "# 甲\n\n见[乙的定义](b.md#定义)。\n",
            "b.md": "# 乙\n\n## 定义\n\n正文。\n",
            "clean.md": "# 干净\n\n见[乙](b.md)。\n",
            "broken.md": "# 坏\n\n见[不存在的文件](没有这个文件.md)。\n",
        },
    )
    _git("init", "-q", cwd=docs)
    _git("add", "-A", cwd=docs)
    _git("commit", "-q", "-m", "docs", cwd=docs)

    passed = _run_hook(docs, tmp_path / "home", "clean.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "formalai-lint" in passed.stdout and "Passed" in passed.stdout

    (docs / "b.md").write_text("# 乙\n\n## 改名后的定义\n\n正文。\n", encoding="utf-8")
    failed = _run_hook(docs, tmp_path / "home", "broken.md", "b.md")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "broken.md:3:2: FL202 `没有这个文件.md` does not exist" in failed.stdout
    assert "a.md:3:2: FL203 `b.md` has no heading or anchor `#定义`" in failed.stdout  # untouched
    assert "clean.md" not in failed.stdout
