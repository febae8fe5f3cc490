"""Pages of the editing loop: what needs review, what the base lacks, what is new. Rendered like any page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .stale import KIND_NOUNS, stale_report, why

if TYPE_CHECKING:
    from .render import Page, Renderer

NEEDS_REVIEW = "marketing/needs-review.md"


def needs_review_page(renderer: Renderer) -> Page:
    from .render import Page

    report = stale_report(renderer.base, renderer.options.today)
    owners = [{"owner": owner, "overdue": [_item(renderer, item, report.on) for item in owner.overdue]}
              for owner in report.owners]
    text = renderer.render("needs-review.md.j2", NEEDS_REVIEW, report=report, owners=owners)
    return Page(NEEDS_REVIEW, "Needs review", text)


def _item(renderer: Renderer, item: Any, on: Any) -> dict[str, Any]:
    target = renderer.page_link(NEEDS_REVIEW, item.page)
    if item.kind not in ("competitors", "personas"):
        target += "#" + item.key
    return {"item": item, "noun": KIND_NOUNS[item.kind], "href": target, "why": why(item, on),
            "edit": renderer.edit_url(item.document.path)}


def loop_pages(renderer: Renderer) -> list[Page]:
    """Every page this module adds to the site."""
    return [needs_review_page(renderer)]


def loop_nav() -> list[Any]:
    return [{"Marketing": [{"Needs review": NEEDS_REVIEW}]}]
