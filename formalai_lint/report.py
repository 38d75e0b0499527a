"""Turning diagnostics into output: text, full, json, sarif, github, junit, gitlab, statistics.

Paths are shown relative to the working directory (in CI, the repository root), so that
editors, GitHub annotations and code scanning find the files. Every format is a pure
function of the diagnostics; the CLI decides where it goes.

What a document or a file name controls (paths, messages, the text they quote) goes through
`escape` in the text and JUnit formats: control characters, line and paragraph separators,
bidirectional overrides, U+FFFE/U+FFFF and undecodable bytes are shown as `\\n`, `\\x1b`,
`\\u202e`…, so a hostile link cannot forge an output line, a CI workflow command or a terminal
escape sequence, and JUnit stays well-formed XML. (JSON and SARIF escape as JSON does; the
github format encodes as workflow commands require.)

Rule documentation URLs follow one stable pattern, `RULE_URL.format(code=...)`
(`resources.py`): the rule's reference page `rules/FLxxx.md` in the project's repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click

from formalai_lint import lazyre
from formalai_lint._version import __version__
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.resources import REPOSITORY, RULE_URL

FORMATS = ("text", "full", "json", "sarif", "github", "junit", "gitlab")
STATISTICS_FORMATS = ("text", "json")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


_UNSAFE = lazyre.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match[0]
    n = ord(char)
    if 0xDC80 <= n <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}")


def escape(text: str) -> str:
    """`text` with every character that could start a new output line, move the cursor, change
    the terminal, reorder the line or break XML shown as an escape (`\\n`, `\\x1b`, `\\u202e`).
    Tabs and all printable text, CJK included, are kept."""
    return _UNSAFE.sub(_escaped, text)


def display_path(root: Path, path: str, cwd: Path) -> str:
    return Path(os.path.relpath(root / path, cwd)).as_posix()


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    root: Path,
    cwd: Path,
    *,
    files: Sequence[str] = (),
    color: bool = False,
    lines: Callable[[str], Sequence[str]] | None = None,
) -> str:
    """The diagnostics in format `fmt`. `files` are the checked files (root-relative), for
    the formats that list them (junit); `color` adds ANSI colours to text and full; `lines`
    gives a file's lines (root-relative path), for full."""
    paths = {path: display_path(root, path, cwd) for path in {d.path for d in diagnostics}}
    shown = [(paths[d.path], d) for d in diagnostics]
    if fmt == "json":
        return _json([d.to_json() | {"path": path} for path, d in shown])
    if fmt == "sarif":
        return _json(sarif(shown, cwd))
    if fmt == "github":
        return "".join(github_line(path, d) + "\n" for path, d in shown)
    if fmt == "junit":
        return junit(shown, [display_path(root, f, cwd) for f in files])
    if fmt == "gitlab":
        return _json(gitlab(shown))
    if fmt == "full":
        return full(shown, lines or (lambda path: ()), color)
    return "".join(text_line(path, d, color) + "\n" for path, d in shown)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def text_line(path: str, d: Diagnostic, color: bool = False) -> str:
    """`path:line:col: CODE message`, `[warning]` for warnings, `[*]` when a fix exists."""

    def style(text: str, **how: Any) -> str:
        return click.style(text, **how) if color else text

    code_color = "red" if d.severity == Severity.ERROR else "yellow"
    return (
        f"{style(escape(path), bold=True)}:{d.line}:{d.column}: {style(d.code, fg=code_color, bold=True)}"
        + (" " + style("[*]", fg="cyan") if d.fixable else "")
        + f" {escape(d.message)}"
        + (" " + style("[warning]", fg="yellow") if d.severity == Severity.WARNING else "")
    )


def _width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def full(
    shown: Sequence[tuple[str, Diagnostic]],
    lines: Callable[[str], Sequence[str]],
    color: bool = False,
) -> str:
    """ruff's `full` output: each diagnostic's text line, then its source line with a caret
    under the span (to the end of the line when the span goes on), in a numbered gutter."""

    def style(text: str, **how: object) -> str:
        return click.style(text, **how) if color else text  # type: ignore[arg-type]

    blocks = []
    for path, d in shown:
        block = text_line(path, d, color)
        source = lines(d.path)
        if 0 < d.line <= len(source):
            line = escape(source[d.line - 1].rstrip("\r\n"))
            gutter = " " * len(str(d.line))
            before = line[: max(d.column - 1, 0)]
            end = d.end_column if d.end_line == d.line and d.end_column else len(line) + 1
            marked = line[max(d.column - 1, 0) : max(end - 1, d.column)]
            pad = "".join(c if c == "\t" else " " * _width(c) for c in before)
            carets = "^" * max(_width(marked), 1)
            color_ = "red" if d.severity == Severity.ERROR else "yellow"
            block += (
                f"\n{gutter} |\n{d.line} | {line}\n{gutter} | {pad}"
                + style(f"{carets} {d.code}", fg=color_, bold=True)
                + f"\n{gutter} |"
            )
        blocks.append(block + "\n")
    return "\n".join(blocks)


# -- GitHub Actions workflow commands ---------------------------------------------------


def _escape_data(text: str) -> str:
    """Workflow-command encoding of `%`, CR and LF; then `escape` for the other controls."""
    return escape(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, d: Diagnostic) -> str:
    """`::error file=…,line=…,col=…,title=CODE::message`: an annotation on the pull request."""
    props = {"file": path, "line": d.line, "col": d.column}
    if d.end_line is not None:
        props["endLine"] = d.end_line
    if d.end_column is not None:
        props["endColumn"] = d.end_column
    props["title"] = f"{d.code} {d.name}".strip()
    command = "error" if d.severity == Severity.ERROR else "warning"
    listed = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items())
    return f"::{command} {listed}::{_escape_data(d.message)}"


# -- SARIF 2.1.0 ------------------------------------------------------------------------


_DIGITS = lazyre.compile(r"\d+")
_SPACES = lazyre.compile(r"\s+")


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """One fingerprint per diagnostic, unique among them, and stable when lines above move:
    a hash of the path, the code, the offending text and the message with its numbers and
    spacing normalised (a message may quote a line number), plus the diagnostic's index among
    the identical ones of its file (in line order, as they are sorted)."""
    seen: Counter[str] = Counter()
    result = []
    for d in diagnostics:
        message = _SPACES.sub(" ", _DIGITS.sub("0", d.message)).strip()
        key = "\0".join((d.path, d.code, d.text, message))
        result.append(
            hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
        )
        seen[key] += 1
    return result


def sarif_rules() -> list[dict[str, object]]:
    """A reportingDescriptor for every registered rule."""
    # here: the registry loads the parser and the rules, which `--version` never needs
    from formalai_lint import registry, resources

    descriptors: list[dict[str, object]] = []
    for rule in registry.all_rules():
        url = RULE_URL.format(code=rule.code)
        page = resources.rule_page(rule.code) or f"# {rule.code} {rule.name}\n\n{rule.summary}\n"
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "helpUri": url,
                "help": {"text": f"{rule.summary}. See {url}", "markdown": page},
                "defaultConfiguration": {"level": _level(rule.severity)},
                "properties": {"tags": ["markdown", "documentation"]},
            }
        )
    return descriptors


def _level(severity: Severity) -> str:
    return "error" if severity == Severity.ERROR else "warning"


def sarif(shown: Sequence[tuple[str, Diagnostic]], cwd: Path) -> dict[str, object]:
    rules = sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for (path, d), print_ in zip(shown, fingerprints([d for _, d in shown]), strict=True):
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line is not None:
            region["endLine"] = d.end_line
        if d.end_column is not None:
            region["endColumn"] = d.end_column
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": _level(d.severity),
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"},
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {"formalaiLint/v2": print_},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "formalai-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd.resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


# -- GitLab Code Quality ----------------------------------------------------------------


def gitlab(shown: Sequence[tuple[str, Diagnostic]]) -> list[dict[str, object]]:
    """A GitLab Code Quality report (https://docs.gitlab.com/ci/testing/code_quality/): one
    issue per diagnostic; errors are `major`, warnings `minor`; the fingerprint is SARIF's."""
    issues: list[dict[str, object]] = []
    for (path, d), print_ in zip(shown, fingerprints([d for _, d in shown]), strict=True):
        begin = {"line": d.line, "column": d.column}
        end = {"line": d.end_line, "column": d.end_column} if d.end_line else begin
        issues.append(
            {
                "type": "issue",
                "check_name": d.code,
                "description": f"{d.code} {d.name}: {d.message}" if d.name else d.message,
                "categories": ["Style"],
                "severity": "major" if d.severity == Severity.ERROR else "minor",
                "fingerprint": print_,
                "location": {"path": path, "positions": {"begin": begin, "end": end}},
            }
        )
    return issues


# -- JUnit XML --------------------------------------------------------------------------


def junit(shown: Sequence[tuple[str, Diagnostic]], files: Iterable[str]) -> str:
    """One testcase per checked file; it fails when the file has an error-severity
    diagnostic. Every diagnostic of the file is listed (warnings in system-out otherwise).
    Paths and messages are `escape`d: the XML holds no character XML 1.0 forbids."""
    import xml.etree.ElementTree as ET  # here: only JUnit output needs it (start-up time)

    by_file: dict[str, list[Diagnostic]] = {path: [] for path in files}
    for path, d in shown:
        by_file.setdefault(path, []).append(d)
    failures = sum(any(d.severity == Severity.ERROR for d in ds) for ds in by_file.values())
    suites = ET.Element("testsuites", name="formalai-lint")
    suite = ET.SubElement(suites, "testsuite", name="formalai-lint")
    suite.set("tests", str(len(by_file)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites.set("tests", str(len(by_file)))
    suites.set("failures", str(failures))
    for path in sorted(by_file):
        diags = by_file[path]
        name = escape(path)
        case = ET.SubElement(suite, "testcase", name=name, classname="formalai-lint", file=name)
        if not diags:
            continue
        listing = "\n".join(text_line(path, d) for d in diags)
        errors = sum(d.severity == Severity.ERROR for d in diags)
        if errors:
            failure = ET.SubElement(case, "failure", type="formalai-lint")
            failure.set("message", f"{errors} error{'s' * (errors != 1)} in {name}")
            failure.text = listing
        else:
            ET.SubElement(case, "system-out").text = listing
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


# -- Summaries --------------------------------------------------------------------------


def statistics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> str:
    """A count per rule, most frequent first: `  624  FL202  broken-link` (`[*]` fixable)."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fixable)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        return _json(
            [
                {"code": code, "name": name, "count": n, "fixable": fixable[code]}
                for (code, name), n in rows
            ]
        )
    width = len(str(rows[0][1])) if rows else 1
    return "".join(
        f"{n:>{width}}  {code}  {'[*] ' if fixable[code] else ''}{name}\n"
        for (code, name), n in rows
    )


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    files = len({d.path for d in diagnostics})
    noun = "file" if files_checked == 1 else "files"
    if not diagnostics:
        return f"All clear: {files_checked} {noun} checked."
    return (
        f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)}"
        f" in {files} of {files_checked} {noun} checked."
    )


def fixable_note(diagnostics: Sequence[Diagnostic]) -> str | None:
    """`[*] 12 fixable with --fix.` when some diagnostics have a safe fix."""
    n = sum(1 for d in diagnostics if d.fixable)
    return f"[*] {n} fixable with --fix." if n else None
