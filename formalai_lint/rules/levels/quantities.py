"""Reading values as the documents write them: percent expressions and weighted-sum formulas.

Nothing here guesses. A percent expression is read only when it has one of the shapes listed
below; a formula only when one `=`-separated part of it is pure arithmetic. Everything else is
`None`, and the caller skips it.

Percent expressions (in table cells and prose), with or without `**bold**`:
`40%`, `0.40` (a whole cell only), `90%+`, `90%以上`, `>90%`, `≥90%`, `超过90%`, `<30%`,
`≤30%`, `30%以下`, `不超过30%`, `50-70%`, `50–70%`, `50%-70%`, `100%新产品采用`.
`以上`/`以下` include the number itself, as in Chinese usage (`90%以上` is `≥ 90%`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from formalai_lint import lazyre
from formalai_lint.rules.levels.model import Interval

_NUM = r"\d+(?:\.\d+)?"
# Linear on any input: a number starts where a run of digits starts (`(?<!\d)`), and the
# spaces around its parts are bounded, so a failed match never re-reads a long run of digits
# or spaces from each of its positions.
_PERCENT = lazyre.compile(
    rf"""(?P<pre>不超过|不高于|不低于|不少于|至少|至多|超过|高于|低于|小于|大于|>=|<=|≥|≤|>|<|＞|＜)?\s{{0,3}}
    (?<!\d)(?P<a>{_NUM})\s{{0,3}}(?P<apct>[%％])?
    (?:\s{{0,3}}(?:[-–—~～]|至|到)\s{{0,3}}(?P<b>{_NUM})\s{{0,3}})?
    (?P<pct>[%％])
    (?P<post>\s{{0,3}}\+|以上|以下|及以上|及以下)?""",
    re.X,
)
_BARE_FRACTION = lazyre.compile(r"^\s*(?:≈|~|约)?\s*(?P<a>0?\.\d+|1\.0+|1|0)\s*$")
_AT_LEAST = {"不低于", "不少于", "至少", "≥", ">=", "以上", "+", "及以上"}
_MORE_THAN = {"超过", "高于", "大于", ">", "＞"}
_AT_MOST = {"不超过", "不高于", "至多", "≤", "<=", "以下", "及以下"}
_LESS_THAN = {"低于", "小于", "<", "＜"}


class Quantity(NamedTuple):
    """A value read from text: a range of fractions, and where it was written."""

    interval: Interval
    text: str  # as written, e.g. `90%+`
    start: int  # offset in the text it was read from

    def describe(self) -> str:
        return self.text


def _interval(match: re.Match[str]) -> Interval | None:
    a = float(match["a"]) / 100
    b = float(match["b"]) / 100 if match["b"] else None
    pre = (match["pre"] or "").strip()
    post = (match["post"] or "").strip()
    if b is not None:
        if pre or post or b < a:
            return None  # `>50-70%`: not a shape we know
        return Interval(a, b)
    if a > 1 + 1e-9:
        return None  # `150%`: not an adoption or convergence
    if pre and post:
        return None
    op = pre or post
    if not op:
        return Interval(a, a)
    if op in _AT_LEAST:
        return Interval(a, 1.0, True, True)
    if op in _MORE_THAN:
        return Interval(a, 1.0, False, True)
    if op in _AT_MOST:
        return Interval(0.0, a, True, True)
    if op in _LESS_THAN:
        return Interval(0.0, a, True, False)
    return None


def percents(text: str) -> list[Quantity]:
    """Every percent expression in `text`, in order."""
    text = text.replace("*", "")
    found = []
    for match in _PERCENT.finditer(text):
        interval = _interval(match)
        if interval is not None:
            found.append(Quantity(interval, match[0].strip(), match.start()))
    return found


def cell_value(text: str) -> list[Quantity]:
    """The values of a table cell: its percent expressions, or a bare fraction like `0.40`."""
    bare = _BARE_FRACTION.match(text.replace("*", ""))
    if bare:
        x = float(bare["a"])
        return [Quantity(Interval(x, x), text.strip().strip("*"), 0)]
    return percents(text)


def leading(quantities: list[Quantity]) -> Quantity | None:
    """The largest value: highest upper bound, then highest lower bound."""
    if not quantities:
        return None
    return max(quantities, key=lambda q: (q.interval.high, q.interval.low))


# --- formulas ---------------------------------------------------------------------------------

_TEXT = lazyre.compile(r"\\(?:text|mathrm|textbf|mathbf|operatorname)\s*\{([^{}]*)\}")
_REPLACEMENTS = (
    (r"\times", "*"),
    (r"\cdot", "*"),
    ("×", "*"),
    ("·", "*"),
    (r"\approx", "≈"),
    (r"\%", "%"),
    (r"\left", ""),
    (r"\right", ""),
    (r"\,", " "),
    (r"\;", " "),
    (r"\!", ""),
    (r"\quad", " "),
    ("&", " "),
    ("−", "-"),
)
_RELATION = lazyre.compile(r"\\(?:leq|geq|le|ge|neq|lt|gt|in|iff|Rightarrow|to)\b|[<>≤≥≠]")


class Term(NamedTuple):
    weight: float | None  # the first factor of a product, when it is a number
    value: float | None  # the rest of the product, when it is numeric
    text: str


class Formula(NamedTuple):
    """One line of a math block read as `lhs = part = part … [≈ P%]`."""

    line: int
    column: int
    text: str  # the source line, stripped
    lhs: str  # the first part, with \text{} unwrapped
    terms: tuple[Term, ...]  # the top-level terms of the weighted sum, if any
    computed: float | None  # the value of the last all-numeric sum
    stated: float | None  # the plain number the sum is said to equal
    stated_text: str
    approx: float | None  # the `≈ P%` as a fraction
    approx_text: str

    @property
    def weights(self) -> list[float] | None:
        if len(self.terms) < 2 or any(t.weight is None for t in self.terms):
            return None
        return [t.weight for t in self.terms if t.weight is not None]


class _Parser:
    """Sum of products of numbers and parenthesized sums; nothing else."""

    _TOKEN = lazyre.compile(rf"\s*({_NUM}|[-+*()])")

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            match = self._TOKEN.match(text, pos)
            if not match:
                raise ValueError(text[pos:])
            self.tokens.append(match[1])
            pos = match.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expr(self) -> float:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.factor()
        while self.peek() == "*":
            self.take()
            value *= self.factor()
        return value

    def factor(self) -> float:
        token = self.take()
        if token == "(":
            value = self.expr()
            if self.take() != ")":
                raise ValueError("unbalanced")
            return value
        if token == "-":
            return -self.factor()
        return float(token)


def evaluate(text: str) -> float | None:
    """The value of an arithmetic expression of numbers, + - * and parentheses, else None."""
    try:
        parser = _Parser(text)
        if not parser.tokens:
            return None
        value = parser.expr()
        return value if parser.peek() is None else None
    except (ValueError, IndexError):
        return None


def _split_top(text: str, separators: str) -> list[str]:
    """Split at `separators` outside parentheses and braces, keeping a leading `-`."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch in separators and depth == 0 and current.strip():
            parts.append(current)
            current = "" if ch == "+" else ch
            continue
        current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _terms(part: str) -> tuple[Term, ...]:
    terms = []
    for text in _split_top(part, "+"):
        factors = _split_top(text, "*")
        if len(factors) < 2:
            terms.append(Term(None, evaluate(text), text))
            continue
        weight = evaluate(factors[0]) if re.fullmatch(_NUM, factors[0].strip()) else None
        rest = evaluate("*".join(f"({f})" for f in factors[1:]))
        terms.append(Term(weight, rest, text))
    return tuple(terms)


def normalize(text: str) -> str:
    text = _TEXT.sub(r"\1", text)
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    return text.replace("{", "(").replace("}", ")") if "\\frac" not in text else text


def _number_and_approx(part: str) -> tuple[float | None, str, float | None, str]:
    number, sep, approx = part.partition("≈")
    value = evaluate(number) if re.fullmatch(rf"\s*{_NUM}\s*", number) else None
    if not sep:
        return value, number.strip(), None, ""
    approx = approx.strip()
    pct = re.fullmatch(rf"({_NUM})\s*%", approx)
    if pct:
        return value, number.strip(), float(pct[1]) / 100, approx
    bare = re.fullmatch(rf"({_NUM})", approx)
    if bare and float(bare[1]) <= 1:
        return value, number.strip(), float(bare[1]), approx
    return value, number.strip(), None, ""


def read_formula(line_text: str, line: int, column: int) -> Formula | None:
    """Read one line of a math block, or None when it is not a sum we can check."""
    raw = line_text.strip().rstrip("\\").strip().rstrip(",.，。")
    if "=" not in raw or _RELATION.search(raw):
        return None
    parts = [p.strip() for p in normalize(raw).split("=")]
    if len(parts) < 2 or not all(parts):
        return None
    lhs = parts[0]
    terms: tuple[Term, ...] = ()
    computed = stated = approx = None
    stated_text = approx_text = ""
    for i, part in enumerate(parts[1:], start=1):
        head = part.partition("≈")[0]
        candidate = _terms(head)
        if len(candidate) >= 2 and any(t.weight is not None for t in candidate):
            value = evaluate(head)
            if value is not None or computed is None:
                terms, computed = candidate, value
        number, number_text, approx_value, text = _number_and_approx(part)
        if number is not None and i == len(parts) - 1:
            stated, stated_text = number, number_text
        if approx_value is not None:
            approx, approx_text = approx_value, text
    if not terms and approx is None:
        return None
    if computed is None and stated is not None and not terms:
        computed = stated
    return Formula(
        line, column, raw, lhs, terms, computed, stated, stated_text, approx, approx_text
    )


def formulas(content: str, first_line: int, first_column: int = 1) -> list[Formula]:
    """Every readable formula line of a math block's content."""
    found = []
    for index, text in enumerate(content.split("\n")):
        indent = len(text) - len(text.lstrip())
        column = (first_column if index == 0 else 1) + indent
        formula = read_formula(text, first_line + index, column)
        if formula is not None:
            found.append(formula)
    return found


def decimals(text: str) -> int:
    """How many decimals a number is written with (`0.885` -> 3)."""
    _, _, fraction = text.strip().partition(".")
    return len(fraction)
