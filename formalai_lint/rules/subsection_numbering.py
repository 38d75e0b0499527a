from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._numbering import families, number, slips


class SubsectionNumbering(FileRule):
    """A numbered subsection's prefix does not match its parent heading (`### 2.2` under
    `## 四、` should be `4.x`), or its last number does not follow its numbered sibling's.

    Checked only under a numbered parent, and only one level down (`4.2` under `四、` or `4.`,
    `4.2.1` under `4.2`). When every numbered subsection of a chapter carries the same wrong
    prefix (the chapter was renumbered), that is one diagnostic, on the first of them.
    """

    code = "FL502"
    name = "subsection-numbering"
    summary = "Subsection number does not match its parent or is not consecutive"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for family in families(doc):
            parent = number(family.parent) if family.parent else None
            if parent is None:
                continue
            numbered = [
                (h, n)
                for h in family.children
                if (n := number(h)) and len(n.parts) == len(parent.parts) + 1
            ]
            if not numbered:
                continue
            prefix = ".".join(map(str, parent.parts))
            where = f"`{family.parent.text}`" if family.parent else ""
            wrong = [(h, n) for h, n in numbered if n.parts[:-1] != parent.parts]
            renumbered = (
                len(wrong) == len(numbered) > 1 and len({n.parts[:-1] for _, n in wrong}) == 1
            )
            if renumbered:  # the chapter was renumbered, its subsections were not: one finding
                heading, first = wrong[0]
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsections {first.text}–{wrong[-1][1].text} under {where}"
                    f" should be numbered {prefix}.x",
                    heading.text,
                )
            else:
                for heading, n in wrong:
                    yield self.diagnostic(
                        doc.path,
                        heading.line,
                        heading.column,
                        f"subsection `{heading.text}` under {where} should be numbered"
                        f" {prefix}.{n.parts[-1]}",
                        heading.text,
                    )
            for index, expected in slips([n.parts[-1] for _, n in numbered]):
                heading, now = numbered[index]
                before = numbered[index - 1][1]
                want = ".".join(map(str, (*now.parts[:-1], expected)))
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsection `{heading.text}` follows {before.text}: expected {want}",
                    heading.text,
                )
