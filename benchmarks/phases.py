"""Where a cold lint spends its time, per step of `engine.lint_file`, in one process.

    python benchmarks/phases.py DIR [--passes 3]

For every Markdown file under DIR it times, side by side on the same text: a bare
markdown-it-py parse (the floor's work), building the `Document` (its block parse, the
inline parse of what the model reads, and the model), each file rule (with the inline parse
of what it reads first), the facts, and the cache encoding of the result. Each step keeps
its best total over the passes, and is printed as seconds and as a ratio to the bare parse.
GC is tuned as phase 1 tunes it, for both sides. A profiler is not used: it inflates the
small functions of the model and the rules far more than the parser's.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))
from floor import markdown_files  # noqa: E402

from formalai_lint import source  # noqa: E402
from formalai_lint.cache import encode  # noqa: E402
from formalai_lint.config import Settings  # noqa: E402
from formalai_lint.document import Document  # noqa: E402
from formalai_lint.markdown import parser  # noqa: E402
from formalai_lint.project import DocFacts  # noqa: E402
from formalai_lint.results import FileResult  # noqa: E402
from formalai_lint.rule import FileRule  # noqa: E402
from formalai_lint.session import Session  # noqa: E402


def one_pass(texts: dict[str, str], settings: Settings, rules: list[FileRule]) -> dict[str, float]:
    md = parser()
    spent: dict[str, float] = defaultdict(float)
    clock = time.perf_counter
    for path, text in texts.items():
        start = clock()
        md.parse(text)
        parsed = clock()
        doc = Document(path, text, settings.parse_options)
        built = clock()
        spent["parse"] += parsed - start
        spent["document"] += built - parsed
        for rule in rules:
            start = clock()
            list(rule.check(doc))
            spent[rule.code] += clock() - start
        start = clock()
        facts = DocFacts.of(doc)
        spent["facts"] += clock() - start
        start = clock()
        encode(FileResult(path, facts, []))
        spent["encode"] += clock() - start
        # Freeing the document (and what the rule families memoised on it) is part of its
        # cost, as freeing the tokens is part of the parse's.
        start = clock()
        del doc
        spent["document"] += clock() - start
    return spent


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cli.add_argument("dir", type=Path)
    cli.add_argument("--passes", type=int, default=3)
    args = cli.parse_args()
    if args.passes < 1:
        cli.error("--passes must be at least 1")
    if not args.dir.is_dir():
        cli.error(f"{args.dir} is not a folder")
    session = Session.open([args.dir.resolve()])
    settings, rules = session.settings, session.rules.file_rules
    texts = {}
    for path in markdown_files(args.dir.resolve()):
        try:
            texts[path.relative_to(settings.root).as_posix()] = source.decode(path.read_bytes())
        except source.UnreadableError:
            continue
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    best: dict[str, float] = {}
    for _ in range(args.passes):
        for step, seconds in one_pass(texts, settings, rules).items():
            best[step] = min(best.get(step, seconds), seconds)
    floor = best["parse"]
    codes = sorted(step for step in best if step.startswith("FL"))
    print(f"{len(texts)} documents, best of {args.passes} passes")
    for step in ["parse", "document", *codes, "facts", "encode"]:
        print(f"{step:<8}{best[step]:>9.3f} s{best[step] / floor:>9.3f}x")
    rules_total = sum(best[c] for c in codes)
    total = best["document"] + rules_total + best["facts"] + best["encode"]
    print(f"{'rules':<8}{rules_total:>9.3f} s{rules_total / floor:>9.3f}x")
    print(f"lint_file to the parse: {total / floor:.3f}x")


if __name__ == "__main__":
    main()
