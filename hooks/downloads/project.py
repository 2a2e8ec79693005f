"""What the downloads need to know about the guide: its configuration (read by MkDocs
itself, so `!ENV [SITE_URL, ""]` is resolved the way the site build resolves it) and the
deployed address of every page and link. Which pages get files, and their names:
macros/downloads.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin, urlsplit

from macros.project import load_project
from macros.render import site_file_url

ROOT = Path(__file__).resolve().parents[2]


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
