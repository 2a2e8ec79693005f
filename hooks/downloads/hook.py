"""MkDocs hook (mkdocs.yml `hooks:`) for the downloads.

- on_files: the files scripts/build.py made (named in the manifest of the folder in
  EGUIDE_DOWNLOADS) are added to the site under downloads/, so the pages link to real
  files and MkDocs checks those links like any other. Without the variable, as under
  `mkdocs serve`, nothing is added and the pages say the files are not built yet.
- on_page_markdown (after the macros ran): every `kind: template` page gets its
  download line under its title, in the page's language.

MkDocs loads this file by path, not as part of the package, so the modules are imported
inside each event: by then the macros plugin has put the project folder on sys.path.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.hooks.downloads")


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    from macros.downloads import URL_DIR, current_manifest, downloads_dir
    from macros.manifest import MANIFEST

    folder = downloads_dir()
    if folder is None:
        return files
    manifest = current_manifest()
    if manifest is None:
        log.info("No downloads in %s yet: the pages say so.", folder)
        return files
    entries = [(folder / f.name, f.name) for f in manifest.files]
    if manifest.bundle:
        from pathlib import Path

        entries.append((Path(manifest.bundle.path), manifest.bundle.name))
    for path, name in entries:
        if not path.is_file():
            raise FileNotFoundError(f"{folder / MANIFEST} lists {name}, but {path} is missing")
        files.append(File.generated(config, f"{URL_DIR}/{name}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    from macros.downloads import add_template_downloads, current_manifest, is_template

    meta = page.meta or {}
    if not is_template(meta):
        return markdown
    return add_template_downloads(markdown, current_manifest(), page_src=page.file.src_uri,
                                  title=str(meta.get("title") or page.title),
                                  lang=str(meta.get("lang") or "en"))
