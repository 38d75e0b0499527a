"""The one configured markdown-it-py parser of the tool.

CommonMark plus GitHub's tables and strikethrough, YAML front matter, and `$…$` / `$$…$$` math
(so that LaTeX is never read as Markdown). Linkify is off: bare URLs are external anyway.

A document is parsed in two steps, as `MarkdownIt.parse` runs them: `parse_blocks` runs the
core chain up to the block parser, and `parse_inline` runs the rest of it (inline parsing and
`text_join`) for one inline token, when something reads that token's children. Most
paragraphs hold no link and are never read, so their inline parse is skipped; a token
that is parsed gets exactly the children a full parse gives it.

GitHub's table rule is markdown-it-py's own, run with a faster cell split (`split_cells`):
its per-character loop was half the parse of a large table (a 1,400-row table: 24 of 55 ms);
`str.split` gives the same cells.

markdown-it-py gives source positions only to block tokens. The small plugin below records,
on each link and image token, where it starts and ends inside its inline token's source and
where its destination is, so that diagnostics can point at the exact column and quote the
target as it was written.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, MutableMapping
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import table as _table_rule
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from formalai_lint import lazyre


def _raw_destination(state: StateInline, start: int) -> str | None:
    """The destination of an inline link `[label](dest "title")` exactly as written."""
    label_start = start + 1 if state.src[start] == "[" else start + 2  # `[` or `![`
    label_end = parseLinkLabel(state, label_start - 1, True)
    pos = label_end + 1
    if label_end < 0 or pos >= state.posMax or state.src[pos] != "(":
        return None  # a reference link: its destination lives in the definition
    pos += 1
    while pos < state.posMax and state.src[pos] in " \t\n":
        pos += 1
    result = parseLinkDestination(state.src, pos, state.posMax)
    if not result.ok:
        return None
    return state.src[pos : result.pos]


_InlineRule = Callable[[StateInline, bool], bool]


def _positioned(rule: _InlineRule) -> _InlineRule:
    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            # pending text before the link is flushed into a token first: skip it
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta["start"] = start
                    token.meta["end"] = state.pos
                    token.meta["raw"] = _raw_destination(state, start)
                    break
        return True

    return wrapped


_UNESCAPED_PIPE = lazyre.compile(r"(?<!\\)\|")


def split_cells(line: str) -> list[str]:
    """A table row split at its pipes, as markdown-it-py's `escapedSplit` does it: a pipe right
    after a backslash is escaped (kept as `|`, the backslash dropped), every other one splits."""
    if "\\|" not in line:
        return line.split("|")
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(line)]


_BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _with_split_cells(rule: _BlockRule) -> _BlockRule:
    """markdown-it-py's table rule, calling `split_cells` where it calls its `escapedSplit`
    (a copy of the function with that one global replaced; markdown-it-py is left as it is)."""
    names = {**rule.__globals__, "escapedSplit": split_cells}
    return types.FunctionType(rule.__code__, names, rule.__name__, rule.__defaults__)


# How deep blocks may nest (lists, quotes): markdown-it-py drops what lies deeper, which keeps
# hostile input from exhausting the stack (its CommonMark preset's value, stated here).
MAX_NESTING = 20


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    alt = next(rule.alt for rule in md.block.ruler.__rules__ if rule.name == "table")
    md.block.ruler.at("table", _with_split_cells(_table_rule), {"alt": alt})
    md.use(front_matter_plugin)
    md.use(dollarmath_plugin)
    md.inline.ruler.at("link", _positioned(_link_rule))
    md.inline.ruler.at("image", _positioned(_image_rule))
    return md


_CoreRule = Callable[[StateCore], None]


@cache
def _core_steps() -> tuple[list[_CoreRule], list[_CoreRule]]:
    """The parser's core chain, split after its block step."""
    md = parser()
    names, rules = md.core.ruler.get_active_rules(), md.core.ruler.getRules("")
    cut = names.index("block") + 1
    return rules[:cut], rules[cut:]


@cache
def _terminators() -> re.Pattern[str] | None:
    """Where the inline text rule stops (None before markdown-it-py 4, which does not say)."""
    inline = parser().inline
    found = getattr(inline, "terminator_re", None)
    first = inline.ruler.get_active_rules()[:1]
    return found if isinstance(found, re.Pattern) and first == ["text"] else None


def parse_blocks(text: str, env: MutableMapping[str, Any]) -> list[Token]:
    """`parser().parse(text, env)` without the inline step: inline tokens have no children yet.

    `env` collects the link reference definitions; give the same one to `parse_inline`.
    """
    state = StateCore(text, parser(), env)
    for rule in _core_steps()[0]:
        rule(state)
    return state.tokens


def parse_inline(token: Token, env: MutableMapping[str, Any]) -> None:
    """Give one inline token of `parse_blocks` the children a full parse would give it.

    A text in which markdown-it-py's text rule finds no character to stop at (its
    `terminator_re`: `[`, `*`, `$`, `&`, `:`, a newline …) is taken by that rule whole, as one
    text token, before any other rule can run: that token is made here without running the
    parser. Most headings and table cells are such texts (`3.1 采用率分析`, `L3`).
    """
    content = token.content
    stops = _terminators()
    if content and stops is not None and stops.search(content) is None:
        token.children = [Token("text", "", 0, content=content)]
        return
    state = StateCore("", parser(), env, [token])
    for rule in _core_steps()[1]:
        rule(state)
