"""The rendered HTML of a document outside what a fix may change.

A fix is kept only if this HTML is the same before and after it: the TOC fix may change the
TOC's list and nothing else; a link fix may change link destinations and nothing else.
"""

from __future__ import annotations

from markdown_it.token import Token

from formalai_lint.document import Document
from formalai_lint.markdown import parser

_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST = (*_LIST_OPEN, "bullet_list_close", "ordered_list_close")


def _without_toc(doc: Document) -> list[Token]:
    """The document's tokens without the TOC's list (from its opening to its closing token)."""
    tokens = doc.tokens
    if doc.toc is None:
        return list(tokens)
    first = doc.toc.start_line - 1
    for i, token in enumerate(tokens):
        if token.type in _LIST_OPEN and token.map and token.map[0] == first:
            depth = 0
            for j in range(i, len(tokens)):
                depth += tokens[j].nesting if tokens[j].type in _LIST else 0
                if depth == 0:
                    return tokens[:i] + tokens[j + 1 :]
    return list(tokens)


def _without_destinations(tokens: list[Token]) -> list[Token]:
    """Copies of the tokens with every link `href` and image `src` blanked."""
    result = []
    for token in tokens:
        if token.children:
            token = token.copy(children=[_blank(child) for child in token.children])
        result.append(token)
    return result


def _blank(token: Token) -> Token:
    if token.type == "link_open":
        return token.copy(attrs={**token.attrs, "href": ""})
    if token.type == "image":
        return token.copy(attrs={**token.attrs, "src": ""})
    return token


def outside_html(doc: Document, *, toc: bool = True, destinations: bool = False) -> str:
    """HTML of `doc`, leaving out the TOC list (`toc`) and link destinations (`destinations`)."""
    tokens = _without_toc(doc) if toc else list(doc.tokens)
    if destinations:
        tokens = _without_destinations(tokens)
    md = parser()
    html: str = md.renderer.render(tokens, md.options, {})
    return html
