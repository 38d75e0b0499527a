"""The one function that turns heading text into a GitHub anchor id.

It follows the `github-slugger` algorithm that GitHub uses: lower-case the text, delete every
character that is not a letter, mark, decimal or letter number, connector punctuation (`_`),
hyphen-minus or space, then turn each space into `-` (no collapsing). Duplicates within one
document get `-1`, `-2`, ... skipping suffixes that are already taken.

github-slugger keeps the Unicode *Alphabetic* property rather than the category L; the only
symbols (category So) that are Alphabetic are the circled and squared Latin letters below.
"""

from __future__ import annotations

import unicodedata

_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
# Symbols with the Other_Alphabetic property: Ⓐ-ⓩ, 🄰-🅉, 🅐-🅩, 🅰-🆉.
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


def _kept(char: str) -> bool:
    if char in "- ":
        return True
    if unicodedata.category(char) in _KEPT_CATEGORIES:
        return True
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _ALPHABETIC_SYMBOLS)


class _Translation(dict[int, int | None]):
    """`str.translate` table: a kept character maps to itself (a space to `-`), any other to
    None (deleted). Each character is classified once, on first sight."""

    def __missing__(self, code: int) -> int | None:
        value = code if _kept(chr(code)) else None
        self[code] = value
        return value


_TRANSLATION = _Translation({ord(" "): ord("-")})


def slug(text: str) -> str:
    """Return the GitHub id of one heading text, before de-duplication."""
    return text.lower().translate(_TRANSLATION)


class Slugger:
    """Hands out unique ids within one document, as GitHub does."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = result = slug(text)
        while result in self._occurrences:
            self._occurrences[base] += 1
            result = f"{base}-{self._occurrences[base]}"
        self._occurrences[result] = 0
        return result
