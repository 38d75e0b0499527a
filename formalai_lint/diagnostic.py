"""What a rule reports."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. `path` is POSIX and relative to the project root.

    `text` is the offending text as written (a link target, a heading, a cell); it is what a
    baseline matches on, so it must not contain line numbers.
    """

    path: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    name: str = field(default="", compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    text: str = field(default="", compare=False)
    end_line: int | None = field(default=None, compare=False)
    end_column: int | None = field(default=None, compare=False)
    fixable: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "text": self.text,
            "fixable": self.fixable,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Diagnostic:
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),
            column=int(data["column"]),
            code=str(data["code"]),
            message=str(data["message"]),
            name=str(data.get("name", "")),
            severity=Severity(data.get("severity", "error")),
            text=str(data.get("text", "")),
            end_line=data.get("end_line"),
            end_column=data.get("end_column"),
            fixable=bool(data.get("fixable", False)),
        )
