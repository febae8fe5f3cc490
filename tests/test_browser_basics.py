"""What a rep sees first, in a real browser (Debian Chromium, headless)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_offers_search_and_sections(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    assert page.locator(".md-search__input").count() == 1
    for section in ["Questions", "Objections", "Battlecards", "Personas"]:
        assert page.get_by_role("link", name=section).first.is_visible()


def test_shared_link_lands_on_the_exact_answer(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/pricing-and-plans/")
    first_id = page.locator("h2.sf-entry").nth(3).get_attribute("id")
    page.goto(f"{site_url}questions/pricing-and-plans/#{first_id}")
    heading = page.locator(f"h2#{first_id}")
    assert heading.is_visible()
    assert heading.bounding_box()["y"] < 300  # scrolled to the answer, not the top of the page
