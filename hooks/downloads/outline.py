"""Nested bookmarks for the whole-guide PDF. Chromium makes one bookmark per heading, so
print-site's chapter headings and the pages under them all land at the top level. This
moves each page's bookmark (with the page's own headings under it) under its chapter,
following the nav of mkdocs.yml, and keeps the rest of the file (tags, links) as it is.
Chromium also drops the space where a long heading wrapped ("indicators andresponse");
the bookmark takes the heading's text from the printed page instead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from pypdf.generic import (ArrayObject, DictionaryObject, Fit, IndirectObject, NameObject,
                           NumberObject, TextStringObject)

from macros.pages import walk_nav

from .update import PdfUpdate


def _key(title: str) -> str:
    return re.sub(r"\s+", "", title)


@dataclass
class Mark:
    title: str
    page: int
    fit: Fit
    children: list["Mark"] = field(default_factory=list)


def chapter_openings(nav: Iterable) -> list[tuple[int, str]]:
    """(depth, title) of each nav section where it opens, in reading order."""
    openings: list[tuple[int, str]] = []
    previous: tuple[str, ...] = ()
    for titles, _src in walk_nav(nav):
        same = 0
        while same < min(len(previous), len(titles)) and previous[same] == titles[same]:
            same += 1
        openings += [(depth, titles[depth]) for depth in range(same, len(titles))]
        previous = titles
    return openings


class _Headings(HTMLParser):
    """The text of every h1–h6 on a page, without its permalink sign; and on print-site's
    page, each printed page's title with its depth in the nav (print-site numbers the
    pages by the nav: "4.8" is a page of chapter 4, "4.7.2" a page of its sub-section 7)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.pages: list[tuple[str, int]] = []
        self._depth = 0  # > 0 inside a heading
        self._skip = 0   # > 0 inside its permalink
        self._parts: list[str] = []
        self._page_depth: int | None = None  # of a page whose title comes next

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "section" and "print-page" in classes and "md-section" not in classes \
                and attributes.get("data-heading-number"):  # a page, not a chapter's title
            self._page_depth = attributes["data-heading-number"].count(".")
        elif re.fullmatch(r"h[1-6]", tag):
            self._depth, self._parts = 1, []
        elif self._depth and tag == "a" and "headerlink" in (dict(attrs).get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if self._depth and re.fullmatch(r"h[1-6]", tag):
            self.texts.append(re.sub(r"\s+", " ", "".join(self._parts)).strip())
            if tag == "h1" and self._page_depth is not None:
                self.pages.append((self.texts[-1], self._page_depth))
                self._page_depth = None
            self._depth = 0
        elif self._skip and tag == "a":
            self._skip -= 1

    def handle_data(self, data):
        if self._depth and not self._skip:
            self._parts.append(data)


def heading_texts(html_file: Path) -> dict[str, str]:
    return {_key(text): text for text in _parse(html_file).texts if text}


def printed_pages(html_file: Path) -> list[tuple[str, int]]:
    """(title, depth) of each page on print-site's page, in print order: depth 0 for a
    page outside any chapter (Home), 1 for a chapter's page, 2 in a sub-section."""
    return _parse(html_file).pages


def _parse(html_file: Path) -> _Headings:
    parser = _Headings()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser


def _read(items, pages: dict[int, int], names: dict[str, str]) -> list[Mark]:
    marks: list[Mark] = []
    for item in items:
        if isinstance(item, list):
            if marks:
                marks[-1].children += _read(item, pages, names)
            continue
        title = names.get(_key(item.title), item.title)
        fit = Fit.xyz(item.left, item.top, item.zoom) if item.typ == "/XYZ" else Fit.fit()
        marks.append(Mark(title, pages[item.page.idnum], fit))
    return marks


def nest(marks: list[Mark], openings: list[tuple[int, str]],
         pages: Iterable[tuple[str, int]] = ()) -> list[Mark]:
    """Top-level bookmarks in print order -> chapters with their pages under them. A
    bookmark is a chapter when its title is the next section the nav opens (sections
    left out of the print, such as Contribute, are passed over). A page goes at its own
    depth (`pages`: (title, depth) in print order, from printed_pages): a page that
    follows a sub-section in the nav closes the sub-section instead of landing in it."""
    root: list[Mark] = []
    stack: list[tuple[int, list[Mark]]] = [(-1, root)]
    upcoming = 0
    pages, next_page = list(pages), 0
    for mark in marks:
        found = next((i for i in range(upcoming, len(openings))
                      if _key(openings[i][1]) == _key(mark.title)), None)
        if found is None:
            page = next((i for i in range(next_page, len(pages))
                         if _key(pages[i][0]) == _key(mark.title)), None)
            if page is not None:
                next_page = page + 1
                while stack[-1][0] >= pages[page][1]:
                    stack.pop()
            stack[-1][1].append(mark)
            continue
        depth, upcoming = openings[found][0], found + 1
        while stack[-1][0] >= depth:
            stack.pop()
        stack[-1][1].append(mark)
        stack.append((depth, mark.children))
    return root


def _write(update: PdfUpdate, marks: list[Mark], parent: IndirectObject,
           pages: list[IndirectObject]) -> tuple[IndirectObject, IndirectObject]:
    """One level of the outline (ISO 32000-1, 12.3.3), every item closed; returns the
    first and last item."""
    items = [DictionaryObject() for _ in marks]
    refs = [update.add(item) for item in items]
    for i, (mark, item) in enumerate(zip(marks, items)):
        item[NameObject("/Title")] = TextStringObject(mark.title)
        item[NameObject("/Parent")] = parent
        item[NameObject("/Dest")] = ArrayObject([pages[mark.page], mark.fit.fit_type,
                                                 *mark.fit.fit_args])
        if i:
            item[NameObject("/Prev")] = refs[i - 1]
        if i + 1 < len(refs):
            item[NameObject("/Next")] = refs[i + 1]
        if mark.children:
            first, last = _write(update, mark.children, refs[i], pages)
            item[NameObject("/First")], item[NameObject("/Last")] = first, last
            item[NameObject("/Count")] = NumberObject(-len(mark.children))  # closed
    return refs[0], refs[-1]


def replace_outline(update: PdfUpdate, tree: list[Mark]) -> None:
    """The file's bookmarks become `tree` (Mark.page: a page index), every item closed."""
    if not tree:
        update.root.pop(NameObject("/Outlines"), None)
        return
    page_refs = [page.indirect_reference for page in update.reader.pages]
    outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    ref = update.add(outlines)
    first, last = _write(update, tree, ref, page_refs)
    outlines[NameObject("/First")], outlines[NameObject("/Last")] = first, last
    outlines[NameObject("/Count")] = NumberObject(len(tree))  # the top level shows
    update.root[NameObject("/Outlines")] = ref


def nest_into(update: PdfUpdate, nav: Iterable, printed_page: Path) -> int:
    """Replace the bookmarks of the file `update` changes with the nested ones. Returns
    the number of chapters found."""
    reader = update.reader
    # Page objects by number (pypdf's own lookup walks every page for each bookmark).
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    parsed = _parse(printed_page)
    marks = _read(reader.outline, pages, {_key(t): t for t in parsed.texts if t})
    openings = chapter_openings(nav)
    replace_outline(update, nest(marks, openings, parsed.pages))
    return sum(1 for mark in marks if any(_key(t) == _key(mark.title) for _, t in openings))
