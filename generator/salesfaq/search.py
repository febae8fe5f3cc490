"""The search index: one document per entry (and per battlecard and persona), built once at site build.

Keyword half: BM25F over the entry's fields, with precomputed per-term weights so the browser only adds
numbers. Semantic half: one int8 vector per document from the shipped static token vectors (semantic.py).
assets/salesfaq-search.js reads what this module writes; the same rules for words (normalise, stop words,
light stemming) exist in both and tests/test_search.py checks that they agree.
"""

from __future__ import annotations

import array
import base64
import functools
import hashlib
import itertools
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import adapter, caching, models, semantic, transformer
from .loader import KnowledgeBase

FORMAT = 2
SEARCH_DIR = "search/salesfaq/"
INDEX_PATH = SEARCH_DIR + "index.json"
WORDS_PATH = SEARCH_DIR + "words.txt"
DOCS_PATH = SEARCH_DIR + "docs.json"
VECTORS_PATH = SEARCH_DIR + "vectors.i8"
TOKEN_VECTORS_PATH = "assets/salesfaq/vectors/"
TRANSFORMER_VECTORS_PATH = SEARCH_DIR + "transformer.i8"
MODEL_PATH = "assets/salesfaq/transformer/"
"""Where the worker (assets/salesfaq-search-worker.js) looks for its data, relative to the site root."""
WORKER_SOURCES = (
    "salesfaq-search.js",
    "salesfaq-semantic.js",
    "salesfaq-transformer.js",
    "salesfaq-search-worker.js",
)
"""What the worker script is made of, in assets/: the engine, the query vectors, Material's protocol."""
CHUNK_BYTES = 16_384
"""About how much of the keyword index one fetch brings (Pagefind's chunks are of the same order)."""
DOCS_PER_CHUNK = 32
SUMMARY_CHARS = 220
"""A result shows this much of the short answer (assets/salesfaq-search.js cuts it to a word)."""
K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "also_asked": 2.0, "tags": 1.5, "short_answer": 1.0, "text": 0.6, "section": 0.3}
"""How much a word counts in each field (BM25F); the question and its other phrasings weigh most."""

_STOP_TEXT = (
    "a about after all also am an and any are as at be been being but by can could did do does doing for from"
    " get got had has have having he her here hers him his how i if in into is it its just let me my no nor not"
    " of off on once only or other our ours out over own same she should so some such than that the their"
    " theirs them then there these they this those through to too under until up very was we were what when"
    " where which while who whom why will with would you your yours u ur im ive dont pls please"
    " say says said saying thinks tells told asks asked asking"  # how reps frame a question: "customer says ..."
    " s t d m ll re ve don didn doesn isn aren wasn weren hasn haven hadn couldn shouldn wouldn mustn needn"
    # what is left of a contraction once the apostrophe splits it: "we're" -> "we" "re", "don't" -> "don" "t"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Words that carry no meaning for search; kept in sync with STOP_WORDS in assets/salesfaq-search.js."""

_WORD = re.compile(r"[a-z0-9]+")
_MARKDOWN_NOISE = re.compile(r"(?=[!\[<*_`#>|~])(?:!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[*_`#>|~]+)")
"""A link or image (its text kept), a tag, or a run of emphasis and other marks. The lookahead lets the
regex engine skip to a candidate character instead of trying every alternative at every position."""


def words(text: str) -> list[str]:
    """Lowercase, accent-free words and numbers of `text`."""
    if text.isascii():  # nothing to decompose: the same words, much faster
        return _WORD.findall(text.lower())
    decomposed = unicodedata.normalize("NFD", text.lower())
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _WORD.findall(plain)


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ation and a final e; never below three letters."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses") or word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and re.search("[aeiouy]", word[: -len(suffix)]):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("ation") and len(word) > 7:
        word = word[:-5] + "at"
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def markdown_text(text: str) -> str:
    """Markdown reduced to its words: link text kept, URLs, tags and emphasis marks dropped."""
    return _MARKDOWN_NOISE.sub(r" \1 ", text)  # a group that did not match is replaced by nothing


@dataclass
class Document:
    """One search result: an entry or a card, with its text by field."""

    id: str
    page: str
    """The generated page's path, e.g. questions/pricing-and-plans.md."""
    anchor: str | None
    title: str
    summary: str
    section: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    phrasings: list[str] = field(default_factory=list)
    """Other ways the document is asked or answered in one line (also_asked, short answer)."""


def documents(base: KnowledgeBase, *, public: bool = False) -> list[Document]:
    """Every entry in page order, then every battlecard and persona.

    Args:
        base: the knowledge base; for a public site, the redacted one (public.redact).
        public: leave out the entries a public site does not show.
    """
    docs = []
    for entry, topic, _ in base.entries():
        if public and entry.is_internal():
            continue
        body = [entry.body]
        if isinstance(entry, models.Objection):
            body += entry.ask + entry.proof
        if isinstance(entry, models.Differentiator):
            body += entry.proof + list(entry.versus.values())
        docs.append(
            Document(
                id=entry.id,
                page=f"{topic.kind}/{topic.key}.md",
                anchor=entry.id,
                title=entry.title,
                summary=entry.short_answer or "",
                section=topic.model.title,
                fields={
                    "title": [entry.title],
                    "also_asked": entry.also_asked,
                    "tags": entry.tags,
                    "short_answer": [entry.short_answer or ""],
                    "text": [markdown_text(t) for t in body],
                    "section": [topic.model.title],
                },
                phrasings=[*entry.also_asked, *([entry.short_answer] if entry.short_answer else [])],
            )
        )
    for kind, section in (("competitors", "Battlecard"), ("personas", "Persona")):
        for card in getattr(base, kind).values():
            model = card.model
            summary = getattr(model, "positioning", None) or model.summary or ""
            lists = [v for name, v in model.__dict__.items() if isinstance(v, list) and name != "links"]
            text = [model.summary or "", *(str(item) for values in lists for item in values if isinstance(item, str))]
            titles = getattr(model, "titles", [])
            docs.append(
                Document(
                    id=f"{kind}/{card.key}",
                    page=f"{kind}/{card.key}.md",
                    anchor=None,
                    title=model.name,
                    summary=markdown_text(summary).strip(),
                    section=section,
                    fields={
                        "title": [model.name, *titles],
                        "short_answer": [summary],
                        "text": [markdown_text(t) for t in text],
                        "section": [section],
                    },
                    phrasings=[*titles, markdown_text(summary)] if summary else list(titles),
                )
            )
    return docs


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


@dataclass
class SearchIndex:
    """What `build` computes and `write` lays out as files the browser fetches a piece at a time."""

    postings: dict[str, str]
    """Quantised BM25F weights of each stem: (document-number delta varint, weight byte) pairs, base64."""
    words: list[str]
    """Every indexed word as written (stems are computed in the browser), sorted: prefixes and typos."""
    docs: list[list[str]]
    """[id, location, title, summary, section] of each document, in tie-breaking order."""
    vectors: bytes
    """One byte per document (how many vectors it has), then the int8 vectors, in document order."""
    meta: dict[str, Any]
    """Everything else the browser needs before its first query (a few hundred bytes)."""
    transformer: transformer.Transformer | None = None
    transformer_vectors: bytes = b""
    """As `vectors`, from the transformer (when the site ships it), then its adapter's matrices (adapter.py)."""

    @property
    def vector_counts(self) -> list[int]:
        return list(self.vectors[: len(self.docs)])


def build(
    docs: list[Document],
    url: Callable[[Document], str],
    *,
    synonyms: Iterable[list[str]] = (),
    ask_url: str | None = None,
    vectors: semantic.TokenVectors | None = None,
    remember: dict[tuple[str, tuple[str, ...]], FieldWords] | None = None,
    deep: transformer.Transformer | None = None,
    tune: Callable[[np.ndarray, np.ndarray], adapter.Adapter | None] = adapter.train,
) -> SearchIndex:
    """The index: per-term BM25F weights (quantised, delta-coded), word list, documents, vectors.

    Args:
        docs: the documents, in the order results break ties.
        url: a document's link relative to the site root (page URL plus #anchor).
        synonyms: `site.yaml` synonym groups, expanded at query time.
        ask_url: the "Ask marketing" issue form URL without the question, or None to hide it.
        vectors: token vectors for the semantic half (the shipped ones by default).
        remember: under `serve`, a dict kept between builds: each field's words, so that a rebuild reads
            only the texts that changed (it keeps what this build used).
        deep: the transformer, when the site ships it (site.yaml `search: transformer: true`).
        tune: trains the transformer's adapter from the entries' vectors (adapter.train; under `serve`, the
            first build's adapter is kept: a few seconds saved on every save).
    """
    lengths: dict[str, list[int]] = defaultdict(list)
    fields: list[dict[str, tuple[str, ...]]] = []
    surface: set[str] = set()
    used: dict[tuple[str, tuple[str, ...]], FieldWords] = {}
    kept = remember or {}
    for doc in docs:
        per_field: dict[str, tuple[str, ...]] = {}
        for name, texts in doc.fields.items():
            key = (name, tuple(texts))
            field_words = used.get(key)
            if field_words is None:  # a field met before (a topic's title, a tag) adds no new word
                field_words = used[key] = kept.get(key) or _field_words(texts)
                surface |= field_words.surface
            per_field[name] = field_words.stems
            lengths[name].append(len(field_words.stems))
        fields.append(per_field)
    if remember is not None:
        remember.clear()
        remember.update(used)
    average = {name: (sum(values) / len(values)) or 1.0 for name, values in lengths.items()}
    encoded, top = _postings(fields, average)
    n = len(docs)
    model = vectors or semantic.load()
    raw_vectors, scale, rows = _packed(docs, _vectors(docs, model))
    meta = {
        "format": FORMAT,
        "docs": n,
        "scale": top / 255,
        "synonyms": [[" ".join(words(phrase)) for phrase in group] for group in synonyms],
        "ask": ask_url,
        "vectors": {"dims": model.dims, "scale": scale, "rows": rows},
    }
    deep_vectors = b""
    if deep is not None:
        entry_rows, owners = _transformer_vectors(docs, deep)
        deep_vectors, deep_scale, deep_rows = _packed(docs, (entry_rows, owners))
        tuned = tune(np.array(entry_rows), np.array(owners))  # None for a site with nothing to learn from
        deep_vectors += tuned.to_bytes() if tuned else b""
        meta["transformer"] = {
            "dims": transformer.HIDDEN, "scale": deep_scale, "rows": deep_rows, "model": deep.version,
            "adapter": adapter.RANK if tuned else 0,
        }  # fmt: skip
    return SearchIndex(
        postings=encoded,
        words=sorted(w for w in surface if stem(w) in encoded),
        docs=[[doc.id, url(doc), doc.title, _cut(doc.summary), doc.section] for doc in docs],
        vectors=raw_vectors,
        meta=meta,
        transformer=deep,
        transformer_vectors=deep_vectors,
    )


def _packed(docs: list[Document], vectors: tuple[list[np.ndarray], list[int]]) -> tuple[bytes, float, int]:
    """The shipped layout of entry vectors (one byte per document: how many it has; then the int8 rows), their
    scale and how many rows."""
    rows, owners = vectors
    raw, scale = semantic.quantize(rows)
    per_doc = Counter(owners)
    if any(count > 255 for count in per_doc.values()):
        raise ValueError("a document has more than 255 vectors")  # one per phrasing: never in practice
    return bytes(per_doc.get(number, 0) for number in range(len(docs))) + raw, scale, len(rows)


@dataclass(frozen=True)
class FieldWords:
    """The indexed words of one field's texts: the stem of each, in order, and the words as written."""

    stems: tuple[str, ...]
    surface: frozenset[str]


class _Stems(dict[str, str]):
    """Each word's stem, or "" for a stop word: a site repeats its words thousands of times."""

    def __missing__(self, word: str) -> str:
        value = self[word] = "" if word in STOP_WORDS else stem(word)
        return value


_STEMS = _Stems()


def _field_words(texts: Iterable[str]) -> FieldWords:
    tokens = list(itertools.chain.from_iterable(map(words, texts)))
    stems = list(map(_STEMS.__getitem__, tokens))  # "" for a stop word
    return FieldWords(tuple(filter(None, stems)), frozenset(itertools.compress(tokens, stems)))


def _postings(fields: Sequence[Mapping[str, Sequence[str]]], average: dict[str, float]) -> tuple[dict[str, str], float]:
    """Each stem's postings, base64 of (document-number delta as varint, weight quantised to a byte) pairs in
    document order, and the weight that 255 stands for, from each document's stems by field (in order,
    repeated as often as they occur). BM25F with numpy over every (document, field, stem) at once; the sums
    run in the same order as a loop over them would, so the bytes do not depend on it."""
    term_ids = _Numbering()
    terms = array.array("q")
    sizes: list[int] = []  # of each (document, field) with words, in order: how many words, its document,
    owners: list[int] = []  # the field's weight and the field's length norm
    scales: list[float] = []
    norms: list[float] = []
    for number, per_field in enumerate(fields):
        for name, stems in per_field.items():
            if not stems:
                continue
            terms.extend(map(term_ids.__getitem__, stems))
            sizes.append(len(stems))
            owners.append(number)
            scales.append(FIELD_WEIGHTS[name])
            norms.append(1 - B + B * len(stems) / average[name])
    if not terms:
        return {}, 1.0
    n, size = len(fields), len(term_ids)
    group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    pairs, tfs = np.unique(group * size + np.frombuffer(terms, dtype=np.int64), return_counts=True)
    group, term = pairs // size, pairs % size  # each (document, field, stem) once, in document and field order
    values = np.array(scales)[group] * tfs.astype(np.float64) / np.array(norms)[group]
    keys, slot = np.unique(np.array(owners, dtype=np.int64)[group] * size + term, return_inverse=True)
    weighted = np.bincount(slot, weights=values)  # per (document, stem): its fields' values, in field order
    doc, term = keys // size, keys % size
    df = np.bincount(term, minlength=size)
    idf = np.array([math.log(1 + (n - count + 0.5) / (count + 0.5)) for count in df.tolist()])
    weight = idf[term] * weighted * (K1 + 1) / (weighted + K1)
    top = float(weight.max())
    quantised = np.maximum(1, np.round(255 * weight / top)).astype(np.uint8)
    names = sorted(term_ids, key=term_ids.__getitem__)
    rank = np.empty(size, dtype=np.int64)
    rank[sorted(range(size), key=names.__getitem__)] = np.arange(size)
    order = np.lexsort((doc, rank[term]))
    doc, term, quantised = doc[order], term[order], quantised[order]
    first = np.ones(len(doc), dtype=bool)
    first[1:] = term[1:] != term[:-1]
    delta = np.where(first, doc, doc - np.concatenate(([0], doc[:-1])))
    length = 1 + (delta >= 1 << 7) + (delta >= 1 << 14) + (delta >= 1 << 21) + (delta >= 1 << 28)
    start = np.concatenate(([0], np.cumsum(length + 1)[:-1]))
    raw = np.empty(int((length + 1).sum()), dtype=np.uint8)
    for k in range(int(length.max())):
        has = length > k
        more = (length[has] - 1 > k).astype(np.int64) << 7
        raw[start[has] + k] = ((delta[has] >> (7 * k)) & 0x7F) | more
    raw[start + length] = quantised
    bounds = np.flatnonzero(first).tolist() + [len(doc)]
    ends = np.concatenate((start, [len(raw)])).tolist()
    data = raw.tobytes()
    encoded = {
        names[int(term[at])]: base64.b64encode(data[ends[at] : ends[after]]).decode("ascii")
        for at, after in itertools.pairwise(bounds)
    }
    return encoded, top


class _Numbering(dict[str, int]):
    """Numbers in order of first use: a new key gets the next one."""

    def __missing__(self, key: str) -> int:
        number = self[key] = len(self)
        return number


def _vectors(docs: list[Document], model: semantic.TokenVectors) -> tuple[list[np.ndarray], list[int]]:
    """Several vectors per document: all of it (question weighted), then each phrasing on its own.

    A query scores a document by its closest vector: a rep's words often match one phrasing (or the body)
    much better than their average does.
    """
    if not docs:
        return [], []
    alone = [[doc.title, *doc.phrasings] for doc in docs]
    together = [
        [*group, *doc.fields.get("tags", ()), *doc.fields.get("text", ())]
        for doc, group in zip(docs, alone, strict=True)
    ]
    texts = list(dict.fromkeys(itertools.chain.from_iterable(together)))  # each group starts with its `alone`
    embedded = model.embed_many(texts)
    row_of = {text: i for i, text in enumerate(texts)}
    # All of it, as embed_entry computes it: the question's vector (weighted) plus each other one, in order.
    weighted = semantic.QUESTION_WEIGHT * embedded[[row_of[doc.title] for doc in docs]]
    terms = np.concatenate([embedded, weighted])
    picks = [[len(texts) + number, *(row_of[t] for t in group[1:])] for number, group in enumerate(together)]
    counts = np.array([len(pick) for pick in picks], dtype=np.intp)
    flat = np.fromiter(itertools.chain.from_iterable(picks), dtype=np.intp)
    wholes = semantic.unit_rows(semantic.sums(terms, flat, counts))
    # Each document's rows in order: the whole, then each of `alone`; all-zero ones (no known token) left out.
    candidates = np.concatenate([wholes, embedded])
    chosen = [[number, *(len(docs) + row_of[t] for t in group)] for number, group in enumerate(alone)]
    picked = np.fromiter(itertools.chain.from_iterable(chosen), dtype=np.intp)
    owners = np.repeat(np.arange(len(docs)), [len(rows) for rows in chosen])
    known = np.asarray(candidates.any(axis=1))[picked]
    return list(candidates[picked[known]]), owners[known].tolist()


def _transformer_vectors(docs: list[Document], model: transformer.Transformer) -> tuple[list[np.ndarray], list[int]]:
    """The transformer's vectors of each document: the question and each phrasing on its own, then the
    question with its answer (the model reads its first transformer.MAX_TOKENS tokens)."""
    groups = [[doc.title, *doc.phrasings, " ".join([doc.title, *doc.fields.get("text", [])])] for doc in docs]
    texts = list(dict.fromkeys(text for group in groups for text in group if text.strip()))
    row_of = {text: row for row, text in enumerate(texts)}
    embedded = model.embed_many(texts, transformer.VectorCache(caching.cache_dir(), model.version))
    rows: list[np.ndarray] = []
    owners: list[int] = []
    for number, group in enumerate(groups):
        for text in dict.fromkeys(group):
            if text in row_of:
                rows.append(embedded[row_of[text]])
                owners.append(number)
    return rows, owners


def ask_marketing_url(site: models.Site) -> str | None:
    """The issue form a rep opens when no answer fits; the browser appends `&question=`."""
    if not site.repo_url:
        return None
    return f"{site.repo_url.rstrip('/')}/issues/new?template=ask-marketing.yml"


def decode_postings(encoded: str) -> list[tuple[int, int]]:
    """(document number, quantised weight) pairs of one term; the inverse of what `build` writes."""
    raw = base64.b64decode(encoded)
    out, number, i = [], 0, 0
    while i < len(raw):
        delta, shift = 0, 0
        while True:
            byte = raw[i]
            i += 1
            delta |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        number += delta
        out.append((number, raw[i]))
        i += 1
    return out


def entry_vectors(index: SearchIndex) -> np.ndarray:
    """The int8 document vectors as a rows x dims matrix."""
    meta = index.meta["vectors"]
    return np.frombuffer(index.vectors, dtype=np.int8, offset=len(index.docs)).reshape(meta["rows"], meta["dims"])


def write(
    index: SearchIndex,
    site_dir: Path,
    *,
    scripts: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
    docs_per_chunk: int = DOCS_PER_CHUNK,
) -> list[str]:
    """Lay the index out under `site_dir`/search/salesfaq/ in pieces the browser fetches as a query needs them:

    - `index.json`: the first key of each term chunk, the number of documents, synonyms (tiny);
    - `t/<n>.json`: term chunk n, about `chunk_bytes`: the words and the stems' postings from its first key to
      the next chunk's (words and stems sort together, so a word, its prefixes and its stem are mostly in one);
    - `d/<n>.json`: documents n * `docs_per_chunk` onwards, fetched for the results shown;
    - `docs.json`: all documents, fetched after the first result so later key presses wait for nothing;
    - `words.txt`: every word, fetched only to correct a typo;
    - `vectors.i8`: the entry vectors, fetched after the first result.

    With `scripts`, also each of them as a script (and the token vectors too) for the offline build, where a
    worker can load scripts but not fetch files. `chunk_bytes` and `docs_per_chunk` size the pieces.

    Returns:
        The paths written, relative to `site_dir`.
    """
    keys = sorted(set(index.words) | set(index.postings))
    words = set(index.words)
    chunks: list[dict[str, Any]] = []
    size = chunk_bytes
    for key in keys:
        if size >= chunk_bytes:
            chunks.append({"first": key, "w": [], "p": {}})
            size = 0
        if key in words:
            chunks[-1]["w"].append(key)
            size += len(key) + 1
        if key in index.postings:
            chunks[-1]["p"][key] = index.postings[key]
            size += len(key) + len(index.postings[key]) + 6
    bounds = [chunk.pop("first") for chunk in chunks]
    # The version names this build's index: the pieces are fetched as `?v=<version>` (cached for good) and
    # each JSON piece says which version it belongs to, so that a browser holding a stale index.json (a host
    # or CDN that keeps it a few minutes after a deploy) notices and reads it again (the search worker).
    digest = hashlib.sha1(usedforsecurity=False)
    for part in (index.words, index.postings, index.docs, index.meta, bounds, docs_per_chunk):
        digest.update(_json(part).encode("utf-8"))
    digest.update(index.vectors)
    digest.update(index.transformer_vectors)
    version = digest.hexdigest()[:12]
    files: dict[str, str | bytes] = {
        WORDS_PATH: "\n".join(index.words),
        VECTORS_PATH: index.vectors,
        DOCS_PATH: _json({"v": version, "d": index.docs}),
    }
    model_files: dict[str, str | bytes] = {}
    if index.transformer is not None:
        files[TRANSFORMER_VECTORS_PATH] = index.transformer_vectors
        weights, model_meta = index.transformer.shipped
        model_files = {
            MODEL_PATH + "model.i8": weights,
            MODEL_PATH + "model.json": _json(model_meta),
            MODEL_PATH + "vocab.txt": index.transformer.vocab,
        }
    for number, chunk in enumerate(chunks):
        files[f"{SEARCH_DIR}t/{number}.json"] = _json({"v": version, "w": "\n".join(chunk["w"]), "p": chunk["p"]})
    for number, start in enumerate(range(0, len(index.docs), docs_per_chunk)):
        files[f"{SEARCH_DIR}d/{number}.json"] = _json({"v": version, "d": index.docs[start : start + docs_per_chunk]})
    meta = {**index.meta, "version": version, "chunks": bounds, "docChunk": docs_per_chunk}
    files[INDEX_PATH] = _json(meta)
    if scripts:
        for path, content in list(files.items()):
            value = content if isinstance(content, str) else base64.b64encode(content).decode("ascii")
            files[path + ".js"] = _script(path, value)
        for name in ("meta.json", "vocab.txt", "vectors.i8"):
            path, raw = TOKEN_VECTORS_PATH + name, (semantic.VECTORS_DIR / name).read_bytes()
            text = raw.decode("utf-8") if not name.endswith(".i8") else base64.b64encode(raw).decode("ascii")
            files[path + ".js"] = _script(path, text)
        for path, content in model_files.items():
            value = content if isinstance(content, str) else base64.b64encode(content).decode("ascii")
            files[path + ".js"] = _script(path, value)
    files.update(model_files)
    for relative, content in files.items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return list(files)


def worker_script(assets: Path) -> str:
    """The search worker as one script (one fetch, nothing loaded after it but data)."""
    return "\n".join((assets / name).read_text(encoding="utf-8") for name in WORKER_SOURCES)


def read_docs(site_dir: Path) -> list[list[str]] | None:
    """The documents of a built site's index (None when it has none): what its results show."""
    meta_file = site_dir / INDEX_PATH
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    docs: list[list[str]] = []
    for number in range(-(-int(meta.get("docs", 0)) // int(meta.get("docChunk", DOCS_PER_CHUNK)))):
        docs += json.loads((site_dir / f"{SEARCH_DIR}d/{number}.json").read_text(encoding="utf-8"))["d"]
    return docs


def _cut(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS + 1]  # +1: the browser adds the "…"


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _script(path: str, value: str) -> str:
    """A data file as a script: the worker's loader reads the text (or base64 bytes) from self.__salesfaq."""
    return f"(self.__salesfaq = self.__salesfaq || {{}})[{json.dumps(path)}] = {_json(value)};\n"
