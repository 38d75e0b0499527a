"""Lexical link resolution and the "did you mean" suggestions."""

from __future__ import annotations

from formalai_lint.document import Link, decode_href
from formalai_lint.links import Status, join, resolve, suggest_anchor
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
