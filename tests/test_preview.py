"""`make serve` keeps running through mistakes and shows them in the page.

One real `mkdocs serve -f mkdocs.preview.yml` on a throwaway copy of the project, on
127.0.0.1 and a free port. The test breaks a macro call and a link, then the data, then
fixes both, and each time polls the served page over HTTP until it shows the expected
state (no fixed sleeps; every wait has a deadline). The server is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import screenshots  # tests/screenshots.py

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
PAGE = "docs/resources/contacts.md"
BUILD_TIMEOUT = 300  # seconds for one (re)build on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, condition, what: str, server: subprocess.Popen, log: Path) -> str:
    """Poll the page until condition(html) holds; fail with the server log if not."""
    deadline = time.monotonic() + BUILD_TIMEOUT
    html = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped (exit {server.returncode}) waiting for {what}:\n"
                        + log.read_text(errors="replace")[-3000:])
        html = fetch(url)
        if html and condition(html):
            return html
        time.sleep(0.5)  # polling interval, not a wait for a result
    pytest.fail(f"timed out waiting for {what}; server log:\n"
                + log.read_text(errors="replace")[-3000:])


@pytest.fixture
def preview_server(tmp_path):
    """A copy of the project served by the preview configuration."""
    project = tmp_path / "project"
    for name in ("docs", "overrides", "macros", "hooks", "data"):
        shutil.copytree(ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "mkdocs.preview.yml"):
        shutil.copy(ROOT / name, project / name)
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EGUIDE_DOWNLOADS", None)
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(MKDOCS), "serve", "-f", "mkdocs.preview.yml", "--livereload", "--dirty",  # as `make serve`
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
    try:
        yield project, f"http://127.0.0.1:{port}/resources/contacts/", server, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


def test_preview_shows_mistakes_and_recovers(preview_server, browser):
    project, url, server, log = preview_server
    page = project / PAGE
    contacts = project / "data" / "contacts.yml"
    original_page = page.read_text(encoding="utf-8")
    original_data = contacts.read_text(encoding="utf-8")

    html = wait_for(url, lambda h: "National Human Trafficking Hotline" in h,
                    "the first build", server, log)
    assert "eguide-preview-error" not in html
    assert "eguide-preview-banner" in html, "the preview banner is missing"
    assert "not rebuilt here" in html

    # 1. A misspelled contact id and a link to a page that does not exist.
    assert 'contact_block("dol-whd")' in original_page
    page.write_text(original_page.replace('contact_block("dol-whd")',
                                          'contact_block("dol-whdd")')
                    + "\nSee [the missing page](no-such-page.md).\n", encoding="utf-8")
    html = wait_for(url, lambda h: "eguide-preview-error" in h and "dol-whdd" in h,
                    "the macro error box", server, log)
    assert "no contact with id &#x27;dol-whdd&#x27;" in html or "no contact with id 'dol-whdd'" in html
    assert "no-such-page.md" in html, "the broken link is not reported in the page"
    assert "points to docs/resources/no-such-page.md, which does not exist" in html
    # The rest of the page still renders around the box.
    assert "CyberTipline" in html
    # The line of the Markdown file where the call is typed (front matter counted).
    typed_on = next(n for n, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                    if 'contact_block("dol-whdd")' in text)
    assert f"line {typed_on} of docs/resources/contacts.md" in html
    terminal = log.read_text(errors="replace")
    assert f"docs/resources/contacts.md, line {typed_on}: contact_block('dol-whdd')" in terminal, \
        "no line in the terminal"
    assert "did you mean &#x27;dol-whd&#x27;?" in html or "did you mean 'dol-whd'?" in html
    assert "Traceback" not in terminal
    screenshots.element_png(browser, url, ".eguide-preview-error:has-text(\"this macro failed\")",
                            "preview-error-box.png")
    assert "[macros] - Found" not in terminal, "the macros plugin's set-up chatter is back"

    # 2. Fix the page, but give a contact a field the schema does not know.
    page.write_text(original_page, encoding="utf-8")
    contacts.write_text(original_data.replace("  phone: 1-888-373-7888\n",
                                              "  phone: 1-888-373-7888\n  fax: nothing\n", 1),
                        encoding="utf-8")
    html = wait_for(url, lambda h: "the data files have problems" in h,
                    "the data error box", server, log)
    assert "data/contacts.yml: entry &#x27;nhth&#x27;, field &#x27;fax&#x27;" in html
    assert server.poll() is None

    # 3. Fix the data with a visible change: it appears without a restart.
    contacts.write_text(original_data.replace(
        "name: National Human Trafficking Hotline",
        "name: National Human Trafficking Hotline (edited in the preview test)", 1),
        encoding="utf-8")
    html = wait_for(url, lambda h: "edited in the preview test" in h,
                    "the data edit to show", server, log)
    assert "eguide-preview-error" not in html
    assert 'href="tel:' in html  # contact cards are back
