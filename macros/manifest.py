"""manifest.json: what the build made, written and read through one typed model.

`scripts/build.py` writes it into the downloads folder (EGUIDE_DOWNLOADS) and every
reader (the hook that adds the files to the site, the download lines, the Downloads
page, the tests) reads it back through `read_manifest`, so a hand-edited or stale file
fails with the file, the entry and the field named instead of a KeyError in a page.

Schema (JSON):

    {
      "built": "2026-11-30 05:00 UTC",      # when the build ran (UTC), shown on pages
      "pdf_note": null,                      # why there is no PDF, when Chromium was missing
      "files": [                             # every file under downloads/ in the site
        {"name": "mou-template.docx",        # file name, no folder: letters, digits, . _ -
         "size": 19161,                      # bytes, measured from the file
         "sha256": "…64 hex digits…",        # measured from the file
         "kind": "template-docx",            # template-docx | handout-pdf | guide-pdf
         "source": "structure/mou-template.md",  # page under docs/ (null for guide-pdf)
         "title": "MOU template"}            # the page's title
      ],
      "bundle": {                            # the offline zip, once it exists (else null)
        "name": "task-force-eguide-offline.zip", "size": 1, "sha256": "…",
        "kind": "offline-bundle", "path": "/abs/path/to/the.zip"}
    }
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MANIFEST = "manifest.json"

FileKind = Literal["template-docx", "handout-pdf", "guide-pdf"]


class DownloadError(RuntimeError):
    """A download could not be made or read; the message names the page or file."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DownloadFile(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: FileKind
    source: Optional[str] = None
    title: str = Field(min_length=1)

    @model_validator(mode="after")
    def _source_for_pages(self) -> "DownloadFile":
        if self.kind != "guide-pdf" and not (self.source or "").endswith(".md"):
            raise ValueError(f"a {self.kind} needs `source`, the page under docs/ it was made from")
        return self


class Bundle(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: Literal["offline-bundle"] = "offline-bundle"
    path: str  # absolute: the zip sits outside the downloads folder


class Manifest(_Strict):
    built: str = Field(min_length=1)
    files: list[DownloadFile] = []
    pdf_note: Optional[str] = None
    bundle: Optional[Bundle] = None

    @model_validator(mode="after")
    def _unique_names(self) -> "Manifest":
        names = [f.name for f in self.files]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"the file name {twice[0]!r} is listed twice")
        return self

    def of_kind(self, kind: str) -> list[DownloadFile]:
        return [f for f in self.files if f.kind == kind]

    def for_page(self, kind: str, source: str) -> Optional[DownloadFile]:
        return next((f for f in self.files if f.kind == kind and f.source == source), None)

    @property
    def guide_pdf(self) -> Optional[DownloadFile]:
        return next(iter(self.of_kind("guide-pdf")), None)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_file(path: Path, *, kind: str, title: str, source: Optional[str] = None) -> DownloadFile:
    """A manifest entry for a file the build made: size and SHA-256 measured from it."""
    return DownloadFile(name=path.name, size=path.stat().st_size, sha256=sha256_of(path),
                        kind=kind, source=source, title=title)


def describe_bundle(path: Path) -> Bundle:
    return Bundle(name=path.name, size=path.stat().st_size, sha256=sha256_of(path),
                  path=str(path.resolve()))


def write_manifest(directory: Path, manifest: Manifest) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MANIFEST
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def read_manifest(directory: Optional[Path]) -> Optional[Manifest]:
    """The manifest in `directory`, or None when there is none (nothing built yet).
    A manifest that does not fit the schema raises DownloadError naming the file, the
    entry and the field."""
    if directory is None or not (directory / MANIFEST).is_file():
        return None
    path = directory / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DownloadError(f"{path}: not valid JSON ({error})") from None
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            where = _where(loc)
            if len(loc) >= 2 and loc[0] in ("files",) and isinstance(loc[1], int):
                entry = raw["files"][loc[1]] if isinstance(raw.get("files"), list) else {}
                name = entry.get("name", "?") if isinstance(entry, dict) else "?"
                field = _where(loc[2:]) if len(loc) > 2 else ""
                where = f"{_where(loc[:2])} ({name})" + (f", field {field}" if field else "")
            problems.append(f"{where}: {item['msg']}")
        raise DownloadError(f"{path}: " + "; ".join(problems)
                            + ". Rebuild the downloads with `make build`.") from None
