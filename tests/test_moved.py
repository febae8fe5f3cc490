"""Links that never break: an entry's old ids (`moved_from`) land on it, from its page and from old pages."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ROOT
from salesfaq.moved import old_page
from salesfaq.pipeline import run


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    result = run(ROOT / "faq_source")
    assert result.site is not None, result.problems.format()
    return result.site


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    return [p for item in nav for p in _nav_paths(item)]


@pytest.mark.parametrize(
    ("kind", "old", "page"),
    [
        ("questions", "price-list", None),
        ("questions", "pricing/list-prices", "questions/pricing.md"),
        ("questions", "objections/price/too-expensive", "objections/price.md"),
    ],
)
def test_old_page_of_an_old_link(kind: str, old: str, page: str | None) -> None:
    assert old_page(kind, old) == page


def test_old_ids_are_empty_anchors_just_above_the_entry(site) -> None:  # type: ignore[no-untyped-def]
    page = site.page("questions/pricing-and-plans.md").markdown
    anchors = (
        '<div id="per-seat-pricing" class="sf-moved" data-moved-to="pricing-model"></div>\n'
        '<div id="price-list" class="sf-moved" data-moved-to="pricing-model"></div>\n'
        '<div id="list-prices" class="sf-moved" data-moved-to="pricing-model"></div>\n\n## '
    )
    assert anchors in page
    assert page.index(anchors) < page.index("{ #pricing-model ")


def test_a_page_that_is_gone_is_kept_for_its_old_links(site) -> None:  # type: ignore[no-untyped-def]
    page = next(p for p in site.pages if p.path == "questions/pricing.md")
    assert not page.listed
    assert "questions/pricing.md" not in _nav_paths(site.nav)
    assert "search:\n  exclude: true" in page.markdown
    link = '[How is Relay priced?](pricing-and-plans.md#pricing-model){ data-moved-from="list-prices" }'
    assert link in page.markdown
    assert '[Go to Pricing &#38; Plans](pricing-and-plans.md){ data-moved-default="" }' in page.markdown


def test_a_page_that_still_exists_lists_what_moved_away(site) -> None:  # type: ignore[no-untyped-def]
    page = site.page("questions/product-and-features.md")
    assert '[Do you have an API?](integrations.md#api-and-webhooks){ data-moved-from="public-api" }' in page.markdown
    assert page.listed


# --- in a real browser: an old link pasted into Slack months ago still opens the answer ------------------------


def _landed(page, entry_id: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("id => location.hash === '#' + id", arg=entry_id)
    target = page.evaluate("() => { const t = document.querySelector(':target'); return t && t.id }")
    assert target == entry_id
    top = page.evaluate(f"() => document.getElementById('{entry_id}').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2, f"the heading is not in view (top {top})"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("old_url", "new_path", "entry_id"),
    [
        ("questions/pricing-and-plans/#per-seat-pricing", "questions/pricing-and-plans/", "pricing-model"),
        ("questions/pricing/#list-prices", "questions/pricing-and-plans/", "pricing-model"),
        ("questions/product-and-features/#public-api", "questions/integrations/", "api-and-webhooks"),
    ],
)
def test_old_link_lands_on_the_entry(old_url: str, new_path: str, entry_id: str, page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + old_url)
    _landed(page, entry_id)
    assert page.url == f"{site_url}{new_path}#{entry_id}"


@pytest.mark.browser
def test_gone_page_without_anchor_goes_to_the_new_page(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/pricing/")
    page.wait_for_url(site_url + "questions/pricing-and-plans/")
    assert page.title().startswith("Pricing & Plans")


@pytest.mark.browser
def test_current_anchor_on_a_page_with_moved_entries_stays(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/product-and-features/")
    first = page.evaluate("() => document.querySelector('h2.sf-entry').id")
    page.goto(site_url + f"questions/product-and-features/#{first}")
    _landed(page, first)
    assert page.url == f"{site_url}questions/product-and-features/#{first}"
