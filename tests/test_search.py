"""Search: the index search.py builds, the engine in assets/salesfaq-search.js reading it (run in Node, as
`salesfaq check-search` runs the built site's own search), and the check-search command."""

from __future__ import annotations

import base64
import json
import math
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from salesfaq import search, searchcheck, semantic, transformer
from salesfaq.cli import main
from salesfaq.loader import load_source
from salesfaq.pipeline import validate
from salesfaq.public import redact

ENGINE = Path(search.__file__).parent / "assets" / "salesfaq-search.js"

STEMS = [
    ("pricing", "pric"),
    ("price", "pric"),
    ("prices", "pric"),
    ("priced", "pric"),
    ("integration", "integrat"),
    ("integrations", "integrat"),
    ("integrate", "integrat"),
    ("integrating", "integrat"),
    ("running", "run"),
    ("billing", "bill"),
    ("agents", "agent"),
    ("policies", "policy"),
    ("boxes", "box"),
    ("cases", "case"),
    ("access", "access"),
    ("status", "status"),
    ("sso", "sso"),
    ("99", "99"),
    ("thing", "thing"),
]


def node_engine(script: str, payload: object) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; it runs the site's search outside the browser")
    program = (
        f"const engine = require({json.dumps(str(ENGINE))});\nconst input = JSON.parse(require('fs')"
        f".readFileSync(0, 'utf8'));\n{script}"
    )
    result = subprocess.run(
        [node, "-e", program], input=json.dumps(payload), capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


# --- words: the same rules on both sides ------------------------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_light_stemmer_conflates_forms_of_a_word(word: str, expected: str) -> None:
    assert search.stem(word) == expected


def test_javascript_words_stems_and_stop_words_match_python() -> None:
    texts = ["Do you support SAML single sign-on?", "Réglementation RGPD — données", "99.9% uptime, 24/7", ""]
    words = [w for w, _ in STEMS] + ["relay", "zendesk", "onboarding", "discounts", "cancelled", "quickstart"]
    out = node_engine(
        "console.log(JSON.stringify({words: input.texts.map(engine.words), stems: input.words.map(engine.stem),"
        " stop: Array.from(engine.STOP_WORDS).sort()}))",
        {"texts": texts, "words": words},
    )
    assert isinstance(out, dict)
    assert out["words"] == [search.words(t) for t in texts]
    assert out["stems"] == [search.stem(w) for w in words]
    assert out["stop"] == sorted(search.STOP_WORDS)


@settings(max_examples=5, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14), min_size=40, max_size=40))
def test_javascript_stems_any_word_like_python(words: list[str]) -> None:
    assert node_engine("console.log(JSON.stringify(input.map(engine.stem)))", words) == [search.stem(w) for w in words]


# --- the index ----------------------------------------------------------------------------------------------


def _doc(doc_id: str, title: str, text: str, also: list[str] | None = None) -> search.Document:
    fields = {"title": [title], "also_asked": also or [], "text": [text], "section": ["Pricing"]}
    return search.Document(
        doc_id, "questions/pricing.md", doc_id, title, f"About {title}", "Pricing", fields, phrasings=also or []
    )


def test_index_weights_the_question_above_the_answer_text() -> None:
    docs = [
        _doc("free-trial", "Is there a free trial?", "Yes, 14 days."),
        _doc("pilot", "Can we run a pilot?", "Longer than a trial, with an SE."),
    ]
    index = search.build(docs, lambda d: f"questions/pricing/#{d.anchor}", synonyms=[["SSO", "Single Sign-On"]])
    assert index.docs[0] == [
        "free-trial",
        "questions/pricing/#free-trial",
        "Is there a free trial?",
        "About Is there a free trial?",
        "Pricing",
    ]
    weights = dict(search.decode_postings(index.postings[search.stem("trial")]))
    assert set(weights) == {0, 1}
    assert weights[0] > weights[1]  # in the question of the first, only in the answer of the second
    assert index.words == sorted(index.words) and "the" not in index.words  # stop words are not indexed
    assert {search.stem(w) for w in index.words} == set(index.postings)
    assert index.meta["synonyms"] == [["sso", "single sign on"]]


def _postings_by_loop(counts, average):  # type: ignore[no-untyped-def]
    """BM25F postings the plain way, one (document, field, stem) at a time: what _postings must equal."""
    n = len(counts)
    df: Counter[str] = Counter()
    for per_field in counts:
        df.update({term for counter in per_field.values() for term in counter})
    idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, per_field in enumerate(counts):
        pseudo: dict[str, float] = {}
        for name, counter in per_field.items():
            norm = 1 - search.B + search.B * sum(counter.values()) / average[name]
            for term, tf in counter.items():
                pseudo[term] = pseudo.get(term, 0.0) + search.FIELD_WEIGHTS[name] * tf / norm
        for term, weighted in pseudo.items():
            postings[term].append((number, idf[term] * weighted * (search.K1 + 1) / (weighted + search.K1)))
    top = max((w for p in postings.values() for _, w in p), default=1.0)
    encoded = {}
    for term in sorted(postings):
        raw, previous = bytearray(), 0
        for number, weight in postings[term]:
            raw += search._varint(number - previous) + bytes([max(1, round(255 * weight / top))])
            previous = number
        encoded[term] = base64.b64encode(raw).decode("ascii")
    return encoded, top


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                name: st.dictionaries(st.sampled_from(["a", "b", "trial", "price", "z9", "é"]), st.integers(1, 9))
                for name in ("title", "text", "tags")
            }
        ),
        max_size=40,
    ),
    st.integers(0, 300),
)
def test_postings_are_the_bytes_a_plain_loop_makes(docs, gap: int) -> None:  # type: ignore[no-untyped-def]
    counts = [{} for _ in range(gap)] + [{k: Counter(v) for k, v in d.items()} for d in docs]  # gaps: long varints
    stems = [{k: list(counter.elements()) for k, counter in d.items()} for d in counts]  # as a field's text has them
    average = {name: 2.5 for name in ("title", "text", "tags")}
    assert search._postings(stems, average) == _postings_by_loop(counts, average)


def test_a_rebuild_that_remembers_field_words_makes_the_same_index() -> None:
    """Under serve, search.build reuses the last build's words of each unchanged field; the index is the
    same as a fresh build's, after an edit too."""
    first = [_doc("free-trial", "Is there a free trial?", "Yes, 14 days."), _doc("pilot", "A pilot?", "With an SE.")]
    edited = [first[0], _doc("pilot", "Can we run a paid pilot?", "With an SE, 30 days.")]
    remember: dict = {}  # type: ignore[type-arg]
    for docs in (first, edited):
        kept = search.build(docs, lambda d: d.page, remember=remember)
        fresh = search.build(docs, lambda d: d.page)
        assert (kept.postings, kept.words, kept.meta, kept.vectors) == (
            fresh.postings,
            fresh.words,
            fresh.meta,
            fresh.vectors,
        )
        assert {text for _, texts in remember for text in texts} >= {d.title for d in docs}
    assert ("title", ("A pilot?",)) not in remember  # what the last build no longer uses is let go


def test_every_document_has_vectors_and_each_vector_an_owner() -> None:
    docs = [_doc("a", "Is there a free trial?", "Yes.", ["can we test it first"]), _doc("b", "What does it cost?", "")]
    index = search.build(docs, lambda d: d.page)
    counts = index.vector_counts
    matrix = search.entry_vectors(index)
    assert matrix.shape == (sum(counts), semantic.load().dims)
    assert counts[0] == 3  # all of it, the question, the other phrasing
    assert counts[1] >= 1


def test_the_index_is_written_in_chunks_that_hold_every_word_and_stem(tmp_path: Path) -> None:
    texts = [
        f"Question {number} about {' '.join(f'word{number * 7 + k}' for k in range(40))}?" for number in range(300)
    ]
    docs = [_doc(f"d{number}", text, "An answer.") for number, text in enumerate(texts)]
    index = search.build(docs, lambda d: f"questions/pricing/#{d.anchor}")
    written = search.write(index, tmp_path)
    meta = json.loads((tmp_path / search.INDEX_PATH).read_text(encoding="utf-8"))
    chunks = [json.loads((tmp_path / f"search/salesfaq/t/{n}.json").read_text()) for n in range(len(meta["chunks"]))]
    assert len(chunks) > 1 and meta["chunks"] == sorted(meta["chunks"])
    assert all(len(json.dumps(c)) < 2 * search.CHUNK_BYTES for c in chunks)
    for number, chunk in enumerate(chunks):  # each key lies in its chunk's range
        upper = meta["chunks"][number + 1] if number + 1 < len(chunks) else "\uffff"
        keys = [w for w in chunk["w"].split("\n") if w] + list(chunk["p"])
        assert all(meta["chunks"][number] <= key < upper for key in keys)
    assert sorted(w for c in chunks for w in c["w"].split("\n") if w) == index.words
    assert {k: v for c in chunks for k, v in c["p"].items()} == index.postings
    assert search.read_docs(tmp_path) == index.docs
    assert meta["docs"] == 300 and len(written) == len(set(written))
    assert len(meta["version"]) == 12 and {c["v"] for c in chunks} == {meta["version"]}


def test_a_piece_of_another_build_is_refused_as_stale(tmp_path: Path) -> None:
    """The engine checks every piece against index.json's version: a mix of two builds (a stale index.json
    from a cache after a deploy) is an error the worker answers by reading index.json again."""
    docs = [_doc("free-trial", "Is there a free trial?", "Yes, 14 days."), _doc("pilot", "A pilot?", "With an SE.")]
    search.write(search.build(docs, lambda d: f"questions/pricing/#{d.anchor}"), tmp_path)
    meta = json.loads((tmp_path / search.INDEX_PATH).read_text(encoding="utf-8"))
    out = node_engine(
        """const fs = require("fs"), path = require("path");
const load = (p, kind) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(input.dir, p), "utf8")));
const run = (meta) => engine.create(meta, load).run("trial").then(
  (found) => found.results.map((r) => r.id), (error) => ({ stale: !!error.stale }));
Promise.all([run(input.meta), run({ ...input.meta, version: "0123456789ab" })])
  .then((both) => console.log(JSON.stringify(both)));""",
        {"dir": str(tmp_path / "search" / "salesfaq"), "meta": meta},
    )
    assert out == [["free-trial"], {"stale": True}]


def test_results_do_not_depend_on_how_the_index_is_cut(example_site: Path, tmp_path: Path) -> None:
    """The example's index cut as the site ships it and into pieces of a few words and three documents: the
    same queries (prefixes, typos needing words.txt, several-word synonyms) give the same ranking."""
    tests = searchcheck.load_tests(ROOT / "faq_source" / "search_tests.yaml")
    queries = [query for query, _ in tests] + [
        "pri",
        "single sign",
        "order form",
        "integraton",
        "pricng",
        "zendesk migra",
        "q",
    ]
    docs = search.read_docs(example_site)
    assert docs
    base, _ = validate(ROOT / "faq_source")
    locations = {doc[0]: doc[1] for doc in docs}
    index = search.build(
        search.documents(base),
        lambda d: locations[d.id],
        synonyms=base.site.synonyms,
        ask_url="https://x/issues",
        deep=transformer.load() if base.site.search.transformer else None,
    )
    ranked = []
    for name, sizes in (("shipped", {}), ("tiny", {"chunk_bytes": 200, "docs_per_chunk": 3})):
        site = tmp_path / name
        shutil.copytree(example_site / "assets", site / "assets")
        search.write(index, site, **sizes)
        ranked.append(searchcheck.rank(site, queries))
    assert len(list((tmp_path / "tiny" / "search" / "salesfaq" / "t").glob("*.json"))) > 50
    assert ranked[0] == ranked[1]
    assert ranked[0][: len(tests)] == searchcheck.rank(example_site, [query for query, _ in tests])


def test_a_public_index_leaves_internal_entries_out() -> None:
    base, _ = load_source(CASES / "valid" / "internal-content" / "faq_source")
    internal = {entry.id for entry, _, _ in base.entries() if entry.is_internal()}
    assert internal
    public_ids = {doc.id for doc in search.documents(redact(base), public=True)}
    all_ids = {doc.id for doc in search.documents(base)}
    assert internal <= all_ids
    assert not internal & public_ids


def test_ask_marketing_needs_a_repository() -> None:
    base, _ = validate(ROOT / "faq_source")
    assert search.ask_marketing_url(base.site) == f"{base.site.repo_url}/issues/new?template=ask-marketing.yml"
    assert search.ask_marketing_url(base.site.model_copy(update={"repo_url": None})) is None


# --- the engine on the example site, as the browser runs it ----------------------------------------------


def _indexed_words(entry_id: str) -> set[str]:
    base, _ = validate(ROOT / "faq_source")
    doc = next(d for d in search.documents(base) if d.id == entry_id)
    return {search.stem(w) for texts in doc.fields.values() for t in texts for w in search.words(t)}


@pytest.mark.parametrize(
    ("query", "expected", "how"),
    [
        ("free tri", "free-trial", "the last word completes as you type"),
        ("sandbx", "sandbox", "one letter missing"),
        ("okta", "sso-saml", "a word of the entry"),
    ],
)
def test_keyword_matching(example_site: Path, query: str, expected: str, how: str) -> None:
    assert searchcheck.rank(example_site, [query], 3)[0][0] == expected, how


def test_a_synonym_from_site_yaml_finds_an_entry_without_the_word(example_site: Path) -> None:
    assert "poc" not in _indexed_words("free-trial")
    keyword_only = searchcheck.rank(example_site, ["poc"], 3, tuning={"semanticWeight": 0}, transformer=False)
    assert keyword_only[0][0] == "free-trial"


def test_meaning_finds_an_entry_sharing_no_word_with_the_query(example_site: Path) -> None:
    query, expected = "going bankrupt", "vendor-too-small"  # "What if you disappear?"
    assert not {search.stem(w) for w in search.words(query)} & _indexed_words(expected)
    keyword_only = searchcheck.rank(example_site, [query], 50, tuning={"semanticWeight": 0}, transformer=False)[0]
    assert expected not in keyword_only
    assert expected in searchcheck.rank(example_site, [query], 3, transformer=False)[0]  # the instant results
    assert expected in searchcheck.rank(example_site, [query], 3)[0]  # and once the transformer has ranked them


SOFT_ROWS = """
// No keyword index; entry "twice" is close to the query in two of its phrasings, entry "once" a little
// closer in one phrasing and far in its other one, two more entries far in their only one.
const rows = [[0.80, 0.60, 0, 0], [0.79, 0, 0.613, 0], [0.82, 0, 0, 0.572], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
const bytes = new Uint8Array(4 + rows.length * 4);
bytes.set([2, 2, 1, 1]);
rows.flat().forEach((v, i) => { bytes[4 + i] = Math.round(v * 127) & 0xff; });
const meta = { docs: 4, chunks: [], docChunk: 32, version: "v", vectors: { dims: 4, scale: 1 / 127, rows: 6 } };
const docs = ["twice", "once", "far", "further"].map((id) => [id, "a/#" + id, id, "", "S"]);
const files = { "d/0.json": { v: "v", d: docs }, "words.txt": "" };
const load = (p) => Promise.resolve(files[p]);
const model = { dims: 4, embed: () => Float32Array.from([1, 0, 0, 0]), knows: () => true };
(async () => {
  const out = {};
  for (const softness of input) {
    const e = engine.create(meta, load, { rowSoftness: softness, minStandout: 0 });  // 4 entries: none stands out
    e.setVectors(model, bytes.buffer);
    const found = await e.run("whatever", 2);
    out[softness] = found.results.map((r) => [r.id, Math.round(r.cosine * 1000) / 1000]);
  }
  console.log(JSON.stringify(out));
})();
"""


def test_an_entry_close_in_several_phrasings_beats_one_close_in_a_single_one() -> None:
    # rowSoftness: an entry's score is the log-mean-exp of its vectors' cosines, the closest weighing most;
    # 0 is the closest alone. The cosine a result reports (what "Ask marketing" judges) stays the closest's.
    out = node_engine(SOFT_ROWS, [0, 0.1])
    assert isinstance(out, dict)
    assert [doc for doc, _ in out["0"]] == ["once", "twice"]  # 0.82 against 0.80
    assert [doc for doc, _ in out["0.1"]] == ["twice", "once"]  # its 0.79 counts, "once"'s 0 pulls it down
    assert (
        dict(out["0.1"])
        == dict(out["0"])
        == {"once": pytest.approx(0.819, abs=0.01), "twice": pytest.approx(0.8, abs=0.01)}
    )


SPREAD = """
// No keyword index; the query's closest entry "first" at cosine 0.9, then "near" 0.05 below it and "far" 0.3 below.
const rows = [[0.9, 0.436, 0, 0], [0.85, 0, 0.527, 0], [0.6, 0, 0, 0.8], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
const bytes = new Uint8Array(6 + rows.length * 4);
bytes.set([1, 1, 1, 1, 1, 1]);
rows.flat().forEach((v, i) => { bytes[6 + i] = Math.round(v * 127) & 0xff; });
const layout = { dims: 4, scale: 1 / 127, rows: 6, adapter: 0 };
const meta = { docs: 6, chunks: [], docChunk: 32, version: "v", vectors: layout, transformer: layout };
const docs = ["first", "near", "far", "x", "y", "z"].map((id) => [id, "a/#" + id, id, "", "S"]);
const files = { "d/0.json": { v: "v", d: docs }, "words.txt": "" };
const load = (p) => Promise.resolve(files[p]);
const model = { dims: 4, embed: () => Float32Array.from([1, 0, 0, 0]), knows: () => true };
(async () => {
  const out = {};
  for (const kind of ["static", "transformer"]) {
    const e = engine.create(meta, load, { minStandout: 0, rowSoftness: 0 });
    e.setVectors(model, bytes.buffer, kind);
    const found = await e.run("whatever", 3, kind === "transformer");
    out[kind] = Object.fromEntries(found.results.map((r) => [r.id, r.score / found.results[0].score]));
  }
  console.log(JSON.stringify(out));
})();
"""


def test_the_transformer_leaves_little_credit_to_an_entry_far_below_its_closest() -> None:
    # Meaning is added to the keyword half's scores as a share of the closest entry's. The static vectors'
    # cosines are all high, so their share is how far an entry stands out (a far one keeps much of it); the
    # transformer's cosines mean what they say, so its share falls off with how far below the closest an
    # entry is (transformerSpread): one 0.3 below keeps too little for a keyword match to lift it above.
    out = node_engine(SPREAD, None)
    assert isinstance(out, dict)
    static, transformer = out["static"], out["transformer"]
    assert list(static) == list(transformer) == ["first", "near", "far"]
    assert transformer["near"] == pytest.approx(math.exp(-0.05 / 0.15), abs=0.03)
    assert transformer["far"] == pytest.approx(math.exp(-0.3 / 0.15), abs=0.03) and transformer["far"] < 0.15
    assert static["far"] > 0.4


def test_the_meaning_half_weighs_as_much_of_the_query_as_the_vectors_know(example_site: Path) -> None:
    # Words the token vectors know whole (everyday words) give the meaning half its full weight; words they
    # cut into pieces (product names, codes, typos) give it only the floor, so keywords decide. Checked at
    # the two ends: a query of known words ranks the same whatever the floor, and with a floor of 0 a query
    # of unknown words ranks exactly as the keyword half alone.
    model = semantic.load()
    known, unknown = "cancel contract early", "chirpdesk zendsk"
    assert all(model.wordpiece(w) == [w] for w in search.words(known))
    assert not any(model.wordpiece(w) == [w] for w in search.words(unknown))

    def ranked(query: str, **tuning: float) -> list[str]:
        return searchcheck.rank(example_site, [query], 10, tuning=tuning, transformer=False)[0]

    assert ranked(known, meaningFloor=0) == ranked(known, meaningFloor=1)
    assert ranked(unknown, meaningFloor=0) == ranked(unknown, semanticWeight=0)
    assert ranked(unknown, meaningFloor=1) != ranked(unknown, semanticWeight=0)  # the floor is what changed it


def test_a_question_no_entry_answers_is_not_called_answered_for_a_shared_word(example_site: Path) -> None:
    # "time" matches entries about timelines well enough for the words-and-standout rule, but nothing is
    # close in meaning: the rep is offered "Ask marketing" first. A question an entry answers stays answered.
    off_topic, answered = "what time is it in tokyo", "is there a free trial"
    assert searchcheck.good_answers(example_site, [off_topic], tuning={"goodCosine": 0}, transformer=False) == [True]
    assert searchcheck.good_answers(example_site, [off_topic, answered], transformer=False) == [False, True]
    assert searchcheck.good_answers(example_site, [off_topic, answered]) == [False, True]  # the transformer too


def test_entries_of_one_page_rank_on_their_own(example_site: Path) -> None:
    ranked = searchcheck.rank(example_site, ["discount"], 5)[0]
    assert len(ranked) == 5 and len(set(ranked)) == 5
    same_page = {"discount-approval", "multi-year-discount", "nonprofit-discount"}  # all on pricing-and-plans
    assert len(same_page & set(ranked)) >= 2


def test_nothing_typed_finds_nothing(example_site: Path) -> None:
    assert searchcheck.rank(example_site, ["", "   ", "?!"], 5) == [[], [], []]


# --- salesfaq check-search ------------------------------------------------------------------------------------


def test_check_search_passes_on_the_example(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    total = len(validate(ROOT / "faq_source")[0].search_tests)
    for args, ranking in (([], "as the transformer ranks them"), (["--instant"], "the instant results")):
        result = CliRunner().invoke(main, ["check-search", "--site-dir", str(example_site), *args])
        assert result.exit_code == 0, result.output
        assert f"top-3  {total}/{total} (100.0%)" in result.output
        assert "MISS" not in result.output
        assert ranking in result.output


def test_check_search_fails_on_a_miss_and_names_it(example_site: Path, tmp_path: Path) -> None:
    tests = tmp_path / "search_tests.yaml"
    tests.write_text(
        "tests:\n  - query: free trial\n    expect: free-trial\n  - query: qqqq zzzz\n    expect: sandbox\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check-search", "-d", str(example_site), "--tests", str(tests)])
    assert result.exit_code == 1
    assert "top-1  1/2 (50.0%)" in result.output
    assert "MISS  'qqqq zzzz': expected sandbox (not in the first 10), first: " in result.output


def test_check_search_without_a_built_site_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["check-search", "-d", str(tmp_path / "site"), "--tests", str(ROOT / "faq_source" / "search_tests.yaml")]
    )
    assert result.exit_code == 2
    assert "build the site first" in result.output
