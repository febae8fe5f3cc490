"""The editing-loop reports, driven as commands on real repositories under tests/cases/reports/.

Each case folder holds a faq_source/ and the exact output expected from each command (`stale.txt` for
`salesfaq stale`, `stale.md` for `salesfaq stale --format markdown`, ...), written for the pinned day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES
from salesfaq.cli import main

REPORTS = sorted(p for p in (CASES / "reports").iterdir() if p.is_dir())
COMMANDS = {
    "stale.txt": ["stale"],
    "stale.md": ["stale", "--format", "markdown"],
    "report.txt": ["report"],
    "report.md": ["report", "--format", "markdown"],
    "validate.txt": ["validate"],
}
EXPECTED = [(case, name) for case in REPORTS for name in COMMANDS if (case / name).exists()]


@pytest.mark.parametrize(("case", "expected"), EXPECTED, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_command_output_matches_expected(
    case: Path, expected: str, monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date
) -> None:
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, COMMANDS[expected])
    assert "Traceback" not in result.output
    assert result.stdout == (case / expected).read_text(encoding="utf-8")


def test_reports_refuse_invalid_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "invalid" / "unknown-field")
    result = CliRunner().invoke(main, ["stale"])
    assert result.exit_code == 1
    assert "(unknown-field)" in result.output
    assert "fix the errors first" in result.output


def test_needs_review_page_lists_overdue_items_by_owner(monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date) -> None:
    from salesfaq.pipeline import run

    monkeypatch.chdir(CASES / "reports" / "neglected")
    site = run(Path("faq_source")).site
    assert site is not None
    page = site.page("marketing/needs-review.md").markdown
    assert "**5 of 12** items are overdue on 25 Nov 2026: **58% fresh**, against a target of 80%." in page
    assert "| Marco Rossi | 1 | 3 of 4 (75%) | **below target** |" in page
    assert (
        "- [Do you give discounts for large teams?](../questions/pricing.md#volume-discount) (question): "
        "overdue since 2026-07-30" in page
    )
    assert "- [Ticketly](../competitors/ticketly.md) (battlecard)" in page
    assert {
        "Marketing": [{"Needs review": "marketing/needs-review.md"}, {"Coverage": "marketing/coverage.md"}]
    } in site.nav


def test_coverage_page_lists_every_gap_with_links(monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date) -> None:
    from salesfaq.pipeline import run

    monkeypatch.chdir(CASES / "reports" / "neglected")
    site = run(Path("faq_source")).site
    assert site is not None
    page = site.page("marketing/coverage.md").markdown
    assert "**11 gaps** on 25 Nov 2026." in page
    assert "| [Battlecards without strengths](#battlecards-without-strengths) | 1 |" in page
    edit = "https://github.com/example/sales-answers/edit/main/faq_source"
    for line in [
        f"- [Ticketly](../competitors/ticketly.md): named by 1 entry · [Edit]({edit}/competitors/ticketly.yaml)",
        "- [Helpfox](../competitors/helpfox.md): no strengths",
        "- [IT lead](../personas/it-lead.md): no fears, pressures",
        f"- [Discovery](../process/index.md#discovery): no entry lists it in stages · [Edit]({edit}/site.yaml)",
        "- [It&#39;s too expensive&#46;](../objections/price.md#too-expensive): no ask",
        "- [Do you give discounts for large teams?](../questions/pricing.md#volume-discount): question without",
        "- [Priya Shah](needs-review.md#owner-priya): 2 overdue of 4 &#40;50% fresh&#41;",
        "- [Can we try Relay for free before we buy it?](../questions/security.md#try-relay-free): ",
        "may ask the same as [Is there a free trial?](../questions/pricing.md#free-trial)",
    ]:
        assert line in page


def test_coverage_page_says_when_nothing_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from salesfaq.pipeline import run

    monkeypatch.chdir(CASES / "valid" / "minimal")
    site = run(Path("faq_source")).site
    assert site is not None
    page = site.page("marketing/coverage.md").markdown
    assert "## Possible duplicates { #duplicates }\n\nNothing missing." in page
    assert "## Entries without a short answer { #entries-without-short-answer }\n\nAdd `short_answer`" in page


def test_coverage_page_of_the_example_site_links_to_pages_that_exist(example_site: Path) -> None:
    import re
    import urllib.parse

    page = example_site / "marketing" / "coverage" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<h1" in html and "Coverage" in html
    targets = [href for href in re.findall(r'<a[^>]+href="([^"#]+)#[^"]*"', html) if not href.startswith("http")]
    assert any("objections/" in href for href in targets)
    for href in targets:
        resolved = (page.parent / urllib.parse.unquote(href)).resolve()
        assert resolved.exists() or (resolved / "index.html").exists(), href


def test_marketing_pages_of_a_public_build_never_name_internal_content(tmp_path: Path, pinned_today: dt.date) -> None:
    """An overdue internal entry is counted, but neither Needs review nor Coverage names it in a public build."""
    import re
    import shutil

    from salesfaq.pipeline import run
    from salesfaq.render import Options

    source = shutil.copytree(CASES / "valid" / "internal-content" / "faq_source", tmp_path / "faq_source")
    secret_only = source / "questions" / "secret-only.yaml"
    aged = secret_only.read_text(encoding="utf-8").replace("reviewed: 2026-11-02", "reviewed: 2020-01-01")
    secret_only.write_text(aged, encoding="utf-8")
    full = run(source).site
    public = run(source, Options(public=True)).site
    assert full is not None and public is not None
    assert "Zqxsecret16" in full.page("marketing/needs-review.md").markdown  # overdue, and named to the sales team
    for path in ("marketing/needs-review.md", "marketing/coverage.md"):
        assert not re.search("zqxsecret", public.page(path).markdown, re.IGNORECASE), path
