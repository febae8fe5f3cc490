"""Pages of the editing loop: what needs review, what the base lacks, what is new. Rendered like any page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .coverage import Gap, coverage_report
from .stale import KIND_NOUNS, stale_report, why

if TYPE_CHECKING:
    from .render import Page, Renderer

NEEDS_REVIEW = "marketing/needs-review.md"
COVERAGE = "marketing/coverage.md"


def needs_review_page(renderer: Renderer) -> Page:
    from .render import Page

    report = stale_report(renderer.base, renderer.options.today)
    public = renderer.options.public  # a public build's base still holds internal entries: never name them
    owners = [
        {
            "owner": owner,
            "overdue": [
                _item(renderer, item, report.on) for item in owner.overdue if not (public and item.model.is_internal())
            ],
        }
        for owner in report.owners
    ]
    text = renderer.render("needs-review.md.j2", NEEDS_REVIEW, report=report, owners=owners)
    return Page(NEEDS_REVIEW, "Needs review", text)


def _item(renderer: Renderer, item: Any, on: Any) -> dict[str, Any]:
    target = renderer.page_link(NEEDS_REVIEW, item.page)
    if item.kind not in ("competitors", "personas"):
        target += "#" + item.key
    return {
        "item": item,
        "noun": KIND_NOUNS[item.kind],
        "href": target,
        "why": why(item, on),
        "edit": renderer.edit_url(item.document.path),
    }


def coverage_page(renderer: Renderer) -> Page:
    from .render import Page

    report = coverage_report(renderer.base, renderer.options.today, public=renderer.options.public)
    checks = [{"check": check, "gaps": [_gap(renderer, gap) for gap in check.gaps]} for check in report.checks]
    text = renderer.render("coverage.md.j2", COVERAGE, report=report, checks=checks)
    return Page(COVERAGE, "Coverage", text)


def _gap(renderer: Renderer, gap: Gap) -> dict[str, Any]:
    return {
        "gap": gap,
        "href": renderer.page_link(COVERAGE, gap.page) if gap.page else None,
        "edit": renderer.edit_url(gap.path) if gap.path else None,
        "other": _gap(renderer, gap.other) if gap.other else None,
    }


def loop_pages(renderer: Renderer) -> list[Page]:
    """Every page this module adds to the site."""
    return [needs_review_page(renderer), coverage_page(renderer)]


def loop_nav() -> list[Any]:
    return [{"Marketing": [{"Needs review": NEEDS_REVIEW}, {"Coverage": COVERAGE}]}]
