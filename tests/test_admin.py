"""The staff editing forms at /admin/ (Decap CMS): made from the schemas, only in the
online build, no outside requests, and a real edit through the form against the local
backend (decap-server) on a throwaway copy of the project."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import socket
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from macros import admin_config, models

ROOT = Path(__file__).resolve().parent.parent
DECAP_SERVER = ROOT / "node_modules/decap-server/dist/index.js"
TIMEOUT = 30_000  # ms; the CMS bundle is 5 MB and the machine may be busy


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _item_fields(config: dict, name: str) -> dict[str, dict]:
    items = _collection(config, name)["files"][0]["fields"][0]
    assert items["name"] == admin_config.ITEMS
    return {f["name"]: f for f in items["fields"]}


# --- the generated configuration -----------------------------------------------------

def test_form_labels_come_from_their_file_and_a_broken_entry_is_named(tmp_path):
    """admin/form-labels.yml gives the forms their labels and hints; an entry without a
    label fails with the file and the field named."""
    contact = _item_fields(admin_config.build_config(), "contacts")
    assert contact["phone_vanity"]["label"] == "Phone spelled in letters"
    assert contact["phone_vanity"]["hint"] == "Such as 1-800-THE-LOST (optional)."
    assert "hint" not in contact["name"] and contact["tty"]["label"] == "TTY"
    broken = tmp_path / "form-labels.yml"
    broken.write_text("name:\n  label: Name\nphone:\n  hint: Digits only.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"form-labels.yml: field 'phone': give it a `label:`"):
        admin_config.load_labels(broken)


def test_a_new_vocabulary_term_appears_in_the_forms(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    vocab = yaml.safe_load((data / "vocabularies.yml").read_text(encoding="utf-8"))
    vocab["audiences"].append({"id": "tribal-courts", "label": "Tribal courts"})
    vocab["topics"].append({"id": "housing", "label": "Housing"})
    (data / "vocabularies.yml").write_text(yaml.safe_dump(vocab), encoding="utf-8")

    config = admin_config.build_config(repo_url="", oauth_url="", data=data)

    def values(field):
        return [o["value"] for o in field["options"]]

    assert "tribal-courts" in values(_item_fields(config, "contacts")["audiences"])
    assert "tribal-courts" in values(_item_fields(config, "sources")["audiences"])
    assert "housing" in values(_item_fields(config, "sources")["topics"])
    page_audiences = next(f for f in _collection(config, "pages-about")["fields"]
                          if f["name"] == "audiences")
    assert "tribal-courts" in values(page_audiences)
    # …and the build's own copy of the vocabularies does not have it.
    assert "tribal-courts" not in values(
        _item_fields(admin_config.build_config(repo_url="", oauth_url=""), "contacts")["audiences"])


@pytest.mark.parametrize("name, model", [("contacts", models.Contact),
                                         ("sources", models.Source),
                                         ("glossary", models.GlossaryEntry)])
def test_every_schema_field_has_a_form_field_required_as_the_schema_says(name, model):
    fields = _item_fields(admin_config.build_config(repo_url="", oauth_url=""), name)
    assert list(fields) == list(model.model_fields)
    for field_name, info in model.model_fields.items():
        assert fields[field_name]["required"] == info.is_required(), field_name
        inner, _ = admin_config._unwrap(info.annotation)
        if inner is date:
            assert fields[field_name]["widget"] == "datetime", field_name
        if field_name in admin_config.VOCAB_FIELDS:
            assert fields[field_name]["widget"] == "select", field_name


def test_the_repository_and_sign_in_helper_come_from_the_environment():
    config = admin_config.build_config(repo_url="https://github.com/example-org/eguide",
                                       oauth_url="https://auth.example.org/")
    assert config["backend"]["repo"] == "example-org/eguide"
    assert config["backend"]["base_url"] == "https://auth.example.org"
    assert config["publish_mode"] == "editorial_workflow"


# --- what the build publishes --------------------------------------------------------

def test_admin_is_in_the_online_build_only_and_never_indexed(built):
    admin = built.site / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Editing forms for the guide's staff." in page
    assert (admin / "vendor/decap-cms/decap-cms.js").is_file()
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert {c["name"] for c in config["collections"]} >= {"contacts", "sources", "glossary"}
    assert not (built.offline / "admin").exists()
    assert "admin" not in (built.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin/" not in (built.site / "search/search_index.json").read_text(encoding="utf-8")
    linking = [p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html")
               if "admin" not in p.relative_to(built.site).parts
               and re.search(r'href="[^"]*\badmin/', p.read_text(encoding="utf-8"))]
    assert linking == []


def test_admin_page_allows_no_outside_host_but_the_git_host(built):
    page = (built.site / "admin/index.html").read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    outside = {src for value in directives.values() for src in value.split()
               if src.startswith("http") and not re.match(r"http://(localhost|127\.0\.0\.1):\*$", src)}
    assert outside == {"https://api.github.com"}, csp
    assert directives["default-src"] == "'self'"
    for name in ("script-src", "style-src", "img-src", "font-src"):
        assert "http" not in directives[name], name


# --- in the browser --------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def local_backend(tmp_path):
    """decap-server (pinned in package.json) on a free port, editing a throwaway copy of
    data/ and docs/. Yields (api url, project copy)."""
    if not DECAP_SERVER.is_file():
        pytest.fail("decap-server is missing: run `npm ci --ignore-scripts`")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "docs", project / "docs")
    port = _free_port()
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="fs",
               GIT_REPO_DIRECTORY=str(project), LOG_LEVEL="warn")
    log = (tmp_path / "decap-server.log").open("w")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/api/v1", project
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def admin_page(browser, served_site, local_backend):
    """The built /admin/ page, its config pointed at the local backend's port."""
    from browser import recording_context

    api, project = local_backend
    config_text = admin_config.dump(admin_config.build_config(
        repo_url="", oauth_url="", local_backend_url=api))
    backend_origin = api.rsplit("/api/", 1)[0]
    with recording_context(browser, base=served_site, offline=False) as (context, requests, leaves):
        def allow_backend(route):
            requests.append(route.request.url)
            route.continue_()

        context.route(f"{backend_origin}/**", allow_backend)
        context.route("**/admin/config.yml", lambda route: route.fulfill(
            status=200, content_type="text/yaml", body=config_text))
        page = context.new_page()
        page.goto(served_site + "admin/")
        page.get_by_role("button", name="Login").click(timeout=TIMEOUT)
        yield page, project, requests, served_site
    outside = {u for u in requests if not u.startswith((served_site, backend_origin, "data:", "blob:"))}
    assert outside == set()


def _open_contact(page, base: str, label: str):
    from playwright.sync_api import expect

    page.goto(base + "admin/#/collections/contacts/entries/contacts")
    item = page.locator("div[class*='listControlItem']").filter(
        has=page.get_by_text(label, exact=True))
    expect(item).to_have_count(1, timeout=TIMEOUT)
    item.locator("button").first.click()  # expand the entry
    return item


def _publish(page):
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("menuitem", name="Publish now").click()


def test_editing_a_contact_in_the_form_changes_only_that_line(admin_page, artifacts):
    from playwright.sync_api import expect

    page, project, _, base = admin_page
    target = project / "data/contacts.yml"
    before = target.read_text(encoding="utf-8")
    item = _open_contact(page, base, "National Human Trafficking Hotline (nhth)")
    hours = item.get_by_label("Hours (optional)", exact=True)
    expect(hours).to_have_value("24 hours a day, 7 days a week")
    hours.fill("Around the clock, every day of the year")
    expect(page.get_by_text("Unsaved Changes")).to_be_visible()
    # For reviewers and the Contribute page (an artifact, not an assertion).
    page.screenshot(path=str(artifacts / "admin-contact-form.png"))
    _publish(page)
    # decap-server writes the file before it answers; then the top bar says so.
    expect(page.get_by_text("Unsaved Changes")).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_text("Changes saved")).to_be_visible()

    after = target.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith(("- ", "+ "))]
    assert changed == ["-   hours: 24 hours a day, 7 days a week",
                       "+   hours: Around the clock, every day of the year"]
    entry = next(e for e in yaml.safe_load(after) if e["id"] == "nhth")
    assert entry["hours"] == "Around the clock, every day of the year"
    # The real file is untouched.
    assert "Around the clock" not in (ROOT / "data/contacts.yml").read_text(encoding="utf-8")


def test_a_required_field_left_empty_is_refused(admin_page):
    from playwright.sync_api import expect

    page, project, _, base = admin_page
    target = project / "data/contacts.yml"
    before = target.read_text(encoding="utf-8")
    item = _open_contact(page, base, "National Human Trafficking Hotline (nhth)")
    name = item.get_by_label("Name", exact=True)
    expect(name).to_have_value("National Human Trafficking Hotline")
    name.fill("")
    _publish(page)
    # (The entry's summary line loses its name, so look in the whole form.)
    expect(page.get_by_text(re.compile(r"Name is required", re.I))).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Unsaved Changes")).to_be_visible()
    assert target.read_text(encoding="utf-8") == before


def test_the_admin_page_cannot_reach_an_outside_host(browser, served_site):
    """Without a local backend the page uses GitHub; before sign-in it requests nothing
    outside the site, and its policy blocks what the CMS would fetch elsewhere (the
    GitHub status page), even when a script asks."""
    from playwright.sync_api import expect

    from browser import recording_context

    with recording_context(browser, base=served_site, offline=False) as (context, requests, leaves):
        page = context.new_page()
        page.goto(served_site + "admin/")
        expect(page.get_by_role("button", name="Login with GitHub")).to_be_visible(timeout=TIMEOUT)
        blocked = page.evaluate("""() => fetch('https://www.githubstatus.com/api/v2/components.json')
                                         .then(() => 'loaded', () => 'blocked')""")
        assert blocked == "blocked"
        # Refused by the page's policy before any request was made (the recording
        # context would have seen, and aborted, a request that got that far).
        assert not any("githubstatus.com" in u for u in requests)
        # Only the local-backend probe (this page is on 127.0.0.1) may leave the site.
        outside = [u for u in requests if leaves(u)
                   and urlsplit(u).hostname not in ("localhost", "127.0.0.1")]
        assert outside == []


# --- the YAML list format, run in Node on the real files ---------------------------------

FORMAT_CHECK = r"""
import fs from "fs";
const formats = {};
globalThis.window = { CMS: { registerCustomFormat: (n, e, f) => { formats[n] = f; }, init() {} } };
globalThis.fetch = async () => ({ text: async () => fs.readFileSync("config.yml", "utf8") });
await import("./admin.js");
await new Promise((resolve) => setTimeout(resolve, 50));
const [stem, edit] = process.argv.slice(2);
const format = formats["eguide-yaml-list-" + stem];
const data = format.fromFile(fs.readFileSync(stem + ".yml", "utf8"));
new Function("items", edit)(data.items);
try { process.stdout.write(format.toFile(data)); }
catch (error) { process.stdout.write("REFUSED: " + error.message); }
"""


@pytest.fixture
def run_format(tmp_path):
    """toFile(fromFile(data/<stem>.yml) after `edit`), with the published admin.js."""
    from hooks import admin as admin_hook

    admin = admin_hook.write_admin(tmp_path / "site", oauth_url="")
    (admin / "package.json").write_text('{"type": "module"}')
    (admin / "check.mjs").write_text(FORMAT_CHECK)

    def run(stem: str, edit: str = "") -> tuple[str, str]:
        original = (ROOT / "data" / f"{stem}.yml").read_text(encoding="utf-8")
        (admin / f"{stem}.yml").write_text(original, encoding="utf-8")
        result = subprocess.run(["node", "check.mjs", stem, edit], cwd=admin,
                                capture_output=True, text=True, timeout=60, check=True)
        return original, result.stdout
    return run


@pytest.mark.parametrize("stem", ["contacts", "sources", "glossary"])
def test_saving_without_changes_rewrites_nothing(run_format, stem):
    original, saved = run_format(stem)
    assert saved == original


def test_saving_changes_only_the_edited_lines_and_keeps_types(run_format):
    original, saved = run_format("contacts", """
        const nhth = items.find((e) => e.id === "nhth");
        nhth.email = "help@example.org";
        delete nhth.tty;
        items.push({ id: "test-line", name: "Test line", description: "A line for the test.",
                     phone: "911", audiences: ["labor"], last_verified: "2026-11-30" });
    """)
    changed = [line for line in difflib.ndiff(original.splitlines(), saved.splitlines())
               if line.startswith(("- ", "+ "))]
    assert changed[:2] == ['-   tty: "711"', "+   email: help@example.org"]
    assert changed[2:] == ["+ ", "+ - id: test-line", "+   name: Test line",
                           "+   description: A line for the test.", '+   phone: "911"',
                           "+   audiences: [labor]", "+   last_verified: 2026-11-30"]
    added = yaml.safe_load(saved)[-1]
    assert added["phone"] == "911" and added["last_verified"] == date(2026, 11, 30)


def test_a_year_typed_in_the_form_is_written_as_a_number(run_format):
    _, saved = run_format("sources", 'items[0].year = "2001";')
    assert yaml.safe_load(saved)[0]["year"] == 2001


def test_entries_of_another_file_are_refused(run_format):
    _, saved = run_format("glossary", 'items[0].publisher = "Someone";')
    assert saved.startswith("REFUSED: ") and "publisher" in saved
