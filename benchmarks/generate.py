"""Write a synthetic knowledge base of N Markdown documents in the FormalAI style.

    python benchmarks/generate.py OUT_DIR --docs 2000 [--seed 1]

Deterministic from the seed: the same arguments give the same bytes. The documents follow
the shape of the FormalAI repository (in words of their own): module folders `NN-主题`, each
with a README and documents `NN.S.K-标题.md`; an H1 naming the file, chapters numbered
`一、`, `二、` …, subsections `3.1`, a table of contents under `## 二、目录` linking every
heading by its GitHub id, prose with inline and `$$` display formulas, tables, mermaid fences,
cross-links into other documents with `#fragment`s, a `相关主题` list of sibling documents,
and, in each module's first section, convergence-level documents (`L0`–`L4`) with level
tables. About one link in a hundred is broken and a few TOC entries are stale, so that the
linter has findings to report, as on a real repository.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from formalai_lint.slug import Slugger  # GitHub ids, so that links resolve

ORDINALS = "一二三四五六七八九十"
SUBJECTS = [
    "推理",
    "训练",
    "对齐",
    "评估",
    "架构",
    "优化器",
    "数据",
    "检索",
    "记忆",
    "规划",
    "智能体",
    "编译",
    "验证",
    "解释",
    "压缩",
    "蒸馏",
    "调度",
    "安全",
    "协议",
    "硬件",
]
ASPECTS = [
    "收敛",
    "演化",
    "边界",
    "度量",
    "机制",
    "范式",
    "瓶颈",
    "路径",
    "标准化",
    "形式化",
    "分层",
    "耦合",
    "稳定性",
    "可复现性",
    "成本",
    "生态",
    "治理",
    "谱系",
]
CHAPTERS = [
    "核心概念",
    "形式化定义",
    "分析方法",
    "典型案例",
    "对比分析",
    "演进路径",
    "评估指标",
    "工程实践",
    "开放问题",
    "趋势判断",
    "关键假设",
    "实验观察",
]
NOUNS = [
    "模型",
    "系统",
    "方法",
    "框架",
    "指标",
    "假设",
    "结论",
    "过程",
    "结构",
    "约束",
    "样本",
    "基准",
    "算子",
    "接口",
    "阶段",
    "变量",
]
VERBS = ["刻画", "约束", "推动", "削弱", "解释", "预测", "衡量", "区分", "决定", "放大"]
LEVELS = [
    ("L4", "完全收敛", 0.97, 100),
    ("L3", "准收敛", 0.88, 95),
    ("L2", "收敛进行时", 0.70, 60),
    ("L1", "未收敛", 0.45, 30),
    ("L0", "反向分化", 0.15, 10),
]
FORMULAS = [
    r"C(t) = 1 - \frac{H(t)}{H_{\max}}",
    r"T(P) = \sum_{i=1}^{5} w_i D_i(P)",
    r"L(N, D) = \frac{A}{N^{\alpha}} + \frac{B}{D^{\beta}} + E",
    r"\mathbb{E}[R] = \int_{0}^{1} r \, p(r) \, dr",
    r"\Delta C = C_{t+1} - C_t \geq 0",
]


@dataclass
class Doc:
    path: str  # relative to the output folder
    title: str  # H1 text
    module: int
    chapters: list[tuple[str, list[str]]] = field(default_factory=list)  # (title, subsections)
    level: tuple[str, str, float, int] | None = None
    anchors: list[str] = field(default_factory=list)  # GitHub ids of the content headings


def plan(count: int, rng: random.Random) -> list[Doc]:
    """Names, titles and headings of every document, before any text is written."""
    modules = max(2, round(count / 60))
    docs: list[Doc] = []
    per_module = [count // modules + (1 if i < count % modules else 0) for i in range(modules)]
    for m, size in enumerate(per_module, start=1):
        subject = SUBJECTS[(m - 1) % len(SUBJECTS)]
        folder = f"{m:02d}-{subject}{rng.choice(ASPECTS)}分析"
        docs.append(Doc(f"{folder}/README.md", f"{m:02d}-{subject}{rng.choice(ASPECTS)}总览", m))
        for k in range(size - 1):
            section, number = divmod(k, 6)
            stem_number = f"{m:02d}.{section + 1}.{number + 1}"
            level = LEVELS[number % 5] if section == 0 and number < 5 else None
            if level:
                name = f"{level[0]}-{level[1]}"
                title = f"{stem_number}-{level[0]}: {level[1]}（{rng.choice(SUBJECTS)}层）"
            else:
                name = f"{rng.choice(SUBJECTS)}{rng.choice(ASPECTS)}"
                title = f"{stem_number}-{name}"
            doc = Doc(f"{folder}/{stem_number}-{name}.md", title, m, level=level)
            docs.append(doc)
    for doc in docs:
        chapters = rng.sample(CHAPTERS, rng.randint(3, 7))
        doc.chapters = [
            (
                c,
                [
                    f"{rng.choice(SUBJECTS)}的{rng.choice(ASPECTS)}"
                    for _ in range(rng.randint(1, 4))
                ],
            )
            for c in chapters
        ]
        slugger = Slugger()
        slugger.slug(doc.title)
        for text in ("一、概述", "二、目录"):
            slugger.slug(text)
        for i, (chapter, subs) in enumerate(doc.chapters):
            n = i + 3
            doc.anchors.append(
                slugger.slug(
                    f"{ORDINALS[n - 1] if n <= 10 else '十' + ORDINALS[n - 11]}、{chapter}"
                )
            )
            for j, sub in enumerate(subs, start=1):
                doc.anchors.append(slugger.slug(f"{n}.{j} {sub}"))
    return docs


def relative(source: str, target: str) -> str:
    up = source.count("/")
    prefix = "../" * up if source.split("/")[0] != target.split("/")[0] else ""
    if prefix:
        return prefix + target
    return target.split("/", 1)[1]


def sentence(rng: random.Random) -> str:
    a, b = rng.choice(NOUNS), rng.choice(NOUNS)
    subject = rng.choice(SUBJECTS) + rng.choice(ASPECTS)
    forms = [
        f"{subject}的{a}{rng.choice(VERBS)}了{b}的取值范围。",
        f"在 $t = {rng.randint(1, 9)}$ 时，{a}对{b}的影响约为 {rng.randint(5, 95)}%。",
        f"**{subject}**：以{a}为中心，{rng.choice(VERBS)}{b}与{rng.choice(NOUNS)}之间的关系。",
        f"若 $x_{rng.randint(1, 5)} > {rng.randint(1, 9) / 10}$，则{a}进入下一阶段，{b}随之{rng.choice(VERBS)}。",
        f"这一{a}说明，{subject}并非孤立存在，而是与{b}共同演化（见 {rng.randint(2019, 2026)} 年的观察）。",
    ]
    return rng.choice(forms)


def paragraph(rng: random.Random, lines: int) -> str:
    return "\n".join("".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(lines))


def heading_text(n: int, chapter: str) -> str:
    ordinal = ORDINALS[n - 1] if n <= 10 else "十" + ORDINALS[n - 11]
    return f"{ordinal}、{chapter}"


def link_to(source: Doc, target: Doc, rng: random.Random, broken: bool) -> str:
    """A cross-link with a fragment; a broken one names a missing file or fragment."""
    href, anchor = relative(source.path, target.path), rng.choice(target.anchors)
    if broken and rng.random() < 0.5:
        anchor += "-旧版"
    elif broken:
        href = href.removesuffix(".md") + "-草稿.md"
    return f"[{target.title}]({href}#{anchor})"


def level_table(doc: Doc, rng: random.Random) -> str:
    assert doc.level is not None
    level_id, name, convergence, adoption = doc.level
    rows = [
        "| **指标** | **数值** | **说明** |",
        "|---------|---------|---------|",
        f"| **收敛度** | C = {convergence:.2f} | {level_id} {name}的典型取值 |",
        f"| **采用率** | {adoption}% | 主流{rng.choice(NOUNS)}中的占比 |",
        f"| **方案数** | {rng.randint(1, 9)} | 仍在竞争的{rng.choice(NOUNS)} |",
    ]
    return "\n".join(rows)


def comparison_table(rng: random.Random) -> str:
    rows = ["| 层级 | 收敛度 | 格局 | 代表领域 |", "| ---- | ---- | ---- | ---- |"]
    for level_id, name, convergence, _ in LEVELS:
        rows.append(
            f"| **{level_id} {name}** | C ≈ {convergence:.2f} | {rng.choice(NOUNS)}主导 | {rng.choice(SUBJECTS)}层 |"
        )
    return "\n".join(rows)


def write_doc(
    doc: Doc, docs: list[Doc], by_module: dict[int, list[Doc]], rng: random.Random
) -> str:
    out: list[str] = [
        f"# {doc.title}",
        "",
        "## 一、概述",
        "",
        paragraph(rng, rng.randint(2, 4)),
        "",
        "---",
        "",
        "## 二、目录",
        "",
    ]
    slugger = Slugger()
    toc = [f"- [{doc.title}](#{slugger.slug(doc.title)})"]
    for text in ("一、概述", "二、目录"):
        toc.append(f"  - [{text}](#{slugger.slug(text)})")
    body: list[str] = []
    siblings = [d for d in by_module[doc.module] if d is not doc]
    for i, (chapter, subs) in enumerate(doc.chapters):
        n = i + 3
        text = heading_text(n, chapter)
        toc.append(f"  - [{text}](#{slugger.slug(text)})")
        body += [f"## {text}", "", paragraph(rng, rng.randint(1, 3)), ""]
        if doc.level and i == 0:
            body += [level_table(doc, rng), ""]
        for j, sub in enumerate(subs, start=1):
            sub_text = f"{n}.{j} {sub}"
            anchor = slugger.slug(sub_text)
            stale = rng.random() < 0.01
            toc.append(f"    - [{sub_text}](#{anchor}{'-旧' if stale else ''})")
            body += [f"### {sub_text}", "", paragraph(rng, rng.randint(3, 8)), ""]
            roll = rng.random()
            if roll < 0.25:
                body += ["$$", rng.choice(FORMULAS), "$$", ""]
            elif roll < 0.35:
                body += [comparison_table(rng), ""]
            elif roll < 0.42:
                body += [
                    "```mermaid",
                    "graph TB",
                    f"    A[{sub}] --> B[{rng.choice(NOUNS)}]",
                    f"    B --> C[{rng.choice(NOUNS)}]",
                    "```",
                    "",
                ]
            if rng.random() < 0.5:
                target = (
                    rng.choice(docs) if rng.random() < 0.4 or not siblings else rng.choice(siblings)
                )
                if target is not doc:
                    see = link_to(doc, target, rng, broken=rng.random() < 0.01)
                    body += [f"- 参见 {see}：{sentence(rng)}", f"- {sentence(rng)}", ""]
            if rng.random() < 0.15:
                body += [f"> **注**：{sentence(rng)}", ""]
    n = len(doc.chapters) + 3
    related = heading_text(n, "相关主题")
    refs = heading_text(n + 1, "参考文档")
    toc.append(f"  - [{related}](#{slugger.slug(related)})")
    toc.append(f"  - [{refs}](#{slugger.slug(refs)})")
    body += [f"## {related}", ""]
    for target in rng.sample(siblings, min(len(siblings), rng.randint(2, 5))):
        body.append(
            f"- [{target.title}]({relative(doc.path, target.path)}) - {rng.choice(SUBJECTS)}与{rng.choice(ASPECTS)}"
        )
    body += ["", "---", "", f"## {refs}", ""]
    for k in range(rng.randint(2, 4)):
        body.append(
            f"{k + 1}. **{rng.choice(['Chen', 'Li', 'Wang', 'Smith', 'Kumar'])} ({rng.randint(2018, 2025)})**: *{rng.choice(SUBJECTS)} {rng.choice(ASPECTS)}*. {sentence(rng)}"
        )
    body += [
        "",
        f"**最后更新**：{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "",
    ]
    return "\n".join(out + toc + ["", "---", ""] + body)


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` documents under `out` (emptied first); return their paths, sorted."""
    rng = random.Random(seed)
    docs = plan(count, rng)
    by_module: dict[int, list[Doc]] = {}
    for doc in docs:
        by_module.setdefault(doc.module, []).append(doc)
    if out.exists():
        shutil.rmtree(out)
    written = []
    for doc in docs:
        path = out / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(write_doc(doc, docs, by_module, rng), encoding="utf-8")
        written.append(path)
    (out / ".formalai-lint.toml").write_text("# synthetic benchmark corpus\n", encoding="utf-8")
    return sorted(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--docs", type=int, default=500, help="number of documents")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.docs, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
