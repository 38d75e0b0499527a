"""The rules known to this installation: every class in the `formalai_lint.rules` entry-point
group (the built-in ones are listed in pyproject.toml), checked for sound metadata."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.metadata import entry_points

from formalai_lint.config import ConfigError, Settings, selector_matches
from formalai_lint.rule import Rule

GROUP = "formalai_lint.rules"
_CODE = re.compile(r"FL\d{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every registered rule class, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for entry in entry_points(group=GROUP):
        try:
            cls = entry.load()
        except Exception as e:  # a broken plugin must not look like a crash of ours
            raise ConfigError(f"rule plugin `{entry.value}` failed to load: {e}") from None
        problem = _metadata_problem(cls, entry.name)
        if problem:
            raise ConfigError(f"rule plugin `{entry.value}`: {problem}")
        if cls.code in found and found[cls.code] is not cls:
            raise ConfigError(f"two rules claim code {cls.code}: {found[cls.code]} and {cls}")
        found[cls.code] = cls
    return tuple(found[code] for code in sorted(found))


def _metadata_problem(cls: object, entry_name: str) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, Rule)):
        return "is not a formalai_lint.Rule subclass"
    if not _CODE.fullmatch(getattr(cls, "code", "")):
        return "`code` must look like FL123"
    if cls.code != entry_name:
        return f"entry point name `{entry_name}` differs from its code `{cls.code}`"
    if not _NAME.fullmatch(getattr(cls, "name", "")):
        return "`name` must be kebab-case"
    if not getattr(cls, "summary", ""):
        return "`summary` is missing"
    return None


def find(selector: str) -> type[Rule] | None:
    return next((r for r in all_rules() if selector in (r.code, r.name)), None)


def check_selectors(selectors: Iterable[str], where: str) -> None:
    """Reject selectors that match no rule at all (a typo would silently select nothing)."""
    for selector in selectors:
        if not any(selector_matches(selector, r.code, r.name) for r in all_rules()):
            raise ConfigError(f"{where}: `{selector}` matches no rule (see `formalai-lint rules`)")


def matches(selectors: Sequence[str], rule: type[Rule]) -> bool:
    return any(selector_matches(s, rule.code, rule.name) for s in selectors)


def enabled(settings: Settings) -> tuple[type[Rule], ...]:
    chosen = (*settings.select, *settings.extend_select)
    return tuple(r for r in all_rules() if matches(chosen, r) and not matches(settings.ignore, r))
