from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._numbering import families, number, slips, to_chinese


class HeadingNumbering(FileRule):
    """Chapter ordinals of sibling headings (same level, same parent) are not consecutive.

    Ordinals are Chinese (`一、` … `十一、`, `第三章`) or Arabic (`1.`, `1 `); unnumbered
    headings in between (`## 附录`, `## 📋 目录`) are passed over, and each heading is compared
    with the numbered sibling before it, so one repeated or skipped number is one diagnostic.
    A heading numbered 1 starts a new sequence (documents merged from several parts restart
    at `一、`). A family is checked only when its first numbered heading is 1 (`一、`, `1.`); when Chinese and Arabic ordinals are mixed, the style of the first
    one is the sequence.
    """

    code = "FL501"
    name = "heading-numbering"
    summary = "Chapter ordinals of sibling headings are not consecutive"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for family in families(doc):
            numbered = [(h, n) for h in family.children if (n := number(h)) and len(n.parts) == 1]
            if not numbered or numbered[0][1].parts != (1,):
                continue
            style = numbered[0][1].chinese  # the other style, if mixed in, is another sequence
            numbered = [(h, n) for h, n in numbered if n.chinese == style]
            for index, expected in slips([n.parts[0] for _, n in numbered], restarts=True):
                heading, now = numbered[index]
                previous = numbered[index - 1][1]
                want = f"{to_chinese(expected)}、" if now.chinese else f"{expected}."
                verb = "repeats" if now.parts == previous.parts else "follows"
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"heading `{heading.text}` {verb} `{previous.text}`: expected {want}",
                    heading.text,
                )
