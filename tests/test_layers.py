"""The package's layers (pyproject.toml, `[tool.importlinter]`): no module imports from a layer
above its own, so there is no import cycle; every module has a layer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "formalai_lint"


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [m.strip() for layer in contract["layers"] for m in layer.split("|")]


def test_every_module_has_a_layer() -> None:
    listed = set(_layers())
    modules = {
        f"formalai_lint.{p.stem if p.is_file() else p.name}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
        or (p.is_dir() and (p / "__init__.py").exists())
    }
    assert modules - listed == set(), "add the new module to a layer in pyproject.toml"
    assert listed - modules == set(), "a layer names a module that does not exist"


def test_no_module_imports_from_a_layer_above_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 kept, 0 broken" in out
