"""Downloads: editable Word files, the whole-guide PDF and page, the Spanish handouts'
PDFs, the manifest and the Downloads page.

Everything is checked against the files the build actually made: the templates are the
pages marked `kind: template`, the Word files are opened with python-docx, the PDFs with
pypdf, sizes and checksums are measured here again.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

import build
from conftest import ROOT
from hooks.chromium import CHROMIUM
from hooks.downloads import pdf as dl_pdf
from hooks.downloads import project as dl
from hooks.downloads import word
from macros import downloads as dl_pages
from macros import manifest as mf
from macros.pages import nav_files, read_front_matter
from sitemap import nav_sources, page_path

DOCS = ROOT / "docs"
CONFIG = dl.download_site()
TEMPLATES = dl_pages.template_pages(DOCS, CONFIG.nav)
BY_SRC = {page.src: page for page in TEMPLATES}
HANDOUTS = [page for page in TEMPLATES if page.is_handout]
DEPLOYED = "https://example.org/g/"
# Sections of a template page that explain the page rather than belong to the document.
READING_SECTIONS = {"How to use this template", "Related", "Relacionado"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _norm(text: str) -> str:
    """Letters and digits only, lower case, accents and ligatures unfolded: for
    comparing text that went through Markdown, Word or PDF."""
    text = unicodedata.normalize("NFKD", html.unescape(text)).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


def _markdown_text(line: str) -> str:
    """Inline Markdown to the words a reader sees."""
    line = re.sub(r"\[\^[^\]]+\]", "", line)  # footnote references
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images
    return line


def _body_lines(src: str) -> list[str]:
    """The page's lines outside front matter, fenced code, footnote definitions and the
    reading sections ("How to use this template", "Related") the Word file leaves out."""
    from mkdocs.utils.meta import get_data

    text, _ = get_data((DOCS / src).read_text(encoding="utf-8"))
    lines, fenced, skipping = [], False, False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and re.match(r"^#{1,2}\s", line):
            skipping = line.lstrip("#").strip() in READING_SECTIONS
        if not fenced and not skipping and not line.startswith("[^"):
            lines.append(line)
    return lines


def _manifest(built) -> mf.Manifest:
    found = mf.read_manifest(built.downloads)
    assert found is not None, "the build wrote no manifest"
    return found


def _docx_text(document) -> tuple[str, list[str]]:
    """All the text of a .docx (body, tables) and its heading paragraphs."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    return "\n".join(parts), headings


def _footnotes(document) -> list[str]:
    """The text of each real footnote (not Word's separators) of a .docx."""
    part = next((p for p in document.part.package.parts if p.partname.endswith("/footnotes.xml")), None)
    if part is None:
        return []
    root = etree.fromstring(part.blob)
    return ["".join(note.itertext()) for note in root.iter(f"{W}footnote")
            if int(note.get(f"{W}id")) > 0]


def _hyperlinks(document) -> list[str]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]


def _page_html(built, src: str) -> str:
    return (built.site / page_path(src, directory_urls=True)).read_text(encoding="utf-8")


# --- editable templates --------------------------------------------------------------

def test_the_guide_has_template_pages():
    assert len(TEMPLATES) >= 5, "no pages marked `kind: template` were found"
    assert len(HANDOUTS) >= 5 and all(p.src.startswith("es/") for p in HANDOUTS)


def test_template_pages_are_found_by_mkdocs_front_matter_reader(tmp_path):
    """A front matter block closed with `...` (which MkDocs accepts) still marks a
    template page (issue 15, bug 6: the old reader returned nothing for it)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "dots.md").write_text("---\ntitle: Dots\nkind: template\n...\n\n# Dots\n")
    (tmp_path / "a" / "plain.md").write_text("---\ntitle: Plain\nkind: topic\n---\n\n# Plain\n")
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "hoja.md").write_text("---\ntitle: Hoja\nkind: template\nlang: es\n---\n")
    found = dl_pages.template_pages(tmp_path, nav=["es/hoja.md"])
    assert [(p.src, p.title, p.is_handout, p.docx_name, p.pdf_name) for p in found] == [
        ("es/hoja.md", "Hoja", True, "hoja.docx", "hoja.pdf"),
        ("a/dots.md", "Dots", False, "dots.docx", "dots.pdf")]


def test_every_template_page_has_a_docx_in_both_sites(built):
    made = {f.source: f.name for f in _manifest(built).of_kind("template-docx")}
    assert made == {page.src: page.docx_name for page in TEMPLATES}
    for name in made.values():
        assert (built.site / dl_pages.URL_DIR / name).is_file(), name
        assert (built.offline / dl_pages.URL_DIR / name).is_file(), name


@pytest.mark.parametrize("page", TEMPLATES, ids=[p.src for p in TEMPLATES])
def test_docx_keeps_the_document_and_leaves_out_the_reading_aids(built, page):
    import docx

    document = docx.Document(str(built.downloads / page.docx_name))
    text, headings = _docx_text(document)
    found = _norm(text)
    lines = _body_lines(page.src)

    expected_headings = [_markdown_text(m.group(1)) for line in lines
                         if (m := re.match(r"^#{1,6}\s+(.+?)\s*#*$", line))]
    assert [_norm(h) for h in headings] == [_norm(h) for h in expected_headings]
    assert not READING_SECTIONS & {h.strip() for h in headings}
    assert "How to use this template" not in text and "Download:" not in text
    assert "Descargar:" not in text and "How to suggest a change" not in text

    items = [_markdown_text(m.group(1)) for line in lines
             if (m := re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+)$", line))
             and "{{" not in line]
    missing = [item for item in items if _norm(item) not in found]
    assert not missing, f"list items missing from {page.docx_name}: {missing[:5]}"

    if any(re.match(r"^\s*[-*+]\s+\[ \]", line) for line in lines):
        numbering = document.part.numbering_part.element.xml
        assert "☐" in numbering, "checkboxes did not become ☐"
    if any(re.match(r"^\s*\|.*\|\s*$", line) for line in lines):
        assert document.tables, "the page's tables are missing"
    assert "{{" not in text and "}}" not in text, "a macro call was left in the document"
    assert "¶" not in text and "↩" not in "".join(_footnotes(document))


def test_docx_footer_names_the_page_and_the_build_date(built):
    import docx

    built_at = _manifest(built).built
    for page in TEMPLATES:
        document = docx.Document(str(built.downloads / page.docx_name))
        text = " ".join(p.text for p in document.sections[0].footer.paragraphs)
        assert built_at in text, text
        # This build has no SITE_URL: the footer names the page instead of an address.
        assert page.title in text, text
        assert document.core_properties.title == page.title


# --- Word files for the deployed site (SITE_URL set) ---------------------------------

REPEATED_CITATIONS = "structure/mou-template.md"  # cites 22 U.S.C. § 7102 three times


@pytest.fixture(scope="module")
def deployed(built, tmp_path_factory):
    """Word files made from the built pages as the deployed build makes them: with
    SITE_URL=https://example.org/g/ set when the project is loaded."""
    before = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = DEPLOYED
    try:
        project = dl.download_site()
    finally:
        if before is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = before
    out = tmp_path_factory.mktemp("deployed")
    pages = [BY_SRC[REPEATED_CITATIONS], BY_SRC["information-sharing/release-of-information-template.md"],
             HANDOUTS[0]]
    word.make_all_docx(built.site, out, pages, project, "2030-01-02 03:04 UTC")
    return out, pages, project


def test_bug1_site_url_from_the_environment_reaches_the_downloads(monkeypatch):
    """Issue 15, bug 1: `config.get("site_url") or ""` always gave a string, so the
    SITE_URL fallback never ran and deployed Word files lost their links."""
    monkeypatch.setenv("SITE_URL", DEPLOYED)
    project = dl.download_site()
    assert project.site_url == DEPLOYED
    assert (project.absolute_link("structure/mou-template.md", "../mou/#what-an-mou-covers")
            == "https://example.org/g/structure/mou/#what-an-mou-covers")
    assert project.page_address("es/ayuda-ahora.md") == "https://example.org/g/es/ayuda-ahora/"
    monkeypatch.delenv("SITE_URL")
    unset = dl.download_site()
    assert unset.site_url == "" and unset.absolute_link("structure/mou-template.md", "../mou/") is None
    assert unset.absolute_link("x.md", "https://www.dol.gov/") == "https://www.dol.gov/"


def test_deployed_docx_links_work_and_point_at_the_deployed_site(built, deployed):
    import docx

    out, pages, project = deployed
    for page in pages:
        document = docx.Document(str(out / page.docx_name))
        links = _hyperlinks(document)
        assert links, f"{page.docx_name} has no working hyperlinks"
        assert all(re.match(r"^(https?|mailto|tel|sms):", link) for link in links), links
        # Every link the web page makes inside the guide, made absolute.
        article = lhtml.document_fromstring(_page_html(built, page.src)).xpath("//article")[0]
        internal = {a.get("href") for a in article.iter("a")
                    if a.get("href") and not re.match(r"^[a-z]+:", a.get("href"))
                    and not {"headerlink", "footnote-ref", "footnote-backref"} & set((a.get("class") or "").split())}
        expected = {project.absolute_link(page.src, href) for href in internal}
        guide_links = {link for link in links if link.startswith(DEPLOYED)}
        assert guide_links, f"{page.docx_name}: no link to the deployed guide"
        # Links in the left-out sections (Related, the download line) are gone; every
        # other one is there, absolute.
        assert guide_links <= expected, guide_links - expected
        footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
        assert DEPLOYED + page.url in footer and "2030-01-02 03:04 UTC" in footer, footer


def test_deployed_docx_has_one_footnote_per_distinct_citation(built, deployed):
    import docx

    out, _, _ = deployed
    page = BY_SRC[REPEATED_CITATIONS]
    article = lhtml.document_fromstring(_page_html(built, page.src))
    refs = article.xpath("//article//a[contains(@class, 'footnote-ref')]/@href")
    notes = {" ".join(li.text_content().replace("↩", "").split())
             for li in article.xpath("//article//div[contains(@class, 'footnote')]//li")}
    assert len(refs) > len(set(refs)), "the page no longer cites one source twice: pick another"
    footnotes = _footnotes(docx.Document(str(out / page.docx_name)))
    assert len(footnotes) == len(notes), (len(footnotes), len(notes))
    assert len({_norm(n) for n in footnotes}) == len(footnotes), "a citation is repeated"
    assert {_norm(n) for n in footnotes} == {_norm(n) for n in notes}


def test_deployed_docx_keeps_the_legal_note_of_the_how_to_use_section(built, deployed):
    import docx

    out, _, _ = deployed
    text, _ = _docx_text(docx.Document(str(out / BY_SRC[REPEATED_CITATIONS].docx_name)))
    assert "This template is not legal advice" in text
    assert "How to use this template" not in text and "Replace every blank" not in text


# --- Spanish handouts: Word and PDF ----------------------------------------------------

@pytest.mark.parametrize("page", HANDOUTS, ids=[p.src for p in HANDOUTS])
def test_spanish_handout_has_a_word_file_and_a_short_pdf_in_spanish(built, page):
    import docx
    from pypdf import PdfReader

    manifest = _manifest(built)
    assert manifest.for_page("template-docx", page.src).name == page.docx_name
    text, _ = _docx_text(docx.Document(str(built.downloads / page.docx_name)))
    assert "Traducción sin revisar" in text
    pdf = manifest.for_page("handout-pdf", page.src)
    if pdf is None:
        assert not CHROMIUM.exists(), "Chromium is installed but no handout PDF was built"
        return
    assert (built.site / dl_pages.URL_DIR / pdf.name).is_file()
    reader = PdfReader(str(built.downloads / pdf.name))
    # A card fits on one or two pages; a fill-in form (translated from a template page,
    # with its signature tables) may take three.
    english = read_front_matter(DOCS / page.src).get("translation_of", "")
    most = 3 if english.endswith("-template.md") else 2
    assert 1 <= len(reader.pages) <= most, f"{pdf.name} has {len(reader.pages)} pages"
    printed = " ".join(p.extract_text() or "" for p in reader.pages)
    assert _norm(page.title) in _norm(printed)
    assert "Página 1 de" in printed and "Creado el" in printed
    assert "Skip to content" not in printed and "Search" not in printed


# --- the whole guide -----------------------------------------------------------------

def _print_excluded(src: str) -> bool:
    """Left out of the whole guide by print-site's `exclude` (Downloads, Contribute)."""
    import fnmatch

    exclude = CONFIG.config.plugins["print-site"].config["exclude"]
    return any(fnmatch.fnmatch(src, pattern) for pattern in exclude)


def _nav_titles(*, excluded: bool = False) -> tuple[list[str], list[str]]:
    """Section titles and page titles in the nav that the whole guide prints (or, with
    excluded=True, those it leaves out)."""
    sections: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, dict):
                key, value = next(iter(item.items()))
                if isinstance(value, list):
                    srcs = [v for v in nav_files(value)]
                    if all(_print_excluded(s) for s in srcs) == excluded:
                        sections.append(key)
                    walk(value)

    walk(CONFIG.nav)
    pages = [str(read_front_matter(DOCS / src).get("title") or "") for src in nav_sources()
             if _print_excluded(src) == excluded]
    return sections, [p for p in pages if p]


def test_whole_guide_page_has_every_chapter_in_both_sites(built):
    sections, pages = _nav_titles()
    for site, directory_urls in ((built.site, True), (built.offline, False)):
        page = site / page_path(f"{dl_pages.PRINT_PAGE}.md", directory_urls=directory_urls)
        text = _norm(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        missing = [t for t in sections + pages if _norm(t) not in text]
        assert not missing, f"{page.name} lacks {missing}"


def _pdf_text(path) -> str:
    """Every page's text, read by PDFium (the whole guide in seconds; pypdf needs minutes)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_pdf_has_pages_and_every_chapter_title_or_is_omitted_with_a_reason(built):
    manifest = _manifest(built)
    pdf = manifest.guide_pdf
    page = (built.site / "downloads/index.html").read_text(encoding="utf-8")
    if pdf is None:
        assert not CHROMIUM.exists(), "Chromium is installed but no PDF was built"
        assert manifest.pdf_note and ".pdf" not in page
        return
    from pypdf import PdfReader

    reader = PdfReader(str(built.downloads / pdf.name))
    assert len(reader.pages) >= 1
    text = _norm(_pdf_text(built.downloads / pdf.name))
    sections, pages = _nav_titles()
    missing = [t for t in sections + pages if _norm(t) not in text]
    assert not missing, f"not in the PDF: {missing}"
    assert _norm(f"Built {manifest.built}") in text and _norm("Page 1 of") in text
    assert f'href="{pdf.name}"' in page
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


def test_pdf_bookmarks_nest_each_page_under_its_chapter(built):
    """The whole-guide PDF's outline follows the nav: a bookmark per printed chapter at
    the top, its pages under it (a sub-section's pages one level further down), each
    titled as the page is, with the spaces Chromium drops at line wraps put back."""
    pdf = _manifest(built).guide_pdf
    if pdf is None:
        pytest.skip("no PDF in this build (the test above checks why)")
    from pypdf import PdfReader

    from macros.pages import walk_nav

    outline = PdfReader(str(built.downloads / pdf.name)).outline

    def tree(items):  # [(title, [children])] from pypdf's flat-with-lists outline
        nodes = []
        for item in items:
            if isinstance(item, list):
                nodes[-1][1].extend(tree(item))
            else:
                nodes.append((item.title, []))
        return nodes

    top = tree(outline)
    checked = 0
    for titles, src in walk_nav(CONFIG.nav):
        if not titles or _print_excluded(src):
            continue
        title = str(read_front_matter(DOCS / src).get("title") or "")
        level = top
        for section in titles:  # walk down: chapter, then sub-section
            match = [children for name, children in level if name == section]
            assert match, f"no bookmark {section!r} above {title!r}"
            level = match[0]
        assert title in [name for name, _ in level], f"{title!r} is not under {titles}"
        checked += 1
    assert checked > 50
    top_titles = [name for name, _ in top]
    assert top_titles.count("Identifying victims") == 1 and "Glossary" not in top_titles
    # A page after a sub-section is back in its chapter, not in the sub-section.
    chapter = dict(top)["Identifying victims"]
    assert "Screening tools" in [name for name, _ in chapter]
    assert "Screening tools" not in [name for name, _ in dict(chapter)["Indicators by setting"]]
    assert "Health care settings: trafficking indicators and response" in str(top)


def test_bookmark_nesting_passes_over_chapters_left_out_of_the_print():
    from hooks.downloads.outline import Mark, chapter_openings, nest
    from pypdf.generic import Fit

    nav = [{"Home": "index.md"},
           {"Staff": [{"Staff": "staff/index.md"}, {"Style": "staff/style.md"}]},
           {"Identifying": ["identifying/index.md", "identifying/general.md",
                            {"By setting": ["identifying/settings/index.md",
                                            "identifying/settings/hotels.md"]}]},
           {"Resources": ["resources/glossary.md"]}]
    openings = chapter_openings(nav)
    assert openings == [(0, "Staff"), (0, "Identifying"), (1, "By setting"), (0, "Resources")]
    printed = ["Home", "Identifying", "Identifying", "General", "By setting", "By setting",
               "Hotels", "Resources", "Glossary"]
    marks = nest([Mark(t, i, Fit.fit()) for i, t in enumerate(printed)], openings)

    def shape(marks):
        return [(m.title, shape(m.children)) if m.children else m.title for m in marks]

    assert shape(marks) == ["Home", ("Identifying", ["Identifying", "General", (
        "By setting", ["By setting", "Hotels"])]), ("Resources", ["Glossary"])]

    # A page after a sub-section (Screening) closes it: its depth, as print-site numbers
    # the printed pages, puts it back in its chapter.
    nav[2]["Identifying"].append("identifying/screening.md")
    openings = chapter_openings(nav)
    printed[7:7] = ["Screening"]
    pages = [("Home", 0), ("Identifying", 1), ("General", 1), ("By setting", 2), ("Hotels", 2),
             ("Screening", 1), ("Glossary", 1)]
    marks = nest([Mark(t, i, Fit.fit()) for i, t in enumerate(printed)], openings, pages)
    assert shape(marks) == ["Home", ("Identifying", ["Identifying", "General", (
        "By setting", ["By setting", "Hotels"]), "Screening"]), ("Resources", ["Glossary"])]


def test_printed_pages_are_read_with_their_depth_from_the_print_page(tmp_path):
    from hooks.downloads.outline import printed_pages

    page = tmp_path / "index.html"
    page.write_text(
        "<section class='print-page md-section' id='section-4' data-heading-number='4'>"
        "<h1>Identifying</h1></section>"
        '<section class="print-page" id="a" data-heading-number="4.1"><h1>Identifying'
        '<a class="headerlink" href="#a">&para;</a></h1><h2>In brief</h2></section>'
        '<section class="print-page" id="b" data-heading-number="4.7.2"><h1>Health <abbr>care'
        "</abbr></h1></section>"
        '<section class="print-page" id="index" data-heading-number="1"><h1>Home</h1></section>',
        encoding="utf-8")
    assert printed_pages(page) == [("Identifying", 1), ("Health care", 2), ("Home", 0)]


def _contents_numbers(reader) -> dict[str, list[int]]:
    """Each numbered line of the PDF's contents list (the pages after the cover, before
    the first page it points to): title -> the page numbers printed next to it."""
    numbered: dict[str, list[int]] = {}
    for page in reader.pages[1:12]:
        lines = [re.fullmatch(r"\s*(\S.*?\S)\s{3,}(\d{1,4})\s*", line)
                 for line in page.extract_text(extraction_mode="layout").splitlines()]
        for line in filter(None, lines):
            numbered.setdefault(_norm(line.group(1)), []).append(int(line.group(2)))
        if numbered and not any(lines):
            break
    return numbered


def test_pdf_contents_list_gives_each_entry_the_page_it_lands_on(built):
    """The contents list of the whole-guide PDF has page numbers (as the viewer counts
    them, the cover being page 1), and each is the page its entry's link goes to, where
    the entry's heading is printed."""
    pdf = _manifest(built).guide_pdf
    if pdf is None:
        pytest.skip("no PDF in this build (the test above checks why)")
    from pypdf import PdfReader

    reader = PdfReader(str(built.downloads / pdf.name))
    numbered = _contents_numbers(reader)
    assert numbered, "the contents list has no page numbers"
    page = built.site / page_path(f"{dl_pages.PRINT_PAGE}.md", directory_urls=True)
    toc = [(link.get("href").lstrip("#"), " ".join(link.text_content().split()))
           for link in lhtml.parse(str(page)).xpath(
               '//div[contains(@class, "md-sidebar--secondary")]//a[contains(@class, "md-nav__link")]')]
    assert len(toc) > 100 and sum(len(n) for n in numbered.values()) == len(toc), \
        "not every contents entry has a number"
    index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    dests = reader.trailer["/Root"]["/Dests"]
    order = [numbered[_norm(title)][0] for _, title in toc if len(numbered[_norm(title)]) == 1]
    assert order == sorted(order), "the numbers do not follow the reading order"
    # The first chapter, a page two levels down, the last page.
    chosen = ["About this guide", "Online and financial settings: trafficking indicators and response",
              toc[-1][1]]
    for title in chosen:
        anchor = next(a for a, t in toc if t == title)
        lands = index[dests["/" + anchor][0].idnum]
        assert numbered[_norm(title)] == [lands + 1], f"{title!r}: wrong page number"
        assert _norm(title) in _norm(reader.pages[lands].extract_text()), \
            f"{title!r} is not on page {lands + 1}"
        # The entry is still tagged as a link (the numbers are artifacts, outside the tags).
        link = next(a.get_object() for p in reader.pages[1:12] for a in p.get("/Annots") or []
                    if a.get_object().get("/Dest") == "/" + anchor)
        assert _struct_parent(reader, link["/StructParent"])["/S"] == "/Link"


def test_contents_numbering_says_why_when_the_pdf_has_no_contents_list(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from hooks.downloads.contents import ContentsError, find_entries

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(612, 792)
    pdf = tmp_path / "plain.pdf"
    writer.write(pdf)
    with pytest.raises(ContentsError, match="no contents list"):
        find_entries(PdfReader(pdf))


def test_the_finishing_update_keeps_the_printed_file_and_reads_strictly(tmp_path, caplog):
    """finish_whole_guide changes the printed PDF by an incremental update written by
    hooks/downloads/update.py: the printed bytes stay first and unchanged, and the result
    reads strictly (no repair warning) with the new nested, closed bookmarks."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    from hooks.downloads.outline import Mark, replace_outline
    from hooks.downloads.update import PdfUpdate

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(612, 792)
    writer.add_outline_item(title="Flat, as printed", page_number=0)
    pdf = tmp_path / "printed.pdf"
    writer.write(pdf)
    printed = pdf.read_bytes()

    update = PdfUpdate(pdf)
    replace_outline(update, [
        Mark("Chapter", 0, Fit.fit(), [Mark("Página", 1, Fit.xyz(0, 700, None))]),
        Mark("Last", 2, Fit.fit())])
    update.write()

    assert pdf.read_bytes().startswith(printed)
    with caplog.at_level("WARNING", logger="pypdf"):
        reader = PdfReader(pdf, strict=True)
        outline = reader.outline
        places = [reader.get_destination_page_number(outline[0]),
                  reader.get_destination_page_number(outline[1][0]),
                  reader.get_destination_page_number(outline[2])]
    assert caplog.records == []
    assert [outline[0].title, outline[1][0].title, outline[2].title] == ["Chapter", "Página", "Last"]
    assert places == [0, 1, 2]
    root = reader.trailer["/Root"]["/Outlines"]
    assert root["/Count"] == 2 and root["/First"]["/Count"] == -1  # chapters closed


def test_the_finishing_update_says_why_it_cannot_update_a_cut_file(tmp_path):
    from pypdf import PdfWriter

    from hooks.downloads.update import PdfUpdate
    from macros.manifest import DownloadError

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    pdf = tmp_path / "cut.pdf"
    writer.write(pdf)
    pdf.write_bytes(pdf.read_bytes()[:-40])
    with pytest.raises(DownloadError, match="cut.pdf: no startxref"):
        PdfUpdate(pdf)


def _struct_parent(reader, key: int):
    """The structure element of a marked item (ParentTree number `key`)."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()
    while "/Nums" not in tree:
        tree = next(kid.get_object() for kid in tree["/Kids"]
                    if kid.get_object()["/Limits"][0] <= key <= kid.get_object()["/Limits"][1])
    nums = tree["/Nums"]
    return next(nums[i + 1].get_object() for i in range(0, len(nums), 2) if nums[i] == key)


def test_every_template_page_links_its_own_files_at_the_top_in_its_language(built):
    manifest = _manifest(built)
    for entry in manifest.of_kind("template-docx"):
        page = BY_SRC[entry.source]
        html_text = _page_html(built, entry.source)
        body = html_text[html_text.index("<h1"):]
        line = re.search(r'<p class="eguide-page-downloads">(.*?)</p>', body)
        assert line, f"{entry.source}: no download line"
        assert body.index(line.group(0)) < body.index("<h2"), f"{entry.source}: not at the top"
        hrefs = re.findall(r'href="([^"]+)"', line.group(1))
        wanted = [entry.name, manifest.guide_pdf.name]
        if page.is_handout:
            wanted.append(manifest.for_page("handout-pdf", entry.source).name)
            assert line.group(1).startswith("<strong>Descargar:</strong>"), line.group(1)
            assert "Download" not in line.group(1) and "Word" in line.group(1)
        else:
            assert line.group(1).startswith("<strong>Download:</strong>"), line.group(1)
        for name in wanted:
            assert any(h.endswith("downloads/" + name) for h in hrefs), (name, hrefs)
        for href in hrefs:  # each link reaches a real file in the site
            target = (built.site / page_path(entry.source, directory_urls=True)).parent / href
            assert target.resolve().exists() or (target / "index.html").exists(), href


def test_template_download_line_says_when_the_files_are_not_built():
    line = dl_pages.template_download_markdown(None, page_src="structure/mou-template.md",
                                               title="MOU template")
    assert "not in this build" in line and "make build" in line and ".docx" not in line
    assert "[all downloads](../downloads.md)" in line
    digest = "0" * 64
    manifest = mf.Manifest(built="x", files=[
        mf.DownloadFile(kind="template-docx", source="structure/mou-template.md",
                        name="mou-template.docx", size=19161, sha256=digest, title="MOU template"),
        mf.DownloadFile(kind="guide-pdf", name="guide.pdf", size=2_000_000, sha256=digest,
                        title="The whole guide (PDF)"),
        mf.DownloadFile(kind="template-docx", source="es/ayuda-ahora.md", name="ayuda-ahora.docx",
                        size=9000, sha256=digest, title="Ayuda ahora"),
        mf.DownloadFile(kind="handout-pdf", source="es/ayuda-ahora.md", name="ayuda-ahora.pdf",
                        size=90_000, sha256=digest, title="Ayuda ahora")])
    built_line = dl_pages.template_download_markdown(manifest, page_src="structure/mou-template.md",
                                                     title="MOU template")
    assert "[MOU template as a Word file (19 KB)](../downloads/mou-template.docx)" in built_line
    assert "(../downloads/guide.pdf)" in built_line and "ayuda" not in built_line
    spanish = dl_pages.template_download_markdown(manifest, page_src="es/ayuda-ahora.md",
                                                  title="Ayuda ahora", lang="es")
    assert spanish.startswith("**Descargar:**")
    assert "[esta hoja en Word (9 KB)](../downloads/ayuda-ahora.docx)" in spanish
    assert "[esta hoja en PDF (90 KB)](../downloads/ayuda-ahora.pdf)" in spanish
    page = dl_pages.add_template_downloads("intro\n\n# Title\n\n## How", None, page_src="a.md", title="T")
    assert page.index("# Title") < page.index("**Download:**") < page.index("## How")


def test_pdf_is_left_out_and_the_build_says_so_without_chromium(tmp_path):
    messages: list[str] = []
    job = dl_pdf.PrintJob(page=tmp_path / "whole-guide.html", out=tmp_path / "guide.pdf",
                          header="x", built="2026-01-01 00:00 UTC")
    made, note = dl_pdf.print_pdfs([job], chromium=tmp_path / "no-chromium", log=messages.append)
    assert made == [] and not (tmp_path / "guide.pdf").exists()
    assert messages == [note] and "Chromium was not found" in note
    listing = dl_pages.guide_markdown(mf.Manifest(built="x", files=[], pdf_note=note),
                                      page_src="downloads.md", page_url="downloads/",
                                      use_directory_urls=True)
    assert ".pdf" not in listing and "whole-guide/" in listing


# --- the manifest ----------------------------------------------------------------------

def test_manifest_round_trips_through_the_model(built, tmp_path):
    manifest = _manifest(built)
    raw = json.loads((built.downloads / mf.MANIFEST).read_text(encoding="utf-8"))
    mf.write_manifest(tmp_path, manifest)
    assert mf.read_manifest(tmp_path) == manifest
    assert json.loads((tmp_path / mf.MANIFEST).read_text(encoding="utf-8")) == raw
    for entry in manifest.files:  # what it says is what the files are
        path = built.downloads / entry.name
        assert (entry.size, entry.sha256) == (path.stat().st_size, _sha(path)), entry.name
    assert mf.read_manifest(tmp_path / "nothing-here") is None


def test_a_bad_manifest_names_the_file_the_entry_and_the_field(built, tmp_path):
    raw = json.loads((built.downloads / mf.MANIFEST).read_text(encoding="utf-8"))
    raw["files"][1]["sha256"] = "not a checksum"
    raw["files"][2].pop("source")
    (tmp_path / mf.MANIFEST).write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(mf.DownloadError) as caught:
        mf.read_manifest(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / mf.MANIFEST) in message
    assert f"files[1] ({raw['files'][1]['name']}), field sha256" in message
    assert f"files[2] ({raw['files'][2]['name']})" in message and "needs `source`" in message
    (tmp_path / mf.MANIFEST).write_text("{", encoding="utf-8")
    with pytest.raises(mf.DownloadError, match="not valid JSON"):
        mf.read_manifest(tmp_path)


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
    offered = sorted(p for p in (built.site / dl_pages.URL_DIR).iterdir() if p.name != "index.html")
    assert {p.name for p in offered} == set(listed), "the page and the files differ"
    for path in offered:
        assert listed[path.name] == (path.stat().st_size, _sha(path)), path.name
        assert f'href="{path.name}"' in page, f"no link to {path.name}"
    bundle = built.site / dl_pages.URL_DIR / build.ZIP_NAME
    assert bundle.read_bytes() == built.zip.read_bytes()
    assert _manifest(built).built in page


def test_downloads_page_links_each_template_to_its_docx_and_its_page(built):
    page = (built.site / "downloads/index.html").read_text(encoding="utf-8")
    for template in TEMPLATES:
        assert f'href="{template.docx_name}"' in page, template.src
        assert f'href="../{template.url}"' in page, template.src
        if template.is_handout and CHROMIUM.exists():
            assert f'href="{template.pdf_name}"' in page, template.src


def test_downloads_page_without_a_build_says_run_make_build():
    assert "make build" in dl_pages.checksums_markdown(None, offline=False)
    assert "make build" in dl_pages.offline_bundle_markdown(None, offline=False, page_src="downloads.md")
    table = dl_pages.templates_markdown(None, TEMPLATES, page_src="downloads.md")
    assert "make build" in table
    for template in TEMPLATES:
        assert f"]({template.src})" in table  # the printable pages are there even before a build


# --- the offline bundle --------------------------------------------------------------

def test_offline_bundle_carries_the_downloads_but_not_itself(built):
    files = _manifest(built).files
    with zipfile.ZipFile(built.zip) as zf:
        names = set(zf.namelist())
        for entry in files:
            member = f"{build.BUNDLE_NAME}/{dl_pages.URL_DIR}/{entry.name}"
            assert member in names, member
            assert hashlib.sha256(zf.read(member)).hexdigest() == entry.sha256
    assert not any(name.endswith(".zip") for name in names)


def test_offline_downloads_page_lists_the_rest_and_explains_the_missing_checksum(built):
    page = (built.offline / "downloads.html").read_text(encoding="utf-8")
    listed = _listed(page)
    files = _manifest(built).files
    assert listed == {f.name: (f.size, f.sha256) for f in files}
    assert _sha(built.zip) not in page
    assert "cannot contain its own checksum" in page
    for entry in files:
        assert f'href="downloads/{entry.name}"' in page
        assert (built.offline / dl_pages.URL_DIR / entry.name).is_file()
