"""The search benchmarks run end to end and print their tables (figures only; no timing is asserted)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from salesfaq import search

ROOT = Path(__file__).resolve().parent.parent


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "generator")}
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def table_rows(output: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in output.splitlines()
        if line.startswith("|") and not line.startswith("|--") and not line.startswith("|:")
    ]


@pytest.mark.browser
def test_speed_bench_prints_both_engines_at_a_tiny_size() -> None:
    result = bench("search.py", "--sizes", "200", "--runs", "1")
    assert result.returncode == 0, result.stderr
    header, *rows = table_rows(result.stdout)
    assert header == ["entries", "measure", "this site", "stock Material", "stock / this"]
    measures = [row[1] for row in rows]
    assert measures == [
        "first result, cold (ms)",
        "same, from the first key (ms)",
        "first result, repeat visit (ms)",
        "per keystroke after (ms)",
        "fetched before first result",
        "same, gzipped",
        "responses before first result",
    ]
    for row in rows:
        assert row[0] == "200"
        for cell in row[2:4]:
            assert re.fullmatch(r"[\d,.]+( KB| MB)?", cell), row
        assert re.fullmatch(r"[\d.]+x", row[4]), row


def test_real_query_eval_ranks_with_stock_material(tmp_path: Path) -> None:
    # Queries written for this test (the real data set is not in the repository): asked exactly as an
    # entry's question, stock search must put that entry first.
    data = tmp_path / "test.csv"
    data.write_text(
        "text,category\n"
        "How do I activate my card?,activate_my_card\n"
        "How do I close my account?,terminate_account\n"
        "My refund is not showing in my account. Why?,Refund_not_showing_up\n",
        encoding="utf-8",
    )
    result = bench("realqueries.py", "--data", str(data))
    assert result.returncode == 0, result.stderr
    rows = {row[0]: row[1:] for row in table_rows(result.stdout)}
    assert rows["stock Material search (lunr)"] == ["100.0%", "100.0%", "1.000", "3"]


def test_real_query_sweep_prints_a_row_per_setting(tmp_path: Path) -> None:
    # One row per combination of the settings given, ranked by this site's engine: with the meaning half
    # off and the keyword half on, queries asked as the questions are written all come first.
    data = tmp_path / "test.csv"
    data.write_text(
        "text,category\nHow do I activate my card?,activate_my_card\nHow do I close my account?,terminate_account\n",
        encoding="utf-8",
    )
    result = bench("realqueries.py", "--data", str(data), "--sweep", "semanticWeight=0,0.75", "allWords=0.5")
    assert result.returncode == 0, result.stderr
    rows = {row[0]: row[1:] for row in table_rows(result.stdout)}
    assert list(rows) == [
        "engine (same content, same queries)",
        "semanticWeight=0 allWords=0.5",
        "semanticWeight=0.75 allWords=0.5",
    ]
    assert rows["semanticWeight=0 allWords=0.5"] == ["100.0%", "100.0%", "1.000", "2"]
    bad = bench("realqueries.py", "--data", str(data), "--sweep", "allWords")
    assert bad.returncode == 1 and "write name=value" in bad.stderr and "Traceback" not in bad.stderr
    typo = bench("realqueries.py", "--data", str(data), "--sweep", "semanticWieght=1")
    assert typo.returncode == 1 and "unknown search setting: semanticWieght" in typo.stderr
    assert "Traceback" not in typo.stderr and "    at " not in typo.stderr


def test_real_query_eval_says_where_to_get_missing_data(tmp_path: Path) -> None:
    result = bench("realqueries.py", "--data", str(tmp_path / "absent.csv"))
    assert result.returncode == 1
    assert "task-specific-datasets" in result.stderr and "absent.csv" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.browser
def test_build_bench_prints_the_table_and_the_edit_loop(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    result = bench(
        "build.py",
        "--sizes",
        "60",
        "120",
        "--edit-loop",
        "60",
        "--json",
        str(figures),
        "--keep",
        str(tmp_path / "work"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if re.match(r"\| \d", line)]
    assert [row.split("|")[1].strip() for row in rows] == ["60", "120"]
    loop = r"edit loop at 60 entries, (.+?) \(save YAML.*: (?:\d+\.\d+ s, ){2}\d+\.\d+ s; median"
    loops = re.findall(loop, result.stdout)
    assert loops == ["mkdocs serve", "salesfaq serve (rebuilds changed pages only)"]
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert [size["entries"] for size in data["sizes"]] == [60, 120]
    assert all(size["build_cpu"] > 0 and size["floor_cpu"] > 0 and size["build_mb"] > 0 for size in data["sizes"])
    stages = re.findall(r"^\| ([a-zA-Z][^|]*?) \| \d+\.\d\d \(\d+\.\d%\) \| \d+\.\d\d \(", result.stdout, re.M)
    assert stages == list(data["sizes"][0]["stages"]) and "search index" in stages
    for size in data["sizes"]:  # the stages add up to the generator's time
        assert abs(sum(size["stages"].values()) - size["generator_cpu"]) < 1e-6
        assert all(seconds > 0 for name, seconds in size["stages"].items() if name != "the rest of the hooks")
    assert [len(times) for times in data["edit_loop_s"].values()] == [3, 3]
    generated = sorted((tmp_path / "work" / "n120" / "project" / "faq_source" / "questions").glob("*.yaml"))
    assert len(generated) == 2  # about 50 entries per topic file


def test_transformer_bench_says_what_is_missing(tmp_path: Path) -> None:
    result = bench("transformer.py", "--model", str(tmp_path / "absent.onnx"))
    assert result.returncode == 1
    assert f"no model at {tmp_path / 'absent.onnx'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_transformer_bench_embeds_every_phrasing_of_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the transformer reads per entry, on the committed real-query FAQ: the question, each also_asked,
    # the short answer, and question + answer, each tagged with the entry's number in the built index.
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import benchlib
    import transformer
    import yaml

    site = tmp_path / "site"
    benchlib.run_mkdocs(ROOT / "bench" / "realqueries", site)
    texts = transformer.entry_texts(site)
    docs = search.read_docs(site)
    assert docs
    by_id: dict[str, list[str]] = {}
    for number, text in texts:
        by_id.setdefault(docs[number][0], []).append(text)
    entries = [
        entry
        for file in sorted((ROOT / "bench" / "realqueries" / "faq_source").rglob("*.yaml"))
        for entry in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("entries", [])
    ]
    assert len(entries) == 77 and set(by_id) == {entry["id"] for entry in entries}
    for entry in entries:
        got = by_id[entry["id"]]
        assert got[: 2 + len(entry["also_asked"])] == [entry["question"], *entry["also_asked"], entry["short_answer"]]
        assert got[-1].startswith(entry["question"] + " ") and len(got[-1]) > len(entry["question"]) + 20
