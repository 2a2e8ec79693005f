"""define_env and the page hooks, driven with a stand-in for the mkdocs-macros env."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import macros
from macros.loader import DataError
from macros.render import MacroError

REPO = Path(__file__).resolve().parent.parent


class FakeEnv:
    """The parts of mkdocs_macros' MacrosPlugin that the module uses."""

    def __init__(self, config_file: Path, docs_dir: Path):
        self.conf = {"config_file_path": str(config_file), "docs_dir": str(docs_dir),
                     "use_directory_urls": True, "extra": {"stale_after_days": 365}}
        self.macros: dict = {}
        self.markdown = ""
        self.page = None

    def macro(self, function):
        self.macros[function.__name__] = function
        return function

    def on_page(self, src_uri: str, meta: dict, url: str):
        self.page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta, url=url)


@pytest.fixture
def env(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    fake = FakeEnv(tmp_path / "mkdocs.yml", tmp_path / "docs")
    macros.define_env(fake)
    fake.on_page("resources/contacts.md", {}, "resources/contacts/")
    return fake


GOOD_META = {"title": "Contacts", "description": "Every organization and line in one place.",
             "audiences": ["community"], "last_reviewed": date(2026, 11, 29)}


def test_define_env_registers_the_macros(env):
    assert {"contact_block", "contact_blocks", "resource_table", "resource_link", "glossary",
            "content_health"} <= set(env.macros)


def test_contact_links_are_published_for_the_theme(env):
    links = env.conf["extra"]["contact_links"]
    assert links["emergency"]["phone_href"] == "tel:911"
    assert links["nhth"]["phone_href"] == "tel:+18883737888"
    assert links["nhth"]["sms_href"] == "sms:233733"
    assert set(links["nhth"]) == {"name", "phone_display", "phone_href", "sms_display", "sms_href",
                                  "tty_display", "tty_href", "url"}


def test_macros_render(env):
    assert "contact-card" in env.macros["contact_block"]("nhth")
    assert env.macros["contact_blocks"](["emergency", "nhth"]).count('class="contact-card"') == 2
    assert "<caption>" in env.macros["resource_table"](topic="screening")
    assert env.macros["resource_link"]("vera-tvit-2014", text="the TVIT report").endswith(">the TVIT report</a>")
    assert '<div class="glossary">' in env.macros["glossary"]()
    assert "Checked on" in env.macros["content_health"]()


def test_unknown_contact_id_fails_with_page_and_call(env):
    with pytest.raises(MacroError) as caught:
        env.macros["contact_block"]("nhht")
    assert str(caught.value).startswith(
        "docs/resources/contacts.md: contact_block('nhht'): no contact with id 'nhht'; "
        "did you mean 'nhth'? (known ids: dol-whd, emergency")


def test_unknown_resource_and_bad_list_fail(env):
    with pytest.raises(MacroError, match=r"resource_link\('nope'\): no source with id 'nope' in data/sources.yml"):
        env.macros["resource_link"]("nope")
    with pytest.raises(MacroError, match="expects a non-empty list"):
        env.macros["contact_blocks"]("nhth")
    with pytest.raises(MacroError, match=r"^docs/resources/contacts.md: resource_table: topic 'cops'"):
        env.macros["resource_table"](topic="cops")


def test_bad_data_stops_define_env(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    contacts = yaml.safe_load((tmp_path / "data" / "contacts.yml").read_text())
    contacts[0]["phone"] = "1-800-843-56"
    (tmp_path / "data" / "contacts.yml").write_text(yaml.safe_dump(contacts), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    with pytest.raises(DataError, match="field 'phone': '1-800-843-56' is not a valid phone number"):
        macros.define_env(FakeEnv(tmp_path / "mkdocs.yml", tmp_path / "docs"))


def test_front_matter_is_checked_before_macros(env):
    env.on_page("structure/mou.md", dict(GOOD_META, audiences=["cops"]), "structure/mou/")
    with pytest.raises(DataError, match="docs/structure/mou.md: front matter field 'audiences': 'cops' is not one of"):
        macros.on_pre_page_macros(env)
    env.on_page("structure/mou.md", dict(GOOD_META), "structure/mou/")
    macros.on_pre_page_macros(env)


def test_exempt_pages_are_not_checked(env):
    env.on_page("_snippets/note.md", {}, "_snippets/note/")
    macros.on_pre_page_macros(env)


def test_abbreviations_are_appended_to_every_page(env):
    env.markdown = "# Title\n\nThe TVPA applies.\n"
    macros.on_post_page_macros(env)
    assert env.markdown.startswith("# Title\n\nThe TVPA applies.\n\n*[")
    assert "*[TVPA]: Trafficking Victims Protection Act\n" in env.markdown
    assert "*[LGBTQ]: " in env.markdown and "*[coercion]" not in env.markdown


def test_source_renders_a_citation_from_the_register(env):
    html = env.macros["source"]("usc-34-12291", "§ 12291(b)(2)")
    entry = macros._site(env).data.sources["usc-34-12291"]
    assert html.startswith('<span class="citation" data-source="usc-34-12291">')
    assert f'href="{entry.url}"' in html and "§ 12291(b)(2)" in html


def test_source_with_unknown_id_names_page_call_and_suggestion(env):
    with pytest.raises(MacroError) as caught:
        env.macros["source"]("usc-34-1229")
    message = str(caught.value)
    assert message.startswith("docs/resources/contacts.md: source('usc-34-1229'): no source with "
                              "id 'usc-34-1229' in data/sources.yml; did you mean 'usc-34-12291'")
    assert "known ids: " in message


def test_source_text_is_escaped(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    sources = yaml.safe_load((tmp_path / "data" / "sources.yml").read_text())
    sources[0]["title"] = "<script>alert(1)</script>"
    (tmp_path / "data" / "sources.yml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    fake = FakeEnv(tmp_path / "mkdocs.yml", tmp_path / "docs")
    macros.define_env(fake)
    fake.on_page("a.md", {}, "a/")
    html = fake.macros["source"](sources[0]["id"], "<b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_references_list_each_source_with_the_pages_citing_it(tmp_path):
    shutil.copytree(REPO / "data", tmp_path / "data")
    docs = tmp_path / "docs"
    (docs / "law").mkdir(parents=True)
    (docs / "law" / "a.md").write_text('---\ntitle: Page A\n---\n\nX.[^1]\n\n'
                                       '[^1]: {{ source("usc-34-12291") }}\n', encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    fake = FakeEnv(tmp_path / "mkdocs.yml", docs)
    macros.define_env(fake)
    fake.on_page("resources/references.md", {}, "resources/references/")
    html = fake.macros["references"]()
    item = html[html.index('id="src-usc-34-12291"'):]
    item = item[:item.index("</li>")]
    assert 'Cited on: <a href="../../law/a/">Page A</a>.' in item
    assert "Verified <time" in item
    assert "## Law (" in html
