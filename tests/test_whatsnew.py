"""What's new: entries added or re-reviewed lately, on a page (newest first) and in an Atom feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import CASES
from salesfaq.pipeline import run
from salesfaq.render import Options, RenderedSite

SOURCE = CASES / "valid" / "whats-new" / "faq_source"
A = "{http://www.w3.org/2005/Atom}"


def _site(**options: object) -> RenderedSite:
    result = run(SOURCE, Options(**options))  # type: ignore[arg-type]
    assert result.site is not None, result.problems.format()
    return result.site


def _feed(site: RenderedSite) -> ET.Element:
    return ET.fromstring(site.files["feed.xml"])


def test_page_lists_changes_of_the_last_30_days_newest_first(pinned_today: dt.date) -> None:
    page = _site(today=pinned_today).page("whats-new.md").markdown
    item = r"^- <span class=\"sf-change sf-change--(\w+)\">\w+</span> \[[^]]+\]\(questions/pricing\.md#([\w-]+)\)"
    listed = re.findall(item, page, re.MULTILINE)
    assert listed == [
        ("reviewed", "old-but-reviewed"),
        ("reviewed", "reviewed-lately"),
        ("reviewed", "internal-discount"),
        ("new", "added-lately"),
    ]
    days = re.findall(r"^## (.+) \{ #day-", page, re.MULTILINE)
    assert days == ["24 Nov 2026", "23 Nov 2026", "20 Nov 2026"]
    assert "[Atom feed](feed.xml)" in page


def test_public_page_and_feed_leave_internal_entries_out(pinned_today: dt.date) -> None:
    site = _site(today=pinned_today, public=True)
    assert "internal-discount" not in site.page("whats-new.md").markdown
    assert "internal-discount" not in site.files["feed.xml"]
    assert "What discount" not in site.files["feed.xml"]


def test_feed_is_atom_with_every_dated_entry_newest_first(pinned_today: dt.date) -> None:
    feed = _feed(_site(today=pinned_today))
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id", "").startswith("urn:uuid:")
    assert feed.findtext(f"{A}updated") == "2026-11-24T00:00:00Z"
    assert feed.findtext(f"{A}author/{A}name") == "Sales answers"
    entries = feed.findall(f"{A}entry")
    links = [e.find(f"{A}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links == [
        "questions/pricing/#old-but-reviewed",
        "questions/pricing/#reviewed-lately",
        "questions/pricing/#internal-discount",
        "questions/pricing/#added-lately",
        "questions/pricing/#reviewed-long-ago",
    ], "dated today or earlier, newest first, any age"
    updated = [e.findtext(f"{A}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    first = entries[0]
    assert first.findtext(f"{A}title") == "Is there a free trial?"
    assert first.find(f"{A}category").get("term") == "reviewed"  # type: ignore[union-attr]
    assert first.findtext(f"{A}summary") == "Reviewed in Pricing: Yes, 14 days."
    new = entries[3]
    assert new.find(f"{A}category").get("term") == "new"  # type: ignore[union-attr]
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("urn:uuid:") for i in ids)


def test_feed_links_are_absolute_when_the_site_url_is_known(pinned_today: dt.date) -> None:
    feed = _feed(_site(today=pinned_today, site_url="https://sales.example.com/answers"))
    assert feed.findtext(f"{A}id") == "https://sales.example.com/answers/"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {
        "self": "https://sales.example.com/answers/feed.xml",
        "alternate": "https://sales.example.com/answers/whats-new/",
    }
    entry_link = feed.find(f"{A}entry/{A}link")
    assert entry_link is not None
    assert entry_link.get("href") == "https://sales.example.com/answers/questions/pricing/#old-but-reviewed"


def test_feed_follows_the_url_style(pinned_today: dt.date) -> None:
    feed = _feed(_site(today=pinned_today, directory_urls=False))
    entry_link = feed.find(f"{A}entry/{A}link")
    assert entry_link is not None and entry_link.get("href") == "questions/pricing.html#old-but-reviewed"


def test_feed_is_the_same_text_for_the_same_content(pinned_today: dt.date) -> None:
    assert _site(today=pinned_today).files["feed.xml"] == _site(today=pinned_today).files["feed.xml"]


def test_whats_new_is_in_the_nav(pinned_today: dt.date) -> None:
    assert {"What's new": "whats-new.md"} in _site(today=pinned_today).nav


def test_built_site_links_the_feed_from_every_page_head_and_the_home_page(example_site: Path) -> None:
    feed = ET.parse(example_site / "feed.xml").getroot()
    assert feed.tag == f"{A}feed" and feed.findall(f"{A}entry")
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Relay Sales Answers: what\'s new" '
        'href="feed.xml">' in home
    )
    assert '<a href="whats-new/">' in home and '<a href="feed.xml">Atom feed</a>' in home
    topic = (example_site / "questions" / "integrations" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in topic and 'href="../../feed.xml"' in topic
    page = (example_site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../feed.xml">Atom feed</a>' in page
    days = re.findall(r'<h2 id="day-(\d{4}-\d\d-\d\d)"', page)
    assert days == sorted(days, reverse=True)
