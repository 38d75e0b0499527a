"""The level model: the default table, loading it from config, and rejecting unsound tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from formalai_lint import registry
from formalai_lint.config import ConfigError, load_settings
from formalai_lint.rules.levels import model as levels
from formalai_lint.rules.levels.model import DEFAULT_MODEL, Interval, model_from_table


def test_default_levels_partition_zero_to_one() -> None:
    levels.check_partition(DEFAULT_MODEL.levels, "default")  # does not raise
    for value, level_id in [
        (0.0, "L0"),
        (0.29, "L0"),
        (0.30, "L1"),
        (0.60, "L1"),
        (0.61, "L2"),
        (0.80, "L2"),
        (0.85, "L3"),
        (0.95, "L3"),
        (0.951, "L4"),
        (1.0, "L4"),
    ]:
        found = DEFAULT_MODEL.by_convergence(value)
        assert found is not None and found.id == level_id, value


def test_default_adoption_bounds() -> None:
    adoption = {lv.id: lv.adoption for lv in DEFAULT_MODEL.levels}
    assert adoption["L4"] == Interval(1.0, 1.0)
    assert (
        adoption["L3"] is not None
        and adoption["L3"].contains(0.9)
        and not adoption["L3"].contains(0.89)
    )
    assert (
        adoption["L2"] is not None and adoption["L2"].contains(0.5) and adoption["L2"].contains(0.7)
    )
    assert adoption["L1"] is not None and not adoption["L1"].contains(0.5)
    assert (
        adoption["L0"] is not None
        and not adoption["L0"].contains(0.3)
        and adoption["L0"].contains(0.29)
    )


def test_interval_describe_and_intersects() -> None:
    assert Interval(0.6, 0.8, False, True).describe() == "0.60 < C ≤ 0.80"
    assert Interval(0.95, 1.0, False, True).describe() == "C > 0.95"
    assert Interval(0.0, 0.3, True, False).describe("a", percent=True) == "a < 30%"
    assert Interval(1.0, 1.0).describe("a", percent=True) == "a = 100%"
    assert not Interval(0.0, 0.3, True, False).intersects(Interval(0.3, 0.3))
    assert Interval(0.0, 0.3, True, True).intersects(Interval(0.3, 1.0))
    assert Interval(0.9, 1.0).intersects(Interval(1.0, 1.0))


def _table(**conv: dict[str, object]) -> dict[str, object]:
    return {level_id: {"convergence": c} for level_id, c in conv.items()}


def test_configured_levels_replace_the_default() -> None:
    model = model_from_table(_table(L0={"max": 0.5, "max-inclusive": False}, L1={"min": 0.5}))
    assert [lv.id for lv in model.levels] == ["L0", "L1"]
    assert model.get("L4") is None
    found = model.by_convergence(0.5)
    assert found is not None and found.id == "L1"


def test_tolerances_alone_keep_the_default_levels() -> None:
    model = model_from_table({"approximation-tolerance": 5})
    assert model.levels == DEFAULT_MODEL.levels and model.approximation_tolerance == 5


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (_table(L0={"max": 0.3}, L1={"min": 0.3}), ["L0", "L1", "overlap"]),
        (
            _table(L0={"max": 0.3, "max-inclusive": False}, L1={"min": 0.25}),
            ["L0", "L1", "overlap"],
        ),
        (_table(L0={"max": 0.3, "max-inclusive": False}, L1={"min": 0.35}), ["L0", "L1", "gap"]),
        (
            _table(
                L0={"max": 0.3, "max-inclusive": False}, L1={"min": 0.3, "min-inclusive": False}
            ),
            ["gap"],
        ),
        (_table(L1={"min": 0.2}), ["gap below L1"]),
        (_table(L0={"max": 0.9}), ["gap above L0"]),
        (_table(L0={"min": 0.5, "max": 0.4}, L1={}), ["L0", "empty"]),
    ],
)
def test_unsound_tables_are_rejected_naming_the_levels(
    table: dict[str, object], words: list[str]
) -> None:
    with pytest.raises(ConfigError) as error:
        model_from_table(table, "cfg.toml")
    for word in words:
        assert word in str(error.value)


def test_bad_level_table_fails_at_start_up(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text(
        "[levels.L0]\nconvergence = {max = 0.3}\n[levels.L1]\nconvergence = {min = 0.3}\n",
        encoding="utf-8",
    )
    settings = load_settings([tmp_path])
    with pytest.raises(ConfigError, match=r"L0.*L1.*overlap"):
        registry.check_settings(settings)  # the level rules' check_settings


def test_schema_rejects_values_outside_zero_one(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text(
        "[levels.L0]\nconvergence = {max = 30}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"levels\.L0\.convergence\.max"):
        load_settings([tmp_path])


def test_model_of_settings_uses_the_config() -> None:
    table = {"levels": _table(L0={"max": 0.5, "max-inclusive": False}, L1={"min": 0.5})}
    assert [lv.id for lv in levels.model(table).levels] == ["L0", "L1"]
    assert levels.model({}) is DEFAULT_MODEL


@pytest.mark.parametrize(
    ("path", "title", "front", "expected"),
    [
        ("concepts/03/03.1.5-L0-反向分化（场景撕裂）.md", None, {}, ("L0", None, None)),
        ("x.md", "03.1.5-L0: 反向分化（场景撕裂）", {}, (None, "L0", None)),
        ("x.md", "关于 L0 的笔记", {"level": "L2"}, (None, None, "L2")),
        ("CONVERGENCE_L0_L4_MATRIX.md", "L0–L4 矩阵", {}, (None, None, None)),
    ],
)
def test_where_a_document_states_its_level(
    path: str, title: str | None, front: dict[str, str], expected: tuple[str | None, ...]
) -> None:
    found = (levels.file_level(path), levels.title_level(title), levels.front_matter_level(front))
    assert found == expected


def test_the_words_are_configuration_with_todays_words_as_defaults() -> None:
    assert DEFAULT_MODEL.words == levels.Words(
        ("采用率", "2025采用率"), ("收敛度",), ("收敛状态",), ("特征",)
    )
    words = model_from_table({"convergence-labels": ["收敛程度"]}).words
    assert words.convergence == ("收敛程度",) and words.adoption == DEFAULT_MODEL.words.adoption
    assert model_from_table({"convergence-labels": ["收敛程度"]}).levels == DEFAULT_MODEL.levels


def test_a_label_with_markup_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / ".formalai-lint.toml").write_text(
        '[levels]\nadoption-labels = ["**采用率**"]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"adoption-labels\[0\].*without spaces or Markdown"):
        load_settings([tmp_path])
