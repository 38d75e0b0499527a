"""Lexical link resolution and the "did you mean" suggestions."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from formalai_lint import gitignore, links
from formalai_lint.document import Document, Link, decode_href
from formalai_lint.links import Status, join, resolve, suggest_anchor
from formalai_lint.markdown import parser
from formalai_lint.rule import DocFacts, Project


def link(target: str) -> Link:
    path, fragment = decode_href(target)
    return Link(target=target, path=path, fragment=fragment, text="", line=1, column=1)


FILES = frozenset(
    {
        "README.md",
        "concepts/01-基础/README.md",
        "concepts/03-Scaling Law/README.md",
        "concepts/03-Scaling Law/03.1-L0.md",
        "archive/old/README.md",
        "img/a.png",
    }
)
DOCS = {
    "concepts/01-基础/README.md": DocFacts(
        "concepts/01-基础/README.md", "01", frozenset({"三主题结构"}), ()
    ),
}
PROJECT = Project(FILES, DOCS)
SOURCE = "concepts/03-Scaling Law/03.1-L0.md"


def test_join_is_lexical_and_confined() -> None:
    assert join("a/b.md", "../c.md") == "c.md"
    assert join("a/b.md", "../../c.md") is None
    assert join("a/b.md", "/c.md") == "c.md"  # root-relative, as on GitHub
    assert join("a/b.md", "/../../etc/passwd") is None
    assert join("a/b.md", "./") == "a"


def test_missing_file_suggests_the_longest_shared_tail() -> None:
    found = resolve(PROJECT, SOURCE, link("../../01-基础/README.md"))
    assert found.status is Status.MISSING_FILE
    assert found.suggestion == "../01-基础/README.md"


def test_a_tie_gives_no_suggestion() -> None:
    # three README.md files share only the file name
    assert resolve(PROJECT, SOURCE, link("../../nowhere/README.md")).suggestion is None


def test_suggestion_is_written_as_a_link_destination() -> None:
    found = resolve(PROJECT, "archive/x.md", link("concepts/03-Scaling%20Law/03.1-L0.md"))
    assert found.suggestion == "../concepts/03-Scaling%20Law/03.1-L0.md"


def test_folders_resolve_and_their_fragment_is_looked_up_in_readme() -> None:
    assert resolve(PROJECT, "README.md", link("concepts/")).status is Status.OK
    found = resolve(PROJECT, "README.md", link("concepts/01-基础#二主题结构"))
    assert found.status is Status.MISSING_FRAGMENT
    assert found.suggestion == "concepts/01-基础#三主题结构"


def test_outside_root_and_external() -> None:
    assert resolve(PROJECT, "README.md", link("../x.md")).status is Status.OUTSIDE_ROOT
    external = Link("https://a/b.md", "", None, "", 1, 1, external=True)
    assert resolve(PROJECT, "README.md", external).status is Status.EXTERNAL


def test_anchor_suggestions_need_exactly_one_match() -> None:
    anchors = {"31-形式化定义", "四核心结论", "四-核心", "四核心"}
    assert suggest_anchor("31形式化定义", anchors) == "31-形式化定义"  # dashes only
    assert suggest_anchor("三核心结论", anchors) == "四核心结论"  # numbering only
    assert suggest_anchor("五核心", anchors) is None  # `四-核心` and `四核心` tie
    assert suggest_anchor("完全不同", anchors) is None


def _suggest(files: set[str], source: str, target: str, hidden: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    found = resolve(Project(frozenset(files), {}, hidden=lambda: hidden), source, link(target))
    assert found.status is Status.MISSING_FILE
    return found.suggestion, found.candidates


def test_several_files_of_the_name_and_folder_the_nearest_wins() -> None:
    files = {"a/x/01-基础/README.md", "b/01-基础/README.md", "a/x/y/doc.md"}
    assert _suggest(files, "a/x/y/doc.md", "../../01-基础/README.md") == (
        "../01-基础/README.md",
        2,
    )


def test_a_file_name_alone_shared_by_several_files_is_no_suggestion() -> None:
    files = {"a/README.md", "b/README.md", "c/d/doc.md"}
    assert _suggest(files, "c/d/doc.md", "../../gone/README.md") == (None, 0)
    assert _suggest({"a/only.md", "c/d/doc.md"}, "c/d/doc.md", "only.md") == ("../../a/only.md", 1)


def test_never_the_linking_files_own_folder_or_itself() -> None:
    files = {"kb/01-基础/a.md", "kb/01-基础/README.md", "old/01-基础/b.md"}
    # `../../01-基础/` from kb/01-基础/a.md: kb/01-基础 is `.`; the other folder is suggested
    assert _suggest(files, "kb/01-基础/a.md", "../../01-基础/") == ("../../old/01-基础", 1)
    assert _suggest({"kb/x/a.md"}, "kb/x/a.md", "../../x/a.md") == (None, 0)


def test_archive_folders_are_not_suggested_from_outside() -> None:
    files = {"docs/a.md", "archive/2024/GUIDE.md", "concepts/00-归档/old.md"}
    hidden = links.hidden_folders(
        Project(frozenset(files), {}).directories - {""}, [], ["archive", "归档"]
    )
    assert hidden == {"archive", "concepts/00-归档"}
    assert _suggest(files, "docs/a.md", "GUIDE.md", hidden) == (None, 0)
    assert _suggest(files, "docs/a.md", "../old.md", hidden) == (None, 0)
    # inside the archive, its own files are fair game
    inside = files | {"archive/2024/notes.md"}
    assert _suggest(inside, "archive/2024/notes.md", "../GUIDE.md", hidden) == ("GUIDE.md", 1)


def test_hidden_folders_from_exclude_and_names() -> None:
    folders = ["drafts", "docs", "docs/old-backups", "docs/research", "x/.archive"]
    assert links.hidden_folders(folders, ["drafts"], ["archive", ".archive", "backup"]) == {
        "drafts",
        "docs/old-backups",
        "x/.archive",
    }


def test_gitignored_folders() -> None:
    folders = ["build", "docs", "docs/_site", "docs/keep", "src/build", "notes"]
    texts = {"": "# comment\nbuild/\n/notes\n", "docs": "_*\n!_keep\n"}
    assert gitignore.ignored_folders(folders, texts) == {
        "build",
        "src/build",
        "notes",
        "docs/_site",
    }
    # as `git check-ignore` says: `a/*` ignores a/c, `!a/b` takes a/b back; `a/**` ignores
    # a/ itself (`git status --ignored` shows `!! a/`), so a/b stays hidden whatever `!a/b` says
    assert gitignore.ignored_folders(["a", "a/b", "a/c"], {"": "a/*\n!a/b\n"}) == {"a/c"}
    assert gitignore.ignored_folders(["a", "a/b"], {"": "a/**\n!a/b\n"}) == {"a"}


def _calls(count: int) -> int:
    """Python function calls made to resolve `count` README.md files' broken links."""
    files = {f"part{i}/topic{i}/README.md" for i in range(count)}
    project = Project(frozenset(files), {})
    calls = 0

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += event == "call"

    sys.setprofile(profile)
    try:
        for path in sorted(files):
            found = resolve(project, path, link("../../gone/README.md"))
            assert found.status is Status.MISSING_FILE and found.suggestion is None
    finally:
        sys.setprofile(None)
    return calls


def test_many_readmes_with_a_broken_link_stay_linear() -> None:
    small, large = _calls(200), _calls(800)
    assert large < 5 * small  # 4x the files: linear is ~4x, the old per-link scan was ~16x


def test_unsafe_fix_retargets_only_to_a_unique_candidate() -> None:
    from formalai_lint.document import Document
    from formalai_lint.rules.links.fix import suggestion

    doc = Document("a/x/y/doc.md", "# t\n\n[b](../../01-基础/README.md)\n")
    several = {"a/x/01-基础/README.md", "b/01-基础/README.md", "a/x/y/doc.md"}
    one = several - {"b/01-基础/README.md"}
    assert suggestion(doc, doc.links[0], Project(frozenset(several), {})) is None
    assert suggestion(doc, doc.links[0], Project(frozenset(one), {})) == "../01-基础/README.md"


def test_a_link_inside_paren_math_is_marked() -> None:
    from formalai_lint.document import Document

    doc = Document("a.md", "设 \\( [A](t) \\) 与 [B](u) 和 \\( x \\)\n")
    assert [(link.target, link.in_math) for link in doc.links] == [("t", True), ("u", False)]


def test_a_backtracking_gitignore_pattern_does_not_hang(tmp_path: Path) -> None:
    """Issue 17: a 30-byte `.gitignore` line (`a*a*…a*b`) against a long folder name hung the
    run in Python's `re`; each further `*` multiplied the time. Two more stars must cost
    about nothing more (a backtracking matcher takes hundreds of times longer)."""

    def seconds(stars: int) -> float:
        pattern = "a*" * stars + "b\n"
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            gitignore.ignored_folders(["a" * 40, "docs"], {"": pattern})
            best = min(best, time.process_time() - start)
        return best

    few, many = seconds(6), seconds(14)
    assert many < 10 * few + 0.05, (few, many)


EXAMPLES = int(os.environ.get("FORMALAI_FUZZ_EXAMPLES", "300"))  # as in test_fuzz.py
destination = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x21, max_codepoint=0x7E),  # ASCII, punctuation included
        st.sampled_from("中文标题、（）：＃％—🎉é\u00a0\u3000\u2028\ud800"),
    ),
    min_size=1,
    max_size=24,
)


@given(destination)
@settings(max_examples=EXAMPLES, deadline=None)
def test_a_link_is_resolved_by_what_its_href_decodes_to(raw: str) -> None:
    """The model decodes a plain relative destination from the source, not from markdown-it's
    percent-encoded href (`as_written`): the two must give the same path and fragment."""
    hrefs = [
        str(t.attrs["href"])
        for block in parser().parse(f"[链接]({raw})\n")
        for t in block.children or ()
        if t.type == "link_open" and t.attrs["href"]  # the model skips an empty href
    ]
    found = [(link.path, link.fragment) for link in Document("a.md", f"[链接]({raw})\n").links]
    assert found == [decode_href(href) for href in hrefs]


def test_a_reference_link_is_resolved_by_its_decoded_href() -> None:
    """Only a destination as written is split as written: a reference link's `%23` and `%3F`
    are a `#` and a `?` of its path, not a fragment and a query."""
    doc = Document("a.md", "见 [链接][r] 与 [二][q]。\n\n[r]: a%23b.md\n[q]: 标题%3F.md#x\n")
    assert [(link.path, link.fragment) for link in doc.links] == [
        ("a#b.md", None),
        ("标题?.md", "x"),
    ]
