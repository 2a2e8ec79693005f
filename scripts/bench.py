"""Measure the guide: build time as it grows, page and bundle sizes, first-view bytes
and search speed in Chromium. A report, not a test: it prints a Markdown table and
writes it into docs/contribute/performance.md.

    python scripts/bench.py                   # real guide + ~100, 500, 1,000 pages
    python scripts/bench.py --sizes 100 --runs 1 --no-write   # quick look
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from scripts import build
import yaml

from macros.project import ROOT, load_project

REPORT = ROOT / "docs/contribute/performance.md"
CHAPTERS = (
    "understanding", "identifying", "forming", "structure", "recruiting",
    "information-sharing", "supporting-victims", "building-cases", "training",
)
QUERIES = (
    "peonage", "memorandum", "safe harbor", "consent", "onboarding",
    "forensic interview", "encryption", "T visa", "labor", "roll-call training",
)


@dataclass
class BuildStats:
    pages: int
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    site_mb: float = 0.0
    page_median_kb: float = 0.0
    page_max_kb: float = 0.0
    index_kb: float = 0.0
    markdown_seconds: float = 0.0
    whole_guide_kb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed_build(config: Path, site_dir: Path) -> tuple[float, float]:
    """One strict online build in a child process: (seconds, peak resident MB)."""
    env = dict(os.environ, OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir),
           "--config-file", str(config)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=config.parent, env=env, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed for {config}:\n{proc.stderr.read()}")
    return seconds, usage.ru_maxrss / 1024


def markdown_floor(config: Path) -> float:
    """Seconds for Python-Markdown alone to convert the same pages with the same extensions."""
    import markdown

    from macros.pages import split_page

    project = load_project(config)
    cfg = project.config
    texts = [split_page(page.path.read_text(encoding="utf-8")).body_text for page in project.reader_pages()]
    start = time.perf_counter()
    for text in texts:
        md = markdown.Markdown(extensions=cfg["markdown_extensions"], extension_configs=cfg["mdx_configs"])
        md.convert(text)
    return time.perf_counter() - start


def yaml_parses(config: Path, site_dir: Path) -> tuple[Counter, int]:
    """Build the site in this process and count YAML parses: each data file (through
    macros.loader.read_yaml, the one place data files are parsed) and every YAML
    document of any kind (front matter and mkdocs.yml included)."""
    from mkdocs.commands.build import build as mkdocs_build

    from macros import loader

    data_files: Counter = Counter()
    documents = 0
    read_yaml, load = loader.read_yaml, yaml.load

    def counting_read_yaml(path, label):
        data_files[label] += 1
        return read_yaml(path, label)

    def counting_load(stream, Loader):
        nonlocal documents
        documents += 1
        return load(stream, Loader)

    loader._loaded.clear()  # as in a fresh `mkdocs build`
    loader.read_yaml, yaml.load = counting_read_yaml, counting_load
    try:
        mkdocs_build(load_project(config, site_dir=str(site_dir)).config)
    finally:
        loader.read_yaml, yaml.load = read_yaml, load
    return data_files, documents


def measure(config: Path, runs: int, work: Path) -> BuildStats:
    stats = BuildStats(pages=len(load_project(config).reader_pages()))
    site = work / "site"
    for _ in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        seconds, peak = timed_build(config, site)
        stats.seconds.append(seconds)
        stats.peak_mb = max(stats.peak_mb, peak)
    # The whole-guide page holds every page by design; it is reported, not compared.
    html = [p.stat().st_size for p in site.rglob("*.html") if p.parent.name != "whole-guide"]
    whole = site / "whole-guide/index.html"
    stats.whole_guide_kb = whole.stat().st_size / 1e3 if whole.is_file() else 0.0
    stats.site_mb = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
    stats.page_median_kb = statistics.median(html) / 1e3
    stats.page_max_kb = max(html) / 1e3
    stats.index_kb = (site / "search/search_index.json").stat().st_size / 1e3
    stats.markdown_seconds = markdown_floor(config)
    return stats


def synthetic_project(pages: int, work: Path) -> Path:
    """A copy of the project grown to about `pages` pages by copying whole chapters
    (same folder depth, so every relative link still resolves; macros included)."""
    project = work / f"project-{pages}"
    shutil.rmtree(project, ignore_errors=True)
    for name in ("docs", "overrides", "macros", "hooks", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    real = load_project(ROOT / "mkdocs.yml")
    count = len(real.reader_pages())
    # Copies sit under one top-level section, grouped by copy, the way a growing guide
    # would nest (for example state-by-state pages under one "States" section).
    copies, copy = [], 0
    while count < pages:
        copy += 1
        chapters = []
        for chapter in CHAPTERS:
            if count >= pages:
                break
            target = project / "docs" / f"{chapter}-copy-{copy}"
            shutil.copytree(ROOT / "docs" / chapter, target)
            files = sorted(p.relative_to(project / "docs").as_posix() for p in target.rglob("*.md"))
            chapters.append({chapter: files})
            count += len(files)
        copies.append({f"Copy {copy}": chapters})
    # The real configuration with a longer nav (INHERIT replaces a list setting whole).
    config = project / "mkdocs.synthetic.yml"
    config.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml",
                                      "nav": [*real.nav, {"Synthetic copies": copies}]},
                                     sort_keys=False), encoding="utf-8")
    return config


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def browser_measurements(site: Path, offline_root: Path) -> dict:
    """First-view bytes (compressed) and search latency, in Debian's Chromium."""
    import functools
    import http.server
    import threading

    from hooks.chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {}
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    results: dict = {}
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for label, path in (("home", ""), ("deep page", "identifying/settings/health-care/")):
            context = chromium.new_context()
            page = context.new_page()
            seen: list[str] = []
            page.on("requestfinished", lambda r: seen.append(r.url))
            page.goto(base + path, wait_until="networkidle")
            total = by_kind = 0
            for url in seen:
                rel = url[len(base):].split("?")[0].split("#")[0]
                file = site / rel
                if rel == "" or rel.endswith("/"):
                    file = file / "index.html"
                size = gz(file)
                total += size
                if file.suffix in (".html", ".css", ".js"):
                    by_kind += size
            results[f"first view, {label}: all bytes (gzip)"] = f"{total / 1e3:.1f} KB"
            results[f"first view, {label}: HTML+CSS+JS (gzip)"] = f"{by_kind / 1e3:.1f} KB"
            context.close()
        for label, start in (("online", base), ("offline", (offline_root / "index.html").as_uri())):
            context = chromium.new_context(offline=label == "offline")
            page = context.new_page()
            page.goto(start)
            results[f"search latency, {label} (median of {len(QUERIES)})"] = (
                f"{statistics.median(search_latencies(page)):.0f} ms"
            )
            context.close()
        chromium.close()
    server.shutdown()
    return results


def search_latencies(page) -> list[float]:
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    box.click()
    page.evaluate(
        """() => {
          const list = document.querySelector('.md-search-result__list');
          window.__marks = [];
          new MutationObserver(() => window.__marks.push(performance.now()))
            .observe(list, {childList: true, subtree: true});
          document.addEventListener('keyup', () => { window.__lastKey = performance.now(); }, true);
        }"""
    )
    # Let the index load and the worker start before timing.
    page.wait_for_function("document.querySelector('.md-search-result__meta')?.textContent.length > 0", timeout=20_000)
    latencies = []
    for query in QUERIES:
        box.fill("")
        page.wait_for_timeout(150)
        page.evaluate("window.__marks = []")
        box.type(query, delay=40)
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
        page.wait_for_timeout(400)
        latency = page.evaluate(
            "() => { const after = window.__marks.filter(t => t >= window.__lastKey);"
            " return after.length ? after[0] - window.__lastKey : 0; }"
        )
        latencies.append(latency)
    return latencies


PREVIEW_PAGE = "understanding/what-is-trafficking.md"
PREVIEW_GOAL_SECONDS = 1.5


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _poll(url: str, wanted: str | None, timeout: float) -> float:
    """Poll url every 20 ms until it answers (and contains `wanted`); returns the time."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        body = _get(url)
        if body is not None and (wanted is None or wanted in body):
            return time.perf_counter()
        time.sleep(0.02)
    raise SystemExit(f"the preview did not show {wanted or 'the page'} at {url} in {timeout:.0f} s")


def preview_reload(root: Path = ROOT, saves: int = 3, dirty: bool = True, config: str = "mkdocs.preview.yml") -> list[float]:
    """Seconds from saving one page to the preview serving the changed page, as editors
    wait for it under `make serve`: a real `mkdocs serve` of the project, one page saved
    `saves` times with a new sentence, the page polled until the sentence is there.
    (MkDocs' server holds a request while it rebuilds, so the page is served as the
    browser's live reload gets it.) The page is put back as it was afterwards."""
    page = root / "docs" / PREVIEW_PAGE
    original = page.read_bytes()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{PREVIEW_PAGE.removesuffix('.md')}/"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("EGUIDE_DOWNLOADS", None)
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / config), "--livereload",
         "--dev-addr", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    times = []
    try:
        _poll(url, None, 300)
        for n in range(saves):
            marker = f"Preview timing sentence {n} {time.time_ns()}."
            page.write_bytes(original + f"\n{marker}\n".encode())
            start = time.perf_counter()
            times.append(_poll(url, marker, 300) - start)
    finally:
        page.write_bytes(original)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


def preview_row(times: list[float]) -> dict:
    """The preview figure next to its goal, with the machine's load when measured."""
    return {
        f"Preview (make serve): save to reloaded page, median of {len(times)} (goal ≤ {PREVIEW_GOAL_SECONDS} s)":
            f"{statistics.median(times):.2f} s (each: {', '.join(f'{t:.2f}' for t in times)} s; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    }


def versions() -> str:
    names = ("mkdocs", "mkdocs-material", "pymdown-extensions", "mkdocs-macros-plugin", "Markdown")
    pkgs = ", ".join(f"{n} {metadata.version(n)}" for n in names)
    cpu = platform.processor() or platform.machine()
    return f"Python {platform.python_version()}, {pkgs}; {os.cpu_count()} CPU cores ({cpu}), {platform.system()}"


def render(rows: list[BuildStats], real: BuildStats, extra: dict, zip_mb: float, site_mb: float) -> str:
    lines = [
        "| Pages | Build, median (s) | Per page (ms) | vs. Python-Markdown | Peak memory (MB) | Site (MB) | Page HTML median / largest (KB) | Whole-guide page (KB) | Search index (KB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, s in [("real guide", real)] + [(None, r) for r in rows]:
        name = f"{s.pages} ({label})" if label else f"{s.pages}"
        lines.append(
            f"| {name} | {s.median:.2f} | {1000 * s.median / s.pages:.1f} | {s.median / s.markdown_seconds:.1f}× "
            f"| {s.peak_mb:.0f} | {s.site_mb:.1f} | {s.page_median_kb:.0f} / {s.page_max_kb:.0f} "
            f"| {s.whole_guide_kb:.0f} | {s.index_kb:.0f} |"
        )
    lines.append("")
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        lines.append(
            f"Growth from {small.pages} to {large.pages} pages: build time × "
            f"{large.median / small.median:.1f} for × {large.pages / small.pages:.1f} the pages; "
            f"largest page × {large.page_max_kb / small.page_max_kb:.2f}."
        )
        lines.append("")
    lines += ["| Measure | Result |", "| --- | --- |"]
    lines.append(f"| Offline zip | {zip_mb:.1f} MB |")
    lines.append(f"| Whole online site | {site_mb:.1f} MB |")
    for key, value in extra.items():
        lines.append(f"| {key} | {value} |")
    return "\n".join(lines)


# Figures measured once, before and after a change, kept here so that `make bench`
# rewrites the page without losing them. Each names the machine's load at the time:
# the 2 cores are shared, so figures measured under load are slower than on a quiet machine.
BEFORE_AFTER = """## Before and after: speed where people wait

| What | Goal | Before | After |
| --- | --- | --- | --- |
| Preview: save one page to reloaded page (`make serve`) | ≤ 1.5 s at today's size | 38.6 s (median of 3; load average 9.1) | 1.01 s (median of 3: 1.46, 1.01, 0.91 s; load average 6.5) |
| One preview rebuild after saving a page, in one process | | | 0.77 s (load average 6.5) |
| CI: `make test`, every test | ≤ 6 minutes on 2 cores | 1,696 s, in one process (CI, last landing) | not measured yet: the one full run (2 workers) shared the 2 cores with other work at load average 10–19; its one shared build alone took 15.7 minutes |

What changed for the preview: `make serve` runs `mkdocs serve --dirty`, so a saved page
is rendered alone; `hooks/preview.py` renders every page again when anything else changed
(data, macros, templates, hooks, the configuration, a page's front matter, or a page added
or removed). The data loaded and validated once is kept across rebuilds (before, the
macros package was imported afresh on every rebuild, which also made the data load twice
per rebuild); Jinja's compiled templates are kept across rebuilds; the staff forms at
/admin/ are written once per full rebuild. The preview already left out the whole-guide
page, the "last updated" dates, search, the downloads and the editor checks; its banner
now says so.

What changed for CI: `make test` runs the tests on every core with pytest-xdist; the guide
is built once per run, by the first worker that needs it, under a file lock
(`tests/conftest.py`)."""


def write_report(table: str) -> None:
    today = date.today().isoformat()
    # The "Both engines" section is written by scripts/bench_engines.py: kept as it is.
    old = REPORT.read_text(encoding="utf-8") if REPORT.is_file() else ""
    engines = ""
    if "<!-- engines:start -->" in old:
        engines = ("<!-- engines:start -->" + old.split("<!-- engines:start -->", 1)[1]
                   .split("<!-- engines:end -->", 1)[0] + "<!-- engines:end -->\n\n")
    REPORT.write_text(
        f"""---
title: Performance report
description: Build time, page sizes, download sizes and search speed, measured by make bench.
audiences: [editors]
last_reviewed: {today}
# Staff page: kept out of the reader search index.
search:
  exclude: true
---

# Performance report

This page is written by `make bench`, which builds the real guide and larger synthetic
copies of it, then measures the result in Chromium. It is a report, not a test: review
it when a change might make the guide slower or heavier for readers on phones and slow
connections. The size budgets it reports are also enforced by tests.

## Latest measurements

Measured on {today}: {versions()}.

{table}

{BEFORE_AFTER}

{engines}## How to read it

- **Build, median** is the middle of three strict builds of the online site.
- **vs. Python-Markdown** divides the build time by the time Python-Markdown alone takes
  to convert the same pages; it shows what the theme and plugins add.
- **Page HTML largest** leaves out the whole-guide page, which holds every page by
  design and is shown in its own column.
- **Synthetic copies** repeat the real chapters (macros included) under one extra
  section, the way state-by-state pages would be added.
- **First view** counts the bytes a new visitor downloads for one page, compressed with
  gzip as web servers send them. The search index is loaded only when a reader opens
  search, so it is not part of a first view.
- **Search latency** is the time from the last keystroke to the first visible results.
- **Preview** is the time from saving one page while `make serve` runs to the preview
  serving the changed page (MkDocs holds the request until its rebuild is done, as it
  does for the browser's live reload). `python scripts/bench.py --preview-only`
  measures only this.

## Targets

- 1,000 pages take at most 11 times as long as 100 pages, and at most 3 times as long as
  Python-Markdown alone.
- The largest page at 1,000 pages is at most 1.2 times its size at 100 pages.
- The first view of any page is at most 100 KB compressed (tested).
- Search results show within 100 ms of the last keystroke, online and offline.
- The offline zip is at most 10 MB (tested).
- A saved page shows in the preview (`make serve`) within 1.5 s at today's size, and
  within 5 s at 1,000 pages (not yet measured at 1,000 pages).
- `make test` runs every test in at most 6 minutes on 2 cores.

## Related

- [Editing locally](editing-locally.md)
- [Content health](content-health.md)
"""
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure the guide.")
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--preview-only", action="store_true",
                        help="measure only the preview's save-to-reload time and print it")
    args = parser.parse_args(argv)
    if args.preview_only:
        for key, value in preview_row(preview_reload()).items():
            print(f"{key}: {value}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="eguide-bench-") as tmp:
        work = Path(tmp)
        print("Building the real guide …", flush=True)
        real = measure(ROOT / "mkdocs.yml", args.runs, work / "real")
        outputs = build.build_all(work / "full")
        zip_mb = outputs.zip.stat().st_size / 1e6
        site_mb = sum(p.stat().st_size for p in outputs.site.rglob("*") if p.is_file()) / 1e6
        unzipped = work / "unzipped"
        with zipfile.ZipFile(outputs.zip) as zf:
            zf.extractall(unzipped)
        rows = []
        for size in sizes:
            print(f"Building about {size} pages …", flush=True)
            rows.append(measure(synthetic_project(size, work), args.runs, work / f"s{size}"))
        print("Measuring in Chromium …", flush=True)
        extra = browser_measurements(outputs.site, unzipped / build.BUNDLE_NAME)
        print("Measuring the preview (make serve) …", flush=True)
        extra.update(preview_row(preview_reload()))
        data_files, documents = yaml_parses(ROOT / "mkdocs.yml", work / "counted")
        extra["YAML documents parsed in one build (front matter and data)"] = documents
        extra["Parses of each data file in one build"] = ", ".join(
            f"{label} {count}" for label, count in sorted(data_files.items()))
    table = render(rows, real, extra, zip_mb, site_mb)
    print(table)
    if not args.no_write:
        write_report(table)
        print(f"\nWritten to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
