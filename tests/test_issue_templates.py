"""The issue forms reps land on from the site: they parse, and every field a site link pre-fills exists.

GitHub pre-fills an issue form's input or textarea from the query parameter named like its `id`
(`/issues/new?template=ask-marketing.yml&question=...`); a renamed id silently drops what the rep typed.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from salesfaq.loader import load_source

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
FORMS = sorted(p for p in TEMPLATES.glob("*.yml") if p.name != "config.yml")
PREFILLABLE = {"input", "textarea"}
NOT_FIELDS = {"template", "title", "labels", "assignees", "projects", "milestone"}
"""Query parameters GitHub reads itself rather than as a field id."""


def _form(name: str) -> dict[str, Any]:
    data = yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def _fields(name: str) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in _form(name)["body"] if "id" in item}


def _check_link(url: str) -> None:
    """An issue link names an existing form and only fields of it that GitHub can pre-fill."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    template = query["template"][0]
    assert (TEMPLATES / template).is_file(), f"{url}: no form .github/ISSUE_TEMPLATE/{template}"
    fields = _fields(template)
    for name in set(query) - NOT_FIELDS:
        assert name in fields, f"{url}: {template} has no field with id '{name}'"
        assert fields[name]["type"] in PREFILLABLE, f"{url}: field '{name}' of {template} cannot be pre-filled"


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_each_form_is_well_formed(form: Path) -> None:
    data = _form(form.name)
    assert {"name", "description", "body", "labels"} <= set(data)
    ids = [item["id"] for item in data["body"] if "id" in item]
    assert len(ids) == len(set(ids)), f"{form.name}: repeated field ids"
    for item in data["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] != "markdown":
            assert re.fullmatch(r"[a-z][a-z0-9_-]*", item["id"]), item
            assert item["attributes"]["label"]
    assert any(item.get("validations", {}).get("required") for item in data["body"]), "nothing required"


@pytest.mark.parametrize(("form", "field"), [("ask-marketing.yml", "question"), ("answer-problem.yml", "entry")])
def test_the_field_the_site_prefills_exists_and_is_required(form: str, field: str) -> None:
    item = _fields(form)[field]
    assert item["type"] in PREFILLABLE
    assert item["validations"]["required"] is True


def test_ask_marketing_link_of_the_search_panel_prefills_the_question() -> None:
    """search.py gives the form's address; the search panel's script appends `&question=<what the rep typed>`."""
    from salesfaq.search import ask_marketing_url

    base, _ = load_source(ROOT / "faq_source")
    ask = ask_marketing_url(base.site)
    assert ask is not None
    script = (ROOT / "generator" / "salesfaq" / "assets" / "salesfaq-search.js").read_text(encoding="utf-8")
    appended = re.findall(r'ask \+ "&([a-z_]+)=" \+ encodeURIComponent\(query', script)
    assert appended == ["question"]
    _check_link(f"{ask}&{appended[0]}=does%20relay%20integrate%20with%20gong")


def test_issue_links_in_templates_name_existing_fields() -> None:
    """Every `issue_url("<form>", field=...)` call in the built-in templates and the renderer they call."""
    calls = []
    package = ROOT / "generator" / "salesfaq"
    for source in [*sorted((package / "templates").glob("*.j2")), package / "render.py"]:
        calls += re.findall(r"issue_url\(\s*\"([^\"]+)\"\s*,([^)]*)\)", source.read_text(encoding="utf-8"))
    assert "answer-problem.yml" in {form for form, _ in calls}
    for form, arguments in calls:
        names = re.findall(r"(\w+)\s*=", arguments)
        _check_link(
            "https://example.com/issues/new?" + urllib.parse.urlencode({"template": form, **dict.fromkeys(names, "x")})
        )


def test_issue_links_in_the_built_site_name_existing_fields(example_site: Path) -> None:
    links = set()
    for html in example_site.rglob("*.html"):
        links |= set(re.findall(r'href="([^"]*/issues/new\?[^"]*)"', html.read_text(encoding="utf-8")))
    assert len(links) > 50  # one per answer, battlecard and persona
    for link in links:
        _check_link(link.replace("&amp;", "&"))


def test_deal_stages_of_the_form_are_the_sales_process_stages() -> None:
    base, _ = load_source(ROOT / "faq_source")
    options = _fields("ask-marketing.yml")["stage"]["attributes"]["options"]
    assert options[:-1] == [stage.name for stage in base.site.stages], (
        "update the `stage` options of .github/ISSUE_TEMPLATE/ask-marketing.yml to the stages of site.yaml"
    )


def test_config_points_to_contributing_in_this_repository() -> None:
    base, _ = load_source(ROOT / "faq_source")
    config = yaml.safe_load((TEMPLATES / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)
    (link,) = config["contact_links"]
    assert base.site.repo_url
    assert link["url"] == f"{base.site.repo_url}/blob/{base.site.branch}/CONTRIBUTING.md"
    assert (ROOT / "CONTRIBUTING.md").is_file()


@pytest.mark.browser
def test_report_a_problem_opens_the_form_prefilled_with_the_answer_id(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """In Chromium: the link under an answer opens GitHub's form for that answer (GitHub itself is stubbed)."""
    opened: list[str] = []

    def github(route) -> None:  # type: ignore[no-untyped-def]
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>New issue</title>")

    page.context.route("https://github.com/**", github)
    page.goto(site_url + "questions/security-and-compliance/")
    entry = page.locator("h2.sf-entry").first.get_attribute("id")
    report = page.locator(f"h2#{entry} ~ .sf-meta .sf-meta__report").first
    report.click()
    page.wait_for_url("https://github.com/**")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(opened[-1]).query)
    assert query["template"] == ["answer-problem.yml"]
    assert query["entry"] == [entry]
    assert query["title"] == [f"Problem with {entry}"]
    _check_link(opened[-1])


def test_issue_links_written_in_the_package_name_existing_fields() -> None:
    """Literal `/issues/new?...` addresses anywhere in the generator (the feedback widget's, the search panel's)."""
    package = ROOT / "generator" / "salesfaq"
    found = []
    for source in sorted(p for p in package.rglob("*") if p.suffix in {".py", ".js", ".j2", ".html"}):
        for query in re.findall(r"/issues/new\?(template=[^\"'\s]+)", source.read_text(encoding="utf-8")):
            found.append(query)
            _check_link("https://example.com/issues/new?" + query)
    assert any("ask-marketing.yml" in query for query in found)
