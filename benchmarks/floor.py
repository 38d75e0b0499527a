"""The parse floor: read, decode and markdown-it-py parse every Markdown file under a folder,
in one process, with the very parser the linter uses (`formalai_lint.markdown.parser()`:
commonmark + table + strikethrough + front matter + dollarmath + the link-position plugin).

    python benchmarks/floor.py DIR

Nothing else is done with the tokens. The files are those the linter would lint: every
`.md`/`.markdown` file below DIR, skipping the folders it skips.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from formalai_lint.files import MARKDOWN_SUFFIXES, SKIPPED_DIRS
from formalai_lint.markdown import parser
from formalai_lint.source import UnreadableError, decode


def markdown_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        found.extend(Path(folder, n) for n in sorted(names) if n.endswith(MARKDOWN_SUFFIXES))
    return found


def main() -> None:
    root = Path(sys.argv[1])
    start = time.perf_counter()
    md = parser()
    tokens = size = 0
    paths = markdown_files(root)
    for path in paths:
        data = path.read_bytes()
        size += len(data)
        with contextlib.suppress(UnreadableError):  # the linter reports these as FL001
            tokens += len(md.parse(decode(data)))
    elapsed = time.perf_counter() - start
    print(f"{len(paths)} files, {size / 1e6:.1f} MB, {tokens} block tokens in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
