from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic
from formalai_lint.links import Status, attribute_note
from formalai_lint.rule import Fix, Project, ProjectRule, span
from formalai_lint.rules.shared import did_you_mean


class RelatedUnresolved(ProjectRule):
    """A link in a related-topics section (相关主题, 相关章节, 相关链接, Related) does not
    resolve: its file does not exist, or the file has no such heading."""

    code = "FL301"
    name = "related-unresolved"
    summary = "A related-topics link does not resolve (file or fragment)"
    fix = Fix.UNSAFE

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if link.context != "related":
                continue
            note = ""
            if found.status is Status.MISSING_FILE:
                problem = "does not exist"
            elif found.status is Status.MISSING_FRAGMENT:
                assert found.path is not None  # the file was found, the fragment was not
                problem = f"has no heading or anchor `#{link.fragment}`"
                note = attribute_note(link.fragment, project.docs[found.path].anchors)
            else:
                continue
            yield self.diagnostic(
                doc.path,
                link.line,
                link.column,
                f"related topic `{link.text}`: `{link.target}` {problem}"
                + did_you_mean(found.suggestion, found.candidates)
                + note,
                link.target,
                **span(link),
            )
