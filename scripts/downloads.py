"""Make the guide's downloads from the same Markdown the site uses (scripts/build.py).

- Editable templates: every page whose front matter says `kind: template` becomes a
  .docx (pandoc from pypandoc-binary). Front matter is stripped; macro calls are
  rendered as plain text from data/ through the macros' own functions; call-outs become
  block quotes; `- [ ]` becomes ☐; links to other pages point at the published guide
  (or become plain text when site_url is not set). A footer says where the current
  version lives and when the file was built.
- The whole guide as a PDF: the print-site page printed by Debian's Chromium
  (Playwright, no browser download), with page numbers and the build date. Without
  Chromium the build goes on without the PDF and says so.
- manifest.json: what was made, with sizes and SHA-256 measured from the files, for
  the Downloads page (macros/downloads.py) and the hook that adds the files to the site.
"""

from __future__ import annotations

import html
import json
import re
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import downloads as dl  # noqa: E402
from macros import render  # noqa: E402
from macros.loader import GuideData, load_data, read_mkdocs_config  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a closed network, shared by the build and the tests: without them Chromium
# phones home at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
PANDOC_FORMAT = ("markdown-tex_math_dollars-raw_tex-subscript-superscript-citations"
                 "-yaml_metadata_block-implicit_figures")


class DownloadError(RuntimeError):
    """A download could not be made; the message names the page or file."""


@dataclass(frozen=True)
class Project:
    config: dict
    docs_dir: Path
    data: GuideData
    site_url: str
    site_name: str


def load_project(config_file: Path = ROOT / "mkdocs.yml") -> Project:
    config = read_mkdocs_config(config_file)
    root = config_file.resolve().parent
    docs_dir = root / (config.get("docs_dir") or "docs")
    data = load_data(root / "data", docs_dir,
                     stale_after_days=(config.get("extra") or {}).get("stale_after_days", 365))
    site_url = config.get("site_url") or ""
    if not isinstance(site_url, str):  # !ENV [SITE_URL, ""] read without MkDocs
        import os
        site_url = os.environ.get("SITE_URL", "")
    return Project(config=config, docs_dir=docs_dir, data=data, site_url=site_url,
                   site_name=config.get("site_name") or "Task Force e-Guide")


# --- Markdown for pandoc -----------------------------------------------------------

def strip_front_matter(text: str) -> str:
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end == -1:
        return text
    after = text.find("\n", end + 4)
    return "" if after == -1 else text[after + 1:]


def contact_text(contact, translation=None) -> str:
    """One contact as plain Markdown (the site shows it as a card); with a translation
    (data/i18n/<lang>.yml) its labels, date and the contact's own text are translated."""
    if translation is None:
        labels = render.ENGLISH_LABELS
        name, description, hours, languages = (contact.name, contact.description,
                                               contact.hours, [])
        verified = render.format_date(contact.last_verified)
    else:
        labels = translation.contact_labels.model_dump()
        try:
            name, description, hours, languages = render._spanish_fields(contact, translation.language)
        except render.MacroError as error:
            raise DownloadError(str(error)) from None
        verified = translation.format_date(contact.last_verified)
    phone = contact.phone and contact.phone + (f" ({contact.phone_vanity})" if contact.phone_vanity else "")
    fields = (("call", phone), ("text", contact.sms), ("tty", contact.tty), ("email", contact.email),
              ("website", contact.url), ("hours", hours),
              ("languages", ", ".join(languages) if languages else None))
    details = [f"{labels[key]}: {value}" for key, value in fields if value]
    return (f"**{name}.** {description}\n\n"
            f"{' · '.join(details)}{'. ' if details else ''}({labels['last_verified']}: {verified}.)")


class MacroText:
    """The page macros, returning plain Markdown for a word processor."""

    def __init__(self, project: Project, src: str):
        self.project = project
        self.src = src

    def _contact(self, ident):
        contacts = self.project.data.contacts
        if ident not in contacts:
            raise DownloadError(f"docs/{self.src}: no contact with id {ident!r}")
        return contacts[ident]

    def _translation(self, lang):
        if lang == "en":
            return None
        if lang not in self.project.data.i18n:
            raise DownloadError(f"docs/{self.src}: no language {lang!r} in data/i18n/")
        return self.project.data.i18n[lang]

    def contact_line(self, id):
        contact = self._contact(id)
        ways = [f"{label} {value}" for label, value in
                (("call", contact.phone), ("text", contact.sms), ("TTY", contact.tty)) if value]
        return f"**{contact.name}**" + (f": {', '.join(ways)}" if ways else "")

    def contact_block(self, id, lang="en"):
        return contact_text(self._contact(id), self._translation(lang))

    def contact_blocks(self, ids, lang="en"):
        translation = self._translation(lang)
        return "\n\n".join(contact_text(self._contact(i), translation) for i in ids)

    def resource_table(self, topic=None, audience=None, type=None, sort="title", caption=None):
        data = self.project.data
        chosen = render.select_resources(data.resources.values(), data.vocab, topic=topic,
                                         audience=audience, type=type, sort=sort)
        lines = [f"**{caption or render.table_caption(data.vocab, topic, audience, type)}**", ""]
        for r in chosen:
            where = r.url or self.project_link(r.file or "")
            year = f", {r.year}" if r.year != "undated" else ""
            lines.append(f"- *{r.title}* ({r.publisher}{year}). {r.summary} {where}".rstrip())
        return "\n".join(lines)

    def resource_link(self, id, text=None):
        resource = self.project.data.sources.get(id)
        if resource is None:
            raise DownloadError(f"docs/{self.src}: no source with id {id!r}")
        where = resource.url or self.project_link(resource.file or "")
        return f"{text or resource.title} ({where})" if where else (text or resource.title)

    def source(self, id, pinpoint=None):
        """A citation as plain text with the document's address, for a footnote."""
        entry = self.project.data.sources.get(id)
        if entry is None:
            raise DownloadError(f"docs/{self.src}: no source with id {id!r} in data/sources.yml")
        parts = [entry.author] if entry.author else []
        parts.append(f"*{entry.title}*")
        if entry.citation and entry.citation not in entry.title:
            parts.append(entry.citation)
        parts.append(f"{entry.publisher} ({entry.year})")
        if pinpoint:
            parts.append(pinpoint)
        where = entry.url or self.project_link(entry.file or "")
        return ", ".join(parts) + (f" <{where}>" if where else "")

    def project_link(self, src: str) -> str:
        if not src or not self.project.site_url:
            return ""
        return self.project.site_url.rstrip("/") + "/" + render.site_file_url(src)

    def web_only(self, *args, **kwargs):
        return "*(This part is generated on the web page: see the online guide.)*"

    def namespace(self) -> dict:
        names = {
            "contact_block": self.contact_block,
            "contact_line": self.contact_line,
            "contact_blocks": self.contact_blocks,
            "resource_table": self.resource_table,
            "resource_link": self.resource_link,
            "source": self.source,
            "config": self.project.config,
        }
        return names


def render_macros(text: str, macros: MacroText) -> str:
    """Run the page through Jinja with text-producing macros. Multi-line output keeps
    the indentation of the line the call sits on (inside a list or call-out)."""
    import jinja2

    def indent(value, width: int) -> str:
        return str(value).replace("\n", "\n" + " " * width)

    def mark(match: re.Match, offset: int) -> str:
        start = offset + match.start()
        prefix = text[text.rfind("\n", 0, start) + 1:start]
        if re.fullmatch(r" *(?:[-*+]|\d+[.)]) +", prefix):
            width = len(prefix)  # right after a list marker: continue the item
        else:
            width = len(prefix) - len(prefix.lstrip(" "))
        return "{{ (" + match.group(1) + f") | _eguide_indent({width}) }}}}"

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                             keep_trailing_newline=True)
    env.filters["_eguide_indent"] = indent
    raw = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
    marked, last = "", 0
    for block in [*raw.finditer(text), None]:  # leave {% raw %} blocks as they are
        end = block.start() if block else len(text)
        marked += re.sub(r"\{\{-?(.*?)-?\}\}", lambda m: mark(m, last), text[last:end],
                         flags=re.DOTALL)
        if block:
            marked += block.group(0)
            last = block.end()
    names = macros.namespace()
    # Any other macro (glossary, content_health, …) becomes a pointer to the web page.
    for expression in re.findall(r"\{\{(.*?)\}\}", text, flags=re.DOTALL):
        for called in re.findall(r"\b([A-Za-z_]\w*)\s*\(", expression):
            names.setdefault(called, macros.web_only)
    return env.from_string(marked).render(**names)


BLOCK_START = re.compile(r'^(?P<indent> *)(?:(?:!!!|\?\?\?\+?) *(?P<type>[\w-]+)(?: +"(?P<title>[^"]*)")?'
                         r'|=== *"(?P<tab>[^"]*)") *$')


def flatten_blocks(text: str) -> str:
    """Call-outs (`!!! type "Title"`) become block quotes with the title in bold; tabs
    (`=== "Tab"`) become a bold line with their content. Both are indented in
    Python-Markdown, which pandoc would otherwise read as code."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = BLOCK_START.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        pad = match.group("indent")
        body_pad = pad + "    "
        body: list[str] = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(body_pad)):
            body.append(lines[i][len(body_pad):] if lines[i].strip() else "")
            i += 1
        while body and not body[-1]:
            body.pop()
        inner = flatten_blocks("\n".join(body)).split("\n")
        if match.group("tab") is not None:
            out += [f"{pad}**{match.group('tab')}**", ""] + [f"{pad}{line}" if line else "" for line in inner]
        else:
            title = match.group("title") or match.group("type").replace("-", " ").capitalize()
            out += [f"{pad}> **{title}**", f"{pad}>"] + [f"{pad}> {line}".rstrip() for line in inner]
        out.append("")
    return "\n".join(out)


TASK = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[([ xX])\]\s+", re.M)
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*(?:[.#][\w-]+|[\w-]+=\S+)(?:[ \t]+(?:[.#][\w-]+|[\w-]+=\S+))*[ \t]*\}[ \t]*$",
                       re.M)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:.*$\n?", re.M)


def fix_links(text: str, src: str, project: Project) -> str:
    """Links to other pages of the guide point at the published page (site_url), or
    become plain text when the guide has no address yet."""
    import posixpath

    def replace(match: re.Match) -> str:
        target = match.group("target")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return match.group(0)  # https:, mailto:, tel:
        path, _, anchor = target.partition("#")
        if not path or not project.site_url:
            return match.group("text")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        url = project.site_url.rstrip("/") + "/" + render.site_file_url(resolved)
        return f"[{match.group('text')}]({url}{'#' + anchor if anchor else ''})"

    return LINK.sub(replace, text)


def translation_notice(text: str, project: Project) -> str:
    """For a translated page (front matter translation_of, lang: es): the same notice
    the web page shows — the English source and its date, and, while
    translation_reviewed is false, that a qualified translator must review it."""
    import yaml

    if not text.startswith("---"):
        return ""
    meta = yaml.safe_load(text[3:text.find("\n---", 3)]) or {}
    english = meta.get("translation_of")
    translation = project.data.i18n.get(meta.get("lang") or "")
    if not english or translation is None or translation.language != "es":
        return ""
    english_text = (project.docs_dir / english).read_text(encoding="utf-8")
    english_meta = yaml.safe_load(english_text[3:english_text.find("\n---", 3)]) or {}
    lines = []
    if meta.get("translation_reviewed") is False:
        lines.append("**Traducción sin revisar.** Un traductor calificado debe revisar esta hoja "
                     "antes de repartirla de forma amplia.")
    reviewed = english_meta.get("last_reviewed")
    when = f", revisada el {translation.format_date(reviewed)}" if reviewed else ""
    lines.append(f"Basada en la página en inglés *{english_meta.get('title', english)}*{when}.")
    return "\n\n".join(f"> {line}" for line in lines)


def docx_markdown(text: str, src: str, project: Project) -> str:
    """The page's Markdown as pandoc should read it."""
    notice = translation_notice(text, project)
    text = strip_front_matter(text)
    if notice:  # after the page's # heading
        head, sep, rest = text.partition("\n\n")
        text = f"{head}{sep}{notice}\n\n{rest}" if head.startswith("# ") else f"{notice}\n\n{text}"
    text = render_macros(text, MacroText(project, src))
    text = flatten_blocks(text)
    text = TASK.sub(lambda m: m.group(1) + ("☒ " if m.group(2) in "xX" else "☐ "), text)
    text = fix_links(text, src, project)
    text = ATTR_LIST.sub("", text)
    text = ABBREVIATION.sub("", text)
    return text


# --- .docx post-processing: footer, page size, document title -----------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


def _run(content: str) -> str:
    return f'<w:r><w:rPr><w:sz w:val="16"/></w:rPr>{content}</w:r>'


def footer_xml(text: str) -> str:
    runs = [
        '<w:t xml:space="preserve">' + html.escape(text, quote=False) + " · Page </w:t>",
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>'
            + "".join(_run(run) for run in runs) + "</w:p></w:ftr>")


def finish_docx(path: Path, *, footer: str, title: str, author: str) -> None:
    """Add the footer (with a page number), US Letter pages with 1-inch margins, and
    the document title, editing pandoc's output in place."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    doc = parts["word/document.xml"].decode("utf-8")
    section = re.search(r"<w:sectPr\s*(/>|>)", doc)
    if not section:
        raise DownloadError(f"{path.name}: pandoc's document has no section properties")
    inner = (f'<w:footerReference w:type="default" r:id="rIdEguideFooter"/>')
    page = ('<w:pgSz w:w="12240" w:h="15840"/>'
            '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
            'w:header="720" w:footer="720" w:gutter="0"/>')
    if section.group(1) == "/>":
        doc = doc[:section.start()] + f"<w:sectPr>{inner}{page}</w:sectPr>" + doc[section.end():]
    else:
        close = doc.index("</w:sectPr>", section.end())
        body = doc[section.end():close]
        if "<w:pgSz" not in body:
            body = body.replace("</w:footnotePr>", "</w:footnotePr>" + page, 1) \
                if "</w:footnotePr>" in body else page + body
        doc = doc[:section.start()] + f"<w:sectPr>{inner}{body}" + doc[close:]
    parts["word/document.xml"] = doc.encode("utf-8")
    parts["word/footer1.xml"] = footer_xml(footer).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace("</Relationships>", f'<Relationship Type="{FOOTER_REL}" '
                        'Id="rIdEguideFooter" Target="footer1.xml" /></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace("</Types>", f'<Override PartName="/word/footer1.xml" '
                          f'ContentType="{FOOTER_TYPE}" /></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    core = parts.get("docProps/core.xml", b"").decode("utf-8")
    core = re.sub(r"<dc:title\s*/>|<dc:title>.*?</dc:title>",
                  f"<dc:title>{html.escape(title, quote=False)}</dc:title>", core, count=1)
    core = re.sub(r"<dc:creator\s*/>|<dc:creator>.*?</dc:creator>",
                  f"<dc:creator>{html.escape(author, quote=False)}</dc:creator>", core, count=1)
    parts["docProps/core.xml"] = core.encode("utf-8")
    tmp = path.with_suffix(".docx.partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    tmp.replace(path)


def where_it_lives(src: str, title: str, project: Project) -> str:
    if project.site_url:
        return project.site_url.rstrip("/") + "/" + render.site_file_url(src)
    return f"the page “{title}” of the {project.site_name} (docs/{src})"


def make_docx(src: str, title: str, out: Path, project: Project, built: str) -> None:
    import pypandoc

    markdown = docx_markdown((project.docs_dir / src).read_text(encoding="utf-8"), src, project)
    try:
        pypandoc.convert_text(markdown, "docx", format=PANDOC_FORMAT, outputfile=str(out),
                              extra_args=["--resource-path", str((project.docs_dir / src).parent)])
    except RuntimeError as error:
        raise DownloadError(f"docs/{src}: pandoc could not make {out.name}: {error}") from None
    footer = (f"From the {project.site_name}. Current version: {where_it_lives(src, title, project)}. "
              f"Built {built}")
    finish_docx(out, footer=footer, title=title, author=project.config.get("site_author") or "")


def make_templates(out_dir: Path, built: str, project: Optional[Project] = None) -> list[dict]:
    """A .docx for every `kind: template` page; returns their manifest entries."""
    project = project or load_project()
    templates = dl.template_pages(project.docs_dir, project.config.get("nav"))
    names = dl.docx_names(src for src, _ in templates)
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(item: tuple[str, str]) -> dict:
        src, title = item
        path = out_dir / names[src]
        make_docx(src, title, path, project, built)
        return dl.describe_file(path, kind="template-docx", source=src, title=title)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, templates))


# --- the whole guide as a PDF --------------------------------------------------------

HEADER = '<div style="font-size:8px;width:100%;padding:0 15mm;color:#444;">{site} — the whole guide</div>'
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 15mm;color:#444;display:flex;'
          'justify-content:space-between;"><span>Built {built}. {where}</span>'
          '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def make_pdf(print_page: Path, out: Path, built: str, *, site_name: str = "Task Force e-Guide",
             site_url: str = "", chromium: Path = CHROMIUM,
             log: Callable[[str], None] = print) -> tuple[Optional[Path], Optional[str]]:
    """Print the whole-guide page to PDF with Chromium. Returns (path, None), or
    (None, why) when there is no Chromium or Playwright: the build goes on without it."""
    if not chromium.exists():
        note = (f"No PDF of the whole guide in this build: Chromium was not found at {chromium} "
                "(install it with `make browser`).")
        log(note)
        return None, note
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        note = "No PDF of the whole guide in this build: Playwright is not installed."
        log(note)
        return None, note
    if not print_page.is_file():
        raise DownloadError(f"The whole-guide page {print_page} is missing: is print-site in mkdocs.yml?")
    where = f"Current version: {site_url}" if site_url else "Check the online guide for the current version."
    tmp = out.with_suffix(".pdf.partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Nothing but the local files: a PDF must not depend on the network.
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:")) else route.abort())
            page.goto(print_page.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.evaluate("""() => {
                window.dispatchEvent(new Event('beforeprint'));
                document.querySelectorAll('details').forEach(d => { d.open = true; });
            }""")
            # outline: PDF bookmarks from the headings (chapters and pages); tagged: a
            # structure tree that screen readers use. Chromium cannot fill page numbers
            # into the contents list (no CSS target-counter), so the bookmarks do that job.
            page.pdf(path=str(tmp), format="Letter", print_background=True,
                     outline=True, tagged=True,
                     display_header_footer=True,
                     header_template=HEADER.format(site=html.escape(site_name)),
                     footer_template=FOOTER.format(built=html.escape(built), where=html.escape(where)),
                     margin={"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
        finally:
            browser.close()
    tmp.replace(out)
    return out, None


# --- the manifest ------------------------------------------------------------------

def write_manifest(out_dir: Path, *, built: str, files: list[dict], pdf_note: Optional[str] = None,
                   bundle: Optional[Path] = None) -> dict:
    """Write manifest.json: every file with its size and SHA-256, and the offline
    bundle (outside the folder, so the bundle never contains itself)."""
    manifest = {"built": built, "files": files, "pdf_note": pdf_note}
    if bundle is not None:
        manifest["bundle"] = dl.describe_file(bundle, kind="offline-bundle", path=str(bundle.resolve()))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / dl.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    # Preview one template's pandoc input: python scripts/downloads.py structure/mou-template.md
    project = load_project()
    for arg in sys.argv[1:]:
        print(docx_markdown((project.docs_dir / arg).read_text(encoding="utf-8"), arg, project))
