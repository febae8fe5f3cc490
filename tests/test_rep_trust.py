"""Trust at a glance: every entry shows its owner and last review, overdue ones say so; home shows what changed."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT
from playwright.sync_api import expect
from salesfaq.freshness import reviewables
from salesfaq.loader import load_source

pytestmark = pytest.mark.browser

TOPIC = "questions/security-and-compliance"
"""A topic page holding both fresh entries and at least one overdue for review."""


@pytest.fixture(scope="module")
def items():  # type: ignore[no-untyped-def]
    base, _ = load_source(ROOT / "faq_source")
    owners = {owner.key: owner.name for owner in base.site.owners}
    return base, owners, {item.key: item for item in reviewables(base)}


def _date(day: dt.date) -> str:
    return day.strftime("%-d %b %Y")


def test_each_entry_shows_owner_review_date_and_overdue(page, site_url: str, items) -> None:  # type: ignore[no-untyped-def]
    base, owners, by_key = items
    page.goto(site_url + TOPIC + "/")
    today = dt.date.today()  # the example site is built today
    headings = page.locator("h2.sf-entry")
    assert headings.count() > 3
    seen_overdue = seen_fresh = 0
    for index in range(headings.count()):
        entry_id = headings.nth(index).get_attribute("id")
        item = by_key[entry_id]
        meta = page.locator(f"h2#{entry_id} ~ .sf-meta").first
        expect(meta).to_be_visible()
        expect(meta.locator(".sf-meta__owner")).to_have_text(f"Owner: {owners.get(item.owner, item.owner)}")
        expect(meta.locator(".sf-meta__reviewed")).to_have_text(f"Reviewed {_date(item.reviewed)}")
        box = meta.bounding_box()
        assert box and box["height"] < 48, f"{entry_id}: the owner line should stay one quiet line, not a block"
        note = page.locator(
            f"xpath=//h2[@id='{entry_id}']/following-sibling::*[contains(@class, 'sf-overdue')]"
            f"[preceding-sibling::h2[1][@id='{entry_id}']]"
        )
        if item.overdue(today):
            seen_overdue += 1
            expect(note).to_be_visible()
            expect(note).to_contain_text("Overdue for review")
            expect(meta.locator(".sf-meta__reviewed--overdue")).to_be_visible()
            above_answer = page.locator(f".sf-say[data-entry='{entry_id}']")
            if above_answer.count():  # the warning comes before the line a rep would read out
                assert note.bounding_box()["y"] < above_answer.bounding_box()["y"]
        else:
            seen_fresh += 1
            assert note.count() == 0
            assert meta.locator(".sf-meta__reviewed--overdue").count() == 0
    assert seen_overdue and seen_fresh, "the topic holds both kinds, so both are checked"


def test_home_lists_recently_updated_answers_newest_first(page, site_url: str, items) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = items
    newest = max(entry.reviewed for entry, _, _ in base.entries() if entry.reviewed)
    page.goto(site_url)
    recent = page.locator(".sf-recent li")
    expect(page.get_by_role("heading", name="Recently updated")).to_be_visible()
    assert 1 <= recent.count() <= 8
    dates = [
        dt.datetime.strptime(d.split(" · ")[0], "%d %b %Y").date()
        for d in recent.locator(".sf-recent__date").all_inner_texts()
    ]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == newest
    first = recent.first.locator("a").first
    target = first.get_attribute("href").split("#")[1]
    first.click()
    expect(page.locator(f"h2#{target}")).to_be_in_viewport()
