"""The transformer tuned to a site's own words, at build time: a low-rank map of the query's vector.

all-MiniLM-L6-v2 places sentences by general meaning; a site's entries differ in finer ways ("request time
off" against "status of my time-off request"). Every entry already says how it is asked, several times: its
question, its `also_asked` phrasings, its short answer. So each build teaches a small linear map, applied to
the query's vector only, that each of those vectors finds its own entry among all the others' (leave it out,
rank the entries as the browser does). The map is the identity plus a rank-RANK correction, kept small
(REGULARISATION) so that what the model knows is kept; numpy, no model runtime, seeded: a build is
reproducible. The browser (assets/salesfaq-search.js) applies it to the query's transformer vector before
ranking; how close an answer is ("Ask marketing") is still judged on the query's own vector.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import caching

RANK = 64
REGULARISATION = 0.03
"""Weight of the correction's squared size in the loss: chosen on the development set (bench/devqueries)."""
STEPS = 300
LEARNING_RATE = 0.01
BATCH = 512
"""Phrasings taught per step at most (all of them on a site of up to a hundred entries or so)."""
ENTRIES = 1024
"""Entries each step ranks at most (the batch's own and a sample of the others, on a larger site)."""
ROW_SOFTNESS = 0.1
"""An entry's score from its vectors' cosines, as the engine ranks (TUNING.rowSoftness)."""
SHARPNESS = 0.05
"""Temperature of the entries' scores in the loss."""
KEPT = 8
"""Trained adapters kept on disk (`train_kept`), the most recently used: a site's last builds and branches."""


@dataclass(frozen=True)
class Adapter:
    """query -> unit(query + query @ down @ up)."""

    down: np.ndarray
    """dims x RANK, float32."""
    up: np.ndarray
    """RANK x dims, float32."""

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        moved = vectors + (vectors @ self.down) @ self.up
        return (moved / np.linalg.norm(moved, axis=-1, keepdims=True)).astype(np.float32)

    def to_bytes(self) -> bytes:
        """down then up, float32 little-endian, row after row (what the browser reads)."""
        return self.down.astype("<f4").tobytes() + self.up.astype("<f4").tobytes()


def train(rows: np.ndarray, owners: np.ndarray, *, seed: int = 0) -> Adapter | None:
    """The map for entry vectors `rows` (unit length, grouped by entry: `owners` non-decreasing), or None when
    no entry has two vectors (nothing to learn from).

    Args:
        rows: the entries' transformer vectors, N x dims.
        owners: the entry of each row.
        seed: the random start and batches (fixed: the same site gives the same bytes).
    """
    rows = np.asarray(rows, dtype=np.float32)
    _, starts, sizes = np.unique(np.asarray(owners), return_index=True, return_counts=True)
    column = np.repeat(np.arange(len(sizes)), sizes)  # each row's entry, numbered among those with rows
    learners = np.flatnonzero(sizes[column] >= 2)  # a phrasing left out must leave its entry a vector
    if not len(learners):
        return None
    rng = np.random.default_rng(seed)
    dims = rows.shape[1]
    down = (rng.standard_normal((dims, RANK)) * 0.01).astype(np.float32)
    up = np.zeros((RANK, dims), dtype=np.float32)
    adam = _Adam([down, up])
    for _ in range(STEPS):
        batch = learners if len(learners) <= BATCH else np.sort(rng.choice(learners, BATCH, replace=False))
        if len(sizes) <= ENTRIES:
            rivals, taken = np.arange(len(sizes)), np.arange(len(rows))
        else:  # the batch's own entries and a sample of the others: a step costs the same at any size
            rivals = np.union1d(column[batch], rng.choice(len(sizes), ENTRIES, replace=False))
            taken = np.concatenate([np.arange(starts[e], starts[e] + sizes[e]) for e in rivals.tolist()])
        place = np.searchsorted(taken, batch)  # where each batch row is among the rows taken
        _, grads = loss_and_gradients(
            down,
            up,
            rows[batch],
            rows[taken],
            np.repeat(np.arange(len(rivals)), sizes[rivals]),
            place,
            np.searchsorted(rivals, column[batch]),
        )
        adam.step([down, up], grads)
    return Adapter(down, up)


@functools.cache
def _code() -> bytes:
    """This module's source, hashed: its settings and its training, which a kept adapter was trained with."""
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


def train_kept(rows: np.ndarray, owners: np.ndarray, folder: Path | None = None) -> Adapter | None:
    """`train`, kept on disk by what it learns from: the offline copy's build (the same entries, moments
    later), a build of unchanged entries and a restarted `serve` read it back instead of training again
    (about 2 s for the example, more on a large site).

    The file is named by the vectors, their entries, this module's source and numpy's version, so what is
    read back is what `train` gives here, byte for byte; a folder that cannot be read or written only means
    training. Only the KEPT most recently used are kept.

    Args:
        folder: where adapters are kept; by default `adapters/` in salesfaq's cache folder.
    """
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    owners = np.ascontiguousarray(owners, dtype=np.int64)
    folder = folder or caching.cache_dir() / "adapters"
    key = hashlib.sha256(_code() + np.__version__.encode() + repr(rows.shape).encode())
    key.update(rows.tobytes())
    key.update(owners.tobytes())
    file = folder / f"{key.hexdigest()[:40]}.f32"
    dims = rows.shape[1]
    raw = b""
    with contextlib.suppress(OSError):
        raw = file.read_bytes()
    if len(raw) == 2 * dims * RANK * 4:  # a torn file is trained again
        with contextlib.suppress(OSError):
            os.utime(file)  # used: kept longer than the others
        down, up = np.split(np.frombuffer(raw, "<f4").astype(np.float32), 2)
        return Adapter(down.reshape(dims, RANK), up.reshape(RANK, dims))
    tuned = train(rows, owners)
    if tuned is not None:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{file.name}.{os.getpid()}.part")
            try:
                partial.write_bytes(tuned.to_bytes())
                os.replace(partial, file)  # whole or not at all, for builds running at once
            finally:
                partial.unlink(missing_ok=True)  # left only when writing failed (a full disk)
            for old in sorted(folder.glob("*.f32"), key=lambda path: path.stat().st_mtime, reverse=True)[KEPT:]:
                old.unlink()
    return tuned


def loss_and_gradients(
    down: np.ndarray,
    up: np.ndarray,
    queries: np.ndarray,
    rows: np.ndarray,
    column: np.ndarray,
    itself: np.ndarray,
    own: np.ndarray,
) -> tuple[float, list[np.ndarray]]:
    """Mean cross-entropy of each query finding its own entry, plus the regulariser, and its gradients with
    respect to `down` and `up`.

    Args:
        queries: the phrasings taught, each one of `rows` (at `itself`), left out of its entry there.
        rows: the entries' vectors, grouped by entry; `column` numbers each row's entry from 0.
        own: each query's entry, as numbered in `column`.
    """
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    low = queries @ down
    moved = queries + low @ up
    length = np.linalg.norm(moved, axis=1, keepdims=True)
    unit = moved / length
    near = np.exp((unit @ rows.T - 1) / ROW_SOFTNESS)  # cosines <= 1: no overflow
    near[np.arange(len(queries)), itself] = 0
    per_entry = np.add.reduceat(near, starts, axis=1).astype(np.float64) + 1e-30
    logits = (ROW_SOFTNESS / SHARPNESS) * np.log(per_entry)
    logits -= logits.max(axis=1, keepdims=True)
    chance = np.exp(logits)
    chance /= chance.sum(axis=1, keepdims=True)
    picked = np.arange(len(queries))
    correction = down @ up
    loss = float(-np.log(chance[picked, own] + 1e-30).mean()) + REGULARISATION * float((correction**2).sum())
    chance[picked, own] -= 1
    d_entry = (chance * (ROW_SOFTNESS / SHARPNESS) / per_entry / len(queries)).astype(np.float32)
    d_cosine = d_entry[:, column] * near / ROW_SOFTNESS
    d_unit = d_cosine @ rows
    d_moved = (d_unit - unit * (d_unit * unit).sum(axis=1, keepdims=True)) / length
    d_down = queries.T @ (d_moved @ up.T) + 2 * REGULARISATION * correction @ up.T
    d_up = low.T @ d_moved + 2 * REGULARISATION * down.T @ correction
    return loss, [d_down, d_up]


class _Adam:
    """Adam with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8)."""

    def __init__(self, params: list[np.ndarray]) -> None:
        self.first = [np.zeros_like(p) for p in params]
        self.second = [np.zeros_like(p) for p in params]
        self.steps = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        self.steps += 1
        for param, grad, first, second in zip(params, grads, self.first, self.second, strict=True):
            first *= 0.9
            first += 0.1 * grad
            second *= 0.999
            second += 0.001 * grad * grad
            mean = first / (1 - 0.9**self.steps)
            spread = second / (1 - 0.999**self.steps)
            param -= LEARNING_RATE * mean / (np.sqrt(spread) + 1e-8)
