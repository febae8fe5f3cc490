"""Feedback: "Was this helpful?" on answer pages goes to the analytics site.yaml names, with site-search terms;
the "Report a problem with this answer" link works with no analytics at all."""

from __future__ import annotations

import urllib.parse
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, _QuietHandler, copy_project, mkdocs_build
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PROPERTY = "G-SALESFAQ1"


@pytest.fixture(scope="module")
def analytics_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content with `analytics:` in site.yaml, built with `mkdocs build --strict`."""
    project = copy_project(ROOT / "faq_source", tmp_path_factory.mktemp("analytics") / "project")
    site_yaml = project / "faq_source" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + f"\nanalytics:\n  provider: google\n  property: {PROPERTY}\n",
        encoding="utf-8",
    )
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def analytics_site(analytics_build: Path):  # type: ignore[no-untyped-def]
    """That site served on loopback."""
    server = _QuietHandler.serve(analytics_build)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def tab(browser):  # type: ignore[no-untyped-def]
    """A tab where Google's tag script is answered locally (no network in tests): gtag's queue stays readable."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []

    def tag_script(route) -> None:  # type: ignore[no-untyped-def]
        fetched.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body="/* gtag.js stand-in */")

    context.route("https://www.googletagmanager.com/**", tag_script)
    page = context.new_page()
    page.fetched = fetched  # type: ignore[attr-defined]
    yield page
    context.close()


def _events(page, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "(name) => (window.dataLayer || []).map(a => Array.from(a)).filter(a => a[0] === 'event' && a[1] === name)"
        ".map(a => a[2])",
        name,
    )


def test_was_this_helpful_reaches_the_configured_analytics(tab, analytics_site: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(analytics_site + "questions/pricing-and-plans/")
    assert any(f"id={PROPERTY}" in url for url in tab.fetched), "the page loads the property named in site.yaml"
    widget = tab.locator("form.md-feedback")
    expect(widget).to_be_visible()
    expect(widget).to_contain_text("Was this helpful?")
    widget.get_by_role("button", name="This needs work").click()
    expect(widget.locator(".md-feedback__note")).to_contain_text("marketing will look at it")
    assert _events(tab, "feedback") == [{"page": "/questions/pricing-and-plans/", "data": "0"}]
    problem = widget.get_by_role("link", name="Tell marketing what is missing")
    href = urllib.parse.unquote_plus(problem.get_attribute("href"))
    assert "/issues/new?template=answer-problem.yml" in href and "Pricing & Plans" in href


def test_site_search_terms_reach_the_configured_analytics(tab, analytics_site: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(analytics_site)
    tab.keyboard.press("/")
    tab.keyboard.type("free trial")
    tab.locator(".md-search a[href*='#free-trial']").first.wait_for(state="attached")
    tab.locator(".md-search input").first.evaluate("input => input.blur()")
    assert {"search_term": "free trial"} in _events(tab, "search")


@pytest.mark.parametrize("path", ["", "questions/", "tags/", "process/"])
def test_lists_and_the_home_page_do_not_ask(tab, analytics_site: str, path: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(analytics_site + path)
    tab.locator("h1").first.wait_for()
    assert tab.locator("form.md-feedback").count() == 0


def test_report_a_problem_names_the_entry_without_analytics(page, site_url: str, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "objections/price/")
    assert page.locator("form.md-feedback").count() == 0  # the example site.yaml sets no analytics
    assert page.evaluate("typeof window.dataLayer") == "undefined"
    headings = page.locator("h2.sf-entry")
    for index in range(headings.count()):
        entry_id = headings.nth(index).get_attribute("id")
        link = page.locator(f"h2#{entry_id} ~ .sf-meta").first.get_by_role(
            "link", name="Report a problem with this answer"
        )
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.get_attribute("href")).query)
        assert query["entry"] == [entry_id]
        assert query["template"] == ["answer-problem.yml"]
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / "answer-problem.yml"
    assert "id: entry" in form.read_text(encoding="utf-8"), "the issue form has a field the ?entry= fills in"


def test_analytics_is_off_unless_site_yaml_names_one(example_site: Path) -> None:
    html = (example_site / "questions" / "pricing-and-plans" / "index.html").read_text(encoding="utf-8")
    assert "googletagmanager" not in html and "md-feedback" not in html


def test_the_example_loads_nothing_from_google(example_site: Path) -> None:
    """As the README says: without analytics, no page asks Google for anything (Material's default fonts
    come from Google Fonts; the example's mkdocs.yml sets `font: false`)."""
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 20
    hosts = ("googletagmanager.com", "google-analytics.com", "fonts.googleapis.com", "fonts.gstatic.com")
    reaching = [
        (page.relative_to(example_site), host) for page in pages for host in hosts if host in page.read_text("utf-8")
    ]
    assert reaching == []


def test_the_offline_copy_sends_nothing(analytics_build: Path) -> None:
    """With no network on a plane, the offline copy leaves analytics and the feedback widget out."""
    site = analytics_build
    online = (site / "questions" / "pricing-and-plans" / "index.html").read_text(encoding="utf-8")
    assert "googletagmanager" in online and "md-feedback" in online
    (archive,) = (site / "download").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        pages = {name: zipped.read(name).decode("utf-8") for name in zipped.namelist() if name.endswith(".html")}
    assert any(name.endswith("questions/pricing-and-plans.html") for name in pages)
    assert not [name for name, text in pages.items() if "googletagmanager" in text or "md-feedback" in text]
