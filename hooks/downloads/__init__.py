"""The guide's downloads, in one package.

What is made (by `scripts/build.py`, after a first online build):

- a Word file for every page with `kind: template` in its front matter, made from the
  HTML MkDocs rendered for that page (word.py): the web page's own macros, links and
  footnotes, without the reading aids, links absolute to the deployed site, a footer
  with the page's web address and the build date;
- a PDF of the whole guide (print-site's page) and of each translated handout
  (docs/es/), printed by Chromium (pdf.py); the whole guide's bookmarks are nested by
  chapter (outline.py) and its contents list gets page numbers (contents.py), both
  written into the printed file as one incremental update;
- manifest.json, the typed list of those files with sizes and SHA-256 (manifest.py,
  which documents the schema).

What reads it: the MkDocs hook (hook.py, in mkdocs.yml) adds the files to the site and
puts the download line under each template page's title; the Downloads page macros
(pages.py, registered by macros.define_env) list them. project.py reads mkdocs.yml
through MkDocs and names the pages and files.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional

from hooks.chromium import CHROMIUM

from macros.downloads import PDF_NAME, PRINT_PAGE, URL_DIR, template_pages
from macros.manifest import (DownloadError, Manifest, describe_bundle, describe_file, read_manifest,
                             write_manifest)

from .pdf import PrintJob, print_pdfs
from .project import DownloadSite, download_site
from .word import make_all_docx

__all__ = ["DownloadError", "Manifest", "DownloadSite", "describe_bundle", "URL_DIR", "PDF_NAME", "PRINT_PAGE",
           "download_site", "make_downloads", "read_manifest", "template_pages", "write_manifest"]


def make_downloads(site_dir: Path, out_dir: Path, built: str, project: Optional[DownloadSite] = None,
                   *, chromium: Path = CHROMIUM, log: Callable[[str], None] = print) -> Manifest:
    """Every download, from the online site MkDocs built into site_dir (with directory
    URLs): Word files while Chromium prints the PDFs. Returns the manifest (not yet
    written, so the build can add the offline bundle later)."""
    project = project or download_site()
    pages = template_pages(project.docs_dir, project.nav)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [PrintJob(page=site_dir / PRINT_PAGE / "index.html", out=out_dir / PDF_NAME,
                     header=f"{project.site_name} — the whole guide", built=built,
                     url=project.site_url, nav=project.nav)]
    jobs += [PrintJob(page=site_dir / page.url / "index.html", out=out_dir / page.pdf_name,
                      header=f"{project.site_name} — {page.title}", built=built,
                      url=project.page_address(page.src), lang=page.lang, handout=True)
             for page in pages if page.is_handout]
    with ThreadPoolExecutor(max_workers=1) as pool:
        word_files = pool.submit(make_all_docx, site_dir, out_dir, pages, project, built)
        pdfs, pdf_note = print_pdfs(jobs, chromium=chromium, log=log)
        word_files.result()
    files = [describe_file(out_dir / page.docx_name, kind="template-docx", source=page.src,
                           title=page.title) for page in pages]
    if pdfs:
        files.append(describe_file(out_dir / PDF_NAME, kind="guide-pdf", title="The whole guide (PDF)"))
        files += [describe_file(out_dir / page.pdf_name, kind="handout-pdf", source=page.src,
                                title=page.title) for page in pages if page.is_handout]
    return Manifest(built=built, files=files, pdf_note=pdf_note)
