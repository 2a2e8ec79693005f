"""The six edits a coordinator tried (issue 21), replayed on a copy of the project.

Each edit runs `make check` (scripts/check.py) and the strict build on the same copy:
every edit gets one report listing everything, in plain words with a fix for each, and
the build stops (or passes) exactly when the check does. The copy shares the pymarkdown
cache with the repository, so only changed files are scanned again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build import copy_sources  # scripts/build.py
import screenshots  # tests/screenshots.py

ROOT = Path(__file__).resolve().parent.parent
# Besides the sources every project copy gets (scripts/build.py), the pages editors read.
COPIED_FILES = ("CONTRIBUTING.md", "README.md")
TIMEOUT = 900  # seconds for one strict build on a busy 2-core machine
TODAY = "2026-11-30"


@pytest.fixture
def project(tmp_path):
    copy = copy_sources(tmp_path / "project")
    for name in COPIED_FILES:
        shutil.copy(ROOT / name, copy / name)
    return copy


def env() -> dict:
    found = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
             "EGUIDE_CHECK_CACHE": str(ROOT / ".cache" / "check")}
    found.pop("EGUIDE_DOWNLOADS", None)
    # The pull-request workflow sets this for its test step (the check ran just before);
    # here the build must run the checks, since that is what is tested.
    found.pop("EGUIDE_CHECKED", None)
    return found


def check(project: Path, *args: str, github: bool = False) -> subprocess.CompletedProcess:
    variables = {**env(), "GITHUB_ACTIONS": "true" if github else "false"}
    return subprocess.run([sys.executable, "scripts/check.py", "--today", TODAY, *args],
                          cwd=project, capture_output=True, text=True, env=variables,
                          timeout=TIMEOUT)


def build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "-d", str(project.parent / "site")],
                          cwd=project, capture_output=True, text=True, env=env(), timeout=TIMEOUT)


def problem_lines(report: str) -> list[str]:
    """The `file:line: message` lines of a report."""
    return [line.strip() for line in report.splitlines()
            if re.match(r"^\s+\S+:\d+: ", line)]


def assert_agree(project: Path, result: subprocess.CompletedProcess) -> None:
    """The strict build fails exactly when the check does, with the same problems."""
    built = build(project)
    output = built.stdout + built.stderr
    if result.returncode == 0:
        assert built.returncode == 0, f"check passed but the build failed:\n{output[-3000:]}"
    else:
        assert built.returncode != 0, "check failed but the strict build passed"
        for line in problem_lines(result.stdout):
            assert line in output, f"the build's report lacks: {line}\n{output[-3000:]}"
        assert "Traceback" not in output
        # The report names the files; no line blames the page the build was reading.
        assert "Error reading page" not in output, output[-3000:]
        # The checks run while the pages render; a failed check still ships nothing.
        written = sorted(str(path) for path in (project.parent / "site").rglob("*.html"))
        assert written == [], f"a build the checks stopped wrote {len(written)} pages"
    assert "[macros] - Found" not in output  # the macros plugin's set-up chatter


def assert_one_report(result: subprocess.CompletedProcess) -> list[str]:
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    lines = problem_lines(out)
    assert lines, out
    # every problem is followed by its fix
    body = out.splitlines()
    for index, line in enumerate(body):
        if re.match(r"^\s+\S+:\d+: ", line):
            assert body[index + 1].strip().startswith("Fix: "), line
    assert re.search(r"\d+ problems? in \d+ files?\.", out)
    return lines


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


# --- the two edits that should pass ------------------------------------------------------

def test_edits_1_and_2_update_the_hotline_and_add_a_resource(project):
    contacts = project / "data" / "contacts.yml"
    edit(contacts, "  hours: 24 hours a day, 7 days a week\n  languages: [English",
         "  hours: Every day, day and night\n  languages: [English")
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "No problems found" in result.stdout

    sources = project / "data" / "sources.yml"
    text = sources.read_text(encoding="utf-8")
    entry = re.search(r"^- id: tvpra-2017-pl-115-425\n(?:  .*\n)+", text, re.M).group(0)
    sources.write_text(text.rstrip("\n") + "\n\n" + entry.replace(
        "id: tvpra-2017-pl-115-425", "id: tvpra-2017-copy").replace(
        "— official text", "— a second copy for the test") + "", encoding="utf-8")
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert_agree(project, result)


# --- the four edits that should be refused -------------------------------------------------

def test_edit_3_a_page_not_in_the_navigation(project):
    page = project / "docs" / "supporting-victims" / "new-test-page.md"
    template = (project / "docs" / "supporting-victims" / "index.md").read_text(encoding="utf-8")
    page.write_text(template, encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    lines = assert_one_report(result)
    assert lines == ["docs/supporting-victims/new-test-page.md:1: this page is not in the "
                     "navigation, so readers cannot find it from the menu.  [nav]"]
    assert "Fix: Add '- supporting-victims/new-test-page.md' to the nav in mkdocs.yml" in result.stdout
    assert "make new-page" in result.stdout
    assert_agree(project, result)


def test_edit_4_a_typed_phone_number_and_click_here(project):
    page = project / "docs" / "supporting-victims" / "index.md"
    text = page.read_text(encoding="utf-8")
    first_heading = next(line for line in text.splitlines() if line.startswith("## "))
    edit(page, first_heading, first_heading + "\n\nCall the shelter at 555-201-4433 or "
         "[click here](../resources/contacts.md) for more.\n")
    result = check(project)
    assert result.returncode == 1
    lines = assert_one_report(result)
    number = line_of(page, "555-201-4433")
    assert any(l.startswith(f"docs/supporting-victims/index.md:{number}: ") and "phone number" in l
               for l in lines), lines
    assert any(l.startswith(f"docs/supporting-victims/index.md:{number}: ") and "MD059" in l
               for l in lines), lines
    assert "contact_block" in result.stdout  # the fix says how to show a number
    assert_agree(project, result)


def test_edit_5_broken_yaml_and_a_page_problem_in_one_report(project, browser):
    contacts = project / "data" / "contacts.yml"
    edit(contacts, "  name: National Human Trafficking Hotline\n",
         "  name: National Human Trafficking Hotline\n   phone_note: call any time\n")
    bad = line_of(contacts, "phone_note: call any time")
    # A page mistake at the same time: a data error must not hide it.
    edit(project / "docs" / "supporting-victims" / "index.md", "\n## ", "\nTODO\n\n## ")
    result = check(project)
    assert result.returncode == 1
    lines = assert_one_report(result)
    yaml_line = next(l for l in lines if l.startswith("data/contacts.yml:"))
    assert yaml_line.startswith(f"data/contacts.yml:{bad}: the file cannot be read: ")
    assert "colon" in yaml_line or "indented" in yaml_line
    assert "mapping values are not allowed" not in result.stdout
    assert any(l.startswith("docs/supporting-victims/index.md:") and "TODO" in l for l in lines)
    screenshots.report_png(browser, result.stdout.strip(), "make-check-report.png")
    assert_agree(project, result)


def test_edit_6_a_misspelled_contact_id(project):
    page = project / "docs" / "resources" / "contacts.md"
    edit(page, 'contact_block("dol-whd")', 'contact_block("dol-whdd")')
    result = check(project)
    assert result.returncode == 1
    lines = assert_one_report(result)
    line = line_of(page, 'contact_block("dol-whdd")')
    [found] = [l for l in lines if l.startswith(f"docs/resources/contacts.md:{line}: ")]
    assert "no contact with id 'dol-whdd' in data/contacts.yml; did you mean 'dol-whd'?" in found
    assert "Fix: Change it to 'dol-whd'" in result.stdout
    assert_agree(project, result)


def test_a_misspelled_macro_name(project):
    page = project / "docs" / "resources" / "contacts.md"
    edit(page, 'contact_block("dol-whd")', 'contact_blok("dol-whd")')
    result = check(project)
    lines = assert_one_report(result)
    line = line_of(page, 'contact_blok("dol-whd")')
    assert (f"docs/resources/contacts.md:{line}: 'contact_blok' is not a macro or variable the "
            "guide knows. Did you mean 'contact_block'?  [macro]") in lines
    assert_agree(project, result)


# --- messages, one by one -------------------------------------------------------------------

def test_a_date_typed_as_11_30_2026(project):
    contacts = project / "data" / "contacts.yml"
    edit(contacts, "  last_verified: 2026-11-29\n  source_note: Checked against the U.S. Department of Transportation",
         "  last_verified: 11/30/2026\n  source_note: Checked against the U.S. Department of Transportation")
    result = check(project)
    assert result.returncode == 1
    [found] = [l for l in problem_lines(result.stdout) if l.startswith("data/contacts.yml:")]
    line = line_of(contacts, "last_verified: 11/30/2026")
    assert found.startswith(f"data/contacts.yml:{line}: entry 'emergency', field 'last_verified': "
                            "'11/30/2026' is not written as year-month-day; write the date as 2026-11-30")
    assert "Fix: Write the date as 2026-11-30 (year-month-day)." in result.stdout
    # In a pull request the same problem is an annotation on that line of the data file.
    annotated = check(project, github=True)
    assert (f"::error file=data/contacts.yml,line={line},title=data::entry 'emergency', field "
            "'last_verified': '11/30/2026' is not written as year-month-day") in annotated.stdout


def test_a_misspelled_topic_tag_and_an_unknown_register_id(project):
    sources = project / "data" / "sources.yml"
    text = sources.read_text(encoding="utf-8")
    vocab = (project / "data" / "vocabularies.yml").read_text(encoding="utf-8")
    assert "id: victim-services" in vocab
    sources.write_text(text.replace("audiences: [prosecutors, law-enforcement, task-force-leadership]",
                                    "audiences: [prosecutors, law-enforcement, victim-service]", 1),
                       encoding="utf-8")
    page = project / "docs" / "supporting-victims" / "index.md"
    edit(page, "\n## ", "\nA new fact.[^zz]\n\n[^zz]: {{ source(\"tvpra-2017-pl-115-42\") }}.\n\n## ")
    result = check(project)
    out = result.stdout
    assert "'victim-service' is not one of" in out and "did you mean 'victim-services'?" in out
    assert "Fix: Change it to 'victim-services'" in out
    assert "cites source(\"tvpra-2017-pl-115-42\"), which is not in data/sources.yml. " \
           "Did you mean 'tvpra-2017-pl-115-425'" in out


def test_a_link_to_a_misspelled_page_and_anchor(project):
    page = project / "docs" / "supporting-victims" / "index.md"
    edit(page, "\n## ", "\nSee [the contacts](../resources/contact.md) and "
         "[who to call](../identifying/settings/domestic-work.md#who-to-cal).\n\n## ")
    result = check(project)
    out = result.stdout
    assert "points to docs/resources/contact.md, which does not exist. Did you mean " \
           "'../resources/contacts.md'?" in out
    assert "Fix: Change the link to '../resources/contacts.md'." in out
    assert "points to a section '#who-to-cal' that docs/identifying/settings/domestic-work.md " \
           "does not have. Did you mean '#who-to-call'?" in out


def test_no_traceback_unless_verbose(project):
    (project / "mkdocs.yml").write_text("nav: [\n", encoding="utf-8")
    quiet = check(project)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stdout + quiet.stderr
    assert "The check itself could not run" in quiet.stderr
    loud = check(project, "--verbose")
    assert "Traceback" in loud.stderr


def test_related_links_and_a_nav_entry_without_a_page(project):
    page = project / "docs" / "supporting-victims" / "index.md"
    text = page.read_text(encoding="utf-8")
    related = text.index("\n## Related\n")
    links = [line for line in text[related:].splitlines() if line.startswith("- [")]
    assert 2 <= len(links) <= 5
    page.write_text(text[:related] + "\n## Related\n\n" + links[0] + "\n", encoding="utf-8")
    edit(project / "mkdocs.yml", "      - glossary.md\n", "      - glossary.md\n      - glosary-extra.md\n")
    result = check(project)
    lines = assert_one_report(result)
    heading = line_of(page, "## Related")
    assert f"docs/supporting-victims/index.md:{heading}: the Related list has 1 link; it needs " \
           "two to five.  [related-links]" in lines
    nav_line = line_of(project / "mkdocs.yml", "glosary-extra.md")
    assert any(l.startswith(f"mkdocs.yml:{nav_line}: the navigation lists 'glosary-extra.md', "
                            "but docs/glosary-extra.md does not exist.") for l in lines), lines
    # Staff pages (docs/contribute/) are not held to the reader-page convention.
    assert not any(l.startswith("docs/contribute/") for l in lines)


# --- the plain-language translations themselves (macros/messages.py) -----------------------

from macros import messages  # noqa: E402


@pytest.mark.parametrize("text, line, words", [
    ("- id: a\n  name: x\n   phone: 1\n", 3, "colon (:) where YAML did not expect one"),
    ("- id: a\n  title: Part 1: the basics\n", 2, "must be put in quotes"),
    ("- id: a\n  name: x\n - id: b\n", 3, "indented differently"),
    ("- id: a\n  name: \"unclosed\n  phone: 1\n", 2, "quotation mark is opened but never closed"),
    ("- id: a\n  audiences: [one, two\n  phone: 1\n", 3, "square brackets is not closed"),
    ("- id: a\n\tname: x\n", 2, "tab character"),
])
def test_yaml_mistakes_in_plain_words(text, line, words):
    import yaml

    with pytest.raises(yaml.YAMLError) as caught:
        yaml.safe_load(text)
    found_line, message = messages.yaml_problem(caught.value)
    assert (found_line, words in message) == (line, True), message
    assert "<block" not in message and "mapping values" not in message


@pytest.mark.parametrize("typed, iso", [("11/30/2026", "2026-11-30"), ("November 30, 2026", "2026-11-30"),
                                        ("30 Nov 2026", "2026-11-30"), ("2026/11/30", "2026-11-30"),
                                        ("last week", None), ("13/45/2026", None)])
def test_dates_typed_other_ways(typed, iso):
    assert messages.as_iso_date(typed) == iso


def test_did_you_mean_finds_the_tag_and_stays_quiet_when_nothing_is_close():
    tags = ["victim-services", "law-enforcement", "prosecutors"]
    assert messages.did_you_mean("victim-service", tags) == "; did you mean 'victim-services'?"
    assert messages.did_you_mean("Victim_Services", tags) == "; did you mean 'victim-services'?"
    assert messages.did_you_mean("zebra", tags) == ""


@pytest.mark.parametrize("warning, plain", [
    ("Doc file 'resources/contacts.md' contains a link 'no-such-page.md', but the target "
     "'resources/no-such-page.md' is not found among documentation files.",
     "the link 'no-such-page.md' points to docs/resources/no-such-page.md, which does not exist."),
    ("Doc file 'a.md' contains a link 'b.md#nope', but the doc 'b.md' does not contain an "
     "anchor '#nope'.", "the link 'b.md#nope' points to a section '#nope' that docs/b.md does not have."),
])
def test_mkdocs_link_warnings_in_the_preview_box_are_in_plain_words(warning, plain):
    assert messages.mkdocs_warning(warning).startswith(plain)
    assert messages.mkdocs_warning("Something else.") == "Something else."
