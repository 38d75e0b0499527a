"""A small SVG writer for the health report's charts: elements as escaped text, nothing else.

Why our own instead of a charting library: the report draws one scatter plot over
rectangles and a few bars. A library (matplotlib, plotly, altair) would add tens of megabytes
and, for the interactive ones, a script the page must not need. These forty lines write
exactly the markup the page uses, and every value they write is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

Attributes = Mapping[str, object]


def _number(value: float) -> str:
    """Coordinates with at most two decimals, without a trailing `.0` (`12`, `3.5`)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attributes(attrs: Attributes) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        text = _number(value) if isinstance(value, float) else str(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{escape(text, quote=True)}"')
    return "".join(parts)


def element(tag: str, attrs: Attributes | None = None, children: Iterable[str] = ()) -> str:
    """`<tag a="…">children</tag>`, or `<tag a="…"/>` without children. Attribute names are
    written with `_` as `-` (`font_size` -> `font-size`; a trailing `_` is dropped: `class_`);
    floats get at most two decimals; None and False leave the attribute out."""
    inner = "".join(children)
    opening = f"<{tag}{_attributes(attrs or {})}"
    return f"{opening}>{inner}</{tag}>" if inner else f"{opening}/>"


def text(x: float, y: float, content: str, **attrs: object) -> str:
    """A text element; `content` is escaped."""
    return element("text", {"x": float(x), "y": float(y), **attrs}, [escape(content)])


def title(content: str) -> str:
    """The tooltip of the enclosing element (shown on hover), escaped."""
    return f"<title>{escape(content)}</title>"


def document(width: float, height: float, children: Iterable[str], **attrs: object) -> str:
    """An inline `<svg>` that scales to its container's width (phones), keeping its ratio."""
    return element(
        "svg",
        {"viewBox": f"0 0 {_number(width)} {_number(height)}", **attrs},
        children,
    )
