"""The whole guide on one page (print-site): every id unique, footnotes that stay in
their chapter, no staff-only chapter, no placeholder repository address anywhere."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from macros import downloads as dl
from sitemap import nav_sources, page_path


class _Outline(HTMLParser):
    """Every id with the page section it sits in, and every footnote link."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # (tag, page key) of open sections
        self.ids: list[tuple[str, str | None]] = []
        self.footnote_links: list[tuple[str, str | None]] = []

    def _page(self) -> str | None:
        return next((key for tag, key in reversed(self.stack) if key), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            classes = (attrs.get("class") or "").split()
            key = attrs.get("id") if "print-page" in classes and "md-section" not in classes else None
            self.stack.append((tag, key))
        if attrs.get("id"):
            self.ids.append((attrs["id"], self._page()))
        classes = (attrs.get("class") or "").split()
        if tag == "a" and ("footnote-ref" in classes or "footnote-backref" in classes):
            self.footnote_links.append((attrs.get("href", ""), self._page()))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()


def _whole_guide(site, directory_urls=True) -> str:
    return (site / page_path(f"{dl.PRINT_PAGE}.md", directory_urls=directory_urls)).read_text(encoding="utf-8")


def test_every_id_on_the_whole_guide_page_is_unique(built):
    for site, directory_urls in ((built.site, True), (built.offline, False)):
        parser = _Outline()
        parser.feed(_whole_guide(site, directory_urls))
        counts = Counter(ident for ident, _ in parser.ids)
        repeated = {ident: n for ident, n in counts.items() if n > 1}
        assert len(counts) > 500, "the page looks empty"
        assert repeated == {}, f"{site.name}: ids used more than once: {sorted(repeated)[:20]}"


def test_each_footnote_link_reaches_a_note_in_the_same_chapter(built):
    parser = _Outline()
    parser.feed(_whole_guide(built.site))
    where = dict(parser.ids)
    assert len(parser.footnote_links) > 100, "expected the guide's footnotes on the page"
    wrong = []
    for href, page in parser.footnote_links:
        target = href.removeprefix("#")
        if not href.startswith("#") or target not in where or where[target] != page:
            wrong.append(f"{page}: {href} -> {where.get(target)}")
    assert wrong == [], "\n".join(wrong[:20])


def test_anchor_links_on_the_whole_guide_page_all_land(built):
    import re

    page = _whole_guide(built.site)
    ids = set(re.findall(r'\sid=["\']([^"\']+)["\']', page))
    targets = re.findall(r'\shref="#([^"]*)"', page)
    missing = sorted({t for t in targets if t and t not in ids})
    assert missing == [], missing[:20]
    assert 'href="#sms:' not in page and "-sms:" not in page


def test_staff_chapter_is_not_in_the_whole_guide(built):
    page = _whole_guide(built.site)
    contribute = [src for src in nav_sources() if src.startswith("contribute/")]
    assert contribute, "the Contribute chapter moved: update this test"
    for src in contribute:
        key = src[:-3].replace("/", "-").removesuffix("-index")
        assert f'id="{key}"' not in page, f"{src} is printed in the whole guide"
    assert ">Contribute<" not in page and ">Contribute\n" not in page


def test_no_placeholder_repository_address_or_dead_edit_link_anywhere(built):
    for site in (built.site, built.offline):
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert "github.com/your-org" not in text, f"{page}: placeholder repository address"
            assert 'rel="edit"' not in text, f"{page}: edit link with no repository set"
            assert 'title="Edit this page"' not in text, f"{page}: edit button with no repository set"


def test_print_site_assets_load_only_on_the_whole_guide_page(built):
    """print-site's style sheets and script serve the whole-guide page; the reading
    pages, online and offline, are written without them (hooks/pages.py)."""
    import re

    asset = re.compile(r'(?:css/print-site(?:-[a-z]+)?\.css|js/print-site\.js)"')
    for site, directory_urls in ((built.site, True), (built.offline, False)):
        whole = _whole_guide(site, directory_urls)
        assert len(asset.findall(whole)) == 3, f"{site.name}: the whole-guide page lost its assets"
        assert (site / "css/print-site.css").is_file() and (site / "js/print-site.js").is_file()
        carrying = [src for src in nav_sources()
                    if asset.search((site / page_path(src, directory_urls=directory_urls))
                                    .read_text(encoding="utf-8"))]
        assert carrying == [], f"{site.name}: print-site assets on {carrying[:5]}"
