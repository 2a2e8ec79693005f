"""The data the guide ships with: valid, complete enough for every page, and honest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from macros.loader import load_data

REPO = Path(__file__).resolve().parent.parent

CONTACT_IDS = {"emergency", "nhth", "hsi-tip-line", "fbi-tips", "ncmec-cybertipline",
               "otip-child-eligibility", "otip-adult-certification", "stronghearts", "dol-whd",
               "ovc-ttac-ht"}
ABBREVIATIONS = {"TVPA", "JVTA", "FOSTA", "CAPTA", "MOU", "DSA", "CP", "HSI", "FBI", "USAO", "DOJ",
                 "DHS", "HHS", "OVC", "OVC TTAC", "BJA", "ECM", "OTIP", "DOL", "WHD", "EEOC", "NLRB",
                 "NCMEC", "CAC", "SIJS", "CJIS", "FERPA", "HIPAA", "VAWA", "FVPSA", "VOCA", "T&TA",
                 "TIMS", "PMT", "HTRS", "ACTeam", "TVIT", "CPS", "SAMHSA", "USCIS", "ICE", "NIJ",
                 "CVRA", "TTY", "LGBTQ+", "AMP"}
KEY_TERMS = {"coercion", "debt bondage", "peonage", "commercial sex act", "safe harbor", "vacatur",
             "Continued Presence", "T visa", "U visa", "deconfliction", "trauma-informed",
             "victim-centered", "survivor leader"}


@pytest.fixture(scope="module")
def data():
    # The same "today" as the build: live data is checked against the real date, never a
    # date typed into the test, so re-verifying an entry today cannot break the suite.
    return load_data(REPO / "data", REPO / "docs", today=date.today())


def test_every_documented_contact_id_exists(data):
    assert CONTACT_IDS <= set(data.contacts)


def test_help_banner_contacts_are_dialable(data):
    assert data.contacts["emergency"].phone == "911"
    assert data.contacts["nhth"].phone and data.contacts["nhth"].sms


def test_at_least_forty_resources(data):
    assert len(data.resources) >= 40


@pytest.mark.parametrize("kind", ["topics"])
def test_every_topic_has_a_resource(data, kind):
    used = {t for r in data.resources.values() for t in r.topics}
    assert set(data.vocab.ids(kind)) <= used


def test_glossary_covers_required_terms(data):
    terms = {g.term for g in data.glossary}
    assert ABBREVIATIONS <= terms
    assert KEY_TERMS <= terms


def test_plain_terms_get_no_tooltip(data):
    """Ordinary words must not become tooltips (abbr matching is whole-word)."""
    for entry in data.glossary:
        if entry.tooltip_key:
            assert entry.tooltip_key != entry.tooltip_key.lower(), entry.id


def test_every_entry_explains_its_verification(data):
    for entry in [*data.contacts.values(), *data.sources.values()]:
        assert entry.source_note, entry.id
        assert entry.last_verified <= date.today(), entry.id


def test_the_fast_yaml_parser_reads_every_file_as_the_pure_one_does():
    """macros/yamlio.py parses with libyaml and falls back to PyYAML's own parser on any
    error. For every data file and every page's front matter the two must agree."""
    import yaml

    from macros import loader, yamlio
    from macros.pages import YAML_RE

    assert loader._UniqueKeyFastLoader is not None, "PyYAML was installed without libyaml"
    files = sorted((REPO / "data").rglob("*.yml"))
    pages = sorted((REPO / "docs").rglob("*.md"))
    assert len(files) > 50 and len(pages) > 150
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = yaml.load(text, Loader=loader._UniqueKeyFastLoader)
        assert fast == yaml.load(text, Loader=loader._UniqueKeyLoader), path
        assert yamlio.load(text, loader._UniqueKeyLoader, loader._UniqueKeyFastLoader) == fast
    for path in pages:
        match = YAML_RE.match(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
        if match:
            meta = match.group(1)
            assert yaml.load(meta, Loader=yaml.CSafeLoader) == yaml.safe_load(meta), path


def test_a_yaml_error_reads_the_same_as_before():
    """The fallback: the message and marks come from PyYAML's own parser."""
    import yaml

    from macros import loader, yamlio

    for text in ("- id: a\n  name: x\n  id: b\n", "- id: a\n  name: [x\n", "a: b: c\n", "\t- x\n"):
        with pytest.raises(yaml.YAMLError) as pure:
            yaml.load(text, Loader=loader._UniqueKeyLoader)
        with pytest.raises(yaml.YAMLError) as fast:
            yamlio.load(text, loader._UniqueKeyLoader, loader._UniqueKeyFastLoader)
        assert str(fast.value) == str(pure.value)
