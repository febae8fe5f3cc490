"""The transformer's adapter: its gradients are right, it teaches a site's phrasings to find their own entries,
the same site gives the same bytes, the browser moves a query exactly as numpy does, and `serve` keeps the
first one it trained."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from salesfaq import adapter, search
from salesfaq.plugin import SalesFaqPlugin

ENGINE = Path(search.__file__).parent / "assets" / "salesfaq-search.js"


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def example_rows(site: Path) -> tuple[np.ndarray, np.ndarray, adapter.Adapter]:
    """The example's transformer vectors, their entries and the adapter its build shipped."""
    meta = json.loads((site / search.INDEX_PATH).read_text(encoding="utf-8"))
    layout, n = meta["transformer"], meta["docs"]
    raw = (site / search.TRANSFORMER_VECTORS_PATH).read_bytes()
    size = layout["rows"] * layout["dims"]
    rows = np.frombuffer(raw, np.int8, size, n).reshape(layout["rows"], layout["dims"]) * layout["scale"]
    owners = np.repeat(np.arange(n), np.frombuffer(raw, np.uint8, n))
    assert layout["adapter"] == adapter.RANK
    floats = np.frombuffer(raw, "<f4", offset=n + size)
    assert len(floats) == 2 * layout["dims"] * adapter.RANK  # nothing else after the rows
    down, up = np.split(floats, 2)
    shipped = adapter.Adapter(down.reshape(layout["dims"], -1), up.reshape(-1, layout["dims"]))
    return _unit(rows.astype(np.float32)), owners, shipped


def test_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(1)
    rows = _unit(rng.standard_normal((12, 8)))
    column = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4])
    down, up = rng.standard_normal((8, 5)) * 0.1, rng.standard_normal((5, 8)) * 0.1
    args = (rows, rows, column, np.arange(12), column)
    _, grads = adapter.loss_and_gradients(down, up, *args)
    for matrix, grad in zip((down, up), grads, strict=True):
        for index in [(0, 0), (3, 2), (4, 1), (1, 4)]:
            old = matrix[index]
            matrix[index] = old + 1e-6
            above, _ = adapter.loss_and_gradients(down, up, *args)
            matrix[index] = old - 1e-6
            below, _ = adapter.loss_and_gradients(down, up, *args)
            matrix[index] = old
            assert (above - below) / 2e-6 == pytest.approx(grad[index], rel=1e-5, abs=1e-9)


def _found_first(rows: np.ndarray, owners: np.ndarray, queries: np.ndarray) -> float:
    """Share of rows (of entries with two or more) whose own entry ranks first among the others' when the
    row is left out, each entry scored as the engine does (rowSoftness)."""
    cosines = queries @ rows.T
    hits = []
    for i in range(len(rows)):
        if (owners == owners[i]).sum() < 2:
            continue
        score = []
        for entry in np.unique(owners):
            mine = [c for j, c in enumerate(cosines[i]) if owners[j] == entry and j != i]
            top = max(mine)
            score.append(top + 0.1 * np.log(np.mean(np.exp((np.array(mine) - top) / 0.1))))
        hits.append(np.unique(owners)[int(np.argmax(score))] == owners[i])
    return float(np.mean(hits))


def test_the_example_build_ships_an_adapter_that_teaches_its_phrasings(example_site: Path) -> None:
    rows, owners, shipped = example_rows(example_site)
    before = _found_first(rows, owners, rows)
    after = _found_first(rows, owners, shipped.apply(rows))
    assert after > before + 0.05, (before, after)
    assert np.abs(shipped.apply(rows) - rows).max() < 0.5  # a correction, not a new space


def test_the_same_entries_give_the_same_bytes(example_site: Path) -> None:
    rows, owners, _ = example_rows(example_site)
    first, second = adapter.train(rows[:200], owners[:200]), adapter.train(rows[:200], owners[:200])
    assert first is not None and second is not None
    assert first.to_bytes() == second.to_bytes()


def test_nothing_to_learn_without_two_vectors_for_an_entry() -> None:
    rows = _unit(np.random.default_rng(0).standard_normal((4, 8)))
    assert adapter.train(rows, np.arange(4)) is None


def test_a_large_site_ranks_a_sample_of_entries_per_step(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past ENTRIES entries a step ranks the batch's own entries and a sample of the others; it still learns.
    monkeypatch.setattr(adapter, "ENTRIES", 8)
    monkeypatch.setattr(adapter, "BATCH", 16)
    rng = np.random.default_rng(2)
    centres = _unit(rng.standard_normal((40, 16)))
    owners = np.repeat(np.arange(40), 3)
    rows = _unit(centres[owners] + 0.9 * rng.standard_normal((120, 16)))
    tuned = adapter.train(rows, owners)
    assert tuned is not None and np.isfinite(tuned.down).all() and np.abs(tuned.up).max() > 0


def test_the_browser_moves_a_query_as_numpy_does(example_site: Path) -> None:
    _, _, shipped = example_rows(example_site)
    queries = _unit(np.random.default_rng(3).standard_normal((5, shipped.down.shape[0]))).astype(np.float32)
    node = shutil.which("node")
    assert node, "node runs the browser's half"
    script = (
        f"const e = require({json.dumps(str(ENGINE))});\n"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "const a = { rank: input.rank, down: Float32Array.from(input.down), up: Float32Array.from(input.up) };\n"
        "console.log(JSON.stringify(input.queries.map((q) => Array.from(e.adapt(Float32Array.from(q), a)))));"
    )
    payload = {
        "rank": adapter.RANK,
        "down": shipped.down.ravel().tolist(),
        "up": shipped.up.ravel().tolist(),
        "queries": queries.tolist(),
    }
    result = subprocess.run([node, "-e", script], input=json.dumps(payload), capture_output=True, text=True, check=True)
    assert np.abs(np.array(json.loads(result.stdout)) - shipped.apply(queries)).max() < 1e-5


def test_serve_keeps_the_first_adapter_it_trained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SALESFAQ_CACHE", str(tmp_path))
    trained: list[int] = []

    def train(rows: np.ndarray, owners: np.ndarray) -> adapter.Adapter:
        trained.append(len(rows))
        return adapter.Adapter(
            np.full((8, adapter.RANK), len(rows), np.float32), np.zeros((adapter.RANK, 8), np.float32)
        )

    monkeypatch.setattr(adapter, "train", train)
    plugin = SalesFaqPlugin()
    plugin.on_startup(command="serve", dirty=False)
    rows, owners = np.eye(8)[:4], np.array([0, 0, 1, 1])
    first = plugin._tune(rows, owners)
    assert plugin._tune(rows[:3], owners[:3]) is first and trained == [4]
    plugin.on_startup(command="build", dirty=False)
    assert plugin._tune(rows[:3], owners[:3]) is not None and trained == [4, 3]  # a build trains its own ...
    again = plugin._tune(rows, owners)  # ... unless these entries were trained before: read back
    assert again is not None and trained == [4, 3] and again.to_bytes() == first.to_bytes()


def _small_site(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    owners = np.repeat(np.arange(6), 2)
    return _unit(rng.standard_normal((12, 8))).astype(np.float32), owners


def test_a_kept_adapter_is_the_trained_one_byte_for_byte(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows, owners = _small_site(0)
    trained, fresh = adapter.train_kept(rows, owners, tmp_path), adapter.train(rows, owners)
    assert trained is not None and fresh is not None and trained.to_bytes() == fresh.to_bytes()

    def fail(rows: np.ndarray, owners: np.ndarray) -> None:
        raise AssertionError("trained again")

    monkeypatch.setattr(adapter, "train", fail)
    kept = adapter.train_kept(rows, owners.tolist(), tmp_path)  # the same entries, as a list: the same key
    assert kept is not None and kept.to_bytes() == trained.to_bytes()
    assert kept.down.shape == trained.down.shape and kept.down.dtype == np.float32
    with pytest.raises(AssertionError, match="trained again"):
        adapter.train_kept(rows[:, ::-1], owners, tmp_path)  # other vectors: another adapter
    with pytest.raises(AssertionError, match="trained again"):
        adapter.train_kept(rows, np.r_[owners[:-2], 6, 6], tmp_path)  # the same vectors, other entries


def test_a_torn_or_unwritable_cache_only_means_training(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows, owners = _small_site(1)
    expected = adapter.train(rows, owners)
    assert expected is not None
    adapter.train_kept(rows, owners, tmp_path)
    [kept] = tmp_path.glob("*.f32")
    kept.write_bytes(kept.read_bytes()[:100])  # a build killed while writing (or a disk full)
    again = adapter.train_kept(rows, owners, tmp_path)
    assert again is not None and again.to_bytes() == expected.to_bytes()
    assert kept.read_bytes() == expected.to_bytes()  # written again, whole
    with monkeypatch.context() as patched:  # read back where it cannot be marked as used (a read-only cache)

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError("read-only")

        patched.setattr(adapter.os, "utime", refuse)
        patched.setattr(adapter, "train", refuse)
        again = adapter.train_kept(rows, owners, tmp_path)
        assert again is not None and again.to_bytes() == expected.to_bytes()
    kept.unlink()
    with monkeypatch.context() as patched:  # a disk full while writing: nothing half-written is left

        def full(*args: object) -> None:
            raise OSError(28, "No space left on device")

        patched.setattr(adapter.os, "replace", full)
        unwritten = adapter.train_kept(rows, owners, tmp_path)
        assert unwritten is not None and unwritten.to_bytes() == expected.to_bytes()
    assert not list(tmp_path.iterdir())
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    unkept = adapter.train_kept(rows, owners, blocked)
    assert unkept is not None and unkept.to_bytes() == expected.to_bytes()


def test_only_the_most_recently_used_adapters_are_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(adapter, "KEPT", 3)
    monkeypatch.setattr(adapter, "STEPS", 2)
    sites = [_small_site(seed) for seed in range(5)]
    adapter.train_kept(*sites[0], tmp_path)
    [first] = tmp_path.glob("*.f32")
    for rows, owners in sites[1:3]:
        adapter.train_kept(rows, owners, tmp_path)
    past = first.stat().st_mtime - 60
    for file in tmp_path.glob("*.f32"):  # the first trained longest ago, the others a little later
        os.utime(file, (past, past + 10 * (file != first)))
    adapter.train_kept(*sites[0], tmp_path)  # read back: now the most recently used
    adapter.train_kept(*sites[3], tmp_path)
    adapter.train_kept(*sites[4], tmp_path)
    left = set(tmp_path.glob("*.f32"))
    assert len(left) == 3 and first in left and not list(tmp_path.glob("*.part"))
