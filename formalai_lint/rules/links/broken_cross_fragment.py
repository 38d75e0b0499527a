from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.links import Status, attribute_note
from formalai_lint.rule import Fix, Project, ProjectRule, span
from formalai_lint.rules.shared import did_you_mean


class BrokenCrossFragment(ProjectRule):
    """`other.md#fragment`: the file exists, but has no heading or HTML anchor with that id.

    Links in a related-topics section are left to FL301.
    """

    code = "FL203"
    name = "broken-cross-fragment"
    summary = "other.md#fragment: the file exists, the fragment does not"
    fix = Fix.UNSAFE

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if found.status is not Status.MISSING_FRAGMENT or not link.path:
                continue  # a same-file fragment is FL201's
            assert found.path is not None  # the file was found, the fragment was not
            if link.context != "related":
                yield self.diagnostic(
                    doc.path,
                    link.line,
                    link.column,
                    f"`{link.target.partition('#')[0]}` has no heading or anchor"
                    f" `#{link.fragment}`"
                    + did_you_mean(found.suggestion, found.candidates)
                    + attribute_note(link.fragment, project.docs[found.path].anchors),
                    link.target,
                    **span(link),
                )
