"""Semantic vectors without a model runtime: WordPiece tokens, mean of static token vectors, unit length.

The token vectors in `vectors/` were distilled once from all-MiniLM-L6-v2 (tools/distill_vectors.py). At
site build this module computes one vector per entry; in the browser assets/salesfaq-semantic.js computes
the query vector the same way (tests/test_semantic.py checks the two agree), and the cosine of the two
ranks entries by meaning, so "locate my card" finds "When will my card arrive?".
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

VECTORS_DIR = Path(__file__).resolve().parent / "vectors"

QUESTION_WEIGHT = 2.0
"""How much an entry's question counts against each other phrasing and the short answer."""


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


_ASCII_CONTROLS = {code: None for code in [*range(32), 127]} | {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_ASCII_WORD = re.compile(r"[^ !-/:-@\[-`{-~]+|[!-/:-@\[-`{-~]")
"""An ASCII run without spaces or punctuation, or one ASCII punctuation character (`_is_punctuation`)."""


def normalize(text: str) -> str:
    """BERT's normaliser: drop control characters, space out CJK, strip accents, lowercase."""
    if text.isascii():  # the common case, and the same result: no accents, no CJK, no other spaces
        return text.translate(_ASCII_CONTROLS).lower()
    out = []
    for char in text:
        code = ord(char)
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            out.append(" ")
        elif code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFD", "".join(out))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def pre_tokenize(text: str) -> list[str]:
    """Split on whitespace and make every punctuation character a word of its own."""
    if text.isascii() and text.isprintable():
        return _ASCII_WORD.findall(text)
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


@dataclass(frozen=True)
class TokenVectors:
    """The distilled vocabulary: token → row, and the rows as shipped (int8, one scale per dimension)."""

    index: dict[str, int]
    codes: np.ndarray
    """rows x dims, int8: a token's vector is its row times `scales`."""
    scales: np.ndarray
    """dims, float64."""
    unk_token: str = "[UNK]"
    max_chars: int = 100
    pieces: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    """WordPiece results by word: a site repeats its words thousands of times."""
    words: _Words | None = field(default=None, compare=False, repr=False)
    """Each word met so far: its known pieces' rows and their sum (filled as words are looked up)."""
    recent: dict[str, np.ndarray] | None = field(default=None, compare=False, repr=False)
    """Only in a copy made by `remembering`: each text's vector from the last `embed_many`."""

    def __post_init__(self) -> None:
        if self.words is None:
            object.__setattr__(self, "words", _Words(self))

    def remembering(self) -> TokenVectors:
        """These vectors, with `embed_many` embedding only the texts its last call did not have (the same
        vectors, bit for bit): a rebuild under `serve` after one saved file embeds that file's texts only."""
        return replace(self, recent={})

    @property
    def dims(self) -> int:
        return int(self.codes.shape[1])

    def wordpiece(self, word: str) -> list[str]:
        """Greedy longest-match-first WordPiece; a word with an unknown piece is one unknown token."""
        if len(word) > self.max_chars:
            return [self.unk_token]
        pieces: list[str] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece = None
            while start < end:
                candidate = word[start:end] if start == 0 else "##" + word[start:end]
                if candidate in self.index:
                    piece = candidate
                    break
                end -= 1
            if piece is None:
                return [self.unk_token]
            pieces.append(piece)
            start = end
        return pieces

    def tokenize(self, text: str) -> list[str]:
        """The tokens the distilled model sees for `text` (unknown ones included)."""
        tokens: list[str] = []
        for word in _split(text):
            pieces = self.pieces.get(word)
            if pieces is None:
                pieces = self.pieces[word] = self.wordpiece(word)
            tokens += pieces
        return tokens

    def embed(self, text: str) -> np.ndarray:
        """Unit-length mean of the known tokens' vectors; all zeros when no token is known.

        Computed as the browser does (assets/salesfaq-semantic.js): the int8 rows added as integers (exact, so
        in any order), divided by the count and scaled in float64, made unit length, then float32.
        """
        rows = [self.index[token] for token in self.tokenize(text) if token != self.unk_token]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        total = self.codes[rows].sum(axis=0, dtype=np.int64)
        return self._means(total[None, :], np.array([len(rows)]))[0]

    def _means(self, totals: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Unit-length float32 means from each row's integer sum of codes and how many rows it adds."""
        means = totals.astype(np.float64) / counts[:, None] * self.scales
        norms = np.sqrt(np.einsum("ij,ij->i", means, means))
        return (means / np.where(norms > 0, norms, 1.0)[:, None]).astype(np.float32)

    def rows(self, text: str) -> list[int]:
        """The matrix rows of the known tokens of `text`, in order (what `embed` averages)."""
        assert self.words is not None
        rows = self.words.rows
        return list(itertools.chain.from_iterable(rows[n] for n in map(self.words.__getitem__, _split(text))))

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """`embed` of every text at once (len(texts) x dims), bit for bit: integer sums are exact whatever
        the order they are added in, and what follows is done row by row."""
        if self.recent is None:
            return self._embed_many(texts)
        new = [text for text in dict.fromkeys(texts) if text not in self.recent]
        kept = {text: self.recent[text] for text in texts if text in self.recent}
        kept.update(zip(new, self._embed_many(new), strict=True))
        self.recent.clear()
        self.recent.update(kept)
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = kept[text]
        return out

    def _embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """The sums word by word (each distinct word's rows added once, as integers: the same sums)."""
        assert self.words is not None
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        number = self.words.__getitem__
        per_text = [list(map(number, _split(text))) for text in texts]  # numbers kept; each text's words are not
        lengths = np.array([len(numbers) for numbers in per_text], dtype=np.intp)
        flat = np.fromiter(itertools.chain.from_iterable(per_text), dtype=np.intp, count=int(lengths.sum()))
        if not len(flat):
            return out
        pieces = np.concatenate(([0], np.cumsum(np.asarray(self.words.sizes, dtype=np.intp)[flat])))
        ends = np.cumsum(lengths)
        counts = pieces[ends] - pieces[ends - lengths]  # each text's known tokens
        known = np.flatnonzero(counts)
        if not len(known):
            return out
        with_words = lengths > 0
        totals = np.zeros((len(texts), self.dims), dtype=np.int32)
        totals[with_words] = sums(self.words.sums(), flat, lengths[with_words], dtype=np.int32)
        out[known] = self._means(totals[known], counts[known])
        return out

    def embed_entry(self, question: str, others: Iterable[str] = ()) -> np.ndarray:
        """One vector per entry: the question (weighted) plus every other phrasing and the short answer."""
        total = QUESTION_WEIGHT * self.embed(question)
        for text in others:
            total = total + self.embed(text)
        return _unit(total)


_ASCII_TOKEN = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")
"""In lowercase ASCII text: a run of letters and digits, or one punctuation character; anything else (a space,
a tab, a line break) only separates them."""
_JOINING_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""ASCII control characters BERT's normaliser deletes (so the letters around one join); tabs and line breaks it
makes spaces."""


def _split(text: str) -> list[str]:
    """The words WordPiece splits further: BERT's normaliser, then whitespace and punctuation.

    ASCII text, nearly all of a site, in one pass: the same words as `pre_tokenize(normalize(text))`, without
    copying the text twice (the normaliser's only other change to it, tabs and line breaks to spaces, splits
    the same).
    """
    if text.isascii():
        if _JOINING_CONTROL.search(text):
            text = text.translate(_ASCII_CONTROLS)
        return _ASCII_TOKEN.findall(text.lower())
    return pre_tokenize(normalize(text))


class _Words(dict[str, int]):
    """TokenVectors.words: a number for each word, given the first time it is looked up, with the rows of its
    known pieces (`rows`), how many (`sizes`) and their sum as integers (`sums`) under that number."""

    def __init__(self, vectors: TokenVectors) -> None:
        super().__init__()
        self.vectors = vectors
        self.rows: list[list[int]] = []
        self.sizes: list[int] = []
        self._sums = np.zeros((0, vectors.dims), dtype=np.int32)

    def __missing__(self, word: str) -> int:
        vectors = self.vectors
        pieces = vectors.pieces.get(word)
        if pieces is None:
            pieces = vectors.pieces[word] = vectors.wordpiece(word)
        rows = [vectors.index[p] for p in pieces if p != vectors.unk_token]
        number = self[word] = len(self.rows)
        self.rows.append(rows)
        self.sizes.append(len(rows))
        return number

    def sums(self) -> np.ndarray:
        """Each word's sum of its rows (words x dims, int32), those of the words new since the last call
        added all at once."""
        done = len(self._sums)
        if done < len(self.rows):
            counts = np.asarray(self.sizes[done:], dtype=np.intp)
            flat = np.fromiter(itertools.chain.from_iterable(self.rows[done:]), dtype=np.intp, count=int(counts.sum()))
            self._sums = np.concatenate((self._sums, sums(self.vectors.codes, flat, counts, dtype=np.int32)))
        return self._sums


def _unit(vector: np.ndarray) -> np.ndarray:
    return unit_rows(np.asarray(vector, dtype=np.float32)[None, :])[0]


def sums(matrix: np.ndarray, rows: np.ndarray, counts: np.ndarray, dtype: type | None = None) -> np.ndarray:
    """Per run of `rows` (`counts` each, in order): the sum of those rows of `matrix`, added one after another
    (in `dtype`, by default the matrix's).

    That order is the one `ndarray.sum(axis=0)` and `a + b + ...` use, so the float32 results are the same
    bit for bit (`np.add.reduceat` adds in another order). One vector operation per position in the runs,
    and only the rows at that position gathered (never all of them at once: that is gigabytes at scale).
    """
    starts = (np.cumsum(counts) - counts).astype(np.intp)
    order = np.argsort(-counts, kind="stable")  # longest first: the runs still going are always a prefix
    ordered_starts, ordered_counts = starts[order], counts[order]
    total = np.zeros((len(counts), matrix.shape[1]), dtype=dtype or matrix.dtype)
    going = len(counts)
    for position in range(int(ordered_counts[0]) if going else 0):
        while ordered_counts[going - 1] <= position:
            going -= 1
        total[:going] += matrix[rows[ordered_starts[:going] + position]]
    out = np.empty_like(total)
    out[order] = total
    return out


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Every row scaled to unit length (all-zero rows stay zero), in float32. Each row's norm is its own sum
    of squares, the same however many rows come with it: `_unit` of one vector is this on one row."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    safe = np.where(norms > 0, norms, np.float32(1))
    return (matrix / safe[:, None]).astype(np.float32)


@functools.cache
def load(directory: Path = VECTORS_DIR) -> TokenVectors:
    """Read the shipped vocabulary and int8 vectors (cached: one load per process)."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    tokens = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")[: meta["rows"]]
    raw = np.frombuffer((directory / "vectors.i8").read_bytes(), dtype=np.int8)
    return TokenVectors(
        index={token: row for row, token in enumerate(tokens)},
        codes=raw.reshape(meta["rows"], meta["dims"]),
        scales=np.asarray(meta["scales"], dtype=np.float64),
        unk_token=meta["unk_token"],
        max_chars=meta["max_input_chars_per_word"],
    )


def quantize(vectors: Sequence[np.ndarray]) -> tuple[bytes, float]:
    """Unit vectors → int8 bytes (row-major) and the one scale that turns them back into floats."""
    if not vectors:
        return b"", 1.0
    stacked = np.vstack(vectors).astype(np.float32)
    scale = float(np.abs(stacked).max()) / 127.0 or 1.0
    return np.clip(np.rint(stacked / scale), -127, 127).astype(np.int8).tobytes(), scale
