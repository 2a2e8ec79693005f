"""The pages under docs/: their front matter, which of them are reader pages, and the
nav order. One place for each rule, used by the macros, hooks, scripts and tests.

A reader page is a Markdown file that MkDocs builds (it skips names starting with a
dot, a top-level templates/ folder and anything in mkdocs.yml `exclude_docs`) and that
extra.front_matter_exempt does not list. Every reader page needs the front matter in
docs/contribute/page-conventions.md.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import pathspec
import yaml
from mkdocs.utils.meta import YAML_RE

from . import yamlio
from .render import site_file_url

# MkDocs' own exclusions (mkdocs.structure.files): hidden files and /templates/.
MKDOCS_EXCLUDED = pathspec.gitignore.GitIgnoreSpec.from_lines([".*", "/templates/"])


@dataclass(frozen=True)
class FrontMatterError:
    """Why a front matter block is not valid YAML, at a line of the page's FILE."""

    line: int
    problem: str


@dataclass(frozen=True)
class PageText:
    """A page's text split into its front matter block and its body."""

    meta_text: Optional[str]  # the lines inside the block; None when there is no block
    meta_first_line: int  # the file's line number of the first line inside the block
    body: list[tuple[int, str]]  # (line number in the file, text) for every line after it
    data: Any = None  # the block as YAML reads it (None: no block, empty, or not YAML)
    error: Optional[FrontMatterError] = None

    @property
    def meta(self) -> dict:
        """The front matter fields; {} when there are none or the block is broken."""
        return self.data if isinstance(self.data, dict) else {}

    @property
    def body_text(self) -> str:
        return "\n".join(text for _, text in self.body)


def split_page(text: str) -> PageText:
    """The one front matter reader. The block is found with MkDocs' own pattern
    (`mkdocs.utils.meta.YAML_RE`: a `---` line at the very top, closed by a `---` or
    `...` line), so a page has front matter here exactly when MkDocs sees it; a YAML
    error is located at the line of the file (not of the block)."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    match = YAML_RE.match(text)
    if match is None:
        return PageText(None, 1, [(n + 1, line) for n, line in enumerate(lines)])
    meta_text = match.group(1).removesuffix("\n")
    close = 1 + len(match.group(1).splitlines())  # index of the closing line in `lines`
    body = [(n + 1, lines[n]) for n in range(close + 1, len(lines))]
    try:
        return PageText(meta_text, 2, body, yamlio.load(meta_text))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
        return PageText(meta_text, 2, body, None,
                        FrontMatterError(2 + mark.line if mark else 1, problem))


_front_matter_cache: dict[Path, tuple[int, dict]] = {}


def read_front_matter(path: Path) -> dict:
    """A page's front matter fields (split_page); {} when there is none or it is broken
    (the build's front matter check reports broken blocks). Cached by modification
    time, so a page edited during `mkdocs serve` is read again."""
    path = Path(path)
    stamp = path.stat().st_mtime_ns
    cached = _front_matter_cache.get(path)
    if cached is None or cached[0] != stamp:
        cached = _front_matter_cache[path] = (stamp, split_page(path.read_text(encoding="utf-8")).meta)
    return dict(cached[1])


@dataclass(frozen=True)
class Page:
    src: str  # path under docs/, such as "structure/mou.md"
    path: Path

    @property
    def meta(self) -> dict:
        return read_front_matter(self.path)

    @property
    def title(self) -> str:
        """The front matter title, or the file name when there is none."""
        return str(self.meta.get("title") or self.path.name)

    @property
    def lang(self) -> str:
        """The language the page is written in (front matter `lang`), English by default."""
        return str(self.meta.get("lang") or "en")

    @property
    def url(self) -> str:
        """The page's address in the site, relative to its root ('structure/mou/')."""
        return site_file_url(self.src)


def page_title(path: Path) -> str:
    return Page(path.name, path).title


def is_exempt(src_uri: str, patterns: Iterable[str]) -> bool:
    """Listed (as a path or pattern under docs/) in extra.front_matter_exempt."""
    return any(fnmatch.fnmatch(src_uri, pattern) for pattern in patterns)


def is_built(src_uri: str, exclude_docs: Optional[Any] = None) -> bool:
    """MkDocs builds this file (exclude_docs: the config's PathSpec, if any)."""
    if MKDOCS_EXCLUDED.match_file(src_uri):
        return False
    return not (exclude_docs is not None and exclude_docs.match_file(src_uri))


def is_reader_page(src_uri: str, exempt: Iterable[str] = (),
                   exclude_docs: Optional[Any] = None) -> bool:
    return (src_uri.endswith(".md") and is_built(src_uri, exclude_docs)
            and not is_exempt(src_uri, exempt))


def reader_pages(docs_dir: Path, exempt: Iterable[str] = (),
                 exclude_docs: Optional[Any] = None) -> list[Page]:
    """Every reader page under docs_dir, sorted by path."""
    exempt = list(exempt)
    found = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        src = path.relative_to(docs_dir).as_posix()
        if is_reader_page(src, exempt, exclude_docs):
            found.append(Page(src, path))
    return found


def walk_nav(items: Any, titles: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """(section titles, page source) for every page in a nav, in order. Takes the `nav`
    of mkdocs.yml (strings and {title: page-or-list} mappings) or MkDocs' nav objects
    (Section and Page, as plugins see them); links to other sites are skipped."""
    for item in items or []:
        if hasattr(item, "is_page"):  # mkdocs.structure: Section, Page or Link
            if item.is_page:
                yield titles, item.file.src_uri
            elif item.is_section:
                yield from walk_nav(item.children, (*titles, item.title))
            continue
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            yield from walk_nav(value, (*titles, title) if title else titles)
        elif isinstance(value, str) and "://" not in value:
            yield titles, value


def nav_files(nav: Any) -> list[str]:
    """Every Markdown path in a nav, in nav order."""
    return [src for _, src in walk_nav(nav) if src.endswith(".md")]
