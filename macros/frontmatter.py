"""The page front matter schema, shared by the build (on_pre_page_macros), lint and
scripts/new_page.py. Which files are reader pages, and how front matter is read, is in
macros/pages.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Literal, Optional

from pydantic import (BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from .loader import DataError, describe, read_yaml
from .models import Audiences, PastDate, Vocabularies
from .project import DEFAULT_STATUSES, ROOT as REPO_ROOT
HIDE_OPTIONS = Literal["navigation", "toc", "footer", "path", "tags", "feedback"]


class SearchOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    exclude: bool = False
    boost: float = Field(default=1.0, gt=0)


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1)
    description: str
    audiences: Audiences = Field(min_length=1, max_length=5)  # page-conventions.md: one to five
    last_reviewed: PastDate
    # "template" is MkDocs' own key (it picks the HTML template), so a page that is also
    # offered as an editable download says `kind: template`.
    kind: Literal["topic", "overview", "template", "reference"] = "topic"
    # MkDocs' own key: the theme template for this page, such as home.html.
    template: Optional[str] = Field(default=None, pattern=r"^[\w./-]+\.html$")
    hide: list[HIDE_OPTIONS] = Field(default_factory=list)
    search: Optional[SearchOptions] = None
    status: Optional[str] = None
    # Translated editions (docs/es/). `lang` sets the page language (<html lang>, the
    # theme's labels, the help banner, quick exit and footer); `translation_of` is the
    # English page it follows (path under docs/), linked both ways; while
    # `translation_reviewed` is false the page says that a qualified translator has not
    # yet reviewed it (remove the line, or set true, once one has).
    lang: Optional[Literal["en", "es"]] = None
    translation_of: Optional[str] = Field(default=None, pattern=r"^[\w./-]+\.md$")
    translation_reviewed: Optional[bool] = None

    @field_validator("translation_of")
    @classmethod
    def _translation_of(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        docs_dir = (info.context or {}).get("docs_dir")
        if value is not None and docs_dir is not None and not (Path(docs_dir) / value).is_file():
            raise ValueError(f"{value!r} is not a page under docs/")
        return value

    @model_validator(mode="after")
    def _translation(self) -> "FrontMatter":
        if (self.translation_of or self.translation_reviewed is not None) and self.lang in (None, "en"):
            raise ValueError("[lang] a translated page needs 'lang' (such as lang: es)")
        return self

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        if not 20 <= len(value) <= 200:
            raise ValueError(f"{value!r} is {len(value)} characters (expected 20–200)")
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        allowed = (info.context or {}).get("statuses") or DEFAULT_STATUSES
        if value is not None and value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value


def _describe_list_error(error: dict) -> tuple[str, str]:
    """Like loader.describe, but keep "audiences" as the field for item errors."""
    field_name, message = describe(error)
    if error["type"] == "literal_error":
        message = f"{error['input']!r} is not one of {error['ctx']['expected']}"
    return field_name, message


def load_vocabularies(data_dir: Path = REPO_ROOT / "data") -> Vocabularies:
    raw, problems = read_yaml(data_dir / "vocabularies.yml", "data/vocabularies.yml")
    if problems:
        raise DataError(problems)
    return Vocabularies.model_validate(raw)


def validate_front_matter(path: str, meta: dict, *, vocab: Vocabularies | None = None,
                          today: date | None = None,
                          statuses: Iterable[str] | None = None,
                          docs_dir: Path | None = REPO_ROOT / "docs") -> list[str]:
    """Every problem with one page's front matter, each prefixed with the page path."""
    if not meta:
        return [f"{path}: front matter is missing (a --- block with title, description, "
                "audiences and last_reviewed must open the page)"]
    if not isinstance(meta, dict):
        return [f"{path}: front matter must be a set of 'key: value' lines"]
    if isinstance(meta.get("template"), bool):
        return [f"{path}: front matter field 'template': MkDocs uses 'template' to choose the "
                "HTML theme template; mark a fill-in template page with 'kind: template' instead"]
    context = {
        "vocab": vocab or load_vocabularies(),
        "today": today or date.today(),
        "statuses": tuple(statuses) if statuses else DEFAULT_STATUSES,
        "docs_dir": docs_dir,
    }
    try:
        FrontMatter.model_validate(meta, context=context)
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            field_name, message = _describe_list_error(problem)
            messages.append(f"{path}: front matter field '{field_name}': {message}")
        return messages
    return []
