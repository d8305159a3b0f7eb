"""The documentation (docs/*.md) served as pages: /docs and /docs/<name>.

The Markdown files are the project's own (trusted), rendered with markdown-it; links
between them (``open-data.md#json-ld``) become links between the pages, and every
heading gets an id to link to. Installed from a wheel, the files are inside the
package (``peerladder/docs``); in a source checkout they are read from ``docs/``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

_PACKAGE = Path(__file__).resolve().parent.parent
_CANDIDATES = (_PACKAGE / "docs", _PACKAGE.parent.parent / "docs")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DOC_LINK = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*)\.md(?P<fragment>#[^\s]*)?$")


def docs_dir() -> Path | None:
    """Where the documentation's Markdown files are, or None when they were not installed."""
    for candidate in _CANDIDATES:
        if (candidate / "index.md").is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _heading_ids(tokens: list[Token]) -> list[dict[str, str]]:
    """Give each heading an id (GitHub's way: lower case, hyphens); return the h2s."""
    seen: dict[str, int] = {}
    outline = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = tokens[index + 1].content
        anchor = slugify(re.sub(r"`", "", text)) or "section"
        if anchor in seen:
            seen[anchor] += 1
            anchor = f"{anchor}-{seen[anchor]}"
        else:
            seen[anchor] = 0
        token.attrSet("id", anchor)
        if token.tag == "h2":
            outline.append({"id": anchor, "text": text.replace("`", "")})
    return outline


def _doc_links(tokens: list[Token]) -> None:
    """``other.md#part`` → ``/docs/other#part``; other links are left as written."""
    for token in tokens:
        for child in token.children or []:
            if child.type != "link_open":
                continue
            match = _DOC_LINK.match(str(child.attrGet("href") or ""))
            if match:
                target = "" if match["name"] == "index" else f"/{match['name']}"
                child.attrSet("href", f"/docs{target}{match['fragment'] or ''}")


@lru_cache(maxsize=64)
def render_doc(name: str) -> dict[str, Any] | None:
    """One documentation page as HTML with its title and outline; None when absent."""
    folder = docs_dir()
    if folder is None or not _NAME.match(name):
        return None
    source = folder / f"{name}.md"
    if not source.is_file():
        return None
    text = source.read_text(encoding="utf-8")
    parser = _parser()
    tokens = parser.parse(text)
    outline = _heading_ids(tokens)
    _doc_links(tokens)
    title = next(
        (tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h1"), name.title()
    )
    return {
        "name": name,
        "title": title.replace("`", ""),
        "html": parser.renderer.render(tokens, parser.options, {}),
        "outline": outline,
    }


def doc_page(request: HttpRequest, name: str = "index") -> HttpResponse:
    """/docs (the index) and /docs/<name>; /docs/<name>.md redirects to the page."""
    if name.endswith(".md"):
        return HttpResponsePermanentRedirect(reverse("web:doc", args=[name[:-3]]))
    if name == "index" and request.path != reverse("web:docs"):
        return HttpResponsePermanentRedirect(reverse("web:docs"))
    doc = render_doc(name)
    if doc is None:
        raise Http404(_("The documentation has no page %(name)s.") % {"name": repr(name)})
    return render(request, "web/docs/page.html", {"doc": doc})


urlpatterns = [
    path("docs", doc_page, name="docs"),
    path("docs/<str:name>", doc_page, name="doc"),
]
