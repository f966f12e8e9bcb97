"""Convert clinc150's single JSON document into JSON lines that `vocmine ingest` streams.

    python docs/examples/clinc150_to_jsonl.py ../shared/data/clinc150/data_full.json /tmp/clinc150.jsonl

Each line: {"id": "train-1", "text": ..., "intent": ..., "split": "train"}. The id keeps
the split and position, so the conversion is stable and re-ingesting adds nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def convert(source: Path, target: Path) -> int:
    data = json.loads(source.read_text(encoding="utf-8"))
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for split in sorted(data):
            for position, (text, intent) in enumerate(data[split], start=1):
                out.write(json.dumps({"id": f"{split}-{position}", "text": text, "intent": intent,
                                      "split": split}, ensure_ascii=False) + "\n")
                written += 1
    return written


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "lines written")
