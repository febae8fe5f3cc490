"""Search speed in headless Chromium: this site's search beside stock Material search, same content, same run.

For each size it generates an answer base with realistic text (words drawn from an English vocabulary with
Zipf's law, 40-200-word answers, topic files of about 50 entries), builds it twice (with salesfaq, and as a
stock Material project whose only plugin is `search`), serves each on loopback and measures in Chromium:

- first result, cold: from navigation start, on a fresh browser profile (empty cache), typing the query's
  first word as soon as the page's HTML is parsed, until the first result is on screen; and the same
  counted from that first key (what the rep waits for once the page is there);
- first result, repeat visit: the same in the same profile after one earlier visit (what caching buys);
- per keystroke: typing the rest of the query one key at a time, from each key press to the updated result
  list on screen (median over all keys of all runs);
- bytes fetched before the first result (as served here, uncompressed, and what gzip would make of them).

    python bench/search.py                    # 1,000 and 10,000 entries
    python bench/search.py --sizes 1000       # one size
    python bench/search.py --sizes 200 --runs 2   # the smoke run the tests use

Figures are medians over --runs page loads, each with another query.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import benchlib
import yaml

VOCABULARY = benchlib.GENERATOR / "salesfaq" / "vectors" / "vocab.txt"
ENTRIES_PER_TOPIC = 50
KEY_TIMEOUT_MS = 5000
TODAY = time.strftime("%Y-%m-%d", time.gmtime())


# --- content ------------------------------------------------------------------------------------------


class Zipf:
    """Words of an English vocabulary, drawn with probability ~ 1/rank (the vocabulary is roughly in
    frequency order)."""

    def __init__(self, rng: random.Random, exponent: float = 1.0) -> None:
        lines = VOCABULARY.read_text(encoding="utf-8").split()
        self.words = [word for word in lines if word.isalpha() and word.isascii() and len(word) > 1]
        self.cumulative = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(self.words))))
        self.rng = rng

    def word(self) -> str:
        return self.words[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]

    def words_(self, count: int) -> list[str]:
        return [self.word() for _ in range(count)]

    def sentence(self, low: int, high: int) -> str:
        words = self.words_(self.rng.randint(low, high))
        return " ".join(words).capitalize()


def generate_source(entries: int, folder: Path, seed: int = 7) -> Path:
    """A faq_source/ of `entries` questions in topic files of ENTRIES_PER_TOPIC; returns the folder."""
    rng = random.Random(seed)
    text = Zipf(rng)
    questions = folder / "questions"
    questions.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(yaml.safe_dump({"title": f"Benchmark, {entries} answers"}), encoding="utf-8")
    made = 0
    topic = 0
    while made < entries:
        count = min(ENTRIES_PER_TOPIC, entries - made)
        items = []
        for number in range(made, made + count):
            answer_words = rng.randint(40, 200)
            paragraphs, left = [], answer_words
            while left > 0:
                size = min(left, rng.randint(25, 80))
                paragraphs.append(text.sentence(size, size) + ".")
                left -= size
            items.append(
                {
                    "id": f"{'-'.join(text.words_(2))}-{number}",
                    "question": text.sentence(5, 11) + "?",
                    "short_answer": text.sentence(10, 24) + ".",
                    "also_asked": [text.sentence(4, 9) + "?" for _ in range(rng.randint(0, 2))],
                    "answer": "\n\n".join(paragraphs) + "\n",
                    "tags": sorted(set(text.words_(rng.randint(1, 3)))),
                    "reviewed": TODAY,
                }
            )
        body = {"title": f"Topic {topic + 1}: {' '.join(text.words_(2))}", "entries": items}
        (questions / f"topic-{topic + 1:04d}.yaml").write_text(
            yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
        )
        made += count
        topic += 1
    return folder


def pick_queries(source: Path, runs: int, seed: int = 11) -> list[str]:
    """Two-word queries a rep could type: words of one entry's question, spread over the base."""
    rng = random.Random(seed)
    files = sorted((source / "questions").glob("*.yaml"))
    queries = []
    while len(queries) < runs:
        entry = rng.choice(yaml.safe_load(rng.choice(files).read_text(encoding="utf-8"))["entries"])
        words = [word.lower() for word in entry["question"].rstrip("?").split() if len(word) > 3]
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, 2)))
    return queries


# --- measuring ----------------------------------------------------------------------------------------

# Installed before any page script. Times each key press and the first frame after the result list shows
# results; once the page's scripts have set up (after DOMContentLoaded), types FIRST_WORD into the search
# box in one go, as a rep who starts typing straight away (in the page, so no automation delay is counted),
# and says so on the console when the first results are on screen.
PROBE = """
(() => {
  const probe = window.__probe = { keys: [], renders: [], typed: null };
  addEventListener("keydown", () => probe.keys.push(performance.now()), true);
  addEventListener("DOMContentLoaded", () => {
    const list = document.querySelector(".md-search-result__list");
    new MutationObserver(() => {
      if (!list.querySelector(".md-search-result__item")) return;
      requestAnimationFrame(() => {
        probe.renders.push(performance.now());
        if (probe.renders.length === 1) console.debug("__probe:rendered");
      });
    }).observe(list, { childList: true, subtree: true });
    setTimeout(() => {
      const input = document.querySelector("input.md-search__input");
      input.focus();
      probe.typed = performance.now();
      input.value = FIRST_WORD;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: FIRST_WORD.slice(-1) }));
    });
  });
})();
"""


@dataclass
class Load:
    first_ms: float
    after_key_ms: float
    fetched: int
    gzipped: int
    requests: int
    keys_ms: list[float] = field(default_factory=list)


def measure_load(context: Any, url: str, site: Path, query: str) -> Load:
    """One page load: type the first word at once, then the rest key by key; what it cost and how long."""
    page = context.new_page()
    finished: list[tuple[float, int, str]] = []

    def on_finished(request: Any) -> None:
        sizes = request.sizes()
        end = request.timing["startTime"] + request.timing["responseEnd"]
        finished.append((end, sizes["responseBodySize"] + sizes["responseHeadersSize"], request.url))

    page.on("requestfinished", on_finished)
    first_word, _, rest = query.partition(" ")
    page.add_init_script(PROBE.replace("FIRST_WORD", json.dumps(first_word)))
    # Told of the first results by a console message, not by polling the page: Playwright's first script in a
    # page (some 30 ms of compiling on the page's main thread) would land just when the page is busiest.
    with page.expect_console_message(lambda message: message.text == "__probe:rendered", timeout=120_000):
        page.goto(url, wait_until="domcontentloaded")
    origin, first, typed = page.evaluate("[performance.timeOrigin, window.__probe.renders[0], window.__probe.typed]")
    first_at = origin + first
    before = [(size, address) for end, size, address in finished if end <= first_at]
    fetched = sum(size for size, _ in before)
    gzipped = sum(_gzip_size(site, address, url) for _, address in before)

    keys = []
    for character in " " + rest:
        counts = page.evaluate("[window.__probe.keys.length, window.__probe.renders.length]")
        page.keyboard.press(character if character != " " else "Space")
        try:
            page.wait_for_function(
                f"window.__probe.renders.length > {counts[1]}", timeout=KEY_TIMEOUT_MS, polling="raf"
            )
        except Exception:  # the result list did not change for this key: nothing to time
            continue
        pressed, rendered = page.evaluate(
            f"[window.__probe.keys[{counts[0]}], window.__probe.renders[window.__probe.renders.length - 1]]"
        )
        keys.append(rendered - pressed)
    page.close()
    return Load(first, first - typed, fetched, gzipped, len(before), keys)


def _gzip_size(site: Path, address: str, base: str) -> int:
    relative = address.removeprefix(base).split("?")[0].split("#")[0]
    path = site / relative
    if path.is_dir() or not relative or relative.endswith("/"):
        path = path / "index.html"
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


@dataclass
class Figures:
    cold_ms: float
    cold_key_ms: float
    warm_ms: float
    key_ms: float
    fetched: int
    gzipped: int
    requests: int


def visit_twice(browser: Any, url: str, site: Path, query: str) -> tuple[Load, Load]:
    """A first visit on a fresh profile (empty cache), then a repeat visit in the same profile."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        return measure_load(context, url, site, query), measure_load(context, url, site, query)
    finally:
        context.close()


def summarize(visits: list[tuple[Load, Load]]) -> Figures:
    """Medians over the visits: first results (cold, repeat), every timed key, what cold loads fetched."""
    cold = [first for first, _ in visits]
    warm = [repeat for _, repeat in visits]
    keys = [key for load in cold + warm for key in load.keys_ms]
    return Figures(
        cold_ms=statistics.median(load.first_ms for load in cold),
        cold_key_ms=statistics.median(load.after_key_ms for load in cold),
        warm_ms=statistics.median(load.first_ms for load in warm),
        key_ms=statistics.median(keys) if keys else float("nan"),
        fetched=int(statistics.median(load.fetched for load in cold)),
        gzipped=int(statistics.median(load.gzipped for load in cold)),
        requests=int(statistics.median(load.requests for load in cold)),
    )


def measure_pair(browser: Any, ours: Path, stock: Path, queries: list[str]) -> tuple[Figures, Figures]:
    """Both sites with the same queries, taking turns (which goes first alternates), so that load from
    anything else on the machine falls on both alike."""
    visits: dict[Path, list[tuple[Load, Load]]] = {ours: [], stock: []}
    with benchlib.serve(ours) as ours_url, benchlib.serve(stock) as stock_url:
        urls = {ours: ours_url, stock: stock_url}
        for number, query in enumerate(queries):
            for site in (ours, stock) if number % 2 == 0 else (stock, ours):
                visits[site].append(visit_twice(browser, urls[site], site, query))
    return summarize(visits[ours]), summarize(visits[stock])


# --- report -------------------------------------------------------------------------------------------


def kb(size: float) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def ratio(ours: float, stock: float) -> str:
    return f"{stock / ours:.1f}x" if ours else "-"


def report(rows: list[tuple[int, Figures, Figures]]) -> str:
    header = "| entries | measure | this site | stock Material | stock / this |\n|---:|---|---:|---:|---:|"
    lines = [header]
    for size, ours, stock in rows:
        lines += [
            f"| {size:,} | first result, cold (ms) | {ours.cold_ms:.0f} | {stock.cold_ms:.0f} | "
            f"{ratio(ours.cold_ms, stock.cold_ms)} |",
            f"| {size:,} | same, from the first key (ms) | {ours.cold_key_ms:.0f} | {stock.cold_key_ms:.0f} | "
            f"{ratio(ours.cold_key_ms, stock.cold_key_ms)} |",
            f"| {size:,} | first result, repeat visit (ms) | {ours.warm_ms:.0f} | {stock.warm_ms:.0f} | "
            f"{ratio(ours.warm_ms, stock.warm_ms)} |",
            f"| {size:,} | per keystroke after (ms) | {ours.key_ms:.1f} | {stock.key_ms:.1f} | "
            f"{ratio(ours.key_ms, stock.key_ms)} |",
            f"| {size:,} | fetched before first result | {kb(ours.fetched)} | {kb(stock.fetched)} | "
            f"{ratio(ours.fetched, stock.fetched)} |",
            f"| {size:,} | same, gzipped | {kb(ours.gzipped)} | {kb(stock.gzipped)} | "
            f"{ratio(ours.gzipped, stock.gzipped)} |",
            f"| {size:,} | responses before first result | {ours.requests} | {stock.requests} | "
            f"{ratio(ours.requests, stock.requests)} |",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="entries per base")
    parser.add_argument("--runs", type=int, default=5, help="page loads (queries) per site")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="salesfaq-bench-") as temporary:
        work = args.keep or Path(temporary)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=benchlib.chromium(), args=benchlib.CHROMIUM_FLAGS)
            for size in args.sizes:
                base = work / f"{size}"
                source = generate_source(size, base / "faq_source")
                started = time.perf_counter()
                ours = base / "salesfaq" / "site"
                benchlib.run_mkdocs(benchlib.write_salesfaq_project(source, base / "salesfaq", "Bench"), ours)
                stock = base / "stock" / "site"
                benchlib.run_mkdocs(benchlib.write_stock_project(source, base / "stock", "Bench"), stock)
                print(f"{size} entries: built both sites in {time.perf_counter() - started:.0f} s", file=sys.stderr)
                queries = pick_queries(source, args.runs)
                rows.append((size, *measure_pair(browser, ours, stock, queries)))
            browser.close()
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
