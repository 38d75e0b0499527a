"""The registry reads rule entry points without importing importlib.metadata (start-up time);
what it finds must be what importlib.metadata finds."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from formalai_lint import registry


def _pairs(found: object) -> list[tuple[str, str]]:
    return [(e.name, e.value) for e in found]  # type: ignore[attr-defined]


def test_scan_finds_what_importlib_metadata_finds() -> None:
    assert registry._plain_paths()
    scanned = _pairs(registry._scan())
    assert scanned == _pairs(entry_points(group=registry.GROUP))
    assert "FL201" not in dict(scanned)  # built-in rules are found by their modules instead


def _dist(folder: Path, name: str, body: str) -> None:
    (folder / name).mkdir(parents=True)
    (folder / name / "entry_points.txt").write_text(body, encoding="utf-8")


def test_scan_follows_path_order_and_first_distribution_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    group = f"[{registry.GROUP}]\n"
    _dist(
        first,
        "My_Plugin-1.0.dist-info",
        f"# comment\n[other]\nX = a:b\n\n{group} FL990 = pkg.one:Rule \n",
    )
    _dist(second, "my.plugin-2.0.dist-info", f"{group}FL991 = pkg.two:Rule\n")
    _dist(second, "another-0.1.egg-info", f"{group}FL992 = pkg.three:Outer.Rule\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    scanned = _pairs(registry._scan())
    assert scanned == _pairs(entry_points(group=registry.GROUP))
    assert scanned == [("FL990", "pkg.one:Rule"), ("FL992", "pkg.three:Outer.Rule")]


def test_zipped_paths_fall_back_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    assert not registry._plain_paths()


def test_entry_point_loads_nested_attribute() -> None:
    entry = registry._EntryPoint("x", "formalai_lint.rule : Rule.diagnostic")
    assert entry.load() is registry.Rule.diagnostic
