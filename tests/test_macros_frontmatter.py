"""The page front matter schema: one bad-input case per rule."""

from __future__ import annotations

from datetime import date

import pytest

from macros.frontmatter import validate_front_matter
from macros.pages import is_reader_page, read_front_matter, split_page

TODAY = date(2026, 11, 29)
GOOD = {"title": "Memoranda of understanding (MOUs)",
        "description": "How to write an MOU your partners will sign.",
        "audiences": ["task-force-leadership", "law-enforcement"],
        "last_reviewed": date(2026, 11, 29)}


def check(meta, **kwargs):
    return validate_front_matter("docs/structure/mou.md", meta, today=TODAY, **kwargs)


def test_valid_front_matter():
    assert check(GOOD) == []
    assert check(GOOD | {"kind": "template", "hide": ["toc"], "search": {"boost": 2}, "status": "new",
                         "template": "home.html"}) == []


def test_missing_front_matter():
    assert check({}) == ["docs/structure/mou.md: front matter is missing (a --- block with title, "
                         "description, audiences and last_reviewed must open the page)"]


def test_audience_outside_vocabulary():
    [message] = check(GOOD | {"audiences": ["cops"]})
    assert message.startswith("docs/structure/mou.md: front matter field 'audiences': "
                              "'cops' is not one of law-enforcement, prosecutors, victim-services")


def test_too_many_audiences():
    audiences = ["law-enforcement", "prosecutors", "victim-services", "child-welfare", "health-care",
                 "education", "labor"]
    [message] = check(GOOD | {"audiences": audiences})
    assert message.startswith("docs/structure/mou.md: front matter field 'audiences': list should have at most 5 items")


def test_missing_title():
    meta = {k: v for k, v in GOOD.items() if k != "title"}
    assert check(meta) == ["docs/structure/mou.md: front matter field 'title': is required but missing"]


def test_description_length():
    [message] = check(GOOD | {"description": "Too short."})
    assert message == ("docs/structure/mou.md: front matter field 'description': "
                       "'Too short.' is 10 characters (expected 20–200)")


def test_last_reviewed_in_future():
    [message] = check(GOOD | {"last_reviewed": date(2027, 1, 1)})
    assert message == ("docs/structure/mou.md: front matter field 'last_reviewed': "
                       "2027-01-01 is in the future (today is 2026-11-29)")


def test_last_reviewed_must_be_a_date():
    [message] = check(GOOD | {"last_reviewed": "last week"})
    assert message.startswith("docs/structure/mou.md: front matter field 'last_reviewed': "
                              "'last week' is not a date; write the date as year-month-day")


def test_a_date_typed_the_american_way_gets_the_iso_form():
    [message] = check(GOOD | {"last_reviewed": "11/30/2025"})
    assert message == ("docs/structure/mou.md: front matter field 'last_reviewed': "
                       "'11/30/2025' is not written as year-month-day; write the date as 2025-11-30")


def test_unknown_key():
    [message] = check(GOOD | {"tags": ["x"]})
    assert message == "docs/structure/mou.md: front matter field 'tags': is not a known field (found ['x'])"


def test_kind_values():
    [message] = check(GOOD | {"kind": "checklist"})
    assert message.startswith("docs/structure/mou.md: front matter field 'kind': 'checklist' is not one of")


def test_template_true_points_to_kind():
    assert check(GOOD | {"template": True}) == [
        "docs/structure/mou.md: front matter field 'template': MkDocs uses 'template' to choose the "
        "HTML theme template; mark a fill-in template page with 'kind: template' instead"]


def test_template_must_name_an_html_file():
    [message] = check(GOOD | {"template": "yes please"})
    assert message.startswith("docs/structure/mou.md: front matter field 'template': string should match pattern")


def test_hide_values():
    [message] = check(GOOD | {"hide": ["sidebar"]})
    assert message.startswith("docs/structure/mou.md: front matter field 'hide': 'sidebar' is not one of")


def test_status_against_configured_statuses():
    [message] = check(GOOD | {"status": "draft"}, statuses=["new", "reviewed"])
    assert message == "docs/structure/mou.md: front matter field 'status': 'draft' is not one of new, reviewed"


def test_all_problems_reported_together():
    assert len(check({"title": "T", "description": "short", "audiences": [], "last_reviewed": "x"})) == 3


def test_reader_pages_follow_mkdocs_and_an_explicit_list():
    assert is_reader_page("_snippets/abbreviations.md")  # MkDocs builds it, so it is checked
    assert not is_reader_page(".drafts/page.md")  # MkDocs skips hidden files
    assert not is_reader_page("templates/x.md")
    assert not is_reader_page("tags.md", ["tags.md"])
    assert is_reader_page("structure/mou.md", ["tags.md"])


def test_split_page_is_the_one_front_matter_reader(tmp_path):
    """Fields, body and a YAML error located at its line in the FILE (issue 15): the same
    reader serves lint, the link and macro checks, the states check and the build."""
    page = split_page("---\ntitle: A\nkind: template\n...\n\n# A\n")
    assert page.meta == {"title": "A", "kind": "template"} and page.error is None
    assert page.meta_first_line == 2 and page.body == [(5, ""), (6, "# A")]
    broken = split_page("---\ntitle: A\ndescription: one: two\n---\n\n# A\n")
    assert broken.meta == {} and broken.error.line == 3
    assert "mapping values are not allowed" in broken.error.problem
    assert split_page("# No block\n").meta_text is None and split_page("# No block\n").meta == {}
    assert split_page("\ufeff---\ntitle: B\n---\n").meta == {"title": "B"}  # a BOM, as MkDocs
    (tmp_path / "dots.md").write_text("---\ntitle: Dots\n...\n# Dots\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: [Bad\n---\n# Bad\n", encoding="utf-8")
    assert read_front_matter(tmp_path / "dots.md") == {"title": "Dots"}
    assert read_front_matter(tmp_path / "bad.md") == {}
