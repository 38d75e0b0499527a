from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document, Heading
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.numbering._view import Number, families, number, slips


class HeadingNumbering(FileRule):
    """Chapter ordinals of sibling headings (same level, same parent) are not consecutive.

    Ordinals are Chinese (`一、` … `十一、`, `第三章`) or Arabic (`1.`, `1 `); unnumbered
    headings in between (`## 附录`, `## 📋 目录`) are passed over, and each heading is compared
    with the numbered sibling before it, so one repeated or skipped number is one diagnostic.
    A heading numbered 1 starts a new sequence (documents merged from several parts restart
    at `一、`). Parts (`第二部分`, `Part 2`) are a sequence of their own. A sequence is checked
    only when its first number is 1 (`一、`, `1.`); when Chinese and Arabic ordinals are
    mixed, the style of the first one is the sequence. A continuation (`（续）`) may repeat
    the number before it, and a weak ordinal (`5自动化价值`) counts only where it continues the sequence.
    """

    code = "FL501"
    fix = Fix.UNSAFE  # renumbering: rules/numbering/fix.py
    name = "heading-numbering"
    summary = "Chapter ordinals of sibling headings are not consecutive"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for family in families(doc):
            numbered = [(h, n) for h in family.children if (n := number(h)) and len(n.parts) == 1]
            for part in (True, False):
                yield from self._sequence(doc, [(h, n) for h, n in numbered if n.part == part])

    def _sequence(
        self, doc: Document, numbered: list[tuple[Heading, Number]]
    ) -> Iterator[Diagnostic]:
        if not numbered:
            return
        style = numbered[0][1].chinese  # the other style, if mixed in, is another sequence
        numbered = _continued([(h, n) for h, n in numbered if n.chinese == style])
        if not numbered or numbered[0][1].parts != (1,):
            return
        values = [n.parts[0] for _, n in numbered]
        repeats = [n.continuation for _, n in numbered]
        for index, expected in slips(values, restarts=True, repeats=repeats):
            heading, now = numbered[index]
            previous = numbered[index - 1][1]
            verb = "repeats" if now.parts == previous.parts else "follows"
            yield self.diagnostic(
                doc.path,
                heading.line,
                heading.column,
                f"heading `{heading.text}` {verb} `{previous.text}`: expected {now.written(expected)}",
                heading.text,
                **span(heading),
            )


def _continued(numbered: list[tuple[Heading, Number]]) -> list[tuple[Heading, Number]]:
    """The headings without the weak ordinals that do not continue the one before them."""
    kept: list[tuple[Heading, Number]] = []
    for heading, n in numbered:
        last = kept[-1][1].parts[0] if kept else 0
        if not n.weak or n.parts[0] == last + 1:
            kept.append((heading, n))
    return kept
