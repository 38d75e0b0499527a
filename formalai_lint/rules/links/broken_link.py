from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.document import Link, is_external
from formalai_lint.links import Status
from formalai_lint.rule import Fix, Project, ProjectRule, span
from formalai_lint.rules.shared import did_you_mean


class BrokenLink(ProjectRule):
    """A relative link or image names a file that does not exist in the project.

    A link to a folder is fine (GitHub shows the folder, and its README.md). Links in a
    related-topics section are left to FL301. A link written inside `\\( … \\)` gets a note:
    GitHub does not render that as math, so `[A](t)` there is a link.
    """

    code = "FL202"
    name = "broken-link"
    summary = "A relative link's target file does not exist"
    fix = Fix.UNSAFE

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if found.status is Status.MISSING_FILE and link.context != "related":
                yield self.diagnostic(
                    doc.path,
                    link.line,
                    link.column,
                    f"`{link.target}` does not exist"
                    + did_you_mean(found.suggestion, found.candidates)
                    + _math_note(link),
                    link.target,
                    **span(link),
                )


def _math_note(link: Link) -> str:
    if is_external(link.text.strip()) and " " not in link.text.strip():
        return (
            f"; the link's text `{link.text.strip()}` is a URL: were the text and the"
            " destination swapped?"
        )
    if not link.in_math:
        return ""
    opener = "![" if link.image else "["
    return (
        f"; it is inside `\\( … \\)`, which GitHub does not render as math, so `{opener}…](…)`"
        " there is a link: write `\\[` for a literal bracket, or use `$…$` for the formula"
    )
