"""Search quality on real customer queries: this site's search beside stock Material search, same content.

Two sets, each an FAQ written from a data set's intent names only and that data set's real queries; each
query's expected answer is the entry written for its intent:

- banking77 (the test): bench/realqueries/, the 3,080 queries of BANKING77's test split (CC BY 4.0, PolyAI);
- clinc150-dev (for tuning): bench/devqueries/, CLINC150's validation queries of 75 intents in five domains
  (CC BY 3.0, Larson et al. 2019). Settings are chosen on this one, never on the test.

    python bench/realqueries.py                    # every BANKING77 test query
    python bench/realqueries.py --first 10         # the first 10 queries of each intent (770)
    python bench/realqueries.py --data test.csv    # a copy of the test split kept elsewhere
    python bench/realqueries.py --set clinc150-dev --sweep semanticWeight=1,1.5,2 allWords=0.25,0.5

For clinc150-dev it also reads CLINC150's out-of-scope validation queries (oos_val.csv beside val.csv), which
no entry answers, and prints how often the site offers "Ask marketing" first for them and for answerable ones.

`--sweep` ranks with every combination of the given engine settings (assets/salesfaq-search.js TUNING) and
prints one row each, this site's search only. Neither data set is in this repository and no package registry
reachable here ships them, so the script reads them from a cache folder ($SALESFAQ_CACHE, default
salesfaq/ in $XDG_CACHE_HOME or ~/.cache) and says where to get them when they are missing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import benchlib
from salesfaq import caching

CACHE = caching.cache_dir()
"""The same folder the transformer's vector cache uses."""
BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DataSet:
    folder: Path
    """The evaluation site: mkdocs.yml and faq_source/ with one entry per intent."""
    data: Path
    source: str
    """Where to get the CSV (columns text,category) when it is missing."""
    expected_queries: int
    title: str
    description: str
    no_answer: Path | None = None
    """Real queries the FAQ has no answer for (column text), if the data set has them: the site should offer
    "Ask marketing" first for those."""


SETS = {
    "banking77": DataSet(
        BENCH / "realqueries",
        CACHE / "banking77" / "test.csv",
        "banking_data/test.csv of the PolyAI-LDN/task-specific-datasets repository (CC BY 4.0)",
        3080,
        "Northwind Money Help",
        "real customer queries of the BANKING77 test split",
    ),
    "clinc150-dev": DataSet(
        BENCH / "devqueries",
        CACHE / "clinc150" / "val.csv",
        'the "val" pairs of 75 intents (see bench/devqueries/README.md) from data/data_small.json of the '
        "clinc/oos-eval repository (CC BY 3.0)",
        1500,
        "Contoso Help",
        "real user queries of CLINC150's validation split, five domains (the development set)",
        CACHE / "clinc150" / "oos_val.csv",
    ),
}
BANKING77 = SETS["banking77"]
TARGETS = {"top1": 0.75, "top3": 0.90}
INSTANT = "this site's search, instant (keywords + static vectors)"
SHIPPED = "this site's search, once the transformer has ranked again"
MEANING_ONLY = {"keywordWeight": 0, "minStandout": -1e9}
ABLATIONS: dict[str, tuple[dict[str, float] | None, bool]] = {
    INSTANT: (None, False),
    SHIPPED: (None, True),
    "  ablation: its keyword half only": ({"semanticWeight": 0}, False),
    "  ablation: its meaning half only (static vectors)": (MEANING_ONLY, False),
    "  ablation: the transformer alone": (MEANING_ONLY, True),
}
"""This site's engine as shipped: its instant results, then as the transformer ranks them again (on a site that
ships it), then each half alone: (the engine's own tuning switches, whether the transformer ranks)."""


def entry_id(intent: str) -> str:
    """The FAQ entry written for an intent name ('Refund_not_showing_up' -> 'refund-not-showing-up')."""
    return intent.strip().rstrip("?").lower().replace("_", "-")


def load_queries(path: Path) -> list[tuple[str, str]]:
    """(query, expected entry id) for every row of a CSV with columns text, category."""
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


def missing_data(path: Path, dataset: DataSet) -> SystemExit:
    return SystemExit(
        f"no data at {path}.\n"
        f"Put a copy of {dataset.source} there (columns: text,category; {dataset.expected_queries} rows), "
        "or pass --data.\nNo package on the registries this project reaches (PyPI, npm, Debian) ships it."
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def engines(dataset: DataSet, site: Path, stock_site: Path, queries: list[str]) -> dict[str, list[list[str]]]:
    """Ranked entry ids per query from every engine that can run here, keyed by its table label."""
    ranked: dict[str, list[list[str]]] = {}
    locations = benchlib.entry_locations(dataset.folder / "faq_source")
    started = time.perf_counter()
    ranked["stock Material search (lunr)"] = benchlib.stock_rank(stock_site, queries, locations)
    print(f"stock Material: {len(queries)} queries in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    try:
        from salesfaq import searchcheck
    except ImportError:
        print("salesfaq.searchcheck is not in this checkout: only stock Material is measured", file=sys.stderr)
        return ranked
    has_transformer = searchcheck.ships_transformer(site)
    for name, (tuning, deep) in ABLATIONS.items():
        if deep and not has_transformer:
            continue
        started = time.perf_counter()
        ranked[name] = searchcheck.rank(site, queries, limit=10, tuning=tuning, transformer=deep)
        print(f"{name}: {len(queries)} queries in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return ranked


def settings(sweep: list[str]) -> list[dict[str, float]]:
    """Every combination of `name=v1,v2,...` settings, in the order given."""
    axes = []
    for axis in sweep:
        name, _, values = axis.partition("=")
        if not name or not values:
            raise SystemExit(f"--sweep {axis!r}: write name=value[,value...], e.g. semanticWeight=0.5,1")
        try:
            axes.append([(name, float(value)) for value in values.split(",")])
        except ValueError:
            raise SystemExit(f"--sweep {axis!r}: values must be numbers") from None
    return [dict(combination) for combination in itertools.product(*axes)]


def swept(site: Path, queries: list[str], grid: list[dict[str, float]]) -> dict[str, list[list[str]]]:
    from salesfaq import searchcheck

    try:
        return {
            " ".join(f"{name}={value:g}" for name, value in tuning.items()): searchcheck.rank(
                site, queries, tuning=tuning
            )
            for tuning in grid
        }
    except searchcheck.SearchCheckError as error:
        raise SystemExit(f"--sweep: {error}") from None


def no_answer_shares(
    site: Path,
    queries: list[str],
    first: list[str | None],
    expected: list[str],
    unanswerable: list[str],
    tuning: dict[str, float] | None = None,
) -> list[tuple[str, list[bool]]]:
    """Whether the site offers "Ask marketing" first, by kind of query: those the FAQ cannot answer (it should),
    and answerable `queries` whose `first` result (as ranked already) is the `expected` one (it should not) or
    not. One run of the site's search for both kinds."""
    from salesfaq import searchcheck

    asks = [not good for good in searchcheck.good_answers(site, [*queries, *unanswerable], tuning=tuning)]
    answerable = list(zip(asks[: len(queries)], first, expected, strict=True))
    return [
        ("queries the FAQ has no answer for", asks[len(queries) :]),
        ("answerable, first result right", [ask for ask, top, want in answerable if top == want]),
        ("answerable, first result wrong", [ask for ask, top, want in answerable if top != want]),
    ]


def _share(asks: list[bool]) -> str:
    return f"{sum(asks) / len(asks):.1%}" if asks else "-"


def no_answer_table(
    site: Path, queries: list[str], first: list[str | None], expected: list[str], unanswerable: list[str]
) -> str:
    """How often the site offers "Ask marketing" first, by kind of query (`no_answer_shares`)."""
    lines = ['| queries | "Ask marketing" first | queries |', "|---|---|---|"]
    for label, asks in no_answer_shares(site, queries, first, expected, unanswerable):
        lines.append(f"| {label} | {_share(asks)} | {len(asks)} |")
    return "\n".join(lines)


def table(results: dict[str, benchlib.Scores]) -> str:
    lines = ["| engine (same content, same queries) | top-1 | top-3 | MRR | queries |", "|---|---|---|---|---|"]
    for name, scores in results.items():
        lines.append(f"| {name} | {scores.top1:.1%} | {scores.top3:.1%} | {scores.mrr:.3f} | {scores.count} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=SETS, default="banking77", help="which evaluation (default banking77)")
    parser.add_argument("--data", type=Path, help="the set's CSV (default: in the cache folder)")
    parser.add_argument("--first", type=int, help="only the first N queries of each intent, in file order")
    parser.add_argument("--sweep", nargs="+", metavar="NAME=V1,V2", help="engine settings to compare")
    parser.add_argument(
        "--no-answer", type=Path, help="real queries the FAQ has no answer for (default: the set's, if any)"
    )
    args = parser.parse_args(argv)
    dataset = SETS[args.set]
    data = args.data or dataset.data
    if not data.is_file():
        raise missing_data(data, dataset)
    grid = settings(args.sweep) if args.sweep else []

    rows = load_queries(data)
    faq_ids = set(benchlib.entry_locations(dataset.folder / "faq_source").values())
    unknown = Counter(expected for _, expected in rows if expected not in faq_ids)
    if unknown:
        raise SystemExit(f"{data}: intents with no FAQ entry: {', '.join(sorted(unknown))}")
    if len(rows) != dataset.expected_queries:
        print(f"note: {data} has {len(rows)} queries, the full set has {dataset.expected_queries}", file=sys.stderr)
    if args.first:
        rows = first_of_each(rows, args.first)
    queries = [query for query, _ in rows]
    expected = [want for _, want in rows]

    no_answer = args.no_answer or (None if args.data else dataset.no_answer)
    unanswerable = load_unanswerable(no_answer) if no_answer else []
    with tempfile.TemporaryDirectory(prefix="salesfaq-realqueries-") as work:
        site = Path(work) / "site"
        benchlib.run_mkdocs(dataset.folder, site)
        if grid:
            ranked = swept(site, queries, grid)
        else:
            stock = benchlib.write_stock_project(dataset.folder / "faq_source", Path(work) / "stock", dataset.title)
            benchlib.run_mkdocs(stock, stock / "site")
            ranked = engines(dataset, site, stock / "site", queries)
        asks = None
        if unanswerable and not grid:
            first = [ids[0] if ids else None for ids in ranked.get(SHIPPED, ranked[INSTANT])]
            asks = no_answer_table(site, queries, first, expected, unanswerable)
        elif unanswerable:  # each setting swept: its share of "Ask marketing" first, by kind of query
            lines = ['| setting | "Ask marketing" first: no answer / right first / wrong first |', "|---|---|"]
            for tuning, (name, ids) in zip(grid, ranked.items(), strict=True):
                first = [found[0] if found else None for found in ids]
                kinds = no_answer_shares(site, queries, first, expected, unanswerable, tuning)
                lines.append(f"| {name} | {' / '.join(_share(kind) for _, kind in kinds)} |")
            asks = "\n".join(lines)

    print(
        f"{len(queries)} {dataset.description} ({len(set(expected))} intents), "
        f"{len(faq_ids)} FAQ entries; data {data.name}, sha256 {sha256(data)[:16]}"
    )
    print()
    print(table({name: benchlib.score(ids, expected) for name, ids in ranked.items()}))
    print()
    print(f"targets: top-1 >= {TARGETS['top1']:.0%}, top-3 >= {TARGETS['top3']:.0%}")
    if asks:
        print()
        print(f"No dead ends: {len(unanswerable)} real queries the FAQ has no answer for, from {no_answer}")
        print()
        print(asks)
    return 0


def load_unanswerable(path: Path) -> list[str]:
    """The queries of a CSV with a text column; none when the file is not there (it is optional)."""
    if not path.is_file():
        print(f"note: no {path}: the no-answer figures are left out", file=sys.stderr)
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["text"].strip() for row in csv.DictReader(handle)]


if __name__ == "__main__":
    sys.exit(main())
