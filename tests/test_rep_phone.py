"""Between meetings on a phone (390×844): search, open the answer, read it without sideways scrolling, copy it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
QUERY, EXPECTED = "free trial", "free-trial"
WIDE = "questions/pricing-and-plans/#plan-comparison"
"""An answer holding a comparison table wider than a phone."""


def _page_scrolls_sideways(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _open_result(page, entry_id: str) -> None:  # type: ignore[no-untyped-def]
    """Tap the search result for `entry_id`, first unfolding its page's "more on this page" group if need be."""
    result = page.locator(f".md-search a[href*='#{entry_id}']").first
    result.wait_for(state="attached")
    if not result.is_visible():
        result.locator("xpath=ancestor::details[1]/summary").click()
    result.click()


def test_phone_search_open_read_and_copy(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(site_url)
    assert not _page_scrolls_sideways(page)

    page.locator(".md-header label[for='__search']").first.click()  # the magnifier in the header
    search = page.locator(".md-search input[type='text'], .md-search input[type='search']").first
    expect(search).to_be_visible()
    search.press_sequentially(QUERY)  # as typed on a phone keyboard
    _open_result(page, EXPECTED)

    heading = page.locator(f"h2#{EXPECTED}")
    expect(heading).to_be_in_viewport()
    assert not _page_scrolls_sideways(page), "the answer page scrolls sideways on a phone"
    box = page.locator(f".sf-say[data-entry='{EXPECTED}']").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    bar = page.locator(f"h2#{EXPECTED} ~ .sf-actions").first
    button = bar.get_by_role("button", name="Copy full answer")
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 32, "copy buttons are finger-sized"
    button.click()
    expect(bar.get_by_role("status")).to_contain_text("Copied")
    body = page.locator(f"h2#{EXPECTED} ~ .sf-answer .sf-part--body").first.inner_text()
    text = page.evaluate("navigator.clipboard.readText()")
    assert " ".join(body.split()[:8]) in " ".join(text.split())


def test_wide_tables_scroll_inside_themselves(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(site_url + WIDE)
    table = page.locator(f"h2#{WIDE.split('#')[1]} ~ .sf-answer table").first
    expect(table).to_be_visible()
    box = page.evaluate(
        """(table) => {
            let box = table.parentElement;
            while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
            return box && {width: box.clientWidth, content: box.scrollWidth, right: box.getBoundingClientRect().right};
        }""",
        table.element_handle(),
    )
    assert box, "the table has no scrolling container"
    assert box["content"] > box["width"], "the comparison table is wider than a phone, so its box must scroll"
    assert box["right"] <= PHONE["width"]
    assert not _page_scrolls_sideways(page)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "questions/pricing-and-plans/",
        "competitors/ticketly/",
        "personas/vp-support/",
        "differentiators/platform/",
        "process/",
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(page, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(site_url + path)
    page.locator("h1").first.wait_for()
    assert not _page_scrolls_sideways(page), f"{path or 'home'} scrolls sideways on a phone"


def test_the_sideways_check_sees_a_wide_element(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(site_url + "questions/pricing-and-plans/")
    page.evaluate("document.querySelector('article p').style.width = '900px'")
    assert _page_scrolls_sideways(page)
