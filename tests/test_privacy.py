"""No built file loads anything from a third-party host (static check of every file).

The browser tests check what pages actually request; this test reads every HTML, CSS
and JavaScript file of both builds for addresses the browser would fetch.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Attributes the browser fetches by itself, per tag.
FETCHED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
FETCHED_LINK_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
    "prefetch", "preconnect", "dns-prefetch", "manifest", "prerender", "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
# In scripts: URLs that code loads (fetch, XHR, import, importScripts, script src).
JS_LOAD = re.compile(
    r"""(?:fetch|importScripts|import|XMLHttpRequest\(\)\.open|\.src\s*=)\s*\(?\s*['"`](https?:)?//([^/'"`]+)"""
)


def _third_party(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname not in ("127.0.0.1", "localhost")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        names = FETCHED.get(tag, ())
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & FETCHED_LINK_RELS:
                names = ("href",)
        for name in names:
            value = attrs.get(name) or ""
            for candidate in value.split(","):
                url = candidate.strip().split(" ")[0]
                if url and _third_party(url):
                    self.found.append(f"<{tag} {name}={url}>")
        style = attrs.get("style") or ""
        self._css(style)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, text: str):
        for match in CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            if _third_party(url):
                self.found.append(f"css {url}")


# The staff editing forms (Decap CMS, hooks/admin.py) are not a reader page: the
# reader checks leave admin/ out, and tests/test_admin.py holds it to its own rule (the
# Git host it edits is the only outside host its policy allows, checked in Chromium).
ADMIN = "admin"


def _offenders(site: Path, *, skip: tuple[str, ...] = ()) -> list[str]:
    problems = []
    for path in sorted(site.rglob("*")):
        if path.relative_to(site).parts[0] in skip:
            continue
        if path.suffix == ".html":
            collector = _Collector()
            collector.feed(path.read_text(encoding="utf-8"))
            problems += [f"{path.relative_to(site)}: {item}" for item in collector.found]
        elif path.suffix == ".css":
            for match in CSS_URL.finditer(path.read_text(encoding="utf-8")):
                url = match.group(1) or match.group(2)
                if _third_party(url):
                    problems.append(f"{path.relative_to(site)}: url({url})")
        elif path.suffix == ".js":
            for match in JS_LOAD.finditer(path.read_text(encoding="utf-8")):
                problems.append(f"{path.relative_to(site)}: loads //{match.group(2)}")
    return problems


def test_online_build_loads_nothing_from_third_parties(built):
    assert _offenders(built.site, skip=(ADMIN,)) == []


def test_only_the_admin_folder_is_left_out_and_only_online(built):
    """The exclusion above hides nothing else: admin/ holds only the editing forms, and
    the offline bundle has no admin/ at all."""
    assert (built.site / ADMIN / "index.html").is_file()
    assert not (built.offline / ADMIN).exists()
    assert "<title>Edit the guide (staff only)" in (built.site / ADMIN / "index.html").read_text()


def test_offline_build_loads_nothing_from_third_parties(built):
    assert _offenders(built.offline) == []


def test_collector_catches_what_it_should():
    """The checker itself must be able to fail (guards against a check that cannot)."""
    collector = _Collector()
    collector.feed(
        '<script src="https://unpkg.com/iframe-worker/shim"></script>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
        '<link rel="canonical" href="https://example.org/">'
        '<a href="https://example.org/">fine</a>'
        '<div style="background:url(//cdn.example.com/x.png)"></div>'
        '<style>@import "https://fonts.example.com/a.css";</style>'
    )
    assert collector.found == [
        "<script src=https://unpkg.com/iframe-worker/shim>",
        "<link href=https://fonts.googleapis.com/css>",
        "css //cdn.example.com/x.png",
        "css https://fonts.example.com/a.css",
    ]
    assert JS_LOAD.search('fetch("https://api.github.com/repos/x")')
