"""The real site builds strictly, in both variants, and broken input stops it."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

import build
from sitemap import nav_sources, page_path, search_location


def test_both_variants_build_every_nav_page(built):
    for src in nav_sources():
        assert (built.site / page_path(src, directory_urls=True)).is_file(), src
        assert (built.offline / page_path(src, directory_urls=False)).is_file(), src


def test_each_data_file_is_parsed_once_per_build(tmp_path):
    """The real site built in this process, with the loader's parse call counted: every
    macro and hook reuses the data loaded once (make bench prints the same counts). The
    editor checks run in a process forked after that load, so their parses would not be
    counted here: the next test holds that they make none."""
    import bench

    data_files, documents = bench.yaml_parses(build.ROOT / "mkdocs.yml", tmp_path / "site")
    assert {"data/vocabularies.yml", "data/contacts.yml", "data/sources.yml",
            "data/glossary.yml", "data/i18n/es.yml"} <= set(data_files), data_files
    states = {name for name in data_files if name.startswith("data/states/")}
    assert len(states) == len(list((build.ROOT / "data" / "states").glob("*.yml"))), data_files
    assert set(data_files.values()) == {1}, data_files
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_editor_checks_reuse_the_data_loaded_before_them(monkeypatch):
    """hooks/editor_checks.py loads the data (check.load_shared_data), then runs
    check.run in a process forked from the build: run() must find every data file
    already loaded and parse none again (a fork sees what this process would)."""
    from macros import loader
    from scripts import check

    parsed: list[str] = []
    read_yaml = loader.read_yaml

    def counting(path, label):
        parsed.append(label)
        return read_yaml(path, label)

    loader._loaded.clear()
    monkeypatch.setattr(loader, "read_yaml", counting)
    check.load_shared_data(build.ROOT / "mkdocs.yml")
    loaded = list(parsed)
    assert "data/contacts.yml" in loaded and any(name.startswith("data/states/") for name in loaded)
    report = check.run(build.ROOT / "mkdocs.yml")
    assert report.ok, report.text()
    assert parsed == loaded, f"run() parsed again: {parsed[len(loaded):]}"


def test_offline_zip_is_one_folder_with_index_and_note(built):
    with zipfile.ZipFile(built.zip) as zf:
        names = zf.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {build.BUNDLE_NAME}
    assert f"{build.BUNDLE_NAME}/index.html" in names
    assert f"{build.BUNDLE_NAME}/HOW-TO-OPEN.txt" in names
    assert f"{build.BUNDLE_NAME}/assets/vendor/iframe-worker-shim.js" in names


def _excluded_from_search(src: str) -> bool:
    """Staff pages say `search: exclude: true` in their front matter."""
    from macros.pages import read_front_matter

    meta = read_front_matter(build.ROOT / "docs" / src)
    return bool((meta.get("search") or {}).get("exclude"))


def test_search_index_lists_every_reader_page_and_no_staff_page(built):
    excluded = {src for src in nav_sources() if _excluded_from_search(src)}
    assert excluded and all(src.startswith("contribute/") or src == "resources/references.md"
                            for src in excluded)
    for site, directory_urls in ((built.site, True), (built.offline, False)):
        index = json.loads((site / "search/search_index.json").read_text())
        locations = {doc["location"].split("#", 1)[0] for doc in index["docs"]}
        missing = [
            src for src in nav_sources() if src not in excluded
            and search_location(src, directory_urls=directory_urls) not in locations
        ]
        assert not missing, f"not in {site.name} search index: {missing}"
        leaked = [src for src in excluded
                  if search_location(src, directory_urls=directory_urls) in locations]
        assert not leaked, f"staff pages in {site.name} search index: {leaked}"


def test_offline_search_index_script_inlines_the_index(built):
    script = (built.offline / "search/search_index.js").read_text()
    assert script.startswith("var __index = {")
    inlined = json.loads(script[len("var __index = "):])
    assert inlined == json.loads((built.offline / "search/search_index.json").read_text())


def _break_page(project, text: str) -> None:
    page = project / "docs/understanding/what-is-trafficking.md"
    page.write_text(page.read_text() + f"\n\n{text}\n")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("See [a missing page](no-such-page.md).", "no-such-page.md"),
        ("See [a missing section](federal-law.md#no-such-section).", "no-such-section"),
    ],
    ids=["broken-link", "broken-anchor"],
)
def test_broken_link_or_anchor_fails_the_build_naming_the_page(project_copy, tmp_path, text, expected):
    _break_page(project_copy, text)
    with pytest.raises(build.BuildError) as failure:
        build.mkdocs_build(tmp_path / "out", offline=False, config=project_copy / "mkdocs.yml")
    message = str(failure.value)
    assert "understanding/what-is-trafficking.md" in message
    assert expected in message
    assert not (tmp_path / "out").exists(), "a failed build must not leave a site behind"


def test_undefined_macro_variable_fails_the_build(project_copy, tmp_path):
    _break_page(project_copy, "Call {{ no_such_variable }} now.")
    with pytest.raises(build.BuildError) as failure:
        build.mkdocs_build(tmp_path / "out", offline=False, config=project_copy / "mkdocs.yml")
    assert re.search(r"no_such_variable", str(failure.value))


def test_references_page_agrees_with_the_citations_in_the_built_pages(built):
    """Every register entry is on the References page, and the pages it lists as citing an
    entry are exactly the built pages whose footnotes carry that entry's citation."""
    from html.parser import HTMLParser
    from pathlib import PurePosixPath

    import yaml

    register = yaml.safe_load((build.ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))
    ids = {entry["id"] for entry in register}

    cited_in_html: dict[str, set[str]] = {}
    for src in nav_sources():
        if src in ("resources/references.md", "contribute/macro-reference.md"):
            continue  # the References page itself, and the macro reference's live example
        html = (built.site / page_path(src, directory_urls=True)).read_text(encoding="utf-8")
        for ident in re.findall(r'class="citation" data-source="([^"]+)"', html):
            cited_in_html.setdefault(ident, set()).add(src)
    assert cited_in_html, "no citation from the register was found in any built page"
    assert set(cited_in_html) <= ids

    class Items(HTMLParser):
        def __init__(self):
            super().__init__()
            self.current: str | None = None
            self.links: dict[str, set[str]] = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "li" and (attrs.get("id") or "").startswith("src-"):
                self.current = attrs["id"][len("src-"):]
                self.links[self.current] = set()
            elif tag == "a" and self.current and not attrs.get("href", "").startswith(("https:", "#")):
                self.links[self.current].add(attrs["href"])

        def handle_endtag(self, tag):
            if tag == "li":
                self.current = None

    page = built.site / "resources/references/index.html"
    parser = Items()
    parser.feed(page.read_text(encoding="utf-8"))
    assert set(parser.links) == ids, "every register entry appears once on the References page"

    def as_src(href: str) -> str:
        path = PurePosixPath("resources/references") / href
        parts: list[str] = []
        for part in path.parts:
            if part == "..":
                parts.pop()
            else:
                parts.append(part)
        stem = "/".join(parts)
        candidates = [f"{stem}.md", f"{stem}/index.md"] if stem else ["index.md"]
        return next(c for c in candidates if c in nav_sources())

    listed = {ident: {as_src(h) for h in hrefs} - {"contribute/macro-reference.md"}
              for ident, hrefs in parser.links.items()}
    for ident in ids:
        assert listed[ident] == cited_in_html.get(ident, set()), ident


def test_section_and_footnote_links_are_named_without_a_tooltip(built):
    """Each heading's ¶ link and each footnote's ↩ link is named with aria-label, not
    title: Material mounts a tooltip for every titled element on load (content.tooltips),
    and these are on every heading and footnote (hooks/pages.py). Online, offline and on
    the whole-guide page."""
    link = re.compile(r'<a class="(headerlink|footnote-backref)" href="[^"]*"([^>]*)>')
    for site in (built.site, built.offline):
        named = titled = 0
        for page in site.rglob("*.html"):
            for kind, attributes in link.findall(page.read_text(encoding="utf-8")):
                titled += " title=" in attributes
                named += bool(re.search(r' aria-label="[^"]+"', attributes))
        assert titled == 0, f"{site.name}: {titled} section or footnote links still carry a title"
        assert named > 1000, f"{site.name}: only {named} section or footnote links are named"


def test_each_page_shows_its_own_last_commit_date(built):
    """hooks/git_dates.py asks git for every page's date in a background process and
    hands each page its own answer: the date on a page is the one the plugin's own
    function gives for that page's file (a sample of pages, spread over the guide)."""
    from datetime import datetime, timezone

    from mkdocs_git_revision_date_localized_plugin.util import Util

    from macros.project import load_project

    plugin = load_project(build.ROOT / "mkdocs.yml").config.plugins["git-revision-date-localized"]
    util = Util(config=plugin.config, mkdocs_dir=str(build.ROOT))
    sources = nav_sources()[::6]
    assert len(sources) > 20
    shown = re.compile(r'class="git-revision-date-localized-plugin[^"]*" title="([^"]+)"')
    for src in sources:
        html = (built.site / page_path(src, directory_urls=True)).read_text(encoding="utf-8")
        found = shown.search(html)
        assert found, f"{src}: no last-updated date"
        when = datetime.strptime(found.group(1), "%B %d, %Y %H:%M:%S %Z").replace(tzinfo=timezone.utc)
        _, stamp = util.get_git_commit_timestamp(str(build.ROOT / "docs" / src))
        assert when == datetime.fromtimestamp(int(stamp), timezone.utc), src
