"""Git-aware discovery: a folder search skips what git ignores (`.gitignore` at every level,
`.git/info/exclude`), checked against git itself on a real repository; named paths follow
ruff's `--force-exclude` logic; `--no-respect-gitignore` and `respect-gitignore` turn it off."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import python_output
from tests.conftest import run_cli as run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BROKEN = "# 坏\n\n见[不存在的文件](没有这个文件.md)。\n"
CLEAN = "# 好\n\n正文。\n"


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {
        ".gitignore": "# build output\nbuild/\n*.log.md\n/top-only.md\n",
        "docs/.gitignore": "_*\n!_kept.md\ngenerated/**\n",
        "docs/sub/.gitignore": "!again.log.md\n",
        "README.md": CLEAN,
        "top-only.md": BROKEN,
        "build/out.md": BROKEN,
        "docs/top-only.md": CLEAN,  # `/top-only.md` is anchored at the root
        "docs/a.md": CLEAN,
        "docs/x.log.md": BROKEN,
        "docs/sub/again.log.md": CLEAN,  # re-included by the deeper .gitignore
        "docs/_draft.md": BROKEN,
        "docs/_kept.md": CLEAN,
        "docs/generated/page.md": BROKEN,
        "docs/build/deep.md": BROKEN,  # `build/` matches at any depth
        "private/notes.md": BROKEN,  # .git/info/exclude
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("private/\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def linted(*args: str) -> list[str]:
    """The files a run checked (as JUnit lists them)."""
    code, out, _ = run(*args, "--output-format", "junit", "--no-cache")
    assert code in (0, 1), out
    return sorted(
        line.split('file="')[1].split('"')[0] for line in out.splitlines() if 'file="' in line
    )


def not_ignored_by_git(root: Path) -> list[str]:
    listed = git(root, "ls-files", "--cached", "--others", "--exclude-standard")
    return sorted(p for p in listed.splitlines() if p.endswith(".md"))


def test_a_folder_search_skips_exactly_what_git_ignores(repo: Path) -> None:
    expected = not_ignored_by_git(repo)
    assert expected == [
        "README.md",
        "docs/_kept.md",
        "docs/a.md",
        "docs/sub/again.log.md",
        "docs/top-only.md",
    ]
    assert linted() == expected
    code, out, _ = run("--no-cache")
    assert (code, out) == (0, "")  # every broken document is ignored


def test_respect_gitignore_can_be_turned_off(repo: Path) -> None:
    everything = sorted(
        p.relative_to(repo).as_posix() for p in repo.rglob("*.md") if ".git" not in p.parts
    )
    assert linted("--no-respect-gitignore") == everything
    (repo / ".formalai-lint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert linted() == everything
    assert linted("--respect-gitignore") == not_ignored_by_git(repo)


def test_a_named_ignored_path_is_linted_unless_force_exclude(repo: Path) -> None:
    code, out, _ = run("build/out.md", "--no-cache")
    assert code == 1 and out.startswith("build/out.md:3:2: FL202")
    assert linted("build") == ["build/out.md"]  # a named folder is searched
    assert run("build/out.md", "--no-cache", "--force-exclude")[:2] == (0, "")
    assert linted("build", "--force-exclude") == []
    assert linted("docs", "--force-exclude") == [
        "docs/_kept.md",
        "docs/a.md",
        "docs/sub/again.log.md",
        "docs/top-only.md",
    ]


def test_an_ignored_file_linking_into_a_named_one_is_not_checked(repo: Path) -> None:
    (repo / "docs/_draft.md").write_text("# 稿\n\n[甲](a.md#不存在)\n", encoding="utf-8")
    (repo / "docs/b.md").write_text("# 乙\n\n[甲](a.md#不存在)\n", encoding="utf-8")
    code, out, _ = run("docs/a.md", "--no-cache", "--force-exclude")
    assert code == 1
    assert out == "docs/b.md:3:1: FL203 `a.md` has no heading or anchor `#不存在`\n"


def test_gitignore_files_above_the_project_root_count(repo: Path) -> None:
    (repo / "docs" / ".formalai-lint.toml").write_text("", encoding="utf-8")
    os.chdir(repo / "docs")
    assert linted(".") == ["_kept.md", "a.md", "sub/again.log.md", "top-only.md"]


def test_outside_a_git_repository_nothing_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".gitignore").write_text("*.md\n", encoding="utf-8")  # not a repository
    (tmp_path / "a.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert linted() == ["a.md"]


def test_files_of_comments_only_load_no_matcher(tmp_path: Path) -> None:
    """`git init` writes a `.git/info/exclude` of comments only. With no pattern anywhere,
    nothing is ignored and pathspec is not even imported (start-up time)."""
    git(tmp_path, "init", "-q")
    assert "#" in (tmp_path / ".git" / "info" / "exclude").read_text(encoding="utf-8")
    (tmp_path / ".gitignore").write_text("# nothing yet\n\n   \n", encoding="utf-8")
    code = (
        "import sys\nfrom pathlib import Path\nfrom formalai_lint import gitignore\n"
        f"found = gitignore.load(Path({str(tmp_path)!r}), ['.gitignore'], 1 << 20)\n"
        "print(found, 'pathspec' in sys.modules)\n"
    )
    assert python_output(code) == "None False"
    (tmp_path / ".gitignore").write_text("# drafts\n_*\n", encoding="utf-8")
    assert python_output(code) != "None False"  # one pattern is enough
