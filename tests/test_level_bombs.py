"""Level documents built to be slow (issue 17, item 8): the level rules stay linear.

Each test lints a level document at two sizes, the second four times the first, and requires
the time to grow by well under 16× (what a quadratic reader takes): no absolute timings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import lint_tree

LEVEL_FILE = "03.1.3-L2-收敛进行时.md"


def lint_seconds(tmp_path: Path, name: str, text: str) -> float:
    root = tmp_path / name
    root.mkdir()
    (root / LEVEL_FILE).write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        lint_tree(root, select=["FL4"])
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(tmp_path: Path, document: Callable[[int], str], n: int) -> None:
    small = lint_seconds(tmp_path, "small", document(n))
    large = lint_seconds(tmp_path, "large", document(4 * n))
    assert large < 8 * small + 0.05, (small, large)


def mentions(n: int) -> str:
    """One paragraph of N `收敛度 X%` mentions, each read to its end in the old code."""
    return "# 03.1.3-L2: 收敛进行时\n\n" + "收敛度 70%，" * n + "\n"


def digits_in_prose(n: int) -> str:
    return "# 03.1.3-L2: 收敛进行时\n\n收敛度 " + "7" * n + "\n"


def digits_in_a_cell(n: int) -> str:
    return (
        "# 03.1.3-L2: 收敛进行时\n\n| 指标 | 值 |\n|---|---|\n| 收敛度 | 收敛度 " + "7" * n + " |\n"
    )


def spaces_after_the_word(n: int) -> str:
    return "# 03.1.3-L2: 收敛进行时\n\n收敛度" + " " * n + "：" + " " * n + "70%\n"


@pytest.mark.parametrize(
    ("document", "n"),
    [
        (mentions, 2_000),
        (digits_in_prose, 20_000),
        (digits_in_a_cell, 20_000),
        (spaces_after_the_word, 20_000),
    ],
    ids=["mentions", "digits-in-prose", "digits-in-a-cell", "spaces"],
)
def test_level_rules_are_linear(tmp_path: Path, document: Callable[[int], str], n: int) -> None:
    assert_linear(tmp_path, document, n)


def test_every_mention_of_a_long_paragraph_is_still_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    text = "# 03.1.3-L2: 收敛进行时\n\n" + "收敛度 70%，" * 500 + "收敛度 95%。\n"
    (root / LEVEL_FILE).write_text(text, encoding="utf-8")
    found = [(d.code, d.line, d.column) for d in lint_tree(root, select=["FL4"]).diagnostics]
    assert found == [("FL402", 3, 1 + len("收敛度 70%，") * 500)]
