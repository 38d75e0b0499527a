from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document, Heading
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.numbering._view import Number, earlier_sibling, families, number, slips


class SubsectionNumbering(FileRule):
    """A numbered subsection's prefix does not match its parent heading (`### 2.2` under
    `## 四、`), or its last number does not follow its numbered sibling's.

    Checked only under a numbered chapter or subsection (not under a part, `第二部分`), and
    only one level down (`4.2` under `四、` or `4.`, `4.2.1` under `4.2`). When every numbered
    subsection of a chapter carries the same wrong prefix (the chapter was renumbered), that
    is one diagnostic, on the first of them. At most one diagnostic per heading: a subsection
    with a wrong prefix is not also compared with its siblings' last numbers. The message
    does not claim one fix: it names the chapter the subsection is under and, when the prefix
    is the number of an earlier chapter, that chapter (moved, or to be renumbered?).
    """

    code = "FL502"
    fix = Fix.UNSAFE  # renumbering: rules/numbering/fix.py
    name = "subsection-numbering"
    summary = "Subsection number does not match its parent or is not consecutive"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for family in families(doc):
            parent = number(family.parent) if family.parent else None
            if parent is None or parent.part or parent.weak or family.parent is None:
                continue
            numbered = [
                (h, n)
                for h in family.children
                if (n := number(h)) and len(n.parts) == len(parent.parts) + 1
            ]
            if not numbered:
                continue
            prefix = parent.shown
            wrong = [
                (h, n) for h, n in numbered if n.parts[:-1] != parent.parts and not n.continuation
            ]
            kind = "chapter" if len(parent.parts) == 1 else "section"
            where = f"{kind} `{family.parent.text}` (line {family.parent.line})"
            if len(wrong) == len(numbered) > 1 and len({n.parts[:-1] for _, n in wrong}) == 1:
                # the chapter was renumbered, or its subsections moved: one finding
                heading, first = wrong[0]
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsections {first.text}–{wrong[-1][1].text} do not carry the number of"
                    f" their {where}"
                    + _which(doc, family.parent, first, f"{prefix}.x", "subsections"),
                    heading.text,
                    **span(heading),
                )
                continue
            reported = {h.line for h, _ in wrong}
            for index, (heading, n) in enumerate(numbered):
                if heading.line not in reported:
                    continue
                # its own last number when it follows the sibling before, else `x`: no guess
                before = numbered[index - 1][1].parts[-1] if index else n.parts[-1] - 1
                last = n.parts[-1] if n.parts[-1] == before + 1 else "x"
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsection `{heading.text}` does not carry the number of its {where}"
                    + _which(doc, family.parent, n, f"{prefix}.{last}", "a subsection"),
                    heading.text,
                    **span(heading),
                )
            # the sequence counts every sibling; one with a wrong prefix is not reported twice
            values = [n.parts[-1] for _, n in numbered]
            repeats = [n.continuation for _, n in numbered]
            for index, expected in slips(values, repeats=repeats):
                heading, now = numbered[index]
                previous = numbered[index - 1][1]
                if parent.parts != now.parts[:-1] or parent.parts != previous.parts[:-1]:
                    continue  # `1.1` after `0.1`: last numbers of two prefixes do not compare
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsection `{heading.text}` follows {previous.text}:"
                    f" expected {prefix}.{expected}",
                    heading.text,
                    **span(heading),
                )


def _which(doc: Document, parent: Heading, n: Number, renumbered: str, what: str) -> str:
    """What the prefix may mean: the number of an earlier chapter (moved?), or a slip; no one fix."""
    kind = "chapter" if len(n.parts) == 2 else "section"
    chapter = earlier_sibling(doc, parent, n.parts[:-1])
    if chapter is None:
        return f": to be renumbered {renumbered}?"
    return (
        f"; numbered as {what} of {kind} `{chapter.text}` (line {chapter.line}):"
        f" moved, or to be renumbered {renumbered}?"
    )
