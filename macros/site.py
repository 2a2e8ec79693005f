"""Between the renderers and the engine that runs them: loading the data once per
build, and reading the page, file and configuration the macros need.

The macros read MkDocs objects only through `Engine`, which tolerates what another
engine may leave out (Zensical's macros extension calls `define_env(env)` with no
`env.conf`, or a page without `file.src_uri`), so the same renderers can run there.

In the preview (`make serve`, where mkdocs.preview.yml sets extra.preview) problems in
data/*.yml do not stop the site: every page shows them in a box (macros/preview.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from . import preview, render
from .errors import DataError
from .loader import GuideData, project_data
from .pages import read_front_matter
from .project import Project, load_project, plain_project


class Engine:
    """The macros plugin's `env`, seen through the few things the macros use."""

    def __init__(self, env: Any):
        self.env = env

    @property
    def conf(self) -> Any:
        conf = getattr(self.env, "conf", None)
        return conf if conf is not None else {}

    @property
    def is_zensical(self) -> bool:
        """True when Zensical's macros extension runs the macros (its env is a
        zensical.extensions.macros.MacroEnv, its pages have `path` and no `file`)."""
        return type(self.env).__module__.startswith("zensical")

    @property
    def project(self) -> Project:
        if self.conf.get("config_file_path"):
            return Project(self.conf)
        if self.is_zensical:
            # Zensical's configuration is its own (converted nav, no config path):
            # read mkdocs.yml itself, once per process.
            return plain_project()
        return load_project()

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.conf.get("use_directory_urls", True))

    def publish(self, key: str, value: Any) -> None:
        """Put a value in config.extra, where the theme's templates read it."""
        if isinstance(self.conf, dict) or hasattr(self.conf, "__setitem__"):
            extra = self.conf.get("extra")
            if extra is None:
                return
            extra[key] = value

    @property
    def page(self) -> Any:
        return getattr(self.env, "page", None)

    @property
    def page_src(self) -> Optional[str]:
        """The page's path under docs/ ("structure/mou.md"), or None."""
        src = getattr(getattr(self.page, "file", None), "src_uri", None)
        if src is None:
            src = getattr(self.page, "path", None)  # Zensical's page
        return src if isinstance(src, str) and src.endswith(".md") else None

    @property
    def page_source(self) -> Optional[str]:
        """The page's Markdown file on disk (for line numbers in messages), or None."""
        path = getattr(getattr(self.page, "file", None), "abs_src_path", None)
        return path if isinstance(path, str) else None

    @property
    def page_label(self) -> str:
        return f"docs/{self.page_src}" if self.page_src else "a page"

    @property
    def page_url(self) -> str:
        return getattr(self.page, "url", None) or ""

    @property
    def page_meta(self) -> dict:
        return getattr(self.page, "meta", None) or {}

    @property
    def page_title(self) -> str:
        return str(self.page_meta.get("title") or getattr(self.page, "title", None) or "")

    @property
    def markdown(self) -> str:
        return getattr(self.env, "markdown", "") or ""

    @markdown.setter
    def markdown(self, text: str) -> None:
        self.env.markdown = text


@dataclass
class Site:
    data: Optional[GuideData]  # None only in the preview, when data/*.yml has problems
    project: Project
    today: date
    abbreviations: tuple  # (abbreviation, definition line): render.abbreviation_definitions
    preview: bool = False
    data_error: Optional[DataError] = None
    page_box: str = ""  # preview: error box for the page being rendered
    cache: dict = field(default_factory=dict)  # what the macros load once per Site


_zensical_sites: dict = {}


def load_site(engine: Engine) -> Site:
    """The project and its data (validated once, reused while the files are unchanged);
    also publishes the contact links and translation pairs the theme reads.

    Zensical calls define_env for every page: there the whole Site is kept for the
    process and made again only when the data, mkdocs.yml or the date change (the theme
    values are written into its configuration by scripts/zensical_config.py)."""
    if engine.is_zensical:
        project = engine.project
        today = date.today()
        data = project_data(project, today=today)
        key = (id(project), id(data), today)
        site = _zensical_sites.get(key)
        if site is None:
            _zensical_sites.clear()
            site = _zensical_sites[key] = Site(
                data=data, project=project, today=today,
                abbreviations=render.abbreviation_definitions(data.glossary), preview=False)
        return site
    project = engine.project
    in_preview = preview.is_preview(engine.conf)
    today = date.today()
    try:
        data = project_data(project, today=today)
    except DataError as error:
        if not in_preview:
            raise
        preview.log.warning("data/*.yml: %s", str(error).replace("\n", " "))
        engine.publish("contact_links", {})
        return Site(data=None, project=project, today=today, abbreviations=(),
                    preview=True, data_error=error)
    engine.publish("contact_links", render.contact_links(data.contacts.values()))
    engine.publish("translations", translation_pairs(project))
    return Site(data=data, project=project, today=today,
                abbreviations=render.abbreviation_definitions(data.glossary), preview=in_preview)


def translation_pairs(project: Project) -> dict:
    """For the theme: each translated page and its English page, keyed by both source
    paths, with the other page's site URL, title, language and last_reviewed date."""
    pairs: dict = {}
    urls = project.use_directory_urls
    for page in project.reader_pages():
        meta = page.meta
        english = meta.get("translation_of")
        if not isinstance(english, str) or not (project.docs_dir / english).is_file():
            continue  # the front matter check reports a bad translation_of
        english_meta = read_front_matter(project.docs_dir / english)
        pairs[page.src] = {"url": render.site_file_url(english, urls),
                           "title": english_meta.get("title", english), "lang": "en",
                           "reviewed": english_meta.get("last_reviewed")}
        pairs.setdefault(english, {"url": render.site_file_url(page.src, urls),
                                   "title": meta.get("title", page.src), "lang": meta.get("lang")})
    return pairs
