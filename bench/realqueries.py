"""Search quality on real customer queries: this site's search beside stock Material search, same content.

The FAQ in bench/realqueries/faq_source/ was written from the 77 BANKING77 intent names only (see
bench/realqueries/README.md); the queries are BANKING77's test split (3,080 real customer queries,
CC BY 4.0, PolyAI). Each query's expected answer is the entry written for its intent.

    python bench/realqueries.py                    # every test query
    python bench/realqueries.py --first 10         # the first 10 queries of each intent (770)
    python bench/realqueries.py --data test.csv    # a copy of the test split kept elsewhere

The test split is not in this repository and no package registry reachable here ships it, so the script
reads it from a cache folder ($SALESFAQ_CACHE, default ~/.cache/salesfaq) and says where to get it when
it is missing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import benchlib

HERE = Path(__file__).resolve().parent / "realqueries"
SOURCE = HERE / "faq_source"
CACHE = Path(os.environ.get("SALESFAQ_CACHE", Path.home() / ".cache" / "salesfaq"))
DATA = CACHE / "banking77" / "test.csv"
DATA_SOURCE = "banking_data/test.csv of the PolyAI-LDN/task-specific-datasets repository (CC BY 4.0)"
EXPECTED_QUERIES = 3080
TARGETS = {"top1": 0.75, "top3": 0.90}
ABLATIONS: dict[str, dict[str, float] | None] = {
    "this site's search (keywords + meaning, fused)": None,
    "  ablation: its keyword half only": {"semanticWeight": 0},
    "  ablation: its meaning half only (static vectors)": {"keywordWeight": 0, "minCosine": -1},
}
"""This site's engine as shipped, then each half alone (the engine's own tuning switches)."""


def entry_id(intent: str) -> str:
    """The FAQ entry written for a BANKING77 intent name ('Refund_not_showing_up' -> 'refund-not-showing-up')."""
    return intent.strip().rstrip("?").lower().replace("_", "-")


def load_queries(path: Path) -> list[tuple[str, str]]:
    """(query, expected entry id) for every row of a BANKING77 CSV (columns text, category)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["text"].strip(), entry_id(row["category"])) for row in csv.DictReader(handle)]


def first_of_each(rows: list[tuple[str, str]], count: int) -> list[tuple[str, str]]:
    """The first `count` rows of each expected entry, in file order (a sample spread over every intent)."""
    taken: Counter[str] = Counter()
    kept = []
    for query, expected in rows:
        taken[expected] += 1
        if taken[expected] <= count:
            kept.append((query, expected))
    return kept


def missing_data(path: Path) -> SystemExit:
    return SystemExit(
        f"no BANKING77 test split at {path}.\n"
        f"Put a copy of {DATA_SOURCE} there (columns: text,category; {EXPECTED_QUERIES} rows), or pass --data.\n"
        "No package on the registries this project reaches (PyPI, npm, Debian) ships it."
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def engines(site: Path, stock_site: Path, queries: list[str]) -> dict[str, list[list[str]]]:
    """Ranked entry ids per query from every engine that can run here, keyed by its table label."""
    ranked: dict[str, list[list[str]]] = {}
    locations = benchlib.entry_locations(SOURCE)
    started = time.perf_counter()
    ranked["stock Material search (lunr)"] = benchlib.stock_rank(stock_site, queries, locations)
    print(f"stock Material: {len(queries)} queries in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    try:
        from salesfaq import searchcheck
    except ImportError:
        print("salesfaq.searchcheck is not in this checkout: only stock Material is measured", file=sys.stderr)
        return ranked
    for name, tuning in ABLATIONS.items():
        started = time.perf_counter()
        ranked[name] = searchcheck.rank(site, queries, limit=10, tuning=tuning)
        print(f"{name}: {len(queries)} queries in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return ranked


def table(results: dict[str, benchlib.Scores]) -> str:
    lines = ["| engine (same content, same queries) | top-1 | top-3 | MRR | queries |", "|---|---|---|---|---|"]
    for name, scores in results.items():
        lines.append(f"| {name} | {scores.top1:.1%} | {scores.top3:.1%} | {scores.mrr:.3f} | {scores.count} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help=f"BANKING77 test CSV (default {DATA})")
    parser.add_argument("--first", type=int, help="only the first N queries of each intent, in file order")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        raise missing_data(args.data)

    rows = load_queries(args.data)
    faq_ids = set(benchlib.entry_locations(SOURCE).values())
    unknown = Counter(expected for _, expected in rows if expected not in faq_ids)
    if unknown:
        raise SystemExit(f"{args.data}: intents with no FAQ entry: {', '.join(sorted(unknown))}")
    if len(rows) != EXPECTED_QUERIES:
        print(f"note: {args.data} has {len(rows)} queries, the full test split has {EXPECTED_QUERIES}", file=sys.stderr)
    if args.first:
        rows = first_of_each(rows, args.first)
    queries = [query for query, _ in rows]
    expected = [want for _, want in rows]

    with tempfile.TemporaryDirectory(prefix="salesfaq-realqueries-") as work:
        site = Path(work) / "site"
        benchlib.run_mkdocs(HERE, site)
        stock = benchlib.write_stock_project(SOURCE, Path(work) / "stock", "Northwind Money Help")
        benchlib.run_mkdocs(stock, stock / "site")
        ranked = engines(site, stock / "site", queries)

    print(
        f"{len(queries)} real customer queries of the BANKING77 test split ({len(set(expected))} intents), "
        f"{len(faq_ids)} FAQ entries; data {args.data.name}, sha256 {sha256(args.data)[:16]}"
    )
    print()
    print(table({name: benchlib.score(ids, expected) for name, ids in ranked.items()}))
    print()
    print(f"targets: top-1 >= {TARGETS['top1']:.0%}, top-3 >= {TARGETS['top3']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
