"""When content was last checked, and whether it is overdue for review."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass

from . import models
from .loader import KnowledgeBase
from .yamlload import Document, Loc


def today() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names, so rebuilds of old commits are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class Reviewable:
    """One owned piece of content: an entry, a battlecard or a persona."""

    kind: str
    key: str
    title: str
    model: models.Reviewable
    document: Document
    loc: Loc
    owner: str | None
    interval: int
    page: str

    @property
    def reviewed(self) -> dt.date | None:
        return self.model.reviewed

    @functools.cached_property  # asked for many times per build (frozen dataclasses allow it: no slots)
    def due(self) -> dt.date | None:
        return self.reviewed + dt.timedelta(days=self.interval) if self.reviewed else None

    def overdue(self, on: dt.date) -> bool:
        """Never-reviewed content counts as overdue: untouched content must never hide."""
        due = self.due
        return due is None or due < on

    def days_overdue(self, on: dt.date) -> int | None:
        return (on - self.due).days if self.due else None


def reviewables(base: KnowledgeBase) -> list[Reviewable]:
    """Everything that has an owner and a review date, in site order."""
    review = base.site.review
    items = []
    for entry, topic, index in base.entries():
        interval = entry.review_days or topic.model.review_days or getattr(review, topic.kind) or review.default
        owner = entry.owner or topic.model.owner
        page = f"{topic.kind}/{topic.key}.md"
        loc = ("entries", index)
        items.append(Reviewable(topic.kind, entry.id, entry.title, entry, topic.document, loc, owner, interval, page))
    for kind in ("competitors", "personas"):
        for key, card in getattr(base, kind).items():
            interval = card.model.review_days or getattr(review, kind) or review.default
            page = f"{kind}/{key}.md"
            items.append(
                Reviewable(kind, key, card.model.name, card.model, card.document, (), card.model.owner, interval, page)
            )
    return items
