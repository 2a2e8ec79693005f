"""The downloads as the pages see them: which pages get a Word file (template pages),
the download line under every template page's title (in the page's language) and the
four macros of the Downloads page. Everything comes from the manifest the build wrote
(macros/manifest.py); without one, as under `mkdocs serve`, the pages say the files are
not built yet. The files themselves are made by hooks/downloads/ (pandoc, Chromium)."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .manifest import Manifest, read_manifest
from .pages import Page, nav_files, reader_pages
from .render import e, relative_url, site_file_url

TEMPLATE_KIND = "template"
URL_DIR = "downloads"  # where the files sit in the built site
PDF_NAME = "task-force-eguide.pdf"
PRINT_PAGE = "whole-guide"  # mkdocs.yml: print-site print_page_basename

ENV_DIR = "EGUIDE_DOWNLOADS"  # folder holding manifest.json and the files it lists
DOWNLOAD_LINE_CLASS = "eguide-page-downloads"  # hidden in print (print.css)

NOT_BUILT = (
    "The downloadable files are not built yet. They are made by `make build` "
    "(a preview with `make serve` does not make them)."
)

# The download line in each language a page may be written in (front matter `lang`).
LINE_WORDS = {
    "en": {"lead": "Download:", "docx": "{title} as a Word file ({size})",
           "pdf": "{title} as a PDF ({size})",
           "guide": "the whole guide as a PDF ({size})", "all": "all downloads", "all_attrs": "",
           "missing": "The Word file of this template is not in this build (`make build` makes it)"},
    "es": {"lead": "Descargar:", "docx": "esta hoja en Word ({size})", "pdf": "esta hoja en PDF ({size})",
           "guide": "toda la guía en PDF, en inglés ({size})",
           "all": "todas las descargas (página en inglés)", "all_attrs": "{ hreflang=en }",
           "missing": "Los archivos de esta hoja no están en esta versión (`make build` los crea)"},
}


@dataclass(frozen=True)
class TemplatePage(Page):
    """A page with `kind: template` in its front matter: it gets a Word file. A
    translated one (`lang` other than English, the Spanish handouts in docs/es/) is a
    handout and also gets its own PDF."""

    docx_name: str  # such as 'mou-template.docx' (docx_names)

    @property
    def pdf_name(self) -> str:
        """The same name ending in .pdf: a handout's own PDF."""
        return self.docx_name.removesuffix(".docx") + ".pdf"

    @property
    def is_handout(self) -> bool:
        return self.lang != "en"


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
    the nav, alphabetically (front matter read by macros.pages, so a block closed with
    `...` counts like one closed with `---`)."""
    found = {page.src: page.path for page in reader_pages(docs_dir) if is_template(page.meta)}
    order = [src for src in nav_files(nav) if src in found]
    order += sorted(src for src in found if src not in order)
    return [TemplatePage(src, found[src], name)
            for src, name in docx_names(order).items()]


def downloads_dir() -> Optional[Path]:
    value = os.environ.get(ENV_DIR)
    return Path(value) if value else None


def current_manifest() -> Optional[Manifest]:
    return read_manifest(downloads_dir())


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def _rel_src(target_src: str, page_src: str) -> str:
    """A link from page_src to another source file, both relative to docs/."""
    return posixpath.relpath(target_src, posixpath.dirname(page_src) or ".")


def _file_link(entry, page_src: str, label: str) -> str:
    """A Markdown link MkDocs validates (the file is in the site under downloads/)."""
    return f"[{label}]({_rel_src(f'{URL_DIR}/{entry.name}', page_src)})"


# --- the download line at the top of every template page ---------------------------

def template_download_markdown(manifest: Optional[Manifest], *, page_src: str, title: str,
                               lang: str = "en") -> str:
    """The line under a template page's title: its own .docx (and PDF, for a handout)
    and the whole-guide PDF, or a plain sentence that says the files are not built."""
    words = LINE_WORDS.get(lang, LINE_WORDS["en"])
    docx = manifest.for_page("template-docx", page_src) if manifest else None
    pdf = manifest.for_page("handout-pdf", page_src) if manifest else None
    guide = manifest.guide_pdf if manifest else None
    parts = []
    if docx:
        parts.append(_file_link(docx, page_src, words["docx"].format(title=title, size=human_size(docx.size))))
    else:
        parts.append(words["missing"])
    if pdf:
        parts.append(_file_link(pdf, page_src, words["pdf"].format(title=title, size=human_size(pdf.size))))
    if guide:
        parts.append(_file_link(guide, page_src, words["guide"].format(size=human_size(guide.size))))
    parts.append(f"[{words['all']}]({_rel_src('downloads.md', page_src)}){words['all_attrs']}")
    return f"**{words['lead']}** {' · '.join(parts)}\n{{: .{DOWNLOAD_LINE_CLASS} }}"


def add_template_downloads(markdown: str, manifest: Optional[Manifest], *, page_src: str,
                           title: str, lang: str = "en") -> str:
    """Put the download line right after the page's `#` heading (or at the top when the
    page has none), so no editor has to add it by hand."""
    line = template_download_markdown(manifest, page_src=page_src, title=title, lang=lang)
    lines = markdown.split("\n")
    in_fence = False
    for index, text in enumerate(lines):
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and text.startswith("# "):
            return "\n".join(lines[:index + 1] + ["", line, ""] + lines[index + 1:])
    return f"{line}\n\n{markdown}"


def is_template(meta: dict) -> bool:
    return (meta or {}).get("kind") == TEMPLATE_KIND


# --- the Downloads page --------------------------------------------------------------

def offline_bundle_markdown(manifest: Optional[Manifest], *, offline: bool, page_src: str) -> str:
    if offline:
        return (
            "You are reading the offline copy. A file cannot contain its own checksum, "
            "so this copy does not show its own size or SHA-256: the Downloads page of "
            "the online guide lists them. Everything else on this page is in this copy."
        )
    if manifest is None:
        return NOT_BUILT
    bundle = manifest.bundle
    if not bundle:
        return ("The offline copy is made by `make build` after the online site; "
                "this build did not include it.")
    link = _file_link(bundle, page_src, f"Download the offline copy (ZIP, {human_size(bundle.size)})")
    return "\n".join([
        f"**{link}**",
        "",
        "| File | Size | Built | SHA-256 checksum |",
        "| --- | --- | --- | --- |",
        f"| `{bundle.name}` | {human_size(bundle.size)} ({bundle.size:,} bytes) "
        f"| {manifest.built} | `{bundle.sha256}` |",
    ])


def guide_markdown(manifest: Optional[Manifest], *, page_src: str, page_url: str,
                   use_directory_urls: bool) -> str:
    """The whole guide: the printable page (always) and the PDF (when it was built)."""
    href = relative_url(site_file_url(f"{PRINT_PAGE}.md", use_directory_urls), page_url)
    lines = [
        f'- <a href="{e(href)}">The whole guide on one page</a>: every chapter in '
        "order with a table of contents. Use your browser's Print command to print it "
        "or to save it as a PDF.",
    ]
    pdf = manifest.guide_pdf if manifest else None
    if pdf:
        lines.append(
            "- " + _file_link(pdf, page_src, f"The whole guide as a PDF ({human_size(pdf.size)})")
            + ": the same page as a PDF, with a contents list that gives each page number, "
            "bookmarks for every chapter and page, and the build date on every page."
        )
    return "\n".join(lines)


def templates_markdown(manifest: Optional[Manifest], templates: list[TemplatePage],
                       *, page_src: str) -> str:
    """One row per template page: the .docx (when built), the printable page, and for
    a handout its own PDF."""
    if manifest is not None:
        # What the build made is the truth; a page added since appears after a rebuild.
        made = {f.source for f in manifest.of_kind("template-docx")}
        templates = [t for t in templates if t.src in made] or templates
    rows = ["| Template | Edit in a word processor | Print or read online |",
            "| --- | --- | --- |"]
    for page in templates:
        entry = manifest.for_page("template-docx", page.src) if manifest else None
        pdf = manifest.for_page("handout-pdf", page.src) if manifest else None
        word = (_file_link(entry, page_src, f"{page.title} (Word, {human_size(entry.size)})")
                if entry else "Not built yet")
        online = f"[{page.title} (web page)]({_rel_src(page.src, page_src)})"
        if pdf:
            online += " · " + _file_link(pdf, page_src, f"PDF ({human_size(pdf.size)})")
        lang = "" if page.lang == "en" else f" ({page.lang})"
        rows.append(f"| {page.title}{lang} | {word} | {online} |")
    if manifest is None:
        rows += ["", NOT_BUILT]
    return "\n".join(rows)


def checksums_markdown(manifest: Optional[Manifest], *, offline: bool) -> str:
    """Size and SHA-256 of every file offered on the page, measured by the build."""
    if manifest is None:
        return NOT_BUILT
    rows = ["| File | Size | SHA-256 checksum |", "| --- | --- | --- |"]
    entries: list = list(manifest.files)
    if manifest.bundle and not offline:
        entries.insert(0, manifest.bundle)
    for entry in entries:
        rows.append(f"| `{entry.name}` | {entry.size:,} bytes | `{entry.sha256}` |")
    note = f"Built {manifest.built}."
    if offline:
        note += " The offline copy's own checksum is on the online Downloads page."
    if manifest.pdf_note:
        note += f" {manifest.pdf_note}"
    return "\n".join([*rows, "", note])


def define_macros(env) -> None:
    """Register the Downloads page macros (called from macros.define_env)."""

    def offline() -> bool:
        return os.environ.get("OFFLINE", "").lower() == "true"

    from .site import Engine  # the page and configuration, under MkDocs or Zensical

    engine = Engine(env)

    def page_src() -> str:
        return engine.page_src

    @env.macro
    def downloads_bundle() -> str:
        """The offline bundle: link, size, build date and SHA-256 (online site only)."""
        return offline_bundle_markdown(current_manifest(), offline=offline(), page_src=page_src())

    @env.macro
    def downloads_guide() -> str:
        """The whole guide: the one-page version and the PDF when it was built."""
        return guide_markdown(current_manifest(), page_src=page_src(), page_url=engine.page_url,
                              use_directory_urls=engine.use_directory_urls)

    @env.macro
    def downloads_templates() -> str:
        """Every `kind: template` page with its .docx and its printable page."""
        return templates_markdown(current_manifest(),
                                  template_pages(engine.project.docs_dir, engine.project.nav),
                                  page_src=page_src())

    @env.macro
    def downloads_checksums() -> str:
        """Size and SHA-256 of every downloadable file."""
        return checksums_markdown(current_manifest(), offline=offline())

