"""Build time of MkDocs and Zensical side by side: the real guide and a synthetic copy
grown to about 1,000 pages (scripts/bench.py's). Writes the "Both engines" section of
docs/contribute/performance.md (`make bench` keeps that section as it is).

    .venv/bin/python scripts/bench_engines.py [--sizes 1000] [--runs 1] [--no-write]
        [--zensical-python .venv-zensical/bin/python]

Each number is one clean online build (no cache) in a child process, one engine after
the other on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

# This checkout's scripts and macros first (not an installed copy of another checkout).
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

import bench  # noqa: E402  (scripts/bench.py)

from macros.project import ROOT, load_project  # noqa: E402

START, END = "<!-- engines:start -->", "<!-- engines:end -->"


def zensical_seconds(python: Path, root: Path, config: Path, out: Path) -> tuple[float, int]:
    subprocess.run([str(python), str(ROOT / "scripts/build_zensical.py"), "--root", str(root),
                    "--config", str(config), "--out", str(out), "--online-only"],
                   check=True, stdout=subprocess.DEVNULL)
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    return timings["online_seconds"], timings["pages"]


def measure(python: Path, root: Path, config: Path, work: Path, runs: int) -> dict:
    mk, zs = [], []
    for run in range(runs):
        mk.append(bench.timed_build(config, work / f"mk-{run}")[0])
        # Zensical writes only inside the project folder.
        zs.append(zensical_seconds(python, root, config, root / "build/bench-zensical" / str(run))[0])
    return {"pages": len(load_project(config).reader_pages()),
            "mkdocs": statistics.median(mk), "zensical": statistics.median(zs)}


def section(rows: list[dict], runs: int) -> str:
    lines = [
        START,
        "",
        "## Both engines",
        "",
        f"Measured on {date.today().isoformat()} by `scripts/bench_engines.py`: one clean "
        f"online build{'s' if runs > 1 else ''} of each engine "
        f"({'median of ' + str(runs) if runs > 1 else 'one run'}), one after the other, "
        f"mkdocs 1.6.1 with mkdocs-material 9.8.1 and Zensical 0.0.73; "
        f"{os.cpu_count()} CPU cores ({platform.machine()}). The Zensical build leaves out "
        "print-site, the git dates and the MkDocs hooks "
        "([Moving to Zensical](moving-to-zensical.md)), so it does less work. Other work on "
        "a shared machine slows both engines: compare the ratio rather than the seconds.",
        "",
        "| Pages | MkDocs (s) | Zensical (s) | Zensical / MkDocs |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for i, row in enumerate(rows):
        name = f"{row['pages']} (real guide)" if i == 0 else f"{row['pages']} (synthetic)"
        lines.append(f"| {name} | {row['mkdocs']:.1f} | {row['zensical']:.1f} | "
                     f"{row['zensical'] / row['mkdocs']:.2f} |")
    return "\n".join(lines + ["", END])


def write(text: str) -> None:
    page = bench.REPORT.read_text(encoding="utf-8")
    if START in page:
        before, rest = page.split(START, 1)
        page = before + text + rest.split(END, 1)[1]
    else:
        page = page.replace("## How to read it", f"{text}\n\n## How to read it", 1)
    bench.REPORT.write_text(page, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--zensical-python", type=Path, default=ROOT / ".venv-zensical/bin/python")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eguide-engines-") as tmp:
        work = Path(tmp)
        rows = [measure(args.zensical_python, ROOT, ROOT / "mkdocs.yml", work / "real", args.runs)]
        for size in [int(s) for s in args.sizes.split(",") if s]:
            config = bench.synthetic_project(size, work)
            rows.append(measure(args.zensical_python, config.parent, config, work / f"s{size}",
                                args.runs))
    text = section(rows, args.runs)
    print(text)
    if not args.no_write:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
