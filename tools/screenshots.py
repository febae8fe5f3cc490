"""Screenshots for the README, taken from the example site in the same headless Chromium the tests use.

    make screenshots        # builds the example site, serves it on loopback, writes screenshots/*.png

tests/test_rep_screenshots.py runs `take` on every test run, so this script cannot rot unnoticed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM_FLAGS, _QuietHandler, chromium_path, mkdocs_build  # noqa: E402

OUT = ROOT / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SEARCH, ANSWER, BATTLECARD = "free trial", "questions/pricing-and-plans/#free-trial", "competitors/ticketly/"
SHOTS = ("home.png", "search.png", "answer-phone.png", "battlecard.png")


def take(browser, base_url: str, out: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    """Save the README's four screenshots of the site at `base_url` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in SHOTS]

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(base_url)
    page.locator(".sf-recent").wait_for()
    page.screenshot(path=paths[0])

    page.keyboard.press("/")
    page.keyboard.type(SEARCH, delay=40)
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(1500)  # the list as it settles: the transformer ranks it again once typing pauses
    page.screenshot(path=paths[1])

    page.goto(base_url + BATTLECARD)
    page.locator(".sf-card").first.wait_for()
    page.screenshot(path=paths[3])
    context.close()

    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = phone.new_page()
    page.goto(base_url + ANSWER)
    entry = ANSWER.split("#")[1]
    bar = page.locator(f"h2#{entry} ~ .sf-actions").first
    bar.get_by_role("button", name="Copy full answer").click()
    bar.get_by_role("status").filter(has_text="Copied").wait_for()
    # Scroll down onto the answer (scrolling up would bring out Material's "Back to top" button).
    top = page.locator(f"h2#{entry}").evaluate("h => h.getBoundingClientRect().top + scrollY - 64")
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.wheel(0, top)
    page.wait_for_function("top => Math.abs(scrollY - top) < 2", arg=top)
    page.wait_for_timeout(300)
    page.screenshot(path=paths[2])
    phone.close()
    return paths


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        built = mkdocs_build(ROOT, site)
        if built.returncode != 0:
            sys.exit(built.stderr)
        server = _QuietHandler.serve(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                for path in take(browser, f"http://127.0.0.1:{server.server_address[1]}/", OUT):
                    print(path.relative_to(ROOT))
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
