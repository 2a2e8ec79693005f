"""mkdocs-macros entry points. `define_env` only registers the renderers; the data is
loaded and validated once in site.py (which is also the one place that reads MkDocs'
page, file and config objects), and the work is done in render.py, sources.py and
health.py (HTML) and frontmatter.py (page schema). Any problem raises, so MkDocs exits
non-zero and nothing half-rendered is published.

In the preview (`make serve`, where mkdocs.preview.yml sets extra.preview) the same
problems become red boxes in the page instead (macros/preview.py), so the preview keeps
running and recovers as soon as the file is fixed."""

from __future__ import annotations

from typing import Optional

from . import downloads, health, preview, render, sources, states
from .errors import DataError
from .frontmatter import validate_front_matter
from .lookup import lookup
from .pages import page_title
from .references import cited_sources
from .render import MacroError
from .site import Engine, Site, load_site


def _site(env) -> Site:
    return env.eguide_site


def define_env(env) -> None:
    engine = Engine(env)
    site = load_site(engine)
    env.eguide_site = site
    _register_macros(env, engine, site)


def _register_macros(env, engine: Engine, site: Site) -> None:
    project = site.project
    data = site.data

    def fail(call: str, problem: str) -> MacroError:
        return MacroError(f"{engine.page_label}: {call}: {problem}")

    def find(kind: str, ident: str, known: dict, call: str):
        try:
            return lookup(kind, ident, known)
        except MacroError as error:
            raise fail(call, str(error)) from None

    def contact(ident: str, call: str):
        return find("contact", ident, data.contacts, call)

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
                sort=sort, caption=caption, page_url=engine.page_url,
                use_directory_urls=engine.use_directory_urls)
        except MacroError as error:
            raise MacroError(f"{engine.page_label}: {error}") from None

    @env.macro
    def resource_link(id: str, text: Optional[str] = None) -> str:
        """A link to one source of the register, with its title (or the text given)."""
        resource = find("source", id, data.sources, f"resource_link({id!r})")
        href = render.resource_href(resource, engine.page_url, engine.use_directory_urls)
        return f'<a href="{render.e(href)}">{render.e(text or resource.title)}</a>'

    @env.macro
    def source(id: str, pinpoint: Optional[str] = None) -> str:
        """A citation of one document in data/sources.yml, for a footnote; pinpoint is
        the section, page or paragraph cited, such as "§ 12291(b)(2)"."""
        call = f"source({id!r}{', ' + repr(pinpoint) if pinpoint else ''})"
        cited = find("source", id, data.sources, call)
        if pinpoint is not None and (not isinstance(pinpoint, str) or not pinpoint.strip()):
            raise fail(call, "the pinpoint must be text such as \"§ 12291(b)(2)\" or \"p. 14\"")
        return sources.citation(cited, pinpoint, page_url=engine.page_url,
                                use_directory_urls=engine.use_directory_urls)

    @env.macro
    def references() -> str:
        """Every source in the register, by type, with the pages that cite it."""
        titles = {}
        cited = {}
        for ident, pages in cited_sources(project.docs_dir, states.site_profiles(site)).items():
            cited[ident] = [(p, titles.setdefault(p, page_title(project.docs_dir / p)))
                            for p in pages]
        return sources.references_html(data.sources.values(), data.vocab, cited,
                                       page_url=engine.page_url,
                                       use_directory_urls=engine.use_directory_urls)

    @env.macro
    def glossary() -> str:
        """Every glossary term, alphabetically, as a definition list."""
        return render.glossary_list(data.glossary)

    @env.macro
    def content_health() -> str:
        """Contacts, resources and pages older than extra.stale_after_days."""
        return health.content_health_html(data, site.today, page_url=engine.page_url,
                                          use_directory_urls=engine.use_directory_urls,
                                          exempt=project.front_matter_exempt)

    downloads.define_macros(env)  # downloads_bundle, _guide, _templates, _checksums
    states.define_macros(env, site)  # state_profile, states_at_a_glance, state_law_health

    if site.preview:
        def data_problem() -> Optional[str]:
            if site.data_error is None:
                return None
            return "data/*.yml has problems (listed at the top of this page)"

        for name, macro in list(env.macros.items()):
            if callable(macro):
                env.macros[name] = preview.guard(name, macro, lambda: engine.page_label,
                                                 data_problem, lambda: engine.page_source)


def on_pre_page_macros(env) -> None:
    """Check the page's front matter before its macros run."""
    site, engine = _site(env), Engine(env)
    site.page_box = ""
    if site.data_error is not None:  # preview only
        site.page_box = preview.error_box("the data files have problems",
                                          site.data_error.messages)
        return
    src = engine.page_src
    if src is None or not site.project.is_reader_page(src):
        return
    errors = validate_front_matter(f"docs/{src}", engine.page_meta, vocab=site.data.vocab,
                                   today=site.today, statuses=site.project.statuses,
                                   docs_dir=site.project.docs_dir)
    if errors and site.preview:
        preview.log.warning("%s", errors[0] if len(errors) == 1
                            else f"{errors[0]} (and {len(errors) - 1} more)")
        # Added after the macros ran (on_post_page_macros), so no text in it is a macro.
        site.page_box = preview.error_box("the front matter has problems", errors)
    elif errors:
        raise DataError(errors)


def on_post_page_macros(env) -> None:
    """Preview error boxes first; every page gets the glossary's abbreviations that
    occur in it appended, for hover definitions (the download line of template pages is
    added by hooks/downloads/hook.py)."""
    site, engine = _site(env), Engine(env)
    if site.preview:
        box = preview.plugin_error_box(engine.markdown, engine.page_label, engine.page_source)
        if box is not None:
            preview.log.warning("%s: the page could not be rendered (details in the page)",
                                engine.page_label)
            engine.markdown = box
        if site.page_box:
            engine.markdown = f"{site.page_box}\n\n{engine.markdown}"
    lines = render.abbreviation_lines(site.abbreviations, engine.markdown)
    if lines:
        engine.markdown = f"{engine.markdown.rstrip()}\n\n{lines}\n"
