"""The data the guide ships with: valid, complete enough for every page, and honest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from macros.loader import load_data

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 30)

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
    return load_data(REPO / "data", REPO / "docs", today=TODAY)


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


def test_unconfirmed_ovc_ttac_contact_is_dated_2013(data):
    entry = data.contacts["ovc-ttac-ht"]
    assert entry.last_verified == date(2013, 7, 1)
    assert "2013" in entry.source_note


def test_every_entry_explains_its_verification(data):
    for entry in [*data.contacts.values(), *data.resources.values()]:
        assert entry.source_note, entry.id
