"""What's new: entries added or re-reviewed lately, as a page for reps and an Atom feed.

Honest about what it knows: an entry is "new" on its `added` date and "reviewed" on its `reviewed` date
(whichever is later counts); content has no other dates, so an edit without a new `reviewed` date is not
news. Dates after today are ignored. Pure: the feed is text, written to the site by the engine adapter.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import models
from .loader import Topic
from .verify import page_url

if TYPE_CHECKING:
    from .render import Page, Renderer

PAGE = "whats-new.md"
FEED = "feed.xml"
WINDOW_DAYS = 30
"""How far back the page looks."""
FEED_SIZE = 50
"""How many changes the feed holds (readers keep what they have already seen)."""
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Change:
    """One entry's latest news: added or reviewed on `date`."""

    entry: models.Entry
    topic: Topic
    date: dt.date
    new: bool

    @property
    def page(self) -> str:
        return f"{self.topic.kind}/{self.topic.key}.md"


def changes(
    entries: Iterable[tuple[models.Entry, Topic, int]], on: dt.date, days: int | None = WINDOW_DAYS
) -> list[Change]:
    """Entries added or reviewed in the `days` before `on` (all of them when None), newest first."""
    found = []
    for entry, topic, _ in entries:
        dates = [d for d in (entry.added, entry.reviewed) if d is not None and d <= on]
        if not dates:
            continue
        latest = max(dates)
        if days is None or (on - latest).days < days:
            found.append(Change(entry, topic, latest, new=entry.added == latest))
    found.sort(key=lambda change: change.entry.id)
    found.sort(key=lambda change: change.date, reverse=True)
    return found


def whats_new_page(renderer: Renderer) -> Page:
    from .render import Page

    recent = changes(renderer.visible_entries(), renderer.options.today)
    days: dict[dt.date, list[Change]] = {}
    for change in recent:
        days.setdefault(change.date, []).append(change)
    text = renderer.render("whats-new.md.j2", PAGE, days=days, window=WINDOW_DAYS, feed=FEED)
    return Page(PAGE, "What's new", text)


def feed(renderer: Renderer) -> str:
    """The Atom feed of the latest changes; links are absolute when the site's URL is known, else relative."""
    options = renderer.options
    site = renderer.base.site
    base = options.site_url.rstrip("/") + "/" if options.site_url else ""
    recent = changes(renderer.visible_entries(), options.today, days=None)[:FEED_SIZE]
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, site.repo_url or f"salesfaq:{site.title}")

    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", base or f"urn:uuid:{namespace}")
    _add(root, "title", f"{site.title}: what's new")
    _add(root, "updated", _timestamp(recent[0].date if recent else options.today))
    _add(root, "link", rel="self", href=base + FEED)
    _add(root, "link", rel="alternate", type="text/html", href=base + page_url(PAGE, options.directory_urls))
    author = _add(root, "author")
    _add(author, "name", site.title)
    _add(root, "generator", "salesfaq")
    for change in recent:
        entry = _add(root, "entry")
        _add(entry, "id", f"urn:uuid:{uuid.uuid5(namespace, f'{change.entry.id}@{change.date.isoformat()}')}")
        _add(entry, "title", change.entry.title)
        _add(entry, "updated", _timestamp(change.date))
        href = f"{base}{page_url(change.page, options.directory_urls)}#{change.entry.id}"
        _add(entry, "link", rel="alternate", type="text/html", href=href)
        _add(entry, "category", term="new" if change.new else "reviewed")
        what = "New answer" if change.new else "Reviewed"
        say = renderer.visible(change.entry, "short_answer")
        _add(entry, "summary", f"{what} in {change.topic.model.title}" + (f": {say}" if say else "."))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
