"""Show that `formalai-lint --fix` changes nothing a reader sees outside the TOC blocks.

    python scripts/check_fix_html.py FOLDER [--unsafe-fixes]

FOLDER is copied to a temporary folder (it is never written); the copy is fixed by running
`formalai-lint --fix` on it; then every Markdown file is rendered before and after, and the
HTML outside its TOC list (and, with `--unsafe-fixes`, outside link destinations) must be
identical. A second `--fix` must change nothing. Prints one line per difference and a
summary; exits 1 if anything differs, 0 otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from formalai_lint import source
from formalai_lint.config import load_settings
from formalai_lint.document import Document, ParseOptions
from formalai_lint.fixes.html import outside_html

MARKDOWN = (".md", ".markdown")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.suffix in MARKDOWN and p.is_file() and not p.is_symlink()
    }


def rendered(path: str, data: bytes, options: ParseOptions, destinations: bool) -> str | None:
    try:
        doc = Document(path, source.decode(data), options)
    except source.UnreadableError:
        return None
    return outside_html(doc, destinations=destinations)


def fix(root: Path, unsafe: bool) -> None:
    command = [sys.executable, "-m", "formalai_lint", "check", "--fix", "--no-cache", str(root)]
    if unsafe:
        command.append("--unsafe-fixes")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"formalai-lint --fix failed ({done.returncode}): {done.stderr.strip()}")
    for line in done.stderr.splitlines():
        if line.startswith(("Fixed", "formalai-lint: warning")):
            print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply the link fixes")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"`{args.folder}` is not a folder")

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy"
        shutil.copytree(args.folder, copy, symlinks=True)
        before = snapshot(copy)
        options = load_settings([copy]).parse_options
        print(f"fixing a copy of {args.folder} ({len(before)} Markdown files)")
        fix(copy, args.unsafe_fixes)
        after = snapshot(copy)
        fix(copy, args.unsafe_fixes)
        again = snapshot(copy)

    changed = [p for p in before if after.get(p) != before[p]]
    differ = []
    for path in changed:
        old = rendered(path, before[path], options, args.unsafe_fixes)
        new = rendered(path, after[path], options, args.unsafe_fixes)
        if old is None or old != new:
            differ.append(path)
            print(f"DIFFERENT outside the TOC: {path}")
    unstable = [p for p in after if again.get(p) != after[p]]
    for path in unstable:
        print(f"CHANGED AGAIN by a second --fix: {path}")
    print(
        f"{len(before)} files, {len(changed)} changed by --fix;"
        f" rendered HTML outside TOC blocks identical in {len(changed) - len(differ)} of {len(changed)};"
        f" {len(unstable)} changed by a second --fix"
    )
    return 1 if differ or unstable else 0


if __name__ == "__main__":
    sys.exit(main())
