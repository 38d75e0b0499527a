"""Regular expressions compiled when first used, not when their module is imported.

The rules' patterns are module constants, and most runs need few of them: a small document
goes through rules that stop early. Compiling them all at import (character classes of CJK
numerals are slow to compile) took about 14 ms of a ~150 ms start-up. `lazyre.compile(...)`
stands for `re.compile(...)` at module level: on first use it compiles the pattern and binds
the pattern's methods onto itself, so that a later `PATTERN.match(...)` costs what it costs
on the compiled pattern.
"""

from __future__ import annotations

import re
from typing import cast

_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")


class _Lazy:
    __slots__ = ("_source", "_flags", "_compiled", *_METHODS)
    _compiled: re.Pattern[str]

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> object:  # only called for what is not bound yet
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        try:
            compiled = self._compiled
        except AttributeError:
            compiled = self._compiled = re.compile(self._source, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self._source!r}, {self._flags})"


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Lazy(source, flags))
