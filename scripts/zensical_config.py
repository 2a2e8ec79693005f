"""Write the Zensical configuration from mkdocs.yml, so there is no second hand-edited
copy to keep in step. Run by `make build-zensical` with the Zensical environment's
Python (PyYAML and the macros' own dependencies only; MkDocs is not run).

    python scripts/zensical_config.py [--config mkdocs.yml] [--out mkdocs.zensical.yml] [--site build/zensical/site]

What changes, and why (docs/contribute/moving-to-zensical.md lists the same):
- site_dir: the Zensical output goes to its own folder, never to site/.
- plugins: search, offline and macros are kept (Zensical maps them to its own); the
  plugins Zensical does not have are left out and listed in SKIPPED_PLUGINS, so the
  parity report can name them.
- macros: the package is imported by name (`modules: [macros]`), once per process, so
  its relative imports work; Zensical runs no on_pre/on_post_page_macros, so the
  Markdown extension macros.zensical does those two steps around the macros.
- hooks: Zensical runs no MkDocs hooks; they are left out and listed in SKIPPED_HOOKS.
- extra.contact_links and extra.translations: under MkDocs the macros publish them into
  the configuration for the theme; Zensical renders templates from the configuration it
  read, so they are written into the generated file instead.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from macros import render  # noqa: E402
from macros.loader import project_data  # noqa: E402
from macros.project import plain_project  # noqa: E402
from macros.site import translation_pairs  # noqa: E402

OUT = ROOT / "mkdocs.zensical.yml"
SITE = "build/zensical/site"
KEPT_PLUGINS = ("search", "offline", "macros")
# Plugin → why the Zensical build goes without it (read by scripts/zensical_parity.py).
SKIPPED_PLUGINS = {
    "git-revision-date-localized": "Zensical 0.0.73 has no git revision date plugin; "
                                   "pages show no 'Last updated' date",
    "print-site": "Zensical 0.0.73 has no print-site plugin; no whole-guide page and "
                  "so no whole-guide PDF",
}
SKIPPED_HOOKS = {
    "hooks/editor_checks.py": "Zensical runs no MkDocs hooks; the editor checks run in "
                              "`make check` and the MkDocs build instead",
    "hooks/downloads/hook.py": "Zensical runs no MkDocs hooks; the built downloads "
                                "(PDF, .docx, offline zip) are not copied into the site",
    "hooks/pages.py": "Zensical runs no MkDocs hooks; its rule 'no repository, no edit "
                      "link' is applied in the generated configuration instead; its "
                      "whole-guide fixes are not needed without print-site",
    "hooks/git_dates.py": "Zensical runs no MkDocs hooks; it has no git revision date "
                          "plugin either, so there are no dates to read ahead",
    "hooks/admin.py": "Zensical runs no MkDocs hooks; the staff forms at /admin/ are "
                      "not built",
}


class PythonName(str):
    """A `!!python/name:` value, written back as the tag Zensical resolves."""


def _python_name(dumper: yaml.SafeDumper, value: PythonName) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value}", "")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(PythonName, _python_name)


def _restore_names(value):
    if isinstance(value, date):  # Zensical's configuration takes no YAML dates
        return value.isoformat()
    if isinstance(value, str) and value.startswith("python/name:"):
        return PythonName(value.split(":", 1)[1])
    if isinstance(value, dict):
        return {k: _restore_names(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_names(v) for v in value]
    return value


def zensical_config(config_file: Path = ROOT / "mkdocs.yml", site_dir: str = SITE) -> dict:
    project = plain_project(config_file)
    config = {k: v for k, v in dict(project.config).items() if k != "config_file_path"}
    config["site_dir"] = site_dir
    config.pop("hooks", None)
    if not config.get("repo_url"):
        # hooks/pages.py's first rule, which Zensical cannot run: no repository, no
        # "Edit this page" button (Zensical would link it to "//<page>.md").
        theme = config.setdefault("theme", {})
        theme["features"] = [f for f in theme.get("features", []) if f != "content.action.edit"]
    plugins = []
    for entry in config.get("plugins") or []:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name not in KEPT_PLUGINS:
            if name not in SKIPPED_PLUGINS:
                raise SystemExit(f"mkdocs.yml: plugin {name!r} is new: add it to KEPT_PLUGINS "
                                 "or SKIPPED_PLUGINS in scripts/zensical_config.py")
            continue
        if name == "macros":
            options = dict(entry["macros"]) if isinstance(entry, dict) else {}
            options.pop("module_name", None)
            entry = {"macros": {**options, "module_name": "", "modules": ["macros"]}}
        plugins.append(entry)
    config["plugins"] = plugins
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), "macros.zensical"]
    data = project_data(project)
    extra = config.setdefault("extra", {})
    extra["contact_links"] = render.contact_links(data.contacts.values())
    pairs = translation_pairs(project)
    # Zensical's template pages have no `file`: the theme finds a pair by the page's URL.
    urls = project.use_directory_urls
    extra["translations"] = {**pairs, **{render.site_file_url(src, urls): pair
                                         for src, pair in pairs.items()}}
    extra["engine"] = "zensical"
    return _restore_names(config)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                        help="the MkDocs configuration to convert")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--site", default=SITE, help="site_dir, relative to the repository")
    args = parser.parse_args()
    config = zensical_config(args.config, site_dir=args.site)
    text = ("# Generated from mkdocs.yml by scripts/zensical_config.py. Do not edit.\n"
            + yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
