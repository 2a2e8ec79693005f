"""Shared fixtures: one real build per test session, a local server, Chromium."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import subprocess
import sys
import threading
import time
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
    """Under pytest-xdist, the shared build starts in a background process as soon as
    a worker has collected a test that needs it, and every worker runs the tests that
    need no build meanwhile (the editor checks' project copies, lint, data, the
    preview): those go first, then the tests that need the build. Before, one worker
    built while the other ran out of build-free tests and waited (about 130 s). Order
    only: every test still runs."""
    needs = [item for item in items if "built" in item.fixturenames]
    if not needs:
        return
    if os.environ.get("PYTEST_XDIST_WORKER") and _reused_build() is None:
        _start_shared_build(_shared_dir(config))
        items[:] = [item for item in items if "built" not in item.fixturenames] + needs
    else:  # one process: build first (a failing build shows at once)
        items[:] = needs[:1] + [item for item in items if "built" not in item.fixturenames] + needs[1:]


def _reused_build() -> build.Outputs | None:
    reuse = os.environ.get("EGUIDE_REUSE_BUILD")
    if reuse and os.environ.get("CI") != "true":
        outputs = build.outputs_under(Path(reuse))
        if outputs.zip.is_file():
            return outputs
    return None


def _shared_dir(config) -> Path:
    """One folder per run that every worker sees (the parent of the workers' basetemps)."""
    return config._tmp_path_factory.getbasetemp().parent


def _start_shared_build(shared: Path) -> None:
    """The first worker to get here starts `scripts/build.py` in the background; its
    outcome lands in shared-build.done or shared-build.failed (with the build's output)."""
    with open(shared / "shared-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if (shared / "shared-build.pid").is_file():
                return
            script = (
                "import sys, pathlib, build\n"
                "shared = pathlib.Path(sys.argv[1])\n"
                "try:\n"
                "    build.build_all(shared / 'shared-build')\n"
                "except BaseException as error:\n"
                "    (shared / 'shared-build.failed').write_text(f'{type(error).__name__}: {error}')\n"
                "    raise SystemExit(1)\n"
                "(shared / 'shared-build.done').touch()\n"
            )
            log = open(shared / "shared-build.log", "w")
            process = subprocess.Popen(
                [sys.executable, "-c", script, str(shared)], cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                    [str(ROOT / "scripts"), str(ROOT), os.environ.get("PYTHONPATH", "")])))
            (shared / "shared-build.pid").write_text(str(process.pid))
            _background.append(process)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_background: list = []  # the build process this worker started, if any (never stopped
# from here: a worker may end while others still wait for the build; Ctrl-C reaches it)


def _running(pid: int) -> bool:
    """The process exists and has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _wait_for_shared_build(shared: Path) -> build.Outputs:
    done, failed = shared / "shared-build.done", shared / "shared-build.failed"
    pid = int((shared / "shared-build.pid").read_text())
    while not (done.is_file() or failed.is_file()):
        for process in _background:  # reap it, so an ended build is not left a zombie
            process.poll()
        if not _running(pid):  # ended without a word (killed): one more look, then fail
            if not (done.is_file() or failed.is_file()):
                break
        time.sleep(0.5)  # a file appears when the build ends; not a browser test
    if done.is_file():
        return build.outputs_under(shared / "shared-build")
    why = failed.read_text(encoding="utf-8") if failed.is_file() else "the build process ended early"
    log = (shared / "shared-build.log").read_text(encoding="utf-8", errors="replace")[-4000:]
    pytest.fail(f"The shared build failed:\n{why}\n--- its output (end) ---\n{log}")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> build.Outputs:
    """The real guide, built once: online site, offline build and zip.

    While iterating on tests, EGUIDE_REUSE_BUILD=DIR reuses the output of
    `python scripts/build.py --out DIR`. CI always builds afresh.

    `make test` runs the tests in parallel (pytest-xdist): the build runs once, in a
    background process the first worker starts after collecting (see
    pytest_collection_modifyitems), and every worker waits for it here and uses the same
    build (or reports the same failure).
    """
    reused = _reused_build()
    if reused is not None:
        return reused
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build.build_all(tmp_path_factory.mktemp("build"))
    return _wait_for_shared_build(tmp_path_factory.getbasetemp().parent)


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
    return build.copy_sources(tmp_path)
