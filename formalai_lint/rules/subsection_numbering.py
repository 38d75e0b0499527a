from collections.abc import Iterator
from itertools import pairwise

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._numbering import families, number


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
            expected = parent.parts
            wrong = [(h, n) for h, n in numbered if n.parts[:-1] != expected]
            where = f"`{family.parent.text}`" if family.parent else ""
            if (
                wrong
                and len(wrong) == len(numbered) > 1
                and len({n.parts[:-1] for _, n in wrong}) == 1
            ):
                heading, first = wrong[0]
                last = wrong[-1][1]
                prefix = ".".join(map(str, expected))
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"subsections {first.text}–{last.text} under {where} should be numbered {prefix}.x",
                    heading.text,
                )
            else:
                for heading, n in wrong:
                    prefix = ".".join(map(str, expected))
                    yield self.diagnostic(
                        doc.path,
                        heading.line,
                        heading.column,
                        f"subsection `{heading.text}` under {where} should be numbered {prefix}.{n.parts[-1]}",
                        heading.text,
                    )
            accepted = {numbered[0][1].parts[-1] + 1}
            for (_, before), (heading, now) in pairwise(numbered):
                value, expected = now.parts[-1], before.parts[-1] + 1
                ok = value in accepted
                accepted = {value + 1} if ok else {value + 1, expected + 1}
                if not ok:
                    want = ".".join(map(str, (*now.parts[:-1], expected)))
                    yield self.diagnostic(
                        doc.path,
                        heading.line,
                        heading.column,
                        f"subsection `{heading.text}` follows {before.text}: expected {want}",
                        heading.text,
                    )
