"""A rep pastes answers into email and chat: both copy buttons put clean text and rich HTML on the clipboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOPIC = "objections/competitor/"
"""A page whose entries have a short answer, a full answer with links, and an internal field (proof)."""


def _clipboard(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Both flavours on the clipboard, read back in the page the way a paste target would."""
    return page.evaluate("""async () => {
        const [item] = await navigator.clipboard.read();
        const out = {};
        for (const type of item.types) out[type] = await (await item.getType(type)).text();
        return out;
    }""")


def _entry(page, entry_id: str):  # type: ignore[no-untyped-def]
    """Locator scoped to one entry's copy toolbar."""
    return page.locator(f"h2#{entry_id} ~ .sf-actions").first


def _copy(page, entry_id: str, button: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Click one of an entry's copy buttons, wait for the confirmation, return the clipboard."""
    bar = _entry(page, entry_id)
    bar.get_by_role("button", name=button).click()
    expect(bar.get_by_role("status")).to_contain_text("Copied")
    return _clipboard(page)


def _first_entry_with(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """(selector) => {
        for (const h of document.querySelectorAll('h2.sf-entry')) {
            for (let el = h.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling)
                if (el.matches(selector) || el.querySelector(selector)) return h.id;
        }
        return null;
    }""",
        selector,
    )


def test_copy_say_this_puts_the_short_answer_on_the_clipboard(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TOPIC)
    entry = page.locator("h2.sf-entry").first.get_attribute("id")
    say = page.locator(f".sf-say[data-entry='{entry}'] .sf-say__text").inner_text().strip()
    _entry(page, entry).get_by_role("button", name="Copy “Say this”").click()
    status = _entry(page, entry).get_by_role("status")
    expect(status).to_contain_text("Copied")
    assert status.get_attribute("aria-live") == "polite"
    clip = _clipboard(page)
    assert clip["text/plain"].strip() == say
    assert say.split(".")[0] in clip["text/html"]
    assert "sf-" not in clip["text/html"]  # no site classes in the pasted email


def test_copy_full_answer_keeps_links_and_leaves_out_internal_parts(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TOPIC)
    entry = _first_entry_with(page, ".sf-internal")
    assert entry, "the example content marks a field of an objection internal"
    internal_text = page.evaluate(
        """(id) => {
        let el = document.getElementById(id).nextElementSibling; const texts = [];
        for (; el && el.tagName !== 'H2'; el = el.nextElementSibling)
            el.querySelectorAll('.sf-internal li').forEach(li => texts.push(li.textContent.trim()));
        return texts;
    }""",
        entry,
    )
    assert internal_text
    clip = _copy(page, entry, "Copy full answer")
    text, rich = clip["text/plain"], clip["text/html"]
    for secret in internal_text:
        assert secret[:40] not in text and secret[:40] not in rich
    assert "Internal" not in text and "Ask back" not in text  # the rep's own questions stay with the rep
    body = page.locator(f"h2#{entry} ~ .sf-answer .sf-part--body").first.inner_text()
    assert body.split("\n")[0][:40] in text


def test_links_survive_the_copy_as_absolute_urls(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/security-and-compliance/")
    entry = _first_entry_with(page, ".sf-part--links a")
    assert entry
    link = page.locator(f"h2#{entry} ~ .sf-answer .sf-part--links a").first
    href, label = link.evaluate("a => a.href"), link.inner_text().strip()
    clip = _copy(page, entry, "Copy full answer")
    assert re.search(rf'<a href="{re.escape(href)}"[^>]*>{re.escape(label)}</a>', clip["text/html"]), clip["text/html"]
    assert f"{label} ({href})" in clip["text/plain"]


def test_keyboard_reaches_the_copy_buttons_and_enter_copies(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TOPIC)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('sf-copy')"):
            break
    else:
        pytest.fail("Tab never reached a copy button")
    expected = page.evaluate("""() => {
        const bar = document.activeElement.closest('.sf-actions');
        return bar.previousElementSibling.querySelector('.sf-say__text').textContent.trim();
    }""")
    page.keyboard.press("Enter")
    expect(page.locator(".sf-actions__status").filter(has_text="Copied")).to_have_count(1)
    assert _clipboard(page)["text/plain"].strip() == expected


def test_internal_content_is_marked_and_has_no_customer_copy(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + TOPIC)
    internal = page.locator(".sf-internal").first
    assert internal.locator(".sf-badge", has_text="Internal").is_visible()
    page.goto(site_url + "competitors/supportforce/")
    assert page.locator(".sf-card.sf-internal .sf-badge").first.is_visible()


def test_rich_copy_keeps_formatting_for_email(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/pricing-and-plans/")
    clip = _copy(page, "free-trial", "Copy full answer")
    rich, text = clip["text/html"], clip["text/plain"]
    assert "<strong>14-day trial</strong>" in rich and "<li>" in rich  # bold and bullets survive in an email
    assert "**" not in text and "<" not in text  # the plain flavour is clean text, no markup
    assert "\n- up to 30 days" in text  # bullets as "- " lines
    assert "Copy full answer" not in text and "Say this" not in text  # no page furniture


def test_an_internal_entry_offers_no_copy_at_all(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "questions/pricing-and-plans/")
    heading = page.locator("h2.sf-entry--internal#discount-approval")
    expect(heading).to_be_visible()
    expect(page.locator("#discount-approval ~ .sf-internal-note").first).to_contain_text("never copied")
    buttons = page.evaluate("""() => {
        let el = document.getElementById('discount-approval').nextElementSibling, n = 0;
        for (; el && el.tagName !== 'H2'; el = el.nextElementSibling) n += el.querySelectorAll('.sf-copy').length
            + (el.matches('.sf-actions') ? 1 : 0);
        return n;
    }""")
    assert buttons == 0
    copyable = page.locator("h2.sf-entry:not(.sf-entry--internal)").count()
    assert page.locator(".sf-actions").count() == copyable  # every other entry has its copy buttons
