"""What a rep sees first, in a real browser (Debian Chromium, headless)."""

from __future__ import annotations

import urllib.parse
import urllib.request

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


def test_the_browser_reaches_no_host_by_name(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """No test touches the network: the tests' Chromium resolves no host name (conftest.CHROMIUM_FLAGS), so what
    a page asks of other sites (GitHub's API for the repository widget) fails at once. Shown with `localhost`,
    which reaches this test's own server from Python but not from the browser."""
    port = urllib.parse.urlsplit(site_url).port
    by_name = f"http://localhost:{port}/search/salesfaq/index.json"
    with urllib.request.urlopen(by_name, timeout=10) as response:
        assert response.status == 200
    page.goto(site_url)
    # no-cors: another origin's answer arrives opaque instead of failing, so only the network can refuse it
    fetch = "url => fetch(url, {mode: 'no-cors'}).then(r => 'reached', e => 'refused: ' + e.message)"
    assert page.evaluate(fetch, site_url + "search/salesfaq/index.json") == "reached"
    assert page.evaluate(fetch, by_name).startswith("refused")
