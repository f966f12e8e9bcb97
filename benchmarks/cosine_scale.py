"""What each cosine threshold in the settings becomes on each built-in model (vocmine.embed.scale).

    python benchmarks/cosine_scale.py [--models minilm e5 multilingual] [--table]

Embeds the reference phrases (vocmine/embed/scale_phrases.txt) with each model and prints the
cosines of their pairs at a few percentiles, then every threshold of the settings (the sections'
``COSINES``) as written (MiniLM's scale) and as the model reads it. ``--table`` prints MiniLM's
cosines at ``scale.LEVELS`` in the form ``vocmine/embed/scale.py`` ships them. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform

import numpy as np

from vocmine.config.analyst import AssumptionsConfig
from vocmine.config.journey import JourneyConfig
from vocmine.config.themes import ThemesConfig
from vocmine.embed import load_backend
from vocmine.embed.scale import LEVELS, CosineScale, pair_cosines, reference_phrases

SECTIONS = (("themes", ThemesConfig()), ("assumptions", AssumptionsConfig()), ("journey", JourneyConfig()))
SHOWN = (5, 25, 50, 75, 95, 99, 99.9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["minilm", "e5", "multilingual"])
    parser.add_argument("--table", action="store_true", help="print MiniLM's table for scale.py and stop")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    phrases = reference_phrases()
    if args.table:
        cosines = pair_cosines(load_backend("minilm").encode(phrases))
        for start in range(0, len(cosines), 8):
            print("    " + " ".join(f"{c:.6f}," for c in cosines[start:start + 8]))
        return
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(phrases)} reference phrases, {len(phrases) * (len(phrases) - 1) // 2} pairs")
    scales = {}
    for name in args.models:
        backend = load_backend(name)
        scales[name] = CosineScale(backend.name, tuple(pair_cosines(backend.encode(phrases))))
    print("\npercentile of pairs | " + " | ".join(args.models))
    for level in SHOWN:
        index = int(np.argmin(np.abs(LEVELS - level)))
        print(f"{level:>6} | " + " | ".join(f"{scales[m].cosines[index]:.3f}" for m in args.models))
    print("\nsetting | as written (MiniLM) | " + " | ".join(args.models))
    for section, config in SECTIONS:
        for field in getattr(type(config), "COSINES", ()):
            value = getattr(config, field)
            if value is None:
                continue
            print(f"{section}.{field} | {value} | " + " | ".join(f"{scales[m].threshold(value):.3f}" for m in args.models))


if __name__ == "__main__":
    main()
