"""Inline suppressions: HTML comments, invisible when rendered, that silence diagnostics.

    <!-- formalai-lint-disable FL201 FL203 -->     from here …
    <!-- formalai-lint-enable -->                  … to here (or to the end of the file)
    <!-- formalai-lint-disable-next-line FL201 --> the line after the comment
    <!-- formalai-lint-disable-line FL201 -->      the comment's own line (end of a list item)
    <!-- formalai-lint-disable-file FL5 -->        the whole file

Selectors are rule codes, code prefixes (`FL5`) or rule names, separated by spaces or commas;
none means every rule. Text after a `:` or ` -- ` is a free-form reason. `enable` without selectors
closes every open `disable`; with selectors it closes the `disable`s of those same selectors.
A selector repeated in one comment counts once.

A file's directives travel in its `DocFacts` (JSON-able), so suppressions apply to the
diagnostics of project rules as well as file rules. A selector that suppresses nothing is
reported as FL901, as is a malformed directive: at most one FL901 per selector of a
comment, and its message quotes at most `QUOTED` characters of the comment.

Matching is linear: the scopes of a file are grouped per rule they match, and the diagnostics
of each rule are swept in line order against its scopes (no scope × diagnostic product).
"""

from __future__ import annotations

import heapq
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from formalai_lint import lazyre
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Comment
from formalai_lint.selector import is_selector, selector_matches

if TYPE_CHECKING:
    from formalai_lint.rule import Rule

KINDS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
ALL = "ALL"  # the selector of a directive that names no rule
UNSUPPRESSIBLE = frozenset({"FL002"})  # a crashing rule is always shown
_DIRECTIVE = lazyre.compile(r"formalai-lint-([a-z-]*)(.*)", re.S)
_END = sys.maxsize
QUOTED = 80  # characters of a comment quoted in an FL901 message

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
            selectors = tuple(dict.fromkeys(s for s in re.split(r"[\s,]+", names) if s))
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


def _clip(text: str) -> str:
    """`text` as an FL901 message quotes it: its first `QUOTED` characters."""
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


def _written(directive: Directive) -> str:
    return f"`<!-- {_clip(directive.text)} -->`"


def _problem(directive: Directive, known: Collection[RuleId]) -> str | None:
    """Why a directive is malformed, or None."""
    written = _written(directive)
    if directive.kind not in KINDS:
        expected = ", ".join(f"formalai-lint-{k}" for k in KINDS)
        return f"unknown suppression {written}: expected one of {expected}"
    for selector in directive.selectors:
        if not is_selector(selector):
            return f"`{_clip(selector)}` in {written} is not a rule code, prefix or name"
        if not any(selector_matches(selector, code, name) for code, name in known):
            return f"`{_clip(selector)}` in {written} matches no rule (see `formalai-lint rules`)"
    return None


def _scopes(found: Sequence[Directive]) -> tuple[list[_Scope], list[tuple[Directive, str]]]:
    """The line ranges the directives of one file cover, and the enables that close nothing."""
    scopes: list[_Scope] = []
    stray: list[tuple[Directive, str]] = []
    open_: dict[str, list[_Scope]] = {}  # selector -> its open `disable` scopes
    for d in found:
        selectors = d.selectors or (ALL,)
        if d.kind == "enable":
            closing = [s for sel in (d.selectors or list(open_)) for s in open_.pop(sel, [])]
            for scope in closing:
                scope.last = d.end_line
            if not closing:
                message = f"{_written(d)} closes no `formalai-lint-disable` above it"
                stray.append((d, message))
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
            for scope in new:
                open_.setdefault(scope.selector, []).append(scope)
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

    diagnostics = list(diagnostics)
    suppressed = _cover(diagnostics, [None] * len(diagnostics), scopes)
    kept = [diag for diag, covered in zip(diagnostics, suppressed, strict=True) if not covered]
    if fl901 is None:
        return kept

    # (the scope it is about, if any; the directive; the FL901 diagnostic)
    candidates: list[tuple[_Scope | None, Directive, Diagnostic]] = []
    for path, d, message in problems:
        text = d.text[:QUOTED]
        candidates.append((None, d, fl901.diagnostic(path, d.line, d.column, message, text)))
    for path, file_scopes in scopes.items():
        for scope in file_scopes:
            if scope.used or not _names_enabled(scope.selector, enabled):
                continue
            d = scope.directive
            what = "" if scope.selector == ALL else f"`{scope.selector}` in "
            message = f"{what}{_written(d)} suppresses nothing"
            text = f"{scope.selector} {d.text[:QUOTED]}"
            candidates.append((scope, d, fl901.diagnostic(path, d.line, d.column, message, text)))
    # FL901 is silenced only by a directive that names it (a bare one does not count), and
    # never by the directive the diagnostic is about.
    named = {path: [s for s in ss if s.selector != ALL] for path, ss in scopes.items()}
    silenced = _cover([diag for _, _, diag in candidates], [d for _, d, _ in candidates], named)
    for (about, _, diag), quiet in zip(candidates, silenced, strict=True):
        if not quiet and (about is None or not about.used):
            kept.append(diag)
    return kept


def _cover(
    diagnostics: Sequence[Diagnostic],
    owners: Sequence[Directive | None],
    scopes: Mapping[str, Sequence[_Scope]],
) -> list[bool]:
    """Whether each diagnostic is covered by a scope (of its file, matching its rule) of a
    directive other than its owner; every such covering scope is marked used.

    Per (path, rule), the diagnostics are visited in line order while the scopes are added in
    order of their first line: the covering scope that ends last (one of another directive
    than the best's, too) answers "covered?", and a heap of the scopes not yet marked, by
    last line, gives the ones to mark. Each scope enters a rule's heap once: O((S + D) log S).
    """
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, diag in enumerate(diagnostics):
        if diag.code not in UNSUPPRESSIBLE:
            groups.setdefault((diag.path, diag.code, diag.name), []).append(i)
    covered = [False] * len(diagnostics)
    for (path, code, name), members in groups.items():
        matching = sorted(
            (s for s in scopes.get(path, ()) if selector_matches(s.selector, code, name)),
            key=lambda s: s.first,
        )
        if not matching:
            continue
        members.sort(key=lambda i: diagnostics[i].line)
        best: _Scope | None = None  # the added scope that ends last
        second: _Scope | None = None  # the one that ends last among other directives'
        unmarked: list[tuple[int, int, _Scope]] = []  # (last, order, scope)
        added = 0
        for i in members:
            line, owner = diagnostics[i].line, owners[i]
            while added < len(matching) and matching[added].first <= line:
                scope = matching[added]
                if best is None or scope.last > best.last:
                    if best is not None and best.directive is not scope.directive:
                        second = best
                    best = scope
                elif scope.directive is not best.directive and (
                    second is None or scope.last > second.last
                ):
                    second = scope
                heapq.heappush(unmarked, (scope.last, added, scope))
                added += 1
            while unmarked and unmarked[0][0] < line:
                heapq.heappop(unmarked)  # ends above: covers no later line either
            cover = best if best is None or best.directive is not owner else second
            covered[i] = cover is not None and cover.last >= line
            own = []
            while unmarked:
                entry = heapq.heappop(unmarked)
                if entry[2].directive is owner:
                    own.append(entry)
                else:
                    entry[2].used = True
            for entry in own:
                heapq.heappush(unmarked, entry)
    return covered


def _names_enabled(selector: str, enabled: Collection[RuleId]) -> bool:
    return any(selector_matches(selector, code, name) for code, name in enabled)
