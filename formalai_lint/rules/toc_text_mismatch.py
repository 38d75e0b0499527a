from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Document
from formalai_lint.rule import FileRule
from formalai_lint.rules._toc import matched_entries, names_heading


class TocTextMismatch(FileRule):
    """A TOC entry's text differs from the text of the heading it links to.

    Both are compared as GitHub shows them: plain text, backslash escapes processed (also in
    math), white space and the ordinal's punctuation ignored. A bilingual heading
    (`参考文献 / References`) may be listed by its first part alone, and in a numbered list
    the item's number stands for the heading's ordinal.
    """

    code = "FL105"
    name = "toc-text-mismatch"
    summary = "TOC entry text differs from its heading's text"

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for entry, heading in matched_entries(doc):
            if not names_heading(entry, heading):
                yield self.diagnostic(
                    doc.path,
                    entry.line,
                    entry.column,
                    f"TOC entry `{entry.text}` differs from its heading `{heading.text}`",
                    entry.text,
                    fixable=True,
                )
