"""Data files the tool reads at run time: rule pages and JSON Schemas.

In the wheel they live in `formalai_lint/_data/`; in a source checkout (an editable
install) they are read from the top-level `rules/` and `schemas/` folders.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
REPOSITORY = "https://github.com/formalai-lint/formalai-lint"
RULE_URL = REPOSITORY + "/blob/main/rules/{code}.md"  # a rule's page, online


def data_dir(name: str) -> Path:
    for base in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"formalai-lint is installed without its `{name}` data folder")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
    return loaded


def rule_page(code: str) -> str | None:
    page = data_dir("rules") / f"{code}.md"
    return page.read_text(encoding="utf-8") if page.is_file() else None
