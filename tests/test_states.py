"""State law profiles (issue 22): the rules for data/states/<code>.yml, each with the
message an editor sees; the rendering (escaped, footnoted, unverified said plainly); and
the built at-a-glance table, state pages and Content health checked against the YAML."""

from __future__ import annotations

import copy
import functools
import html
import re
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml

from macros import health, states
from macros.loader import DataError, load_data
from macros.references import cited_sources

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)
SOURCE = {"id": "oh-rc-2905-32", "title": "Ohio Revised Code § 2905.32 — Trafficking in persons",
          "publisher": "Ohio Legislative Service Commission", "year": "undated",
          "url": "https://codes.ohio.gov/ohio-revised-code/section-2905.32", "type": "law",
          "citation": "Ohio Rev. Code § 2905.32", "last_verified": date(2026, 11, 1),
          "source_note": "Read the section text in a test fixture."}
LAW = {"status": "verified", "citation": "Ohio Rev. Code § 2905.32(A)", "source": "oh-rc-2905-32",
       "verified": date(2026, 11, 1), "summary": "A test summary of the offense."}
CONTACT = {"status": "verified", "name": "Test line", "phone": "1-888-373-7888",
           "source": "oh-rc-2905-32", "verified": date(2026, 11, 1)}
PROFILE = {
    "code": "OH", "name": "Ohio", "kind": "state",
    "fields": {
        "sex_trafficking_statute": LAW,
        "labor_trafficking_statute": {"status": "unverified", "note": "Not yet researched."},
        "minors_commercial_sex": {**LAW, "force_required": False, "no_force_age": 18},
        "safe_harbor": {**LAW, "provisions": ["immunity", "referral"]},
        "record_relief": {**LAW, "provisions": []},
        "mandated_reporting": {**LAW, "report_to": ["child_protective_services", "law_enforcement"]},
        "state_hotline": CONTACT,
        "statewide_task_force": {"status": "none_found", "note": "Looked on the governor's site."},
        "attorney_general_page": {"status": "unverified", "note": "Not yet researched."},
    },
}
MD_EXTENSIONS = ["admonition", "attr_list", "footnotes", "md_in_html", "toc"]


def write_project(root: Path, profiles: dict[str, object]) -> Path:
    """data/ with the real vocabularies, one register entry and the given state files."""
    data = root / "data"
    (data / "states").mkdir(parents=True)
    (root / "docs").mkdir()
    (data / "vocabularies.yml").write_text((REPO / "data" / "vocabularies.yml").read_text())
    (data / "sources.yml").write_text(yaml.safe_dump([SOURCE], sort_keys=False, allow_unicode=True))
    for name in ("contacts.yml", "glossary.yml"):
        (data / name).write_text("[]\n")
    for file_name, body in profiles.items():
        text = body if isinstance(body, str) else yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
        (data / "states" / file_name).write_text(text, encoding="utf-8")
    return data


def load(tmp_path: Path, profiles: dict[str, object]):
    data_dir = write_project(tmp_path, profiles)
    data = load_data(data_dir, tmp_path / "docs", today=TODAY)
    return data, states.load_states(data_dir, data.sources, today=TODAY)


def errors(tmp_path: Path, profile: object, file_name: str = "oh.yml") -> list[str]:
    with pytest.raises(DataError) as caught:
        load(tmp_path, {file_name: profile})
    return caught.value.messages


def changed(path: str, value) -> dict:
    """PROFILE with one field (dotted path under fields) replaced; None removes it."""
    profile = copy.deepcopy(PROFILE)
    *parents, last = path.split(".")
    target = profile
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return profile


# --- validation ------------------------------------------------------------------------

def test_valid_profile_loads(tmp_path):
    _, profiles = load(tmp_path, {"oh.yml": PROFILE})
    ohio = profiles["oh"]
    assert (ohio.name, ohio.kind, ohio.where) == ("Ohio", "state", "in Ohio")
    assert ohio.count(states.LAW_KEYS) == 5 and ohio.count(states.CONTACT_KEYS) == 1
    assert ohio.fields["safe_harbor"].provisions == ["immunity", "referral"]


def test_bad_status(tmp_path):
    assert errors(tmp_path, changed("fields.safe_harbor.status", "pending")) == [
        "data/states/oh.yml: field 'fields.safe_harbor.status': expected one of verified, "
        "unverified; found 'pending'"]


def test_none_found_is_only_for_contacts(tmp_path):
    message, = errors(tmp_path, changed("fields.safe_harbor", {"status": "none_found", "note": "x"}))
    assert message.startswith("data/states/oh.yml: field 'fields.safe_harbor.status': expected one of "
                              "verified, unverified; found 'none_found' (none_found is only for")


@pytest.mark.parametrize("status", ["unverified", "none_found"])
def test_unverified_and_none_found_need_a_note(tmp_path, status):
    message, = errors(tmp_path, changed("fields.state_hotline", {"status": status}))
    assert message == (f"data/states/oh.yml: field 'fields.state_hotline.note': is required when "
                       f"the status is {status} (say what you searched and why it is not verified)")


def test_unknown_source_suggests_the_closest_id(tmp_path):
    message, = errors(tmp_path, changed("fields.sex_trafficking_statute.source", "oh-rc-2905-23"))
    assert message == ("data/states/oh.yml: field 'fields.sex_trafficking_statute.source': no source "
                       "with id 'oh-rc-2905-23' in data/sources.yml; did you mean 'oh-rc-2905-32'?")


def test_wrong_enum_value(tmp_path):
    message, = errors(tmp_path, changed("fields.safe_harbor.provisions", ["immunity", "amnesty"]))
    assert message == ("data/states/oh.yml: field 'fields.safe_harbor.provisions': input should be "
                       "'immunity', 'diversion' or 'referral'; found 'amnesty'")


def test_reporting_needs_somewhere_to_report(tmp_path):
    message, = errors(tmp_path, changed("fields.mandated_reporting.report_to", []))
    assert message.startswith("data/states/oh.yml: field 'fields.mandated_reporting.report_to': "
                              "list should have at least 1 item")


def test_code_must_match_the_file_name(tmp_path):
    assert errors(tmp_path, PROFILE, "tx.yml") == [
        "data/states/tx.yml: field 'code': 'OH' does not match the file name (expected 'TX' in "
        "tx.yml, or rename the file to oh.yml)"]


def test_verified_date_in_the_future(tmp_path):
    message, = errors(tmp_path, changed("fields.record_relief.verified", date(2026, 12, 1)))
    assert message == ("data/states/oh.yml: field 'fields.record_relief.verified': 2026-12-01 is in "
                       "the future (today is 2026-11-29)")


def test_verified_law_needs_a_citation(tmp_path):
    assert errors(tmp_path, changed("fields.sex_trafficking_statute.citation", None)) == [
        "data/states/oh.yml: field 'fields.sex_trafficking_statute.citation': is required but missing"]


def test_no_force_age_must_be_a_whole_number(tmp_path):
    message, = errors(tmp_path, changed("fields.minors_commercial_sex.no_force_age", "18"))
    assert message.startswith("data/states/oh.yml: field 'fields.minors_commercial_sex.no_force_age': "
                              "input should be a valid integer; found '18'")


def test_missing_and_misspelled_fields(tmp_path):
    profile = changed("fields.safe_harbor", None)
    profile["fields"]["safe_harbour"] = {"status": "unverified", "note": "x"}
    assert errors(tmp_path, profile) == [
        "data/states/oh.yml: field 'fields.safe_harbour': is not a known field; did you mean 'safe_harbor'?",
        "data/states/oh.yml: field 'fields.safe_harbor': is required but missing (write status: "
        "unverified and a note if you could not verify it)"]


def test_name_with_markup_is_refused(tmp_path):
    message, = errors(tmp_path, changed("name", "Ohio <b>"))
    assert message.startswith("data/states/oh.yml: field 'name': expected the jurisdiction's name")


def test_yaml_error_names_the_file_and_line(tmp_path):
    message, = errors(tmp_path, "code: OH\nname: [Ohio\n")
    assert message.startswith("data/states/oh.yml: YAML syntax error at line")


# --- rendering -------------------------------------------------------------------------

def render(tmp_path: Path, profile: dict) -> tuple[str, str]:
    data, profiles = load(tmp_path, {"oh.yml": profile})
    text = states.profile_markdown(profiles["oh"], data.sources, page_url="states/oh/")
    return text, markdown.markdown(text, extensions=MD_EXTENSIONS)


def test_profile_page_shows_each_field(tmp_path):
    _, page = render(tmp_path, PROFILE)
    assert "not legal advice" in page and "Laws change every legislative session" in page
    for key in states.BY_KEY:
        assert f'id="{states.BY_KEY[key].anchor}"' in page
    assert '<h2 id="safe-harbor">Safe harbor for minors in Ohio</h2>' in page
    assert "What the law provides: immunity from prosecution and referral to services." in page
    assert "For a person under 18, force, fraud or coercion does not have to be proved." in page
    assert "Reports go to child protective services and law enforcement." in page
    assert "The statute cited was checked and offers no trafficking-specific record relief." in page
    assert page.count("Not yet verified — check the statute.") == 1  # labor trafficking
    assert "Not yet verified — check the agency&#x27;s own website." in page or \
        "Not yet verified — check the agency's own website." in page
    assert "No statewide task force was found." in page
    assert '<time datetime="2026-11-01">November 1, 2026</time>' in page
    assert '<a href="tel:+18883737888">1-888-373-7888</a>' in page


def test_each_verified_fact_has_a_register_footnote(tmp_path):
    _, page = render(tmp_path, PROFILE)
    notes = page[page.index('<div class="footnote">'):]
    # Five verified law fields and one verified contact, each citing the register entry.
    assert notes.count('data-source="oh-rc-2905-32"') == 6
    assert "Ohio Rev. Code § 2905.32(A)" in notes  # the pinpoint
    assert 'href="https://codes.ohio.gov/ohio-revised-code/section-2905.32"' in notes


def test_data_never_injects_html_or_markdown(tmp_path):
    attack = '<script>alert(1)</script> [click](javascript:alert(2)) **bold** {{ x }}'
    profile = changed("fields.sex_trafficking_statute.summary", attack)
    profile["fields"]["labor_trafficking_statute"]["note"] = '<img src=x onerror="alert(3)">'
    profile["fields"]["sex_trafficking_statute"]["citation"] = "§ 1 <i>x</i>"
    _, page = render(tmp_path, profile)
    assert "<script" not in page and "<img" not in page and "<i>" not in page
    assert "javascript:" not in page and "<strong>bold</strong>" not in page
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "<script>alert(1)</script> [click](javascript:alert(2)) **bold** {{ x }}" in shown
    assert '<img src=x onerror="alert(3)">' in shown


def test_glance_table_links_each_cell_to_its_section(tmp_path):
    _, profiles = load(tmp_path, {"oh.yml": PROFILE})
    table = states.at_a_glance_html(profiles, page_url="states/")
    assert '<th scope="row"><a href="oh/">Ohio</a></th>' in table
    assert '<td data-field="safe_harbor"><a href="oh/#safe-harbor">Immunity, referral</a></td>' in table
    assert '<a href="oh/#record-relief">None in statute</a>' in table
    assert '<a href="oh/#mandated-reporting">Child protective services and law enforcement</a>' in table
    assert "3 of the 3 entries in this table are verified" in table


def test_unverified_glance_cell_says_so(tmp_path):
    _, profiles = load(tmp_path, {"oh.yml": changed("fields.safe_harbor", {"status": "unverified", "note": "x"})})
    table = states.at_a_glance_html(profiles, page_url="states/", use_directory_urls=False)
    assert ('<td data-field="safe_harbor" class="state-glance__unverified">'
            '<a href="oh.html#safe-harbor">Not yet verified</a></td>') in table


def test_content_health_counts_and_stale_fields(tmp_path):
    old = changed("fields.record_relief.verified", date(2025, 1, 1))
    _, profiles = load(tmp_path, {"oh.yml": old})
    text = health.state_health_html(profiles, TODAY, 365, page_url="contribute/content-health/")
    assert '<td data-count="law">5 / 6</td>' in text
    assert '<td data-count="contacts">1 / 3 (1 looked for, none found)</td>' in text
    assert "Record relief (vacatur, expungement) in Ohio" in text and ">697</td>" in text
    assert states.stale_lines(profiles, TODAY, 365) == [
        "data/states/oh.yml: field 'record_relief': last verified 2025-01-01 (697 days ago, limit 365)"]


def test_references_count_a_state_page_as_citing_its_sources(tmp_path):
    _, profiles = load(tmp_path, {"oh.yml": PROFILE})  # loaded once, as the build does
    (tmp_path / "data" / "states" / "oh.yml").unlink()  # not read again: the profile is used
    (tmp_path / "docs" / "states").mkdir()
    (tmp_path / "docs" / "states" / "oh.md").write_text('# Ohio\n\n{{ state_profile("oh") }}\n')
    assert cited_sources(tmp_path / "docs", profiles) == {"oh-rc-2905-32": ["states/oh.md"]}


def test_page_problems_pair_files_and_pages(tmp_path):
    _, profiles = load(tmp_path, {"oh.yml": PROFILE})
    folder = tmp_path / "docs" / "states"
    folder.mkdir()
    assert states.page_problems(profiles, tmp_path / "docs") == [
        "data/states/oh.yml: has no page; create docs/states/oh.md (copy another state's page and "
        "change the code)"]
    (folder / "oh.md").write_text('---\ntitle: "Ohio: human trafficking law"\n---\n\n'
                                  '# Ohio: human trafficking law\n\n{{ state_profile("tx") }}\n')
    (folder / "tx.md").write_text("# Texas\n")
    assert states.page_problems(profiles, tmp_path / "docs") == [
        "docs/states/oh.md: must call state_profile(\"oh\") exactly once; found ['tx']",
        "docs/states/tx.md: no data file data/states/tx.yml for this page"]


# --- the real data and pages -----------------------------------------------------------

def real_profiles() -> dict:
    data = load_data(REPO / "data", REPO / "docs")
    return states.load_states(REPO / "data", data.sources)


def test_every_jurisdiction_has_one_data_file_and_one_page():
    profiles = real_profiles()
    assert len(profiles) == 52  # 50 states, DC and Puerto Rico
    assert {p.kind for p in profiles.values() if p.kind != "state"} == {"district", "territory"}
    assert (profiles["dc"].kind, profiles["pr"].kind) == ("district", "territory")
    pages = {p.stem for p in (REPO / "docs" / "states").glob("*.md")} - {"index"}
    assert pages == set(profiles)
    assert states.page_problems(profiles, REPO / "docs") == []


def test_every_state_page_is_in_the_nav():
    from sitemap import nav_sources
    in_nav = {src for src in nav_sources() if src.startswith("states/")}
    assert in_nav == {"states/index.md"} | {f"states/{code}.md" for code in real_profiles()}


# --- the built site agrees with the data ----------------------------------------------

def _raw_states() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((REPO / "data" / "states").glob("*.yml"))}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _article(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    return page[page.index("<article"):page.index("</article>")]


def _expected_cell(field: dict, key: str) -> str:
    if field["status"] != "verified":
        return "Not yet verified"
    values = field["report_to" if key == "mandated_reporting" else "provisions"]
    if not values:
        return "None in statute"
    words = [v.replace("_", " ") for v in values]
    return (" and " if key == "mandated_reporting" else ", ").join(words).capitalize()


def test_built_glance_table_agrees_with_the_data(built):
    raw = _raw_states()
    table = _article(built.site / "states" / "index.html")
    rows = dict(re.findall(r'<tr data-state="([a-z]{2})">(.*?)</tr>', table))
    assert set(rows) == set(raw)
    for code, data in raw.items():
        name = re.search(r'<th scope="row"><a href="([^"]+)">(.*?)</a></th>', rows[code])
        assert name.groups() == (f"{code}/", data["name"])
        for key in states.GLANCE_KEYS:
            cell = re.search(rf'<td data-field="{key}"[^>]*><a href="([^"]+)">(.*?)</a></td>', rows[code])
            assert cell, (code, key)
            href, shown = cell.groups()
            assert href == f"{code}/#{states.BY_KEY[key].anchor}"
            assert _text(shown) == _expected_cell(data["fields"][key], key), (code, key)


@functools.lru_cache(maxsize=None)
def _register() -> dict:
    return {e["id"]: e for e in yaml.safe_load((REPO / "data/sources.yml").read_text(encoding="utf-8"))}


@pytest.mark.parametrize("code", sorted(_raw_states()))
def test_built_state_page_agrees_with_the_data(built, code):
    data = _raw_states()[code]
    article = _article(built.site / "states" / code / "index.html")
    where = f"the {data['name']}" if data["kind"] == "district" else data["name"]
    assert re.search(rf"<h1[^>]*>{re.escape(data['name'])}: human trafficking law", article)
    callout = _text(re.search(r'<div class="admonition legal">(.*?)</div>', article, re.S).group(1))
    assert "not legal advice" in callout and "Laws change every legislative session" in callout
    sections = dict(re.findall(r'<h[23] id="([a-z-]+)">(.*?)(?=<h[23] id=|<div class="footnote">|$)',
                               article, re.S))
    for key, field in data["fields"].items():
        anchor = states.BY_KEY[key].anchor
        body = _text(sections[anchor])
        assert f" in {where}" in body.split("¶")[0], (code, key)  # the heading names the place
        if field["status"] == "verified":
            assert _text(html.escape(field.get("summary") or field["name"])) in body
            unofficial = _register()[field["source"]].get("unconfirmed", False)
            assert ("Read in an unofficial copy of the text on" if unofficial
                    else "Checked against the source on") in body, (code, key)
            assert f'data-source="{field["source"]}"' in article
        else:
            lead = "Not yet verified" if field["status"] == "unverified" else "No "
            assert lead in body and " ".join(field["note"].split()) in body, (code, key)


def test_built_content_health_agrees_with_the_data(built):
    raw = _raw_states()
    page = _article(built.site / "contribute" / "content-health" / "index.html")
    rows = dict(re.findall(r'<tr data-state="([a-z]{2})">(.*?)</tr>', page))
    assert set(rows) == set(raw)
    for code, data in raw.items():
        law = sum(data["fields"][k]["status"] == "verified" for k in states.LAW_KEYS)
        contacts = sum(data["fields"][k]["status"] == "verified" for k in states.CONTACT_KEYS)
        assert f'<td data-count="law">{law} / 6</td>' in rows[code]
        assert f'<td data-count="contacts">{contacts} / 3' in rows[code]


def test_check_command_reports_state_problems(tmp_path, capsys):
    from macros import check
    write_project(tmp_path, {"oh.yml": changed("fields.safe_harbor.status", "maybe")})
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    assert check.main(["--config", str(tmp_path / "mkdocs.yml"), "--today", "2026-11-29"]) == 1
    assert ("data/states/oh.yml: field 'fields.safe_harbor.status': expected one of verified, "
            "unverified; found 'maybe'") in capsys.readouterr().err


def test_check_command_lists_stale_state_fields(tmp_path, capsys):
    from macros import check
    write_project(tmp_path, {"oh.yml": changed("fields.record_relief.verified", date(2025, 1, 1))})
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    (tmp_path / "docs" / "states").mkdir()
    (tmp_path / "docs" / "states" / "oh.md").write_text(
        '---\ntitle: "Ohio: human trafficking law"\n---\n\n# Ohio: human trafficking law\n\n'
        '{{ state_profile("oh") }}\n', encoding="utf-8")
    assert check.main(["--config", str(tmp_path / "mkdocs.yml"), "--today", "2026-11-29"]) == 0
    out = capsys.readouterr().out
    assert "1 state law profiles" in out
    assert "data/states/oh.yml: field 'record_relief': last verified 2025-01-01 (697 days ago" in out
