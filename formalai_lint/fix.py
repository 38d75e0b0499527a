"""`--fix`, `--unsafe-fixes`, `--diff`: apply the fixes to files, safely.

`fix_document` is pure: a file's bytes and diagnostics in, its new bytes out. It applies a
renumbering first (FL501/FL502, unsafe: `renumber_plan` renames the misnumbered headings
through `formalai_lint.rename`, with every link to an anchor that changes, in any file, and
the TOC is then rewritten from the corrected headings), then the unsafe link fixes once (they move no heading, so one pass is enough), then rewrites the TOC
until the TOC rules are quiet or nothing changes. After each step the document is parsed
again and the step is dropped, with a warning, if the rendered HTML outside what it may
change (the TOC's list; link destinations) is not the same.

`run` is the I/O edge: it reads each file once (`source.read`), never writes a file that
failed to decode, writes through `safeio.write` (a temporary file and a rename, with the file's mode
and owner kept), and skips a file whose bytes on disk changed since they were read. It never
writes a symlink, a file whose real path is outside the root, a read-only file (no write
bit) or a file with several hard links (a rename would break the link): each is skipped
with a warning.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from formalai_lint import engine, registry, safeio, source
from formalai_lint.config import Settings
from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document, ParseOptions
from formalai_lint.engine import RuleSet
from formalai_lint.files import MARKDOWN_SUFFIXES
from formalai_lint.fixes import html
from formalai_lint.fixes.edits import Edit, EditError, SourceBytes
from formalai_lint.project import DocFacts, Project
from formalai_lint.rename import RenameError, apply, rename_headings
from formalai_lint.rule import FileRule, Fix
from formalai_lint.rules.links.fix import link_edits
from formalai_lint.rules.numbering.fix import NUMBERING_CODES, renumbering
from formalai_lint.rules.toc.fix import NotFixable, toc_edit

if TYPE_CHECKING:
    from formalai_lint.engine import Phase1Run

MAX_ROUNDS = 4


@dataclass
class FileFix:
    path: str
    before: bytes
    after: bytes
    fixed: list[Diagnostic] = field(default_factory=list)
    toc_rewritten: bool = False
    links_retargeted: int = 0
    renumbered: int = 0  # headings renumbered (FL501/FL502)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before


def _key(diag: Diagnostic) -> tuple[str, str]:
    return diag.code, diag.text


def _toc_findings(doc: Document, rules: Sequence[FileRule]) -> list[Diagnostic]:
    return [d for rule in rules for d in rule.check(doc)]


def fix_document(
    path: str,
    data: bytes,
    diagnostics: Sequence[Diagnostic],
    toc_rules: Sequence[FileRule],
    options: ParseOptions | None = None,
    project: Project | None = None,
    unsafe: bool = False,
    renames: Sequence[Edit] = (),
    numbering_rules: Sequence[FileRule] = (),
) -> FileFix:
    """Fix one file's diagnostics. Raises `source.UnreadableError` if it does not decode.
    `renames` are the edits of a renumbering (its headings, and links to the anchors that
    change), applied first; `numbering_rules` tell which FL501/FL502 findings they fixed."""
    src = SourceBytes.of(data)
    doc = Document(path, src.text, options)
    result = FileFix(path, data, data)
    if renames:
        src, doc = _renumber(path, src, doc, renames, options, result)

    link_codes = _codes(Fix.UNSAFE) - NUMBERING_CODES if unsafe else frozenset()
    wanted = [d for d in diagnostics if d.code in link_codes]
    edits = link_edits(doc, wanted, project)
    if edits:
        try:
            new_src = SourceBytes.of(src.apply([edit for edit, _ in edits]))
        except EditError as e:
            result.warnings.append(f"{path}: links not retargeted: {e}")
        else:
            new_doc = Document(path, new_src.text, options)
            if html.outside_html(doc, toc=False, destinations=True) == html.outside_html(
                new_doc, toc=False, destinations=True
            ):
                src, doc = new_src, new_doc
                result.fixed.extend(diag for _, diag in edits)
                result.links_retargeted = len(edits)
            else:
                result.warnings.append(
                    f"{path}: links not retargeted: the rendered page would change"
                )

    toc_codes = _codes(Fix.SAFE)
    toc_before = [d for d in diagnostics if d.code in toc_codes]
    for _ in range(MAX_ROUNDS if toc_before or result.renumbered else 0):
        try:
            edit = toc_edit(doc)
            if edit is None:
                break
            new_src = SourceBytes.of(src.apply([edit]))
        except (NotFixable, EditError) as e:
            result.warnings.append(
                f"{path}:{doc.toc.heading.line if doc.toc else 1}: TOC not rewritten: {e}"
            )
            break
        new_doc = Document(path, new_src.text, options)
        if new_doc.toc is None or html.outside_html(doc) != html.outside_html(new_doc):
            result.warnings.append(
                f"{path}: TOC not rewritten: the rendered page outside the TOC would change"
            )
            break
        src, doc = new_src, new_doc
        result.toc_rewritten = True
        if not _toc_findings(doc, toc_rules):
            break
    if result.toc_rewritten:
        remaining = Counter(_key(d) for d in _toc_findings(doc, toc_rules))
        for diag in toc_before:
            if remaining[_key(diag)] > 0:
                remaining[_key(diag)] -= 1
            else:
                result.fixed.append(diag)
    if result.renumbered:
        remaining = Counter(_key(d) for d in _toc_findings(doc, numbering_rules))
        for diag in diagnostics:
            if diag.code not in NUMBERING_CODES:
                continue
            if remaining[_key(diag)] > 0:
                remaining[_key(diag)] -= 1
            else:
                result.fixed.append(diag)
    result.after = src.data
    return result


def _renumber(
    path: str,
    src: SourceBytes,
    doc: Document,
    renames: Sequence[Edit],
    options: ParseOptions | None,
    result: FileFix,
) -> tuple[SourceBytes, Document]:
    """Apply a renumbering's edits, kept only if nothing but heading texts and link
    destinations changes in the rendered page."""
    try:
        new_src = SourceBytes.of(src.apply(list(renames)))
    except EditError as e:
        result.warnings.append(f"{path}: headings and links not renumbered: {e}")
        return src, doc
    new_doc = Document(path, new_src.text, options)
    if html.outside_html(doc, toc=False, destinations=True, headings=True) != html.outside_html(
        new_doc, toc=False, destinations=True, headings=True
    ):
        result.warnings.append(f"{path}: not renumbered: the rendered page would change")
        return src, doc
    changed = sum(a.text != b.text for a, b in zip(doc.headings, new_doc.headings, strict=False))
    result.renumbered = changed  # 0 in a file whose links to renumbered headings changed
    return new_src, new_doc


class _LazyFacts(Mapping[str, DocFacts]):
    """Facts of project documents, parsed when a link fix first asks for them."""

    def __init__(self, settings: Settings, files: frozenset[str]) -> None:
        self.settings, self.files = settings, files
        self.cache: dict[str, DocFacts | None] = {}

    def __getitem__(self, path: str) -> DocFacts:
        if path not in self.cache:
            facts = None
            if path in self.files and path.endswith(MARKDOWN_SUFFIXES):
                try:
                    root, limit = self.settings.root, self.settings.max_file_size
                    text = source.read(root / path, root, limit).text
                    facts = DocFacts.of(Document(path, text, self.settings.parse_options))
                except source.UnreadableError:
                    pass
            self.cache[path] = facts
        found = self.cache[path]
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(p for p, f in self.cache.items() if f is not None)

    def __len__(self) -> int:
        return sum(1 for f in self.cache.values() if f is not None)


@dataclass
class FixRun:
    fixes: list[FileFix] = field(default_factory=list)  # files that changed (or would)
    warnings: list[str] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(len(f.fixed) for f in self.fixes)

    @property
    def changed_paths(self) -> list[str]:
        return [f.path for f in self.fixes]


def _codes(fix: Fix) -> frozenset[str]:
    """The codes of the rules that declare `fix` (safe: the TOC rewrite; unsafe: links)."""
    return frozenset(r.code for r in registry.all_rules() if r.fix is fix)


def _fixable_codes(unsafe: bool) -> frozenset[str]:
    return _codes(Fix.SAFE) | _codes(Fix.UNSAFE) if unsafe else _codes(Fix.SAFE)


def renumber_plan(
    settings: Settings,
    files: frozenset[str],
    paths: Sequence[str],
    phase1: Phase1Run | None,
    warnings: list[str],
) -> dict[str, list[Edit]]:
    """The edits of renumbering the documents `paths` (FL501/FL502), in them and in every
    document that links to an anchor that changes. A document is left as it is when the
    renumbering cannot be done whole: a link to it that cannot be rewritten (a reference
    link), a file to edit that `--fix` may not write, a page that would render otherwise.
    The facts of every document come from `phase1` (the session's: cached, or parsed once)."""

    def load(path: str) -> Document | None:
        try:
            text = source.read(settings.root / path, settings.root, settings.max_file_size).text
        except source.UnreadableError:
            return None
        return engine.parse(settings, path, text)

    markdown = sorted(f for f in files if f.endswith(MARKDOWN_SUFFIXES))
    if phase1 is not None:
        facts = {r.path: r.facts for r, _ in phase1(markdown) if r.facts is not None}
    else:
        facts = {p: DocFacts.of(doc) for p in markdown if (doc := load(p)) is not None}

    plan: dict[str, list[Edit]] = {}
    for path in paths:
        doc = load(path)
        if doc is None:
            continue
        texts, skipped = renumbering(doc)
        warnings.extend(skipped)
        if not texts:
            continue
        try:
            renamed = rename_headings(doc, texts, facts, load, settings.parse_options)
            new_doc = Document(path, apply(doc.text, renamed.edits[path]), settings.parse_options)
        except RenameError as e:
            warnings.append(f"{path}: not renumbered: {e}")
            continue
        if html.outside_html(doc, toc=False, destinations=True, headings=True) != html.outside_html(
            new_doc, toc=False, destinations=True, headings=True
        ):
            warnings.append(f"{path}: not renumbered: the rendered page would change")
            continue
        if renamed.missed:
            where = ", ".join(f"{p}:{line}" for p, line, _ in renamed.missed[:3])
            warnings.append(f"{path}: not renumbered: a link to it cannot be rewritten ({where})")
            continue
        try:
            for other in renamed.edits:
                _writable_file(settings.root / other, settings.root)
        except (NotWritable, OSError) as e:
            warnings.append(f"{path}: not renumbered: {other} cannot be fixed: {e}")
            continue
        for other, edits in renamed.edits.items():
            plan.setdefault(other, []).extend(edits)
    return plan


def run(
    rules: RuleSet,
    diagnostics: Sequence[Diagnostic],
    files: frozenset[str],
    *,
    unsafe: bool = False,
    write: bool = True,
    phase1: Phase1Run | None = None,
) -> FixRun:
    """Fix every file that has a fixable diagnostic; write it back when `write`."""
    settings = rules.settings
    codes = _fixable_codes(unsafe)
    by_path: dict[str, list[Diagnostic]] = {}
    for diag in diagnostics:
        if diag.code in codes:
            by_path.setdefault(diag.path, []).append(diag)
    toc_rules = [rule for rule in rules.file_rules if rule.fix is Fix.SAFE]
    numbering_rules = [rule for rule in rules.file_rules if rule.code in NUMBERING_CODES]
    outcome = FixRun()
    renames: dict[str, list[Edit]] = {}
    numbered = sorted({d.path for d in diagnostics if d.code in NUMBERING_CODES})
    if unsafe and numbered:
        renames = renumber_plan(settings, files, numbered, phase1, outcome.warnings)
        for path in renames:
            by_path.setdefault(path, [])
    hidden = partial(engine.hidden_folders, settings, files)
    project = Project(files, _LazyFacts(settings, files), hidden=hidden) if unsafe else None
    for path in sorted(by_path):
        full = settings.root / path
        try:
            info = _writable_file(full, settings.root)
            data = source.read(full, settings.root, settings.max_file_size, follow=False).data
            fixed = fix_document(
                path,
                data,
                by_path[path],
                toc_rules,
                settings.parse_options,
                project,
                unsafe,
                renames.get(path, ()),
                numbering_rules,
            )
        except NotWritable as e:
            outcome.warnings.append(f"{path}: not fixed: {e}")
            continue
        except (OSError, source.UnreadableError) as e:
            outcome.warnings.append(f"{path}: not fixed: {getattr(e, 'strerror', None) or e}")
            continue
        outcome.warnings.extend(fixed.warnings)
        if not fixed.changed:
            continue
        if write:
            problem = write_atomic(full, data, fixed.after, info, settings.root)
            if problem:
                outcome.warnings.append(f"{path}: not written: {problem}")
                continue
        outcome.fixes.append(fixed)
    return outcome


class NotWritable(Exception):
    """A file that `--fix` leaves alone; the message says why."""


def _writable_file(path: Path, root: Path) -> os.stat_result:
    """The stat of `path` if `--fix` may replace it; NotWritable otherwise."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise NotWritable("it is a symbolic link")
    if not safeio.really_inside(root, path):
        raise NotWritable("it is outside the project root (through a symlinked folder)")
    if not info.st_mode & 0o222:
        raise NotWritable("it is read-only")
    if info.st_nlink > 1:
        raise NotWritable(f"it has {info.st_nlink} hard links (a rewrite would break them)")
    return info


def write_atomic(
    path: Path,
    expected: bytes,
    new: bytes,
    like: os.stat_result | None = None,
    root: Path | None = None,
) -> str | None:
    """Replace the file's bytes with `new` if they are still `expected`, keeping the mode and
    owner of `like` (the file's stat, taken now if not given); None, or why not."""

    def unchanged() -> str | None:
        now = safeio.read_bytes(path, root, len(expected) + 1, follow=False)
        return None if now == expected else "it changed on disk while it was being fixed"

    try:
        like = like or os.lstat(path)
        safeio.write(path, new, root, like=like, durable=True, check=unchanged)
    except safeio.UnsafeWrite as e:
        return e.strerror
    except (OSError, source.UnreadableError) as e:
        return getattr(e, "strerror", None) or str(e)
    return None


def _diff_lines(data: bytes) -> list[str]:
    """The file's lines as git and patch see them: split after each `\\n` only, each line
    with its ending (a CRLF line keeps its `\\r`; a CR-only file is one line), a UTF-8 BOM
    kept on the first line, and no empty line after a final newline."""
    src = SourceBytes.of(data)
    text = ("\ufeff" if src.bom and src.codec == "utf-8" else "") + src.text
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _diff_name(prefix: str, name: str) -> str:
    """`a/name`, C-quoted as git quotes it when it holds a space, quote, backslash or control
    character (git apply and GNU patch both read quoted names)."""
    name = prefix + name
    if not any(c in name for c in ' "\\') and name.isprintable():
        return name
    escapes = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
    quoted = "".join(escapes.get(c) or (c if c.isprintable() else _octal(c)) for c in name)
    return f'"{quoted}"'


def _octal(char: str) -> str:
    return "".join(f"\\{b:03o}" for b in char.encode("utf-8", "surrogateescape"))


def unified_diff(fixes: Sequence[FileFix], display: Mapping[str, str]) -> str:
    """A unified diff of every change, paths as `display` shows them, that `git apply` and
    `patch -p1` apply: git's `diff --git` header, line endings as in the file, and
    `\\ No newline at end of file` after a last line without one."""
    chunks = []
    for fix in fixes:
        name = display.get(fix.path, fix.path)
        old, new = _diff_name("a/", name), _diff_name("b/", name)
        lines = difflib.unified_diff(_diff_lines(fix.before), _diff_lines(fix.after), old, new)
        chunks.append(f"diff --git {old} {new}\n")
        for i, line in enumerate(lines):
            chunks.append(line)
            if i >= 2 and not line.endswith("\n"):  # (the first two lines are --- and +++)
                chunks.append("\n\\ No newline at end of file\n")
    return "".join(chunks)


def summary(outcome: FixRun, remaining: int, *, applied: bool) -> str:
    """`Fixed 12 diagnostics in 3 files (2 TOCs rewritten, 1 link retargeted); 5 remain.`"""
    tocs = sum(f.toc_rewritten for f in outcome.fixes)
    links = sum(f.links_retargeted for f in outcome.fixes)
    headings = sum(f.renumbered for f in outcome.fixes)
    files = len(outcome.fixes)
    n = outcome.fixed
    verb = "Fixed" if applied else "Would fix"
    renumbered = f", {headings} heading{'s' * (headings != 1)} renumbered" if headings else ""
    return (
        f"{verb} {n} diagnostic{'s' * (n != 1)} in {files} file{'s' * (files != 1)}"
        f" ({tocs} TOC{'s' * (tocs != 1)} rewritten, {links} link{'s' * (links != 1)} retargeted"
        f"{renumbered}); {remaining} remain{'s' * (remaining == 1)}."
    )
