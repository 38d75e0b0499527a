from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.links import Status
from formalai_lint.rule import Project, ProjectRule, span


class LinkOutsideRoot(ProjectRule):
    """A relative link climbs out of the project root. Its target is never read."""

    code = "FL204"
    name = "link-outside-root"
    summary = "A relative link escapes the project root"

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if found.status is Status.OUTSIDE_ROOT:
                yield self.diagnostic(
                    doc.path,
                    link.line,
                    link.column,
                    f"`{link.target}` points outside the project root",
                    link.target,
                    **span(link),
                )
