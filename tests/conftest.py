"""Shared fixtures: one real build per test session, a local server, Chromium."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import sys
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (scripts/build.py)

# One list of Chromium flags for the build (PDFs) and the tests: hooks/chromium.py.
from hooks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
# Builds of project copies run the editor checks (hooks/editor_checks.py); sharing the
# repository's pymarkdown cache means only the files a test changed are scanned again.
os.environ.setdefault("EGUIDE_CHECK_CACHE", str(ROOT / ".cache" / "check"))


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: nothing may pass by not running."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI=true: {len(skipped)} test(s) were skipped; a skipped test fails CI.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config, items):
    """Start the shared build at once and keep the other workers busy meanwhile: the
    first test that needs the build goes first, then every test that needs none (the
    editor checks' project copies, lint, data, the preview), then the rest. Under
    pytest-xdist the worker that gets the first test builds while the others run the
    tests that need no build, instead of waiting on the build's lock. Order only."""
    needs = [item for item in items if "built" in item.fixturenames]
    if needs:
        items[:] = needs[:1] + [item for item in items if "built" not in item.fixturenames] + needs[1:]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> build.Outputs:
    """The real guide, built once: online site, offline build and zip.

    While iterating on tests, EGUIDE_REUSE_BUILD=DIR reuses the output of
    `python scripts/build.py --out DIR`. CI always builds afresh.

    `make test` runs the tests in parallel (pytest-xdist): the first worker to get here
    builds into a folder all workers share, under a file lock; the others wait for it and
    use the same build (or report the same failure), so the guide is built once.
    """
    reuse = os.environ.get("EGUIDE_REUSE_BUILD")
    if reuse and os.environ.get("CI") != "true":
        outputs = build.outputs_under(Path(reuse))
        if outputs.zip.is_file():
            return outputs
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build.build_all(tmp_path_factory.mktemp("build"))
    shared = tmp_path_factory.getbasetemp().parent  # one folder per run, shared by workers
    target = shared / "shared-build"
    done, failed = shared / "shared-build.done", shared / "shared-build.failed"
    with open(shared / "shared-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if failed.is_file():
                pytest.fail(f"The shared build failed in another worker:\n{failed.read_text()}")
            if done.is_file():
                return build.outputs_under(target)
            try:
                outputs = build.build_all(target)
            except BaseException as error:
                failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
                raise
            done.touch()
            return outputs
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def offline_root(built, tmp_path_factory) -> Path:
    """The offline zip unpacked as a reader would: returns the folder with index.html."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(built.zip) as zf:
        zf.extractall(target)
    return target / build.BUNDLE_NAME


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(built):
    """The online build served on 127.0.0.1 (a free port). Yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(built):
    """Debian's Chromium driven by Playwright (no browser download). Depends on the
    build so the build (which prints the PDF with its own Playwright) runs first."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: run `make browser` (CI fails on this skip)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave screenshots and reports for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project sources, for tests that break things on purpose."""
    # scripts/ and hooks/: the strict build runs the editor checks (hooks/editor_checks.py
    # runs scripts/check.py), which read the linters' settings in the files below.
    for name in ("docs", "overrides", "macros", "data", "scripts", "hooks"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml", ".pymarkdown.json", ".codespell-words.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path
