"""The rules known to this installation, checked for sound metadata: the built-in ones, found
by being defined in a module of a family folder (`formalai_lint/rules/<family>/<rule>.py`),
and third-party ones, named in the `formalai_lint.rules` entry-point group.

A family's modules are imported when the rules are first asked for (never for `--version`
or `--help`); its private modules (`_view.py`) and its fixer (`fix.py`) are not rule
modules and are imported only by what uses them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any, NamedTuple

from formalai_lint import lazyre
from formalai_lint.config import Settings, did_you_mean
from formalai_lint.errors import ConfigError
from formalai_lint.rule import Fix, Rule
from formalai_lint.selector import selector_matches

GROUP = "formalai_lint.rules"
BUILT_IN = "formalai_lint.rules"  # the package whose subpackages are the rule families
_CODE = lazyre.compile(r"FL\d{3}")
_NAME = lazyre.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, built-in and third-party, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for cls in built_in_rules():
        problem = _metadata_problem(cls, cls.code)
        if problem:  # a bug of ours, which the tests catch; said as plainly as a plugin's
            raise ConfigError(f"rule `{cls.__module__}.{cls.__qualname__}`: {problem}")
        _add(found, cls)
    for entry in _entry_points():
        if entry.value.startswith(f"{BUILT_IN}."):
            continue  # left by an install from before the built-in rules were discovered
        try:
            cls = entry.load()
        except Exception as e:  # a broken plugin must not look like a crash of ours
            raise ConfigError(f"rule plugin `{entry.value}` failed to load: {e}") from None
        problem = _metadata_problem(cls, entry.name)
        if not problem and cls.fix is not Fix.NONE:
            problem = "`fix` must be Fix.NONE: --fix has fixers for the built-in rules only"
        if problem:
            raise ConfigError(f"rule plugin `{entry.value}`: {problem}")
        _add(found, cls)
    return tuple(found[code] for code in sorted(found))


def _add(found: dict[str, type[Rule]], cls: type[Rule]) -> None:
    if cls.code in found and found[cls.code] is not cls:
        raise ConfigError(f"two rules claim code {cls.code}: {found[cls.code]} and {cls}")
    found[cls.code] = cls


def built_in_rules() -> Iterator[type[Rule]]:
    """The rules defined in the modules of the family folders, in module order: each public
    module of `formalai_lint/rules/<family>/` except `fix`, and each `Rule` subclass with a
    `code` of its own that the module defines (not one it imports)."""
    package = importlib.import_module(BUILT_IN)
    for family in pkgutil.iter_modules(package.__path__, f"{BUILT_IN}."):
        if not family.ispkg:
            continue  # `shared.py`: what the families share, no rules
        folder = importlib.import_module(family.name)
        for info in pkgutil.iter_modules(folder.__path__, f"{family.name}."):
            leaf = info.name.rpartition(".")[2]
            if info.ispkg or leaf.startswith("_") or leaf == "fix":
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value.__module__ == module.__name__
                    and "code" in vars(value)
                ):
                    yield value


class _EntryPoint(NamedTuple):
    name: str
    value: str  # `module:attr`

    def load(self) -> Any:
        module, _, attrs = self.value.partition(":")
        found: Any = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            found = getattr(found, attr)
        return found


def _entry_points() -> Iterable[Any]:
    """The entry points of GROUP. `importlib.metadata` costs more to import (it pulls in
    `email`, `zipfile`, `csv`) than a small lint takes, so when every distribution lives in
    a plain folder of `sys.path` (the usual case) their `entry_points.txt` are read here, the
    way importlib.metadata reads them; otherwise (zipped paths, eggs, custom finders) it is used."""
    if _plain_paths():
        return list(_scan())
    from importlib.metadata import entry_points

    return entry_points(group=GROUP)


def _plain_paths() -> bool:
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return False
    return not any(os.path.isfile(path) or path.lower().endswith(".egg") for path in sys.path)


def _scan() -> Iterator[_EntryPoint]:
    """importlib.metadata's order and rules: sys.path in order, `*.dist-info`/`*.egg-info`
    folders, the first distribution of a (normalised) name wins."""
    seen: set[str] = set()
    for path in sys.path:
        try:
            children = os.listdir(path or ".")
        except OSError:
            continue
        infos: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                name = low.rpartition(".")[0].partition("-")[0]
                infos.setdefault(re.sub(r"[-_.]+", "_", name), []).append(child)
        for name, folders in infos.items():
            if name in seen:
                continue
            seen.add(name)
            try:
                with open(
                    os.path.join(path, folders[0], "entry_points.txt"), encoding="utf-8"
                ) as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError):
                continue
            yield from _group_entries(text)


def _group_entries(text: str) -> Iterator[_EntryPoint]:
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == GROUP:
            name, _, value = line.partition("=")
            yield _EntryPoint(name.strip(), value.strip())


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
    if not isinstance(getattr(cls, "fix", None), Fix):
        return "`fix` must be a formalai_lint.rule.Fix"
    return None


def find(selector: str) -> type[Rule] | None:
    return next((r for r in all_rules() if selector in (r.code, r.name)), None)


def check_selectors(selectors: Iterable[str], where: str) -> None:
    """Reject selectors that match no rule at all (a typo would silently select nothing)."""
    problems = _selector_problems(selectors, where)
    if problems:
        raise ConfigError("\n".join(problems))


def _selector_problems(selectors: Iterable[str], where: str) -> list[str]:
    names = [r.name for r in all_rules()]
    return [
        f"{where}: `{selector}` matches no rule{did_you_mean(selector, names)}"
        " (see `formalai-lint rules`)"
        for selector in selectors
        if not any(selector_matches(selector, r.code, r.name) for r in all_rules())
    ]


def check_settings(settings: Settings) -> None:
    """The settings of the enabled rules are sound (each rule's `check_settings`, once per
    function: the seven level rules share one), and every rule a setting names exists: a
    typo would silently select nothing. Every such typo is reported (one line each), not
    only the first."""
    hooks = {getattr(r.check_settings, "__func__", r): r for r in enabled(settings)}
    for cls in hooks.values():
        cls.check_settings(settings)
    source = str(settings.config_file or "the command line")
    problems: list[str] = []
    for key in ("select", "extend_select", "ignore"):
        where = f"{source}: `{key.replace('_', '-')}`"
        problems += _selector_problems(getattr(settings, key), where)
    for glob, codes in settings.per_file_ignores:
        problems += _selector_problems(codes, f"{source}: `per-file-ignores.{glob}`")
    problems += [
        f"{source}: `severity.{code}`: no rule {code} (see `formalai-lint rules`)"
        for code in settings.severity
        if find(code) is None
    ]
    if problems:
        raise ConfigError("\n".join(problems))


def matches(selectors: Sequence[str], rule: type[Rule]) -> bool:
    return any(selector_matches(s, rule.code, rule.name) for s in selectors)


def enabled(settings: Settings) -> tuple[type[Rule], ...]:
    chosen = (*settings.select, *settings.extend_select)
    return tuple(r for r in all_rules() if matches(chosen, r) and not matches(settings.ignore, r))
