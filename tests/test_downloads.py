"""Downloads: editable templates, the whole-guide PDF and page, and the Downloads page.

Everything is checked against the files the build actually made: the templates are the
pages marked `kind: template`, sizes and checksums are measured here again.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

import build
import downloads
from conftest import ROOT
from macros import downloads as dl
from macros.health import read_front_matter
from sitemap import nav_sources, page_path

DOCS = ROOT / "docs"
CONFIG = downloads.read_mkdocs_config(ROOT / "mkdocs.yml")
TEMPLATES = dl.template_pages(DOCS, CONFIG.get("nav"))
NAMES = dl.docx_names(src for src, _ in TEMPLATES)


def _norm(text: str) -> str:
    """Letters and digits only, lower case, ligatures unfolded: for comparing text that
    went through Markdown, Word or PDF."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


def _markdown_text(line: str) -> str:
    """Inline Markdown to the words a reader sees."""
    line = re.sub(r"\[\^[^\]]+\]", "", line)  # footnote references
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images
    return line


def _body_lines(src: str) -> list[str]:
    """The page's lines outside front matter, fenced code and footnote definitions."""
    text = downloads.strip_front_matter((DOCS / src).read_text(encoding="utf-8"))
    lines, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and not line.startswith("[^"):
            lines.append(line)
    return lines


def _manifest(built) -> dict:
    return json.loads((built.downloads / dl.MANIFEST).read_text(encoding="utf-8"))


def _docx_text(document) -> tuple[str, list[str]]:
    """All the text of a .docx (body, tables, footers) and its heading paragraphs."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    return "\n".join(parts), headings


# --- editable templates --------------------------------------------------------------

def test_the_guide_has_template_pages():
    assert len(TEMPLATES) >= 5, "no pages marked `kind: template` were found"


def test_every_template_page_has_a_docx_in_both_sites(built):
    made = {f["source"]: f["name"] for f in _manifest(built)["files"] if f["kind"] == "template-docx"}
    assert made == {src: NAMES[src] for src, _ in TEMPLATES}
    for name in made.values():
        assert (built.site / dl.URL_DIR / name).is_file(), name
        assert (built.offline / dl.URL_DIR / name).is_file(), name


@pytest.mark.parametrize("src, title", TEMPLATES, ids=[src for src, _ in TEMPLATES])
def test_docx_keeps_headings_list_items_checkboxes_and_tables(built, src, title):
    import docx

    document = docx.Document(str(built.downloads / NAMES[src]))
    text, headings = _docx_text(document)
    found = _norm(text)
    lines = _body_lines(src)

    expected_headings = [_markdown_text(m.group(1)) for line in lines
                         if (m := re.match(r"^#{1,6}\s+(.+?)\s*#*$", line))]
    assert [_norm(h) for h in headings] == [_norm(h) for h in expected_headings]

    items = [_markdown_text(m.group(1)) for line in lines
             if (m := re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$", line))
             and "{{" not in line]
    missing = [item for item in items if _norm(item) not in found]
    assert not missing, f"list items missing from {NAMES[src]}: {missing[:5]}"

    if any(re.match(r"^\s*[-*+]\s+\[ \]", line) for line in lines):
        numbering = document.part.numbering_part.element.xml
        assert "☐" in numbering, "checkboxes did not become ☐"
    if any(re.match(r"^\s*\|.*\|\s*$", line) for line in lines):
        assert document.tables, "the page's tables are missing"
    assert "{{" not in text and "}}" not in text, "a macro call was left in the document"


def test_docx_footer_says_where_the_current_version_lives_and_when_it_was_built(built):
    import docx

    built_at = _manifest(built)["built"]
    for src, title in TEMPLATES:
        footer = docx.Document(str(built.downloads / NAMES[src])).sections[0].footer
        text = " ".join(p.text for p in footer.paragraphs)
        assert "Current version" in text, text
        assert title in text or dl.site_file_url(src) in text, text
        assert f"Built {built_at}" in text, text


def test_template_markdown_for_word_processors():
    project = downloads.load_project()
    page = "\n".join([
        "---", "title: T", "kind: template", "---", "", "# T", "",
        '!!! legal "Legal note: not legal advice"', "    State law varies.", "",
        "- [ ] Signed on [date]", "- [x] Filed", "",
        "See [the MOU page](../structure/mou.md) and [the law](https://example.org/).", "",
        '{{ contact_block("nhth") }}', "",
        "{{ glossary() }}",
    ])
    out = downloads.docx_markdown(page, "structure/x.md", project)
    assert "title:" not in out and "{{" not in out
    assert "> **Legal note: not legal advice**" in out and "> State law varies." in out
    assert "- ☐ Signed on [date]" in out and "- ☒ Filed" in out
    assert "[the law](https://example.org/)" in out
    nhth = project.data.contacts["nhth"]
    assert nhth.name in out and nhth.phone in out
    assert "online guide" in out  # macros with no plain-text form point to the web page


# --- the whole guide -----------------------------------------------------------------

def _print_excluded(src: str) -> bool:
    """Left out of the whole guide by print-site's `exclude` (Downloads, Contribute)."""
    import fnmatch

    plugin = next(p["print-site"] for p in CONFIG["plugins"] if isinstance(p, dict) and "print-site" in p)
    return any(fnmatch.fnmatch(src, pattern) for pattern in plugin["exclude"])


def _nav_titles(*, excluded: bool = False) -> tuple[list[str], list[str]]:
    """Section titles and page titles in the nav that the whole guide prints (or, with
    excluded=True, those it leaves out)."""
    sections: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                key, value = next(iter(item.items()))
                if isinstance(value, list):
                    srcs = [v for v in dl.nav_files(value)]
                    if all(_print_excluded(s) for s in srcs) == excluded:
                        sections.append(key)
                    walk(value)

    walk(CONFIG["nav"])
    pages = [str(read_front_matter(DOCS / src).get("title") or "") for src in nav_sources()
             if _print_excluded(src) == excluded]
    return sections, [p for p in pages if p]


def test_whole_guide_page_has_every_chapter_in_both_sites(built):
    sections, pages = _nav_titles()
    for site, directory_urls in ((built.site, True), (built.offline, False)):
        page = site / page_path(f"{dl.PRINT_PAGE}.md", directory_urls=directory_urls)
        text = _norm(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        missing = [t for t in sections + pages if _norm(t) not in text]
        assert not missing, f"{page.name} lacks {missing}"


def test_pdf_has_pages_and_every_chapter_title_or_is_omitted_with_a_reason(built):
    manifest = _manifest(built)
    pdf = next((f for f in manifest["files"] if f["kind"] == "guide-pdf"), None)
    page = (built.site / "downloads/index.html").read_text(encoding="utf-8")
    if pdf is None:
        assert not downloads.CHROMIUM.exists(), "Chromium is installed but no PDF was built"
        assert manifest["pdf_note"] and ".pdf" not in page
        return
    from pypdf import PdfReader

    reader = PdfReader(str(built.downloads / pdf["name"]))
    assert len(reader.pages) >= 1
    text = _norm(" ".join(p.extract_text() or "" for p in reader.pages))
    sections, pages = _nav_titles()
    missing = [t for t in sections + pages if _norm(t) not in text]
    assert not missing, f"not in the PDF: {missing}"
    assert _norm(f"Built {manifest['built']}") in text and _norm("Page 1 of") in text
    assert f'href="{pdf["name"]}"' in page
    # Bookmarks for every chapter and page, tagged for screen readers, no staff chapter.
    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield _norm(item.title)
    bookmarks = set(titles(reader.outline))
    assert not [t for t in sections + pages if _norm(t) not in bookmarks], "missing PDF bookmarks"
    assert "/StructTreeRoot" in reader.trailer["/Root"], "the PDF is not tagged"
    left_out_sections, left_out_pages = _nav_titles(excluded=True)
    assert "Contribute" in left_out_sections
    assert not [t for t in left_out_sections if _norm(t) in bookmarks]
    assert "your-org" not in text


def test_every_template_page_links_its_own_docx_and_the_pdf_at_the_top(built):
    manifest = _manifest(built)
    pdf = next(f for f in manifest["files"] if f["kind"] == "guide-pdf")
    for entry in (f for f in manifest["files"] if f["kind"] == "template-docx"):
        page = (built.site / page_path(entry["source"], directory_urls=True)).read_text(encoding="utf-8")
        body = page[page.index("<h1"):]
        line = re.search(r'<p class="eguide-page-downloads">(.*?)</p>', body)
        assert line, f"{entry['source']}: no download line"
        assert body.index(line.group(0)) < body.index("<h2"), f"{entry['source']}: not at the top"
        hrefs = re.findall(r'href="([^"]+)"', line.group(1))
        assert any(h.endswith("downloads/" + entry["name"]) for h in hrefs), hrefs
        assert any(h.endswith("downloads/" + pdf["name"]) for h in hrefs), hrefs
        for href in hrefs:  # each link reaches a real file in the site
            target = (built.site / page_path(entry["source"], directory_urls=True)).parent / href
            assert target.resolve().exists() or (target / "index.html").exists(), href


def test_template_download_line_says_when_the_files_are_not_built():
    line = dl.template_download_markdown(None, page_src="structure/mou-template.md", title="MOU template")
    assert "not in this build" in line and "make build" in line and ".docx" not in line
    assert "[all downloads](../downloads.md)" in line
    built_line = dl.template_download_markdown(
        {"files": [{"kind": "template-docx", "source": "structure/mou-template.md",
                    "name": "mou-template.docx", "size": 19161},
                   {"kind": "guide-pdf", "name": "guide.pdf", "size": 2_000_000}]},
        page_src="structure/mou-template.md", title="MOU template")
    assert "[MOU template as a Word file (19 KB)](../downloads/mou-template.docx)" in built_line
    assert "(../downloads/guide.pdf)" in built_line
    page = dl.add_template_downloads("intro\n\n# Title\n\n## How", None, page_src="a.md", title="T")
    assert page.index("# Title") < page.index("**Download:**") < page.index("## How")


def test_pdf_is_left_out_and_the_build_says_so_without_chromium(tmp_path):
    messages: list[str] = []
    made, note = downloads.make_pdf(tmp_path / "whole-guide.html", tmp_path / "guide.pdf",
                                    "2026-01-01 00:00 UTC", chromium=tmp_path / "no-chromium",
                                    log=messages.append)
    assert made is None and not (tmp_path / "guide.pdf").exists()
    assert messages == [note] and "Chromium was not found" in note
    listing = dl.guide_markdown({"built": "x", "files": [], "pdf_note": note},
                                page_src="downloads.md", page_url="downloads/",
                                use_directory_urls=True)
    assert ".pdf" not in listing and "whole-guide/" in listing


# --- the Downloads page --------------------------------------------------------------

def _listed(page_html: str) -> dict[str, tuple[int, str]]:
    """{file name: (size in bytes, sha256)} from the page's checksum tables."""
    listed = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page_html, flags=re.S):
        found = re.search(r"<code>([\w.-]+)</code>.*?([\d,]+) bytes.*?<code>([0-9a-f]{64})</code>",
                          row, flags=re.S)
        if found:
            name, size, sha = found.groups()
            listed[name] = (int(size.replace(",", "")), sha)
    return listed


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_downloads_page_sizes_and_checksums_match_the_files(built):
    page = (built.site / "downloads/index.html").read_text(encoding="utf-8")
    listed = _listed(page)
    offered = sorted(p for p in (built.site / dl.URL_DIR).iterdir() if p.name != "index.html")
    assert {p.name for p in offered} == set(listed), "the page and the files differ"
    for path in offered:
        assert listed[path.name] == (path.stat().st_size, _sha(path)), path.name
        assert f'href="{path.name}"' in page, f"no link to {path.name}"
    bundle = built.site / dl.URL_DIR / build.ZIP_NAME
    assert bundle.read_bytes() == built.zip.read_bytes()
    assert _manifest(built)["built"] in page


def test_downloads_page_links_each_template_to_its_docx_and_its_page(built):
    page = (built.site / "downloads/index.html").read_text(encoding="utf-8")
    for src, title in TEMPLATES:
        assert f'href="{NAMES[src]}"' in page, src
        assert f'href="../{page_path(src, directory_urls=True)[: -len("index.html")]}"' in page, src


def test_downloads_page_without_a_build_says_run_make_build():
    assert "make build" in dl.checksums_markdown(None, offline=False)
    assert "make build" in dl.offline_bundle_markdown(None, offline=False, page_src="downloads.md")
    table = dl.templates_markdown(None, TEMPLATES, page_src="downloads.md")
    assert "make build" in table
    for src, _ in TEMPLATES:
        assert f"]({src})" in table  # the printable pages are there even before a build


# --- the offline bundle --------------------------------------------------------------

def test_offline_bundle_carries_the_downloads_but_not_itself(built):
    files = _manifest(built)["files"]
    with zipfile.ZipFile(built.zip) as zf:
        names = set(zf.namelist())
        for entry in files:
            member = f"{build.BUNDLE_NAME}/{dl.URL_DIR}/{entry['name']}"
            assert member in names, member
            assert hashlib.sha256(zf.read(member)).hexdigest() == entry["sha256"]
    assert not any(name.endswith(".zip") for name in names)


def test_offline_downloads_page_lists_the_rest_and_explains_the_missing_checksum(built):
    page = (built.offline / "downloads.html").read_text(encoding="utf-8")
    listed = _listed(page)
    files = _manifest(built)["files"]
    assert listed == {f["name"]: (f["size"], f["sha256"]) for f in files}
    assert _sha(built.zip) not in page
    assert "cannot contain its own checksum" in page
    for entry in files:
        assert f'href="downloads/{entry["name"]}"' in page
        assert (built.offline / dl.URL_DIR / entry["name"]).is_file()
