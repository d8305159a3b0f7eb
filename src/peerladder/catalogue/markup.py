"""User-written Markdown rendered to safe HTML (markdown-it-py, then nh3)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default": no raw HTML passes through, and links are validated.
    return MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    """Markdown as HTML safe to put in a page: no scripts, no styles, no raw HTML."""
    if not text:
        return ""
    html = _parser().render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
