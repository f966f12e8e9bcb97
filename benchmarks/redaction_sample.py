"""Draw the rows to label for person names, and turn hand-marked names into offsets.

    python benchmarks/redaction_sample.py show uk_heldout2 [--data ../shared/data]
    python benchmarks/redaction_sample.py show zh
    python benchmarks/redaction_sample.py offsets MARKS.tsv SET

Why a script: a labelled sample is only blind if it is drawn before anyone looks at it, the same way
every time, from rows no other sample holds. ``show`` prints a sample's rows (id and text, to the
terminal only: shared-data text never goes into the repository). The labeller writes a scratch file
outside the repository, one line per row read: ``row_id<TAB>name<TAB>name...`` (the names exactly as
written; ``name#2`` for the second occurrence; a row id alone: nobody named), and ``offsets`` prints
the matching ``redaction_labels.csv`` lines (ids and offsets only).

Samples:
- ``uk_heldout2``: 150 rows of uareviews_dev.csv in no split of redaction_labels.csv (dev, heldout,
  addresses), the first 150 by sha256("heldout2:" + id).
- ``zh``: from each of waimai_10k.csv and ChnSentiCorp_htl_all.csv, the first 75 rows by
  sha256("zh20:" + id), plus every row where a common surname stands before a title or after 小/老
  (``TITLE_GREP``): names are too rare in random rows to measure recall on. Ids are
  ``<file stem>:<row number from 0>``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "redaction_labels.csv"
ZH_FILES = ("waimai_10k", "ChnSentiCorp_htl_all")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
             "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
TITLE_GREP = re.compile(rf"[{_SURNAMES}](?:先生|小姐|女士|经理|师傅|老师|总|主管|主任|阿姨|大姐|大哥|店长|老板)"
                        rf"|[小老][{_SURNAMES}]")


def _order(key: str, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda i: hashlib.sha256(f"{key}:{i}".encode()).hexdigest())


def labelled_ids(labels: Path = LABELS) -> set[tuple[str, str]]:
    with labels.open(encoding="utf-8", newline="") as f:
        return {(r["dataset"], r["row_id"]) for r in csv.DictReader(line for line in f if not line.startswith("#"))}


def uk_texts(data: Path) -> dict[str, str]:
    with (data / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
        return {r["id"]: r["text"] or "" for r in csv.DictReader(f)}


def zh_texts(data: Path) -> dict[str, str]:
    texts = {}
    for stem in ZH_FILES:
        with (data / "zh_reviews" / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
            texts |= {f"{stem}:{i}": r["review"] or "" for i, r in enumerate(csv.DictReader(f))}
    return texts


def uk_heldout2(data: Path, n: int = 150) -> list[str]:
    """Row ids of the second held-out Ukrainian sample: rows no earlier split holds."""
    taken = {row_id for dataset, row_id in labelled_ids() if dataset == "uk_reviews"}
    return _order("heldout2", [i for i in uk_texts(data) if i not in taken])[:n]


def zh_sample(data: Path, n_per_file: int = 75) -> list[str]:
    """Random rows of each Chinese file plus every row the title grep finds, in file order."""
    texts = zh_texts(data)
    chosen = set()
    for stem in ZH_FILES:
        chosen |= set(_order("zh20", [i for i in texts if i.startswith(stem + ":")])[:n_per_file])
    chosen |= {i for i, text in texts.items() if TITLE_GREP.search(text)}
    return sorted(chosen, key=lambda i: (i.split(":")[0], int(i.split(":")[1])))


SAMPLES = {"uk_heldout2": (uk_heldout2, uk_texts), "zh": (zh_sample, zh_texts)}


def offsets(marks: Path, texts: dict[str, str]) -> list[tuple[str, int, int]]:
    """(row id, start, end) per marked name; (row id, -1, -1) for a row naming nobody."""
    out = []
    for number, line in enumerate(marks.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row_id, *names = line.split("\t")
        text = texts[row_id]
        if not names:
            out.append((row_id, -1, -1))
        for name in names:
            name, _, nth = name.partition("#")
            starts = [m.start() for m in re.finditer(re.escape(name), text)]
            if len(starts) < int(nth or 1):
                sys.exit(f"{marks}:{number}: {name!r} occurs {len(starts)} times in {row_id}")
            start = starts[int(nth or 1) - 1]
            out.append((row_id, start, start + len(name)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("show", "offsets"))
    parser.add_argument("args", nargs="+", help="show: SAMPLE; offsets: MARKS.tsv SAMPLE")
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--dataset", help="dataset column of the printed label lines (default: by sample)")
    parser.add_argument("--split", default="heldout2", help="split column of the printed label lines")
    args = parser.parse_args()
    sample = args.args[-1]
    draw, read = SAMPLES[sample]
    texts = read(args.data)
    if args.action == "show":
        for row_id in draw(args.data):
            print(f"=== {row_id}\n{texts[row_id]}")
        return
    dataset = args.dataset or {"uk_heldout2": "uk_reviews", "zh": "zh_reviews"}[sample]
    for row_id, start, end in offsets(Path(args.args[0]), texts):
        print(f"{dataset},{args.split},{row_id},{'' if start < 0 else start},{'' if start < 0 else end},"
              f"{'' if start < 0 else 'PERSON'}")


if __name__ == "__main__":
    main()
