"""The one Chromium the project uses (Debian's, driven by Playwright with no browser
download) and the flags for a closed network, shared by the build (PDFs,
hooks/downloads/pdf.py), the tests (tests/conftest.py) and `make bench`: without them
Chromium phones home at start."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
