"""What the built site should contain, read from mkdocs.yml (not typed by hand)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def nav_sources() -> tuple[str, ...]:
    """Every Markdown file in the nav, in nav order (for example 'forming/index.md')."""
    return tuple(project().nav_sources())


@lru_cache(maxsize=None)
def project():
    """mkdocs.yml, read by MkDocs' own loader (macros/project.py)."""
    from macros.project import load_project

    return load_project(ROOT / "mkdocs.yml")


def page_path(src: str, *, directory_urls: bool) -> str:
    """Where a source file lands in the build, relative to the site root."""
    stem = src[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")] + "index.html"
    return stem + "/index.html"


def search_location(src: str, *, directory_urls: bool) -> str:
    """The location the search index records for a page."""
    path = page_path(src, directory_urls=directory_urls)
    if directory_urls:
        return path[: -len("index.html")]
    return path


@lru_cache(maxsize=None)
def nav_sections() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each nav section (its titles, outermost first) and its pages, in nav order."""
    from macros.pages import walk_nav

    sections: dict[tuple[str, ...], list[str]] = {}
    for titles, src in walk_nav(project().nav):
        if titles:
            sections.setdefault(titles, []).append(src)
    return {titles: tuple(srcs) for titles, srcs in sections.items()}
