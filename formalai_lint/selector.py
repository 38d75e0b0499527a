"""Rule selectors: what `select`, `ignore`, `per-file-ignores` and suppression comments accept
(a code `FL201`, a prefix `FL2` or `FL`, a name `broken-fragment`, or `ALL`)."""

from __future__ import annotations

from formalai_lint import lazyre

_SELECTOR = lazyre.compile(r"ALL|FL\d{0,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def selector_matches(selector: str, code: str, name: str) -> bool:
    return (
        selector == "ALL"
        or selector == name
        or (selector.startswith("FL") and code.startswith(selector))
    )


def is_selector(text: str) -> bool:
    return bool(_SELECTOR.fullmatch(text))
