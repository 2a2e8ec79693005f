"""PDFs printed by Chromium from pages MkDocs built: the whole guide (print-site's page)
and each Spanish handout. One browser prints them all, offline (only file: and data:
requests are allowed), with the print stylesheet that hides the navigation, tagged
for screen readers and with bookmarks from the headings. The whole guide's bookmarks are
then nested by chapter and its contents list gets page numbers (finish_whole_guide)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from hooks.chromium import CHROMIUM, CHROMIUM_ARGS

from macros.manifest import DownloadError

from .contents import number_into
from .outline import nest_into
from .update import PdfUpdate

_BOX = "font-size:8px;width:100%;padding:0 12mm;color:#444;"
HEADER = f'<div style="{_BOX}">{{text}}</div>'
FOOTER = (f'<div style="{_BOX}display:flex;justify-content:space-between;gap:4mm;">'
          '<span>{left}</span><span style="white-space:nowrap;">{page} <span class="pageNumber">'
          '</span> {of} <span class="totalPages"></span></span></div>')
WORDS = {
    "en": {"built": "Built {built}.", "where": "Current version: {url}",
           "nowhere": "Check the online guide for the current version.", "page": "Page", "of": "of"},
    "es": {"built": "Creado el {built}.", "where": "Versión actual: {url}",
           "nowhere": "Consulte la guía en línea para ver la versión actual.", "page": "Página",
           "of": "de"},
}


# A handout is printed to fit one or two pages: the print-only page header (the PDF's
# own header and footer say the same), the related-pages list and the download line
# are left out, and the page is printed a little smaller.
HANDOUT_CSS = """
.eguide-print-header, .eguide-page-downloads, .eguide-page-meta, .md-source-file,
#relacionado, #relacionado + ul, #related, #related + ul { display: none !important; }
.md-typeset h1 { margin: 0 0 .4em; }
.md-typeset h2 { margin: .8em 0 .3em; }
.md-typeset p, .md-typeset ul, .md-typeset ol { margin-top: .3em; margin-bottom: .3em; }
.md-typeset li { margin-bottom: .1em; }
"""
HANDOUT_SCALE = 0.75
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
HANDOUT_MARGIN = {"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"}


@dataclass(frozen=True)
class PrintJob:
    page: Path     # the built page (index.html) to print
    out: Path      # the PDF to write
    header: str    # plain text at the top of every page
    built: str
    url: str = ""  # the page's deployed address, when the guide has one
    lang: str = "en"
    handout: bool = False  # a one-page handout: compact print (HANDOUT_CSS, HANDOUT_SCALE)
    # The nav of mkdocs.yml, for the whole guide: its bookmarks are nested by chapter.
    nav: Optional[Any] = None

    def footer(self) -> str:
        words = WORDS.get(self.lang, WORDS["en"])
        where = words["where"].format(url=self.url) if self.url else words["nowhere"]
        left = f"{words['built'].format(built=self.built)} {where}"
        return FOOTER.format(left=html.escape(left), page=words["page"], of=words["of"])


def print_pdfs(jobs: list[PrintJob], *, chromium: Path = CHROMIUM,
               log: Callable[[str], None] = print) -> tuple[list[Path], Optional[str]]:
    """Print every job. Returns (paths, None), or ([], why) when there is no Chromium or
    Playwright: the build goes on without PDFs and the Downloads page says why."""
    if not chromium.exists():
        note = (f"No PDFs in this build: Chromium was not found at {chromium} "
                "(install it with `make browser`).")
        log(note)
        return [], note
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        note = "No PDFs in this build: Playwright is not installed."
        log(note)
        return [], note
    for job in jobs:
        if not job.page.is_file():
            raise DownloadError(f"{job.page} is missing: cannot print {job.out.name}")
    made = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            for job in jobs:
                made.append(_print(browser, job))
        finally:
            browser.close()
    return made, None


def _print(browser, job: PrintJob) -> Path:
    tmp = job.out.with_suffix(".partial.pdf")
    job.out.parent.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    try:
        # Nothing but the local files: a PDF must not depend on the network.
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith(("file:", "data:")) else route.abort())
        page.goto(job.page.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        if job.handout:
            page.add_style_tag(content=HANDOUT_CSS)
        page.evaluate("""() => {
            window.dispatchEvent(new Event('beforeprint'));
            document.querySelectorAll('details').forEach(d => { d.open = true; });
        }""")
        # outline: PDF bookmarks from the headings (nested by chapter below); tagged: a
        # structure tree for screen readers. Chromium cannot fill page numbers into a
        # contents list (no CSS target-counter): finish_whole_guide writes them after.
        page.pdf(path=str(tmp), format="Letter", print_background=True, outline=True,
                 scale=HANDOUT_SCALE if job.handout else 1,
                 tagged=True, display_header_footer=True,
                 header_template=HEADER.format(text=html.escape(job.header)),
                 footer_template=job.footer(),
                 margin=HANDOUT_MARGIN if job.handout else MARGIN)
    finally:
        page.close()
    if job.nav is not None:
        finish_whole_guide(tmp, job)
    tmp.replace(job.out)
    return job.out


def finish_whole_guide(pdf: Path, job: PrintJob) -> None:
    """The whole guide after printing: bookmarks nested by chapter (outline.py) and page
    numbers in its contents list (contents.py), in one incremental update, so the printed
    file (its tags, links and pages) stays as it is."""
    update = PdfUpdate(pdf)
    if not nest_into(update, job.nav, job.page):
        raise DownloadError(f"{job.out.name}: no chapter of the nav found among the PDF's "
                            "bookmarks, so they cannot be nested")
    number_into(update)
    update.write()
