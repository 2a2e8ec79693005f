"""Schemas for the files in data/ (one pydantic model per file).

Validators raise ValueError with a sentence an editor can act on; loader.py adds the
file name, the entry id and the field. Checks that need more than the value itself
(the controlled vocabularies, the docs folder, "today") read them from the
validation context that loader.py passes in.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal, Optional
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# N11 service codes (211 … 911, including 711 relay) and the 988 crisis line.
SHORT_NUMBERS = frozenset({"211", "311", "411", "511", "611", "711", "811", "911", "988"})
SMS_SHORT_CODE = re.compile(r"^\d{5,6}$")


def _plain_text(value: object) -> object:
    """Strip surrounding whitespace from strings; YAML block scalars add a newline."""
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_plain_text), Field(min_length=1)]


class Strict(BaseModel):
    """Base for every entry: unknown fields are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- shared value checks ------------------------------------------------------------

def check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a valid id (use lowercase letters, digits and single hyphens)"
        )
    return value


def digits_of(value: str) -> str:
    return re.sub(r"\D", "", value)


def parse_full_number(value: str) -> phonenumbers.PhoneNumber | None:
    """A valid U.S. (or +country) number, or None."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def check_phone(value: str, *, allow_sms_code: bool = False) -> str:
    if re.search(r"[A-Za-z]", value):
        raise ValueError(
            f"{value!r} is not a valid phone number (write digits only; put a vanity "
            "spelling such as 1-800-THE-LOST in 'phone_vanity')"
        )
    digits = digits_of(value)
    if digits in SHORT_NUMBERS and value.strip() == digits:
        return value
    if allow_sms_code and SMS_SHORT_CODE.match(value.strip()):
        return value
    if parse_full_number(value) is None:
        expected = "a full phone number, an N11 number such as 711"
        if allow_sms_code:
            expected += ", or a 5–6 digit SMS short code"
        raise ValueError(f"{value!r} is not a valid phone number (expected {expected})")
    return value


def check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"{value!r} is not an https:// address")
    if any(ch.isspace() for ch in value):
        raise ValueError(f"{value!r} contains spaces")
    return value


def check_site_file(value: str, docs_dir: Path | None) -> str:
    path = PurePosixPath(value.lstrip("/"))
    if ".." in path.parts or value.startswith(("http:", "https:")):
        raise ValueError(f"{value!r} must be a path inside docs/, such as downloads/mou.docx")
    if docs_dir is not None and not (docs_dir / path).is_file():
        raise ValueError(f"{value!r} does not exist under docs/")
    return str(path)


def check_not_future(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today") or date.today()
    if value > today:
        raise ValueError(f"{value.isoformat()} is in the future (today is {today.isoformat()})")
    return value


def check_vocab(values: list[str], info: ValidationInfo, kind: str) -> list[str]:
    if not values:
        raise ValueError(f"list at least one {kind.removesuffix('s')}, or leave the field out")
    vocab = (info.context or {}).get("vocab")
    if vocab is None:
        return values
    allowed = vocab.ids(kind)
    for value in values:
        if value not in allowed:
            from .messages import did_you_mean
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}"
                             f"{did_you_mean(value, allowed)}")
    if len(set(values)) != len(values):
        raise ValueError(f"lists the same value twice: {', '.join(values)}")
    return values


def _audiences(values: list[str], info: ValidationInfo) -> list[str]:
    return check_vocab(values, info, "audiences")


def _topics(values: list[str], info: ValidationInfo) -> list[str]:
    return check_vocab(values, info, "topics")


def _type(value: str, info: ValidationInfo) -> str:
    check_vocab([value], info, "types")
    return value


# --- field types: each check written once, used by every schema that has the field ---

Slug = Annotated[Text, AfterValidator(check_slug)]
HttpsUrl = Annotated[Text, AfterValidator(check_url)]
Phone = Annotated[Text, AfterValidator(check_phone)]
PhoneOrSmsCode = Annotated[Text, AfterValidator(lambda value: check_phone(value, allow_sms_code=True))]
PastDate = Annotated[date, AfterValidator(check_not_future)]  # not after "today"
Audiences = Annotated[list[Text], AfterValidator(_audiences)]  # ids from vocabularies.yml
Topics = Annotated[list[Text], AfterValidator(_topics)]
SourceType = Annotated[Text, AfterValidator(_type)]


# --- vocabularies.yml ---------------------------------------------------------------

class Term(Strict):
    id: Slug
    label: Text
    description: Optional[Text] = None



class Vocabularies(Strict):
    audiences: list[Term] = Field(min_length=1)
    topics: list[Term] = Field(min_length=1)
    types: list[Term] = Field(min_length=1)

    def ids(self, kind: str) -> list[str]:
        return [term.id for term in getattr(self, kind)]

    def label(self, kind: str, term_id: str) -> str:
        return next(term.label for term in getattr(self, kind) if term.id == term_id)


# --- contacts.yml ------------------------------------------------------------------

class Contact(Strict):
    id: Slug
    name: Text
    description: Text = Field(max_length=400)
    phone: Optional[Phone] = None
    phone_vanity: Optional[Text] = None
    sms: Optional[PhoneOrSmsCode] = None
    tty: Optional[Phone] = None
    email: Optional[Text] = None
    url: Optional[HttpsUrl] = None
    hours: Optional[Text] = None
    languages: list[Text] = Field(default_factory=list)
    audiences: Audiences = Field(min_length=1)
    last_verified: PastDate
    source_note: Optional[Text] = None
    # Spanish rendering (contact_block(id, lang="es")): written for the guide, not copied
    # from the contact's own materials. hours_es and languages_es are required when the
    # contact has hours or languages, so a Spanish card never mixes in English text.
    name_es: Optional[Text] = None
    description_es: Optional[Text] = Field(default=None, max_length=400)
    hours_es: Optional[Text] = None
    languages_es: list[Text] = Field(default_factory=list)


    @model_validator(mode="after")
    def _spanish_complete(self) -> "Contact":
        given = [f for f in ("name_es", "description_es", "hours_es") if getattr(self, f)]
        if self.languages_es:
            given.append("languages_es")
        if not given:
            return self
        if self.description_es is None:
            raise ValueError("[description_es] a contact with Spanish fields needs "
                             "description_es too")
        if self.hours and not self.hours_es:
            raise ValueError("[hours_es] the contact has hours; give them in Spanish too")
        if len(self.languages_es) != len(self.languages):
            raise ValueError(f"[languages_es] lists {len(self.languages_es)} item(s) but "
                             f"'languages' lists {len(self.languages)}; give each in Spanish")
        return self

    @field_validator("email")
    @classmethod
    def _email(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as error:
            raise ValueError(f"{value!r} is not a valid email address ({error})") from None
        return value



# --- sources.yml: the register of external documents ------------------------------

LIBRARY_FIELDS = ("topics", "audiences", "summary")


class Source(Strict):
    """One external document (law, regulation, guidance, report, web page …), written
    once and cited from any page with {{ source("id") }}. Entries that also have
    topics, audiences and a summary appear in the resource library's tables."""

    id: Slug
    title: Text
    author: Optional[Text] = None
    publisher: Text
    # The document's year, or "undated" for living web pages with no publication date.
    year: int | Literal["undated"]
    url: Optional[HttpsUrl] = None
    file: Optional[Text] = None
    type: SourceType
    citation: Optional[Text] = None
    # Shown in the resource library only when all three are given.
    topics: Optional[Topics] = None
    audiences: Optional[Audiences] = None
    summary: Optional[Text] = Field(default=None, min_length=20, max_length=300)
    last_verified: PastDate
    source_note: Text = Field(min_length=10)
    # True while nobody has opened the document itself (the citation was carried over or
    # checked only through a summary). Content health and References list these.
    unconfirmed: bool = False


    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and value.strip() == "undated":
            return "undated"
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected the document's year (such as 2024) or the word undated, "
                             f"found {value!r}")
        today = (info.context or {}).get("today") or date.today()
        if value < 1780 or value > today.year:
            raise ValueError(f"{value} is not a plausible year (1780 to {today.year})")
        return value

    @field_validator("file")
    @classmethod
    def _file(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        if value is None:
            return None
        return check_site_file(value, (info.context or {}).get("docs_dir"))

    @field_validator("summary")
    @classmethod
    def _summary(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.endswith("."):
            raise ValueError(f"{value!r} should be one sentence ending with a period")
        return value

    @model_validator(mode="after")
    def _one_location(self) -> "Source":
        if (self.url is None) == (self.file is None):
            # "[url]" names the field for loader.describe(); the error has no field of its own.
            raise ValueError("[url] give exactly one of 'url' (https://…) or 'file' (a path under docs/)")
        given = [name for name in LIBRARY_FIELDS if getattr(self, name) is not None]
        if given and len(given) != len(LIBRARY_FIELDS):
            missing = [name for name in LIBRARY_FIELDS if name not in given]
            raise ValueError(f"[{missing[0]}] an entry shown in the resource library needs all of "
                             f"{', '.join(LIBRARY_FIELDS)}; {', '.join(missing)} missing (or remove "
                             f"{', '.join(given)} to keep it as a citation only)")
        return self

    @property
    def in_library(self) -> bool:
        return self.summary is not None


# Resource tables show the sources that are in the library.
Resource = Source


# --- glossary.yml ------------------------------------------------------------------

class GlossaryEntry(Strict):
    id: Slug
    term: Text
    expansion: Optional[Text] = None
    definition: Text = Field(min_length=10, max_length=400)
    # Text matched for the hover tooltip, when it differs from the term ("LGBTQ" for
    # "LGBTQ+": the abbr extension matches whole words only).
    abbr: Optional[Text] = None
    tooltip: bool = True


    @field_validator("definition")
    @classmethod
    def _definition(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("must be a single paragraph (no line breaks)")
        return value

    @property
    def is_abbreviation(self) -> bool:
        return self.expansion is not None

    @property
    def tooltip_key(self) -> Optional[str]:
        """The exact text that gets a tooltip; None for plain terms."""
        if not (self.is_abbreviation and self.tooltip):
            return None
        return self.abbr or self.term


# --- i18n/<lang>.yml: interface labels and terms for a translated edition ------------

class ContactLabels(Strict):
    """Field labels of a contact card. Every label is required, and no other."""

    call: Text
    text: Text
    tty: Text
    email: Text
    website: Text
    hours: Text
    languages: Text
    last_verified: Text
    about: Text  # the summary line of the card's disclosure ("About this contact")


class TranslatedTerm(Strict):
    """One legal or program term, as every page of the edition must use it."""

    id: Slug
    term: Text
    english: Text
    definition: Text = Field(min_length=10, max_length=400)



class Translation(Strict):
    language: Text = Field(pattern=r"^[a-z]{2}$")
    # Month names for dates ("30 de noviembre de 2026"), January first.
    months: list[Text] = Field(min_length=12, max_length=12)
    # Date pattern with {day}, {month} and {year}.
    date_format: Text
    contact_labels: ContactLabels
    terms: list[TranslatedTerm] = Field(min_length=1)

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, value: str) -> str:
        try:
            value.format(day=1, month="m", year=2000)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"{value!r} may use only {{day}}, {{month}} and {{year}} "
                             f"({error})") from None
        return value

    @model_validator(mode="after")
    def _unique_terms(self) -> "Translation":
        for kind in ("id", "term"):
            values = [getattr(t, kind).casefold() for t in self.terms]
            dups = sorted({v for v in values if values.count(v) > 1})
            if dups:
                raise ValueError(f"[terms] the {kind} {dups[0]!r} appears twice")
        return self

    def format_date(self, value: date) -> str:
        return self.date_format.format(day=value.day, month=self.months[value.month - 1],
                                       year=value.year)
