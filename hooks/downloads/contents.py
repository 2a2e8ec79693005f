"""Page numbers in the whole-guide PDF's contents list, without printing it twice.

Chromium cannot fill in page numbers (no CSS target-counter()), but it makes every
contents entry a link whose destination names the page it lands on. So, after the one
print: for each link on the contents pages, look up the page its destination lands on
and write that number at the right-hand end of the entry's line, in the room the print
stylesheet keeps free there (print.css, `#print-page-toc`).

The numbers are what the PDF viewer and the page footer show: the cover is page 1.

The file is changed by an incremental update (update.py): the printed file stays as it
is, the contents pages get a font and a few more lines of page content appended.
The numbers are marked as artifacts, so the tag tree (what a screen reader reads) is
untouched: each entry still reads as its linked title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pypdf import PdfReader
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, IndirectObject,
                           NameObject)

from macros.manifest import DownloadError

from .update import PdfUpdate

FONT = "/EguidePageNumber"  # the resource name of Helvetica on the contents pages
DIGIT_WIDTH = 0.556         # every digit of Helvetica is 556/1000 em wide
# Where a number sits: its right edge this far inside the link's right edge (points).
INSET = 2.0


class ContentsError(DownloadError):
    """The contents list cannot be numbered; the message says why."""


@dataclass(frozen=True)
class Entry:
    page: int              # index of the contents page the entry is on
    rect: tuple[float, float, float, float]
    target: int            # index of the page the entry's link lands on
    baseline: float        # of the entry's last line of text
    size: float            # font size of the entry's text

    @property
    def number(self) -> str:
        return str(self.target + 1)


def _dest_page(annot, dests, page_index: dict[int, int]) -> Optional[int]:
    """The page index a link annotation goes to, or None (a web link, an unknown name)."""
    dest = annot.get("/Dest")
    if dest is None:
        action = annot.get("/A")
        action = action.get_object() if action is not None else None
        if action is None or action.get("/S") != "/GoTo":
            return None
        dest = action.get("/D")
    dest = dest.get_object() if hasattr(dest, "get_object") else dest
    if isinstance(dest, str):  # a named destination
        dest = dests.get(dest)
        dest = dest.get_object() if dest is not None else None
        if isinstance(dest, DictionaryObject):
            dest = dest.get("/D")
    if not dest:
        return None
    target = dest[0]
    return page_index.get(getattr(target, "idnum", None))


def _named_destinations(reader: PdfReader) -> dict:
    root = reader.trailer["/Root"]
    if "/Dests" in root:  # what Chromium writes: one dictionary
        return root["/Dests"].get_object()
    return {name: [d.page, d.typ] for name, d in reader.named_destinations.items()}


def _lines(page) -> list[tuple[float, float, float]]:
    """(x, baseline, font size) of each piece of text on a page, in page space."""
    found: list[tuple[float, float, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, size * abs(tm[3] * cm[3])))

    page.extract_text(visitor_text=visit)
    return found


def find_entries(reader: PdfReader) -> list[Entry]:
    """The contents entries: the links of the first pages that link within the file,
    from the first such page up to the page its first entry lands on."""
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    dests = _named_destinations(reader)

    def links(i):
        for ref in reader.pages[i].get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Link":
                target = _dest_page(annot, dests, page_index)
                if target is not None:
                    yield annot, target

    start = next((i for i in range(min(len(reader.pages), 5)) if any(links(i))), None)
    if start is None:
        raise ContentsError("no contents list: none of the first pages links within the file")
    end = min(target for _, target in links(start) if target > start)
    entries: list[Entry] = []
    for i in range(start, end):
        text = _lines(reader.pages[i])
        for annot, target in links(i):
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            inside = [(y, size) for x, y, size in text
                      if x0 - 1 <= x <= x1 and y0 - 1 <= y <= y1 + 1]
            if not inside:
                raise ContentsError(f"contents page {i + 1}: no text in the link at {annot['/Rect']}")
            baseline, size = min(inside)
            entries.append(Entry(i, (x0, y0, x1, y1), target, baseline, size))
    return entries


def _stamp(entries: list[Entry]) -> bytes:
    ops = ["/Artifact BMC", "q", "0 g", "BT"]
    for entry in entries:
        size = round(entry.size, 2)
        x = entry.rect[2] - INSET - len(entry.number) * DIGIT_WIDTH * size
        ops += [f"{FONT} {size} Tf", f"1 0 0 1 {x:.2f} {entry.baseline:.2f} Tm", f"({entry.number}) Tj"]
    ops += ["ET", "Q", "EMC"]
    return ("\n".join(ops) + "\n").encode("ascii")


def number_into(update: PdfUpdate) -> list[Entry]:
    """Write the page numbers into the contents list of the file `update` changes.
    Returns the entries numbered."""
    reader = update.reader
    entries = find_entries(reader)
    font = update.add(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    for index in sorted({entry.page for entry in entries}):
        page = reader.pages[index]
        update.replace(page.indirect_reference, page)
        resources = _changed(update, page, "/Resources")
        fonts = _changed(update, resources, "/Font")
        fonts[NameObject(FONT)] = font
        # The printed content may leave its coordinate system changed: save it first,
        # restore it before the numbers, which are written in page space.
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(b"Q\n" + _stamp([e for e in entries if e.page == index]))
        contents = page.raw_get("/Contents")
        parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
            else [contents]
        page[NameObject("/Contents")] = ArrayObject([update.add(before), *parts, update.add(after)])
    return entries


def _changed(update: PdfUpdate, parent: DictionaryObject, key: str) -> DictionaryObject:
    """parent[key], a dictionary to change: recorded in `update` when it is an object of
    its own, made when it is missing (parent is already recorded)."""
    value = parent.raw_get(key) if key in parent else None
    if value is None:
        value = parent[NameObject(key)] = DictionaryObject()
    elif isinstance(value, IndirectObject):
        value = update.replace(value)
    return value


__all__ = ["ContentsError", "Entry", "find_entries", "number_into"]
