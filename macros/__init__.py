"""mkdocs-macros entry points. These only load the data and register the renderers;
the work is done in loader.py (validation), render.py and health.py (HTML) and
frontmatter.py (page schema). Any problem raises, so MkDocs exits non-zero and nothing
half-rendered is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

from . import downloads, health, render
from .frontmatter import is_exempt, validate_front_matter
from .loader import DataError, GuideData, Project, load_data, project_from_config_file
from .render import MacroError


@dataclass
class _Site:
    data: GuideData
    project: Project
    today: date
    abbreviations: str  # appended to every page; built once per build


def _site(env) -> _Site:
    return env.eguide_site


def _page_label(env) -> str:
    try:
        return f"docs/{env.page.file.src_uri}"
    except AttributeError:
        return "a page"


def define_env(env) -> None:
    project = project_from_config_file(Path(env.conf["config_file_path"]), env.conf)
    data = load_data(project.data_dir, project.docs_dir, stale_after_days=project.stale_after_days)
    site = _Site(data=data, project=project, today=date.today(),
                 abbreviations=render.abbreviation_lines(data.glossary))
    env.eguide_site = site
    env.conf["extra"]["contact_links"] = render.contact_links(data.contacts.values())

    def fail(call: str, problem: str) -> MacroError:
        return MacroError(f"{_page_label(env)}: {call}: {problem}")

    def page_url() -> str:
        return env.page.url

    def contact(ident: str, call: str):
        if ident not in data.contacts:
            raise fail(call, f"no contact with id {ident!r} (known ids: {', '.join(sorted(data.contacts))})")
        return data.contacts[ident]

    @env.macro
    def contact_block(id: str) -> str:
        """One contact card from data/contacts.yml."""
        return render.contact_card(contact(id, f"contact_block({id!r})"))

    @env.macro
    def contact_line(id: str) -> str:
        """One contact's name and numbers on one line, inside a sentence."""
        return render.contact_line(contact(id, f"contact_line({id!r})"))

    @env.macro
    def contact_blocks(ids: list) -> str:
        """Several contact cards, in the order given."""
        call = f"contact_blocks({ids!r})"
        if not isinstance(ids, (list, tuple)) or not ids:
            raise fail(call, "expects a non-empty list of contact ids, such as [\"emergency\", \"nhth\"]")
        return render.contact_cards(contact(i, call) for i in ids)

    @env.macro
    def resource_table(topic: Optional[str] = None, audience: Optional[str] = None,
                       type: Optional[str] = None, sort: str = "title",
                       caption: Optional[str] = None) -> str:
        """A table of the resources matching every filter given."""
        try:
            return render.resource_table(
                data.resources.values(), data.vocab, topic=topic, audience=audience, type=type,
                sort=sort, caption=caption, page_url=page_url(),
                use_directory_urls=env.conf["use_directory_urls"])
        except MacroError as error:
            raise MacroError(f"{_page_label(env)}: {error}") from None

    @env.macro
    def resource_link(id: str, text: Optional[str] = None) -> str:
        """A link to one resource, with its title (or the text given) as link text."""
        if id not in data.resources:
            raise fail(f"resource_link({id!r})",
                       f"no resource with id {id!r} (known ids: {', '.join(sorted(data.resources))})")
        resource = data.resources[id]
        href = render.resource_href(resource, page_url(), env.conf["use_directory_urls"])
        return f'<a href="{render.e(href)}">{render.e(text or resource.title)}</a>'

    @env.macro
    def glossary() -> str:
        """Every glossary term, alphabetically, as a definition list."""
        return render.glossary_list(data.glossary)

    @env.macro
    def content_health() -> str:
        """Contacts, resources and pages older than extra.stale_after_days."""
        return health.content_health_html(data, site.today, page_url=page_url(),
                                          use_directory_urls=env.conf["use_directory_urls"])

    downloads.define_macros(env)  # downloads_bundle, _guide, _templates, _checksums


def on_pre_page_macros(env) -> None:
    """Check the page's front matter before its macros run."""
    site = _site(env)
    src = env.page.file.src_uri
    if is_exempt(src, site.project.extra.get("front_matter_exempt") or []):
        return
    statuses = list((site.project.extra.get("status") or {}).keys()) or None
    errors = validate_front_matter(f"docs/{src}", env.page.meta, vocab=site.data.vocab,
                                   today=site.today, statuses=statuses)
    if errors:
        raise DataError(errors)


def on_post_page_macros(env) -> None:
    """Template pages get their download line under the title; every page gets the
    glossary's abbreviations appended, for hover definitions."""
    meta = env.page.meta or {}
    if meta.get("kind") == downloads.TEMPLATE_KIND:
        env.markdown = downloads.add_template_downloads(
            env.markdown, downloads.read_manifest(), page_src=env.page.file.src_uri,
            title=str(meta.get("title") or env.page.title))
    lines = _site(env).abbreviations
    if lines:
        env.markdown = f"{env.markdown.rstrip()}\n\n{lines}\n"
