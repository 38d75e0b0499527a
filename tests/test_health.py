"""`formalai-lint report`: the HTML page, read back with an HTML parser (never matched whole)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from formalai_lint import svg
from formalai_lint.levelmap import Figure
from formalai_lint.rules.levels.model import Interval
from tests.conftest import run_cli

EXAMPLES = Path(__file__).parent.parent / "examples"
LEVELS = "concepts/03-收敛模型/"
# Every technology the example level documents describe, read by hand from the documents:
# (document, name, level, adoption, convergence, in its region, level findings).
EXPECTED_POINTS = [
    (LEVELS + "03.1.1-L4-完全收敛（工业标准）.md", "统一的数值格式", "?", 1.0, 0.99, None, "FL407"),
    (LEVELS + "03.1.2-L3-准收敛（事实垄断）.md", "主流分词方案", "L3", 0.90, 0.88, True, ""),
    (LEVELS + "03.1.3-L2-收敛进行时（双寡头竞争）.md", "稀疏模型", "L2", 0.55, 0.70, True, ""),
    (LEVELS + "03.1.3-L2-收敛进行时（双寡头竞争）.md", "稠密模型", "L2", 0.45, 0.70, False, ""),
    (LEVELS + "03.1.4-L1-未收敛（百家争鸣）.md", "显式思维链", "L1", 0.40, 0.45, True, ""),
    (LEVELS + "03.1.4-L1-未收敛（百家争鸣）.md", "隐式推理", "L1", 0.35, 0.45, True, ""),
    (LEVELS + "03.1.4-L1-未收敛（百家争鸣）.md", "检索辅助推理", "L1", 0.25, 0.45, True, ""),
    (LEVELS + "03.1.5-L0-反向分化（场景撕裂）.md", "端侧推理", "L0", 0.25, 0.15, True, ""),
    (LEVELS + "03.1.5-L0-反向分化（场景撕裂）.md", "云端推理", "L0", 0.40, 0.15, False, "FL401"),
]
SECTIONS = ("overview", "problems", "level-map", "link-health")


class Page(HTMLParser):
    """Every element's tag and attributes, the ids, the text of each table row."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.rows: dict[str, list[list[str]]] = {}  # table id -> rows of cell texts
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.text: list[str] = []
        self.lists: dict[str, list[str]] = {}  # details id -> texts of its list items
        self._details: str | None = None
        self._item: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        if tag == "table":
            self._table = found.get("id", "")
            self.rows.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self.rows[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "details" and "id" in found:
            self._details = found["id"]
            self.lists.setdefault(self._details, [])
        elif tag == "li" and self._details is not None:
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.rows[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "li" and self._item is not None and self._details is not None:
            self.lists[self._details].append("".join(self._item).strip())
            self._item = None
        elif tag == "details":
            self._details = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._item is not None:
            self._item.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if "id" in a}


def report(folder: Path, *args: str) -> tuple[int, Page, str]:
    output = folder.parent / f"{folder.name}-report.html"
    code, _, err = run_cli("report", str(folder), "--output", str(output), "--no-cache", *args)
    html = output.read_text(encoding="utf-8") if output.exists() else ""
    return code, Page(html), err


@pytest.fixture(scope="module")
def examples_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Page, str]:
    tree = tmp_path_factory.mktemp("ex") / "examples"
    shutil.copytree(EXAMPLES, tree)
    return report(tree, "--link-base", "https://example.org/kb/blob/main")


def test_examples_report_has_every_section_and_exits_like_check(
    examples_page: tuple[int, Page, str],
) -> None:
    code, page, err = examples_page
    assert code == 1  # examples/ holds errors, as `formalai-lint examples/` says
    assert "Found 19 errors and 2 warnings in 9 of 10 files checked." in err
    assert set(SECTIONS) <= page.ids()
    assert {"rules", "level-table", "most-linked", "broken-links", "orphans"} <= page.ids()
    rules = {row[0]: row for row in page.rows["rules"][1:]}
    assert rules["FL101"][2:] == ["1", "0", "1"]  # errors, warnings, fixable
    assert rules["FL302"][2:] == ["0", "1", "0"]
    assert sum(int(r[2]) + int(r[3]) for r in rules.values()) == 21


def test_every_level_map_point_is_where_its_figures_put_it(
    examples_page: tuple[int, Page, str],
) -> None:
    _, page, _ = examples_page
    (plot,) = page.find("rect", id="plot-area")
    x, y, w, h = (float(plot[k]) for k in ("x", "y", "width", "height"))
    points = page.find("circle", class_="point")
    read = []
    for p in points:
        a, c = float(p["data-adoption"]), float(p["data-convergence"])
        assert float(p["cx"]) == pytest.approx(x + a * w, abs=0.01)
        assert float(p["cy"]) == pytest.approx(y + h - c * h, abs=0.01)
        read.append((p["data-path"], p["data-name"], p["data-level"], a, c))
    assert read == [(d, n, lv, a, c) for d, n, lv, a, c, _, _ in EXPECTED_POINTS]
    table = page.rows["level-table"][1:]
    assert [row[1] for row in table] == [n for _, n, *_ in EXPECTED_POINTS]
    regions = {None: "level unknown", True: "yes", False: "no"}
    assert [row[6] for row in table] == [regions[e[5]] for e in EXPECTED_POINTS]
    findings = [row[7].split(" ")[0] if row[7] != "none" else "" for row in table]
    assert findings == [e[6] for e in EXPECTED_POINTS]
    flagged = page.find("circle", class_="flag")
    assert len(flagged) == sum(1 for e in EXPECTED_POINTS if e[6])


def test_level_regions_come_from_the_configuration(tmp_path: Path) -> None:
    tree = tmp_path / "kb"
    tree.mkdir()
    (tree / ".formalai-lint.toml").write_text(
        "[levels.L0]\nconvergence = { max = 0.5, max-inclusive = false }\n"
        "adoption = { max = 0.4 }\n[levels.L1]\nconvergence = { min = 0.5 }\n",
        encoding="utf-8",
    )
    (tree / "01-L1-示例.md").write_text(
        "# 01-L1: 示例\n\n## 代表技术\n\n| 维度 | 甲 | 乙 |\n|---|---|---|\n"
        "| 采用率 | 60% | 30% |\n| 收敛度 | 70% | 55% |\n",
        encoding="utf-8",
    )
    code, page, _ = report(tree)
    assert code == 0
    regions = {r["data-level"]: r for r in page.find("rect", class_="region")}
    assert sorted(regions) == ["L0", "L1"]
    (plot,) = page.find("rect", id="plot-area")
    y, w, h = (float(plot[k]) for k in ("y", "width", "height"))
    assert float(regions["L0"]["width"]) == pytest.approx(0.4 * w, abs=0.01)
    assert float(regions["L0"]["y"]) == pytest.approx(y + h / 2, abs=0.01)
    assert float(regions["L1"]["height"]) == pytest.approx(h / 2, abs=0.01)
    names = [p["data-name"] for p in page.find("circle", class_="point")]
    assert names == ["甲", "乙"]


def test_the_page_fetches_nothing(examples_page: tuple[int, Page, str]) -> None:
    """No element loads a resource: no script, stylesheet link, image, frame or font URL;
    `<a href>` links (to sources and rule pages) are plain links and may be absolute."""
    _, page, _ = examples_page
    tags = {tag for tag, _ in page.elements}
    assert not tags & {"script", "img", "iframe", "link", "object", "embed", "image", "use"}
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name in ("src", "srcset", "href", "xlink:href", "action", "poster", "data"):
                assert tag == "a" or not value.startswith(("http:", "https:", "//")), (tag, name)
    style = "".join(page.text)
    assert "@import" not in style and "url(" not in style


def test_findings_link_to_their_source_line_and_to_the_rule_page(
    examples_page: tuple[int, Page, str],
) -> None:
    _, page, _ = examples_page
    hrefs = {a["href"] for a in page.find("a")}
    assert "https://example.org/kb/blob/main/README.md#L27" in hrefs
    assert "https://github.com/formalai-lint/formalai-lint/blob/main/rules/FL202.md" in hrefs


def test_link_health_of_a_small_tree(tmp_path: Path) -> None:
    tree = tmp_path / "kb"
    (tree / "a").mkdir(parents=True)
    (tree / ".formalai-lint.toml").write_text("", encoding="utf-8")
    toc = "## 目录\n\n- [一](#一)\n\n## 一\n\n"
    related = "## 相关主题\n\n- [B](b.md)\n"
    (tree / "README.md").write_text("# 首页\n\n[A 文件夹](a/)\n", encoding="utf-8")
    (tree / "a" / "README.md").write_text("# A\n\n[B](b.md)\n[C](c.md)\n", encoding="utf-8")
    (tree / "a" / "b.md").write_text("# B\n\n" + toc + "[C](c.md)\n\n" + related, "utf-8")
    (tree / "a" / "c.md").write_text("# C\n\n" + toc + "## 相关主题\n\n- [X](x.md)\n", "utf-8")
    (tree / "a" / "lost.md").write_text("# 无人链接\n\n" + toc, encoding="utf-8")
    code, page, _ = report(tree)
    assert code == 1  # a/c.md's related topic x.md does not exist (FL301)
    most = page.rows["most-linked"][1:]
    assert most[0] == ["a/c.md", "2"]
    assert ["a/b.md", "1"] in most  # its own related-topics link to itself does not count
    assert ["a/README.md", "1"] in most  # a link to a folder counts for its README
    assert _items(page, "orphans") == ["a/lost.md"]  # READMEs are entry points
    assert _items(page, "without-toc") == ["README.md", "a/README.md"]
    assert _items(page, "without-related") == ["README.md", "a/README.md", "a/lost.md"]
    assert page.rows["broken-links"][1:] == [["a/", "1"]]


def _items(page: Page, id_: str) -> list[str]:
    """The texts of the list items inside the `<details id=id_>`."""
    return page.lists.get(id_, [])


def test_baseline_shows_new_and_fixed_and_decides_the_exit_code(tmp_path: Path) -> None:
    tree = tmp_path / "kb"
    tree.mkdir()
    (tree / ".formalai-lint.toml").write_text("", encoding="utf-8")
    doc = tree / "a.md"
    doc.write_text("# A\n\n[坏](#无)\n\n[也坏](#没有)\n", encoding="utf-8")
    base = tmp_path / "baseline.json"
    assert run_cli(str(tree), "--write-baseline", str(base), "--no-cache")[0] == 0
    doc.write_text("# A\n\n[坏](#无)\n\n[新坏](#新的)\n", encoding="utf-8")
    code, page, err = report(tree, "--baseline", str(base))
    assert code == 1  # one new finding
    assert "accounts for 1 diagnostics" in err
    assert [r[0] for r in page.rows["new"][1:]] == ["FL201"]
    assert page.rows["fixed"][1:] == [["FL201", "a.md", "#没有"]]
    doc.write_text("# A\n\n[坏](#无)\n", encoding="utf-8")
    code, page, _ = report(tree, "--baseline", str(base))
    assert code == 0  # only what the baseline holds is left
    assert "new" not in page.ids()


def test_user_mistakes_are_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run_cli("report", str(tmp_path / "missing"), "--output", "x.html")
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err
    code, _, err = run_cli("report", str(tmp_path))
    assert code == 2 and "--output" in err


def test_figures_are_placed_at_the_value_their_text_names() -> None:
    def at(low: float, high: float) -> float:
        return Figure("", Interval(low, high), 1, 1).at

    assert at(0.4, 0.4) == 0.4
    assert at(0.9, 1.0) == 0.9  # 90%+
    assert at(0.0, 0.3) == 0.3  # <30%
    assert at(0.5, 0.7) == pytest.approx(0.6)  # 50-70%


def test_svg_writer_escapes_and_rounds() -> None:
    assert svg.element("rect", {"x": 1.0, "y": 2.345, "class_": "a", "data_n": None}) == (
        '<rect x="1" y="2.35" class="a"/>'
    )
    assert svg.text(0, 0, "<a & b>", text_anchor="end") == (
        '<text x="0" y="0" text-anchor="end">&lt;a &amp; b&gt;</text>'
    )
    assert svg.title('"x"') == "<title>&quot;x&quot;</title>"
    assert svg.element("g", {"fill": '"><script>'}, ["<x/>"]) == (
        '<g fill="&quot;&gt;&lt;script&gt;"><x/></g>'
    )
    assert svg.document(10, 5, []).startswith('<svg viewBox="0 0 10 5"')


def test_what_documents_write_is_escaped(tmp_path: Path) -> None:
    """A hostile file name, link and heading cannot add an element or a fetch to the page."""
    tree = tmp_path / "kb"
    tree.mkdir()
    (tree / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (tree / "<script>x.md").write_text(
        "# 标题\n\n[坏](#%22%3E%3Cimg%20src=https://x.example/a.png%3E)\n"
        "[坏](missing<script>.md)\n",
        encoding="utf-8",
    )
    code, page, _ = report(tree, "--link-base", "https://example.org/r")
    assert code == 1
    tags = {tag for tag, _ in page.elements}
    assert "script" not in tags and "img" not in tags
    assert any("<script>x.md" in text for text in page.text)
    assert any('"><img src=https://x.example/a.png>' in text for text in page.text)
    assert any("missing<script>.md" in text for text in page.text)
    hrefs = [a["href"] for a in page.find("a") if a["href"].startswith("https://example.org")]
    assert "https://example.org/r/%3Cscript%3Ex.md#L3" in hrefs


def test_files_named_are_reported_with_those_linking_into_them_as_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "kb"
    tree.mkdir()
    (tree / ".formalai-lint.toml").write_text("", encoding="utf-8")
    (tree / "a.md").write_text("# A\n\n[B 的二](b.md#二)\n", encoding="utf-8")
    (tree / "b.md").write_text("# B\n\n## 一\n", encoding="utf-8")
    (tree / "c.md").write_text("# C\n\n[坏](#无)\n", encoding="utf-8")
    monkeypatch.chdir(tree)
    code, _, check_err = run_cli("b.md", "--no-cache")
    output = tmp_path / "r.html"
    report_code, _, err = run_cli("report", "b.md", "--output", str(output), "--no-cache")
    assert (report_code, code) == (1, 1)  # a.md's link into b.md, not c.md's
    assert check_err.splitlines()[-1] in err.splitlines()
    page = Page(output.read_text(encoding="utf-8"))
    assert [row[0] for row in page.rows["rules"][1:]] == ["FL203"]
