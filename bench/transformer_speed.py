"""What the shipped transformer costs a rep, in headless Chromium: the example site (search: transformer: true),
served on loopback, its engine run in a page exactly as its search worker runs it.

Measured in one run, with the static token vectors (the instant results) as the baseline beside it:

- download: bytes of the model and entry vectors (raw, and gzipped as a host would serve them);
- start: fetching (loopback) and reading them, on a fresh browser profile;
- per query: the engine's whole run (keywords, the query's vector, fusion) for each of the example's search
  test queries, median and 95th percentile, with the static vectors and with the transformer.

    python bench/transformer_speed.py             # builds the example into a temporary folder
    python bench/transformer_speed.py --site site # an example site already built
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

import benchlib

ROOT = Path(__file__).resolve().parent.parent

PAGE_SCRIPT = """
async ([base, queries]) => {
  const get = (p) => fetch(base + p).then((r) => { if (!r.ok) throw new Error(p + ": " + r.status); return r; });
  const INDEX = "search/salesfaq/", TOKENS = "assets/salesfaq/vectors/", MODEL = "assets/salesfaq/transformer/";
  const meta = await (await get(INDEX + "index.json")).json();
  const engine = SalesfaqSearch.create(meta, (p, kind) => get(INDEX + p).then((r) =>
    kind === "json" ? r.json() : kind === "text" ? r.text() : r.arrayBuffer()));
  await engine.loadDocs();
  const time = async (work) => {
    const t = performance.now(); const out = await work(); return [performance.now() - t, out];
  };
  const [staticMs] = await time(async () => {
    const [vocab, bytes, tokens, entries] = await Promise.all([get(TOKENS + "vocab.txt").then((r) => r.text()),
      get(TOKENS + "vectors.i8").then((r) => r.arrayBuffer()), get(TOKENS + "meta.json").then((r) => r.json()),
      get(INDEX + "vectors.i8").then((r) => r.arrayBuffer())]);
    engine.setVectors(SalesfaqSemantic.create(vocab, bytes, tokens), entries);
  });
  const [transformerMs] = await time(async () => {
    const [vocab, bytes, model, entries] = await Promise.all([get(MODEL + "vocab.txt").then((r) => r.text()),
      get(MODEL + "model.i8").then((r) => r.arrayBuffer()), get(MODEL + "model.json").then((r) => r.json()),
      get(INDEX + "transformer.i8").then((r) => r.arrayBuffer())]);
    engine.setVectors(SalesfaqTransformer.create(vocab, bytes, model), entries, "transformer");
  });
  for (const q of queries.slice(0, 5)) {  // warm up the JIT, on other texts: the transformer keeps its last vectors
    await engine.run(q + " please", 10, false); await engine.run(q + " please", 10, true);
  }
  const perQuery = { static: [], transformer: [] };
  for (const q of queries) {
    perQuery.static.push((await time(() => engine.run(q, 10, false)))[0]);
    perQuery.transformer.push((await time(() => engine.run(q, 10, true)))[0]);
  }
  return { start: { static: staticMs, transformer: transformerMs }, perQuery };
}
"""

FILES = {
    "static": ["assets/salesfaq/vectors/vocab.txt", "assets/salesfaq/vectors/vectors.i8",
               "assets/salesfaq/vectors/meta.json", "search/salesfaq/vectors.i8"],
    "transformer": ["assets/salesfaq/transformer/vocab.txt", "assets/salesfaq/transformer/model.i8",
                    "assets/salesfaq/transformer/model.json", "search/salesfaq/transformer.i8"],
}  # fmt: skip


def sizes(site: Path, files: list[str]) -> tuple[int, int]:
    raw = [(site / path).read_bytes() for path in files]
    return sum(map(len, raw)), sum(len(gzip.compress(data, 6)) for data in raw)


def measure(site: Path, queries: list[str]) -> dict:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    with benchlib.serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=benchlib.chromium(), args=benchlib.CHROMIUM_FLAGS)
        try:
            page = browser.new_context().new_page()
            page.goto(url + "assets/salesfaq/iframe-worker.js")  # any page of the site: same origin, no search UI
            for script in ("salesfaq-search.js", "salesfaq-semantic.js", "salesfaq-transformer.js"):
                page.add_script_tag(url=url + "assets/salesfaq/" + script)
            return page.evaluate(PAGE_SCRIPT, [url, queries])  # type: ignore[no-any-return]
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="the example site, built (default: build it now)")
    args = parser.parse_args(argv)
    from salesfaq import searchcheck

    queries = [query for query, _ in searchcheck.load_tests(ROOT / "faq_source" / "search_tests.yaml")]
    with tempfile.TemporaryDirectory(prefix="salesfaq-transformer-speed-") as work:
        site = args.site or Path(work) / "site"
        if not args.site:
            benchlib.run_mkdocs(ROOT, site)
        if not (site / FILES["transformer"][1]).is_file():
            raise SystemExit(f"{site} ships no transformer: site.yaml needs search: transformer: true")
        result = measure(site, queries)
        download = {kind: sizes(site, files) for kind, files in FILES.items()}

    print(f"the example site, {len(queries)} queries (faq_source/search_tests.yaml), headless Chromium, loopback")
    print()
    print("| | static token vectors (instant results) | transformer | transformer / static |")
    print("|---|---:|---:|---:|")
    (static_raw, static_gz), (deep_raw, deep_gz) = download["static"], download["transformer"]
    print(f"| download, MB raw (gzip) | {static_raw / 1e6:.1f} ({static_gz / 1e6:.1f}) "
          f"| {deep_raw / 1e6:.1f} ({deep_gz / 1e6:.1f}) | {deep_gz / static_gz:.1f}x |")  # fmt: skip
    start = result["start"]
    print(f"| fetch + read, ms (loopback, cold) | {start['static']:.0f} | {start['transformer']:.0f} "
          f"| {start['transformer'] / start['static']:.1f}x |")  # fmt: skip
    for label, pick in (("median", statistics.median), ("95th percentile", _p95)):
        fast, slow = pick(result["perQuery"]["static"]), pick(result["perQuery"]["transformer"])
        print(f"| per query, {label}, ms | {fast:.1f} | {slow:.1f} | {slow / fast:.1f}x |")
    return 0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


if __name__ == "__main__":
    sys.exit(main())
