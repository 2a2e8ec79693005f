"""mkdocs-macros entry points. These only load the data and register the renderers;
the work is done in loader.py (validation), render.py and health.py (HTML) and
frontmatter.py (page schema). Any problem raises, so MkDocs exits non-zero and nothing
half-rendered is published.

In the preview (`make serve`, where mkdocs.preview.yml sets extra.preview) the same
problems become red boxes in the page instead (macros/preview.py), so the preview keeps
running and recovers as soon as the file is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

from . import health, preview, render, sources
from .references import cited_sources, unknown_source
from .frontmatter import is_exempt, validate_front_matter
from .loader import DataError, GuideData, Project, load_data, project_from_config_file
from .render import MacroError


@dataclass
class _Site:
    data: Optional[GuideData]  # None only in the preview, when data/*.yml has problems
    project: Project
    today: date
    abbreviations: str  # appended to every page; built once per build
    preview: bool = False
    data_error: Optional[DataError] = None
    page_box: str = ""  # preview: error box for the page being rendered


def _site(env) -> _Site:
    return env.eguide_site


def _page_label(env) -> str:
    try:
        return f"docs/{env.page.file.src_uri}"
    except AttributeError:
        return "a page"


def define_env(env) -> None:
    project = project_from_config_file(Path(env.conf["config_file_path"]), env.conf)
    in_preview = preview.is_preview(env.conf)
    try:
        data = load_data(project.data_dir, project.docs_dir,
                         stale_after_days=project.stale_after_days)
    except DataError as error:
        if not in_preview:
            raise
        # Preview: every page shows the problems in a box (on_pre_page_macros).
        preview.log.warning("data/*.yml: %s", str(error).replace("\n", " "))
        site = _Site(data=None, project=project, today=date.today(), abbreviations="",
                     preview=True, data_error=error)
        env.eguide_site = site
        env.conf["extra"]["contact_links"] = {}
        _register_macros(env, site)
        return
    site = _Site(data=data, project=project, today=date.today(),
                 abbreviations=render.abbreviation_lines(data.glossary), preview=in_preview)
    env.eguide_site = site
    env.conf["extra"]["contact_links"] = render.contact_links(data.contacts.values())
    env.conf["extra"]["translations"] = translation_pairs(project, env.conf.get("use_directory_urls", True))
    _register_macros(env, site)


def translation_pairs(project: Project, use_directory_urls: bool) -> dict:
    """For the theme: each translated page and its English page, keyed by both source
    paths, with the other page's site URL, title, language and last_reviewed date."""
    pairs: dict = {}
    for path in sorted(project.docs_dir.rglob("*.md")):
        meta = health.read_front_matter(path) or {}
        english = meta.get("translation_of") if isinstance(meta, dict) else None
        if not isinstance(english, str) or not (project.docs_dir / english).is_file():
            continue  # the front matter check reports a bad translation_of
        src = path.relative_to(project.docs_dir).as_posix()
        english_meta = health.read_front_matter(project.docs_dir / english) or {}
        pairs[src] = {"url": render.site_file_url(english, use_directory_urls),
                      "title": english_meta.get("title", english), "lang": "en",
                      "reviewed": english_meta.get("last_reviewed")}
        pairs.setdefault(english, {"url": render.site_file_url(src, use_directory_urls),
                                   "title": meta.get("title", src), "lang": meta.get("lang")})
    return pairs


def _register_macros(env, site: _Site) -> None:
    project = site.project
    data = site.data

    def fail(call: str, problem: str) -> MacroError:
        return MacroError(f"{_page_label(env)}: {call}: {problem}")

    def page_url() -> str:
        return env.page.url

    def contact(ident: str, call: str):
        if ident not in data.contacts:
            raise fail(call, f"no contact with id {ident!r} (known ids: {', '.join(sorted(data.contacts))})")
        return data.contacts[ident]

    def translation(lang: str, call: str):
        if lang == "en":
            return None
        if lang not in data.i18n:
            known = ", ".join(["en", *sorted(data.i18n)])
            raise fail(call, f"no language {lang!r} (known: {known}; add data/i18n/{lang}.yml)")
        return data.i18n[lang]

    def rendered(call: str, make):
        try:
            return make()
        except MacroError as error:
            raise fail(call, str(error)) from None

    @env.macro
    def contact_block(id: str, lang: str = "en") -> str:
        """One contact card from data/contacts.yml; lang="es" for the Spanish edition."""
        call = f"contact_block({id!r}{', lang=' + repr(lang) if lang != 'en' else ''})"
        chosen, language = contact(id, call), translation(lang, call)
        return rendered(call, lambda: render.contact_card(chosen, language))

    @env.macro
    def contact_heading(id: str, level: int = 3) -> str:
        """A heading with one contact's name and its id as the anchor, for directory pages."""
        call = f"contact_heading({id!r})"
        found = contact(id, call)
        if not isinstance(level, int) or not 2 <= level <= 6:
            raise fail(call, f"level must be a whole number from 2 to 6, not {level!r}")
        return render.contact_heading(found, level)

    @env.macro
    def contact_line(id: str) -> str:
        """One contact's name and numbers on one line, inside a sentence."""
        return render.contact_line(contact(id, f"contact_line({id!r})"))

    @env.macro
    def contact_blocks(ids: list, lang: str = "en") -> str:
        """Several contact cards, in the order given."""
        call = f"contact_blocks({ids!r}{', lang=' + repr(lang) if lang != 'en' else ''})"
        if not isinstance(ids, (list, tuple)) or not ids:
            raise fail(call, "expects a non-empty list of contact ids, such as [\"emergency\", \"nhth\"]")
        chosen, language = [contact(i, call) for i in ids], translation(lang, call)
        return rendered(call, lambda: render.contact_cards(chosen, language))

    @env.macro
    def translated_terms(lang: str) -> str:
        """The term list of a translated edition (data/i18n/<lang>.yml)."""
        call = f"translated_terms({lang!r})"
        language = translation(lang, call)
        if language is None:
            raise fail(call, "the English terms are in the glossary: use glossary()")
        return render.translated_terms(language)

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
        """A link to one source of the register, with its title (or the text given)."""
        if id not in data.sources:
            raise fail(f"resource_link({id!r})", unknown_source(id, data.sources))
        resource = data.sources[id]
        href = render.resource_href(resource, page_url(), env.conf["use_directory_urls"])
        return f'<a href="{render.e(href)}">{render.e(text or resource.title)}</a>'

    @env.macro
    def source(id: str, pinpoint: Optional[str] = None) -> str:
        """A citation of one document in data/sources.yml, for a footnote; pinpoint is
        the section, page or paragraph cited, such as "§ 12291(b)(2)"."""
        call = f"source({id!r}{', ' + repr(pinpoint) if pinpoint else ''})"
        if id not in data.sources:
            raise fail(call, unknown_source(id, data.sources))
        if pinpoint is not None and (not isinstance(pinpoint, str) or not pinpoint.strip()):
            raise fail(call, "the pinpoint must be text such as \"§ 12291(b)(2)\" or \"p. 14\"")
        return sources.citation(data.sources[id], pinpoint, page_url=page_url(),
                                use_directory_urls=env.conf["use_directory_urls"])

    @env.macro
    def references() -> str:
        """Every source in the register, by type, with the pages that cite it."""
        titles = {}
        cited = {}
        for ident, pages in cited_sources(project.docs_dir).items():
            cited[ident] = [(p, titles.setdefault(p, health.page_title(project.docs_dir / p)))
                            for p in pages]
        return sources.references_html(data.sources.values(), data.vocab, cited,
                                       page_url=page_url(),
                                       use_directory_urls=env.conf["use_directory_urls"])

    @env.macro
    def glossary() -> str:
        """Every glossary term, alphabetically, as a definition list."""
        return render.glossary_list(data.glossary)

    @env.macro
    def content_health() -> str:
        """Contacts, resources and pages older than extra.stale_after_days."""
        return health.content_health_html(data, site.today, page_url=page_url(),
                                          use_directory_urls=env.conf["use_directory_urls"])

    # downloads_bundle, _guide, _templates, _checksums (imported here: the downloads
    # package itself uses macros.render)
    from hooks.downloads.pages import define_macros as define_download_macros

    define_download_macros(env)

    if site.preview:
        def data_problem() -> Optional[str]:
            if site.data_error is None:
                return None
            return "data/*.yml has problems (listed at the top of this page)"

        for name, macro in list(env.macros.items()):
            if callable(macro):
                env.macros[name] = preview.guard(name, macro, lambda: _page_label(env),
                                                 data_problem)


def on_pre_page_macros(env) -> None:
    """Check the page's front matter before its macros run."""
    site = _site(env)
    site.page_box = ""
    if site.data_error is not None:  # preview only
        site.page_box = preview.error_box("the data files have problems",
                                          site.data_error.messages)
        return
    src = env.page.file.src_uri
    if is_exempt(src, site.project.extra.get("front_matter_exempt") or []):
        return
    statuses = list((site.project.extra.get("status") or {}).keys()) or None
    errors = validate_front_matter(f"docs/{src}", env.page.meta, vocab=site.data.vocab,
                                   today=site.today, statuses=statuses,
                                   docs_dir=site.project.docs_dir)
    if errors and site.preview:
        preview.log.warning("%s", errors[0] if len(errors) == 1
                            else f"{errors[0]} (and {len(errors) - 1} more)")
        # Added after the macros ran (on_post_page_macros), so no text in it is a macro.
        site.page_box = preview.error_box("the front matter has problems", errors)
    elif errors:
        raise DataError(errors)


def on_post_page_macros(env) -> None:
    """Preview error boxes first; every page gets the glossary's abbreviations
    appended, for hover definitions (the download line of template pages is added by
    hooks/downloads/hook.py)."""
    site = _site(env)
    if site.preview:
        box = preview.plugin_error_box(env.markdown, _page_label(env))
        if box is not None:
            preview.log.warning("%s: the page could not be rendered (details in the page)",
                                _page_label(env))
            env.markdown = box
        if site.page_box:
            env.markdown = f"{site.page_box}\n\n{env.markdown}"
    lines = site.abbreviations
    if lines:
        env.markdown = f"{env.markdown.rstrip()}\n\n{lines}\n"
