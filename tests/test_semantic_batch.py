"""The batched embedding (every text at once, as the site build uses it) gives exactly, bit for bit, the
vectors of the one-text-at-a-time definition (`embed`, `embed_entry`), so batching changes no built file."""

from __future__ import annotations

import json

import numpy as np
from conftest import CASES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from salesfaq import search, semantic
from salesfaq.loader import load_source

GOLDEN = json.loads((semantic.VECTORS_DIR / "tokenize_golden.json").read_text(encoding="utf-8"))


def _one_at_a_time(docs: list[search.Document], model: semantic.TokenVectors) -> tuple[list[np.ndarray], list[int]]:
    """What search._vectors computes, written as the definition: one embed call per text."""
    rows, owners = [], []
    for number, doc in enumerate(docs):
        everything = [*doc.phrasings, *(t for name in ("tags", "text") for t in doc.fields.get(name, []))]
        for vector in [
            model.embed_entry(doc.title, everything),
            *(model.embed(t) for t in [doc.title, *doc.phrasings]),
        ]:
            if vector.any():
                rows.append(vector)
                owners.append(number)
    return rows, owners


def _same_bits(batched: np.ndarray, single: list[np.ndarray]) -> bool:
    return batched.dtype == np.float32 and batched.tobytes() == np.array(single, dtype=np.float32).tobytes()


def test_embed_many_is_embed_of_each_text_bit_for_bit() -> None:
    model = semantic.load()
    texts = [case["text"] for case in GOLDEN] + ["", "qqqqzzzzxxxx", "pricing " * 300, "Is there a free trial?"]
    assert _same_bits(model.embed_many(texts), [model.embed(t) for t in texts])
    assert model.embed_many([]).shape == (0, model.dims)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=12))
def test_embed_many_matches_embed_on_any_text(texts: list[str]) -> None:
    model = semantic.load()
    assert _same_bits(model.embed_many(texts).reshape(len(texts), model.dims), [model.embed(t) for t in texts] or [])


def test_index_vectors_are_the_one_at_a_time_vectors_bit_for_bit() -> None:
    model = semantic.load()
    for source in (ROOT / "faq_source", CASES / "valid" / "internal-content" / "faq_source"):
        base, _ = load_source(source)
        docs = search.documents(base)
        rows, owners = search._vectors(docs, model)
        expected_rows, expected_owners = _one_at_a_time(docs, model)
        assert owners == expected_owners and len(owners) > len(docs)
        assert _same_bits(np.array(rows, dtype=np.float32), expected_rows)


def test_remembering_vectors_embed_only_new_texts_and_give_the_same_bits(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = semantic.load()
    remembering = model.remembering()
    embedded: list[str] = []
    real = semantic.TokenVectors._embed_many

    def recording(self: semantic.TokenVectors, texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(semantic.TokenVectors, "_embed_many", recording)
    calls = [
        [case["text"] for case in GOLDEN[:20]],
        [case["text"] for case in GOLDEN[10:30]] + ["", "Is there a free trial?", "Is there a free trial?"],
        [],
        ["pricing " * 300, GOLDEN[0]["text"]],
    ]
    for texts in calls:
        last = set(remembering.recent or {})
        embedded.clear()
        assert _same_bits(
            remembering.embed_many(texts).reshape(len(texts), model.dims), [model.embed(t) for t in texts]
        )
        assert set(remembering.recent or {}) == set(texts), "it keeps exactly the last call's texts"
        assert embedded == list(dict.fromkeys(t for t in texts if t not in last)), "only new texts, each once"
    assert model.recent is None, "the shared vectors remember nothing"
    assert remembering.dims == model.dims and remembering.codes is model.codes
