"""Search as a rep uses it: typing into Material's search box in Debian Chromium, on the served site and on the
offline copy opened from file://."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import CHROMIUM_FLAGS, ROOT, _QuietHandler, chromium_path, copy_project, mkdocs_build
from salesfaq import search, searchcheck
from salesfaq.pipeline import validate

pytestmark = pytest.mark.browser

RESULTS = ".md-search-result__item"
REPO = validate(ROOT / "faq_source")[0].site.repo_url


def type_query(page, query: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)


def wait_for_result(page, entry_id: str, within: int = 3) -> int:  # type: ignore[no-untyped-def]
    """The position (0-based) of the entry among the first `within` results, once it is there."""
    found = page.wait_for_function(  # read in the same frame as checked: the list may be redrawn after
        """([selector, anchor, within]) => {
             const at = Array.from(document.querySelectorAll(selector)).slice(0, within)
               .findIndex(item => item.querySelector("a").href.endsWith(anchor));
             return at >= 0 ? at + 1 : false;
           }""",
        arg=[RESULTS, f"#{entry_id}", within],
        timeout=15000,
    )
    return int(found.json_value()) - 1


def open_result(page, entry_id: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f'{RESULTS} > a[href$="#{entry_id}"]').first.click()
    page.wait_for_url(re.compile(f"#{entry_id}$"))
    assert page.locator(f"h2#{entry_id}").is_visible()


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("whats it cost for 50 agents a month", "pricing-model"),  # rep phrasings from search_tests.yaml
        ("free trail 14 days", "free-trial"),
        ("okta saml", "sso-saml"),
        ("going bankrupt", "vendor-too-small"),  # shares no word with its answer: found by meaning only
    ],
)
def test_a_rep_phrasing_finds_the_entry_and_the_click_lands_on_it(
    page,
    site_url: str,
    query: str,  # type: ignore[no-untyped-def]
    entry_id: str,
) -> None:
    page.goto(site_url)
    type_query(page, query)
    wait_for_result(page, entry_id)
    open_result(page, entry_id)


def test_one_search_worker_per_page_started_before_the_first_key_fetching_only_pieces(
    page,
    site_url: str,  # type: ignore[no-untyped-def]
) -> None:
    """The worker the page head starts is the one Material uses (not a second one), and the first query
    fetches index pieces, never a whole index."""
    workers: list[str] = []
    fetched: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.on("request", lambda request: fetched.append(request.url.removeprefix(site_url).split("?")[0]))
    page.goto(site_url)
    page.wait_for_function("() => document.querySelector('.md-search__input') !== null")
    page.wait_for_timeout(300)
    before_typing = list(fetched)
    type_query(page, "okta saml")
    wait_for_result(page, "sso-saml")
    assert [url.removeprefix(site_url) for url in workers] == ["assets/salesfaq/salesfaq-search-worker.js"]
    assert "search/salesfaq/index.json" in before_typing, before_typing
    pieces = [path for path in fetched if path.startswith("search/salesfaq/")]
    assert any(re.fullmatch(r"search/salesfaq/t/\d+\.json", path) for path in pieces), pieces
    shown = [path for path in pieces if re.fullmatch(r"search/salesfaq/(d/\d+|docs)\.json", path)]
    assert shown, pieces  # the results' documents: a few chunks, or all once the first result is out
    assert "search/salesfaq/words.txt" not in pieces  # no typo in the query: the word list is not needed


def test_what_the_rep_types_before_material_has_started_is_searched_at_once(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Material sends its first query only after setting itself up; the page hands the worker what the rep
    types right away, so the pieces that query needs are already on their way. Material's script is held
    back here: the pieces still come, from the typing alone."""
    context = browser.new_context()
    try:
        context.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.removeprefix(site_url).split("?")[0]))
        page.goto(site_url)
        page.wait_for_timeout(300)  # the worker has index.json
        assert not [path for path in fetched if re.fullmatch(r"search/salesfaq/[td]/\d+\.json", path)], fetched
        with page.expect_request(lambda request: re.search(r"/search/salesfaq/d/\d+\.json", request.url) is not None):
            page.evaluate(
                """() => {
                     const box = document.querySelector(".md-search__input");
                     box.value = "okta saml";
                     box.dispatchEvent(new Event("input", { bubbles: true }));
                   }"""
            )
        assert any(re.fullmatch(r"search/salesfaq/t/\d+\.json", path) for path in fetched), fetched
    finally:
        context.close()


def test_the_vectors_are_fetched_when_the_rep_opens_search_not_on_every_page(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.removeprefix(site_url).split("?")[0]))
    page.goto(site_url)
    page.wait_for_timeout(2500)
    assert not [path for path in fetched if path.endswith(".i8")]  # a rep reading a page downloads no vectors
    page.locator(".md-search__input").click()
    with page.expect_request(lambda request: request.url.split("?")[0].endswith("search/salesfaq/vectors.i8")):
        pass
    assert any(path.endswith("assets/salesfaq/vectors/vectors.i8") for path in fetched)


def test_the_transformer_ranks_the_results_again_once_the_rep_pauses(page, site_url: str, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    """The instant results come first; the transformer (fetched once, kept by the browser under its version)
    ranks them again a moment later, with the rep's answer first."""
    query, instant, expected = "how many admins to run it", "competitors/supportforce", "admin-effort"
    assert searchcheck.rank(example_site, [query], 1, transformer=False)[0] == [instant]  # the premise, in Node
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.removeprefix(site_url)))
    page.goto(site_url)
    type_query(page, query)
    assert wait_for_result(page, expected, within=1) == 0
    model = [url for url in fetched if url.startswith("assets/salesfaq/transformer/model.i8")]
    assert len(model) == 1 and "?v=" in model[0], model
    assert any(url.startswith("search/salesfaq/transformer.i8?v=") for url in fetched), fetched


def test_search_goes_on_without_the_transformer_when_it_cannot_be_fetched(
    browser,
    site_url: str,  # type: ignore[no-untyped-def]
    example_site: Path,
) -> None:
    """A model that does not arrive (a proxy that blocks large files, a lost signal) leaves the instant results."""
    query = "support hours growth plan"
    assert searchcheck.rank(example_site, [query], 1, transformer=False)[0] == ["plan-comparison"]
    assert searchcheck.rank(example_site, [query], 1)[0] != ["plan-comparison"]  # the transformer's differs
    context = browser.new_context()
    try:
        context.route("**/assets/salesfaq/transformer/model.i8*", lambda route: route.abort())
        page = context.new_page()
        with page.expect_request_finished(lambda request: "/search/salesfaq/vectors.i8" in request.url):
            page.goto(site_url)
            type_query(page, "okta saml")
        wait_for_result(page, "sso-saml")
        page.wait_for_timeout(500)  # the model has failed by now
        page.locator(".md-search__input").fill("")
        type_query(page, query)
        page.wait_for_timeout(1000)  # time enough for the transformer to have ranked again, had it come
        assert wait_for_result(page, "plan-comparison", within=1) == 0  # the instant ranking
    finally:
        context.close()


def test_a_phone_on_a_slow_connection_is_not_sent_the_transformer(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """15 MB is too much for 2G (or Data Saver): the rep there keeps the instant results, by meaning too."""
    slow = browser.browser_type.launch(
        executable_path=chromium_path(), args=[*CHROMIUM_FLAGS, "--force-effective-connection-type=2G"]
    )
    try:
        page = slow.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.removeprefix(site_url).split("?")[0]))
        with page.expect_request_finished(lambda request: "/search/salesfaq/vectors.i8" in request.url):
            page.goto(site_url)
            type_query(page, "going bankrupt")  # found by the static vectors' meaning
        wait_for_result(page, "vendor-too-small")
        page.wait_for_timeout(1000)
        assert "assets/salesfaq/vectors/vectors.i8" in fetched
        assert not [path for path in fetched if "transformer" in path], fetched
    finally:
        slow.close()


def test_a_deploy_while_the_page_is_open_is_picked_up_not_mixed_with_the_old_index(
    browser,
    example_site: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """The page has read index.json; a new build replaces the index (a deploy, or a host serving a stale
    index.json): the worker finds its pieces belong to another build, reads index.json again, and shows
    the new build's results."""
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    server = _QuietHandler.serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => document.querySelector('.md-search__input') !== null")
        page.wait_for_timeout(500)  # the worker has index.json by now
        base, _ = validate(ROOT / "faq_source")
        docs = search.documents(base)
        locations = {doc[0]: doc[1] for doc in search.read_docs(site) or []}
        for doc in docs:
            if doc.id == "free-trial":
                doc.title = "Is there a free trial? Yes, since the latest deploy"
        search.write(search.build(docs, lambda d: locations[d.id], synonyms=base.site.synonyms), site)
        type_query(page, "free trial")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.md-search-result__item'))"
            ".some(item => item.textContent.includes('since the latest deploy'))",
            timeout=15000,
        )
    finally:
        context.close()
        server.shutdown()


def test_a_piece_of_the_index_that_does_not_arrive_is_said_not_silently_dropped(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    try:
        context.route("**/search/salesfaq/t/*", lambda route: route.abort())  # a phone that lost its signal
        page = context.new_page()
        page.goto(site_url)
        type_query(page, "okta saml")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.md-search-result__item'))"
            ".some(item => item.textContent.includes('Search could not load'))",
            timeout=15000,
        )
        context.unroute("**/search/salesfaq/t/*")
        page.locator(".md-search__input").press("Backspace")  # typing again retries
        wait_for_result(page, "sso-saml")
    finally:
        context.close()


def test_the_meaning_only_query_really_shares_no_word_with_its_answer() -> None:
    base, _ = validate(ROOT / "faq_source")
    doc = next(d for d in search.documents(base) if d.id == "vendor-too-small")
    indexed = {w for texts in doc.fields.values() for t in texts for w in search.words(t)}
    query = search.words("going bankrupt")
    assert not set(query) & indexed
    assert not {search.stem(w) for w in query} & {search.stem(w) for w in indexed}


def test_results_are_entries_not_pages(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    type_query(page, "discount")
    wait_for_result(page, "discount-approval", within=5)
    hrefs = [item.get_attribute("href") or "" for item in page.locator(f"{RESULTS} > a").all()]
    entries = [href for href in hrefs if "#" in href]
    assert len(entries) >= 5 and all(href.count("#") == 1 for href in entries)
    assert sum("/objections/price/" in href or "/questions/pricing-and-plans/" in href for href in entries) >= 3
    assert page.locator(f"{RESULTS} details").count() == 0  # no "N more on this page" folding


def test_enter_opens_the_best_result(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    type_query(page, "free trial")
    assert wait_for_result(page, "free-trial", within=1) == 0
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("#free-trial$"))


def test_ask_marketing_comes_first_when_nothing_fits_and_carries_the_query(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    page.route(
        "https://github.com/**",
        lambda route: (opened.append(route.request.url), route.fulfill(body="issue form", content_type="text/plain")),
    )
    query = 'qqzx "vpn" & wifi?'
    page.goto(site_url)
    type_query(page, query)
    first = page.locator(RESULTS).first
    page.wait_for_function(  # the list for the whole query, not one for the letters typed so far
        """([selector, query]) => { const link = document.querySelector(selector + " a");
             return !!link && new URL(link.href).searchParams.get("question") === query; }""",
        arg=[RESULTS, query],
        timeout=15000,
    )
    assert "Ask marketing" in first.inner_text()
    href = first.locator("a").get_attribute("href") or ""
    parts = urllib.parse.urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/issues/new"
    fields = urllib.parse.parse_qs(parts.query)
    assert fields["template"] == ["ask-marketing.yml"]
    assert fields["question"] == [query]  # & and quotes survive: the value is URL-encoded
    first.locator("a").click()
    page.wait_for_url(re.compile(r"^https://github\.com/"))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(opened[0]).query)["question"] == [query]


def test_ask_marketing_is_the_last_item_after_good_results(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    type_query(page, "free trial")
    wait_for_result(page, "free-trial", within=1)
    assert "Ask marketing" in page.locator(RESULTS).last.inner_text()
    assert "Ask marketing" not in page.locator(RESULTS).first.inner_text()


def test_without_a_repository_there_is_no_ask_marketing(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(ROOT / "faq_source", tmp_path / "project")
    site_yaml = project / "faq_source" / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^repo_url:.*\n", "", site_yaml.read_text(encoding="utf-8")), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    server = _QuietHandler.serve(tmp_path / "site")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        type_query(page, "qqzx wifi")
        page.locator(".md-search-result__meta").filter(has_text=re.compile("No matching|matching")).wait_for()
        type_query(page, " free trial")
        wait_for_result(page, "free-trial")
        assert page.get_by_text("Ask marketing").count() == 0
        assert page.locator(f"{RESULTS} a[href*='github.com']").count() == 0
    finally:
        context.close()
        server.shutdown()


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built as Material's offline copy (OFFLINE=true turns on the offline plugin in mkdocs.yml)."""
    site = tmp_path_factory.mktemp("offline") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (site / "search" / "salesfaq" / "index.json.js").is_file()
    return site


@pytest.mark.parametrize(
    ("query", "entry_id", "within"),
    [
        ("free trail", "free-trial", 3),
        ("going bankrupt", "vendor-too-small", 3),
        ("how many admins to run it", "admin-effort", 1),  # first once the transformer has ranked, offline too
    ],
)
def test_the_offline_copy_searches_from_file_urls(
    browser,
    offline_site: Path,
    query: str,  # type: ignore[no-untyped-def]
    entry_id: str,
    within: int,
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((offline_site / "index.html").as_uri())
        type_query(page, query)
        wait_for_result(page, entry_id, within)
        href = page.locator(f'{RESULTS} > a[href$="#{entry_id}"]').first.get_attribute("href") or ""
        assert href.startswith("file://") and ".html" in href
        open_result(page, entry_id)
    finally:
        context.close()
    assert not errors
    assert [url for url in requests if not url.startswith(("file://", "data:", "about:"))] == []


def test_the_word_being_typed_is_completed_as_material_does(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    type_query(page, "free tri")
    wait_for_result(page, "free-trial", within=1)
    page.locator(".md-search__suggest").filter(has_text="free trial").wait_for()
    page.keyboard.press("ArrowRight")  # Material's key to take the suggestion
    assert page.locator(".md-search__input").input_value() == "free trial"
