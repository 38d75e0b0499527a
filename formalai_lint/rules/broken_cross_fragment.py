from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.links import Status, resolve
from formalai_lint.rule import Project, ProjectRule
from formalai_lint.rules._toc import did_you_mean


class BrokenCrossFragment(ProjectRule):
    """`other.md#fragment`: the file exists, but has no heading or HTML anchor with that id.

    Links in a related-topics section are left to FL301.
    """

    code = "FL203"
    name = "broken-cross-fragment"
    summary = "other.md#fragment: the file exists, the fragment does not"

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc in project.target_facts():
            for link in doc.links:
                if not link.path or link.context == "related":
                    continue
                found = resolve(project, doc.path, link)
                if found.status is Status.MISSING_FRAGMENT:
                    yield self.diagnostic(
                        doc.path,
                        link.line,
                        link.column,
                        f"`{link.target.partition('#')[0]}` has no heading or anchor `#{link.fragment}`"
                        + did_you_mean(found.suggestion),
                        link.target,
                    )
