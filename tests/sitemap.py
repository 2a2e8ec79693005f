"""What the built site should contain, read from mkdocs.yml (not typed by hand)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def nav_sources() -> tuple[str, ...]:
    """Every Markdown file in the nav, in nav order (for example 'forming/index.md')."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    found: list[str] = []

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            else:
                found.append(value)

    walk(config["nav"])
    return tuple(found)


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
