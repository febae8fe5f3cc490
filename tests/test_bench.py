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


@pytest.mark.browser
def test_transformer_speed_prints_the_transformer_beside_the_static_vectors(example_site: Path) -> None:
    result = bench("transformer_speed.py", "--site", str(example_site))
    assert result.returncode == 0, result.stderr
    header, *rows = table_rows(result.stdout)
    assert header == ["", "static token vectors (instant results)", "transformer", "transformer / static"]
    assert [row[0] for row in rows] == [
        "download, MB raw (gzip)",
        "fetch + read, ms (loopback, cold)",
        "per query, median, ms",
        "per query, 95th percentile, ms",
    ]
    for row in rows:
        assert re.fullmatch(r"[\d.]+( \([\d.]+\))?", row[1]) and re.fullmatch(r"[\d.]+x", row[3]), row


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


CLINC150_DOMAINS = {
    "banking": "freeze_account routing pin_change bill_due pay_bill account_blocked interest_rate min_payment "
    "bill_balance transfer order_checks balance spending_history transactions report_fraud",
    "credit_cards": "replacement_card_duration expiration_date damaged_card improve_credit_score report_lost_card "
    "card_declined credit_limit_change apr redeem_rewards credit_limit rewards_balance application_status "
    "credit_score new_card international_fees",
    "work": "pto_request_status next_holiday insurance_change insurance meeting_schedule payday taxes income "
    "rollover_401k pto_balance pto_request w2 schedule_meeting direct_deposit pto_used",
    "travel": "plug_type travel_notification translate flight_status international_visa timezone exchange_rate "
    "travel_suggestion travel_alert vaccines lost_luggage book_flight book_hotel carry_on car_rental",
    "auto_and_commute": "current_location oil_change_when oil_change_how uber traffic tire_pressure "
    "schedule_maintenance gas mpg distance directions last_maintenance gas_type tire_change jump_start",
}
"""CLINC150's intents of the five domains the development FAQ covers (clinc/oos-eval data/domains.json)."""


def test_the_development_faq_has_one_entry_per_intent_and_its_queries_run(tmp_path: Path) -> None:
    # Every intent of the five domains maps to exactly one entry (the label -> id rule of realqueries.py), and
    # the set runs end to end on queries written for this test (the real ones are not in the repository).
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import benchlib
        import realqueries
    finally:
        sys.path.remove(str(ROOT / "bench"))
    intents = [intent for names in CLINC150_DOMAINS.values() for intent in names.split()]
    ids = set(benchlib.entry_locations(realqueries.SETS["clinc150-dev"].folder / "faq_source").values())
    assert len(intents) == 75 and ids == {realqueries.entry_id(intent) for intent in intents}
    data = tmp_path / "val.csv"
    data.write_text("text,category\nHow do I freeze my account?,freeze_account\n", encoding="utf-8")
    result = bench("realqueries.py", "--set", "clinc150-dev", "--data", str(data))
    assert result.returncode == 0, result.stderr
    rows = {row[0]: row[1:] for row in table_rows(result.stdout)}
    assert rows["this site's search, instant (keywords + static vectors)"] == ["100.0%", "100.0%", "1.000", "1"]
    assert rows["this site's search, once the transformer has ranked again"] == ["100.0%", "100.0%", "1.000", "1"]
    missing = bench("realqueries.py", "--set", "clinc150-dev", "--data", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "clinc/oos-eval" in missing.stderr and "Traceback" not in missing.stderr


def test_real_query_eval_counts_ask_marketing_for_queries_with_no_answer(tmp_path: Path) -> None:
    # Queries written for this test: one asked as an entry's question (a good answer: no "Ask marketing"),
    # one about nothing in the FAQ (gibberish: "Ask marketing" first).
    data = tmp_path / "test.csv"
    data.write_text("text,category\nHow do I activate my card?,activate_my_card\n", encoding="utf-8")
    none = tmp_path / "oos.csv"
    none.write_text("text,category\nxqzv blorft wuggle,oos\n", encoding="utf-8")
    result = bench("realqueries.py", "--data", str(data), "--no-answer", str(none))
    assert result.returncode == 0, result.stderr
    rows = {row[0]: row[1:] for row in table_rows(result.stdout)}
    assert rows["queries the FAQ has no answer for"] == ["100.0%", "1"]
    assert rows["answerable, first result right"] == ["0.0%", "1"]
    assert rows["answerable, first result wrong"] == ["-", "0"]


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
        "--runs",
        "2",
        "--json",
        str(figures),
        "--keep",
        str(tmp_path / "work"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if re.match(r"\| \d", line)]
    assert [row.split("|")[1].strip() for row in rows] == ["60", "120"]
    per_run = re.findall(r"^- (\d+) entries: (\d+\.\d\d)x, (\d+\.\d\d)x$", result.stdout, re.M)
    assert [size for size, *_ in per_run] == ["60", "120"]  # medians of two runs, each run's ratio shown
    loop = r"edit loop at 60 entries, (.+?) \(save YAML.*: (?:\d+\.\d+ s, ){2}\d+\.\d+ s; median"
    loops = re.findall(loop, result.stdout)
    assert loops == ["mkdocs serve", "salesfaq serve (rebuilds changed pages only)"]
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert [size["entries"] for size in data["sizes"]] == [60, 120]
    assert all(size["build_cpu"] > 0 and size["floor_cpu"] > 0 and size["build_mb"] > 0 for size in data["sizes"])
    stages = re.findall(r"^\| ([a-zA-Z][^|]*?) \| \d+\.\d\d \(\d+\.\d%\) \| \d+\.\d\d \(", result.stdout, re.M)
    assert stages == [*data["sizes"][0]["stages"], "the generator without its search index"]
    assert "search index" in stages
    floor_search = (
        r"^\| for comparison: Material's search plugin in the floor \| \d+\.\d\d \(\d+\.\d% of the floor\) \|"
    )
    assert re.search(floor_search, result.stdout, re.M)
    for size in data["sizes"]:  # the stages add up to the generator's time (in each run; medians of two runs)
        assert len(size["ratios"]) == 2 and size["vs_floor"] == size["build_cpu"] / size["floor_cpu"]
        assert abs(sum(size["stages"].values()) - size["generator_cpu"]) < 1e-6
        assert all(seconds > 0 for name, seconds in size["stages"].items() if name != "the rest of the hooks")
        assert 0 < size["floor_search"] < size["floor_cpu"]
        without = (size["generator_cpu"] - size["stages"]["search index"]) / size["build_cpu"]
        assert size["without_search_share"] == without < size["generator_share"]
    assert [len(times) for times in data["edit_loop_s"].values()] == [3, 3]
    generated = sorted((tmp_path / "work" / "n120" / "project" / "faq_source" / "questions").glob("*.yaml"))
    assert len(generated) == 2  # about 50 entries per topic file


def test_example_bench_times_a_first_and_a_next_build() -> None:
    result = bench("example.py", "--runs", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    header, *rows = table_rows(result.stdout)
    assert header == ["build", "wall s", "CPU s", "peak MB", "wall / first build"]
    assert [row[0] for row in rows] == ["first build", "next builds"]
    for row in rows:
        assert all(re.fullmatch(r"\d+\.\d\d|\d+", cell) for cell in row[1:4]), row
    assert rows[0][4] == "1.00x" and re.fullmatch(r"\d+\.\d\dx", rows[1][4])
    assert re.search(r"^- next builds: \d+\.\d\d$", result.stdout, re.M)


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
