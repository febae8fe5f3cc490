"""On a plane: the build zips an offline copy; unzipped, it opens from file:// with search and links working."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

QUERY, EXPECTED = "free trial", "free-trial"


@pytest.fixture(scope="module")
def offline_copy(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline copy as a rep gets it: the zip linked from the home page, unzipped."""
    home = (example_site / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]+\.zip)" download>Download the offline copy</a>', home)
    assert link, "the home page links to the offline copy"
    archive = example_site / link.group(1)
    assert archive.is_file(), f"{link.group(1)} is linked from the home page but was not built"
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target)
    (folder,) = target.iterdir()  # one folder, so unzipping never litters the Downloads folder
    assert (folder / "index.html").is_file()
    return folder


@pytest.fixture
def file_page(browser):  # type: ignore[no-untyped-def]
    """A tab that records every request that would need the network."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.network = []  # type: ignore[attr-defined]
    errors: list[str] = []
    tab.on("request", lambda r: tab.network.append(r.url) if r.url.startswith(("http:", "https:")) else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_offline_copy_searches_and_links_from_the_file_system(file_page, offline_copy: Path) -> None:  # type: ignore[no-untyped-def]
    page = file_page
    page.goto((offline_copy / "index.html").as_uri())
    assert page.locator(".sf-offline").count() == 0, "the offline copy does not offer itself again"

    page.keyboard.press("/")
    search = page.locator(".md-search input[type='text'], .md-search input[type='search']").first
    expect(search).to_be_focused()
    search.press_sequentially(QUERY)
    result = page.locator(f".md-search a[href*='#{EXPECTED}']").first
    result.wait_for(state="attached")
    if not result.is_visible():  # Material folds a page's further matches under "N more on this page"
        result.locator("xpath=ancestor::details[1]/summary").click()
    result.click()
    expect(page.locator(f"h2#{EXPECTED}")).to_be_in_viewport()
    assert page.url.startswith("file://") and ".html" in page.url
    bar = page.locator(f"h2#{EXPECTED} ~ .sf-actions").first  # copying works from the file system too
    bar.get_by_role("button", name="Copy “Say this”").click()
    expect(bar.get_by_role("status")).to_contain_text("Copied")

    related = page.locator(f"h2#{EXPECTED} ~ .sf-related a").first
    target = related.get_attribute("href")
    assert target and ".html" in target, "links between pages point at files, not at folders"
    related.click()
    anchor = target.split("#")[1]
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()

    page.get_by_role("link", name="Battlecards").first.click()
    expect(page.locator("h1")).to_contain_text("Battlecards")
    page.locator("article a[href$='.html']").first.click()
    expect(page.locator("h1.sf-battlecard, h1")).to_be_visible()
    assert page.url.startswith("file://")
    assert page.network == [], f"the offline copy reached for the network: {page.network}"
