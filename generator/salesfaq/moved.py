"""Links that never break: where each old link of an entry (its `moved_from`) must land.

An old id alone (`old-id`) lives on as an invisible anchor on the entry's own page. An old id with the page
it was on (`old-topic/old-id`, `folder/old-topic/old-id`) also needs that old page to send `#old-id` on:
if the page still exists it lists what moved away from it, else a small page is generated in its place.
Either way the links carry `data-moved-from`, which assets/salesfaq-moved.js follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import models
from .loader import Topic


@dataclass(frozen=True)
class Move:
    """One entry that left a page: `old_page#old_id` must land on `page#entry.id`."""

    old_page: str
    old_id: str
    entry: models.Entry
    page: str


def topic_page(kind: str, key: str) -> str:
    return f"{kind}/{key}.md"


def old_page(kind: str, old: str) -> str | None:
    """The page an old link named (`None` when it names only an id), given the entry's folder `kind`."""
    parts = old.split("/")
    if len(parts) == 1:
        return None
    folder = parts[0] if len(parts) == 3 else kind
    return topic_page(folder, parts[-2])


def moves(entries: Iterable[tuple[models.Entry, Topic, int]]) -> dict[str, list[Move]]:
    """Old page → the entries that left it, in entry order."""
    found: dict[str, list[Move]] = {}
    for entry, topic, _ in entries:
        page = topic_page(topic.kind, topic.key)
        for old, old_id in zip(entry.moved_from, entry.old_ids, strict=True):
            left = old_page(topic.kind, old)
            if left is not None and left != page:
                found.setdefault(left, []).append(Move(left, old_id, entry, page))
    return found
