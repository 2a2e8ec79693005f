"""The project: mkdocs.yml read by MkDocs' own loader, and the paths and settings that
the macros, hooks, scripts and tests share.

    from macros.project import load_project
    project = load_project()            # the repository's mkdocs.yml
    project.docs_dir, project.data_dir, project.stale_after_days, project.reader_pages()

Inside a build the macros and hooks wrap the configuration MkDocs already loaded
(`Project(config)`), so mkdocs.yml is read once, with its `!ENV` tags applied exactly as
the build applies them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import pages
from .errors import DataError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STALE_AFTER_DAYS = 365
# Material's built-in page status identifiers, used when mkdocs.yml defines none.
DEFAULT_STATUSES = ("new", "deprecated")


@dataclass(frozen=True)
class Project:
    """One MkDocs configuration (a loaded MkDocsConfig, or any mapping with the same keys)."""

    config: Mapping[str, Any]

    @property
    def config_file(self) -> Path:
        return Path(self.config["config_file_path"]).resolve()

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def docs_dir(self) -> Path:
        docs = Path(self.config.get("docs_dir") or "docs")
        return docs if docs.is_absolute() else self.root / docs

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def extra(self) -> dict:
        return self.config.get("extra") or {}

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.config.get("use_directory_urls", True))

    @property
    def site_url(self) -> str:
        return self.config.get("site_url") or ""

    @property
    def nav(self) -> list:
        return self.config.get("nav") or []

    @property
    def stale_after_days(self) -> int:
        value = self.extra.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DataError([f"mkdocs.yml: field 'extra.stale_after_days': expected a whole "
                             f"number of days (1 or more), found {value!r}"])
        return value

    @property
    def front_matter_exempt(self) -> list[str]:
        """extra.front_matter_exempt: pages under docs/ that need no front matter."""
        return list(self.extra.get("front_matter_exempt") or [])

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple((self.extra.get("status") or {}).keys()) or DEFAULT_STATUSES

    def is_reader_page(self, src_uri: str) -> bool:
        return pages.is_reader_page(src_uri, self.front_matter_exempt,
                                    self.config.get("exclude_docs"))

    def reader_pages(self) -> list[pages.Page]:
        return pages.reader_pages(self.docs_dir, self.front_matter_exempt,
                                  self.config.get("exclude_docs"))

    def nav_sources(self) -> list[str]:
        """Every Markdown file in the nav, in nav order."""
        return [src for _, src in pages.walk_nav(self.nav)]


def load_project(config_file: Path | str = ROOT / "mkdocs.yml", **overrides) -> Project:
    """Read mkdocs.yml with mkdocs.config.load_config (the build's own reader: `!ENV`,
    INHERIT and defaults included); keyword arguments override settings."""
    from mkdocs.config import load_config

    return Project(load_config(str(config_file), **overrides))


class _PlainLoader(yaml.SafeLoader):
    """mkdocs.yml without MkDocs: `!ENV` resolved as MkDocs resolves it, and Python
    names (`!!python/name:...`) kept as text, since only the build resolves them."""


def _env_tag(loader: _PlainLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        *names, default = loader.construct_sequence(node)
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
    return default


_PlainLoader.add_constructor("!ENV", _env_tag)
_PlainLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/name:", lambda loader, suffix, node: f"python/name:{suffix}")

_plain_cache: dict[Path, tuple[int, Project]] = {}


def _read_plain(path: Path) -> dict:
    """One file; INHERIT merged the way MkDocs merges it (mappings deeply, the rest
    replaced), so a synthetic configuration (scripts/bench.py) reads like the build's."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader) or {}  # noqa: S506
    parent = raw.pop("INHERIT", None)
    if not parent:
        return raw

    def merge(base: dict, over: dict) -> dict:
        merged = dict(base)
        for key, value in over.items():
            both = isinstance(value, dict) and isinstance(merged.get(key), dict)
            merged[key] = merge(merged[key], value) if both else value
        return merged

    return merge(_read_plain((path.parent / parent).resolve()), raw)


def plain_project(config_file: Path | str = ROOT / "mkdocs.yml") -> Project:
    """The project read from mkdocs.yml with PyYAML alone, for another engine (Zensical)
    that runs the macros without MkDocs' configuration classes. Read once per process
    (again only when the file changes)."""
    path = Path(config_file).resolve()
    stamp = path.stat().st_mtime_ns
    cached = _plain_cache.get(path)
    if cached is None or cached[0] != stamp:
        raw = _read_plain(path)
        raw["config_file_path"] = str(path)
        cached = _plain_cache[path] = (stamp, Project(raw))
    return cached[1]
