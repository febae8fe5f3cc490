"""Bad input as data: each folder under cases/invalid holds a faq_source/ and the exact problems expected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import CASES
from salesfaq.pipeline import validate

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case_reports_expected_problems(
    case: Path, monkeypatch: pytest.MonkeyPatch, pinned_today: dt.date
) -> None:
    monkeypatch.chdir(case)
    _, problems = validate(Path("faq_source"))
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    assert problems.format() == expected
    assert problems.errors, "an invalid case must report at least one error"


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case_has_no_errors(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    _, problems = validate(Path("faq_source"))
    assert problems.errors == []
