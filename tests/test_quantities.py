"""Reading percent expressions and weighted-sum formulas: every form the documents use."""

from __future__ import annotations

import pytest

from formalai_lint.rules.levels.model import Interval
from formalai_lint.rules.levels.quantities import (
    cell_value,
    evaluate,
    formulas,
    leading,
    percents,
    read_formula,
)

FULL = Interval(0.0, 1.0)


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("40%", Interval(0.4, 0.4)),
        ("**40%**", Interval(0.4, 0.4)),
        ("0.40", Interval(0.4, 0.4)),
        ("90%+", Interval(0.9, 1.0)),
        ("90%以上", Interval(0.9, 1.0)),
        (">90%", Interval(0.9, 1.0, False, True)),
        ("≥90%", Interval(0.9, 1.0)),
        ("超过 30%", Interval(0.3, 1.0, False, True)),
        ("<30%", Interval(0.0, 0.3, True, False)),
        ("< 1%", Interval(0.0, 0.01, True, False)),
        ("≤30%", Interval(0.0, 0.3)),
        ("30%以下", Interval(0.0, 0.3)),
        ("不超过30%", Interval(0.0, 0.3)),
        ("50-70%", Interval(0.5, 0.7)),
        ("50–70%", Interval(0.5, 0.7)),
        ("50%-70%", Interval(0.5, 0.7)),
        ("100%新产品采用", Interval(1.0, 1.0)),
        ("100%（实现层面）", Interval(1.0, 1.0)),
    ],
)
def test_percent_forms(text: str, interval: Interval) -> None:
    values = cell_value(text)
    assert len(values) == 1
    got = values[0].interval
    assert (got.low, got.high, got.low_inclusive, got.high_inclusive) == pytest.approx(
        (interval.low, interval.high, interval.low_inclusive, interval.high_inclusive)
    )


@pytest.mark.parametrize(
    "text", ["大约一半", "★★★★☆", "128K+", "GPT-4、Claude 3.5", "70-50%", "150%", "O(N²)"]
)
def test_unreadable_cells_give_nothing(text: str) -> None:
    assert cell_value(text) == []


def test_several_values_and_the_leading_one() -> None:
    values = percents("90%+ vs 5%")
    assert [v.text for v in values] == ["90%+", "5%"]
    top = leading(cell_value("<1%") + cell_value("99%+") + cell_value("10%+"))
    assert top is not None and top.text == "99%+"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.3 * 0.4 + 0.7", 0.82),
        ("0.2 * (1 - 0.3)", 0.14),
        ("-1 + 2", 1.0),
        ("x + 1", None),
        ("", None),
    ],
)
def test_evaluate(text: str, value: float | None) -> None:
    result = evaluate(text)
    assert (result is None) == (value is None)
    if value is not None:
        assert result == pytest.approx(value)


@pytest.mark.parametrize(
    "line",
    [
        r"\text{收敛度} = 0.3 \times 0.40 + 0.3 \times 0.30 + 0.2 \times 0.30 + 0.2 \times 0.50 = 0.35 \approx 10\%",
        r"\text{收敛度} = 0.3 × 0.40 + 0.3 × 0.30 + 0.2 × 0.30 + 0.2 × 0.50 = 0.35 ≈ 10%",
        r"\text{收敛度} = 0.3 * 0.40 + 0.3 * 0.30 + 0.2 * 0.30 + 0.2 * 0.50 = 0.35 \approx 10\%",
        r"\text{收敛度} = 0.3 \cdot 0.40 + 0.3 \cdot 0.30 + 0.2 \cdot (1 - 0.70) + 0.2 \cdot 0.50 = 0.35 \approx 10\%",
    ],
)
def test_formula_forms(line: str) -> None:
    f = read_formula(line, 7, 1)
    assert f is not None and f.line == 7
    assert f.lhs == "收敛度"
    assert f.computed == pytest.approx(0.37)
    assert f.stated == pytest.approx(0.35) and f.stated_text == "0.35"
    assert f.approx == pytest.approx(0.10)
    assert f.weights == pytest.approx([0.3, 0.3, 0.2, 0.2])


def test_symbolic_formula_keeps_its_weights() -> None:
    line = r"\text{收敛度} = 0.25 \times \text{采用率} + 0.25 \times \text{标准化度} + 0.2 \times (1 - \text{争议度}) + 0.3 \times \text{理论完备度}"
    f = read_formula(line, 1, 1)
    assert f is not None and f.computed is None and f.stated is None
    assert f.weights == pytest.approx([0.25, 0.25, 0.2, 0.3])


def test_chain_uses_the_last_numeric_sum() -> None:
    f = read_formula(
        r"\text{ARI} = 0.15 + 0.60 \times (1 - e^{-3}) = 0.15 + 0.60 \times 0.95 = 0.72", 1, 1
    )
    assert f is not None and f.computed == pytest.approx(0.72) and f.stated == pytest.approx(0.72)


@pytest.mark.parametrize(
    "line",
    [
        r"C_0(T) < 0.30 \iff T \text{ 反向分化}",
        r"\text{Cost} = O(N^2 \times d)",
        r"C = w_1 \cdot 0.8 + w_2 \cdot 0.6",
        r"\text{Var}(X) = \frac{1}{d_k} \cdot d_k = 1",
        r"\begin{aligned}",
    ],
)
def test_lines_that_are_not_weighted_sums_are_skipped(line: str) -> None:
    assert read_formula(line, 1, 1) is None


def test_block_positions() -> None:
    content = (
        "\\begin{aligned}\n  C = 0.5 \\times 0.4 + 0.5 \\times 0.6 = 0.5 \\\\\n\\end{aligned}\n"
    )
    [f] = formulas(content, 10)
    assert (f.line, f.column) == (11, 3)
    assert f.computed == pytest.approx(0.5)
