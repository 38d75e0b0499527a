"""Properties of the TOC fix over generated documents (hypothesis).

Documents in the corpus's style: an H1, a TOC heading, headings of levels 2–4 with Chinese
ordinals or bilingual ` / ` titles, prose between them, and a TOC that is stale in random
ways. Each is written with random line endings (LF / CRLF), BOM (none, UTF-8, UTF-16 LE/BE)
and final newline. The fix must be idempotent, leave every byte outside the TOC block as it
was, keep the encoding, BOM and line endings, and quiet the TOC rules.
"""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from formalai_lint import registry
from formalai_lint.config import load_settings
from formalai_lint.document import Document
from formalai_lint.fix import FileFix, fix_document
from formalai_lint.fixes.edits import SourceBytes
from formalai_lint.fixes.html import outside_html
from formalai_lint.rule import FileRule, Fix

_SETTINGS = load_settings([Path(tempfile.mkdtemp())])
TOC_RULES = [
    cls(_SETTINGS)
    for cls in registry.all_rules()
    if cls.fix is Fix.SAFE and issubclass(cls, FileRule)
]
ORDINALS = "一二三四五六七八九十"
WORDS = st.sampled_from(
    ["模型", "收敛", "数据", "推理", "对齐", "评估", "`API` 设计", "$x^2$ 损失", "安全*性*"]
)
ENCODINGS = {
    "utf-8": b"",
    "utf-8-bom": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


@st.composite
def documents(draw: st.DrawFn) -> str:
    bilingual = draw(st.booleans())
    headings: list[tuple[int, str]] = []
    for i in range(draw(st.integers(1, 6))):
        title = (
            f"{ORDINALS[i]}、{draw(WORDS)}"
            if not bilingual
            else f"{i + 1}. {draw(WORDS)} / Part {i + 1}"
        )
        headings.append((2, title))
        for j in range(draw(st.integers(0, 2))):
            headings.append((draw(st.sampled_from([3, 3, 4])), f"{i + 1}.{j + 1} {draw(WORDS)}"))
    toc_title = "目录 / Table of Contents" if bilingual else "目录"
    bullet = draw(st.sampled_from(["-", "*", "+"]))
    unit = draw(st.sampled_from(["  ", "    "]))
    listed = draw(st.lists(st.sampled_from(headings), min_size=1, max_size=len(headings)))
    entries, previous = [], -1
    for level, title in listed:
        depth = max(0, level - 2 + draw(st.sampled_from([0, 0, 0, 1, -1])))
        depth = previous = min(depth, previous + 1)  # deeper would not be a nested list
        text = title.split(" / ")[0] if bilingual and draw(st.booleans()) else title
        anchor = Document("x.md", f"## {title}\n").headings[0].anchor
        if draw(st.integers(0, 5)) == 0:
            anchor += "-old"  # stale
        entries.append(f"{unit * depth}{bullet} [{text}](#{anchor})")
    body = [f"# 文档 {draw(WORDS)}", "", "引言段落。", "", f"## {toc_title}", "", *entries, ""]
    if draw(st.booleans()):
        body += ["---", ""]
    for level, title in headings:
        body += [f"{'#' * level} {title}", "", f"关于{title}的正文。", ""]
    return "\n".join(body)


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, str, str]:
    text = draw(documents())
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    if not draw(st.booleans()):
        text = text.rstrip("\n")  # no final newline
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    codec = "utf-8" if encoding.startswith("utf-8") else encoding
    data = ENCODINGS[encoding] + text.replace("\n", ending).encode(codec)
    return data, ending, encoding


def _fix_file(data: bytes) -> FileFix:
    doc = Document("doc.md", SourceBytes.of(data).text)
    findings = [d for rule in TOC_RULES for d in rule.check(doc)]
    return fix_document("doc.md", data, findings, TOC_RULES)


def _fix(data: bytes) -> bytes:
    return _fix_file(data).after


@settings(max_examples=150, deadline=None)
@given(files())
def test_fix_is_idempotent(file: tuple[bytes, str, str]) -> None:
    once = _fix(file[0])
    assert _fix(once) == once


@settings(max_examples=150, deadline=None)
@given(files())
def test_bytes_outside_the_toc_block_are_unchanged(file: tuple[bytes, str, str]) -> None:
    data, ending, _ = file
    src = SourceBytes.of(data)
    doc = Document("doc.md", src.text)
    assert doc.toc is not None
    fixed = _fix(data)
    lines = src.text.split(ending)
    start = src.bom + len((ending.join(lines[: doc.toc.start_line - 1]) + ending).encode(src.codec))
    end = src.bom + len(ending.join(lines[: doc.toc.end_line]).encode(src.codec))
    assert fixed[:start] == data[:start]  # everything before the TOC's list
    assert fixed[len(fixed) - (len(data) - end) :] == data[end:]  # everything after it


@settings(max_examples=150, deadline=None)
@given(files())
def test_encoding_bom_and_line_endings_round_trip(file: tuple[bytes, str, str]) -> None:
    data, ending, encoding = file
    fixed = _fix(data)
    assert fixed.startswith(ENCODINGS[encoding])
    if encoding == "utf-8":
        assert not fixed.startswith(codecs.BOM_UTF8)
    assert SourceBytes.of(fixed).codec == SourceBytes.of(data).codec
    text = SourceBytes.of(fixed).text
    if ending == "\r\n":
        assert text.count("\n") == text.count("\r\n") == text.count("\r")
    else:
        assert "\r" not in text
    assert text.endswith(ending) == SourceBytes.of(data).text.endswith(ending)


@settings(max_examples=150, deadline=None)
@given(files())
def test_fix_quiets_the_toc_rules_and_keeps_the_page(file: tuple[bytes, str, str]) -> None:
    data = file[0]
    result = _fix_file(data)
    before = Document("doc.md", SourceBytes.of(data).text)
    after = Document("doc.md", SourceBytes.of(result.after).text)
    if not result.warnings:  # e.g. "none of its entries links to a heading": left as it is
        assert [d for rule in TOC_RULES for d in rule.check(after)] == []
    else:
        assert result.after == data
    assert outside_html(before) == outside_html(after)
