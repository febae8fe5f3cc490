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
def test_command_output_matches_expected(case: Path, expected: str, monkeypatch: pytest.MonkeyPatch,
                                         pinned_today: dt.date) -> None:
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


def test_needs_review_page_lists_overdue_items_by_owner(monkeypatch: pytest.MonkeyPatch,
                                                        pinned_today: dt.date) -> None:
    from salesfaq.pipeline import run

    monkeypatch.chdir(CASES / "reports" / "neglected")
    site = run(Path("faq_source")).site
    assert site is not None
    page = site.page("marketing/needs-review.md").markdown
    assert "**5 of 12** items are overdue on 25 Nov 2026: **58% fresh**, against a target of 80%." in page
    assert "| Marco Rossi | 1 | 3 of 4 (75%) | **below target** |" in page
    assert "- [Do you give discounts for large teams?](../questions/pricing.md#volume-discount) (question): " \
           "overdue since 2026-07-30" in page
    assert "- [Ticketly](../competitors/ticketly.md) (battlecard)" in page
    assert {"Marketing": [{"Needs review": "marketing/needs-review.md"}]} in site.nav
