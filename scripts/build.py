"""Build the online site and the offline bundle.

    python scripts/build.py            # site/ and dist/task-force-eguide-offline.zip
    python scripts/build.py --out DIR  # everything under DIR (tests use this)

Both builds are strict: a broken link, anchor, data file or macro call stops the
build with a message, and nothing is written to the final locations.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_NAME = "task-force-eguide"
ZIP_NAME = "task-force-eguide-offline.zip"
SHIM = ROOT / "overrides/assets/vendor/iframe-worker-shim.js"

OPEN_NOTE = """\
Task Force e-Guide — offline copy
=================================

This folder is the whole guide. It works without an internet connection,
search included.

To open it:
  1. Unzip the download (on Windows: right-click, "Extract All"; on a Mac:
     double-click it). Keep every file in this folder together.
  2. Open index.html in this folder with your web browser (double-click it).

On a phone, unzip it with the phone's Files app, then open index.html.
Links to other websites need a connection; everything in the guide does not.

Built: {built}
"""


# What a copy of the project needs to build strictly (tests' project copies, the bench's
# synthetic guides): the strict build runs the editor checks (hooks/editor_checks.py runs
# scripts/check.py), which read the linters' settings in the files listed.
SOURCE_FOLDERS = ("docs", "overrides", "macros", "data", "scripts", "hooks")
SOURCE_FILES = ("mkdocs.yml", "mkdocs.preview.yml", "pyproject.toml", ".pymarkdown.json",
                ".codespell-words.txt")


def copy_sources(target: Path) -> Path:
    """A copy of the project sources under target (which may exist)."""
    for name in SOURCE_FOLDERS:
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in SOURCE_FILES:
        shutil.copy(ROOT / name, target / name)
    return target


class BuildError(RuntimeError):
    """A build step failed; the message says which and why."""


@dataclass(frozen=True)
class Outputs:
    site: Path
    offline: Path
    zip: Path
    downloads: Path  # .docx templates, the whole-guide PDF and manifest.json


def outputs_under(base: Path | None) -> Outputs:
    if base is None:
        return Outputs(ROOT / "site", ROOT / "build/offline", ROOT / "dist" / ZIP_NAME,
                       ROOT / "build/downloads")
    return Outputs(base / "site", base / "offline", base / "dist" / ZIP_NAME, base / "downloads")


def mkdocs_build(site_dir: Path, *, offline: bool, config: Path | None = None,
                 downloads: Path | None = None, checked: bool = False) -> None:
    """Run a strict MkDocs build into site_dir (into a temporary folder first).
    checked: the editor checks (hooks/editor_checks.py) passed on these same files in
    an earlier build of this run, so this build does not repeat them."""
    if not SHIM.is_file():
        raise BuildError(
            f"{SHIM.relative_to(ROOT)} is missing: run `make build` (it copies the "
            "pinned iframe-worker shim from node_modules)."
        )
    env = dict(os.environ, OFFLINE="true" if offline else "false")
    if downloads is not None:  # hooks/downloads/hook.py adds these files to the site
        env["EGUIDE_DOWNLOADS"] = str(downloads)
    if checked:
        env["EGUIDE_CHECKED"] = "1"
    staging = site_dir.with_name(site_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)]
    config = config or ROOT / "mkdocs.yml"
    cmd += ["--config-file", str(config)]
    result = subprocess.run(cmd, cwd=config.parent, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        variant = "offline" if offline else "online"
        raise BuildError(f"The {variant} build failed:\n{result.stderr}{result.stdout}")
    shutil.rmtree(site_dir, ignore_errors=True)
    staging.rename(site_dir)


# Files of the offline build no reader of the zip uses: source maps (for debugging the
# theme's scripts) and lunr's word segmenters for Thai and Japanese (the guide's search
# is English; the Spanish handouts are searched through it). About 0.8 MB of the zip.
ZIP_LEAVES_OUT = ("*.map", "assets/javascripts/lunr/wordcut.js", "assets/javascripts/lunr/tinyseg.js")


def _left_out_of_zip(rel: Path) -> bool:
    return any(rel.match(pattern) for pattern in ZIP_LEAVES_OUT)


def make_zip(offline_dir: Path, zip_path: Path, built: str) -> None:
    """Zip the offline build as one folder with index.html and a how-to-open note."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_suffix(".partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(f"{BUNDLE_NAME}/HOW-TO-OPEN.txt", OPEN_NOTE.format(built=built))
        for path in sorted(offline_dir.rglob("*")):
            if path.is_file() and not _left_out_of_zip(path.relative_to(offline_dir)):
                zf.write(path, f"{BUNDLE_NAME}/{path.relative_to(offline_dir).as_posix()}")
    tmp.replace(zip_path)


def build_all(base: Path | None = None) -> Outputs:
    """The sites, then the downloads made from them, then the sites that offer them
    (hooks/downloads/): a first online build → Word files from its template pages and
    PDFs (whole guide, Spanish handouts) printed from its pages → offline build + zip,
    carrying them → final online build, which also offers the zip with its size and
    checksum."""
    from datetime import datetime, timezone
    from time import perf_counter

    from hooks import downloads

    out = outputs_under(base)
    built = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    start = step = perf_counter()

    def done(what: str) -> None:
        nonlocal step
        print(f"  {what}: {perf_counter() - step:.1f} s", flush=True)
        step = perf_counter()

    shutil.rmtree(out.downloads, ignore_errors=True)
    out.downloads.mkdir(parents=True)
    mkdocs_build(out.site, offline=False, downloads=out.downloads)
    done("first online build")
    try:
        manifest = downloads.make_downloads(out.site, out.downloads, built)
    except downloads.DownloadError as error:
        raise BuildError(f"Downloads: {error}") from None
    except Exception as error:  # Chromium is there but could not print: say so, stop
        raise BuildError(f"The downloads failed: {error!r}") from None
    downloads.write_manifest(out.downloads, manifest)
    kinds = [f.kind for f in manifest.files]
    done(f"{kinds.count('template-docx')} Word files and {len(kinds) - kinds.count('template-docx')} PDFs"
         + (f" ({manifest.pdf_note})" if manifest.pdf_note else ""))
    # The first build ran the editor checks on these files; the next two do not repeat them.
    mkdocs_build(out.offline, offline=True, downloads=out.downloads, checked=True)
    make_zip(out.offline, out.zip, built)
    done("offline build and zip")
    manifest = manifest.model_copy(update={"bundle": downloads.describe_bundle(out.zip)})
    downloads.write_manifest(out.downloads, manifest)
    mkdocs_build(out.site, offline=False, downloads=out.downloads, checked=True)
    done("online build")
    print(f"  total: {perf_counter() - start:.1f} s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="put every output under this folder")
    args = parser.parse_args(argv)
    try:
        out = build_all(args.out)
    except BuildError as err:
        print(err, file=sys.stderr)
        return 1
    size = out.zip.stat().st_size / 1_000_000
    print(f"Online site:    {out.site}")
    print(f"Offline bundle: {out.zip} ({size:.1f} MB)")
    print(f"Downloads:      {out.downloads} (templates, PDF, manifest.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
