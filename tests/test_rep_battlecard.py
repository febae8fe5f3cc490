"""Battlecards: read top to bottom in a minute before a call, and printed to one or two clean pages."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import expect
from salesfaq.loader import load_source

COMPETITORS = sorted(path.stem for path in (ROOT / "faq_source" / "competitors").glob("*.yaml"))
READING_ORDER = [
    ('class="sf-asof"', "as-of date"),
    ('class="sf-say"', "one-line positioning"),
    ('class="sf-dismiss"', "quick dismiss"),
    ('id="why-we-win"', "we win when"),
    ('id="they-win-when"', "they win when"),
    ('id="differentiators"', "differentiators with proof"),
    ('id="landmines"', "landmines to plant"),
    ('id="traps"', "traps to avoid"),
    ('id="objections"', "objection → response"),
    ('id="strengths"', "their strengths"),
    ('id="weaknesses"', "their weaknesses"),
]
"""What a rep needs first comes first: what to say, when we win, why, what to plant and avoid, what they'll say."""


@pytest.mark.parametrize("key", COMPETITORS)
def test_battlecard_sections_come_in_reading_order(example_site: Path, key: str) -> None:
    html = (example_site / "competitors" / key / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    positions = []
    for marker, name in READING_ORDER:
        assert marker in article, f"{key}: the battlecard has no {name}"
        positions.append((article.index(marker), name))
    assert [name for _, name in sorted(positions)] == [name for _, name in READING_ORDER]


@pytest.mark.parametrize("key", COMPETITORS)
def test_differentiators_show_their_proof_under_the_claim(example_site: Path, key: str) -> None:
    base, _ = load_source(ROOT / "faq_source")
    page = (example_site / "competitors" / key / "index.html").read_text(encoding="utf-8")
    section = page.split('id="differentiators"', 1)[1].split("<h2", 1)[0]
    claims = [e for e, t, _ in base.entries() if t.kind == "differentiators" and key in getattr(e, "versus", {})]
    assert claims
    for claim in claims:
        assert f"#{claim.id}" in section
        for proof in claim.proof:
            assert " ".join(proof.split()[:4]) in html.unescape(re.sub(r"<[^>]+>", "", section))


PAGE_OBJECTS = re.compile(rb"/Type\s*/Page(?![s\w])")


@pytest.mark.browser
@pytest.mark.parametrize("key", COMPETITORS)
def test_battlecard_prints_to_one_or_two_clean_pages(page, site_url: str, key: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"competitors/{key}/")
    page.emulate_media(media="print")
    for furniture in [
        ".md-header",
        ".md-tabs",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-search",
        ".md-footer",
        ".md-top",
        ".sf-actions",
        ".sf-meta__edit",
        ".sf-meta__report",
    ]:
        for element in page.locator(furniture).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".sf-card").first).to_be_visible()
    for details in page.locator("article details").all():  # folded on screen, whole on paper
        expect(details.locator(":scope > :not(summary)").first).to_be_visible()

    pdf = page.pdf(format="A4", print_background=True)
    pages = len(PAGE_OBJECTS.findall(pdf))
    assert 1 <= pages <= 2, f"the {key} battlecard prints to {pages} pages"
