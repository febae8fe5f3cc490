"""Duplicate questions at scale: blocking on rare words finds the same pairs as comparing all pairs."""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from rapidfuzz import fuzz
from salesfaq.duplicates import THRESHOLD, candidate_pairs, duplicate_questions, phrasings
from salesfaq.loader import load_source

TOPICS = [
    "pricing",
    "invoice",
    "okta",
    "sso",
    "scim",
    "export",
    "slack",
    "jira",
    "sla",
    "audit",
    "backup",
    "region",
    "gdpr",
    "hipaa",
    "sandbox",
    "api",
    "webhook",
    "macro",
    "chatbot",
    "survey",
    "queue",
    "routing",
]
VERBS = ["support", "offer", "include", "handle", "allow", "provide", "integrate", "sync", "limit", "charge"]
THINGS = [
    "discount",
    "trial",
    "seat",
    "agent",
    "ticket",
    "report",
    "dashboard",
    "language",
    "channel",
    "team",
    "contract",
    "renewal",
    "migration",
    "training",
    "onboarding",
    "uptime",
    "encryption",
    "retention",
]


def _question(rng: random.Random) -> str:
    words = rng.sample(TOPICS, 2) + rng.sample(VERBS, 1) + rng.sample(THINGS, rng.randint(1, 3))
    rng.shuffle(words)
    return "Do you " + " ".join(words) + "?"


def test_blocking_finds_every_pair_that_all_pairs_finds(tmp_path: Path) -> None:
    rng = random.Random(7)
    entries = []
    for i in range(400):
        question = _question(rng)
        entries.append({"id": f"q-{i}", "question": question, "answer": "Yes."})
        if i % 10 == 0:  # a planted rewording: same words in another order, one plural, a filler word
            words = question.rstrip("?").split()[2:]
            rng.shuffle(words)
            again = "Can you " + " ".join(words) + "s too?"
            entries.append({"id": f"q-{i}-again", "question": again, "answer": "Yes."})
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "all.yaml").write_text(
        yaml.safe_dump({"title": "All", "entries": entries}), encoding="utf-8"
    )
    base, problems = load_source(tmp_path)
    assert not problems
    items = phrasings(base)
    every = {
        (i, j)
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if fuzz.token_sort_ratio(items[i].words, items[j].words) >= THRESHOLD
    }
    assert len(every) >= 40
    assert every <= candidate_pairs(items)
    found = {p.message.split("'")[1] for p in duplicate_questions(base)}
    assert {f"q-{i}-again" for i in range(0, 400, 10)} <= found
