"""One bad-input case per data validation rule, each asserting the editor-facing message."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from macros.loader import DataError, load_data

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)

CONTACT = {
    "id": "hotline", "name": "Test hotline", "description": "A line for testing.",
    "phone": "1-888-373-7888", "sms": "233733", "tty": "711",
    "email": "help@example.org", "url": "https://example.org/",
    "audiences": ["community"], "last_verified": date(2026, 1, 1),
}
RESOURCE = {
    "id": "guide", "title": "A guide", "publisher": "An agency", "year": 2020,
    "url": "https://example.org/guide", "type": "guide", "topics": ["screening"],
    "audiences": ["health-care"], "summary": "A short summary of the guide.",
    "last_verified": date(2026, 1, 1), "source_note": "Opened the guide on the agency's site.",
}
TERM = {"id": "tvpa", "term": "TVPA", "expansion": "Trafficking Victims Protection Act",
        "definition": "The federal trafficking law."}


def write_data(root: Path, contacts=None, resources=None, glossary=None) -> Path:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    shutil.copy(REPO / "data" / "vocabularies.yml", data / "vocabularies.yml")
    for name, entries in (("contacts.yml", contacts if contacts is not None else [CONTACT]),
                          ("sources.yml", resources if resources is not None else [RESOURCE]),
                          ("glossary.yml", glossary if glossary is not None else [TERM])):
        (data / name).write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return data


def errors_for(tmp_path: Path, **files) -> list[str]:
    data = write_data(tmp_path, **files)
    with pytest.raises(DataError) as caught:
        load_data(data, tmp_path / "docs", today=TODAY)
    return caught.value.messages


def one_error(tmp_path: Path, **files) -> str:
    messages = errors_for(tmp_path, **files)
    assert len(messages) == 1, messages
    return messages[0]


def test_valid_data_loads(tmp_path):
    data = load_data(write_data(tmp_path), tmp_path / "docs", today=TODAY)
    assert list(data.contacts) == ["hotline"]
    assert list(data.resources) == ["guide"]


def test_unknown_field(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "fax": "555"}])
    assert message == "data/contacts.yml: entry 'hotline', field 'fax': is not a known field (found '555')"


def test_missing_required_field(tmp_path):
    entry = {k: v for k, v in RESOURCE.items() if k != "source_note"}
    assert one_error(tmp_path, resources=[entry]) == \
        "data/sources.yml: entry 'guide', field 'source_note': is required but missing"


def test_library_fields_go_together(tmp_path):
    entry = {k: v for k, v in RESOURCE.items() if k != "summary"}
    assert one_error(tmp_path, resources=[entry]) == (
        "data/sources.yml: entry 'guide', field 'summary': an entry shown in the resource "
        "library needs all of topics, audiences, summary; summary missing (or remove topics, "
        "audiences to keep it as a citation only)")


def test_citation_only_source_is_not_in_the_library(tmp_path):
    entry = {k: v for k, v in RESOURCE.items() if k not in ("summary", "topics", "audiences")}
    data = load_data(write_data(tmp_path, resources=[entry]), tmp_path / "docs", today=TODAY)
    assert list(data.sources) == ["guide"] and data.resources == {}


@pytest.mark.parametrize("year", ["2020?", "n.d.", True, 1700])
def test_year_must_be_a_year_or_undated(tmp_path, year):
    message = one_error(tmp_path, resources=[{**RESOURCE, "year": year}])
    assert message.startswith("data/sources.yml: entry 'guide', field 'year': ")


def test_undated_source(tmp_path):
    data = load_data(write_data(tmp_path, resources=[{**RESOURCE, "year": "undated"}]),
                     tmp_path / "docs", today=TODAY)
    assert data.sources["guide"].year == "undated"


def test_duplicate_id(tmp_path):
    message = one_error(tmp_path, contacts=[CONTACT, {**CONTACT, "name": "Copy"}])
    assert message == ("data/contacts.yml: entry 'hotline', field 'id': duplicate id "
                       "(also used by entry #1)")


def test_id_must_be_a_slug(tmp_path):
    message = one_error(tmp_path, resources=[{**RESOURCE, "id": "My Guide"}])
    assert "field 'id': 'My Guide' is not a valid id" in message


def test_url_must_be_https(tmp_path):
    message = one_error(tmp_path, resources=[{**RESOURCE, "url": "http://example.org/guide"}])
    assert message == ("data/sources.yml: entry 'guide', field 'url': "
                       "'http://example.org/guide' is not an https:// address")


def test_site_file_must_exist_under_docs(tmp_path):
    entry = {**RESOURCE, "url": None, "file": "downloads/missing.docx"}
    del entry["url"]
    assert one_error(tmp_path, resources=[entry]) == (
        "data/sources.yml: entry 'guide', field 'file': "
        "'downloads/missing.docx' does not exist under docs/")


def test_site_file_that_exists_is_accepted(tmp_path):
    entry = {k: v for k, v in RESOURCE.items() if k != "url"} | {"file": "downloads/mou.docx"}
    data_dir = write_data(tmp_path, resources=[entry])
    (tmp_path / "docs" / "downloads").mkdir()
    (tmp_path / "docs" / "downloads" / "mou.docx").write_bytes(b"x")
    data = load_data(data_dir, tmp_path / "docs", today=TODAY)
    assert data.resources["guide"].file == "downloads/mou.docx"


def test_url_and_file_are_exclusive(tmp_path):
    data_dir = write_data(tmp_path, resources=[{**RESOURCE, "file": "index.md"}])
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data_dir, tmp_path / "docs", today=TODAY)
    assert caught.value.messages == [
        "data/sources.yml: entry 'guide', field 'url': give exactly one of 'url' (https://…) "
        "or 'file' (a path under docs/)"]


def test_malformed_phone(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "phone": "1-800-843-56"}])
    assert message.startswith(
        "data/contacts.yml: entry 'hotline', field 'phone': '1-800-843-56' is not a valid phone number")


def test_phone_with_letters_points_to_vanity_field(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "phone": "1-800-THE-LOST"}])
    assert "put a vanity spelling such as 1-800-THE-LOST in 'phone_vanity'" in message


def test_n11_numbers_and_sms_short_codes_are_accepted(tmp_path):
    entries = [{**CONTACT, "id": "a", "phone": "911", "tty": "711", "sms": "233733"},
               {**CONTACT, "id": "b", "phone": "988", "sms": "12345"}]
    data = load_data(write_data(tmp_path, contacts=entries), tmp_path / "docs", today=TODAY)
    assert data.contacts["a"].phone == "911"


def test_short_code_not_allowed_as_phone(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "phone": "233733"}])
    assert "field 'phone': '233733' is not a valid phone number" in message


def test_malformed_sms(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "sms": "1234"}])
    assert message.startswith("data/contacts.yml: entry 'hotline', field 'sms': '1234' is not a valid phone number")
    assert "5–6 digit SMS short code" in message


def test_malformed_email(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "email": "help@"}])
    assert message.startswith("data/contacts.yml: entry 'hotline', field 'email': 'help@' is not a valid email address")


def test_date_in_future(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "last_verified": date(2027, 1, 1)}])
    assert message == ("data/contacts.yml: entry 'hotline', field 'last_verified': "
                       "2027-01-01 is in the future (today is 2026-11-29)")


def test_topic_outside_vocabulary(tmp_path):
    message = one_error(tmp_path, resources=[{**RESOURCE, "topics": ["screening", "cops"]}])
    assert message.startswith("data/sources.yml: entry 'guide', field 'topics': 'cops' is not one of law, ")


def test_audience_outside_vocabulary(tmp_path):
    message = one_error(tmp_path, contacts=[{**CONTACT, "audiences": ["cops"]}])
    assert message.startswith(
        "data/contacts.yml: entry 'hotline', field 'audiences': 'cops' is not one of law-enforcement, prosecutors")


def test_type_outside_vocabulary(tmp_path):
    message = one_error(tmp_path, resources=[{**RESOURCE, "type": "pamphlet"}])
    assert message.startswith("data/sources.yml: entry 'guide', field 'type': 'pamphlet' is not one of law, regulation")


def test_summary_must_be_a_sentence(tmp_path):
    message = one_error(tmp_path, resources=[{**RESOURCE, "summary": "A short summary without an end"}])
    assert "field 'summary':" in message and "ending with a period" in message


def test_year_in_future(tmp_path):
    assert "field 'year': 2031 is not a plausible year (1780 to 2026)" in one_error(tmp_path, resources=[{**RESOURCE, "year": 2031}])


def test_yaml_syntax_error_reports_line(tmp_path):
    data = write_data(tmp_path)
    (data / "contacts.yml").write_text("- id: a\n  name: [unclosed\n  phone: 911\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data, tmp_path / "docs", today=TODAY)
    assert any(m.startswith("data/contacts.yml: YAML syntax error at line 3") for m in caught.value.messages)


def test_duplicate_yaml_key(tmp_path):
    data = write_data(tmp_path)
    (data / "glossary.yml").write_text(
        "- id: a\n  term: A\n  term: B\n  definition: Some definition here.\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data, tmp_path / "docs", today=TODAY)
    assert "data/glossary.yml: YAML syntax error at line 3, column 3: key 'term' appears twice" \
        in caught.value.messages[0]


def test_file_must_be_a_list(tmp_path):
    data = write_data(tmp_path)
    (data / "sources.yml").write_text("id: guide\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data, tmp_path / "docs", today=TODAY)
    assert caught.value.messages == [
        "data/sources.yml: expected a list of entries (each starting with '- id:'), found dict"]


def test_all_errors_reported_at_once(tmp_path):
    messages = errors_for(tmp_path,
                          contacts=[{**CONTACT, "phone": "12", "email": "nope"}],
                          resources=[{**RESOURCE, "url": "ftp://x"}])
    assert len(messages) == 3
    assert {m.split(",")[0] for m in messages} == {"data/contacts.yml: entry 'hotline'",
                                                    "data/sources.yml: entry 'guide'"}
    assert "3 problems in the guide's data" in str(DataError(messages))


def test_entry_without_id_is_named_by_position(tmp_path):
    entry = {k: v for k, v in CONTACT.items() if k != "id"}
    messages = errors_for(tmp_path, contacts=[CONTACT, entry])
    assert messages == ["data/contacts.yml: entry #2, field 'id': is required but missing"]


def test_glossary_duplicate_term(tmp_path):
    message = one_error(tmp_path, glossary=[TERM, {**TERM, "id": "tvpa-2", "term": "tvpa"}])
    assert message == "data/glossary.yml: entry 'tvpa-2', field 'term': 'tvpa' is already defined by entry 'tvpa'"


def test_glossary_duplicate_tooltip(tmp_path):
    other = {"id": "lgbtq", "term": "LGBTQ+", "abbr": "TVPA", "expansion": "x", "definition": "Another definition."}
    message = one_error(tmp_path, glossary=[TERM, other])
    assert "field 'abbr': tooltip text 'TVPA' is already used by entry 'tvpa'" in message


def test_vocabulary_duplicate_id(tmp_path):
    data = write_data(tmp_path)
    vocab = yaml.safe_load((data / "vocabularies.yml").read_text())
    vocab["topics"].append({"id": "law", "label": "Law again"})
    (data / "vocabularies.yml").write_text(yaml.safe_dump(vocab), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data, tmp_path / "docs", today=TODAY)
    assert caught.value.messages == ["data/vocabularies.yml: list 'topics', field 'id': duplicate id 'law'"]
