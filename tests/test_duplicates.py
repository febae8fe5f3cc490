"""Duplicate questions: rewordings are flagged, questions that merely share a shape are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, ROOT
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from salesfaq.duplicates import THRESHOLD, content_words, duplicate_pairs, duplicate_questions
from salesfaq.loader import load_source
from salesfaq.models import Question

SAME = [
    ("Can we try it for free before buying?", "Can we try it for free before we buy?"),
    ("Do you have an API?", "Is there an API?"),
    ("How long does onboarding take?", "How long does the onboarding take for us?"),
    ("Which languages do you support?", "What languages are supported?"),
]
DIFFERENT = [
    ("Do you have an API?", "Do you have a CAIQ?"),
    ("Does Relay work with Slack?", "Does Relay work with Okta?"),
    ("Do you integrate with Jira?", "Do you integrate with Splunk?"),
    ("Are you SOC 2 compliant?", "Are you PCI compliant?"),
    ("Do you have certification for admins?", "Do you have ISO certification?"),
]


def _score(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(content_words(a), content_words(b))


@pytest.mark.parametrize(("a", "b"), SAME)
def test_rewordings_score_above_threshold(a: str, b: str) -> None:
    assert _score(a, b) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_questions_of_the_same_shape_stay_below_threshold(a: str, b: str) -> None:
    assert _score(a, b) < THRESHOLD


@given(st.text())
def test_content_words_accepts_any_text(text: str) -> None:
    words = content_words(text)
    assert words == words.strip()
    assert all(char.isascii() and (char.isalnum() or char in "_ ") for char in words)


def test_example_content_has_no_duplicate_questions() -> None:
    base, _ = load_source(ROOT / "faq_source")
    assert [str(p) for p in duplicate_questions(base)] == []


def test_duplicate_names_both_places(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import CASES

    monkeypatch.chdir(CASES / "reports" / "neglected")
    base, _ = load_source(Path("faq_source"))
    [problem] = duplicate_questions(base)
    assert (problem.path, problem.line, problem.rule) == (
        "faq_source/questions/security.yaml",
        17,
        "duplicate-question",
    )
    assert "'free-trial' at faq_source/questions/pricing.yaml:8" in problem.message


def test_a_second_look_at_the_same_base_gives_the_same_pairs_and_a_changed_base_new_ones() -> None:
    base, _ = load_source(CASES / "reports" / "neglected" / "faq_source")
    first = [(a.entry, a.text, a.loc, b.entry, b.text, b.loc) for a, b in duplicate_pairs(base)]
    assert first and first == [(a.entry, a.text, a.loc, b.entry, b.text, b.loc) for a, b in duplicate_pairs(base)]
    [later] = [entry for entry, _, _ in base.entries() if entry.id == first[0][3]]
    assert isinstance(later, Question)
    later.question, later.also_asked = "Where is customer data hosted?", []  # no longer the same question
    assert duplicate_pairs(base) == []
