"""A non-editable install carries everything the tool reads at run time.

Builds the wheel, installs it into a fresh virtual environment outside the checkout, and runs
`formalai-lint rule FL101` and a config validation there. Slow (tens of seconds): it is the
one test that proves the wheel is complete.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.slow  # builds the wheel; one test installs it into a new environment


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("formalai_lint-*.whl")
    return built


def test_wheel_contains_rule_pages_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = {p.name for p in (ROOT / "rules").glob("FL*.md")}
    schemas = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert {f"formalai_lint/_data/rules/{p}" for p in pages} <= names
    assert {f"formalai_lint/_data/schemas/{s}" for s in schemas} <= names


def test_installed_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir)  # without its own pip: this one installs into it (`--python`)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    pip = [sys.executable, "-m", "pip", "--python", str(bin_dir / "python")]
    subprocess.run([*pip, "install", "-q", str(wheel)], check=True)
    exe = bin_dir / "formalai-lint"

    page = subprocess.run([exe, "rule", "FL101"], capture_output=True, text=True, cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("# FL101 toc-missing-entry")

    (tmp_path / ".formalai-lint.toml").write_text('ignore = ["FL9999"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# 标题\n", encoding="utf-8")
    bad = subprocess.run([exe, "a.md"], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2
    assert "`ignore[0]`" in bad.stderr and "Traceback" not in bad.stderr


def test_runtime_dependencies_are_bounded_below_their_next_major() -> None:
    """markdown.py imports markdown-it-py internals: a major release may move them. Every
    runtime dependency is bounded, and the versions installed here lie within the bounds."""
    import re
    from importlib.metadata import version

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for spec in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(?:,<([0-9]+))?(;.*)?", spec)
        assert match, spec
        bounds[match[1]] = (match[2], match[3], match[4])
    for name in ("markdown-it-py", "mdit-py-plugins", "jsonschema", "click", "pathspec"):
        low, high, _ = bounds[name]
        assert high is not None, f"{name} has no upper bound"
        installed = tuple(int(x) for x in re.findall(r"\d+", version(name))[:2])
        assert installed >= tuple(int(x) for x in low.split(".")[:2]), name
        assert installed[0] < int(high), f"{name} {version(name)} is not below {high}"
    assert "internals" in (root / "pyproject.toml").read_text(encoding="utf-8")
