"""Fuzzing: Markdown built from a grammar of what the rules read, mixed with random bytes.

Properties, for every generated project of three files:
- no exception escapes and no rule crashes (no FL002);
- every diagnostic names a file of the project and a line (and column) that exists in it;
- linting twice gives the same diagnostics.
And for every generated document: the model's inline parse on demand gives each token the
children a full markdown-it-py parse gives it, and the table rule with the faster cell split
gives the tokens markdown-it-py's own table rule gives.

CI runs a short profile (FORMALAI_FUZZ_EXAMPLES, default 150 examples). A long run:
    FORMALAI_FUZZ_EXAMPLES=100000 python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block import table as stock_table_rule
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from formalai_lint import source
from formalai_lint.config import Settings, load_settings
from formalai_lint.document import Document
from formalai_lint.markdown import parser, split_cells
from formalai_lint.session import Session

EXAMPLES = int(os.environ.get("FORMALAI_FUZZ_EXAMPLES", "150"))
NAMES = ("README.md", "other.md", "sub/深 层.md")
NEWLINES = re.compile(r"\r\n?|\n")

words = st.sampled_from(
    ["目录", "相关主题", "收敛", "二、", "1.2 ", "第三章", "Contents", "AI", "🎉", "！？", "（注）",
     "`code`", "$x^2$", "**粗**", "_斜_", "<a id=\"锚\"></a>", "&amp;", "\\*", "[", "]", "*", "|",
     "[参考]", "![图 *一*](a.png)", "<https://a.example>"]
)  # fmt: skip
text = st.one_of(
    st.lists(words, min_size=0, max_size=5).map(" ".join),
    st.text(max_size=12),
)
anchor = st.one_of(
    text.map(lambda t: re.sub(r"\s+", "-", t.strip().lower())),
    st.sampled_from(["目录", "二收敛", "-1", "", "%E7%9B%AE%E5%BD%95", "a b"]),
)
target = st.one_of(
    anchor.map(lambda a: "#" + a),
    st.sampled_from(["other.md", "sub/深%20层.md", "./sub/", "../other.md", "../../etc/passwd",
                     "/etc/passwd", "file:///etc/passwd", "javascript:alert(1)",
                     "data:text/html,<b>x</b>", "missing.md", "sub", "<sub/深 层.md>"]),
    st.tuples(st.sampled_from(["other.md", "README.md", "../README.md"]), anchor).map("#".join),
)  # fmt: skip
link = st.builds(lambda t, u: f"[{t}]({u})", text, target)
heading = st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), text)
toc = st.builds(
    lambda title, items: (
        f"## {title}\n\n" + "\n".join(f"{'  ' * depth}- [{t}](#{a})" for depth, t, a in items)
    ),
    st.sampled_from(["目录", "二、目录", "Contents", "相关主题"]),
    st.lists(st.tuples(st.integers(0, 3), text, anchor), max_size=6),
)
table = st.builds(
    lambda rows: "\n".join("| " + " | ".join(cells) + " |" for cells in rows),
    st.lists(
        st.one_of(
            st.lists(st.one_of(text, link), min_size=1, max_size=4),
            st.just(["---", "---"]),
        ),
        min_size=1,
        max_size=5,
    ),
)
math = st.one_of(
    st.builds(lambda t: f"$$\n{t}\n$$", text),
    st.builds(lambda t: f"${t}$", text),
    st.just("$$"),
)
fence = st.builds(
    lambda mark, info, body, close: f"{mark}{info}\n{body}\n" + (mark if close else ""),
    st.sampled_from(["```", "~~~", "````"]),
    st.sampled_from(["", "markdown", "python", "math"]),
    st.one_of(text, link, heading),
    st.booleans(),
)
comment = st.one_of(
    st.builds(lambda t: f"<!-- {t} -->", text),
    st.sampled_from(
        ["<!--", "-->", "<!-- formalai-lint: ignore FL201 -->", "<!-- expect: FL201 -->"]
    ),
)
prefix = st.sampled_from(["", "", "", "> ", "- ", "1. ", "    ", "> - ", "\t"])
block = st.builds(
    lambda p, b: p + b,
    prefix,
    st.one_of(
        heading,
        toc,
        link,
        table,
        math,
        fence,
        comment,
        text,
        st.sampled_from(["---\ntitle: x\n---", "[参考]: other.md#目录", "[参考]: <sub/深 层.md>"]),
    ),
)
document = st.builds(
    lambda blocks, newline: newline.join(blocks).replace("\n", newline),
    st.lists(block, max_size=12),
    st.sampled_from(["\n", "\n\n", "\r\n", "\r"]),
)


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """A document as bytes, perhaps with a BOM or UTF-16, perhaps with random bytes spliced in."""
    doc = draw(document)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16"]))
    data = bytearray(doc.encode(encoding, errors="surrogatepass"))
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data)))
        data[position:position] = draw(st.binary(max_size=4))
    return bytes(data)


@given(st.lists(encoded(), min_size=len(NAMES), max_size=len(NAMES)))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_projects(tmp_path_factory, contents: list[bytes]) -> None:  # type: ignore[no-untyped-def]
    root, config = _project(tmp_path_factory)
    for name, data in zip(NAMES, contents, strict=True):
        (root / name).write_bytes(data)
    first = _lint(config)
    second = _lint(config)
    assert [d.to_json() for d in first] == [d.to_json() for d in second]
    assert not [d for d in first if d.code == "FL002"], "a rule crashed"
    lines = {name: _lines(data) for name, data in zip(NAMES, contents, strict=True)}
    for diag in first:
        assert diag.path in lines, diag
        file_lines = lines[diag.path]
        if file_lines is None:  # undecodable: only the FL001 at the top of the file
            assert (diag.code, diag.line, diag.column) == ("FL001", 1, 1), diag
            continue
        assert 1 <= diag.line <= len(file_lines), diag
        assert 1 <= diag.column <= len(file_lines[diag.line - 1]) + 1, diag


_ROOTS: dict[int, tuple[Path, Settings]] = {}


def _project(factory) -> tuple[Path, Settings]:  # type: ignore[no-untyped-def]
    """One folder for the whole run (a fixture per example would make hypothesis complain)."""
    if id(factory) not in _ROOTS:
        root = factory.mktemp("fuzz")
        (root / "sub").mkdir()
        (root / ".git").mkdir()  # marks the project root, so no config above it is used
        _ROOTS[id(factory)] = root, load_settings([root])
    return _ROOTS[id(factory)]


def _lint(settings: Settings) -> list:  # type: ignore[type-arg]
    with Session(settings) as session:
        return session.lint(session.targets([settings.root])).diagnostics


def _lines(data: bytes) -> list[str] | None:
    try:
        text = source.decode(data)
    except source.UnreadableError:
        return None
    return NEWLINES.split(text.removeprefix("\ufeff"))


@given(document)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_inline_parse_on_demand_matches_a_full_parse(text: str) -> None:
    doc = Document("a.md", text)
    _ = doc.texts, doc.tables  # what the level rules read
    lazily = [_dump(t) for t in doc.tokens]  # the rest is parsed here
    assert lazily == [_dump(t) for t in parser().parse(doc.text)]


@given(st.text(max_size=40))
@settings(max_examples=EXAMPLES, deadline=None)
def test_a_text_the_parser_is_not_run_on_gets_the_tokens_a_full_parse_gives(line: str) -> None:
    """Headings, cells and paragraphs whose text holds no character the inline text rule
    stops at are given their one text token without running the parser (`parse_inline`)."""
    text = f"# {line}\n\n| {line} | x |\n|---|---|\n| {line} | y |\n\n{line}\n"
    doc = Document("a.md", text)
    _ = doc.texts, doc.tables
    assert [_dump(t) for t in doc.tokens] == [_dump(t) for t in parser().parse(doc.text)]


@given(
    document,
    st.lists(
        st.one_of(
            st.sampled_from(["收敛", "收敛度", "粗", "a", "x^2", "a b", "&", "%"]), st.text()
        ),
        max_size=3,
    ),
)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_texts_holding_skips_only_paragraphs_that_cannot_hold_a_word(
    text: str, words: list[str]
) -> None:
    holding = list(Document("a.md", text).texts_holding(words))
    every = Document("a.md", text).texts
    assert holding == [t for t in every if any(word in t.text for word in words)]


def _dump(token: Token) -> object:
    """A token as a dict, without the position tables `document._position` keeps in meta."""
    return token.as_dict(meta_serializer=lambda m: {k: v for k, v in m.items() if k[0] != "_"})


cell = st.text(alphabet="\\|`a 表-:", max_size=8)
row = st.lists(cell, min_size=1, max_size=4).map(lambda cells: "|".join(cells))
header = st.one_of(row, st.lists(cell, min_size=2, max_size=2).map("|".join))
escaped_table = st.builds(
    lambda before, head, rows: "\n".join([*before, head, "|---|---|", *rows]),
    st.lists(st.sampled_from(["段落", "> 引用", "- 列表"]), max_size=1),  # a table interrupts it
    header,
    st.lists(row, max_size=4),
)


def _stock_parser() -> MarkdownIt:
    """The tool's parser with markdown-it-py's own table rule (not the faster cell split)."""
    md = parser.__wrapped__()
    rules = MarkdownIt("commonmark").block.ruler.__rules__
    alt = next(rule.alt for rule in rules if rule.name == "table")
    md.block.ruler.at("table", stock_table_rule, {"alt": alt})
    return md


@given(st.one_of(document, escaped_table, st.lists(escaped_table).map("\n\n".join)))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_table_rule_with_the_faster_split_parses_as_markdown_it_does(text: str) -> None:
    ours = [_dump(t) for t in parser().parse(text)]
    assert ours == [_dump(t) for t in _stock_parser().parse(text)]


@given(st.text(alphabet="\\|a表 `", max_size=20))
@settings(max_examples=EXAMPLES * 4, deadline=None)
def test_split_cells_is_markdown_its_escaped_split(line: str) -> None:
    assert split_cells(line) == escapedSplit(line)
