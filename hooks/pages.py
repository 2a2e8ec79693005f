"""MkDocs hook (mkdocs.yml `hooks:`, hooks/pages.py): page-level fixes the theme cannot make.

- No repository configured (REPO_URL unset): no "Edit this page" link, instead of a
  link to a relative, broken address.
- The whole-guide page (print-site): chapters and sections whose pages are all excluded (the
  staff-only Contribute chapter) are left out entirely, not printed as an empty
  heading; and every id on the page is made unique. print-site prefixes heading ids
  with the page's key but misses ids such as footnote references (`fnref:1`), so a
  footnote link could land in another chapter. Ids inside each page's section get the
  page's key, matching the links print-site already rewrote; links it mangled (`sms:`)
  or pointed at pages left out of the print page go back to a normal address. Markup
  print-site writes that HTML does not allow is made valid.
- print-site's own style sheets and script serve only the whole-guide page: every other
  page is written without them (two style sheets and a script fewer to fetch and apply
  on each reading page; issue 17).
- print-site's own pass over each page's ids (`urls.update_anchor_ids`) is switched off:
  `unique_ids` below gives every id in a page's section the page's key anyway, and the
  pass cost about 11 of the online build's 42 seconds (its pattern scans from every `<`
  to the end of the line, and long table rows made that quadratic; issue 17). The
  whole-guide page came out byte for byte the same with and without it.
- Section links (¶) and footnote back links (↩) name themselves with `aria-label`
  instead of `title`. Material's tooltips (content.tooltips) mount a tooltip for every
  titled element when a page loads, and these two kinds, which every heading and
  footnote carries, outnumbered the glossary abbreviations the tooltips are there for
  (on the federal law page, 37 of 63). Screen readers read the same name.
"""

from __future__ import annotations

import copy
import fnmatch
import logging
import posixpath
import re
from pathlib import Path

from macros.pages import walk_nav

log = logging.getLogger("mkdocs.hooks.pages")
PRINT_PLUGIN = "print-site"

_state: dict = {}


def _print_plugin(config):
    return config.plugins.get(PRINT_PLUGIN)


def _excluded(src: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.endswith("/") and src.startswith(pattern):
            return True
        if fnmatch.fnmatch(src, pattern):
            return True
    return False


def _keep_ids(page_html: str, page_key: str) -> str:
    """Stands in for print-site's update_anchor_ids: unique_ids does this job whole."""
    return page_html


def on_config(config, **kwargs):
    if _print_plugin(config) is not None:
        from mkdocs_print_site_plugin import urls

        urls.update_anchor_ids = _keep_ids
    return config


def on_nav(nav, config, files, **kwargs):
    plugin = _print_plugin(config)
    _state["keys"] = {}
    if plugin is None:
        return nav
    from mkdocs_print_site_plugin.urls import get_page_key

    patterns = list(plugin.config.get("exclude") or [])
    for page in nav.pages:
        _state["keys"][get_page_key(page.url)] = page.url
    def prune(items: list) -> list:
        """Sections (at any depth) whose pages are all excluded are left out; a kept
        section is a copy with pruned children, so the site's own navigation is untouched."""
        kept = []
        for item in items:
            if not getattr(item, "is_section", False):
                kept.append(item)
            elif not all(_excluded(src, patterns) for _, src in walk_nav([item])):
                clone = copy.copy(item)
                clone.children = prune(item.children)
                kept.append(clone)
        return kept

    plugin.renderer.items = prune(plugin.renderer.items)
    _state["print_url"] = plugin.print_page.url if plugin.print_page else None
    return nav


# What print-site adds to every page's head and scripts (its css/ and js/ folders).
PRINT_ASSETS = re.compile(
    r'<link rel="stylesheet" href="[^"]*\bcss/print-site(?:-[a-z]+)?\.css">'
    r'|<script src="[^"]*\bjs/print-site\.js"></script>')


def without_print_assets(html: str) -> str:
    """The page without print-site's assets and the white space before each. (A leading
    `\\s*` in the pattern did the same but was tried at every position of every
    page: 3 s of a 28 s build.)"""
    out, last = [], 0
    for match in PRINT_ASSETS.finditer(html):
        out.append(html[last:match.start()].rstrip())
        last = match.end()
    out.append(html[last:])
    return "".join(out)


# A heading's ¶ link (Python-Markdown's toc) and a footnote's ↩ link (footnotes).
SELF_NAMED_LINK = re.compile(r'(<a class="(?:headerlink|footnote-backref)" href="[^"]*") title=')


def on_post_page(output, page, config, **kwargs):
    """Name section and footnote back links with aria-label (no tooltip to mount), and
    leave print-site's assets out of every page but the whole-guide page, which
    print-site writes itself after this runs (on_post_build)."""
    output = SELF_NAMED_LINK.sub(r"\1 aria-label=", output)
    if page.url == _state.get("print_url"):
        return output
    return without_print_assets(output)


def on_page_context(context, page, config, nav, **kwargs):
    if not config.get("repo_url"):
        page.edit_url = None
    return context


SECTION = re.compile(r"<section\s+class=(['\"])print-page( md-section)?\1(?:\s+id=(['\"])([^'\"]*)\3)?[^>]*>")
ID_ATTR = re.compile(r"(\sid=)(['\"])([^'\"]+)\2")
HREF_ANCHOR = re.compile(r"(\shref=)(['\"])#([^'\"]*)\2")


def unique_ids(html: str, page_urls: dict[str, str], print_url: str) -> str:
    """Give every id inside a page's section of the whole-guide page that page's key,
    and repair the anchor links print-site wrote for targets that are not on it."""
    starts = list(SECTION.finditer(html))
    out, last = [], 0
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html)
        out.append(html[last:match.end()])
        body = html[match.end():end]
        key = match.group(4)
        if key and not match.group(2):  # a page, not a chapter heading
            prefix = key + "-"

            def own(m: re.Match, prefix=prefix) -> str:
                ident = m.group(3)
                while ident.startswith(prefix + prefix):  # print-site sometimes adds it twice
                    ident = ident[len(prefix):]
                if not ident.startswith(prefix):
                    ident = prefix + ident
                return f"{m.group(1)}{m.group(2)}{ident}{m.group(2)}"

            body = ID_ATTR.sub(own, body)
        out.append(body)
        last = end
    out.append(html[last:])
    html = "".join(out)

    # print-site takes sms: links for links to pages of the guide.
    html = re.sub(r'href="#[^"]*?(sms:[^"]+)"', r'href="\1"', html)
    ids = set(m.group(3) for m in ID_ATTR.finditer(html))
    here = posixpath.dirname(print_url.rstrip("/")) if print_url.endswith("/") else posixpath.dirname(print_url)

    def repair(m: re.Match) -> str:
        target = m.group(3)
        if target == ".":  # a link to the home page
            target = "index"
        if not target or target in ids:
            return m.group(0) if target != "index" else f"{m.group(1)}{m.group(2)}#index{m.group(2)}"
        # A page left out of the print page (Downloads, Contribute): link to it online.
        for key in sorted(page_urls, key=len, reverse=True):
            if target == key or target.startswith(key + "-"):
                anchor = target[len(key) + 1:]
                url = posixpath.relpath(page_urls[key] or ".", here or ".")
                if page_urls[key].endswith("/") and not url.endswith("/"):
                    url += "/"
                return f"{m.group(1)}{m.group(2)}{url}{'#' + anchor if anchor else ''}{m.group(2)}"
        return m.group(0)

    return HREF_ANCHOR.sub(repair, html)


def on_post_build(config, **kwargs):
    """print-site writes the whole-guide page in its own on_post_build; hooks run
    after plugins, so the page is there to fix."""
    print_url = _state.get("print_url")
    if not print_url:
        return
    path = Path(config["site_dir"]) / (print_url + "index.html" if print_url.endswith("/") else print_url)
    if not path.is_file():
        return
    html = path.read_text(encoding="utf-8")
    html = valid_markup(unique_ids(html, _state.get("keys", {}), print_url))
    html = SELF_NAMED_LINK.sub(r"\1 aria-label=", html)
    path.write_text(html, encoding="utf-8")


def valid_markup(html: str) -> str:
    """Two things print-site writes that HTML does not allow (the Nu HTML Checker
    reports them): a made-up `heading-number` attribute, and a style element at the
    end of the body. Nothing reads the attribute, so it becomes a data- attribute; the
    styles move into the head."""
    html = re.sub(r"(<section\b[^>]*?\s)heading-number=", r"\1data-heading-number=", html)
    match = re.search(r'(<style>\.print-site-enumerate-headings[^<]*</style>)', html)
    if match and "</head>" in html:
        html = html.replace(match.group(1), "", 1).replace("</head>", match.group(1) + "</head>", 1)
    return html
