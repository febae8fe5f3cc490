"""Accessibility: axe-core finds nothing serious or critical, and a rep can do everything from the keyboard.

No axe rule is disabled. Where Material's own markup fell short (an unnamed search dialog, dimmed tabs and
footer text under 4.5:1, links told apart by colour alone, wide tables that the keyboard could not scroll),
salesfaq.css and salesfaq.js fix the site instead.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "topic": "questions/pricing-and-plans/",
    "battlecard": "competitors/supportforce/",
    "persona": "personas/vp-support/",
    "whats-new": "whats-new/",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MODES = {
    "desktop": (VIEWPORTS["desktop"], "default"),
    "phone": (VIEWPORTS["phone"], "default"),
    "dark": (VIEWPORTS["desktop"], "slate"),
}
"""Light on a desktop and a phone, and Material's dark scheme (slate), which reps switch to in the evening."""


def _axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Serious and critical violations on the page as it stands, one line per failing element."""
    assert AXE.is_file(), "axe-core is missing: run `make test` (npm ci installs it)"
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ['violations']});
        return results.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact, target: n.target.join(' '),
                                              why: n.failureSummary})));
    }""")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violations(page, site_url: str, name: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    viewport, scheme = MODES[mode]
    page.set_viewport_size(viewport)
    page.goto(site_url + PAGES[name])
    if scheme != "default":  # the palette toggle, as a rep clicks it; Material remembers the choice
        page.locator("label[for='__palette_1']").first.click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    page.locator("h1").first.wait_for()
    violations = _axe(page)
    assert not violations, "\n".join(f"{v['rule']} ({v['impact']}) {v['target']}: {v['why']}" for v in violations)


def test_axe_is_really_looking(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """The same check fails on a page with a known serious fault, so a pass above means something."""
    page.goto(site_url)
    page.evaluate("""() => {
        const p = document.createElement('p');
        p.textContent = 'low contrast';
        p.style.cssText = 'color:#bbb;background:#fff';
        document.querySelector('article').appendChild(p);
    }""")
    assert any(v["rule"] == "color-contrast" for v in _axe(page))


@pytest.mark.parametrize("key", ["/", "s"])
def test_shortcut_focuses_search(page, site_url: str, key: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + PAGES["topic"])
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press(key)
    expect(page.locator(".md-search input[type='text'], .md-search input[type='search']").first).to_be_focused()


def test_search_and_open_an_answer_by_keyboard_alone(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("free trial")
    result = page.locator(".md-search a[href*='#free-trial']").first
    result.wait_for(state="attached")
    for _ in range(30):  # arrow down through the results until the answer is selected
        if result.evaluate("a => a === document.activeElement || !!a.closest('.md-search-result__item--active')"):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail("the arrow keys never reached the free-trial result")
    page.keyboard.press("Enter")
    expect(page.locator("h2#free-trial")).to_be_in_viewport()


def test_the_result_reached_with_the_arrow_keys_keeps_the_focus_when_the_list_is_drawn_again(
    page, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    """The worker answers a query again once meaning and then the transformer are in, and Material draws the
    list anew, as it does for each key typed: the result a rep reached with the arrow keys stays focused
    wherever it lands, and Enter opens it (the focus used to fall to the page, and Enter then opened nothing)."""
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("price")
    page.locator(".md-search-result__item").nth(2).wait_for()
    page.wait_for_timeout(2500)  # the worker's own redraws are over (none after 2 s: RESHUFFLE_MS)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    chosen = page.evaluate(
        "document.activeElement.closest('.md-search-result__item') && document.activeElement.getAttribute('href')"
    )
    assert chosen and "#" in chosen
    # What Material does with each answer: the results drawn as new elements, in another order, their links'
    # words to highlight (`?h=`) those of the latest query (one more key typed: "prices").
    page.evaluate("""() => {
      const list = document.querySelector(".md-search-result__list");
      const drawn = Array.from(list.children).reverse().map(item => item.cloneNode(true));
      drawn.forEach(item => item.querySelectorAll("a[href]").forEach(a => { a.href = a.href.replace("?h=price", "?h=prices"); }));
      list.replaceChildren(...drawn);
    }""")
    now = chosen.replace("?h=price", "?h=prices")
    assert now != chosen
    focused = page.evaluate("[document.activeElement.getAttribute('href'), document.activeElement.isConnected]")
    assert focused == [now, True]
    page.keyboard.press("Enter")
    page.wait_for_url(now)
    expect(page.locator("h2#" + chosen.split("#")[1])).to_be_in_viewport()


def test_keyboard_scrolls_a_wide_table_on_a_phone(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(site_url + "questions/pricing-and-plans/#plan-comparison")
    box = page.locator("h2#plan-comparison ~ .sf-answer [role='region']").first
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
