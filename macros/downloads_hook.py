"""MkDocs hook (mkdocs.yml `hooks:`): put the files scripts/build.py made into the
site under downloads/, so the Downloads page links to real files and MkDocs checks
those links like any other.

The build names the folder in the EGUIDE_DOWNLOADS environment variable; the folder's
manifest.json lists the files (see macros/downloads.py). Without the variable, as under
`mkdocs serve`, nothing is added and the Downloads page says the files are not built yet.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from mkdocs.structure.files import File, Files

ENV_DIR = "EGUIDE_DOWNLOADS"  # same as macros.downloads.ENV_DIR
URL_DIR = "downloads"
log = logging.getLogger("mkdocs.hooks.downloads")


def on_files(files: Files, config, **kwargs) -> Files:
    folder = os.environ.get(ENV_DIR)
    if not folder:
        return files
    manifest_path = Path(folder) / "manifest.json"
    if not manifest_path.is_file():
        log.info("No downloads in %s yet: the Downloads page says so.", folder)
        return files
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entries = [(Path(folder) / f["name"], f["name"]) for f in manifest.get("files", [])]
    bundle = manifest.get("bundle")
    if bundle:
        entries.append((Path(bundle["path"]), bundle["name"]))
    for path, name in entries:
        if not path.is_file():
            raise FileNotFoundError(f"{manifest_path} lists {name}, but {path} is missing")
        files.append(File.generated(config, f"{URL_DIR}/{name}", abs_src_path=str(path)))
    return files
