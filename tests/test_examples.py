"""`formalai-lint examples/` fires exactly the defects marked in the example knowledge base,
and every rule that can fire on a document fires there at least once."""

from __future__ import annotations

from pathlib import Path

from formalai_lint import registry
from tests.conftest import expectations, found, lint_tree

EXAMPLES = Path(__file__).parent.parent / "examples"
# unreadable, crashing, oversized, absurdly nested or too slow files (tests/test_hostile.py
# and tests/test_processes.py have them)
NOT_DEMONSTRATED = {"FL001", "FL002", "FL003", "FL004", "FL005"}


def test_examples_give_exactly_the_marked_diagnostics() -> None:
    assert found(lint_tree(EXAMPLES)) == expectations(EXAMPLES)


def test_every_rule_fires_in_the_examples() -> None:
    fired = {code for _, _, code in expectations(EXAMPLES)}
    missing = [r.code for r in registry.all_rules() if r.code not in fired | NOT_DEMONSTRATED]
    assert not missing, f"rules never demonstrated in examples/: {missing}"
