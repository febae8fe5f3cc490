"""What a public build may show: the knowledge base with everything marked `internal` taken out.

Done once, before rendering, so no template (built-in or a user's override) can leak an internal field or
name an internal entry, battlecard or persona by accident.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import models
from .loader import Card, KnowledgeBase

_TITLES = {"question", "objection", "claim", "name", "id"}
"""Fields an item cannot be shown without: listing one of them hides the whole item."""


def publishes_public(site: models.Site) -> bool:
    """Whether the deploy job publishes the public build: always, unless site.yaml declares the host internal.

    Battlecards and discount rules are confidential; only a host behind the company's sign-in may get them.
    """
    return site.host != "internal"


def redact(base: KnowledgeBase) -> KnowledgeBase:
    """A copy of `base` without internal items, internal fields, or references to either."""
    competitors = _cards(base.competitors)
    personas = _cards(base.personas)
    hidden = {entry.id for entry, _, _ in base.entries() if _hidden(entry)}
    visible_ids = {entry.id for entry, _, _ in base.entries()} - hidden
    topics = []
    for topic in base.topics:
        entries = [_entry(entry, visible_ids, set(competitors), set(personas)) for entry in topic.entries]
        model = topic.model.model_copy(update={"entries": entries})
        topics.append(dataclasses.replace(topic, model=model))
    return dataclasses.replace(base, topics=topics, competitors=competitors, personas=personas)


def _hidden(item: models.Reviewable) -> bool:
    return item.is_internal() or (isinstance(item.internal, list) and bool(_TITLES & set(item.internal)))


def _without_fields(item: Any) -> Any:
    if not isinstance(item.internal, list):
        return item
    update = {name: _empty(item, name) for name in item.internal if name in type(item).model_fields}
    return item.model_copy(update=update)


def _empty(item: models.Reviewable, name: str) -> Any:
    info = type(item).model_fields[name]
    return "" if info.is_required() else info.get_default(call_default_factory=True)


def _cards(cards: dict[str, Card]) -> dict[str, Card]:
    return {
        key: dataclasses.replace(card, model=_without_fields(card.model))
        for key, card in cards.items()
        if not _hidden(card.model)
    }


def _entry(entry: models.Entry, ids: set[str], competitors: set[str], personas: set[str]) -> models.Entry:
    if _hidden(entry):
        return entry.model_copy(update={"internal": True})  # kept so indexes still match the YAML; never shown
    entry = _without_fields(entry)
    update: dict[str, Any] = {
        "related": [key for key in entry.related if key in ids],
        "competitors": [key for key in entry.competitors if key in competitors],
        "personas": [key for key in entry.personas if key in personas],
    }
    if isinstance(entry, models.Differentiator):
        update["versus"] = {key: text for key, text in entry.versus.items() if key in competitors}
    return entry.model_copy(update=update)
