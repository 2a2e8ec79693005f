"""`make new-page` (scripts/new_page.py) on a throwaway copy of the project: the new page
builds strictly, is in the navigation and is linked from its chapter's overview."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

import new_page  # noqa: E402  (scripts/new_page.py)

ARGS = ["--chapter", "structure", "--title", "Media relations",
        "--description", "How a task force answers reporters without exposing survivors.",
        "--audiences", "task-force-leadership,law-enforcement"]


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "new_page.py"),
                           "--root", str(project), *args],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_new_page_builds_and_is_linked(project_copy, tmp_path):
    config_before = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    result = run(project_copy, *ARGS)
    assert result.returncode == 0, result.stderr

    page = project_copy / "docs/structure/media-relations.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Media relations\n")
    assert f"last_reviewed: {date.today().isoformat()}" in text
    assert "\n# Media relations\n" in text and "\n## Related\n" in text

    # mkdocs.yml: exactly one line added, so comments and !ENV tags are untouched.
    config_after = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    added = [line for line in config_after.splitlines() if line not in config_before.splitlines()]
    assert added == ["      - structure/media-relations.md"]
    assert config_after.count("!ENV") == config_before.count("!ENV") > 0
    assert config_after.replace("      - structure/media-relations.md\n", "", 1) == config_before

    # The skeleton's TODO lines are instructions: `make check` lists each one, and the
    # strict build (which runs the same checks) refuses the page until they are replaced.
    check = subprocess.run([sys.executable, "scripts/check.py"], cwd=project_copy,
                           capture_output=True, text=True, timeout=900)
    assert check.returncode == 1
    todo_lines = [n for n, line in enumerate(text.splitlines(), 1) if "TODO" in line]
    for number in todo_lines:
        assert f"docs/structure/media-relations.md:{number}: " in check.stdout, check.stdout
    assert "related-links" in check.stdout  # one real link so far; two to five needed
    filled = re.sub(r"TODO: .*", "Written by the editor for this test.", text)
    related = filled.index("## Related")
    filled = filled[:related] + filled[related:].replace(
        "- Written by the editor for this test.", "- [Memoranda of understanding (MOUs)](mou.md)")
    page.write_text(filled, encoding="utf-8")

    site = tmp_path / "site"
    build = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict",
                            "-q", "-d", str(site)], cwd=project_copy, capture_output=True,
                           text=True, timeout=900)
    assert build.returncode == 0, build.stderr[-3000:]
    built = (site / "structure/media-relations/index.html").read_text(encoding="utf-8")
    assert "<h1" in built and "Media relations" in built
    # In the navigation of another page of the chapter, and linked from its overview.
    mou = (site / "structure/mou/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./media-relations/"[^>]*class="md-nav__link"', mou) \
        or 'href="../media-relations/"' in mou
    overview = (site / "structure/index.html").read_text(encoding="utf-8")
    assert re.search(r'<li><a href="media-relations/">Media relations</a>: how a task force',
                     overview)


@pytest.mark.parametrize("change, expected", [
    (["--audiences", "reporters"], "'reporters' is not one of"),
    (["--chapter", "nowhere"], "chapter 'nowhere' is not one of"),
    (["--description", "Too short."], "expected 20–200"),
    (["--title", "Memoranda of understanding", "--name", "mou"], "already exists"),
])
def test_new_page_refuses_mistakes_and_changes_nothing(project_copy, change, expected):
    args = list(ARGS)
    for i in range(0, len(change), 2):
        if change[i] in args:
            args[args.index(change[i]) + 1] = change[i + 1]
        else:
            args += change[i:i + 2]
    before = {p: p.read_bytes() for p in [project_copy / "mkdocs.yml",
                                          project_copy / "docs/structure/index.md"]}
    result = run(project_copy, *args)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr and expected in result.stderr
    assert all(p.read_bytes() == content for p, content in before.items())
    assert not (project_copy / "docs/structure/media-relations.md").exists()


def test_nav_entry_goes_after_nested_sections():
    config = "nav:\n  - A:\n      - a/index.md\n      - Sub:\n          - a/x/y.md\n  - B:\n      - b/index.md\n"
    assert new_page.add_to_nav(config, "a", "a/new.md") == (
        "nav:\n  - A:\n      - a/index.md\n      - Sub:\n          - a/x/y.md\n"
        "      - a/new.md\n  - B:\n      - b/index.md\n")
