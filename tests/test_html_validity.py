"""The Nu HTML Checker (vnu-jar, pinned in package.json) over every built page. The
guide's own templates, macros and hooks may cause no error. What Material for MkDocs
itself writes, and cannot be changed without forking its base template, is listed here
by message, so a new kind of error still fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from sitemap import ROOT

VNU = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))

# Material 9.8.1 base.html and partials/nav.html: autocomplete="off" on its checkbox
# toggles (drawer, search), and the "__toc" label on pages whose contents list is empty.
MATERIAL = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
)


def test_no_html_errors_from_the_guide_itself(built):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip(f"Nu HTML Checker not found at {VNU} (run `npm ci`) or Java missing")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(built.site)],
        capture_output=True, text=True, timeout=900)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    ours = [m for m in messages if not m["message"].startswith(MATERIAL)]
    summary = Counter(f"{m['url'].split('/site/')[-1]}: {m['message']}" for m in ours)
    assert not ours, "\n".join(f"{n}× {text}" for text, n in summary.most_common(30))
