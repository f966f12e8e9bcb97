"""Boilerplate removal on labelled queries wrapped in letter and chat formulas.

    python benchmarks/boilerplate_eval.py [--sets banking77 clinc150] [--sizes 3000 10000]
    python benchmarks/boilerplate_eval.py --real      # detection on twcs and cfpb (no labels)
    python benchmarks/boilerplate_eval.py --before main  # also with the formulas shipped at a git ref

Each labelled query (banking77 train, clinc150 in-scope; a seeded sample of ``--sizes``) is
wrapped the way customers and agents write around what they have to say: a greeting before
(sometimes glued to the query: "Hi there, I lost my card"), a sign-off after, "Sent from my
iPhone", a ticket header, letter formulas ("Please treat this as a formal complaint"), chat
formulas; the wrappers are written here, varied, with names and numbers. The clean set is the
queries alone.

Every variant goes through vocmine's library as a store does (ingest, enrich with the
boilerplate pass, embed with MiniLM, theme refit):

- clean: the queries, boilerplate removal on (it should find ~nothing: false positives);
- wrapped: the wrapped texts, boilerplate removal on;
- wrapped, no removal: ``[nlp.boilerplate] enabled = false`` (the previous behaviour);
- vanilla BERTopic on the wrapped texts (``BERTopic()`` on MiniLM vectors of the whole texts);
- with ``--before REF``: clean and wrapped again, removal on with the formulas vocmine shipped at
  that git ref (``vocmine/nlp/boilerplate.toml`` then) instead of today's: a change of the
  formulas measured before and after in one run.

A feedback's theme is the theme of its longest themed segment (-1 when none); NMI against the
intent labels. Segments are scored against what was wrapped: a segment inside the query is
content, anything else a wrapper line; a flagged content segment is a false positive. The
largest 15 themes are checked for boilerplate: a theme whose segments are mostly wrapper lines.
Embeddings are cached in benchmarks/results/ (git-ignored). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import RESULTS, SHARED, load_set

from vocmine.config import NlpConfig, SourceConfig, ThemesConfig
from vocmine.embed import embed_segments, load_backend
from vocmine.ingest import ingest_files
from vocmine.nlp.enrich import Pipelines, enrich
from vocmine.store import connect
from vocmine.themes.registry import refit_themes

NAMES = ["Jane", "Tom", "Priya", "Marek", "Olena", "Sam", "Aisha", "Luis", "Grace", "Ben", "Chen", "Fatima"]
GREETINGS = ["Hi,", "Hello,", "Hi there,", "Dear Sir or Madam,", "Dear {name},", "Good morning,", "Hello team,",
             "Hey,", "To whom it may concern,", "Good afternoon,"]
GLUED = ["Hi there, ", "Hello, ", "Hi, ", "Dear Sir, ", "Hey team, "]  # greeting in the query's own sentence
LETTER = ["I am writing to make a formal complaint.", "Please treat this as a formal complaint.",
          "I am writing regarding my account.", "I wish to raise a complaint about your service."]
CLOSING = ["I would appreciate a prompt response.", "I look forward to hearing from you.",
           "Thank you for your time.", "Any help would be greatly appreciated.", "Please help.",
           "Thanks in advance!", "Please reply as soon as possible.",
           # not in the shipped formulas until 2026-12-06 (found by the repeated-line rule, or missed);
           # since then "Looking forward to your reply.", "Awaiting your response." and "Have a nice day!" are
           "Hope you can help.", "Looking forward to your reply.", "Many thanks for your help in this matter.",
           "Awaiting your response.", "Have a nice day!"]
SIGNOFFS = ["Kind regards, {name}", "Thanks, {name}", "Best regards,\n{name}", "Cheers", "Many thanks",
            "Regards, {name}", "Thank you", "Yours sincerely, {name} {initial}.", "Thanks!"]
DEVICES = ["Sent from my iPhone", "Sent from my Samsung Galaxy", "Sent from my iPad", "Get Outlook for Android"]
HEADERS = ["Ticket #{n}:", "Case ref {n}:", "Message from @user{n}:", "Re:"]


def wrap(query: str, rng: random.Random) -> tuple[str, str]:
    """(wrapped text, the query as it appears in it)."""
    name = rng.choice(NAMES)
    body = query
    if rng.random() < 0.15:
        body = rng.choice(GLUED) + body[0].lower() + body[1:]
    before, after = [], []
    if rng.random() < 0.15:
        before.append(rng.choice(HEADERS).format(n=rng.randint(10000, 99999)))
    if body == query and rng.random() < 0.7:
        before.append(rng.choice(GREETINGS).format(name=name))
    if rng.random() < 0.25:
        before.append(rng.choice(LETTER))
    if rng.random() < 0.4:
        after.append(rng.choice(CLOSING))
    if rng.random() < 0.7:
        after.append(rng.choice(SIGNOFFS).format(name=name, initial=rng.choice("ABCDEFGHJKLMNPRSTW")))
    if rng.random() < 0.25:
        after.append(rng.choice(DEVICES))
    if not before and not after and body == query:
        after.append(rng.choice(SIGNOFFS).format(name=name, initial="J"))
    separator = rng.choice([" ", "\n", "\n\n"])
    text = separator.join([*before, body, *after])
    if not body.rstrip().endswith((".", "?", "!")) and after:
        text = text.replace(body + separator, body + "." + separator, 1) if rng.random() < 0.5 else text
    return text, query


def build_store(folder: Path, texts: list[str], nlp: NlpConfig, pipelines: Pipelines, backend, cache: Path):
    """Ingest, enrich (with the boilerplate pass), embed (cached vectors first) and refit themes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feedback.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "customer"])
        writer.writerows([str(i), t, f"c{i}"] for i, t in enumerate(texts))
    con = connect(folder / "store.duckdb")
    ingest_files(con, [path], "eval", SourceConfig(kind="complaint", columns={"id": "id", "text": "text",
                                                                               "customer_id": "customer"}))
    timings = {}
    started = time.perf_counter()
    result = enrich(con, nlp, pipelines=pipelines)
    timings["enrich"] = time.perf_counter() - started
    if cache.exists():
        con.register("cached", pq.read_table(cache))
        con.execute("INSERT INTO embeddings SELECT 'minilm', text_hash, vector, 'cache' FROM cached "
                    "WHERE text_hash IN (SELECT md5(text) FROM segments)")
        con.unregister("cached")
    embed_segments(con, backend)
    known = pq.read_table(cache) if cache.exists() else None
    new = con.sql("SELECT text_hash, vector FROM embeddings WHERE run_id <> 'cache'").to_arrow_table()
    pq.write_table(pa.concat_tables([known, new.cast(known.schema)]) if known is not None else new, cache)
    started = time.perf_counter()
    refit_themes(con, backend.name, ThemesConfig())
    timings["refit"] = time.perf_counter() - started
    return con, result, timings


def score(con, queries: list[str], labels: list[str]) -> dict:
    """NMI, boilerplate found, content wrongly flagged, wrapper lines missed, boilerplate themes."""
    rows = con.execute("""
        SELECT f.external_id::INTEGER, s.segment_id, s.text, st.theme_id, b.rule IS NOT NULL
        FROM segments s JOIN feedback f USING (feedback_id)
        LEFT JOIN segment_themes st USING (segment_id) LEFT JOIN segment_boilerplate b USING (segment_id)
        ORDER BY 1, s.position""").fetchall()
    best: dict[int, tuple[int, int]] = {}
    counts = {"segments": 0, "wrapper": 0, "flagged": 0, "flagged_wrapper": 0, "false_positives": 0, "mixed": 0}
    theme_lines: dict[int, list[bool]] = {}
    theme_texts: dict[int, list[str]] = {}
    examples = []
    missed: dict[str, int] = {}
    for fid, _, text, theme, flagged in rows:
        query = _plain(queries[fid])
        inside = f" {_plain(text)} " in f" {query} "
        wrapper = not inside and not _overlaps(_plain(text), query)
        counts["segments"] += 1
        counts["wrapper"] += wrapper
        counts["mixed"] += not inside and not wrapper
        counts["flagged"] += flagged
        counts["flagged_wrapper"] += flagged and wrapper
        if wrapper and not flagged:
            missed[_plain(text)] = missed.get(_plain(text), 0) + 1
        if flagged and inside:
            counts["false_positives"] += 1
            examples.append(text)
        if theme is not None:
            theme_lines.setdefault(theme, []).append(wrapper)
            theme_texts.setdefault(theme, []).append(text)
            if len(text) > best.get(fid, (-1, 0))[1]:
                best[fid] = (theme, len(text))
    assigned = [best.get(i, (-1, 0))[0] for i in range(len(queries))]
    flagged_feedback = {fid for fid, *_, flagged in rows if flagged}
    unflagged_feedback = {fid for fid, *_, flagged in rows if not flagged}
    counts["content_lost"] = len(flagged_feedback - unflagged_feedback)  # every segment flagged
    largest = sorted(theme_lines, key=lambda t: -len(theme_lines[t]))[:15]
    boilerplate_themes = [t for t in largest if np.mean(theme_lines[t]) > 0.5]
    by_rule = dict(con.execute("SELECT rule, count(*) FROM segment_boilerplate GROUP BY rule").fetchall())
    return {**counts, "nmi": normalized_mutual_info_score(labels, assigned), "themes": len(theme_lines), "by_rule": by_rule,
            "boilerplate_in_top15": len(boilerplate_themes), "fp_examples": examples[:8],
            "missed_lines": sorted(missed.items(), key=lambda kv: -kv[1])[:8],
            "boilerplate_theme_lines": [theme_texts[t][:4] for t in boilerplate_themes]}


def _plain(text: str) -> str:
    return " ".join("".join(ch.lower() if ch.isalnum() else " " for ch in text).split())


def _overlaps(segment: str, query: str) -> bool:
    """A segment that holds part of the query and part of a wrapper (a greeting not cut off)."""
    words = segment.split()
    return len(words) >= 3 and (f" {' '.join(words[-3:])} " in f" {query} " or f" {' '.join(words[:3])} " in f" {query} ")


def vanilla(texts: list[str], labels: list[str], backend, cache: Path) -> dict:
    from bertopic import BERTopic

    if cache.exists():
        vectors = np.load(cache)
    else:
        vectors = backend.encode(texts)
        np.save(cache, vectors)
    topics = np.asarray(BERTopic().fit_transform(texts, vectors)[0])
    return {"nmi": normalized_mutual_info_score(labels, topics), "themes": len(set(topics) - {-1}),
            "outliers": float((topics == -1).mean())}


def real_sets(pipelines: Pipelines, nlp: NlpConfig) -> dict:
    """Detection on unlabelled real text: twcs tweets (customers' and brands' apart) and CFPB
    complaint narratives; enrichment only. Prints counts per rule and the most frequent lines."""
    sources = {
        "twcs": (SHARED / "twcs_head5k" / "twcs_first5000.csv", "text", "author_id",
                 lambda r: "customers" if r["inbound"] == "True" else "brands"),
        "cfpb": (SHARED / "cfpb_narratives" / "complaints_dev.csv", "Consumer complaint narrative", None,
                 lambda r: "complaints"),
    }
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (path, column, customer, group) in sources.items():
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
            csv_path = Path(tmp) / f"{name}.csv"
            with csv_path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["id", "text", "customer", "group"])
                writer.writerows([str(i), r[column], r[customer] if customer else "", group(r)]
                                 for i, r in enumerate(rows) if r[column])
            con = connect(Path(tmp) / f"{name}.duckdb")
            ingest_files(con, [csv_path], name, SourceConfig(
                kind="social", columns={"id": "id", "text": "text", "customer_id": "customer"},
                metadata={"columns": ["group"]}))
            enrich(con, nlp, pipelines=pipelines)
            per_group = con.execute("""
                SELECT f.metadata->>'group', count(*), count(b.segment_id),
                       count(b.segment_id) FILTER (WHERE b.rule = 'repeated')
                FROM segments s JOIN feedback f USING (feedback_id) LEFT JOIN segment_boilerplate b USING (segment_id)
                GROUP BY 1 ORDER BY 1""").fetchall()
            for group_name, segments, flagged, repeated in per_group:
                top = con.execute("""
                    SELECT b.rule, b.line, count(*) FROM segment_boilerplate b JOIN feedback f USING (feedback_id)
                    WHERE f.metadata->>'group' = ? GROUP BY ALL ORDER BY 3 DESC, 2 LIMIT 12""", [group_name]).fetchall()
                fixed = con.execute("""
                    SELECT b.line, any_value(b.reason), count(*) FROM segment_boilerplate b JOIN feedback f USING (feedback_id)
                    WHERE f.metadata->>'group' = ? AND b.reason LIKE '%only in lines repeated%'
                    GROUP BY ALL ORDER BY 3 DESC, 1""", [group_name]).fetchall()
                out[f"{name}:{group_name}"] = {"segments": segments, "flagged": flagged, "repeated": repeated,
                                               "top": [list(t) for t in top], "fixed_phrases": [list(t) for t in fixed]}
                print(f"\n{name} {group_name}: {segments} segments, {flagged} boilerplate ({flagged / segments:.1%}; "
                      f"{repeated} by the repeated-line rule)")
                print("  most frequent: " + "; ".join(f"{line!r} {n} ({rule})" for rule, line, n in top))
                print(f"  repeated lines whose words live only in repeated lines: {len(fixed)} lines, "
                      f"{sum(n for *_, n in fixed)} segments: "
                      + "; ".join(f"{line!r} {n} [{reason.split('; ')[-1]}]" for line, reason, n in fixed[:25]))
            con.close()
    return out


def formulas_at(ref: str) -> NlpConfig:
    """Enrichment with the formulas vocmine shipped at git ``ref`` in place of today's."""
    text = subprocess.run(["git", "show", f"{ref}:vocmine/nlp/boilerplate.toml"], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, check=True).stdout
    return NlpConfig(boilerplate={"shipped": False, "languages": tomllib.loads(text)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["banking77"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[3000, 10000])
    parser.add_argument("--json", type=Path, default=RESULTS / "boilerplate_eval.json")
    parser.add_argument("--real", action="store_true", help="only detection on twcs and cfpb (no labels)")
    parser.add_argument("--before", metavar="REF", help="also clean and wrapped with the formulas shipped at this git "
                        "ref (e.g. main): before and after in one run")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    RESULTS.mkdir(exist_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    backend = load_backend("minilm")
    on, off = NlpConfig(), NlpConfig(boilerplate={"enabled": False})
    configs = {"on": on, "off": off} | ({"before": formulas_at(args.before)} if args.before else {})
    pipelines = {name: Pipelines(config) for name, config in configs.items()}
    if args.real:
        args.json.with_name("boilerplate_real.json").write_text(json.dumps(real_sets(pipelines["on"], on), indent=1))
        return
    results = []
    for name in args.sets:
        all_texts, all_labels = load_set(name)
        for size in args.sizes:
            rng = random.Random(7)
            picked = sorted(rng.sample(range(len(all_texts)), min(size, len(all_texts))))
            queries, labels = [all_texts[i] for i in picked], [all_labels[i] for i in picked]
            wrapped = [wrap(q, rng)[0] for q in queries]
            row = {"set": name, "n": len(queries), "labels": len(set(labels))}
            with tempfile.TemporaryDirectory() as tmp:
                variants = [("clean", queries, "on"), ("wrapped", wrapped, "on"), ("wrapped_no_removal", wrapped, "off")]
                if args.before:
                    variants += [("clean_before", queries, "before"), ("wrapped_before", wrapped, "before")]
                for variant, texts, nlp in variants:
                    con, _, timings = build_store(Path(tmp) / variant, texts, configs[nlp], pipelines[nlp], backend,
                                                  RESULTS / f"boilerplate-{name}-minilm.parquet")
                    row[variant] = {**score(con, queries, labels), **{f"{k}_s": round(v, 1) for k, v in timings.items()}}
                    con.close()
                    print(f"  {name} {size} {variant}: {json.dumps({k: v for k, v in row[variant].items() if 'example' not in k and 'lines' not in k})}",
                          flush=True)
            row["vanilla_wrapped"] = vanilla(wrapped, labels, backend,
                                             RESULTS / f"boilerplate-{name}-{size}-wrapped-minilm.npy")
            row["vanilla_clean"] = vanilla(queries, labels, backend,
                                           RESULTS / f"boilerplate-{name}-{size}-clean-minilm.npy")
            row["before"] = args.before
            results.append(row)
            print_row(row)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwritten: {args.json}")


def print_row(row: dict) -> None:
    c, w, o = row["clean"], row["wrapped"], row["wrapped_no_removal"]
    print(f"\n{row['set']} n={row['n']} ({row['labels']} intents)")
    print(f"  NMI  clean {c['nmi']:.3f} | wrapped, removal {w['nmi']:.3f} (diff {w['nmi'] - c['nmi']:+.3f}) | "
          f"wrapped, no removal {o['nmi']:.3f} | vanilla BERTopic wrapped {row['vanilla_wrapped']['nmi']:.3f} "
          f"(clean {row['vanilla_clean']['nmi']:.3f}, {row['vanilla_wrapped']['themes']} topics, "
          f"{row['vanilla_wrapped']['outliers']:.0%} outliers)")
    print(f"  clean: {c['segments']} segments, {c['flagged']} flagged as boilerplate; queries with every segment "
          f"flagged (content lost): {c['content_lost']}")
    print(f"  wrapped: {w['segments']} segments, {w['wrapper']} wrapper lines, {w['flagged']} flagged "
          f"({w['flagged_wrapper']} wrapper lines = {w['flagged_wrapper'] / max(1, w['wrapper']):.1%} found), "
          f"query segments flagged {w['false_positives']}, queries with every segment flagged {w['content_lost']}, "
          f"segments mixing both {w['mixed']}")
    print(f"  boilerplate themes among the largest 15: removal {w['boilerplate_in_top15']}, "
          f"no removal {o['boilerplate_in_top15']}")
    print("  wrapper lines most often missed: " + "; ".join(f"{line!r} {n}" for line, n in w["missed_lines"]))
    if "wrapped_before" in row:
        cb, wb = row["clean_before"], row["wrapped_before"]
        print(f"  formulas of {row['before']} (before) | now: NMI clean {cb['nmi']:.3f} | {c['nmi']:.3f}, wrapped "
              f"{wb['nmi']:.3f} | {w['nmi']:.3f}; wrapper lines found {wb['flagged_wrapper']}/{wb['wrapper']} "
              f"({wb['flagged_wrapper'] / max(1, wb['wrapper']):.2%}) | {w['flagged_wrapper']}/{w['wrapper']} "
              f"({w['flagged_wrapper'] / max(1, w['wrapper']):.2%}); query segments flagged: clean "
              f"{cb['false_positives']} | {c['false_positives']}, wrapped {wb['false_positives']} | "
              f"{w['false_positives']}; queries with every segment flagged: clean {cb['content_lost']} | "
              f"{c['content_lost']}, wrapped {wb['content_lost']} | {w['content_lost']}; boilerplate themes in the "
              f"largest 15: {wb['boilerplate_in_top15']} | {w['boilerplate_in_top15']}")
        print("  before, wrapper lines most often missed: "
              + "; ".join(f"{line!r} {n}" for line, n in wb["missed_lines"]))
        print("  before, flagged by the repeated-line rule (wrapped): "
              f"{wb['by_rule'].get('repeated', 0)} | now {w['by_rule'].get('repeated', 0)}; by a formula "
              f"{wb['by_rule'].get('formula', 0)} | {w['by_rule'].get('formula', 0)}")
    for lines in w["boilerplate_theme_lines"]:
        print(f"    with removal, a theme of wrapper lines: {lines}")
    for example in c["fp_examples"] + w["fp_examples"]:
        print(f"    flagged inside a query: {example!r}")


if __name__ == "__main__":
    main()
