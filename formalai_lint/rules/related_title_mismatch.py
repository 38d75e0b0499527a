from collections.abc import Iterator

from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.links import Status
from formalai_lint.rule import Project, ProjectRule
from formalai_lint.rules._toc import same_title


class RelatedTitleMismatch(ProjectRule):
    """A related-topics link's text differs from the H1 title of the document it links to.

    Only links to a whole document (no `#fragment`) are compared, ignoring white space; a
    bilingual title (`19.4 混合推理 / Hybrid Reasoning`) may be named by its first part alone.
    """

    code = "FL302"
    name = "related-title-mismatch"
    summary = "A related-topics link's text differs from the target's H1 title"
    severity = Severity.WARNING

    def check(self, project: Project) -> Iterator[Diagnostic]:
        for doc, link, found in project.resolved_links:
            if link.context != "related" or not link.path or link.fragment or link.image:
                continue
            target = project.docs.get(found.path or "") if found.status is Status.OK else None
            if target is None or target.title is None or same_title(link.text, target.title):
                continue
            yield self.diagnostic(
                doc.path,
                link.line,
                link.column,
                f"related topic `{link.text}` differs from the title of"
                f" `{link.target}`: `{target.title}`",
                link.text,
            )
