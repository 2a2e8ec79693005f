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
from macros.site import Engine

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


def test_state_macros_render_from_the_state_files(env):
    env.on_page("states/oh.md", {}, "states/oh/")
    page = env.macros["state_profile"]("oh")
    assert "## Safe harbor for minors in Ohio { #safe-harbor }" in page
    env.on_page("states/index.md", {}, "states/")
    assert '<a href="tx/#record-relief">' in env.macros["states_at_a_glance"]()
    with pytest.raises(MacroError, match=r"state_profile\('zz'\): no file data/states/zz.yml"):
        env.macros["state_profile"]("zz")


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
        "docs/resources/contacts.md: contact_block('nhht'): no contact with id 'nhht' in "
        "data/contacts.yml; did you mean 'nhth'? (known ids: dol-whd, emergency")


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


def test_only_reader_pages_are_checked(env):
    """One rule (macros/pages.py): every file MkDocs builds needs front matter unless
    extra.front_matter_exempt lists it; a name starting with "_" is no exception."""
    env.conf["extra"]["front_matter_exempt"] = ["notes/*"]
    env.on_page("notes/todo.md", {}, "notes/todo/")
    macros.on_pre_page_macros(env)
    env.on_page("_snippets/note.md", {}, "_snippets/note/")
    with pytest.raises(DataError, match="docs/_snippets/note.md: front matter is missing"):
        macros.on_pre_page_macros(env)


def test_a_page_gets_the_abbreviations_it_uses(env):
    env.markdown = "# Title\n\nThe TVPA and OVC TTAC apply.\n"
    macros.on_post_page_macros(env)
    head, _, definitions = env.markdown.partition("apply.\n\n")
    assert head == "# Title\n\nThe TVPA and OVC TTAC "
    assert definitions.splitlines() == [
        "*[TVPA]: Trafficking Victims Protection Act", "*[OVC]: Office for Victims of Crime",
        "*[OVC TTAC]: Office for Victims of Crime Training and Technical Assistance Center"]


def test_leaving_out_unused_abbreviations_changes_no_page(env):
    """The HTML of real pages, and of text built to trip a word match (abbreviations
    inside words, with spaces, punctuation, case), is the same with every definition
    appended and with only those the page uses."""
    import markdown

    from macros import render
    from macros.pages import split_page
    from macros.project import load_project

    config = load_project(REPO / "mkdocs.yml").config
    definitions = macros._site(env).abbreviations
    every = "\n".join(line for _, line in definitions)
    texts = [split_page((REPO / "docs" / src).read_text(encoding="utf-8")).body_text
             for src in ("index.md", "understanding/federal-law.md", "glossary.md",
                         "supporting-victims/immigration-relief.md", "training/index.md")]
    texts.append("OVC TTAC and OVC; T&TA, VT-ORG's guide; HHSA, xHHS, hhs, DOJ-led, "
                 "*FBI*, `ICE` and [CPS](#x).\n\n| DOL | WHD |\n| --- | --- |\n| x | y |\n")
    for text in texts:
        used = render.abbreviation_lines(definitions, text)
        assert len(used) < len(every)

        def html(lines: str) -> str:
            md = markdown.Markdown(extensions=config["markdown_extensions"],
                                   extension_configs=config["mdx_configs"])
            return md.convert(f"{text}\n\n{lines}\n")

        assert html(used) == html(every)


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


def test_macros_run_without_mkdocs_objects():
    """Another engine (Zensical's macros extension) may give no env.conf and a page
    without file.src_uri: the macros read MkDocs objects only through macros/site.py,
    which falls back to the repository's mkdocs.yml and says "a page"."""
    env = SimpleNamespace(macros={}, markdown="")
    env.macro = lambda function: env.macros.setdefault(function.__name__, function)
    macros.define_env(env)
    env.page = SimpleNamespace(url="resources/contacts/", meta={})
    assert "contact-card" in env.macros["contact_block"]("nhth")
    with pytest.raises(MacroError, match=r"^a page: contact_block\('nhht'\): no contact"):
        env.macros["contact_block"]("nhht")
    env.markdown = "# Title\n\nThe TVPA applies.\n"
    macros.on_post_page_macros(env)
    assert "*[TVPA]: Trafficking Victims Protection Act" in env.markdown


def test_data_is_loaded_once_and_again_after_an_edit(tmp_path):
    """Every macro and hook shares one load per build; an edited data file (as under
    `mkdocs serve`) is read again."""
    import os

    from macros.loader import project_data
    from macros.project import Project

    shutil.copytree(REPO / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    project = Project({"config_file_path": str(tmp_path / "mkdocs.yml"), "extra": {}})
    first = project_data(project)
    assert project_data(project) is first
    contacts = tmp_path / "data" / "contacts.yml"
    entries = yaml.safe_load(contacts.read_text())
    entries[0]["name"] = "Renamed in the test"
    contacts.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    stamp = contacts.stat().st_mtime_ns + 1_000_000_000  # a later edit, whatever the clock
    os.utime(contacts, ns=(stamp, stamp))
    second = project_data(project)
    assert second is not first
    assert second.contacts[entries[0]["id"]].name == "Renamed in the test"


def test_under_zensical_the_site_is_made_once_and_the_page_path_is_read():
    """Zensical's macros extension calls define_env for every page, with its own env
    (zensical.extensions.macros.MacroEnv) and pages that have `path` and no `file`: the
    adapter keeps one Site for the process and reads the page path from `path`."""

    class ZensicalLikeEnv:
        def __init__(self, path: str):
            self.conf = {"docs_dir": "docs", "use_directory_urls": True, "extra": {}}
            self.page = SimpleNamespace(path=path, url=path[:-3] + "/", meta={}, title="T")
            self.macros: dict = {}
            self.markdown = ""

        def macro(self, function):
            self.macros[function.__name__] = function
            return function

    ZensicalLikeEnv.__module__ = "zensical.extensions.macros"
    first, second = ZensicalLikeEnv("structure/mou.md"), ZensicalLikeEnv("glossary.md")
    macros.define_env(first)
    macros.define_env(second)
    assert first.eguide_site is second.eguide_site
    assert Engine(second).is_zensical and Engine(second).page_src == "glossary.md"
    with pytest.raises(MacroError, match=r"^docs/glossary\.md: contact_block\('nhht'\)"):
        second.macros["contact_block"]("nhht")
    assert not Engine(FakeEnv(REPO / "mkdocs.yml", REPO / "docs")).is_zensical
