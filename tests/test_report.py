"""Output formats (text, json, sarif, github, junit), --output-file and --statistics, on a
small project with an error, a warning and a non-ASCII path. JSON is validated against
schemas/diagnostics.schema.json, SARIF against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from formalai_lint import registry
from formalai_lint.cli import main
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.report import github_line, statistics, text_line
from formalai_lint.resources import RULE_URL

REPO = Path(__file__).resolve().parent.parent
# The official schema, vendored with its notice (tests/data/sarif/NOTICE): no test depends on a
# copy outside the checkout, and none skips.
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-2.1.0.json"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (tmp_path / "概念").mkdir()
    (tmp_path / "概念" / "收敛.md").write_text(
        "# 收敛\n\n见[缺失的一节](#不存在)。\n\n"
        "<!-- formalai-lint-disable-next-line FL202 -->\n正文。\n",
        encoding="utf-8",
    )
    (tmp_path / "clean.md").write_text("# 干净\n\n[本文](#干净)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_text_lists_path_line_column_code_and_marks_warnings(docs: Path) -> None:
    code, out, err = run(".")
    assert code == 1
    assert out.splitlines() == [
        "概念/收敛.md:3:2: FL201 no heading or anchor `#不存在` in this file",
        "概念/收敛.md:5:1: FL901 `FL202` in `<!-- formalai-lint-disable-next-line FL202 -->`"
        " suppresses nothing [warning]",
    ]
    assert "Found 1 error and 1 warning in 1 of 2 files checked." in err


def test_text_colour_only_when_asked_and_fix_marker() -> None:
    diag = Diagnostic("a.md", 1, 2, "FL201", "msg", name="broken-fragment", fixable=True)
    plain = text_line("a.md", diag)
    assert plain == "a.md:1:2: FL201 [*] msg"
    coloured = text_line("a.md", diag, color=True)
    assert "\x1b[" in coloured and plain in _strip_ansi(coloured)


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_no_colour_when_not_a_terminal_or_no_color_set(docs: Path) -> None:
    # CliRunner's stdout is not a terminal; NO_COLOR must win even if it were
    assert "\x1b[" not in run(".")[1]
    assert "\x1b[" not in run(".", env={"NO_COLOR": "1"})[1]


def test_json_validates_against_the_diagnostics_schema(docs: Path) -> None:
    code, out, _ = run(".", "--output-format", "json")
    data = json.loads(out)
    schema = json.loads((REPO / "schemas" / "diagnostics.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert code == 1
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in data] == [
        ("概念/收敛.md", 3, 2, "FL201"),
        ("概念/收敛.md", 5, 1, "FL901"),
    ]
    first = data[0]
    assert first["name"] == "broken-fragment"
    assert first["severity"] == "error"
    assert first["text"] == "#不存在"
    assert first["fixable"] is False
    assert data[1]["severity"] == "warning"


def test_json_schema_rejects_a_wrong_shape() -> None:
    schema = json.loads((REPO / "schemas" / "diagnostics.schema.json").read_text("utf-8"))
    bad = [{"path": "a.md", "line": 0, "column": 1, "code": "FL201"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)


def test_sarif_validates_against_the_official_schema(docs: Path) -> None:
    code, out, _ = run(".", "--output-format", "sarif")
    sarif = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in registry.all_rules()]
    by_id = {r["id"]: r for r in rules}
    assert by_id["FL201"]["name"] == "broken-fragment"
    assert by_id["FL201"]["helpUri"] == RULE_URL.format(code="FL201")
    page = (REPO / "rules" / "FL201.md").read_text(encoding="utf-8")
    assert by_id["FL201"]["help"]["markdown"] == page
    assert by_id["FL901"]["defaultConfiguration"]["level"] == "warning"
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("FL201", "error"),
        ("FL901", "warning"),
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    # a relative URI, percent-encoded (non-ASCII is not allowed in a URI)
    assert location["artifactLocation"]["uri"] == "%E6%A6%82%E5%BF%B5/%E6%94%B6%E6%95%9B.md"
    # the end is the column just after the link `[缺失的一节](#不存在)`
    assert location["region"] == {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 15}
    assert rules[results[0]["ruleIndex"]]["id"] == "FL201"


def test_sarif_fingerprints_ignore_line_numbers(docs: Path) -> None:
    before = json.loads(run(".", "--output-format", "sarif")[1])["runs"][0]["results"][0]
    page = docs / "概念" / "收敛.md"
    page.write_text("\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(run(".", "--output-format", "sarif")[1])["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert after["partialFingerprints"] == before["partialFingerprints"]


IDENTICAL = "# 甲\n\n见[坏](没有.md)。\n\n又见[坏](没有.md)。\n\n[坏](没有.md)\n"


def _fingerprints(fmt: str) -> list[tuple[int, str]]:
    out = run(".", "--output-format", fmt, "--no-cache")[1]
    if fmt == "gitlab":
        return [
            (i["location"]["positions"]["begin"]["line"], i["fingerprint"]) for i in json.loads(out)
        ]
    return [
        (
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["formalaiLint/v2"],
        )
        for r in json.loads(out)["runs"][0]["results"]
    ]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_identical_findings_get_distinct_fingerprints_that_survive_moves(
    docs: Path, fmt: str
) -> None:
    (docs / "b.md").write_text(IDENTICAL, encoding="utf-8")
    (docs / "c.md").write_text(IDENTICAL, encoding="utf-8")
    before = _fingerprints(fmt)
    prints = [p for _, p in before]
    assert len(before) == 8 and len(set(prints)) == len(prints)
    (docs / "b.md").write_text("# 甲\n\n新的一段。\n\n" + IDENTICAL[4:], encoding="utf-8")
    after = _fingerprints(fmt)
    assert [p for _, p in after] == prints  # the same alerts, two lines further down
    assert [line for line, _ in after] != [line for line, _ in before]


def test_gitlab_code_quality_report_has_the_documented_shape(docs: Path) -> None:
    code, out, _ = run(".", "--output-format", "gitlab")
    report = json.loads(out)
    schema = json.loads(
        (REPO / "tests" / "data" / "gitlab-codequality.schema.json").read_text("utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(report)
    assert code == 1
    assert [(i["check_name"], i["severity"]) for i in report] == [
        ("FL201", "major"),
        ("FL901", "minor"),
    ]
    assert report[0]["location"] == {
        "path": "概念/收敛.md",
        "positions": {"begin": {"line": 3, "column": 2}, "end": {"line": 3, "column": 15}},
    }
    assert report[0]["description"].startswith("FL201 broken-fragment: no heading or anchor")
    with pytest.raises(jsonschema.ValidationError):  # the schema does reject a wrong shape
        jsonschema.Draft202012Validator(schema).validate([{**report[0], "severity": "error"}])


def test_json_and_github_carry_the_end_of_the_span(docs: Path) -> None:
    first = json.loads(run(".", "--output-format", "json")[1])[0]
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (3, 2, 3, 15)
    line = run(".", "--output-format", "github")[1].splitlines()[0]
    assert ",line=3,col=2,endLine=3,endColumn=15," in line


def test_github_workflow_commands(docs: Path) -> None:
    code, out, _ = run(".", "--output-format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=概念/收敛.md,line=3,col=2,endLine=3,endColumn=15,title=FL201 broken-fragment::"
        "no heading or anchor `#不存在` in this file",
        "::warning file=概念/收敛.md,line=5,col=1,title=FL901 unused-suppression::"
        "`FL202` in `<!-- formalai-lint-disable-next-line FL202 -->` suppresses nothing",
    ]


def test_github_escapes_properties_and_data() -> None:
    diag = Diagnostic(
        "a,b.md", 2, 3, "FL202", "50% broken:\nsee", name="broken-link", end_line=2, end_column=9
    )
    assert github_line("dir:x/a,b.md", diag) == (
        "::error file=dir%3Ax/a%2Cb.md,line=2,col=3,endLine=2,endColumn=9,"
        "title=FL202 broken-link::50%25 broken:%0Asee"
    )


def test_junit_has_one_testcase_per_checked_file(docs: Path) -> None:
    code, out, _ = run(".", "--output-format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"clean.md", "概念/收敛.md"}
    assert list(cases["clean.md"]) == []
    failure = cases["概念/收敛.md"].find("failure")
    assert failure is not None and failure.text is not None
    assert "概念/收敛.md:3:2: FL201" in failure.text
    assert "FL901" in failure.text  # warnings of a failing file are listed too


def test_junit_file_with_only_warnings_passes(docs: Path) -> None:
    page = docs / "概念" / "收敛.md"
    page.write_text(page.read_text(encoding="utf-8").replace("#不存在", "#收敛"), "utf-8")
    code, out, _ = run(".", "--output-format", "junit")
    assert code == 0
    case = next(c for c in ET.fromstring(out).iter("testcase") if c.get("name") == "概念/收敛.md")
    assert case.find("failure") is None
    out_text = case.find("system-out")
    assert out_text is not None and "FL901" in (out_text.text or "")


def test_output_file_receives_the_output_and_stdout_stays_empty(docs: Path) -> None:
    code, out, err = run(".", "--output-format", "sarif", "--output-file", "reports/lint.sarif")
    assert code == 1
    assert out == ""
    written = json.loads((docs / "reports" / "lint.sarif").read_text(encoding="utf-8"))
    assert written["runs"][0]["results"][0]["ruleId"] == "FL201"
    assert "Found 1 error" in err


def test_output_file_that_cannot_be_written_is_a_one_line_error(docs: Path) -> None:
    code, _, err = run(".", "--output-file", "clean.md/out.txt")
    assert code == 2
    assert err.startswith("formalai-lint: error: cannot write output file `clean.md/out.txt`")
    assert "Traceback" not in err


def test_statistics_counts_per_rule(docs: Path) -> None:
    (docs / "more.md").write_text("# 多\n\n[一](#一) [二](#二)\n", encoding="utf-8")
    code, out, _ = run(".", "--statistics")
    assert code == 1
    assert out.splitlines() == ["3  FL201  broken-fragment", "1  FL901  unused-suppression"]
    data = json.loads(run(".", "--statistics", "--output-format", "json")[1])
    assert data == [
        {"code": "FL201", "name": "broken-fragment", "count": 3, "fixable": 0},
        {"code": "FL901", "name": "unused-suppression", "count": 1, "fixable": 0},
    ]


def test_statistics_marks_fixable_rules() -> None:
    diags = [
        Diagnostic("a.md", 1, 1, "FL101", "m", name="toc-missing-entry", fixable=True),
        Diagnostic(
            "a.md", 2, 1, "FL302", "m", name="related-title-mismatch", severity=Severity.WARNING
        ),
    ]
    assert (
        statistics(diags) == "1  FL101  [*] toc-missing-entry\n1  FL302  related-title-mismatch\n"
    )


def test_statistics_with_a_format_it_cannot_print_is_a_usage_error(docs: Path) -> None:
    code, _, err = run(".", "--statistics", "--output-format", "sarif")
    assert code == 2
    assert err == "formalai-lint: error: --statistics prints text or json, not sarif\n"
