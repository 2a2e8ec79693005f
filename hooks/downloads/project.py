"""What the downloads need to know about the guide: its configuration (read by MkDocs
itself, so `!ENV [SITE_URL, ""]` is resolved the way the site build resolves it), the
pages that get files, their names, and the deployed address of every page and link."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urljoin, urlsplit

from macros.pages import reader_pages, walk_nav
from macros.project import load_project
from macros.render import site_file_url

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_KIND = "template"
URL_DIR = "downloads"  # where the files sit in the built site
PDF_NAME = "task-force-eguide.pdf"
PRINT_PAGE = "whole-guide"  # mkdocs.yml: print-site print_page_basename


@dataclass(frozen=True)
class TemplatePage:
    """A page with `kind: template` in its front matter: it gets a Word file. A
    translated one (`lang` other than English, the Spanish handouts in docs/es/) is a
    handout and also gets its own PDF."""

    src: str
    title: str
    lang: str
    docx_name: str

    @property
    def url(self) -> str:
        return site_file_url(self.src)

    @property
    def is_handout(self) -> bool:
        return self.lang != "en"

    @property
    def pdf_name(self) -> str:
        return self.docx_name[: -len(".docx")] + ".pdf"


@dataclass(frozen=True)
class DownloadSite:
    config_file: Path
    docs_dir: Path
    site_url: str  # "" when the guide has no address yet (SITE_URL unset)
    site_name: str
    site_author: str
    nav: object
    config: object = field(default=None, repr=False, compare=False)  # MkDocs' own config

    def page_address(self, src: str) -> str:
        """The deployed address of a page, or "" without a site_url."""
        return urljoin(self.site_url, site_file_url(src)) if self.site_url else ""

    def absolute_link(self, page_src: str, href: str) -> Optional[str]:
        """A link as it appears on the built page `page_src`, made absolute to the
        deployed site. Links that already carry a scheme (https:, mailto:, tel:) are
        kept. Without a site_url a link inside the guide has no address: None."""
        if urlsplit(href).scheme:
            return href
        if not self.site_url:
            return None
        return urljoin(self.page_address(page_src) or self.site_url, href)


def download_site(config_file: Path = ROOT / "mkdocs.yml") -> DownloadSite:
    """Read mkdocs.yml through MkDocs, so environment variables (`!ENV`) resolve as in
    the build: SITE_URL=https://example.org/g/ gives that site_url."""
    config = load_project(config_file).config
    site_url = config.get("site_url") or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return DownloadSite(config_file=Path(config_file).resolve(), docs_dir=Path(config["docs_dir"]),
                   site_url=site_url, site_name=config.get("site_name") or "Task Force e-Guide",
                   site_author=config.get("site_author") or "", nav=config.get("nav"),
                   config=config)


def nav_files(nav: object) -> list[str]:
    """Every Markdown path in an mkdocs.yml nav, in nav order (macros.pages' one walker)."""
    return [src for _, src in walk_nav(nav) if src.endswith(".md")]


def docx_names(sources: Iterable[str]) -> dict[str, str]:
    """A short, unique .docx file name for each template page ('mou-template.docx');
    the folder is added only when two pages share a file name."""
    sources = list(sources)
    stems = [posixpath.basename(src)[:-3] for src in sources]
    names = {}
    for src, stem in zip(sources, stems):
        if stems.count(stem) > 1 or stem == "index":
            stem = src[:-3].replace("/", "-")
        names[src] = f"{stem}.docx"
    return names


def template_pages(docs_dir: Path, nav: object = None) -> list[TemplatePage]:
    """Every `kind: template` reader page: nav order first, then any template page not in
    the nav, alphabetically. Front matter is read by macros.pages (the one reader), so a
    block closed with `...` counts like one closed with `---`."""
    found = {page.src: page.meta for page in reader_pages(docs_dir)
             if page.meta.get("kind") == TEMPLATE_KIND}
    order = [src for src in nav_files(nav) if src in found]
    order += sorted(src for src in found if src not in order)
    names = docx_names(order)
    return [TemplatePage(src=src, title=str(found[src].get("title") or posixpath.basename(src)[:-3]),
                         lang=str(found[src].get("lang") or "en"), docx_name=names[src])
            for src in order]
