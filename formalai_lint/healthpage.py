"""The health report as one self-contained HTML page: a pure function of `health.Health`.

Everything is inline (styles, SVG charts); the page has no script and loads nothing: the only
URLs in it are plain links (to the sources with `--link-base`, and to the rule pages).
Hovering a point of the level map shows its `<title>`; tapping it jumps to its row in the
table below the map. Folders and documents are `<details>`, so a large knowledge base opens
folded.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

from formalai_lint import svg
from formalai_lint._version import __version__
from formalai_lint.diagnostic import Severity
from formalai_lint.health import Folder, Health
from formalai_lint.levelmap import LevelMap, Point, Region
from formalai_lint.resources import RULE_URL

# Level colours, L0 (scattered) to L4 (standard); other configured levels take the rest.
LEVEL_COLOURS = ("#c62828", "#ef6c00", "#9e9d24", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f")
UNKNOWN_COLOUR = "#757575"
FLAG_COLOUR = "#d50000"
LABEL_LENGTH = 14  # characters of a technology's name written beside its point

# The level map's geometry (SVG user units; the SVG scales to the page's width).
MAP_WIDTH, MAP_HEIGHT = 720.0, 540.0
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 58.0, 14.0, 704.0, 482.0

STYLE = """
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;
--err:#c62828;--warn:#b26a00;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0 auto;max-width:68rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,
"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
color:var(--fg);background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem}
a{color:#0969da}nav a{margin-right:1rem}
.muted{color:var(--muted)}.err{color:var(--err)}.warn{color:var(--warn)}.ok{color:var(--ok)}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{border:1px solid var(--line);border-radius:8px;padding:.5rem .8rem;min-width:8.5rem;
background:var(--bg2)}.card b{display:block;font-size:1.4rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}td.n{text-align:right;font-variant-numeric:tabular-nums}
details{margin:.15rem 0 .15rem .2rem}details details{margin-left:1.1rem}
summary{cursor:pointer}summary .c{margin-left:.4rem}
.badge{display:inline-block;border-radius:4px;padding:0 .3rem;font-size:.8rem;
background:#ffebe9;color:var(--err)}.badge.new{background:#ddf4ff;color:#0550ae}
ul.files{columns:2 22rem;padding-left:1.2rem}ul.files li,td{overflow-wrap:anywhere}
svg{display:block;width:100%;height:auto;max-width:48rem}svg.bars{max-width:36rem}
svg text{font:12px system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
tr:target{background:#fff8c5}
.legend span{display:inline-block;margin-right:1rem;font-size:.9rem}
.sw{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;vertical-align:middle;
margin-right:.25rem}
@media (max-width:40rem){body{padding:.5rem;font-size:14px}ul.files{columns:1}}
"""


def render(health: Health, link_base: str | None = None) -> str:
    """The whole page."""
    sections = [
        _overview(health),
        _problems(health, link_base),
        _level_map(health.level_map, link_base),
        _links(health, link_base),
    ]
    title = f"formalai-lint report: {health.project}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="muted">{health.files_checked} documents checked by formalai-lint '
        f"{escape(__version__)}.</p>"
        '<nav><a href="#overview">Overview</a><a href="#problems">Where the problems are</a>'
        '<a href="#level-map">Level map</a><a href="#link-health">Link health</a></nav>'
        "</header>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


# --- links -------------------------------------------------------------------------------------


def source_url(link_base: str | None, path: str, line: int | None = None) -> str | None:
    """`LINK_BASE/path#Lline` (a repository's blob URL as the base), or None without a base."""
    if not link_base:
        return None
    anchor = f"#L{line}" if line else ""
    return f"{link_base.rstrip('/')}/{quote(path)}{anchor}"


def _link(url: str | None, label: str) -> str:
    text = escape(label)
    return f'<a href="{escape(url, quote=True)}">{text}</a>' if url else text


def _rule_link(code: str) -> str:
    return _link(RULE_URL.format(code=code), code)


def _document(link_base: str | None, path: str, line: int | None = None) -> str:
    label = f"{path}:{line}" if line else path
    return _link(source_url(link_base, path, line), label)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], **attrs: str) -> str:
    """A table; `header` cells are escaped, row cells are HTML already."""
    extra = "".join(f' {k.rstrip("_")}="{escape(v, quote=True)}"' for k, v in attrs.items())
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table{extra}><tr>{head}</tr>{body}</table></div>'


def _cell(value: object, numeric: bool = False) -> str:
    return f'<td class="n">{value}</td>' if numeric else f"<td>{value}</td>"


def _counts(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f'<span class="err">{errors} error{"s" * (errors != 1)}</span>')
    if warnings:
        parts.append(f'<span class="warn">{warnings} warning{"s" * (warnings != 1)}</span>')
    return ", ".join(parts) or '<span class="ok">clean</span>'


# --- 1. overview -------------------------------------------------------------------------------


def _overview(health: Health) -> str:
    cards = [
        ("documents checked", str(health.files_checked)),
        ("errors", str(health.errors)),
        ("warnings", str(health.warnings)),
        ("fixable with --fix", str(health.fixable)),
    ]
    delta = health.baseline
    if delta is not None:
        cards += [
            ("new since the baseline", str(delta.new)),
            ("fixed since the baseline", str(len(delta.fixed))),
            ("accounted for by the baseline", str(delta.matched)),
        ]
    parts = [
        '<section id="overview"><h2>Overview</h2><div class="cards">',
        *(f'<div class="card"><b>{value}</b>{escape(label)}</div>' for label, value in cards),
        "</div>",
    ]
    if health.families:
        parts.append("<h3>Per rule family</h3>" + _family_chart(health))
    if health.rules:
        header = ["rule", "name", "errors", "warnings", "fixable with --fix"]
        if delta is not None:
            header.append("new")
        rows = []
        for r in health.rules:
            row = [
                _cell(_rule_link(r.code)),
                _cell(escape(r.name)),
                _cell(r.errors, True),
                _cell(r.warnings, True),
                _cell(r.fixable, True),
            ]
            if delta is not None:
                row.append(_cell(r.new, True))
            rows.append(row)
        parts.append("<h3>Per rule</h3>" + _table(header, rows, id="rules"))
    else:
        parts.append('<p class="ok">No findings.</p>')
    if delta is not None:
        parts.append(_baseline_section(health))
    parts.append("</section>")
    return "".join(parts)


def _family_chart(health: Health) -> str:
    """Horizontal bars, errors then warnings, one per rule family."""
    rows = health.families
    most = max((f.errors + f.warnings for f in rows), default=1) or 1
    left, width, bar, gap = 140.0, 260.0, 16.0, 8.0
    height = len(rows) * (bar + gap) + gap
    children = []
    for i, family in enumerate(rows):
        y = gap + i * (bar + gap)
        label = f"{family.prefix}xx {family.name}"
        children.append(svg.text(4, y + 12, label))
        x = left
        for count, colour in ((family.errors, "#c62828"), (family.warnings, "#e0a100")):
            if count:
                w = max(1.0, width * count / most)
                children.append(
                    svg.element(
                        "rect",
                        {"x": x, "y": y, "width": w, "height": bar, "fill": colour},
                        [svg.title(f"{label}: {count}")],
                    )
                )
                x += w
        children.append(svg.text(x + 4, y + 12, _plain_counts(family.errors, family.warnings)))
    return svg.document(left + width + 100, height, children, role="img", class_="bars")


def _plain_counts(errors: int, warnings: int) -> str:
    return f"{errors} E" + (f" + {warnings} W" if warnings else "")


def _baseline_section(health: Health) -> str:
    delta = health.baseline
    assert delta is not None
    parts = [f"<h3>Since the baseline <code>{escape(delta.path)}</code></h3>"]
    new = [d for d in health.diagnostics if d in health.new]
    parts.append(
        f"<p>{delta.new} new finding{'s' * (delta.new != 1)} (marked "
        f'<span class="badge new">new</span> below), {len(delta.fixed)} fixed, '
        f"{delta.matched} still as recorded.</p>"
    )
    if new:
        rows = [
            [
                _cell(_rule_link(d.code)),
                _cell(escape(f"{d.path}:{d.line}")),
                _cell(escape(d.message)),
            ]
            for d in new
        ]
        parts.append("<details><summary>New findings</summary>")
        parts.append(_table(["rule", "where", "finding"], rows, id="new") + "</details>")
    if delta.fixed:
        rows = [
            [_cell(_rule_link(code)), _cell(escape(path)), _cell(escape(text))]
            for path, code, text in delta.fixed
        ]
        parts.append("<details><summary>Fixed since the baseline</summary>")
        parts.append(_table(["rule", "document", "text"], rows, id="fixed") + "</details>")
    return "".join(parts)


# --- 2. where the problems are -----------------------------------------------------------------


def _problems(health: Health, link_base: str | None) -> str:
    tree = health.tree
    intro = (
        "<p>Folders with findings, worst first (errors, then all findings); "
        "open a document to see its findings.</p>"
    )
    if not tree.total:
        body = '<p class="ok">No findings.</p>'
    else:
        body = _folder(tree, health, link_base, open_=True)
    return f'<section id="problems"><h2>Where the problems are</h2>{intro}{body}</section>'


def _folder(folder: Folder, health: Health, link_base: str | None, open_: bool) -> str:
    summary = (
        f"<summary><b>{escape(folder.name)}/</b>"
        f'<span class="c">{_counts(folder.errors, folder.warnings)}</span></summary>'
    )
    inner = [_folder(sub, health, link_base, False) for sub in folder.folders]
    for doc in folder.documents:
        rows = []
        for d in doc.findings:
            severity = "err" if d.severity == Severity.ERROR else "warn"
            badges = '<span class="badge new">new</span> ' if d in health.new else ""
            fix = " [*]" if d.fixable else ""
            rows.append(
                [
                    _cell(_link(source_url(link_base, d.path, d.line), str(d.line)), True),
                    _cell(_rule_link(d.code) + fix),
                    _cell(f'<span class="{severity}">{d.severity.value}</span>'),
                    _cell(badges + escape(d.message)),
                ]
            )
        inner.append(
            f"<details><summary>{_link(source_url(link_base, doc.path), _name(doc.path))}"
            f'<span class="c">{_counts(doc.errors, doc.warnings)}</span></summary>'
            + _table(["line", "rule", "severity", "finding"], rows)
            + "</details>"
        )
    opened = " open" if open_ else ""
    return f'<details class="folder"{opened}>{summary}{"".join(inner)}</details>'


def _name(path: str) -> str:
    return posixpath.basename(path) or path


# --- 3. the level map --------------------------------------------------------------------------


def level_colours(level_map: LevelMap) -> dict[str, str]:
    """A colour per configured level, L0 first (by number)."""
    ids = sorted((r.level for r in level_map.regions), key=lambda i: int(i[1:]))
    return {level: LEVEL_COLOURS[i % len(LEVEL_COLOURS)] for i, level in enumerate(ids)}


def _x(value: float) -> float:
    return PLOT_LEFT + value * (PLOT_RIGHT - PLOT_LEFT)


def _y(value: float) -> float:
    return PLOT_BOTTOM - value * (PLOT_BOTTOM - PLOT_TOP)


def _level_map(level_map: LevelMap, link_base: str | None) -> str:
    colours = level_colours(level_map)
    points = level_map.points
    documents = sorted({p.path for p in points})
    outside = [p for p in points if p.fits is False]
    flagged = [p for p in points if p.findings]
    intro = (
        f"<p>{len(points)} technolog{'y' if len(points) == 1 else 'ies'} of "
        f"{len(documents)} level document{'s' * (len(documents) != 1)}, placed by the "
        "adoption rate (x) and the convergence degree (y) each states, over the regions of the "
        f"configured levels. {len(outside)} lie outside their document's level; "
        f"{len(flagged)} are named by a level finding (FL401–FL407). A filled point lies in "
        "its level's region, a hollow one outside it; a red ring marks a finding. A line "
        "through a point spans a stated range (<code>90%+</code>, <code>50-70%</code>). Hover a point for its "
        "document and finding, or tap it for its row in the table.</p>"
    )
    legend = "".join(
        f'<span><i class="sw" style="background:{colour}"></i>{escape(level)} '
        f"{escape(region.name)}: {escape(region.adoption_text)}, "
        f"{escape(region.convergence_text)}</span>"
        for level, colour in colours.items()
        for region in [_region(level_map, level)]
    )
    rows = []
    for n, p in enumerate(points, 1):
        findings = (
            "<br>".join(f"{_rule_link(d.code)} {escape(d.message)}" for d in p.findings)
            or '<span class="muted">none</span>'
        )
        fits = {True: "yes", False: '<span class="err">no</span>', None: "level unknown"}[p.fits]
        rows.append(
            [
                f'<td id="pt-{n}" class="n">{n}</td>',
                _cell(escape(p.name)),
                _cell(_document(link_base, p.path, p.adoption.line)),
                _cell(escape(p.level or "?")),
                _cell(escape(p.adoption.text), True),
                _cell(escape(p.convergence.text), True),
                _cell(fits),
                _cell(findings),
            ]
        )
    table = _table(
        [
            "#",
            "technology",
            "document:line",
            "level",
            "adoption",
            "convergence",
            "in its region",
            "level findings",
        ],
        rows,
        id="level-table",
    )
    if not points:
        table = '<p class="muted">No level document with a technology table was found.</p>'
    return (
        f'<section id="level-map"><h2>The level map</h2>{intro}'
        f'<p class="legend">{legend}<span><i class="sw" style="background:{UNKNOWN_COLOUR}">'
        "</i>? level not stated consistently</span></p>"
        f"{level_map_svg(level_map, colours)}{table}</section>"
    )


def _region(level_map: LevelMap, level: str) -> Region:
    return next(r for r in level_map.regions if r.level == level)


def level_map_svg(level_map: LevelMap, colours: dict[str, str]) -> str:
    """The scatter plot: level regions, axes, and one labelled point per technology."""
    children = [
        svg.element(
            "rect",
            {
                "id": "plot-area",
                "x": PLOT_LEFT,
                "y": PLOT_TOP,
                "width": PLOT_RIGHT - PLOT_LEFT,
                "height": PLOT_BOTTOM - PLOT_TOP,
                "fill": "#fff",
                "stroke": "#8c959f",
            },
        )
    ]
    for region in level_map.regions:
        children.extend(_region_shapes(region, colours[region.level]))
    children.extend(_axes())
    # Labels keep clear of every point and of the labels placed before them.
    placed = [
        (
            _x(p.adoption.at) - 7,
            _y(p.convergence.at) - 7,
            _x(p.adoption.at) + 7,
            _y(p.convergence.at) + 7,
        )
        for p in level_map.points
    ]
    for n, point in enumerate(level_map.points, 1):
        children.append(_point(n, point, colours, placed))
    return svg.document(
        MAP_WIDTH,
        MAP_HEIGHT,
        children,
        id="level-map-chart",
        role="img",
        aria_label="The level map: adoption rate against convergence degree",
    )


def _region_shapes(region: Region, colour: str) -> list[str]:
    """The level's convergence band across the plot, and its region (band x adoption)."""
    top, bottom = _y(region.convergence.high), _y(region.convergence.low)
    left = _x(region.adoption.low)
    width = max(4.0, _x(region.adoption.high) - left)
    if left + width > PLOT_RIGHT:
        left = PLOT_RIGHT - width
    tip = f"{region.level} {region.name}: {region.adoption_text}, {region.convergence_text}"
    return [
        svg.element(
            "rect",
            {
                "x": PLOT_LEFT,
                "y": top,
                "width": PLOT_RIGHT - PLOT_LEFT,
                "height": bottom - top,
                "fill": colour,
                "fill-opacity": "0.06",
                "pointer-events": "none",
            },
        ),
        svg.element(
            "rect",
            {
                "class": "region",
                "data-level": region.level,
                "x": left,
                "y": top,
                "width": width,
                "height": bottom - top,
                "fill": colour,
                "fill-opacity": "0.22",
                "stroke": colour,
                "stroke-width": "1.5",
            },
            [svg.title(tip)],
        ),
        svg.text(
            PLOT_LEFT + 4,
            min(bottom - 4, top + 13),
            f"{region.level} {region.name}",
            fill=colour,
            font_weight="bold",
        ),
    ]


def _axes() -> list[str]:
    parts = []
    for i in range(11):
        v = i / 10
        x, y = _x(v), _y(v)
        grid = {"stroke": "#d0d7de", "stroke-width": "0.5"}
        parts.append(
            svg.element("line", {"x1": x, "y1": PLOT_TOP, "x2": x, "y2": PLOT_BOTTOM, **grid})
        )
        parts.append(
            svg.element("line", {"x1": PLOT_LEFT, "y1": y, "x2": PLOT_RIGHT, "y2": y, **grid})
        )
        parts.append(svg.text(x, PLOT_BOTTOM + 16, f"{i * 10}%", text_anchor="middle"))
        parts.append(svg.text(PLOT_LEFT - 6, y + 4, f"{i * 10}%", text_anchor="end"))
    middle_x = (PLOT_LEFT + PLOT_RIGHT) / 2
    parts.append(
        svg.text(
            middle_x, MAP_HEIGHT - 24, "采用率 a: adoption of the technology", text_anchor="middle"
        )
    )
    middle_y = (PLOT_TOP + PLOT_BOTTOM) / 2
    parts.append(
        svg.text(
            14,
            middle_y,
            "收敛度 C: convergence degree",
            text_anchor="middle",
            transform=f"rotate(-90 14 {middle_y:.1f})",
        )
    )
    return parts


def _label_width(text: str) -> float:
    return sum(12.0 if ord(ch) > 0x2E7F else 7.0 for ch in text)


def _point(
    n: int, point: Point, colours: dict[str, str], placed: list[tuple[float, float, float, float]]
) -> str:
    colour = colours.get(point.level or "", UNKNOWN_COLOUR)
    a, c = point.adoption, point.convergence
    cx, cy = _x(a.at), _y(c.at)
    shapes = []
    if a.interval.high - a.interval.low > 1e-9:
        shapes.append(
            svg.element(
                "line",
                {
                    "x1": _x(a.interval.low),
                    "y1": cy,
                    "x2": _x(a.interval.high),
                    "y2": cy,
                    "stroke": colour,
                    "stroke-width": "2",
                    "stroke-opacity": "0.6",
                },
            )
        )
    if c.interval.high - c.interval.low > 1e-9:
        shapes.append(
            svg.element(
                "line",
                {
                    "x1": cx,
                    "y1": _y(c.interval.low),
                    "x2": cx,
                    "y2": _y(c.interval.high),
                    "stroke": colour,
                    "stroke-width": "2",
                    "stroke-opacity": "0.6",
                },
            )
        )
    if point.findings:
        shapes.append(
            svg.element(
                "circle",
                {
                    "cx": cx,
                    "cy": cy,
                    "r": 10.0,
                    "fill": "none",
                    "stroke": FLAG_COLOUR,
                    "stroke-width": "2.5",
                    "class": "flag",
                },
            )
        )
    shapes.append(
        svg.element(
            "circle",
            {
                "class": "point",
                "cx": cx,
                "cy": cy,
                "r": 6.0,
                "fill": "#fff" if point.fits is False else colour,
                "stroke": colour if point.fits is False else "#24292f",
                "stroke-width": "2.5" if point.fits is False else "1",
                "data-path": point.path,
                "data-line": point.adoption.line,
                "data-level": point.level or "?",
                "data-name": point.name,
                "data-adoption": f"{a.at:.4f}",
                "data-convergence": f"{c.at:.4f}",
            },
        )
    )
    name = point.name if len(point.name) <= LABEL_LENGTH else point.name[: LABEL_LENGTH - 1] + "…"
    label = f"{n} {name}"
    width = _label_width(label)
    right = cx + 10 + width <= PLOT_RIGHT
    x0 = cx + 10 if right else cx - 10 - width
    # Beside the point, else moved down or up (alternately) past what is already placed.
    for shift in (0, 13, -13, 26, -26, 39, -39, 52, -52, 65, -65, 78, 91, 104):
        y = cy + 4 + shift
        box = (x0, y - 11, x0 + width, y + 2)
        if PLOT_TOP + 11 <= y <= MAP_HEIGHT - 40 and not any(
            _overlap(box, other) for other in placed
        ):
            break
    placed.append((x0, y - 11, x0 + width, y + 2))
    if abs(y - cy - 4) > 1e-9:  # a leader from the moved label to its point
        shapes.append(
            svg.element(
                "line",
                {
                    "x1": cx,
                    "y1": cy,
                    "x2": x0 if right else x0 + width,
                    "y2": y - 4,
                    "stroke": "#8c959f",
                    "stroke-width": "0.75",
                },
            )
        )
    shapes.append(
        svg.text(
            cx + 10 if right else cx - 10,
            y,
            label,
            text_anchor=None if right else "end",
            fill="#24292f",
        )
    )
    tip = f"{point.path}:{a.line} · {point.name} · a {a.text}, C {c.text} · {point.level or '?'}"
    if point.fits is False:
        tip += " · outside its level's region"
    for d in point.findings:
        tip += f"\n{d.code} (line {d.line}): {d.message}"
    return svg.element("a", {"href": f"#pt-{n}", "class": "map-point"}, [svg.title(tip), *shapes])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- 4. link health ----------------------------------------------------------------------------


def _files(paths: Sequence[str], link_base: str | None) -> str:
    if not paths:
        return '<p class="ok">None.</p>'
    items = "".join(f"<li>{_document(link_base, p)}</li>" for p in paths)
    return f'<ul class="files">{items}</ul>'


def _links(health: Health, link_base: str | None) -> str:
    links = health.links
    most = _table(
        ["document", "linked from (documents)"],
        ([_cell(_document(link_base, p)), _cell(n, True)] for p, n in links.most_linked),
        id="most-linked",
    )
    broken = (
        _table(
            ["folder", "broken links"],
            ([_cell(escape(f + "/")), _cell(n, True)] for f, n in links.broken_by_folder),
            id="broken-links",
        )
        if links.broken_by_folder
        else '<p class="ok">No broken link.</p>'
    )

    def folded(title: str, paths: Sequence[str], id_: str) -> str:
        return (
            f'<details id="{id_}"><summary>{escape(title)} ({len(paths)})</summary>'
            f"{_files(paths, link_base)}</details>"
        )

    return (
        '<section id="link-health"><h2>Link health</h2>'
        f"<p>Of the {links.documents} documents checked: links are counted once per linking "
        "document, a link to a folder counts for its README. READMEs and index documents are "
        "entry points, never orphans. Broken links: FL201–FL204 and FL301 findings.</p>"
        + folded("Orphans: documents no other document links to", links.orphans, "orphans")
        + "<h3>Most-linked documents</h3>"
        + most
        + "<h3>Broken links per folder</h3>"
        + broken
        + folded("Documents without a table of contents", links.without_toc, "without-toc")
        + folded(
            "Documents without a related-topics section",
            links.without_related,
            "without-related",
        )
        + "</section>"
    )
