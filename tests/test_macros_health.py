"""Staleness with a fixed "today", and the plain `python -m macros.check` command."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from macros import check, health
from macros.loader import load_data

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)


def make_project(root: Path, *, contact_date=date(2025, 1, 1), resource_date=date(2026, 11, 1),
                 stale_after_days=365, phone="911") -> Path:
    (root / "data").mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copy(REPO / "data" / "vocabularies.yml", root / "data" / "vocabularies.yml")
    contacts = [{"id": "old-line", "name": "Old line", "description": "A line.", "phone": phone,
                 "audiences": ["community"], "last_verified": contact_date,
                 "source_note": "As published long ago."}]
    resources = [{"id": "fresh", "title": "Fresh guide", "publisher": "Agency", "url": "https://example.org/",
                  "type": "guide", "topics": ["screening"], "audiences": ["health-care"],
                  "summary": "A recently checked guide.", "last_verified": resource_date,
                  "year": "undated", "source_note": "Opened the agency's page."}]
    glossary = [{"id": "mou", "term": "MOU", "expansion": "Memorandum of understanding",
                 "definition": "A written agreement between partners."}]
    for name, entries in (("contacts.yml", contacts), ("sources.yml", resources), ("glossary.yml", glossary)):
        (root / "data" / name).write_text(yaml.safe_dump(entries), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: T\nextra:\n  stale_after_days: {stale_after_days}\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8")
    page = "---\ntitle: {t}\ndescription: A page used in the staleness tests.\naudiences: [editors]\nlast_reviewed: {d}\n---\n# {t}\n"
    (root / "docs" / "old.md").write_text(page.format(t="Old page", d="2024-06-01"), encoding="utf-8")
    (root / "docs" / "new.md").write_text(page.format(t="New page", d="2026-11-01"), encoding="utf-8")
    (root / "docs" / "bare.md").write_text("# No front matter\n", encoding="utf-8")
    return root


def test_stale_entries_with_fixed_today(tmp_path):
    root = make_project(tmp_path)
    data = load_data(root / "data", root / "docs", today=TODAY)
    stale = health.stale_entries(data, TODAY, 365)
    assert [(s.id, s.age_days) for s in stale] == [("old-line", 697)]
    assert health.stale_entries(data, TODAY, 1000) == []


def test_entry_exactly_at_the_limit_is_not_stale(tmp_path):
    root = make_project(tmp_path, contact_date=date(2025, 11, 29))
    data = load_data(root / "data", root / "docs", today=TODAY)
    assert health.stale_entries(data, TODAY, 365) == []


def test_stale_pages(tmp_path):
    root = make_project(tmp_path)
    pages = health.stale_pages(root / "docs", TODAY, 365)
    assert [(p.path, p.age_days) for p in pages] == [("bare.md", None), ("old.md", 911)]


def test_content_health_html(tmp_path):
    root = make_project(tmp_path)
    data = load_data(root / "data", root / "docs", today=TODAY)
    html = health.content_health_html(data, TODAY, page_url="contribute/content-health/")
    assert "Checked on November 29, 2026" in html
    assert "<code>old-line</code> — Old line" in html and "<td>697</td>" in html
    assert "As published long ago." in html
    assert '<a href="../../old/">Old page</a>' in html and "Not recorded" in html
    assert "Fresh guide" not in html and "New page" not in html


def test_front_matter_closed_with_dots_is_read(tmp_path):
    """Bug 6: YAML's `...` end marker closes front matter for MkDocs, so it must for the
    Content health page too (it said "Not recorded")."""
    root = make_project(tmp_path)
    (root / "docs" / "dots.md").write_text(
        "---\ntitle: Dotted page\ndescription: A page whose front matter ends with dots.\n"
        "audiences: [editors]\nlast_reviewed: 2024-06-01\n...\n# Dotted page\n", encoding="utf-8")
    data = load_data(root / "data", root / "docs", today=TODAY)
    html = health.content_health_html(data, TODAY, page_url="contribute/content-health/")
    row = html[html.index("Dotted page"):].split("</tr>", 1)[0]
    assert '<time datetime="2024-06-01">June 1, 2024</time>' in row and "Not recorded" not in row


def test_content_health_when_nothing_is_stale(tmp_path):
    root = make_project(tmp_path, contact_date=date(2026, 11, 1))
    for name in ("old.md", "bare.md"):
        (root / "docs" / name).unlink()
    data = load_data(root / "data", root / "docs", today=TODAY)
    html = health.content_health_html(data, TODAY)
    assert "Every contact and source was verified in the last 365 days." in html
    assert "Every page was reviewed in the last 365 days." in html


def test_check_prints_stale_items_without_failing(tmp_path, capsys):
    root = make_project(tmp_path)
    assert check.main(["--today", "2026-11-29", "--config", str(root / "mkdocs.yml")]) == 0
    out = capsys.readouterr().out
    assert "Data OK: 1 contacts, 1 sources (1 in the resource library), 1 glossary terms" in out
    assert "data/contacts.yml: entry 'old-line': last verified 2025-01-01 (697 days ago, limit 365)" in out
    # Pages are make lint's to list (scripts/lint.py), so make lint names each once.
    assert "docs/old.md" not in out


def test_check_uses_configured_age(tmp_path, capsys):
    root = make_project(tmp_path, stale_after_days=1000)
    assert check.main(["--today", "2026-11-29", "--config", str(root / "mkdocs.yml")]) == 0
    assert "old-line" not in capsys.readouterr().out


def test_check_fails_with_every_error(tmp_path, capsys):
    root = make_project(tmp_path, phone="1-800-843-56")
    assert check.main(["--today", "2026-11-29", "--config", str(root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "data/contacts.yml: entry 'old-line', field 'phone': '1-800-843-56' is not a valid phone number" in err


def test_check_reports_macro_calls_naming_unknown_ids(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "docs" / "calls.md").write_text(
        '# Calls\n\n{{ contact_block("nope") }}\n\n{{ resource_table(topic="tribal") }}\n\n'
        '{% raw %}\n{{ contact_block("example-only") }}\n{% endraw %}\n\n{{ resource_link("fresh") }}\n',
        encoding="utf-8")
    assert check.main(["--today", "2026-11-29", "--config", str(root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "docs/calls.md, line 3: contact_block(\"nope\"): no contact with id 'nope' in data/contacts.yml (known ids: old-line)" in err
    assert "docs/calls.md, line 5: resource_table(topic=\"tribal\")" in err and "no resource matches" in err
    assert "example-only" not in err and "fresh" not in err


def test_check_on_the_real_repository(capsys):
    assert check.main([]) == 0  # the real date, like the build
    assert capsys.readouterr().out.startswith("Data OK: ")
