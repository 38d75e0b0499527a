from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.links import Status, did_you_mean
from formalai_lint.rule import Project, ProjectRule


class BrokenLink(ProjectRule):
    """A relative link or image names a file that does not exist in the project.

    A link to a folder is fine (GitHub shows the folder, and its README.md). Links in a
    related-topics section are left to FL301.
    """

    code = "FL202"
    name = "broken-link"
    summary = "A relative link's target file does not exist"

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if found.status is Status.MISSING_FILE and link.context != "related":
                yield self.diagnostic(
                    doc.path,
                    link.line,
                    link.column,
                    f"`{link.target}` does not exist" + did_you_mean(found),
                    link.target,
                )
