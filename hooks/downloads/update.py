"""An incremental update of a PDF (ISO 32000-1, 7.5.6), written by hand.

The whole-guide PDF is finished after Chromium prints it: nested bookmarks (outline.py)
and page numbers in its contents list (contents.py). Both change a handful of objects
and add a few thousand small ones. The printed file stays byte for byte as it is and the
changed and new objects follow it, with their own cross-reference section whose trailer
points back to the printed one (`/Prev`).

pypdf's own incremental writer first copies every object of the file (about 70,000 for
the guide) into the writer, which took about 20 s of every full build (issue 17). Here
pypdf only reads the file and writes each changed or new object.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, PdfObject

from macros.manifest import DownloadError

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class PdfUpdate:
    """Changed objects (`replace`) and new ones (`add`) for one file, then `write`."""

    def __init__(self, pdf: Path) -> None:
        self.pdf = pdf
        self.original = pdf.read_bytes()
        found = _STARTXREF.search(self.original[-1024:])
        if found is None:
            raise DownloadError(f"{pdf.name}: no startxref at the end of the file, so it "
                                "cannot be updated in place")
        self.previous_xref = int(found.group(1))
        self.reader = PdfReader(BytesIO(self.original))
        self.next_id = int(self.reader.trailer["/Size"])
        self.objects: dict[int, tuple[int, PdfObject]] = {}
        # The document catalog, always written (the new trailer names it).
        self.root: DictionaryObject = self.replace(self.reader.trailer.raw_get("/Root"))

    def add(self, obj: PdfObject) -> IndirectObject:
        """A new object; returns the reference to write into other objects."""
        ref = IndirectObject(self.next_id, 0, self.reader)
        self.objects[ref.idnum] = (0, obj)
        self.next_id += 1
        return ref

    def replace(self, ref: IndirectObject, obj: PdfObject | None = None) -> PdfObject:
        """Mark an object of the file as changed (its new value, or the object read,
        to be changed in place); returns it."""
        obj = ref.get_object() if obj is None else obj
        self.objects[ref.idnum] = (ref.generation, obj)
        return obj

    def bytes(self) -> bytes:
        out = BytesIO()
        out.write(self.original)
        if not self.original.endswith(b"\n"):
            out.write(b"\n")
        offsets: dict[int, tuple[int, int]] = {}
        for idnum in sorted(self.objects):
            generation, obj = self.objects[idnum]
            offsets[idnum] = (out.tell(), generation)
            out.write(f"{idnum} {generation} obj\n".encode("ascii"))
            obj.write_to_stream(out)
            out.write(b"\nendobj\n")
        xref = out.tell()
        # Object 0 heads the list of free objects, as in the printed file's section (none
        # is free); readers such as pypdf expect each section to start with it.
        out.write(b"xref\n0 1\n0000000000 65535 f \n")
        for first, ids in _runs(sorted(offsets)):
            out.write(f"{first} {len(ids)}\n".encode("ascii"))
            for idnum in ids:
                offset, generation = offsets[idnum]
                out.write(f"{offset:010d} {generation:05d} n \n".encode("ascii"))
        trailer = DictionaryObject({
            NameObject("/Size"): NumberObject(self.next_id),
            NameObject("/Root"): self.reader.trailer.raw_get("/Root"),
            NameObject("/Prev"): NumberObject(self.previous_xref),
        })
        for name in ("/Info", "/ID"):
            if name in self.reader.trailer:
                trailer[NameObject(name)] = self.reader.trailer.raw_get(name)
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode("ascii"))
        return out.getvalue()

    def write(self) -> None:
        """Replace the file (written whole next to it, then renamed)."""
        partial = self.pdf.with_suffix(".update.pdf")
        partial.write_bytes(self.bytes())
        partial.replace(self.pdf)


def _runs(ids: list[int]):
    """Consecutive object numbers grouped: the subsections of a cross-reference section."""
    group: list[int] = []
    for idnum in ids:
        if group and idnum != group[-1] + 1:
            yield group[0], group
            group = []
        group.append(idnum)
    if group:
        yield group[0], group


__all__ = ["PdfUpdate"]
