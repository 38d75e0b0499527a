import posixpath
from collections.abc import Iterable, Iterator

from formalai_lint import lazyre
from formalai_lint.diagnostic import Diagnostic, Severity
from formalai_lint.files import MARKDOWN_SUFFIXES
from formalai_lint.links import Status
from formalai_lint.rule import Project, ProjectRule, span
from formalai_lint.rules.shared import same_title, squashed

# A leading ordinal or number (`01.1 `, `1.1-`, `02-`, `第一章 `, `三、`) and the bilingual
# separators (`中文 / English`, `中文 (English)`, `中文（English）`).
_NUMBERING = lazyre.compile(
    r"^(?:第?[一二三四五六七八九十百零〇两]+[、.．章节部分]+|[\d.．]+[、.．\-_]*)"
)
_HALVES = lazyre.compile(r"\s+/\s+|\s*[（(]|[）)]\s*|\s+[-–—]\s+")


def _loose(name: str) -> str:
    """`name` compared loosely: case, white space, a leading number (its zero-padding too)."""
    return _NUMBERING.sub("", squashed(name).casefold().removesuffix(".md"))


def _halves(name: str) -> set[str]:
    """The loose forms of `name` and of each part of it when it is bilingual."""
    parts = [name, *_HALVES.split(name)]
    return {key for key in map(_loose, parts) if key}


def doc_names(path: str, title: str | None) -> list[str]:
    """What a document is called: its H1, its file stem, and the folder of a README."""
    folder, name = posixpath.split(path)
    names = [title] if title else []
    names.append(posixpath.splitext(name)[0])
    if name.lower() == "readme.md" and folder:
        names.append(posixpath.basename(folder))
    return names


class RelatedTitleMismatch(ProjectRule):
    """A related-topics link whose text names another document of the project: it very
    likely points to the wrong file.

    By default (`related-title-check = "mislink"`) a label is reported only when it is
    exactly the title or file stem (or README folder name) of a different document and
    does not name the target even loosely (a half of a bilingual title, other numbering or
    zero-padding, the folder of a README). With `related-title-check = "exact"` every label
    that differs from the target's H1 is reported (white space ignored, the first part of a
    bilingual title accepted).
    """

    code = "FL302"
    name = "related-title-mismatch"
    summary = "A related-topics link's text names another document than the one it links to"
    severity = Severity.WARNING

    def check(self, project: Project) -> Iterator[Diagnostic]:
        exact = self.settings.table.get("related-title-check", "mislink") == "exact"
        named = None if exact else _names_index(project)
        for doc, link, found in project.resolved_links:
            if link.context != "related" or not link.path or link.fragment or link.image:
                continue
            if found.status is not Status.OK or not found.path:
                continue
            target = project.docs.get(found.path)
            if target is None:
                continue
            if named is None:
                if target.title is None or same_title(link.text, target.title):
                    continue
                message = (
                    f"related topic `{link.text}` differs from the title of"
                    f" `{link.target}`: `{target.title}`"
                )
            else:
                others = named.get(_loose(link.text), ())
                if not others or found.path in others:
                    continue
                label = _halves(link.text)
                if label & set().union(*map(_halves, doc_names(found.path, target.title))):
                    continue  # it names the target too, in its own way
                other = _nearest(doc.path, others)
                where = posixpath.relpath(other, posixpath.dirname(doc.path) or ".")
                title = f": `{target.title}`" if target.title else ""
                message = (
                    f"related topic `{link.text}` names `{where}`, but links to"
                    f" `{link.target}`{title}"
                )
            yield self.diagnostic(
                doc.path, link.line, link.column, message, link.text, **span(link)
            )


def _names_index(project: Project) -> dict[str, list[str]]:
    """Each document name (white space removed) -> the Markdown files it names, built once."""
    index: dict[str, list[str]] = {}
    for path in sorted(project.files):
        if path.endswith(MARKDOWN_SUFFIXES):
            facts = project.docs.get(path)
            for name in doc_names(path, facts.title if facts else None):
                paths = index.setdefault(_loose(name), [])
                if path not in paths:
                    paths.append(path)
    return index


def _nearest(source: str, paths: Iterable[str]) -> str:
    """Of `paths`, the one fewest folder steps away from `source`'s folder."""
    here = posixpath.dirname(source)
    return min(paths, key=lambda p: (len(posixpath.relpath(p, here or ".").split("/")), p))
