"""Load data/*.yml, validate every entry, and collect all problems before failing.

Every message names the file, the entry, the field, what was expected and what was
found, so an editor can fix a pull request without reading Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataError
from . import messages, yamlio
from .models import Contact, GlossaryEntry, Source, Translation, Vocabularies
from .project import DEFAULT_STALE_AFTER_DAYS, Project

M = TypeVar("M", bound=BaseModel)

DATA_FILES = ("vocabularies.yml", "contacts.yml", "sources.yml", "glossary.yml")


# --- YAML --------------------------------------------------------------------------

class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses a key written twice in one mapping."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)
_UniqueKeyFastLoader = yamlio.fast_variant(_UniqueKeyLoader)  # libyaml parses, same checks


def read_yaml(path: Path, label: str) -> tuple[Any, list[str]]:
    """Parse one file; a syntax error becomes a message with its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{label}: file is missing"]
    try:
        return yamlio.load(text, _UniqueKeyLoader, _UniqueKeyFastLoader), []
    except yaml.MarkedYAMLError as error:
        line, problem = messages.yaml_problem(error)  # in plain words (macros/messages.py)
        mark = error.problem_mark or error.context_mark
        where = (f"line {line}, column {mark.column + 1}" if line and mark and line == mark.line + 1
                 else f"line {line}" if line else "unknown line")
        return None, [f"{label}: YAML syntax error at {where}: {problem}"]
    except yaml.YAMLError as error:
        return None, [f"{label}: YAML syntax error: {error}"]


# --- messages ----------------------------------------------------------------------

def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


def describe(error: dict) -> tuple[str, str]:
    """(field, message) for one pydantic error, in an editor's words."""
    loc = [part for part in error["loc"] if isinstance(part, str)]
    field_name = ".".join(loc)
    kind = error["type"]
    if kind == "missing":
        return field_name, "is required but missing"
    if kind == "extra_forbidden":
        return field_name, f"is not a known field (found {_short(error['input'])})"
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        if message.startswith("[") and "] " in message:
            field_name, message = message[1:].split("] ", 1)
        return field_name, message
    plain = messages.plain_pydantic(error)
    if plain:
        return field_name, plain
    return field_name, f"{error['msg'][0].lower()}{error['msg'][1:]}; found {_short(error['input'])}"


def _entry_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return f"entry '{raw['id'].strip()}'"
    return f"entry #{index + 1}"


def validate_list(label: str, raw: Any, model: type[M], context: dict) -> tuple[list[M], list[str]]:
    """Validate a YAML list of entries; return the good ones and one message per problem."""
    if raw is None:
        return [], [f"{label}: file is empty (expected a list of entries)"]
    if not isinstance(raw, list):
        return [], [f"{label}: expected a list of entries (each starting with '- id:'), "
                    f"found {type(raw).__name__}"]
    entries: list[M] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw):
        where = f"{label}: {_entry_label(item, index)}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected a mapping of fields, found {_short(item)}")
            continue
        try:
            entry = model.model_validate(item, context=context)
        except ValidationError as error:
            for problem in error.errors():
                field_name, message = describe(problem)
                errors.append(f"{where}, field '{field_name}': {message}")
            entry = None
        entry_id = item.get("id")
        if isinstance(entry_id, str):
            if entry_id in seen:
                errors.append(f"{where}, field 'id': duplicate id (also used by entry #{seen[entry_id]})")
            else:
                seen[entry_id] = str(index + 1)
        if entry is not None:
            entries.append(entry)
    return entries, errors


# --- the whole data set ------------------------------------------------------------

@dataclass
class GuideData:
    vocab: Vocabularies
    contacts: dict[str, Contact]
    sources: dict[str, Source]  # the register: every external document the guide cites
    glossary: list[GlossaryEntry]
    docs_dir: Path
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
    # data/i18n/<lang>.yml, by language code: labels and terms of translated editions.
    i18n: dict[str, Translation] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Source]:
        """The resource library: the sources that have topics, audiences and a summary."""
        return {i: s for i, s in self.sources.items() if s.in_library}


def _check_glossary(label: str, entries: list[GlossaryEntry]) -> list[str]:
    errors: list[str] = []
    seen_terms: dict[str, str] = {}
    seen_keys: dict[str, str] = {}
    for entry in entries:
        term = entry.term.casefold()
        if term in seen_terms:
            errors.append(f"{label}: entry '{entry.id}', field 'term': "
                          f"{entry.term!r} is already defined by entry '{seen_terms[term]}'")
        seen_terms.setdefault(term, entry.id)
        key = entry.tooltip_key
        if key is not None:
            if key in seen_keys:
                errors.append(f"{label}: entry '{entry.id}', field 'abbr': "
                              f"tooltip text {key!r} is already used by entry '{seen_keys[key]}'")
            seen_keys.setdefault(key, entry.id)
            if "\n" in (entry.expansion or ""):
                errors.append(f"{label}: entry '{entry.id}', field 'expansion': must be one line")
    return errors


def load_data(data_dir: Path, docs_dir: Path, *, today: date | None = None,
              stale_after_days: int = DEFAULT_STALE_AFTER_DAYS, label_root: str = "data") -> GuideData:
    """Load and validate every data file, or raise DataError listing all problems."""
    today = today or date.today()
    errors: list[str] = []

    def label(name: str) -> str:
        return f"{label_root}/{name}"

    raw_vocab, problems = read_yaml(data_dir / "vocabularies.yml", label("vocabularies.yml"))
    errors += problems
    vocab = None
    if raw_vocab is not None:
        try:
            vocab = Vocabularies.model_validate(raw_vocab)
        except ValidationError as error:
            for problem in error.errors():
                field_name, message = describe(problem)
                errors.append(f"{label('vocabularies.yml')}: field '{field_name}': {message}")
        if vocab is not None:
            for kind in ("audiences", "topics", "types"):
                ids = vocab.ids(kind)
                for dup in sorted({i for i in ids if ids.count(i) > 1}):
                    errors.append(f"{label('vocabularies.yml')}: list '{kind}', field 'id': "
                                  f"duplicate id {dup!r}")
    if vocab is None:
        # Without the vocabularies the other files cannot be checked meaningfully.
        errors.append(f"{label('vocabularies.yml')}: must load before the other files can be checked")
        raise DataError(errors)

    context = {"vocab": vocab, "docs_dir": docs_dir, "today": today}
    loaded: dict[str, list] = {}
    for name, model in (("contacts.yml", Contact), ("sources.yml", Source),
                        ("glossary.yml", GlossaryEntry)):
        raw, problems = read_yaml(data_dir / name, label(name))
        errors += problems
        if raw is None and problems:
            loaded[name] = []
            continue
        entries, problems = validate_list(label(name), raw, model, context)
        errors += problems
        loaded[name] = entries
    errors += _check_glossary(label("glossary.yml"), loaded["glossary.yml"])
    translations, problems = load_translations(data_dir, label("i18n"))
    errors += problems

    if errors:
        raise DataError(errors)
    return GuideData(
        vocab=vocab,
        contacts={c.id: c for c in loaded["contacts.yml"]},
        sources={s.id: s for s in loaded["sources.yml"]},
        glossary=loaded["glossary.yml"],
        docs_dir=docs_dir,
        stale_after_days=stale_after_days,
        i18n=translations,
    )


def load_translations(data_dir: Path, label_dir: str = "data/i18n") -> tuple[dict[str, Translation], list[str]]:
    """Every data/i18n/<lang>.yml (the folder is optional), keyed by language code."""
    translations: dict[str, Translation] = {}
    errors: list[str] = []
    folder = data_dir / "i18n"
    if not folder.is_dir():
        return translations, errors
    for path in sorted(folder.glob("*.yml")):
        label = f"{label_dir}/{path.name}"
        raw, problems = read_yaml(path, label)
        errors += problems
        if problems:
            continue
        if not isinstance(raw, dict):
            errors.append(f"{label}: expected a mapping (language, months, date_format, "
                          f"contact_labels, terms), found {type(raw).__name__}")
            continue
        try:
            translation = Translation.model_validate(raw)
        except ValidationError as error:
            for problem in error.errors():
                field_name, message = describe(problem)
                where = ""
                loc = problem["loc"]
                if len(loc) > 2 and loc[0] == "terms" and isinstance(loc[1], int):
                    item = raw["terms"][loc[1]] if isinstance(raw.get("terms"), list) else None
                    where = f" {_entry_label(item, loc[1])},"
                errors.append(f"{label}:{where} field '{field_name}': {message}")
            continue
        if translation.language != path.stem:
            errors.append(f"{label}: field 'language': {translation.language!r} does not match "
                          f"the file name (expected {path.stem!r})")
            continue
        translations[translation.language] = translation
    return translations, errors


# --- once per build -----------------------------------------------------------------

_loaded: dict[Path, tuple[tuple, GuideData]] = {}


def _data_files(data_dir: Path) -> list[Path]:
    return [data_dir / name for name in DATA_FILES] + sorted((data_dir / "i18n").glob("*.yml"))


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def project_data(project: Project, *, today: date | None = None) -> GuideData:
    """The project's data, loaded and validated once and then reused by every macro and
    hook; loaded again when a data file changes (so `mkdocs serve` sees edits), when the
    date changes or when mkdocs.yml's stale_after_days does."""
    today = today or date.today()
    key = (project.docs_dir, today, project.stale_after_days,
           tuple((path, _stamp(path)) for path in _data_files(project.data_dir)))
    cached = _loaded.get(project.data_dir)
    if cached is not None and cached[0] == key:
        return cached[1]
    data = load_data(project.data_dir, project.docs_dir, today=today,
                     stale_after_days=project.stale_after_days)
    _loaded[project.data_dir] = (key, data)
    return data

