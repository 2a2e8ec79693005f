"""Downloads: the whole-guide PDF, editable templates and the offline bundle.

scripts/build.py makes the files and writes a manifest (sizes and SHA-256 computed
from the files themselves) into a folder it names in the EGUIDE_DOWNLOADS environment
variable. macros/downloads_hook.py puts those files into the site under downloads/,
and the macros here turn the manifest into the Downloads page. Without the variable
(for example under `mkdocs serve`) the page says the downloads are not built yet.

A page is a template when its front matter says `kind: template`; it then gets an
editable .docx with no code change.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path
from typing import Iterable, Optional

from .render import e, relative_url, site_file_url

ENV_DIR = "EGUIDE_DOWNLOADS"  # folder holding manifest.json and the files it lists
MANIFEST = "manifest.json"
URL_DIR = "downloads"  # where the files sit in the built site
PDF_NAME = "task-force-eguide.pdf"
PRINT_PAGE = "whole-guide"  # mkdocs.yml: print-site print_page_basename
TEMPLATE_KIND = "template"


# --- template pages ----------------------------------------------------------------

def nav_files(nav: object) -> list[str]:
    """Every Markdown path in an mkdocs.yml nav, in nav order."""
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str):
            if item.endswith(".md"):
                found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return found


def template_pages(docs_dir: Path, nav: object = None) -> list[tuple[str, str]]:
    """(src path relative to docs/, title) of every `kind: template` page: nav order
    first, then any template page not in the nav, alphabetically."""
    from .health import read_front_matter

    found = {}
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if any(part.startswith(("_", ".")) for part in rel.split("/")):
            continue
        meta = read_front_matter(path)
        if meta.get("kind") == TEMPLATE_KIND:
            found[rel] = str(meta.get("title") or posixpath.basename(rel)[:-3])
    order = [src for src in nav_files(nav) if src in found]
    order += sorted(src for src in found if src not in order)
    return [(src, found[src]) for src in order]


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


# --- files and the manifest --------------------------------------------------------

def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_file(file: Path, **fields) -> dict:
    """A manifest entry: file name, size and SHA-256 measured from the file."""
    return {"name": file.name, "size": file.stat().st_size, "sha256": sha256_of(file), **fields}


def downloads_dir() -> Optional[Path]:
    value = os.environ.get(ENV_DIR)
    return Path(value) if value else None


def read_manifest(directory: Optional[Path] = None) -> Optional[dict]:
    """The manifest the build wrote, or None when there is none (not built yet)."""
    directory = directory or downloads_dir()
    if directory is None or not (directory / MANIFEST).is_file():
        return None
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


# --- the Downloads page ------------------------------------------------------------

NOT_BUILT = (
    "The downloadable files are not built yet. They are made by `make build` "
    "(a preview with `make serve` does not make them)."
)


def _file_link(entry: dict, page_src: str, label: str) -> str:
    """A Markdown link MkDocs validates (the file is in the site under downloads/)."""
    target = _rel_src(f"{URL_DIR}/{entry['name']}", page_src)
    return f"[{label}]({target})"


def _page_src_dir(page_src: str) -> str:
    return posixpath.dirname(page_src)


def _rel_src(target_src: str, page_src: str) -> str:
    """A link from page_src to another source file, both relative to docs/."""
    return posixpath.relpath(target_src, _page_src_dir(page_src) or ".")


def offline_bundle_markdown(manifest: Optional[dict], *, offline: bool, page_src: str) -> str:
    if offline:
        return (
            "You are reading the offline copy. A file cannot contain its own checksum, "
            "so this copy does not show its own size or SHA-256: the Downloads page of "
            "the online guide lists them. Everything else on this page is in this copy."
        )
    if manifest is None:
        return NOT_BUILT
    bundle = manifest.get("bundle")
    if not bundle:
        return ("The offline copy is made by `make build` after the online site; "
                "this build did not include it.")
    link = _file_link(bundle, page_src, f"Download the offline copy (ZIP, {human_size(bundle['size'])})")
    return "\n".join([
        f"**{link}**",
        "",
        "| File | Size | Built | SHA-256 checksum |",
        "| --- | --- | --- | --- |",
        f"| `{bundle['name']}` | {human_size(bundle['size'])} ({bundle['size']:,} bytes) "
        f"| {manifest['built']} | `{bundle['sha256']}` |",
    ])


def guide_markdown(manifest: Optional[dict], *, page_src: str, page_url: str,
                   use_directory_urls: bool) -> str:
    """The whole guide: the printable page (always) and the PDF (when it was built)."""
    href = relative_url(site_file_url(f"{PRINT_PAGE}.md", use_directory_urls), page_url)
    lines = [
        f'- <a href="{e(href)}">The whole guide on one page</a>: every chapter in '
        "order with a table of contents. Use your browser's Print command to print it "
        "or to save it as a PDF.",
    ]
    pdf = next((f for f in (manifest or {}).get("files", []) if f.get("kind") == "guide-pdf"), None)
    if pdf:
        lines.append(
            "- " + _file_link(pdf, page_src, f"The whole guide as a PDF ({human_size(pdf['size'])})")
            + ": "
            "the same page, printed to PDF with page numbers and the build date."
        )
    return "\n".join(lines)


def templates_markdown(manifest: Optional[dict], templates: list[tuple[str, str]],
                       *, page_src: str) -> str:
    """One row per template page: the .docx (when built) and the printable page."""
    docx = {f["source"]: f for f in (manifest or {}).get("files", [])
            if f.get("kind") == "template-docx"}
    if manifest is not None:
        # What the build made is the truth; a page added since appears after a rebuild.
        templates = [(f["source"], f["title"]) for f in docx.values()] or templates
    rows = ["| Template | Edit in a word processor | Print or read online |",
            "| --- | --- | --- |"]
    for src, title in templates:
        entry = docx.get(src)
        word = (_file_link(entry, page_src, f"{title} (Word, {human_size(entry['size'])})")
                if entry else "Not built yet")
        page = f"[{title} (web page)]({_rel_src(src, page_src)})"
        rows.append(f"| {title} | {word} | {page} |")
    if manifest is None:
        rows += ["", NOT_BUILT]
    return "\n".join(rows)


def checksums_markdown(manifest: Optional[dict], *, offline: bool) -> str:
    """Size and SHA-256 of every file offered on the page, measured by the build."""
    if manifest is None:
        return NOT_BUILT
    rows = ["| File | Size | SHA-256 checksum |", "| --- | --- | --- |"]
    entries = list(manifest.get("files", []))
    if manifest.get("bundle") and not offline:
        entries.insert(0, manifest["bundle"])
    for entry in entries:
        rows.append(f"| `{entry['name']}` | {entry['size']:,} bytes | `{entry['sha256']}` |")
    note = f"Built {manifest['built']}."
    if offline:
        note += " The offline copy's own checksum is on the online Downloads page."
    if manifest.get("pdf_note"):
        note += f" {manifest['pdf_note']}"
    return "\n".join([*rows, "", note])


# --- the download line at the top of every template page ------------------------

DOWNLOAD_LINE_CLASS = "eguide-page-downloads"  # hidden in print (print.css)


def template_download_markdown(manifest: Optional[dict], *, page_src: str, title: str) -> str:
    """The line under a template page's title: its own .docx and the whole-guide PDF,
    or, when the build made no files (as under `mkdocs serve`), a plain sentence that
    says so and where the downloads will be."""
    files = (manifest or {}).get("files", [])
    docx = next((f for f in files if f.get("kind") == "template-docx" and f.get("source") == page_src),
                None)
    pdf = next((f for f in files if f.get("kind") == "guide-pdf"), None)
    downloads_page = _rel_src("downloads.md", page_src)
    parts = []
    if docx:
        parts.append(_file_link(docx, page_src, f"{title} as a Word file ({human_size(docx['size'])})"))
    else:
        parts.append("The Word file of this template is not in this build (`make build` makes it)")
    if pdf:
        parts.append(_file_link(pdf, page_src, f"the whole guide as a PDF ({human_size(pdf['size'])})"))
    parts.append(f"[all downloads]({downloads_page})")
    return f"**Download:** {' · '.join(parts)}\n{{: .{DOWNLOAD_LINE_CLASS} }}"


def add_template_downloads(markdown: str, manifest: Optional[dict], *, page_src: str,
                           title: str) -> str:
    """Put the download line right after the page's `#` heading (or at the top when the
    page has none), so no editor has to add it by hand."""
    line = template_download_markdown(manifest, page_src=page_src, title=title)
    lines = markdown.split("\n")
    in_fence = False
    for index, text in enumerate(lines):
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and text.startswith("# "):
            return "\n".join(lines[:index + 1] + ["", line, ""] + lines[index + 1:])
    return f"{line}\n\n{markdown}"


def define_macros(env) -> None:
    """Register the Downloads page macros (called from macros.define_env)."""

    def offline() -> bool:
        return os.environ.get("OFFLINE", "").lower() == "true"

    from .site import Engine  # the page and configuration, under MkDocs or Zensical

    engine = Engine(env)

    def page_src() -> str:
        return engine.page_src

    def docs_dir() -> Path:
        return engine.project.docs_dir

    @env.macro
    def downloads_bundle() -> str:
        """The offline bundle: link, size, build date and SHA-256 (online site only)."""
        return offline_bundle_markdown(read_manifest(), offline=offline(), page_src=page_src())

    @env.macro
    def downloads_guide() -> str:
        """The whole guide: the one-page version and the PDF when it was built."""
        return guide_markdown(read_manifest(), page_src=page_src(), page_url=env.page.url,
                              use_directory_urls=engine.use_directory_urls)

    @env.macro
    def downloads_templates() -> str:
        """Every `kind: template` page with its .docx and its printable page."""
        return templates_markdown(read_manifest(), template_pages(docs_dir(), engine.project.nav),
                                  page_src=page_src())

    @env.macro
    def downloads_checksums() -> str:
        """Size and SHA-256 of every downloadable file."""
        return checksums_markdown(read_manifest(), offline=offline())
