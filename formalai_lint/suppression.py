"""Inline suppressions: HTML comments, invisible when rendered, that silence diagnostics.

    <!-- formalai-lint-disable FL201 FL203 -->     from here …
    <!-- formalai-lint-enable -->                  … to here (or to the end of the file)
    <!-- formalai-lint-disable-next-line FL201 --> the line after the comment
    <!-- formalai-lint-disable-line FL201 -->      the comment's own line (end of a list item)
    <!-- formalai-lint-disable-file FL5 -->        the whole file

Selectors are rule codes, code prefixes (`FL5`) or rule names, separated by spaces or commas;
none means every rule. Text after a `:` or ` -- ` is a free-form reason. `enable` without selectors
closes every open `disable`; with selectors it closes the `disable`s of those same selectors.

A file's directives travel in its `DocFacts` (JSON-able), so suppressions apply to the
diagnostics of project rules as well as file rules. A selector that suppresses nothing is
reported as FL901, as is a malformed directive.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from formalai_lint.config import is_selector, selector_matches
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Comment

if TYPE_CHECKING:
    from formalai_lint.rule import Rule

KINDS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
ALL = "ALL"  # the selector of a directive that names no rule
UNSUPPRESSIBLE = frozenset({"FL002"})  # a crashing rule is always shown
_DIRECTIVE = re.compile(r"formalai-lint-([a-z-]*)(.*)", re.S)
_END = sys.maxsize

RuleId = tuple[str, str]  # (code, name)


class Directive(NamedTuple):
    """One `formalai-lint-…` comment of a document. Round-trips through JSON."""

    kind: str
    selectors: tuple[str, ...]
    text: str  # the comment's text, for messages
    line: int
    column: int
    end_line: int


def directives(comments: Iterable[Comment]) -> tuple[Directive, ...]:
    found = []
    for comment in comments:
        match = _DIRECTIVE.match(comment.text)
        if match:
            names = re.split(r":|\s--\s", match[2], maxsplit=1)[0]  # then a reason
            selectors = tuple(s for s in re.split(r"[\s,]+", names) if s)
            found.append(
                Directive(
                    match[1],
                    selectors,
                    comment.text,
                    comment.line,
                    comment.column,
                    comment.end_line,
                )
            )
    return tuple(found)


class _Scope:
    """Where one selector of a directive applies, and whether it suppressed anything."""

    def __init__(self, directive: Directive, selector: str, first: int, last: int) -> None:
        self.directive = directive
        self.selector = selector
        self.first = first
        self.last = last
        self.used = False

    def covers(self, diag: Diagnostic) -> bool:
        return self.first <= diag.line <= self.last and selector_matches(
            self.selector, diag.code, diag.name
        )


def _problem(directive: Directive, known: Collection[RuleId]) -> str | None:
    """Why a directive is malformed, or None."""
    written = f"`<!-- {directive.text} -->`"
    if directive.kind not in KINDS:
        expected = ", ".join(f"formalai-lint-{k}" for k in KINDS)
        return f"unknown suppression {written}: expected one of {expected}"
    for selector in directive.selectors:
        if not is_selector(selector):
            return f"`{selector}` in {written} is not a rule code, prefix or name"
        if not any(selector_matches(selector, code, name) for code, name in known):
            return f"`{selector}` in {written} matches no rule (see `formalai-lint rules`)"
    return None


def _scopes(found: Sequence[Directive]) -> tuple[list[_Scope], list[tuple[Directive, str]]]:
    """The line ranges the directives of one file cover, and the enables that close nothing."""
    scopes: list[_Scope] = []
    stray: list[tuple[Directive, str]] = []
    open_: list[_Scope] = []
    for d in found:
        selectors = d.selectors or (ALL,)
        if d.kind == "enable":
            closing = [s for s in open_ if not d.selectors or s.selector in d.selectors]
            for scope in closing:
                scope.last = d.end_line
                open_.remove(scope)
            if not closing:
                stray.append((d, f"`<!-- {d.text} -->` closes no `formalai-lint-disable` above it"))
            continue
        first, last = {
            "disable": (d.line, _END),
            "disable-next-line": (d.end_line + 1, d.end_line + 1),
            "disable-line": (d.line, d.end_line),
            "disable-file": (1, _END),
        }[d.kind]
        new = [_Scope(d, selector, first, last) for selector in selectors]
        scopes.extend(new)
        if d.kind == "disable":
            open_.extend(new)
    return scopes, stray


def apply(
    diagnostics: Iterable[Diagnostic],
    found: Mapping[str, Sequence[Directive]],
    fl901: Rule | None,
    enabled: Collection[RuleId],
    known: Collection[RuleId],
) -> list[Diagnostic]:
    """Drop the diagnostics that `found` (path -> directives) suppress. With `fl901` (the
    unused-suppression rule, when enabled) add one diagnostic per malformed directive and per
    selector that suppressed nothing although it names an enabled rule."""
    scopes: dict[str, list[_Scope]] = {}
    problems: list[tuple[str, Directive, str]] = []
    for path, directives_ in found.items():
        valid = []
        for d in directives_:
            problem = _problem(d, known)
            if problem:
                problems.append((path, d, problem))
            else:
                valid.append(d)
        scopes[path], stray = _scopes(valid)
        problems.extend((path, d, message) for d, message in stray)

    kept = [diag for diag in diagnostics if not _suppressed(diag, scopes.get(diag.path, []))]
    if fl901 is None:
        return kept

    # (the scope it is about, if any; the directive; the FL901 diagnostic)
    candidates: list[tuple[_Scope | None, Directive, Diagnostic]] = []
    for path, d, message in problems:
        candidates.append((None, d, fl901.diagnostic(path, d.line, d.column, message, d.text)))
    for path, file_scopes in scopes.items():
        for scope in file_scopes:
            if scope.used or not _names_enabled(scope.selector, enabled):
                continue
            d = scope.directive
            what = "" if scope.selector == ALL else f"`{scope.selector}` in "
            message = f"{what}`<!-- {d.text} -->` suppresses nothing"
            text = f"{scope.selector} {d.text}"
            candidates.append((scope, d, fl901.diagnostic(path, d.line, d.column, message, text)))
    # FL901 is silenced only by a directive that names it (a bare one does not count), and
    # never by the directive the diagnostic is about.
    silenced = set()
    for i, (_, d, diag) in enumerate(candidates):
        for scope in scopes.get(diag.path, []):
            if scope.selector != ALL and scope.directive is not d and scope.covers(diag):
                scope.used = True
                silenced.add(i)
    for i, (scope, _, diag) in enumerate(candidates):
        if i not in silenced and (scope is None or not scope.used):
            kept.append(diag)
    return kept


def _suppressed(diag: Diagnostic, scopes: Sequence[_Scope]) -> bool:
    if diag.code in UNSUPPRESSIBLE:
        return False
    covering = [s for s in scopes if s.covers(diag)]
    for scope in covering:
        scope.used = True
    return bool(covering)


def _names_enabled(selector: str, enabled: Collection[RuleId]) -> bool:
    return any(selector_matches(selector, code, name) for code, name in enabled)
