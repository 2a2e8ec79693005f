"""The configuration of the staff editing forms at /admin/ (Decap CMS), made from the
schemas in macros/models.py, the page front matter schema and data/vocabularies.yml,
so the forms' dropdowns and required fields never drift from what the build accepts.

    python -m macros.admin_config          # print the config.yml the build writes

hooks/admin.py writes it to site/admin/config.yml on every online build.
The forms only help: every change still goes through `make lint` and the strict build
in its pull request.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo

from macros import frontmatter, models

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DOCS = ROOT / "docs"

# The three data files are lists at the top level. Decap CMS 3.x file collections only
# read a mapping (decap-cms issue #531, open since 2017), so admin/admin.js registers
# one custom format per file that reads the list into a single field, ITEMS, and writes
# it back as a top-level list, keeping comments and untouched entries as they were.
ITEMS = "items"
LIST_FORMAT = "eguide-yaml-list"

# Data files with a form: (file, model, label, singular label, summary template).
DATA_FILES = [
    ("contacts", models.Contact, "Contacts", "contact", "{{fields.name}} ({{fields.id}})"),
    ("sources", models.Source, "Sources and resources", "source",
     "{{fields.title}} ({{fields.id}})"),
    ("glossary", models.GlossaryEntry, "Glossary", "term", "{{fields.term}} ({{fields.id}})"),
]

# Labels and hints a coordinator reads in the form (the field name is shown otherwise):
# wording, kept in a file an editor can change without touching Python.
LABELS_FILE = ROOT / "admin" / "form-labels.yml"


def load_labels(path: Path = LABELS_FILE) -> dict[str, tuple[str, str | None]]:
    """Field name -> (label, hint or None), from admin/form-labels.yml."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected field names, each with a label and an optional hint")
    labels = {}
    for name, entry in raw.items():
        label = entry.get("label") if isinstance(entry, dict) else None
        hint = entry.get("hint") if isinstance(entry, dict) else None
        if not isinstance(label, str) or not label.strip() or not isinstance(hint, (str, type(None))):
            raise ValueError(f"{where}: field {name!r}: give it a `label:` (text) and, if "
                             "wanted, a `hint:` (text)")
        labels[str(name)] = (label, hint)
    return labels


@functools.cache
def labels() -> dict[str, tuple[str, str | None]]:
    """The labels, read once, when a config is first made (not on import: copies of the
    project made by tests have no admin/ folder, and their builds make no forms)."""
    return load_labels()
VOCAB_FIELDS = {"audiences": "audiences", "topics": "topics", "type": "types"}
LONG_TEXT = {"description", "description_es", "summary", "definition", "source_note"}
SLUG_PATTERN = models.SLUG.pattern


def load_vocabularies(path: Path = DATA / "vocabularies.yml") -> dict[str, list[dict]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {kind: list(raw.get(kind) or []) for kind in ("audiences", "topics", "types")}


def _options(vocab: dict[str, list[dict]], kind: str) -> list[dict[str, str]]:
    return [{"label": f"{term['label']} ({term['id']})", "value": term["id"]}
            for term in vocab[kind]]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) for Optional[X] / X | None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        return (args[0] if len(args) == 1 else annotation), optional
    return annotation, False


def _length_limits(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    for item in info.metadata:
        low = getattr(item, "min_length", None) or low
        high = getattr(item, "max_length", None) or high
    return low, high


def field_widget(name: str, info: FieldInfo, vocab: dict[str, list[dict]]) -> dict[str, Any]:
    """One Decap field for one pydantic field."""
    label, hint = labels().get(name, (name.replace("_", " ").capitalize(), None))
    inner, optional = _unwrap(info.annotation)
    required = info.is_required() and not optional
    field: dict[str, Any] = {"label": label, "name": name}
    if hint:
        field["hint"] = hint
    is_list = typing.get_origin(inner) is list
    if name in VOCAB_FIELDS:
        field.update(widget="select", options=_options(vocab, VOCAB_FIELDS[name]),
                     multiple=is_list)
        low, high = _length_limits(info)
        if is_list and required:
            field["min"] = low or 1
        if is_list and high:
            field["max"] = high
    elif inner is date:
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD",
                     time_format=False, picker_utc=True)
    elif inner is bool:
        field.update(widget="boolean", default=info.default if isinstance(info.default, bool)
                     else False)
        required = False
    elif is_list:
        field.update(widget="list")
        required = False if not info.is_required() else required
    elif name == "year":
        field.update(widget="string", pattern=[r"^(1[789]\d\d|20\d\d|undated)$",
                                               "A year such as 2024, or the word undated"])
    else:
        field["widget"] = "text" if name in LONG_TEXT else "string"
        low, high = _length_limits(info)
        if name == "id":
            field["pattern"] = [SLUG_PATTERN, "Lowercase letters, digits and single hyphens"]
        elif name in ("url",):
            field["pattern"] = [r"^https://\S+$", "A web address starting with https://"]
        elif high or (low or 1) > 1:
            field["pattern"] = [rf"^[\s\S]{{{low or 1},{high or ''}}}$",
                                f"Between {low or 1} and {high} characters" if high
                                else f"At least {low} characters"]
    field["required"] = required
    return field


def data_file_config(stem: str, model: type, label: str, singular: str,
                     summary: str, vocab: dict[str, list[dict]]) -> dict[str, Any]:
    """One collection per data file: Decap reads `format` from the collection."""
    fields = [field_widget(name, info, vocab) for name, info in model.model_fields.items()]
    return {
        "label": label,
        "name": stem,
        "format": f"{LIST_FORMAT}-{stem}",
        "extension": "yml",
        "editor": {"preview": False},
        "files": [{
            "label": f"All {label.lower()} (data/{stem}.yml)",
            "name": stem,
            "file": f"data/{stem}.yml",
            "fields": [{
                "label": label,
                "label_singular": singular,
                "name": ITEMS,
                "widget": "list",
                "collapsed": True,
                "summary": summary,
                "add_to_top": False,
                "fields": fields,
            }],
        }],
    }


def page_folders(docs: Path = DOCS) -> list[str]:
    """Every folder under docs/ that holds pages, as a path relative to docs/."""
    folders = {p.parent.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    return sorted(folders)


def page_fields(vocab: dict[str, list[dict]]) -> list[dict[str, Any]]:
    model = frontmatter.FrontMatter.model_fields
    kinds = typing.get_args(model["kind"].annotation)
    return [
        {"label": "Title", "name": "title", "widget": "string"},
        {"label": "Description", "name": "description", "widget": "text",
         "hint": "One or two sentences for search results and link previews."},
        {"label": "Audiences", "name": "audiences", "widget": "select", "multiple": True,
         "min": 1, "max": 5, "options": _options(vocab, "audiences"),
         "hint": "One to five, from data/vocabularies.yml."},
        {"label": "Last reviewed", "name": "last_reviewed", "widget": "datetime",
         "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
         "picker_utc": True},
        {"label": "Kind of page", "name": "kind", "widget": "select",
         "options": list(kinds), "default": model["kind"].default, "required": False},
        {"label": "Status", "name": "status", "widget": "select", "required": False,
         "options": list(frontmatter.DEFAULT_STATUSES),
         "hint": "Leave empty for an ordinary page."},
        # Raw Markdown only: the rich-text mode rewrites macro calls such as
        # {{ contact_block("nhth") }} and the guide's admonitions.
        {"label": "Page text (Markdown)", "name": "body", "widget": "markdown",
         "modes": ["raw"], "buttons": [], "editor_components": []},
    ]


def page_collections(vocab: dict[str, list[dict]], docs: Path = DOCS) -> list[dict]:
    collections = []
    for folder in page_folders(docs):
        name = "pages-" + (re.sub(r"[^a-z0-9]+", "-", folder.lower()).strip("-") or "home")
        collections.append({
            "label": f"Pages: {folder}/" if folder != "." else "Pages: top level",
            "label_singular": "page",
            "name": name,
            "folder": "docs" if folder == "." else f"docs/{folder}",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "slug": "{{slug}}",
            "summary": "{{title}}",
            "fields": page_fields(vocab),
        })
    return collections


def repo_from_url(url: str) -> str | None:
    match = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", url or "")
    return match.group(1) if match else None


def build_config(*, repo_url: str | None = None, oauth_url: str | None = None,
                 branch: str | None = None, local_backend_url: str | None = None,
                 data: Path = DATA, docs: Path = DOCS,
                 vocab: dict[str, list[dict]] | None = None) -> dict[str, Any]:
    vocab = vocab if vocab is not None else load_vocabularies(data / "vocabularies.yml")
    repo_url = os.environ.get("REPO_URL", "") if repo_url is None else repo_url
    oauth_url = os.environ.get("DECAP_OAUTH_URL", "") if oauth_url is None else oauth_url
    branch = branch or os.environ.get("DECAP_BRANCH", "main")
    backend: dict[str, Any] = {
        "name": "github",
        # Without REPO_URL the forms work only with the local backend (`npx decap-server`).
        "repo": repo_from_url(repo_url) or "REPO_URL-not-set/at-build-time",
        "branch": branch,
    }
    if oauth_url:
        backend["base_url"] = oauth_url.rstrip("/")
    return {
        "backend": backend,
        # Only used when the page is opened on localhost with decap-server running.
        "local_backend": {"url": local_backend_url} if local_backend_url else True,
        # Each saved change becomes a branch and a pull request, checked like any other.
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/assets/images",
        "public_folder": "/assets/images",
        "site_url": os.environ.get("SITE_URL", "") or None,
        "editor": {"preview": False},
        "show_preview_links": False,
        "search": False,
        "collections": [
            *[data_file_config(stem, model, label, singular, summary, vocab)
              for stem, model, label, singular, summary in DATA_FILES],
            *page_collections(vocab, docs),
        ],
    }


def dump(config: dict[str, Any]) -> str:
    config = {k: v for k, v in config.items() if v is not None}
    header = ("# Made by macros/admin_config.py from macros/models.py and "
              "data/vocabularies.yml at build time. Do not edit.\n")
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    sys.stdout.write(dump(build_config()))
