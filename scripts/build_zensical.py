"""Build the guide with Zensical, next to (never instead of) the MkDocs build.

    .venv-zensical/bin/python scripts/build_zensical.py [--out build/zensical]

Run by `make build-zensical` in its own virtual environment (requirements-zensical.txt).
Writes, under --out, the same layout as `scripts/build.py --out DIR`, so the browser
tests can run against either output (EGUIDE_REUSE_BUILD=DIR):

    site/        the online site            offline/   the offline build
    dist/...zip  the offline bundle         downloads/ empty: see below
    timings.json how long each build took, for the parity report and performance page

The configuration is generated from mkdocs.yml (scripts/zensical_config.py). What the
Zensical build goes without (print-site, git dates, MkDocs hooks, so no whole-guide PDF,
no .docx downloads, no staff forms) is listed by that script and in the parity report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# scripts/ is this script's own folder; the Makefile puts the project on PYTHONPATH (this
# runs in the Zensical environment, where the project is not installed).

import build  # noqa: E402  (scripts/build.py: the same layout, zip and note)
import zensical_config  # noqa: E402


class ZensicalError(RuntimeError):
    pass


def zensical_build(site_dir: Path, *, offline: bool, root: Path = ROOT,
                   source: Path | None = None) -> float:
    """One clean Zensical build into site_dir of the project at root (its mkdocs.yml, or
    the MkDocs configuration `source`); returns the seconds it took."""
    env = dict(os.environ, OFFLINE="true" if offline else "false",
               PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    rel_site = os.path.relpath(site_dir, root)
    # Generated next to mkdocs.yml (Zensical reads paths relative to its configuration);
    # one file per output folder, so two builds at once never share one.
    tag = ("" if rel_site in ("build/zensical/site", "build/zensical/offline")
           else "-" + hashlib.sha1(rel_site.encode()).hexdigest()[:8])
    config = root / f"mkdocs.zensical{tag}{'.offline' if offline else ''}.yml"
    source = source or root / "mkdocs.yml"
    subprocess.run([sys.executable, str(ROOT / "scripts/zensical_config.py"), "--config", str(source),
                    "--out", str(config), "--site", rel_site], check=True, env=env, cwd=root)
    zensical = Path(sys.executable).with_name("zensical")
    shutil.rmtree(site_dir, ignore_errors=True)
    start = time.perf_counter()
    # --clean: no cache from an earlier build, so the time is a full build's.
    result = subprocess.run([str(zensical), "build", "--clean", "-f", str(config)], env=env,
                            cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0 or not (site_dir / "index.html").is_file():
        raise ZensicalError(f"zensical build ({'offline' if offline else 'online'}) failed "
                            f"with exit code {result.returncode}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build/zensical")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project to build")
    parser.add_argument("--config", type=Path, help="its MkDocs configuration (default: "
                        "mkdocs.yml there; scripts/bench_engines.py passes a synthetic one)")
    parser.add_argument("--online-only", action="store_true", help="no offline build or zip")
    args = parser.parse_args(argv)
    if not args.out.resolve().is_relative_to(args.root.resolve()):
        print(f"build-zensical: --out {args.out} must be inside {args.root} (Zensical writes "
              "only inside the project folder)", file=sys.stderr)
        return 2
    out = build.outputs_under(args.out.resolve())
    built = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        online = zensical_build(out.site, offline=False, root=args.root.resolve(),
                                source=args.config)
        if args.online_only:
            (args.out / "timings.json").parent.mkdir(parents=True, exist_ok=True)
            (args.out / "timings.json").write_text(json.dumps(
                {"online_seconds": round(online, 2),
                 "pages": len(list(out.site.rglob("*.html")))}) + "\n", encoding="utf-8")
            return 0
        offline = zensical_build(out.offline, offline=True, root=args.root.resolve(),
                                 source=args.config)
    except (ZensicalError, subprocess.CalledProcessError) as error:
        print(f"build-zensical: {error}", file=sys.stderr)
        return 1
    build.make_zip(out.offline, out.zip, built)
    out.downloads.mkdir(parents=True, exist_ok=True)
    timings = {"online_seconds": round(online, 2), "offline_seconds": round(offline, 2),
               "built": built, "pages": len(list(out.site.rglob("*.html")))}
    (args.out / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print(f"Zensical: online {online:.1f} s, offline {offline:.1f} s, "
          f"{timings['pages']} HTML files in {out.site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
