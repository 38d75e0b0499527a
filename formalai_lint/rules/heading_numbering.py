from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._numbering import families, number, to_chinese


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
            before, accepted = numbered[0][1], {2}
            for heading, now in numbered[1:]:
                value, expected = now.parts[0], before.parts[0] + 1
                ok = value in accepted or value == 1  # 1: a new sequence (merged documents)
                previous, before = before, now
                # after a slip, the next may follow either the slip or what it should have been
                accepted = {value + 1} if ok else {value + 1, expected + 1}
                if ok:
                    continue
                want = f"{to_chinese(expected)}、" if now.chinese else f"{expected}."
                verb = "repeats" if value == previous.parts[0] else "follows"
                yield self.diagnostic(
                    doc.path,
                    heading.line,
                    heading.column,
                    f"heading `{heading.text}` {verb} `{previous.text}`: expected {want}",
                    heading.text,
                )
