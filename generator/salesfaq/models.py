"""The content model: what a marketer may write in `faq_source/`, and nothing else."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Plain text: shown exactly as typed, never interpreted as Markdown or HTML."""
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Markdown, checked against the raw-HTML policy."""
Days = Annotated[int, Field(gt=0, le=3650)]
OldId = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?:(?:questions|objections|differentiators)/)?(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length=200,
    ),
]
"""An id an entry used to have: `old-id`, or `old-topic/old-id` (another file of the same folder), or
`folder/old-topic/old-id`, so links to the page it was on land too."""
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$", max_length=40)]


def _empty(factory: type[list[Any]] | type[dict[Any, Any]] = list) -> Any:
    """An empty list (or dict) by default, made anew for each item: pydantic deep-copies a literal `[]`
    default for every item it reads (about 0.1 s at 10,000 entries). The schema still shows the default."""
    return Field(default_factory=factory, json_schema_extra={"default": factory()})


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Link(Model):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^(https?://|mailto:|/|\.{0,2}/?[\w-])", strip_whitespace=True)]


class Reviewable(Model):
    """Fields every owned, reviewed piece of content shares."""

    owner: Slug | None = None
    reviewed: dt.date | None = None
    review_days: Days | None = None
    internal: bool | list[FieldName] = False

    @field_validator("internal")
    @classmethod
    def _internal_fields_exist(cls, value: bool | list[str]) -> bool | list[str]:
        if isinstance(value, list):
            for name in value:
                if name not in cls.model_fields:
                    close = difflib.get_close_matches(name, list(cls.model_fields), n=1)
                    hint = f", did you mean '{close[0]}'?" if close else ""
                    raise ValueError(f"lists unknown field '{name}'{hint}")
        return value

    def is_internal(self, field: str | None = None) -> bool:
        """Whether the whole item (or one field of it) must stay out of a public build."""
        if self.internal is True:
            return True
        return field is not None and isinstance(self.internal, list) and field in self.internal


class Entry(Reviewable):
    """Fields shared by questions, objections and differentiators."""

    id: Slug
    short_answer: Text | None = None
    also_asked: list[Text] = _empty()
    tags: list[Text] = _empty()
    products: list[Slug] = _empty()
    personas: list[Slug] = _empty()
    stages: list[Slug] = _empty()
    competitors: list[Slug] = _empty()
    links: list[Link] = _empty()
    related: list[Slug] = _empty()
    moved_from: list[OldId] = _empty()
    added: dt.date | None = None
    """The day the entry was first published (set by `salesfaq new`); What's new calls it new until reviewed again."""

    @property
    def old_ids(self) -> list[str]:
        """The ids in `moved_from`, without the page they were on."""
        return [old.rsplit("/", 1)[-1] for old in self.moved_from]

    @property
    def title(self) -> str:
        raise NotImplementedError

    @property
    def body(self) -> str:
        raise NotImplementedError


class Question(Entry):
    question: Text
    answer: Markdown

    @property
    def title(self) -> str:
        return self.question

    @property
    def body(self) -> str:
        return self.answer


class Objection(Entry):
    objection: Text
    response: Markdown
    ask: list[Text] = _empty()
    proof: list[Markdown] = _empty()

    @property
    def title(self) -> str:
        return self.objection

    @property
    def body(self) -> str:
        return self.response


class Differentiator(Entry):
    claim: Text
    answer: Markdown
    proof: list[Markdown] = _empty()
    versus: dict[Slug, Markdown] = _empty(dict)

    @property
    def title(self) -> str:
        return self.claim

    @property
    def body(self) -> str:
        return self.answer


class TopicFile(Model):
    title: Text
    description: Text | None = None
    owner: Slug | None = None
    review_days: Days | None = None


class QuestionFile(TopicFile):
    entries: list[Question] = Field(min_length=1)


class ObjectionFile(TopicFile):
    entries: list[Objection] = Field(min_length=1)


class DifferentiatorFile(TopicFile):
    entries: list[Differentiator] = Field(min_length=1)


class Competitor(Reviewable):
    name: Text
    website: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    summary: Markdown | None = None
    positioning: Text | None = None
    strengths: list[Markdown] = _empty()
    weaknesses: list[Markdown] = _empty()
    why_we_win: list[Markdown] = _empty()
    they_win_when: list[Markdown] = _empty()
    landmines: list[Markdown] = _empty()
    quick_dismiss: Text | None = None
    traps: list[Markdown] = _empty()
    links: list[Link] = _empty()


class Persona(Reviewable):
    name: Text
    role: Literal["buyer", "influencer", "user"]
    titles: list[Text] = _empty()
    summary: Markdown | None = None
    cares_about: list[Markdown] = _empty()
    frustrations: list[Markdown] = _empty()
    fears: list[Markdown] = _empty()
    pressures: list[Markdown] = _empty()


class Product(Model):
    key: Slug
    name: Text
    description: Text | None = None


class Stage(Model):
    key: Slug
    name: Text
    description: Markdown | None = None
    duration: Text | None = None


class Owner(Model):
    key: Slug
    name: Text
    contact: Text | None = None


class ReviewPolicy(Model):
    default: Days = 90
    questions: Days | None = None
    objections: Days | None = None
    differentiators: Days | None = None
    competitors: Days | None = None
    personas: Days | None = None
    target: Annotated[float, Field(gt=0, le=1)] = 0.8


class Analytics(Model):
    provider: Literal["google"] = "google"
    property: Text


class SearchSettings(Model):
    transformer: bool = False
    """Also ship all-MiniLM-L6-v2 (15 MB gzipped, downloaded once per browser when a rep first searches): the
    results are ranked again by a real transformer a moment after they appear. Entry vectors are computed at
    build time (about 2,500 tokens a second; cached per text in ~/.cache/salesfaq/ or $SALESFAQ_CACHE)."""


class Site(Model):
    title: Text = "Sales answers"
    description: Text | None = None
    repo_url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    branch: Text = "main"
    source_dir: Text = "faq_source"
    products: list[Product] = _empty()
    stages: list[Stage] = _empty()
    owners: list[Owner] = _empty()
    review: ReviewPolicy = ReviewPolicy()
    synonyms: list[Annotated[list[Text], Field(min_length=2)]] = _empty()
    search: SearchSettings = SearchSettings()
    host: Literal["public", "internal"] = "public"
    analytics: Analytics | None = None


class SearchTest(Model):
    query: Text
    expect: Slug


class SearchTests(Model):
    tests: list[SearchTest] = _empty()


TOPIC_KINDS: dict[str, type[TopicFile]] = {
    "questions": QuestionFile,
    "objections": ObjectionFile,
    "differentiators": DifferentiatorFile,
}
"""Folders whose files are topic pages of entries, and the model of each file."""
