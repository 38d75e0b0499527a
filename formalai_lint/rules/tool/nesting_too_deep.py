from collections.abc import Iterator
from itertools import pairwise

from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.document import Document
from formalai_lint.rule import FileRule


class NestingTooDeep(FileRule):
    """Lists or quotes nest deeper than the Markdown parser follows, so content goes unchecked.

    markdown-it stops at `maxNesting` (20) token levels, about ten nested lists or twenty
    nested quotes: it does not recurse further, which keeps hostile input from exhausting the
    stack, but what lies deeper (for lists, often the rest of the file) is then never seen by
    any rule. A container opened at the last level and closed at once (its content dropped)
    marks the spot.
    """

    code = "FL004"
    name = "nesting-too-deep"
    summary = "Lists or quotes nest too deep to parse; what follows is not checked"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        limit = doc.max_nesting
        for token, after in pairwise(doc.block_tokens):
            # opened at the last level and closed at once: its content was dropped
            if (
                token.nesting == 1
                and token.level >= limit - 1
                and after.nesting == -1
                and token.map
            ):
                yield self.diagnostic(
                    doc.path,
                    token.map[0] + 1,
                    1,
                    f"lists or quotes nest deeper than the parser's limit of {limit} levels:"
                    " the content below this point may not be checked",
                    token.type,
                )
                return
