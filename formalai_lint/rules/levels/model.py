"""The convergence level model: levels L0–L4, each with an adoption and a convergence range.

The default table is the one the FormalAI level documents state themselves. A project may
replace it with `[tool.formalai-lint.levels]`; the configured convergence ranges must
partition [0, 1] (no overlap, no gap), which `check_config` verifies at start-up.
All values are fractions: 40 % is 0.40.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from itertools import pairwise
from typing import Any, NamedTuple

from formalai_lint import lazyre
from formalai_lint.errors import ConfigError

LEVEL_ID = lazyre.compile(r"^L\d+$")
DEFAULT_APPROXIMATION_TOLERANCE = 2.5  # percentage points (FL406)
DEFAULT_ARITHMETIC_TOLERANCE = 0.0005  # absolute (FL405)


class Interval(NamedTuple):
    """A range of fractions with explicit inclusive/exclusive bounds."""

    low: float = 0.0
    high: float = 1.0
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, x: float) -> bool:
        eps = 1e-9
        above = x > self.low + eps or (self.low_inclusive and abs(x - self.low) <= eps)
        below = x < self.high - eps or (self.high_inclusive and abs(x - self.high) <= eps)
        return above and below

    def intersects(self, other: Interval) -> bool:
        """Whether some value lies in both ranges."""
        low, low_inc = max(
            (self.low, self.low_inclusive),
            (other.low, other.low_inclusive),
            key=lambda b: (b[0], not b[1]),
        )
        high, high_inc = min(
            (self.high, self.high_inclusive),
            (other.high, other.high_inclusive),
            key=lambda b: (b[0], b[1]),
        )
        if abs(low - high) <= 1e-9:
            return low_inc and high_inc
        return low < high

    @property
    def is_point(self) -> bool:
        return abs(self.low - self.high) <= 1e-9

    def same_as(self, other: Interval) -> bool:
        return (
            abs(self.low - other.low) <= 1e-9
            and abs(self.high - other.high) <= 1e-9
            and (self.low_inclusive == other.low_inclusive or self.low <= 1e-9)
            and (self.high_inclusive == other.high_inclusive or self.high >= 1 - 1e-9)
        )

    def describe(self, var: str = "C", percent: bool = False) -> str:
        """`0.60 < C ≤ 0.80`, `C > 0.95`, `a = 100%`, `50% ≤ a ≤ 70%`."""

        def num(x: float) -> str:
            return f"{x * 100:g}%" if percent else f"{x:.2f}"

        if self.is_point:
            return f"{var} = {num(self.low)}"
        lower = self.low > 1e-9 or not self.low_inclusive
        upper = self.high < 1 - 1e-9 or not self.high_inclusive
        low_op = "≤" if self.low_inclusive else "<"
        high_op = "≤" if self.high_inclusive else "<"
        if lower and upper:
            return f"{num(self.low)} {low_op} {var} {high_op} {num(self.high)}"
        if lower:
            return f"{var} {'≥' if self.low_inclusive else '>'} {num(self.low)}"
        if upper:
            return f"{var} {high_op} {num(self.high)}"
        return f"any {var}"


class Level(NamedTuple):
    id: str  # "L2"
    name: str  # "收敛进行时（双寡头竞争）"
    convergence: Interval
    adoption: Interval | None = None  # the leading solution's adoption


class Words(NamedTuple):
    """The words the level rules read, as labels (markup and spaces dropped)."""

    adoption: tuple[str, ...] = ("采用率", "2025采用率")  # row/column labels of adoption
    convergence: tuple[str, ...] = ("收敛度",)  # row/column labels, and prose `收敛度 X%`
    definition_headings: tuple[str, ...] = ("收敛状态",)  # a definition table's heading holds one
    definition_columns: tuple[str, ...] = ("特征",)  # a definition table's value column holds one


class LevelModel(NamedTuple):
    levels: tuple[Level, ...]
    approximation_tolerance: float = DEFAULT_APPROXIMATION_TOLERANCE
    arithmetic_tolerance: float = DEFAULT_ARITHMETIC_TOLERANCE
    words: Words = Words()

    def get(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def by_convergence(self, value: float) -> Level | None:
        return next((lv for lv in self.levels if lv.convergence.contains(value)), None)


DEFAULT_LEVELS = (
    Level("L4", "完全收敛（工业标准）", Interval(0.95, 1.0, False, True), Interval(1.0, 1.0)),
    Level("L3", "准收敛（事实垄断）", Interval(0.80, 0.95, False, True), Interval(0.90, 1.0)),
    Level(
        "L2", "收敛进行时（双寡头竞争）", Interval(0.60, 0.80, False, True), Interval(0.50, 0.70)
    ),
    Level(
        "L1",
        "未收敛（百家争鸣）",
        Interval(0.30, 0.60, True, True),
        Interval(0.0, 0.50, True, False),
    ),
    Level(
        "L0",
        "反向分化（场景撕裂）",
        Interval(0.0, 0.30, True, False),
        Interval(0.0, 0.30, True, False),
    ),
)
DEFAULT_MODEL = LevelModel(DEFAULT_LEVELS)
# `[tool.formalai-lint.levels]` keys of the words -> `Words` fields
WORD_KEYS = {
    "adoption-labels": "adoption",
    "convergence-labels": "convergence",
    "definition-headings": "definition_headings",
    "definition-columns": "definition_columns",
}


def _interval(data: Mapping[str, Any]) -> Interval:
    return Interval(
        float(data.get("min", 0.0)),
        float(data.get("max", 1.0)),
        bool(data.get("min-inclusive", True)),
        bool(data.get("max-inclusive", True)),
    )


def model_from_table(table: Mapping[str, Any] | None, source: str = "configuration") -> LevelModel:
    """The level model of a (schema-valid) `levels` table; raise ConfigError if unsound.

    Levels given in the table replace the default ones as a whole; the tolerances and the
    words may be set alone, keeping the default levels.
    """
    table = table or {}
    defined = [(key, value) for key, value in table.items() if LEVEL_ID.match(key)]
    if defined:
        levels = tuple(
            Level(
                key,
                str(value.get("name", "")),
                _interval(value.get("convergence", {})),
                _interval(value["adoption"]) if "adoption" in value else None,
            )
            for key, value in defined
        )
        check_partition(levels, source)
    else:
        levels = DEFAULT_LEVELS
    default = Words()
    words = Words(
        **{name: tuple(table.get(key, getattr(default, name))) for key, name in WORD_KEYS.items()}
    )
    return LevelModel(
        levels,
        float(table.get("approximation-tolerance", DEFAULT_APPROXIMATION_TOLERANCE)),
        float(table.get("arithmetic-tolerance", DEFAULT_ARITHMETIC_TOLERANCE)),
        words,
    )


def check_partition(levels: tuple[Level, ...], source: str) -> None:
    """Raise ConfigError unless the convergence ranges cover [0, 1] exactly once."""
    where = f"{source}: `levels`"
    for lv in levels:
        c = lv.convergence
        if c.low > c.high or (c.is_point and not (c.low_inclusive and c.high_inclusive)):
            raise ConfigError(f"{where}: {lv.id}'s convergence range {c.describe()} is empty")
    ordered = sorted(levels, key=lambda lv: (lv.convergence.low, not lv.convergence.low_inclusive))
    first, last = ordered[0].convergence, max(ordered, key=lambda lv: lv.convergence.high)
    if first.low > 1e-9 or not first.low_inclusive:
        raise ConfigError(
            f"{where}: convergence ranges leave a gap below {ordered[0].id} "
            f"({first.describe()}); they must cover [0, 1]"
        )
    for a, b in pairwise(ordered):
        x, y = a.convergence, b.convergence
        touching = abs(x.high - y.low) <= 1e-9
        if x.high > y.low + 1e-9 or (touching and x.high_inclusive and y.low_inclusive):
            raise ConfigError(
                f"{where}: convergence ranges of {a.id} ({x.describe()}) and "
                f"{b.id} ({y.describe()}) overlap"
            )
        if not touching or not (x.high_inclusive or y.low_inclusive):
            raise ConfigError(
                f"{where}: convergence ranges leave a gap between {a.id} ({x.describe()}) "
                f"and {b.id} ({y.describe()})"
            )
    top = last.convergence
    if top.high < 1 - 1e-9 or not top.high_inclusive:
        raise ConfigError(
            f"{where}: convergence ranges leave a gap above {last.id} "
            f"({top.describe()}); they must cover [0, 1]"
        )


def check_config(table: Mapping[str, Any], source: str) -> None:
    """Start-up check of the `levels` table of a schema-valid configuration."""
    if "levels" in table:
        model_from_table(table["levels"], source)


@cache
def _from_json(text: str) -> LevelModel:
    return model_from_table(json.loads(text))


def model(settings_table: Mapping[str, Any]) -> LevelModel:
    """The level model of a configuration table (already checked by `check_config`)."""
    table = settings_table.get("levels")
    if not table:
        return DEFAULT_MODEL
    return _from_json(json.dumps(table, sort_keys=True))


# --- which level a document is about ----------------------------------------------------------

_FILE_LEVEL = lazyre.compile(r"^\d+(?:\.\d+)*-(L\d+)-")
_TITLE_LEVEL = lazyre.compile(r"^\s*\d+(?:\.\d+)*-(L\d+)(?=[:：\s\-]|$)")


def file_level(path: str) -> str | None:
    """`concepts/03-…/03.1.5-L0-反向分化（场景撕裂）.md` -> `L0`."""
    match = _FILE_LEVEL.match(path.rsplit("/", 1)[-1])
    return match[1] if match else None


def title_level(title: str | None) -> str | None:
    """`03.1.5-L0: 反向分化（场景撕裂）` -> `L0`."""
    match = _TITLE_LEVEL.match(title or "")
    return match[1] if match else None


def front_matter_level(front_matter: Mapping[str, str]) -> str | None:
    value = front_matter.get("level", "").strip()
    return value or None
