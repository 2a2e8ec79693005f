"""Word files from the pages MkDocs already rendered.

For each template page the article HTML of the built page is taken as it is (every
macro, contact card, call-out and footnote already rendered exactly as on the web),
the guide's reading aids are removed, links are made absolute to the deployed site,
each distinct footnote becomes one Word footnote, and pandoc converts the result to
.docx with a reference document for styles and page size. python-docx then writes the
footer (the page's web address and the build date) and the document properties.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

from lxml import etree
from lxml import html as lhtml

from macros.downloads import TemplatePage
from macros.manifest import DownloadError

from .project import DownloadSite

# Parts of a built page that help a reader on the web and mean nothing in a Word file.
READING_AIDS = (
    ".eguide-print-header",     # print-only page header (the footer says the same)
    ".eguide-page-downloads",   # the download line itself
    ".eguide-page-meta",        # "Last reviewed … How to suggest a change"
    ".md-source-file",          # "Last updated" from git
    ".md-content__button",      # edit / view source controls
    ".eguide-help",             # the help banner (outside the article today)
    ".eguide-jump",             # jump lists ("On this page", A–Z)
    "a.headerlink",             # the ¶ anchors
    "a.footnote-backref",       # ↩ links back from a footnote
    "script", "style", "svg",
)
# Sections (a heading and everything up to the next heading of the same level) that
# explain the page rather than belong to the document; a legal note in them is kept.
READING_SECTIONS = {"how-to-use-this-template", "related", "relacionado",
                    "como-usar-esta-hoja", "como-usar-estas-hojas"}

FOOTER_TEXT = {
    "en": ("From the {site}. Current version: {where}. Built {built}. Page ",
           "the page “{title}” of the online guide"),
    "es": ("De la guía {site}. Versión actual: {where}. Creado el {built}. Página ",
           "la página «{title}» de la guía en línea"),
}


def _select(root, selector: str) -> list:
    """Elements matching a simple selector: `tag`, `.class`, `tag.class` or
    `tag[attr=value]` (all the page needs; lxml's CSS support needs another package)."""
    tag, _, rest = selector.partition(".") if "[" not in selector else (selector, "", "")
    condition = ""
    if "[" in tag:
        tag, _, attr = tag.partition("[")
        name, _, value = attr.rstrip("]").partition("=")
        condition = f"[@{name}='{value}']" if value else f"[@{name}]"
    if rest:
        condition += f"[contains(concat(' ', normalize-space(@class), ' '), ' {rest} ')]"
    return root.xpath(f".//{tag or '*'}{condition}")


def _drop(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:  # keep the text that follows the element
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_sections(article) -> None:
    for heading in list(article.iter("h2", "h3")):
        if heading.get("id") not in READING_SECTIONS or heading.getparent() is None:
            continue
        level = heading.tag
        stop = {"h1", "h2"} if level == "h2" else {"h1", "h2", "h3"}
        sibling = heading.getnext()
        while sibling is not None and sibling.tag not in stop and "footnote" not in (sibling.get("class") or ""):
            following = sibling.getnext()
            # A legal note ("not legal advice, state law varies") stays with the document.
            if not {"admonition", "legal"} <= set((sibling.get("class") or "").split()):
                _drop(sibling)
            sibling = following
        _drop(heading)


def _flatten_blocks(article) -> None:
    """Call-outs become block quotes with a bold title; <details> open up with their
    summary in bold; task-list boxes become ☐ and ☒."""
    for box in _select(article, "div.admonition"):
        box.tag = "blockquote"
        for title in _select(box, "p.admonition-title"):
            strong = lhtml.Element("strong")
            strong.text, strong[:] = title.text, list(title)
            title.text = None
            title.append(strong)
    for details in list(article.iter("details")):
        details.tag = "div"
        for summary in details.findall("summary"):
            summary.tag = "p"
            strong = lhtml.Element("strong")
            strong.text, strong[:] = summary.text, list(summary)
            summary.text = None
            summary.append(strong)
    for box in _select(article, "input[type=checkbox]"):
        mark = "☒ " if box.get("checked") is not None else "☐ "
        parent = box.getparent()
        previous = box.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + mark + (box.tail or "").lstrip()
        else:
            parent.text = (parent.text or "") + mark + (box.tail or "").lstrip()
        parent.remove(box)
    for dl in list(article.iter("dl")):  # contact details: "Call: 911" lines
        rows = []
        for dt in dl.iter("dt"):
            dd = dt.getnext()
            while dd is not None and dd.tag != "dd":
                dd = dd.getnext()
            p = lhtml.Element("p")
            strong = etree.SubElement(p, "strong")
            strong.text = dt.text_content().strip()
            strong.tail = ": "
            if dd is not None:
                copied = copy.deepcopy(dd)
                if copied.text:
                    strong.tail += copied.text
                p.extend(list(copied))
            rows.append(p)
        parent = dl.getparent()
        index = parent.index(dl)
        for offset, row in enumerate(rows):
            parent.insert(index + offset, row)
        _drop(dl)


def _fix_links(article, project: DownloadSite, page: TemplatePage) -> None:
    for link in list(article.iter("a")):
        href = link.get("href")
        if href is None or "footnote-ref" in (link.get("class") or ""):
            continue
        absolute = project.absolute_link(page.src, href)
        if absolute is None:
            link.drop_tag()  # no address to point at: keep the words
        else:
            for name in list(link.attrib):
                del link.attrib[name]
            link.set("href", absolute)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _mark_footnotes(article) -> None:
    """Replace Python-Markdown's footnote markup by markers the AST pass turns into
    Word footnotes: each reference becomes <span class="eguide-fn" data-fn="N">, the
    list becomes <div class="eguide-footnote" id="eguide-fn-N"> blocks. Footnotes whose
    text is the same are one note: N is the first such footnote."""
    container = next(iter(_select(article, "div.footnote")), None)
    if container is None:
        return
    canonical: dict[str, str] = {}  # footnote id → the id whose text it repeats
    by_text: dict[str, str] = {}
    notes = lhtml.Element("div")
    notes.set("class", "eguide-footnotes")
    for item in _select(container, "li[id]"):
        ident = item.get("id")
        key = _norm(item.text_content())
        canonical[ident] = by_text.setdefault(key, ident)
        if canonical[ident] == ident:
            note = lhtml.Element("div")
            note.set("class", "eguide-footnote")
            note.set("id", f"eguide-{ident.replace(':', '-')}")
            note.extend(list(item))
            notes.append(note)
    _drop(container)
    article.append(notes)
    for ref in _select(article, "a.footnote-ref"):
        target = (ref.get("href") or "").lstrip("#")
        sup = ref.getparent() if ref.getparent().tag == "sup" else ref
        marker = lhtml.Element("span")
        marker.set("class", "eguide-fn")
        marker.set("data-fn", f"eguide-{canonical.get(target, target).replace(':', '-')}")
        marker.text = ref.text_content()
        marker.tail = sup.tail
        sup.getparent().replace(sup, marker)


def article_html(page_html: str, project: DownloadSite, page: TemplatePage) -> str:
    """The page's article as HTML for pandoc, without the reading aids."""
    document = lhtml.document_fromstring(page_html)
    article = next(iter(_select(document, "article.md-content__inner")), None)
    if article is None:
        raise DownloadError(f"docs/{page.src}: the built page has no <article>: was it built with the theme?")
    for selector in READING_AIDS:
        for element in _select(article, selector):
            _drop(element)
    _drop_sections(article)
    _flatten_blocks(article)
    _fix_links(article, project, page)
    _mark_footnotes(article)
    body = "".join(lhtml.tostring(child, encoding="unicode") for child in article)
    # No <title>: pandoc would print it above the page's own heading (the document's
    # title property is set by finish_docx).
    return (f'<!DOCTYPE html><html lang="{page.lang}"><head><meta charset="utf-8"></head>'
            f'<body>{body}</body></html>')


# --- pandoc ---------------------------------------------------------------------------

def _pandoc(args: list[str], data: bytes) -> bytes:
    import pypandoc

    result = subprocess.run([pypandoc.get_pandoc_path(), *args], input=data, capture_output=True)
    if result.returncode != 0:
        raise DownloadError(f"pandoc {' '.join(args[:2])} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


def _notes_from_ast(ast: dict) -> dict:
    """Turn the markers of _mark_footnotes into pandoc Note elements: the first
    reference to a footnote holds the note, a repeat shows its number in superscript."""
    notes: dict[str, list] = {}
    blocks = []
    for block in ast["blocks"]:
        if block["t"] == "Div" and "eguide-footnotes" in block["c"][0][1]:
            for note in block["c"][1]:
                if note["t"] == "Div":
                    notes[note["c"][0][0]] = note["c"][1]
        else:
            blocks.append(block)
    numbers: dict[str, int] = {}

    def walk(node):
        if isinstance(node, list):
            out = []
            for item in node:
                out.append(walk(item))
            return out
        if isinstance(node, dict):
            if node.get("t") == "Span" and "eguide-fn" in node["c"][0][1]:
                key = dict(node["c"][0][2]).get("fn")
                if key not in notes:
                    raise DownloadError(f"footnote {key!r} is referenced but not in the page's list")
                if key in numbers:
                    return {"t": "Superscript", "c": [{"t": "Str", "c": str(numbers[key])}]}
                numbers[key] = len(numbers) + 1
                return {"t": "Note", "c": walk(notes[key])}
            return {k: walk(v) for k, v in node.items()}
        return node

    ast["blocks"] = walk(blocks)
    return ast


def reference_docx(target: Path) -> Path:
    """pandoc's own reference.docx with US Letter pages and 1-inch margins, made the
    same way on every build (no binary file kept in the repository)."""
    import docx
    from docx.shared import Inches

    target.write_bytes(_pandoc(["--print-default-data-file", "reference.docx"], b""))
    document = docx.Document(str(target))
    for section in document.sections:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Inches(1))
        section.header_distance = section.footer_distance = Inches(0.5)
    document.save(str(target))
    return target


def _add_page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def finish_docx(path: Path, project: DownloadSite, page: TemplatePage, built: str) -> None:
    """Footer (web address, build date, page number) and document properties."""
    import docx
    from docx.shared import Pt

    document = docx.Document(str(path))
    words, fallback = FOOTER_TEXT.get(page.lang, FOOTER_TEXT["en"])
    where = project.page_address(page.src) or fallback.format(title=page.title)
    text = words.format(site=project.site_name, where=where, built=built)
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.text = ""
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        _add_page_number(paragraph)
    properties = document.core_properties
    properties.title = page.title
    properties.author = project.site_author
    properties.language = page.lang
    properties.comments = f"{project.site_name}. {where}. {built}"
    document.save(str(path))


def make_docx(site_dir: Path, page: TemplatePage, out: Path, project: DownloadSite, built: str,
              reference: Path) -> Path:
    """The .docx of one template page, from its built HTML in site_dir."""
    from macros.render import site_file_url

    built_page = site_dir / site_file_url(page.src) / "index.html"
    if not built_page.is_file():
        raise DownloadError(f"docs/{page.src}: the built page {built_page} is missing")
    source = article_html(built_page.read_text(encoding="utf-8"), project, page)
    ast = json.loads(_pandoc(["--from", "html", "--to", "json"], source.encode("utf-8")))
    ast = _notes_from_ast(ast)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".partial.docx")
    _pandoc(["--from", "json", "--to", "docx", "--reference-doc", str(reference),
             "--metadata", f"lang={page.lang}", "--output", str(tmp)],
            json.dumps(ast).encode("utf-8"))
    finish_docx(tmp, project, page, built)
    tmp.replace(out)
    return out


def make_all_docx(site_dir: Path, out_dir: Path, pages: list[TemplatePage], project: DownloadSite,
                  built: str, workers: int = 2) -> list[Path]:
    from concurrent.futures import ThreadPoolExecutor
    import tempfile

    with tempfile.TemporaryDirectory(prefix="eguide-docx-") as tmp:
        reference = reference_docx(Path(tmp) / "reference.docx")
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda p: make_docx(site_dir, p, out_dir / p.docx_name, project,
                                                     built, reference), pages))
