"""What a browser transfers for a page: first visit and repeat visit.

Asks a running server (``--base``, default http://127.0.0.1:8000) for each page as
a browser would (``Accept-Encoding: br, gzip``), then for every stylesheet, script,
icon and image the page names. A first visit transfers all of them; a repeat
visit transfers the page again (or a 304 when its ETag still matches) and only
those files whose ``Cache-Control`` does not let the browser keep them. Sizes
are bytes on the wire: headers and body as sent.

    python bench/page_weight.py --base http://127.0.0.1:8000 / /insights
"""

from __future__ import annotations

import argparse
import http.client
import re
from urllib.parse import urljoin, urlsplit

# What a browser fetches to show the page: scripts, images and the <link>s it loads
# (stylesheets, icons, preloads), not links to other pages (rel="alternate" hreflang
# names the page in another language; rel="canonical" names this one).
TAG = re.compile(r"<(link|script|img)\b[^>]*>", re.IGNORECASE)
SOURCE = re.compile(r'\b(?:href|src)="([^"]+)"', re.IGNORECASE)
REL = re.compile(r'\brel="([^"]*)"', re.IGNORECASE)
LOADED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}


def assets_of(html: str) -> list[str]:
    """The addresses the page makes a browser fetch."""
    found = []
    for tag in TAG.finditer(html):
        source = SOURCE.search(tag.group(0))
        if source is None:
            continue
        if tag.group(1).lower() == "link":
            rel = REL.search(tag.group(0))
            if rel is None or not LOADED_LINKS & set(rel.group(1).lower().split()):
                continue
        found.append(source.group(1))
    return found


def fetch(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], int]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
    connection.request("GET", path, headers={"Accept-Encoding": "br, gzip", **headers})
    response = connection.getresponse()
    body = response.read()
    head = {name.lower(): value for name, value in response.getheaders()}
    header_bytes = sum(len(name) + len(value) + 4 for name, value in response.getheaders()) + 17
    connection.close()
    return response.status, head, header_bytes + len(body)


def kept_by_browser(headers: dict[str, str]) -> bool:
    control = headers.get("cache-control", "")
    ages = [int(age) for age in re.findall(r"max-age=(\d+)", control)]
    return bool(ages) and max(ages) >= 86_400 and "no-cache" not in control


def weigh(base: str, path: str) -> tuple[int, int, list[str]]:
    status, headers, size = fetch(base, path, {})
    if status != 200:
        raise SystemExit(f"page_weight: {path} answered {status}")
    html = fetch_html(base, path)
    assets = sorted(
        {
            urlsplit(urljoin(base + path, found)).path
            for found in assets_of(html)
            if not found.startswith(("http:", "https:", "data:", "mailto:"))
            or found.startswith(base)
        }
    )
    first, repeat, notes = size, 0, []
    validators = {}
    if "etag" in headers:
        validators["If-None-Match"] = headers["etag"]
    again_status, _, again_size = fetch(base, path, validators)
    repeat += again_size
    notes.append(f"{path}: {size:,} B first, {again_size:,} B again ({again_status})")
    for asset in assets:
        asset_status, asset_headers, asset_size = fetch(base, asset, {})
        first += asset_size
        encoding = asset_headers.get("content-encoding", "identity")
        kept = kept_by_browser(asset_headers)
        if not kept:
            repeat += asset_size
        notes.append(
            f"  {asset}: {asset_size:,} B ({asset_status}, {encoding}, "
            f"{'kept' if kept else 'fetched again'}: {asset_headers.get('cache-control', '-')})"
        )
    return first, repeat, notes


def fetch_html(base: str, path: str) -> str:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
    connection.request("GET", path)
    text = connection.getresponse().read().decode("utf-8", "replace")
    connection.close()
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="*", default=["/", "/insights"])
    args = parser.parse_args()
    print("| page | first visit | repeat visit |")
    print("|---|---|---|")
    details = []
    for path in args.paths:
        first, repeat, notes = weigh(args.base.rstrip("/"), path)
        details += notes
        print(f"| `{path}` | {first / 1024:,.1f} KB | {repeat / 1024:,.1f} KB |")
    print()
    print("\n".join(details))


if __name__ == "__main__":
    main()
