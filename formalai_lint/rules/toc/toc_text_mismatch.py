from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule, Fix, span
from formalai_lint.rules.toc._view import (
    matched_entries,
    misdirected,
    named_headings,
    names_heading,
)


class TocTextMismatch(FileRule):
    """A TOC entry's text differs from the text of the heading it links to.

    Both are compared as GitHub shows them: plain text, backslash escapes processed (also in
    math), white space, the ordinal's punctuation and emoji ignored. A bilingual heading
    (`参考文献 / References`) may be listed by its first part alone, and in a numbered list
    the item's number stands for the heading's ordinal. An entry whose text names another
    heading exactly links to the wrong one: the message names that heading and its id.
    """

    code = "FL105"
    name = "toc-text-mismatch"
    summary = "TOC entry text differs from its heading's text"
    fix = Fix.SAFE

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        matched = matched_entries(doc)
        named = named_headings(doc) if matched else {}
        for entry, heading in matched:
            other = misdirected(entry, heading, named)
            if other is not None:
                message = (
                    f"TOC entry `{entry.text}` links to heading `{heading.text}` (line"
                    f" {heading.line}), but its text names heading `{other.text}` (line"
                    f" {other.line}), whose id is `#{other.anchor}`"
                )
            elif not names_heading(entry, heading):
                message = f"TOC entry `{entry.text}` differs from its heading `{heading.text}`"
            else:
                continue
            yield self.diagnostic(
                doc.path, entry.line, entry.column, message, entry.text, **span(entry)
            )
