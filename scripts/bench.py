"""Measure the guide: build time as it grows, page and bundle sizes, first-view bytes
and search speed in Chromium. A report, not a test: it prints a Markdown table and
writes it into docs/contribute/performance.md.

    python scripts/bench.py                   # real guide + ~100, 500, 1,000 pages
    python scripts/bench.py --sizes 100 --runs 1 --no-write   # quick look
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
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
    load: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed_build(config: Path, site_dir: Path) -> tuple[float, float]:
    """One strict online build in a child process: (seconds, peak resident MB)."""
    env = dict(os.environ, OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir),
           "--config-file", str(config)]
    # Its messages go to a file: a pipe nobody reads fills up and stops the build.
    with tempfile.TemporaryFile("w+") as messages:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=config.parent, env=env, stderr=messages, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            messages.seek(0)
            raise SystemExit(f"build failed for {config}:\n{messages.read()[-20000:]}")
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
    stats.load = os.getloadavg()[0]
    return stats


def synthetic_project(pages: int, work: Path) -> Path:
    """A copy of the project grown to about `pages` pages by copying whole chapters
    (same folder depth, so every relative link still resolves; macros included)."""
    project = work / f"project-{pages}"
    shutil.rmtree(project, ignore_errors=True)
    build.copy_sources(project)  # what a strict build of a copy needs (scripts/build.py)
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def browser_measurements(site: Path, offline_root: Path, search: bool = True) -> dict:
    """First-view bytes (compressed) and search latency, in Debian's Chromium."""
    import functools
    import http.server
    import threading

    from hooks.chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {}
    handler = functools.partial(QuietHandler, directory=str(site))
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
        for label, start in (("online", base), ("offline", (offline_root / "index.html").as_uri())) if search else ():
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


def _poll(url: str, wanted: str | None, timeout: float, proc=None, log=None) -> float:
    """Poll url every 20 ms until it answers (and contains `wanted`); returns the time.
    Stops with the server's output if the server (proc) has stopped."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc is not None and proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"mkdocs serve stopped (exit {proc.returncode}):\n"
                             f"{log.read().decode('utf-8', 'replace')[-3000:]}")
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
        _poll(url, None, 3600, proc, log)  # the first, whole build (minutes at 1,000 pages)
        for n in range(saves):
            marker = f"Preview timing sentence {n} {time.time_ns()}."
            page.write_bytes(original + f"\n{marker}\n".encode())
            start = time.perf_counter()
            times.append(_poll(url, marker, 300, proc, log) - start)
    finally:
        page.write_bytes(original)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


def versions() -> str:
    names = ("mkdocs", "mkdocs-material", "pymdown-extensions", "mkdocs-macros-plugin", "Markdown")
    pkgs = ", ".join(f"{n} {metadata.version(n)}" for n in names)
    cpu = platform.processor() or platform.machine()
    return f"Python {platform.python_version()}, {pkgs}; {os.cpu_count()} CPU cores ({cpu}), {platform.system()}"


# ---------------------------------------------------------------------------------------
# The goals of issue 17, each measured and printed next to its goal. Nothing here asserts:
# a missed goal is reported, never failed.

def load() -> float:
    """The machine's 1-minute load average: the 2 cores are shared, so every figure
    carries the load it was measured under."""
    return round(os.getloadavg()[0], 1)


@dataclass
class Figure:
    what: str            # also the row's key when the report is rewritten in part
    goal: str
    measured: str
    met: bool | None     # None: nothing to compare (not measured, or no goal)
    load: float = field(default_factory=load)
    day: str = field(default_factory=lambda: date.today().isoformat())

    def row(self) -> str:
        met = {True: "yes", False: "**no**", None: "–"}[self.met]
        load = f"{self.load:.1f}" if self.load else "–"
        return f"| {self.what} | {self.goal} | {self.measured} | {met} | {load} | {self.day} |"


GOALS_HEADER = ("| Figure | Goal | Measured | Met? | Load average | Measured on |\n"
                "| --- | --- | --- | --- | ---: | --- |")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def each(values: list[float], unit: str, digits: int = 2) -> str:
    return f"each: {', '.join(f'{v:.{digits}f}' for v in values)} {unit}"


# --- build time against the Python-Markdown floor --------------------------------------

FLOOR_GOAL = 4.0
FULL_GOAL = 2.0


def floor_figure(stats: BuildStats, label: str) -> Figure:
    ratio = stats.median / stats.markdown_seconds
    return Figure(
        f"Online build ÷ Python-Markdown alone, {label}", f"≤ {FLOOR_GOAL:g}×",
        f"{ratio:.1f}× ({stats.pages} pages: build {stats.median:.1f} s, median of "
        f"{len(stats.seconds)}, {each(stats.seconds, 's', 1)}; Markdown {stats.markdown_seconds:.2f} s)",
        ratio <= FLOOR_GOAL)


def timed_full_build(base: Path) -> tuple[float, dict[str, float]]:
    """`make build` (scripts/build.py: online site, Word and PDF files, offline zip, final
    online site) in a child process: total seconds and the seconds of each part it prints."""
    import re

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--out", str(base)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"make build failed:\n{proc.stderr}{proc.stdout}")
    parts = {m[1]: float(m[2]) for m in re.finditer(r"^  (.+): ([\d.]+) s$", proc.stdout, re.M)}
    return seconds, parts


def full_build_figures(base: Path, runs: int, online: list[float]) -> tuple[list[Figure], dict]:
    totals, parts_seen = [], []
    for n in range(runs):
        seconds, parts = timed_full_build(base)
        totals.append(seconds)
        parts_seen.append(parts)
    # Against the online builds timed in this run (or, without them, the final online
    # build inside `make build`, the same strict build of the same site).
    if not online:
        online = [p.get("online build", float("nan")) for p in parts_seen]
    ratio = statistics.median(totals) / statistics.median(online)
    parts = {k: statistics.median(p[k] for p in parts_seen) for k in parts_seen[0]}
    detail = "; ".join(f"{k} {v:.0f} s" for k, v in parts.items() if k != "total")
    figure = Figure(
        "Full `make build` (PDF, Word, offline zip) ÷ online build", f"≤ {FULL_GOAL:g}×",
        f"{ratio:.1f}× (make build {statistics.median(totals):.0f} s, median of {runs}, "
        f"{each(totals, 's', 0)}; online build {statistics.median(online):.1f} s; parts: {detail})",
        ratio <= FULL_GOAL)
    return [figure], parts


def profile_build(config: Path, site_dir: Path, top: int = 15) -> str:
    """One online build under cProfile, in this process: where its seconds go, by
    package and by function (own time). Profiling slows the build, so read the shares."""
    import cProfile
    import pstats
    from mkdocs.commands.build import build as mkdocs_build

    from macros import loader

    os.environ["OFFLINE"] = "false"
    loader._loaded.clear()  # as in a fresh `mkdocs build`
    config_obj = load_project(config, site_dir=str(site_dir)).config
    profiler = cProfile.Profile()
    profiler.enable()
    mkdocs_build(config_obj)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # own time of every function

    def package(filename: str) -> str:
        if filename.startswith("~") or filename.startswith("<"):
            return "built-in (C): regular expressions, I/O, …"
        path = Path(filename)
        parts = path.parts
        if "site-packages" in parts:
            name = parts[parts.index("site-packages") + 1]
            return name.removesuffix(".py")
        try:
            return f"this project: {path.resolve().relative_to(ROOT.resolve()).parts[0]}/"
        except ValueError:
            pass
        return "Python standard library"

    by_package: Counter = Counter()
    builtins: Counter = Counter()
    for (filename, _line, func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        by_package[package(filename)] += tt
        if filename == "~":
            builtins[func] += tt
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    lines = [f"One online build of the real guide under cProfile: {total:.1f} s of profiled time "
             f"(profiling slows it; compare shares), load average {load():.1f}.", "",
             "| Package | Own time (s) | Share |", "| --- | ---: | ---: |"]
    for name, secs in by_package.most_common(12):
        lines.append(f"| {name} | {secs:.1f} | {100 * secs / total:.0f}% |")
    lines += ["", "| Function (own time) | Calls | Own time (s) | Share |", "| --- | ---: | ---: | ---: |"]
    for (filename, line, func), (_cc, nc, tt, _ct, _callers) in rows:
        where = func if filename == "~" else f"{func} ({package(filename)}: {Path(filename).name}:{line})"
        lines.append(f"| `{where}` | {nc:,} | {tt:.2f} | {100 * tt / total:.0f}% |")
    return "\n".join(lines)


# --- the preview at 1,000 pages ---------------------------------------------------------

PREVIEW_LARGE_GOAL_SECONDS = 5.0


def synthetic_preview(config: Path) -> str:
    """The preview configuration of a synthetic project: mkdocs.preview.yml with its nav."""
    nav = yaml.safe_load(config.read_text(encoding="utf-8"))["nav"]
    preview = config.with_name("mkdocs.synthetic-preview.yml")
    preview.write_text(yaml.safe_dump({"INHERIT": "mkdocs.preview.yml", "nav": nav}, sort_keys=False),
                       encoding="utf-8")
    return preview.name


def preview_figure(times: list[float], pages: int, goal: float, label: str) -> Figure:
    return Figure(f"Preview (`make serve`): save one page to reloaded page, {label}",
                  f"≤ {goal:g} s", f"{statistics.median(times):.2f} s ({pages} pages; median of "
                  f"{len(times)}, {each(times, 's')})", statistics.median(times) <= goal)


# --- search: whole questions ------------------------------------------------------------

SEARCH_MEDIAN_GOAL_MS, SEARCH_P95_GOAL_MS = 100, 200


def whole_questions() -> list[str]:
    """The whole questions readers type, from the search-quality tests (four words or more)."""
    import ast

    source = (ROOT / "tests/test_search_quality.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECTED" for t in node.targets):
            queries = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
            return [q for q in queries if len(q.split()) >= 4]
    raise SystemExit("tests/test_search_quality.py has no EXPECTED queries")


# Runs in the page: from the keyup that hands the query to the search (Material searches
# on keyup) to the first animation frame that shows a result, polled every frame.
SEARCH_PROBE = """() => {
  const box = document.querySelector('input.md-search__input');
  box.addEventListener('keyup', () => {
    const start = performance.now();
    const poll = () => {
      if (document.querySelector('.md-search-result__list .md-search-result__item')) {
        window.__searchMs = performance.now() - start;
      } else if (performance.now() - start < 10000) {
        requestAnimationFrame(poll);
      }
    };
    window.__searchMs = null;
    requestAnimationFrame(poll);
  }, true);
}"""


def search_round_trips(page, queries: list[str], rounds: int) -> list[float]:
    """Milliseconds from a whole question entered in the real search box (results cleared
    before) to its first results on screen; every question `rounds` times."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    box.click()
    # Ready once the index is loaded: the theme then invites the reader to type.
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta')?.textContent === 'Type to start searching'",
        timeout=60_000)
    page.evaluate(SEARCH_PROBE)
    times = []
    # The first search warms the worker up (compiling its code); it is not counted.
    for round_ in range(rounds + 1):
        for query in queries if round_ else queries[:1]:
            box.fill("")
            box.press("End")
            page.wait_for_function(
                "!document.querySelector('.md-search-result__list .md-search-result__item')",
                timeout=10_000)
            box.fill(query)
            box.press("End")  # the keyup, with the whole question already in the box
            page.wait_for_function("window.__searchMs !== null", timeout=15_000)
            if round_:
                times.append(page.evaluate("window.__searchMs"))
    return times


def search_figures(site: Path, offline_root: Path, rounds: int) -> list[Figure]:
    from hooks.chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    queries = whole_questions()
    figures = []
    with serve(site) as base, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for label, start in (("online (served)", base),
                             ("offline (file://)", (offline_root / "index.html").as_uri())):
            context = chromium.new_context(offline=label.startswith("offline"),
                                           viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(start)
            times = search_round_trips(page, queries, rounds)
            context.close()
            median, p95 = statistics.median(times), percentile(times, 95)
            figures.append(Figure(
                f"Search: whole question to first results, {label}",
                f"median ≤ {SEARCH_MEDIAN_GOAL_MS} ms, 95th percentile ≤ {SEARCH_P95_GOAL_MS} ms",
                f"median {median:.0f} ms, 95th percentile {p95:.0f} ms ({len(queries)} questions × "
                f"{rounds}; slowest {max(times):.0f} ms)",
                median <= SEARCH_MEDIAN_GOAL_MS and p95 <= SEARCH_P95_GOAL_MS))
        chromium.close()
    return figures


class serve:
    """A folder served on 127.0.0.1 (a free port) for the length of a `with`."""

    def __init__(self, folder: Path):
        import functools
        import http.server

        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# --- Lighthouse: the guide against stock Material ---------------------------------------

LIGHTHOUSE_PAGES = {
    "home page": "",
    "law page": "understanding/federal-law/",
    "indicator cards": "identifying/indicator-cards/",
}
LIGHTHOUSE_SCORE_GOAL, LIGHTHOUSE_TBT_GOAL = 90, 1.5


def lighthouse_bin() -> Path | None:
    """The pinned Lighthouse (package.json) in node_modules, or LIGHTHOUSE=path."""
    for candidate in (os.environ.get("LIGHTHOUSE"), ROOT / "node_modules/.bin/lighthouse"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def article(html: str) -> str:
    """The page's content (Material's <article>), as the reader reads it."""
    start = html.index('<article class="md-content__inner md-typeset">')
    start = html.index(">", start) + 1
    return html[start:html.rindex("</article>")]


def nav_files(nav) -> list[str]:
    """Every page file the nav lists (in order)."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in nav_files(value)]
    if isinstance(nav, list):
        return [f for item in nav for f in nav_files(item)]
    return []


def stock_site(site: Path, work: Path) -> Path:
    """The guide's content in a stock Material site: every page of the nav holds the same
    page's content (its <article>, as built) under the same nav, with the theme's defaults
    (web fonts off, as no page may load them) and no custom CSS, JavaScript, features,
    hooks or plugins beyond MkDocs' own search."""
    project = work / "stock"
    shutil.rmtree(project, ignore_errors=True)
    (project / "docs").mkdir(parents=True)
    nav = load_project(ROOT / "mkdocs.yml").nav
    for src in nav_files(nav):
        rel = src.removesuffix(".md").removesuffix("index").rstrip("/")
        built_page = site / rel / "index.html"
        if not built_page.is_file():
            continue
        target = project / "docs" / src
        target.parent.mkdir(parents=True, exist_ok=True)
        # A raw HTML block: Python-Markdown passes it through as it is.
        target.write_text(f"<div>\n{article(built_page.read_text(encoding='utf-8'))}\n</div>\n",
                          encoding="utf-8")
    (project / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Stock Material", "theme": {"name": "material", "font": False}, "nav": nav},
        sort_keys=False), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(project / "site")],
                   cwd=project, env=env, check=True, stderr=subprocess.DEVNULL)
    return project / "site"


def lighthouse_run(binary: Path, url: str, out: Path) -> dict:
    from hooks.chromium import CHROMIUM

    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    subprocess.run([str(binary), url, "--only-categories=performance", "--output=json",
                    f"--output-path={out}", "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    breakdown = {item["group"]: item["duration"]
                 for item in audits["mainthread-work-breakdown"]["details"]["items"]}
    scripts = [(item["url"], item.get("scripting", 0.0))
               for item in audits["bootup-time"]["details"].get("items", [])]
    return {"score": 100 * report["categories"]["performance"]["score"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "breakdown": breakdown, "scripts": scripts}


def script_name(url: str, base: str) -> str:
    """A script as the report names it: its file name, or "the page itself" for the
    page's inline scripts (no local address in the report: it would be a bare link)."""
    if not url.startswith(base):
        return url  # Lighthouse's "Unattributable"
    return url.rsplit("/", 1)[-1] if not url.endswith("/") else "the page itself"


def lighthouse_figures(site: Path, work: Path, runs: int) -> tuple[list[Figure], str]:
    binary = lighthouse_bin()
    if binary is None:
        return [Figure("Lighthouse mobile (all three pages)", "performance ≥ 90, TBT ≤ 1.5× stock Material",
                       "not measured: Lighthouse is missing (`npm ci`, package.json pins lighthouse 12.2.3)",
                       None)], ""
    stock = stock_site(site, work)
    figures, notes = [], []
    with serve(site) as ours_base, serve(stock) as stock_base:
        for name, rel in LIGHTHOUSE_PAGES.items():
            results: dict[str, list[dict]] = {"guide": [], "stock": []}
            for n in range(runs):  # one after the other, so both see the same load
                for label, base in (("guide", ours_base), ("stock", stock_base)):
                    results[label].append(lighthouse_run(binary, base + rel, work / f"lh-{label}-{n}.json"))
            med = {label: {"score": statistics.median(r["score"] for r in rs),
                           "tbt": statistics.median(r["tbt"] for r in rs)} for label, rs in results.items()}
            ours, theirs = med["guide"], med["stock"]
            ratio = ours["tbt"] / theirs["tbt"] if theirs["tbt"] else (1.0 if not ours["tbt"] else float("inf"))
            figures.append(Figure(
                f"Lighthouse mobile, {name}: performance and Total Blocking Time (TBT)",
                f"performance ≥ {LIGHTHOUSE_SCORE_GOAL}, TBT ≤ {LIGHTHOUSE_TBT_GOAL:g}× stock Material",
                f"performance {ours['score']:.0f} (stock {theirs['score']:.0f}); TBT {ours['tbt']:.0f} ms "
                f"(stock {theirs['tbt']:.0f} ms, {ratio:.1f}×); medians of {runs}, scores "
                + ", ".join(f"{r['score']:.0f}" for r in results["guide"]),
                ours["score"] >= LIGHTHOUSE_SCORE_GOAL and ratio <= LIGHTHOUSE_TBT_GOAL))
            groups = sorted({g for rs in results.values() for r in rs for g in r["breakdown"]},
                            key=lambda g: -statistics.median(r["breakdown"].get(g, 0) for r in results["guide"]))
            cells = "; ".join(
                f"{g} {statistics.median(r['breakdown'].get(g, 0) for r in results['guide']):.0f} / "
                f"{statistics.median(r['breakdown'].get(g, 0) for r in results['stock']):.0f}"
                for g in groups[:5])
            top = sorted(results["guide"][0]["scripts"], key=lambda s: -s[1])[:3]
            scripts = ", ".join(f"{script_name(url, ours_base)} {ms:.0f} ms" for url, ms in top)
            notes.append(f"| {name} | {cells} | {scripts} |")
    table = "\n".join([
        "Main-thread work under Lighthouse's mobile throttling, the guide / stock Material "
        "(milliseconds, medians), and the scripts that take the most time on the guide's page:", "",
        "| Page | Main thread: guide / stock (ms) | Script time, guide |", "| --- | --- | --- |", *notes])
    return figures, table


# --- first view -------------------------------------------------------------------------

FIRST_VIEW_GOAL_KB = 100


def first_view_figures(site: Path, offline_root: Path) -> list[Figure]:
    figures = []
    results = browser_measurements(site, offline_root, search=False)
    for key, value in results.items():
        if "all bytes" in key:
            kb = float(value.split()[0])
            figures.append(Figure(key[0].upper() + key[1:], f"≤ {FIRST_VIEW_GOAL_KB} KB", value,
                                  kb <= FIRST_VIEW_GOAL_KB))
    return figures


# --- CI: the test run from a pytest report ----------------------------------------------

CI_GOAL_SECONDS = 360


def read_durations(path: Path) -> tuple[float | None, dict[str, float]]:
    """A pytest run's wall time (if the file says) and the seconds of each test (setup,
    call and teardown summed), from a JUnit XML file (`pytest --junitxml=FILE`) or the
    text of `pytest --durations=0` (its output saved to a file)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    tests: Counter = Counter()
    wall = None
    if text.lstrip().startswith("<"):
        import xml.etree.ElementTree as ET

        root = ET.fromstring(text)
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        times = [float(s.get("time", 0)) for s in suites if s.get("time")]
        wall = sum(times) if times else None
        for case in root.iter("testcase"):
            module = (case.get("classname") or "").replace(".", "/")
            tests[f"{module}.py::{case.get('name')}"] += float(case.get("time") or 0)
        return wall, dict(tests)
    import re

    for m in re.finditer(r"^\s*([\d.]+)s (?:setup|call|teardown)\s+(\S+)", text, re.M):
        tests[m[2]] += float(m[1])
    # pytest's closing line: "==== 612 passed, 3 xfailed in 598.21s (0:09:58) ===="
    end = re.findall(r" in ([\d.]+)s(?: \([\d:]+\))? =+\s*$", text, re.M)
    if end:
        wall = float(end[-1])
    return wall, dict(tests)


def ci_figures(report: Path | None) -> tuple[list[Figure], str]:
    what, goal = "CI: every test (`make test`) on 2 cores", f"≤ {CI_GOAL_SECONDS // 60} minutes"
    if report is None:
        return [Figure(what, goal, "not measured by this run (give `--durations FILE`: a pytest "
                       "`--junitxml` file or saved `--durations=0` output)", None)], ""
    wall, tests = read_durations(report)
    by_file: Counter = Counter()
    for test, secs in tests.items():
        by_file[test.split("::")[0]] += secs
    total = sum(tests.values())
    shown = f"{wall:.0f} s wall" if wall is not None else "wall time not in the file"
    figure = Figure(what, goal, f"{shown}; {total:.0f} s of test time in {len(tests)} tests "
                    f"(from {report.name})", None if wall is None else wall <= CI_GOAL_SECONDS)
    lines = ["| Test file | Test time (s) | Share |", "| --- | ---: | ---: |"]
    for name, secs in by_file.most_common(10):
        lines.append(f"| {name} | {secs:.0f} | {100 * secs / total:.0f}% |" if total else f"| {name} | 0 | |")
    return [figure], "\n".join(lines)


# Figures measured once, before and after a change, kept here so that `make bench`
# rewrites the page without losing them. Each names the machine's load at the time:
# the 2 cores are shared, so figures measured under load are slower than on a quiet machine.
BEFORE_AFTER = """## Before and after: speed where people wait

"Before" is the fifth session's figure (2026-11-30, quiet machine) and, where it helps,
the figure in issue 17. The next two columns are what `make bench` measured after the
sixth and the seventh session's changes on the same day, with nothing else running (load
average 1–2). Rows marked "not measured again" cover pages whose HTML did not change:
the whole online site, search index included, was built before and after each round's
build changes and compared file by file, and nothing differed. (The seventh session's PDF
change alters only the PDF file, and so the size and checksum the Downloads page gives.)

| What | Goal | Before | Sixth session | Seventh session |
| --- | --- | --- | --- | --- |
| Preview: save one page to reloaded page, real guide | ≤ 1.5 s | 8.4–9.5 s at 94 pages (issue); 1.11 s at 184 pages | not measured again (1.11 s); the preview renders only the saved page, and this round only made that cheaper | not measured again |
| Preview: save one page to reloaded page, 1,000 pages | ≤ 5 s | about a minute expected (issue); 1.93 s at 1,015 pages | not measured again (1.93 s) | not measured again |
| Online build ÷ Python-Markdown alone, real guide | ≤ 4× | 10.7× at 94 pages (issue); 13.1× at 184 pages (build 42.9 s, Markdown 3.28 s) | 6.8× at 184 pages (build 18.2 s, Markdown 2.69 s; load 1.3) | 6.7× (build 18.6 s, Markdown 2.76 s; load 1.5) |
| Online build ÷ Python-Markdown alone, 1,000 pages | ≤ 4× | 8.3× at 1,006 pages (2026-11-29) | 4.6× at 1,015 pages (build 86.3 s, Markdown 18.7 s; load 1.0) | **3.6×, met** (build 69.6 s, Markdown 19.2 s; load 1.1) |
| Full `make build` ÷ online build | ≤ 2× | 5.0× (212 s against 42.9 s) | 8.0× (146 s against 18.2 s: first online build 20 s, 21 Word files and 6 PDFs 86 s, offline build and zip 18 s, final online build 17 s; load 1.8). The full build is 66 s shorter; the ratio grew because the online build is 25 s shorter | 6.2× (116 s against 18.6 s: first online build 18 s, 21 Word files and 6 PDFs 64 s, offline build and zip 17 s, final online build 15 s; load 1.9) |
| Lighthouse mobile, home / law page / indicator cards | performance ≥ 90, TBT ≤ 1.5× stock | 81 / 59 / 76 (stock 62 / 51 / 62); TBT 0.9× / 1.3× / 1.5× stock | not measured again (pages unchanged) | not measured again (pages unchanged) |
| First view (gzip), home / deep page | ≤ 100 KB | 92.8 / 98.5 KB | not measured again (pages unchanged) | not measured again (pages unchanged) |
| Search, whole questions, median / 95th percentile | ≤ 100 / ≤ 200 ms | about 120 ms (issue); online 49 / 118 ms, offline 47 / 108 ms | not measured again (search index unchanged) | not measured again (search index unchanged) |
| CI: `make test` on 2 cores | ≤ 6 minutes | about 12 minutes (issue); 1,313 s for 836 tests (2,600 s of test time) | 958 s for 841 tests (1,896 s of test time; load 1.5) | 942 s and 960 s in two runs of 845 tests (1,864 s and 1,894 s of test time), run as CI runs it (CI=true) and with the Markdown style cache empty, as in a fresh clone; the sixth session's 958 s had the cache filled |

### What changed in the seventh session

- **The strict build runs the editor checks in a background process** while the pages
  render (`hooks/editor_checks.py`). The build loads the data first, and the checks'
  process starts as a copy of the build's (fork), so each data file is still parsed
  once per build (a test holds that the checks parse none again). The build stops with
  the checks' whole report at the next page once they have failed, at the latest before
  it writes anything, and in place of any error it met first (a broken data file also
  stops the macros plugin). The tests that replay editors' mistakes now also check that
  a stopped build wrote no page. At 1,015 pages the online build went from 86.3 s to
  69.6 s. On the real guide the figure did not move (18.2 s, now 18.6 s): builds with no
  checks at all took 17–18 s in the same session, so at this size the checks no longer
  cost the build anything measurable and what is left is the build's own work.
- **The whole-guide PDF is finished by an incremental update written by hand**
  (`hooks/downloads/update.py`). pypdf's incremental writer copied all of the file's
  70,000 objects before writing the few that change. Now pypdf only reads the file; the
  nested bookmarks, the contents pages' numbers and the catalog are appended after the
  printed bytes with their own cross-reference section. The downloads step went from
  86 s to 64 s and `make build` from 146 s to 116 s. The tests that read the PDF's
  bookmarks, page numbers and tags pass unchanged; new tests check that the printed
  bytes stay first and unchanged and that the result reads strictly, with no repair.
  `qpdf --check` finds no problem in the new file; it warned about the object count
  in the one pypdf wrote.
- **Markdown style findings are cached for every check, and shared.** `scripts/lint.py`
  (the pre-commit checks) now uses the cache `make check` used: it scanned every file
  each time (about 28 s on the real guide), and takes 4.3 s with the cache filled. Checks that run at the same time on an empty
  cache (a fresh clone's test run starts several) share the work: each file is scanned
  by whichever process takes its lock first, and the others read its findings. Two
  `make check` runs started together on an empty cache took 16.7 s, 32 s of processor
  time between them; one alone takes 31 s. The cache's key now includes pymarkdown's
  version.

### What changed in the sixth session

Each build change removes work and leaves the output as it was (compared file by file,
as above).

- **print-site's per-page id pass is off** (`hooks/pages.py`). print-site renamed the
  ids of every page before putting it on the whole-guide page, with a pattern that scans
  from every `<` to the end of the line: long table rows made it quadratic (11 s of a
  40 s build; the References page alone 2.5 s). `unique_ids`, in the same hook, already
  gives every id in a page's section its page key, so the pass changed nothing the
  page keeps.
- **print-site's assets are stripped with a pattern that starts with a literal.** The
  old one began with `\\s*` and was tried at every position of every page (3 s).
- **YAML is parsed by libyaml** (`macros/yamlio.py`), the C parser PyYAML ships. Whenever
  it finds a problem, PyYAML's own parser reads the text again, so every message, line and
  column an editor sees is the same. Tests compare the two parsers on every data file
  and front matter block.
- **Each page gets only the glossary abbreviations it uses.** All 90 definitions were
  appended to every page and parsed 184 times (3–4 s). The abbr extension marks only
  whole words of the page's own text, so a definition whose abbreviation is not in the
  text changes nothing; a test converts real pages, and text written to trip the match,
  both ways and compares the HTML.
- **"Last updated" dates come from git while the pages render** (`hooks/git_dates.py`).
  The plugin's own function, with the same arguments, runs for every page in one
  background process, started when the files are known; the build used to wait about
  4 s for all of them first. One process, not two: with two, git took the core the
  build renders on. A test compares sampled pages' dates with the plugin's function.
- **`make build` runs the editor checks once**, in its first build; the offline and
  final online builds of the same run skip them (`EGUIDE_CHECKED`, as the pull-request
  workflow already did).
- **CI: the shared build runs in a background process**, started as soon as a worker
  has collected a test that needs it; both workers run the tests that need no build
  meanwhile (`tests/conftest.py`). Before, one worker built while the other ran out of
  build-free tests and waited.
- **CI: the colour rules run at one width.** On each page's own content, axe runs the
  colour rules (color-contrast, link-in-text-block) at desktop width; every other rule
  still runs at both widths, and the home page and section first pages still get every
  rule at both widths in both palettes. A test reads every style sheet the built site
  loads (Material's, its palettes, ours) and fails if a colour outside the chrome
  changes with the width.
- **Bench:** the synthetic guides are copied with everything a strict build reads (one
  list in `scripts/build.py`, also used by the tests' project copies), and a build's
  messages go to a file. The 1,000-page build had been failing its editor checks (the
  copy lacked the spelling list), and the unread pipe of messages stalled the bench.
  Its first run fills the Markdown linter's cache for the copied pages (232 s); the median
  of three is the warm figure.

### What the figures show

- **The online build** (profile below): most of what is left is the work itself:
  Python-Markdown (a fifth), Jinja rendering the theme's templates (a sixth), regular
  expressions and the standard library's HTML parser (search, Material); the macros take
  about 1.3 s. At 1,015 pages the build is now within 4× of Python-Markdown alone. On the
  real guide it would have to lose about 7 more seconds, which means rendering less per
  page, not moving work to the second core: that core already runs git for the "last
  updated" dates and the editor checks.
- **The full build** is three site builds (online, offline, online again to offer the
  zip) plus the downloads (64 s). Chromium printing the 850-page whole-guide PDF takes
  about 38 s of those (35 s untagged: the accessibility tags cost little), twice the
  online build, so the 2× goal cannot be met while every build prints it. The finishing
  step that took about 23 s (pypdf copying every object) now takes about 3 s. Adding the
  bookmarks in a thread while Chromium prints the handouts was tried in the sixth
  session and left out: on 2 cores the two share the processor.
- **Lighthouse** (previous round): stock Material itself scores 51–62 on these pages with
  this Chromium on this machine, so the score goal of 90 cannot be met here; the guide
  scores higher than stock on all three, and its Total Blocking Time is within 1.5× stock.

### Where CI's time goes

From the junit report of the seventh session's last full run (960 s on 2 workers; the table
"Where the test run's time goes" below lists every file):

- **axe** is 1,008 s of the 1,894 s of test time: a median of 4.8 s a page for 184
  pages, the References page 55 s. Measured alone on this machine, one page costs about
  3.2 s: loading it at desktop width 0.7 s, every WCAG rule in the light palette 1.0 s,
  the colour rules in the dark palette 0.7 s, loading it at phone width 0.6 s and the
  rules at phone width 0.4 s. Each part checks something the others do not, so the
  next cut would drop coverage that the standards ask for (every page, both palettes,
  both widths). axe alone is more than 6 minutes of wall time on 2 cores: the CI goal
  needs a bigger machine or a decision to run the full matrix on fewer pages per pull
  request.
- **Project copies:** `tests/test_editor_checks.py` (164 s, was 217 s two rounds ago),
  `tests/test_new_page.py` (68 s) and `tests/test_preview.py` (76 s) each build a
  copy; `tests/test_build.py` counts YAML parses in one more online build (30 s).
- **A fresh clone's empty cache:** the run starts several checks of the real guide at
  once (the shared build's, `tests/test_lint.py`'s and others), with nothing cached yet.
  They now share the Markdown style scans instead of each doing all of them (a test in
  `tests/test_lint.py` holds the sharing). The run above started with an empty cache.

What changed for the preview (earlier round): `make serve` runs `mkdocs serve --dirty`,
so a saved page is rendered alone; `hooks/preview.py` renders every page again when
anything else changed (data, macros, templates, hooks, the configuration, a page's front
matter, or a page added or removed). The data loaded and validated once is kept across
rebuilds; Jinja's compiled templates are kept across rebuilds; the staff forms at /admin/
are written once per full rebuild. The preview leaves out the whole-guide page, the "last
updated" dates, search, the downloads and the editor checks; its banner says so.

What changed for CI (earlier rounds): `make test` runs the tests on every core with
pytest-xdist, and the guide is built once per run and shared by the workers
(`tests/conftest.py`); axe checks the chrome in full only on the home page and the first
page of each nav section; the whole-guide PDF's text is read with PDFium; search tests
type each query at once.

Build time as the guide grew, before this round (2026-11-29, load not recorded):

| Pages | Build, median (s) | vs. Python-Markdown | Site (MB) | Page HTML median / largest (KB) | Search index (KB) |
| ---: | ---: | ---: | ---: | ---: | ---: |
| 94 (real guide) | 7.44 | 10.5× | 9.8 | 49 / 80 | 988 |
| 101 | 7.57 | 9.4× | 10.5 | 50 / 81 | 1083 |
| 502 | 32.58 | 7.3× | 46.9 | 60 / 92 | 5579 |
| 1006 | 63.37 | 8.3× | 96.5 | 65 / 96 | 11214 |"""


def render_sizes(rows: list[BuildStats], real: BuildStats | None) -> str:
    lines = [
        "| Pages | Build, median (s) | Per page (ms) | vs. Python-Markdown | Peak memory (MB) | Site (MB) | Page HTML median / largest (KB) | Whole-guide page (KB) | Search index (KB) | Load average |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, s in ([("real guide", real)] if real else []) + [(None, r) for r in rows]:
        name = f"{s.pages} ({label})" if label else f"{s.pages}"
        lines.append(
            f"| {name} | {s.median:.2f} | {1000 * s.median / s.pages:.1f} | {s.median / s.markdown_seconds:.1f}× "
            f"| {s.peak_mb:.0f} | {s.site_mb:.1f} | {s.page_median_kb:.0f} / {s.page_max_kb:.0f} "
            f"| {s.whole_guide_kb:.0f} | {s.index_kb:.0f} | {s.load:.1f} |"
        )
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        lines += ["", f"Growth from {small.pages} to {large.pages} pages: build time × "
                  f"{large.median / small.median:.1f} for × {large.pages / small.pages:.1f} the pages; "
                  f"largest page × {large.page_max_kb / small.page_max_kb:.2f}."]
    return "\n".join(lines)


# --- the report -------------------------------------------------------------------------

SECTIONS = ("builds", "full", "profile", "preview", "preview-large", "firstview", "search", "lighthouse", "ci")
MARK = "<!-- {}:{} -->"


def between(text: str, name: str) -> str | None:
    start, end = MARK.format(name, "start"), MARK.format(name, "end")
    if start in text and end in text:
        return text.split(start, 1)[1].split(end, 1)[0].strip("\n")
    return None


def merge_goals(old: str | None, figures: list[Figure]) -> str:
    """The goals table: this run's figures replace the rows of the same name; rows this
    run did not measure are kept with their own date and load."""
    order = [f.what for f in figures]
    rows = {f.what: f.row() for f in figures}
    for line in (old or "").splitlines():
        if line.startswith("| ") and not line.startswith(("| Figure ", "| ---")):
            what = line.split(" | ")[0][2:]
            # A figure this run could not measure keeps the one measured before.
            if what not in rows or any(f.what == what and f.measured.startswith("not measured")
                                       for f in figures):
                rows[what] = line
                if what not in order:
                    order.append(what)
    known = [what for what in GOAL_ORDER if what in rows]
    rest = [what for what in order if what not in known]
    return GOALS_HEADER + "\n" + "\n".join(rows[w] for w in known + rest)


# Figures in the order of the issue; new figures go after them.
GOAL_ORDER = (
    "Preview (`make serve`): save one page to reloaded page, real guide",
    "Preview (`make serve`): save one page to reloaded page, 1,000-page synthetic guide",
    "Online build ÷ Python-Markdown alone, real guide",
    "Online build ÷ Python-Markdown alone, 1,000-page synthetic guide",
    "Full `make build` (PDF, Word, offline zip) ÷ online build",
    "Lighthouse mobile, home page: performance and Total Blocking Time (TBT)",
    "Lighthouse mobile, law page: performance and Total Blocking Time (TBT)",
    "Lighthouse mobile, indicator cards: performance and Total Blocking Time (TBT)",
    "First view, home: all bytes (gzip)",
    "First view, deep page: all bytes (gzip)",
    "Search: whole question to first results, online (served)",
    "Search: whole question to first results, offline (file://)",
    "CI: every test (`make test`) on 2 cores",
)


def write_report(parts: dict[str, str]) -> None:
    """Rewrite docs/contribute/performance.md: the parts this run measured replace their
    sections; the others (and the "Both engines" section of scripts/bench_engines.py)
    are kept as they were."""
    today = date.today().isoformat()
    old = REPORT.read_text(encoding="utf-8") if REPORT.is_file() else ""
    kept = {name: between(old, name) for name in ("goals", "sizes", "profile", "lighthouse", "ci", "engines")}
    kept.update({k: v for k, v in parts.items() if v})

    def block(name: str, title: str, intro: str = "") -> str:
        body = kept.get(name)
        if not body:
            return ""
        # A section kept from the page as it was already has its heading.
        text = body if name == "engines" or body.startswith("## ") else f"## {title}\n\n{intro}{body}"
        return f"{MARK.format(name, 'start')}\n\n{text.strip()}\n\n{MARK.format(name, 'end')}\n\n"

    REPORT.write_text(
        f"""---
title: Performance report
description: Build time, preview time, page weight, Lighthouse and search speed, measured by make bench against their goals.
audiences: [editors]
last_reviewed: {today}
# Staff page: kept out of the reader search index.
search:
  exclude: true
---

# Performance report

This page is written by `make bench`, which builds the real guide and larger synthetic
copies of it, then measures the result in Chromium and Lighthouse. It is a report, not a
test: nothing in it fails a build. Review it when a change might make the guide slower for
editors or heavier for readers on phones and slow connections. The size budgets it reports
are also enforced by tests.

The machine that measured these figures is shared (2 cores, other work running), so
every figure gives the load average it was measured under, and each timing is the
median of several runs. Other work slows every figure: compare ratios against the same
run's baseline (the Python-Markdown floor, stock Material) rather than raw seconds.

{block("goals", "Goals and latest figures", f"Written by `make bench`; `make bench ONLY=lighthouse,search` measures some sections and keeps the other rows. {versions()}.{chr(10)}{chr(10)}")}{block("sizes", "Build time and size as the guide grows")}{BEFORE_AFTER}

{block("profile", "Where the online build's seconds go")}{block("lighthouse", "Main thread: the guide and stock Material")}{block("ci", "Where the test run's time goes")}{block("engines", "")}## How to read it

- **Online build ÷ Python-Markdown alone** divides a strict online build by the time
  Python-Markdown alone takes to convert the same pages with the same extensions; it
  shows what the theme, macros, plugins and hooks add.
- **Full `make build`** adds the Word and PDF downloads, the offline build and zip, and
  a second online build that offers them.
- **Synthetic copies** repeat the real chapters (macros included) under one extra
  section, the way state-by-state pages would be added.
- **Preview** is the time from saving one page while `make serve` runs to the preview
  serving the changed page (MkDocs holds the request until its rebuild is done, as it
  does for the browser's live reload).
- **Lighthouse** runs its mobile preset (simulated slow phone and network) on the guide
  and on a stock Material site holding the same content (every page's article, under the
  same nav, with the theme's defaults), one after the other, both served on 127.0.0.1. Total Blocking Time is the main-thread time that keeps a phone from
  answering a tap.
- **First view** counts the bytes a new visitor downloads for one page, compressed with
  gzip as web servers send them. The search index is loaded only when a reader opens
  search, so it is not part of a first view.
- **Search** is the time from a whole question entered in the search box (results
  cleared before) to the first frame that shows its results, for every query of four
  words or more in `tests/test_search_quality.py`, three times each, online (served on
  127.0.0.1) and offline (the unzipped bundle opened from a file).
- **CI** is read from a pytest report (`--durations FILE`); `make bench` does not run the
  tests itself.

## Related

- [Editing locally](editing-locally.md)
- [Content health](content-health.md)
""", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure the guide against its speed goals.")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to measure (default all): {', '.join(SECTIONS)}")
    parser.add_argument("--sizes", default="100,500,1000", help="synthetic guide sizes (pages)")
    parser.add_argument("--runs", type=int, default=3, help="timings per figure (median reported)")
    parser.add_argument("--full-runs", type=int, default=None, help="runs of the full `make build` (default --runs)")
    parser.add_argument("--search-rounds", type=int, default=3)
    parser.add_argument("--reuse-build", type=Path,
                        help="output of `scripts/build.py --out DIR` to measure in the browser "
                             "(instead of building afresh)")
    parser.add_argument("--durations", type=Path,
                        help="a pytest --junitxml file or saved --durations=0 output, for the CI row")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--preview-only", action="store_true", help="the same as --only preview")
    args = parser.parse_args(argv)
    only = {"preview"} if args.preview_only else {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    largest = max(sizes) if sizes else 1000
    figures: list[Figure] = []
    parts: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="eguide-bench-") as tmp:
        work = Path(tmp)
        real = None
        rows: list[BuildStats] = []
        if "builds" in only:
            print("Building the real guide …", flush=True)
            real = measure(ROOT / "mkdocs.yml", args.runs, work / "real")
            figures.append(floor_figure(real, "real guide"))
            for size in sizes:
                print(f"Building about {size} pages …", flush=True)
                rows.append(measure(synthetic_project(size, work), args.runs, work / f"s{size}"))
            if rows:
                figures.append(floor_figure(rows[-1], f"{largest:,}-page synthetic guide"))
            parts["sizes"] = render_sizes(rows, real)
        outputs = build.outputs_under(args.reuse_build) if args.reuse_build else None
        if "full" in only:
            print("Timing the full `make build` …", flush=True)
            full, _parts = full_build_figures(work / "full", args.full_runs or args.runs,
                                              real.seconds if real else [])
            figures += full
            outputs = outputs or build.outputs_under(work / "full")
        if "profile" in only:
            print("Profiling one online build …", flush=True)
            parts["profile"] = profile_build(ROOT / "mkdocs.yml", work / "profiled")
        if "preview" in only:
            print("Measuring the preview (make serve) …", flush=True)
            pages = len(load_project(ROOT / "mkdocs.yml").reader_pages())
            figures.append(preview_figure(preview_reload(saves=args.runs), pages, PREVIEW_GOAL_SECONDS,
                                          "real guide"))
        if "preview-large" in only:
            config = synthetic_project(largest, work)
            print(f"Measuring the preview at about {largest} pages …", flush=True)
            figures.append(preview_figure(
                preview_reload(config.parent, saves=args.runs, config=synthetic_preview(config)),
                len(load_project(config).reader_pages()), PREVIEW_LARGE_GOAL_SECONDS,
                f"{largest:,}-page synthetic guide"))
        if only & {"firstview", "search", "lighthouse"}:
            if outputs is None:
                print("Building the guide for the browser measurements …", flush=True)
                outputs = build.build_all(work / "full")
            unzipped = work / "unzipped"
            with zipfile.ZipFile(outputs.zip) as zf:
                zf.extractall(unzipped)
            offline_root = unzipped / build.BUNDLE_NAME
            if "firstview" in only:
                figures += first_view_figures(outputs.site, offline_root)
            if "search" in only:
                print("Timing search …", flush=True)
                figures += search_figures(outputs.site, offline_root, args.search_rounds)
            if "lighthouse" in only:
                print("Running Lighthouse …", flush=True)
                lh, parts["lighthouse"] = lighthouse_figures(outputs.site, work, args.runs)
                figures += lh
        if "ci" in only:
            ci, parts["ci"] = ci_figures(args.durations)
            figures += ci
    old = REPORT.read_text(encoding="utf-8") if REPORT.is_file() else ""
    parts["goals"] = merge_goals(between(old, "goals"), figures)
    print(GOALS_HEADER)
    for figure in figures:
        print(figure.row())
    for name in ("sizes", "profile", "lighthouse", "ci"):
        if parts.get(name):
            print(f"\n{parts[name]}")
    if not args.no_write:
        write_report(parts)
        print(f"\nWritten to {REPORT.relative_to(ROOT)}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
