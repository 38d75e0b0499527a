"""`lazyre.compile`: a module-level pattern compiled on first use, that then behaves as the
compiled pattern in every way the rules use one."""

from __future__ import annotations

import re

import pytest

from formalai_lint import lazyre


def test_compiled_on_first_use_not_before() -> None:
    broken = lazyre.compile("(unclosed")  # re.compile would raise here
    with pytest.raises(re.error):
        broken.match("unclosed")


@pytest.mark.parametrize(
    ("source", "flags", "text"),
    [
        (r"^\s*([一二三四五六七八九十]+)[、.．]", 0, "三、收敛模型"),
        (r"(\d+(?:\.\d+)?)\s*%", 0, "采用率 85%，收敛度 0.9，另有 12.5 %"),
        (r"toc|目录", re.IGNORECASE, "## 二、目录 / TOC"),
        (r"(?P<num>\d+)", 0, "no digits"),
    ],
)
def test_behaves_as_re_compile(source: str, flags: int, text: str) -> None:
    lazy, eager = lazyre.compile(source, flags), re.compile(source, flags)
    for _ in range(2):  # on first use, and once the methods are bound
        assert repr(lazy.match(text)) == repr(eager.match(text))
        assert repr(lazy.search(text)) == repr(eager.search(text))
        assert repr(lazy.fullmatch(text)) == repr(eager.fullmatch(text))
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
        assert lazy.findall(text) == eager.findall(text)
        assert lazy.sub("<\\g<0>>", text) == eager.sub("<\\g<0>>", text)
        assert lazy.subn("", text, count=1) == eager.subn("", text, count=1)
        assert lazy.split(text) == eager.split(text)
        assert (lazy.pattern, lazy.flags, lazy.groups) == (eager.pattern, eager.flags, eager.groups)
        assert lazy.groupindex == eager.groupindex
