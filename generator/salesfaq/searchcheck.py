"""Search tests against the built site: the site's own search code and index, run in Node.

`rank` loads assets/salesfaq/salesfaq-search.js, salesfaq-semantic.js (and salesfaq-transformer.js with the
model, on a site that ships it) and the index and vectors from a built site into one Node process and answers
every query the way the search worker in the browser does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pydantic

from . import models, search

NODE_SCRIPT = r"""
const fs = require("fs"), path = require("path");
const site = process.argv[1];
const read = (p) => fs.readFileSync(path.join(site, p));
const bytes = (p) => { const b = read(p); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); };
const search = require(path.join(site, "assets/salesfaq/salesfaq-search.js"));
const semantic = require(path.join(site, "assets/salesfaq/salesfaq-semantic.js"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const INDEX = "search/salesfaq/";
const parse = { json: (p) => JSON.parse(read(p)), text: (p) => read(p).toString("utf8"), bytes };
const load = (p, kind) => Promise.resolve(parse[kind](INDEX + p));
const meta = JSON.parse(read(INDEX + "index.json"));
let engine;
try {
  engine = search.create(meta, load, input.tuning || undefined);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const tokens = "assets/salesfaq/vectors/";
engine.setVectors(semantic.create(read(tokens + "vocab.txt").toString("utf8"), bytes(tokens + "vectors.i8"),
  JSON.parse(read(tokens + "meta.json"))), bytes(INDEX + "vectors.i8"));
/* A site that ships the transformer: what a rep sees once it has ranked the results again. */
const model = "assets/salesfaq/transformer/";
const deep = !!meta.transformer && input.transformer !== false;
if (deep) {
  const transformer = require(path.join(site, "assets/salesfaq/salesfaq-transformer.js"));
  engine.setVectors(transformer.create(read(model + "vocab.txt").toString("utf8"), bytes(model + "model.i8"),
    JSON.parse(read(model + "model.json"))), bytes(INDEX + "transformer.i8"), "transformer");
}
(async () => {
  const out = [];
  for (const q of input.queries) {
    const found = await engine.run(q, input.limit, deep);
    out.push({ ids: found.results.map((r) => r.id), good: found.good });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
"""


class SearchCheckError(Exception):
    """The built site cannot be searched (not built, no search, no Node), or the tests cannot be read."""


def load_tests(file: Path) -> list[tuple[str, str]]:
    """(query, expected id) pairs of a search_tests.yaml file."""
    from .problems import Problems
    from .yamlload import load

    document, problems = load(file, str(file))
    if problems or document is None:
        raise SearchCheckError(Problems(problems).format() if problems else f"{file}: empty file")
    try:
        parsed = models.SearchTests.model_validate(document.data or {})
    except pydantic.ValidationError as error:
        raise SearchCheckError(f"{file}: not a search tests file: {error.errors()[0]['msg']}") from None
    return [(test.query, test.expect) for test in parsed.tests]


def _run(
    site_dir: Path, queries: Sequence[str], limit: int, tuning: dict[str, float] | None, transformer: bool = True
) -> list[dict]:  # type: ignore[type-arg]
    node = shutil.which("node")
    if node is None:
        raise SearchCheckError("node is not installed; install Node.js to run the site's search outside a browser")
    if not (site_dir / search.INDEX_PATH).exists():
        raise SearchCheckError(
            f"{site_dir}/{search.INDEX_PATH} not found: build the site first "
            "(mkdocs build) with the search plugin enabled"
        )
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(site_dir.resolve())],
        input=json.dumps({"queries": list(queries), "limit": limit, "tuning": tuning, "transformer": transformer}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SearchCheckError(f"the site's search failed in Node: {result.stderr.strip()}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def ships_transformer(site_dir: Path) -> bool:
    """Whether a built site's search ranks its results again with the transformer."""
    index = site_dir / search.INDEX_PATH
    return index.is_file() and "transformer" in json.loads(index.read_text(encoding="utf-8"))


def good_answers(
    site_dir: Path, queries: list[str], *, tuning: dict[str, float] | None = None, transformer: bool = True
) -> list[bool]:
    """Whether the site's search deems its first result a good answer to each query; when it does not, the
    search panel offers "Ask marketing" first."""
    return [bool(row["good"]) for row in _run(site_dir, queries, 1, tuning, transformer)]


def rank(
    site_dir: Path,
    queries: list[str],
    limit: int = 10,
    *,
    tuning: dict[str, float] | None = None,
    transformer: bool = True,
) -> list[list[str]]:
    """Ranked document ids (entry ids; `competitors/<key>`, `personas/<key>` for cards) for each query.

    Args:
        site_dir: a site built with the salesfaq plugin and Material's search plugin.
        queries: what reps type.
        limit: how many ids to return per query.
        tuning: overrides of the engine's TUNING constants (for experiments; the site uses the defaults).
        transformer: on a site that ships the transformer, rank as a rep sees once it has ranked again (the
            default) or as the instant results before it (False).
    """
    return [row["ids"] for row in _run(site_dir, queries, limit, tuning, transformer)]


@dataclass(frozen=True)
class Miss:
    query: str
    expected: str
    ranked: list[str]

    @property
    def rank(self) -> int | None:
        return self.ranked.index(self.expected) + 1 if self.expected in self.ranked else None


@dataclass(frozen=True)
class Report:
    total: int
    top1: int
    top3: int
    mrr: float
    misses: list[Miss]
    """Every query whose expected id is not first."""

    def table(self) -> str:
        def share(count: int) -> str:
            return f"{count}/{self.total} ({100 * count / self.total:.1f}%)" if self.total else "0/0"

        lines = [f"top-1  {share(self.top1)}", f"top-3  {share(self.top3)}", f"MRR    {self.mrr:.3f}"]
        for miss in self.misses:
            where = f"rank {miss.rank}" if miss.rank else "not in the first 10"
            first = miss.ranked[0] if miss.ranked else "nothing"
            mark = "MISS" if miss.rank is None or miss.rank > 3 else "top3"
            lines.append(f"{mark}  {miss.query!r}: expected {miss.expected} ({where}), first: {first}")
        return "\n".join(lines)


def evaluate(
    site_dir: Path,
    tests: Sequence[tuple[str, str]],
    *,
    limit: int = 10,
    tuning: dict[str, float] | None = None,
    transformer: bool = True,
) -> Report:
    """Top-1, top-3 and MRR of (query, expected id) pairs against the built site's search (on a site that ships
    the transformer, as it ranks them, or its instant results with `transformer` False)."""
    ranked = rank(site_dir, [query for query, _ in tests], limit, tuning=tuning, transformer=transformer)
    top1 = top3 = 0
    reciprocal = 0.0
    misses = []
    for (query, expected), ids in zip(tests, ranked, strict=True):
        position = ids.index(expected) + 1 if expected in ids else None
        top1 += position == 1
        top3 += position is not None and position <= 3
        reciprocal += 1 / position if position else 0.0
        if position != 1:
            misses.append(Miss(query, expected, ids))
    return Report(len(tests), top1, top3, reciprocal / len(tests) if tests else 0.0, misses)
