"""Generate the Brightline Mobile demo data set (fictional mobile operator).

Why this exists: the vocmine pipeline needs realistic, messy, multi-source
customer feedback whose *answers are known*.  Every theme, sentiment, PII value
and malformed row is planted here and written to ground_truth.csv,
planted_pii.csv and manifest.json, so pipeline output can be scored.

Deterministic by construction: one ``random.Random(SEED)`` drives everything,
iteration is over lists / sorted keys only, and there is no wall-clock input.
Running it twice yields byte-identical files.

Usage: python data/generate_demo.py [--out data/demo]
"""
import argparse
import csv
import io
import json
import random
import re
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.dont_write_bytecode = True  # keep data/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_catalogue as cat  # noqa: E402  (pure data, kept apart for readability)

SEED = 20261123
START = datetime(2026, 8, 31, tzinfo=timezone.utc)  # a Monday
DAYS = 84                                           # 12 weeks, to 2026-11-22 23:59
EMERGING_FROM_DAY = 70                              # 2026-11-09
N_CUSTOMERS, CHURN_RATE = 1500, 0.12
TARGETS = {"call_notes": 1199, "reviews": 999, "complaints": 800}  # +1 duplicate row each for notes/reviews
STYLE = {"call_notes": "notes", "reviews": "reviews", "complaints": "complaints"}
SOURCE_IDX = {"call_notes": 0, "reviews": 1, "complaints": 2}
TWO_ISSUE_RATE, PII_RATE, LOOKALIKE_RATE, FOREIGN_REVIEWS = 0.27, 0.065, 0.035, 30
THEMES = {t["key"]: t for t in cat.THEMES}
# Day-of-week volume (Mon..Sun) and hour-of-day shape per source: contact
# centres are quiet at weekends, reviews peak in the evening and at weekends.
DOW = {"call_notes": [1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.35],
       "reviews": [0.9, 0.9, 0.95, 0.95, 1.0, 1.25, 1.2],
       "complaints": [1.2, 1.1, 1.0, 1.0, 0.95, 0.45, 0.3]}
HOURS = {"call_notes": [0] * 8 + [3, 6, 7, 7, 5, 6, 7, 6, 5, 4, 3, 2, 1] + [0] * 3,
         "reviews": [1, 0.5, 0.3, 0.2, 0.2, 0.3, 1, 2, 3, 3, 3, 3, 4, 3, 3, 3, 3, 4, 5, 6, 7, 7, 5, 3],
         "complaints": [0.3] * 7 + [1, 3, 5, 5, 5, 4, 5, 5, 5, 4, 3, 2, 2, 2, 1.5, 1, 0.5]}
SECONDS = {"call_notes": True, "reviews": False, "complaints": True}
BAD_BYTE = "\ue000"  # placeholder replaced by raw 0xE9 after UTF-8 encoding
# Ground-truth touchpoint of a clause that names none: the one the feedback's channel implies, as
# the `channels` of vocmine/journey/taxonomy.toml say (call notes and complaints `channel`, reviews
# `platform`).  None: no touchpoint claims the channel, so the clause's touchpoint is "unknown".
CHANNEL_TOUCHPOINT = {"phone": "phone", "chat": "chat", "email": "email",                     # call notes
                      "web_form": "website", "store": "store", "social": "social_media", "letter": None,
                      "app_store": "mobile_app", "google_play": "mobile_app", "website": "website",
                      "trustpilot": None}                                                     # reviews
GT_HEADER = ["source", "record_id", "segment_index", "theme", "journey_stage", "touchpoint", "sentiment", "language",
             "text", "touchpoint_source"]


# ---------------------------------------------------------------- identifiers
def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def card_number(rng):
    """A Luhn-valid 16-digit Visa/Mastercard-shaped number, spaced or dashed."""
    body = rng.choice(["4", "51", "52", "53", "54", "55"])
    body += "".join(str(rng.randint(0, 9)) for _ in range(15 - len(body)))
    digits = body + next(str(c) for c in range(10) if luhn_ok(body + str(c)))
    assert luhn_ok(digits)
    return rng.choice([" ", "-"]).join(digits[i:i + 4] for i in range(0, 16, 4))


def non_luhn_16(rng):
    """16 digits that fail Luhn: a reference number a naive detector would flag."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(16))
    if luhn_ok(digits):
        digits = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    assert not luhn_ok(digits)
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def iban_mod97(iban):
    s = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97


def gb_iban(rng):
    """GB IBAN with a correct ISO 13616 mod-97 check, grouped in fours."""
    bban = rng.choice(["NWBK", "BARC", "LOYD", "MIDL", "HBUK", "NAIA"]) + \
        "".join(str(rng.randint(0, 9)) for _ in range(14))
    check = 98 - iban_mod97("GB00" + bban)
    iban = f"GB{check:02d}{bban}"
    assert iban_mod97(iban) == 1
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def phone(rng):
    n = rng.randint(0, 999)
    return rng.choice([f"+44 7700 900{n:03d}", f"07700 900 {n:03d}", f"(020) 7946 0{n:03d}",
                       f"+1 415-555-01{n % 100:02d}", f"0113 496 0{n:03d}", f"07700900{n:03d}"])


def invent(key, rng, when):
    """Return (value, tag) for a template placeholder; tag marks PII / look-alikes."""
    first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.SURNAMES)
    simple = {"device": cat.DEVICES, "city": cat.CITIES, "country": cat.COUNTRIES, "plan": cat.PLANS,
              "weekday": cat.WEEKDAYS, "app_ver": ["6.8.1", "6.9.0", "6.9.2"], "app7": ["7.0", "7.0.1", "7.0.2"],
              "pct": ["6.5", "7.9", "8.8", "9.2", "14"], "speed": ["0.2Mbps", "0.4Mbps", "0.9Mbps", "1.3Mbps", "2.1Mbps"],
              "mins": ["25", "35", "40", "45", "55", "70", "90"]}
    if key in simple:
        return rng.choice(simple[key]), None
    ranges = {"days": (2, 9), "weeks": (2, 6), "hours": (2, 5), "years": (2, 14)}
    if key in ranges:
        return str(rng.randint(*ranges[key])), None
    if key in ("amount", "amount2"):
        return f"£{rng.choice([4, 6, 9, 12, 15, 18, 22, 25, 30, 35, 42, 49, 60, 75, 89, 120, 149])}.{rng.choice(['99', '00', '50'])}", None
    if key in ("mon", "month"):
        name = cat.MONTHS[(when.month - 1 - rng.choice([0, 1, 1])) % 12]
        return (name[:3] if key == "mon" else name), None
    looks = {"big_amount": lambda: f"£{rng.randint(1, 9)},{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}",
             "flight": lambda: rng.choice(cat.FLIGHTS), "plan_code": lambda: rng.choice(cat.PLAN_CODES),
             "date": lambda: (when - timedelta(days=rng.randint(3, 25))).strftime("%d/%m/%Y"),
             "ref16": lambda: non_luhn_16(rng)}
    kinds = {"big_amount": "PRICE", "flight": "FLIGHT_CODE", "plan_code": "PLAN_CODE", "date": "DATE",
             "ref16": "NON_LUHN_16_DIGIT"}
    if key in looks:
        return looks[key](), ("look", kinds[key])
    user = f"{first[0].lower()}.{last.lower().replace(chr(39), '')}{rng.randint(1, 99)}"
    pii = {"email": ("EMAIL", lambda: f"{rng.choice([user, first.lower() + '.' + last.lower().replace(chr(39), '')])}"
                              f"@{rng.choice(['example.com', 'example.org', 'example.net'])}"),
           "phone": ("PHONE", lambda: phone(rng)), "card": ("CARD", lambda: card_number(rng)),
           "iban": ("IBAN", lambda: gb_iban(rng)), "full": ("PERSON", lambda: f"{first} {last}"),
           "title_name": ("PERSON", lambda: f"{rng.choice(['Mr', 'Mrs', 'Ms', 'Dr'])} {last}"),
           "agent": ("PERSON", lambda: first), "staff": ("PERSON", lambda: first),
           "account": ("ACCOUNT", lambda: f"ACC-{rng.randint(1000000, 9999999)}"),
           "order": ("ACCOUNT", lambda: f"BL-2026-{rng.randint(1, 20000):06d}"),
           "url": ("URL", lambda: rng.choice([f"https://photos.example.net/{user}/IMG_{rng.randint(1000, 9999)}.jpg",
                                              f"https://drive.example.com/s/{rng.randint(10**7, 10**8 - 1):x}",
                                              f"https://www.example.org/~{user}/brightline"])),
           "handle": ("HANDLE", lambda: f"@{first.lower()}_{last[0].lower()}_{rng.randint(10, 99)}")}
    pii_type, make = pii[key]
    return make(), ("pii", pii_type)


class Details(dict):
    """Placeholder values invented on first use; remembers which were PII / look-alikes."""

    def __init__(self, rng, when, rec):
        super().__init__()
        self.rng, self.when, self.rec = rng, when, rec

    def __missing__(self, key):
        value, tag = invent(key, self.rng, self.when)
        if tag:
            self.rec["pii" if tag[0] == "pii" else "look"].append((tag[1], value))
        self[key] = value
        return value


def render(rng, rec, template):
    return template.format_map(Details(rng, rec["when"], rec))


KEEP_CASE = re.compile(r"^(\{|I\b|I'|[A-Z]{2,}|[a-z]+[A-Z]|Brightline)")


def decap(template):
    """Lower-case the first letter so a clause can follow 'but'/'and' mid-sentence."""
    return template if KEEP_CASE.match(template) else template[0].lower() + template[1:]


def weighted(rng, weights):
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def phrase(entry, sentiment):
    """(text, sentiment, annotation) of a catalogue phrase: text, (text, sentiment), (text, annotation)
    or (text, sentiment, annotation); see the demo_catalogue docstring."""
    if isinstance(entry, str):
        return entry, sentiment, {}
    text, *rest = entry
    return (text, next((r for r in rest if isinstance(r, str)), sentiment),
            next((r for r in rest if isinstance(r, dict)), {}))


def clause_options(theme, style, allow_neutral=True):
    """Candidate clauses (text, sentiment, annotation), in catalogue order: the draw depends on it."""
    opts = [phrase(o, theme["sentiment"]) for o in theme[style]]
    return [o for o in opts if allow_neutral or o[1] != "neutral"]


def clause(text, theme_key, annotation):
    """A planted clause as rendered, with the touchpoint it names (if any) and its journey stage."""
    return {"text": text, "named": annotation.get("touchpoint"),
            "stage": annotation.get("stage", THEMES[theme_key]["stage"])}


# ---------------------------------------------------------------- planning
def make_customers(rng):
    """~1,500 customers; 12% churn on a given day, activity is heavy-tailed."""
    churners = set(rng.sample(range(N_CUSTOMERS), round(N_CUSTOMERS * CHURN_RATE)))
    return [{"ref": f"C{10000 + i}", "churned": i in churners, "activity": rng.paretovariate(2.5),
             "churn_day": rng.randint(28, DAYS - 1) if i in churners else None} for i in range(N_CUSTOMERS)]


def timestamp(rng, source, day_weights, day=None):
    if day is None:
        day = rng.choices(range(DAYS), day_weights[source])[0]
    hour = rng.choices(range(24), HOURS[source])[0]
    sec = rng.randint(0, 59) if SECONDS[source] else 0
    return START + timedelta(days=day, hours=hour, minutes=rng.randint(0, 59), seconds=sec)


def plan(rng, customers):
    """Decide who says what, when.  Churners get a scripted arc: billing/price
    problems weeks before they leave, then an exit-fee contact near the end."""
    stubs = []
    # steady volume with weekday/weekend shape and +-10% day-to-day noise
    day_weights = {s: [DOW[s][d % 7] * (0.9 + 0.2 * rng.random()) for d in range(DAYS)] for s in sorted(DOW)}
    src_w = {"call_notes": 5, "complaints": 3.5, "reviews": 1.5}
    for c in customers:
        if not c["churned"]:
            continue
        for _ in range(rng.choice([1, 2, 2, 3])):
            day = max(0, c["churn_day"] - rng.randint(8, 40))
            stubs.append(dict(source=weighted(rng, src_w), day=day, customer=c,
                              theme=weighted(rng, cat.CHURN_EARLY_THEMES), role="churn_early"))
        stubs.append(dict(source=weighted(rng, src_w), day=max(0, c["churn_day"] - rng.randint(0, 4)), customer=c,
                          theme=weighted(rng, cat.CHURN_FINAL_THEMES), role="churn_final"))
    regulars = [c for c in customers if not c["churned"]]
    activity = [c["activity"] for c in regulars]
    for source in sorted(TARGETS):
        need = TARGETS[source] - sum(s["source"] == source for s in stubs)
        foreign = sorted(rng.sample(range(need), FOREIGN_REVIEWS)) if source == "reviews" else []
        foreign_rank = {i: rank for rank, i in enumerate(foreign)}
        w = {k: t["weights"][SOURCE_IDX[source]] for k, t in THEMES.items() if t["weights"][SOURCE_IDX[source]]}
        for i in range(need):
            ts = timestamp(rng, source, day_weights)
            day = (ts - START).days
            theme, lang = weighted(rng, w), "en"
            if i in foreign_rank:
                lang, theme = cat.FOREIGN_REVIEWS[foreign_rank[i] % len(cat.FOREIGN_REVIEWS)][:2]
            elif day >= EMERGING_FROM_DAY and rng.random() < 0.07 + 0.10 * (day - EMERGING_FROM_DAY) / 13:
                theme = cat.EMERGING_THEME
            cust = rng.choices(regulars, activity)[0]
            if source == "reviews" and rng.random() < 0.3:
                cust = None
            stubs.append(dict(source=source, ts=ts, customer=cust, theme=theme, role=None, lang=lang,
                              foreign_idx=foreign_rank.get(i)))
    for s in stubs:
        s.setdefault("lang", "en")
        if "ts" not in s:
            s["ts"] = timestamp(rng, s["source"], day_weights, s.pop("day"))
    return stubs


# ---------------------------------------------------------------- text
def main_clause(rng, rec, style):
    """Primary theme clause, optionally joined to a second issue in one sentence."""
    theme = THEMES[rec["theme"]]
    tpl, sent, ann = rng.choice(clause_options(theme, style, allow_neutral=rec["role"] is None))
    text = render(rng, rec, tpl)
    rec["segments"] = [(theme["key"], sent)]
    rec["clauses"] = [clause(text, theme["key"], ann)]
    if sent != "neutral" and rng.random() < TWO_ISSUE_RATE:
        pos = ["friendly_agent", "helpful_store_staff"]
        negs = {k: t["weights"][SOURCE_IDX[rec["source"]]] for k, t in THEMES.items()
                if t["sentiment"] == "negative" and k not in (theme["key"], cat.EMERGING_THEME)}
        if sent == "positive":
            second, joiner = weighted(rng, negs), rng.choice([", but ", ", although "])
        elif rng.random() < 0.55:
            second, joiner = rng.choice(pos), rng.choice([", but ", ", although ", " but "])
        else:
            second, joiner = weighted(rng, negs), rng.choice([" and ", ", and "])
        tpl2, sent2, ann2 = rng.choice(clause_options(THEMES[second], style, allow_neutral=False))
        text2 = render(rng, rec, decap(tpl2))
        text += joiner + text2
        rec["segments"].append((second, sent2))
        rec["clauses"].append(clause(text2, second, ann2))
    return text


def mood(rec):
    sents = [s for _, s in rec["segments"]]
    return "negative" if "negative" in sents else ("positive" if "positive" in sents else "neutral")


def leaving_signal(rng, rec):
    """Churners say they are leaving in their last contact, rarely before it."""
    return rec["role"] == "churn_final" or (rec["role"] == "churn_early" and rng.random() < 0.2)


def extra_sentence(rng, rec, bank_key):
    if rng.random() < PII_RATE:
        return render(rng, rec, rng.choice(cat.PII_SENTENCES[bank_key]))
    if rng.random() < LOOKALIKE_RATE:
        return render(rng, rec, rng.choice(cat.LOOKALIKE_SENTENCES[bank_key]))
    return None


def write_note(rng, rec):
    """Agent shorthand, 1-3 sentences: issue, what was done, how it ended."""
    sentences = [main_clause(rng, rec, "notes") + "."]
    extras = []
    if rng.random() < 0.55:
        extras.append(render(rng, rec, rng.choice(THEMES[rec["theme"]]["actions"])))
    if leaving_signal(rng, rec):
        extras.append(rng.choice(cat.NOTE_OUTCOMES["churn"]))
    elif rng.random() < 0.35:
        extras.append(rng.choice(cat.NOTE_OUTCOMES[mood(rec)]))
    pii = extra_sentence(rng, rec, "call_notes")
    extras = ([pii] if pii else []) + extras
    sentences += sorted(extras[:2], key=lambda s: s != pii)  # PII first, it usually is in real notes
    return ("\n" if len(sentences) > 1 and rng.random() < 0.02 else " ").join(sentences)


def roughen(rng, pieces):
    """Informal style / typos for some reviews (pure letter shuffles, no new words).

    ``pieces`` are consecutive parts of the text (planted clauses and what lies between them); each
    is roughened as the whole text is, so the clauses can still be found in the result."""
    text, pieces = "".join(pieces), list(pieces)

    def informal(t):
        return re.sub(r"\byou\b", "u", re.sub(r"\byour\b", "ur", t))

    for op in rng.sample(["lower", "apos", "u", "swap", "bang", "nostop"], rng.randint(1, 2)):
        if op == "lower":
            text, pieces = text.lower(), [p.lower() for p in pieces]
        elif op == "apos":
            text, pieces = text.replace("'", ""), [p.replace("'", "") for p in pieces]
        elif op == "u":
            text, pieces = informal(text), [informal(p) for p in pieces]
        elif op == "swap":
            words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 5 and w.isalpha() and w.islower()]
            if words:
                parts = text.split(" ")
                w = parts[rng.choice(words)]
                j = rng.randint(1, len(w) - 3)
                k = parts.index(w)
                parts[k] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
                text = " ".join(parts)
                pieces = swap_in_pieces(pieces, sum(len(p) + 1 for p in parts[:k]), w, parts[k])
        elif op == "bang":
            text, pieces[-1] = text.rstrip(".") + "!!", pieces[-1].rstrip(".") + "!!"
        elif op == "nostop":
            text, pieces[-1] = text.rstrip("."), pieces[-1].rstrip(".")
    assert "".join(pieces) == text, (pieces, text)
    return pieces


def swap_in_pieces(pieces, start, old, new):
    """Replace ``old`` at character ``start`` of the joined pieces by ``new`` (same length), in its piece."""
    offset = 0
    for i, p in enumerate(pieces):
        if offset <= start and start + len(old) <= offset + len(p):
            at = start - offset
            assert p[at:at + len(old)] == old
            return pieces[:i] + [p[:at] + new + p[at + len(old):]] + pieces[i + 1:]
        offset += len(p)
    raise AssertionError(f"{old!r} is not inside one piece")


def write_review(rng, rec):
    """First person, 1-5 sentences, sometimes sloppy; a few in other languages."""
    if rec["lang"] != "en":  # the whole review is the planted clause
        _, theme, tpl, *ann = cat.FOREIGN_REVIEWS[rec["foreign_idx"] % len(cat.FOREIGN_REVIEWS)]
        rec["segments"] = [(theme, THEMES[theme]["sentiment"])]
        text = render(rng, rec, tpl)
        rec["clauses"] = [clause(text, theme, ann[0] if ann else {})]
        return text
    main = main_clause(rng, rec, "reviews")
    sentences = [main + rng.choice([".", ".", ".", "!"])]
    bank = cat.REVIEW_EXTRAS["churn"] if leaving_signal(rng, rec) else cat.REVIEW_EXTRAS[mood(rec)]
    for line in rng.sample(bank, min(len(bank), rng.choice([0, 0, 1, 1, 2, 3]))):
        sentences.append(render(rng, rec, line))
    body = " ".join(sentences)
    if rng.random() < 0.22:
        # pieces: clause, [joiner, clause,] the rest; the clauses are at the even positions
        texts = [c["text"] for c in rec["clauses"]]
        assert main.startswith(texts[0]) and main.endswith(texts[-1])
        pieces = [texts[0]] + ([main[len(texts[0]):len(main) - len(texts[1])], texts[1]] if len(texts) > 1 else [])
        rough = roughen(rng, pieces + [body[len(main):]])
        if all(v in "".join(rough) for _, v in rec["pii"] + rec["look"]):
            body = "".join(rough)
            for c, piece in zip(rec["clauses"], rough[0::2]):
                c["text"] = piece
    tail = extra_sentence(rng, rec, "reviews")
    return f"{body} {tail}" if tail else body


def write_complaint(rng, rec):
    """Formal complaint, 2-5 sentences; channel shapes the opening."""
    sentences = [main_clause(rng, rec, "complaints") + "."]
    if rec["channel"] == "letter" or rng.random() < 0.45:
        opener = rng.choice(cat.COMPLAINT_OPENERS)
        sentences.insert(0, "Dear Sir or Madam, " + decap(opener) if rec["channel"] == "letter" else opener)
    for line in rng.sample(cat.COMPLAINT_EXTRAS, rng.choice([0, 1, 1, 2])):
        sentences.append(render(rng, rec, line))
    if leaving_signal(rng, rec):
        sentences.append(rng.choice(cat.COMPLAINT_CHURN))
    if len(sentences) < 2:
        sentences.append(render(rng, rec, rng.choice(cat.COMPLAINT_EXTRAS)))
    tail = extra_sentence(rng, rec, "complaints")
    sentences = sentences[:4] + ([tail] if tail else [])
    text = " ".join(sentences)
    if rec["channel"] == "social":
        prefix = render(rng, rec, rng.choice(["{handle} wrote to @BrightlineHelp: ", "Social media message from {handle}: ",
                                              "Posted by {handle} mentioning @BrightlineHelp. "]))
        if "@BrightlineHelp" in prefix:  # the brand's own handle is public, not PII
            rec["look"].append(("BRAND_HANDLE", "@BrightlineHelp"))
        text = prefix + text
    return text


# ---------------------------------------------------------------- records
def rating(rng, rec):
    """1-5 score that follows sentiment (stars / csat); churners score lower."""
    sents = [s for _, s in rec["segments"]]
    if "negative" in sents and "positive" in sents:
        dist = [15, 35, 35, 15, 0]
    elif "negative" in sents:
        dist = [60, 28, 10, 2, 0]
    elif "positive" in sents:
        dist = [0, 2, 6, 30, 62]
    else:
        dist = [5, 20, 50, 20, 5]
    if rec["customer"] and rec["customer"]["churned"]:
        dist = [d * w for d, w in zip(dist, [2, 1.5, 1, 0.5, 0.3])]
    return rng.choices(range(1, 6), dist)[0]


def build(rng, stubs):
    """Turn plans into full records, in time order per source (ids follow time)."""
    records = {s: [] for s in sorted(TARGETS)}
    end = START + timedelta(days=DAYS)
    for stub in sorted(stubs, key=lambda s: (s["source"], s["ts"])):
        rec = dict(stub, when=stub["ts"], pii=[], look=[], gt=True)
        src, n = rec["source"], len(records[stub["source"]]) + 1
        theme = THEMES[rec["theme"]]
        if src == "call_notes":
            rec["id"] = f"CN-{n:06d}"
            rec["channel"] = weighted(rng, {"phone": 60, "chat": 70 if theme["key"] == "chatbot_useless" else 28,
                                            "email": 12})
            rec["text"] = write_note(rng, rec)
            effort = max(THEMES[k]["effort"] for k, _ in rec["segments"])
            base = {"phone": 420, "chat": 660, "email": 300}[rec["channel"]]
            rec["handle_time_sec"] = int(base * effort * rng.lognormvariate(0, 0.35) * (1.2 if len(rec["segments"]) > 1 else 1))
            p_repeat = 0.1 + 0.55 * max(0.0, effort - 1) + 0.15 * rec["customer"]["churned"] + 0.1 * (len(rec["segments"]) > 1)
            rec["repeat_contact"] = rng.random() < p_repeat
            rec["csat"] = None if rng.random() < 0.3 else rating(rng, rec)
        elif src == "reviews":
            rec["id"] = f"RV-{n:05d}"
            app = rec["theme"] in ("app_crash_login", cat.EMERGING_THEME, "chatbot_useless")
            rec["platform"] = weighted(rng, {"app_store": 45, "google_play": 45, "website": 5, "trustpilot": 5} if app else
                                       {"app_store": 12, "google_play": 13, "website": 30, "trustpilot": 45})
            rec["text"] = write_review(rng, rec)
            rec["stars"] = rating(rng, rec)
            web = rec["platform"] in ("website", "trustpilot")
            rec["verified"] = rng.random() < ((0.75 if web else 0.45) if rec["customer"] else 0.2)
        else:
            rec["id"] = f"CMP-{n:04d}"
            rec["channel"] = weighted(rng, {"email": 30, "web_form": 36, "letter": 8, "social": 4, "store": 22})
            rec["product"] = weighted(rng, theme.get("products", {"sim_only": 35, "handset_contract": 40,
                                                                   "broadband": 10, "prepaid": 15}))
            rec["text"] = write_complaint(rng, rec)
            typical = 16 if theme["stage"] == "billing" else (12 if theme["stage"] == "renewal_cancellation" else 8)
            days = int(rng.lognormvariate(0, 0.6) * typical)
            still_open = rng.random() < 0.05 or rec["ts"] + timedelta(days=days) > end
            rec["resolution_days"] = None if still_open else days
        for _, value in rec["pii"] + rec["look"]:
            assert value in rec["text"], (rec["id"], value)
        records[src].append(rec)
    return records


# ---------------------------------------------------------------- malformed rows
def clean_indexes(recs):
    """Rows safe to corrupt: one segment, no PII/look-alikes, single line, no quotes."""
    return [i for i, r in enumerate(recs) if not r["pii"] and not r["look"] and len(r["segments"]) == 1
            and r["lang"] == "en" and "\n" not in r["text"] and '"' not in r["text"] and ", " in r["text"]]


def with_duplicate(rng, rows, recs, avoid):
    """Insert an exact copy of an earlier row further down; return rows and dup info."""
    src = rng.choice([i for i in clean_indexes(recs) if 100 <= i < 400 and i not in avoid])
    at = rng.randint(len(rows) * 2 // 3, len(rows) - 20)
    rows = rows[:at] + [rows[src]] + rows[at:]
    return rows, {"row_number": at + 1, "duplicate_of_row": src + 1, "record_id": recs[src]["id"]}


def note_rows(rng, recs):
    rows = [[r["id"], r["ts"].strftime("%Y-%m-%d %H:%M:%S"), r["channel"], r["customer"]["ref"], r["text"],
             str(r["handle_time_sec"]), str(r["repeat_contact"]).lower(), "" if r["csat"] is None else str(r["csat"]),
             str(r["customer"]["churned"]).lower()] for r in recs]
    picks = rng.sample(clean_indexes(recs)[50:-50], 8)
    bad = []
    for problem, i in zip(["too_few_columns", "too_many_columns", "empty_notes", "blank_notes", "bad_date_word",
                           "bad_date_range", "non_numeric_csat", "invalid_utf8"], picks):
        row, rec, included = rows[i], recs[i], True
        if problem == "too_few_columns":
            del row[5]
            desc = "8 fields instead of 9 (handle_time_sec missing)"
        elif problem == "too_many_columns":
            row[4:5] = row[4].split(", ", 1)
            desc = "10 fields instead of 9 (notes split at an unquoted comma)"
        elif problem in ("empty_notes", "blank_notes"):
            row[4] = "" if problem == "empty_notes" else "   "
            desc, included = ("notes is an empty string" if problem == "empty_notes" else "notes is only spaces"), False
        elif problem.startswith("bad_date"):
            row[1] = "yesterday" if problem == "bad_date_word" else "2026-13-45 10:00:00"
            desc = f"unparseable created_at {row[1]!r}"
        elif problem == "non_numeric_csat":
            row[7] = "five"
            desc = "csat is 'five' (non-numeric)"
        else:
            city = rng.choice(cat.CITIES)
            row[4] = rec["text"] = f"Cust rang from the caf{BAD_BYTE} opposite the {city} store, calls keep dropping."
            rec["segments"] = [("poor_signal", "negative")]
            # "Cust rang" names the phone; the store is only a landmark and the calls are the network's
            rec["clauses"] = [clause(rec["text"][:-1], "poor_signal", {"touchpoint": "phone"})]
            desc = "notes contains invalid UTF-8 (raw latin-1 byte 0xE9 in 'caf\\xe9')"
        rec["gt"] = included
        bad.append({"row_number": i + 1, "record_id": rec["id"], "problem": desc, "ground_truth_included": included})
    rows, dup = with_duplicate(rng, rows, recs, picks)
    for b in bad:  # rows at or after the inserted copy move down by one
        b["row_number"] += 1 if b["row_number"] >= dup["row_number"] else 0
    return rows, sorted(bad, key=lambda b: b["row_number"]), [dup]


def review_lines(rng, recs):
    objs = [{"review_id": r["id"], "posted_at": r["ts"].strftime("%Y-%m-%dT%H:%M:%SZ"), "platform": r["platform"],
             "stars": r["stars"], "reviewer": r["customer"]["ref"] if r["customer"] else None, "body": r["text"],
             "verified_purchase": r["verified"]} for r in recs]
    picks = rng.sample(clean_indexes(recs)[50:-50], 3)
    bad = []
    for problem, i in zip(["truncated", "stars_text", "empty_body"], picks):
        included = problem == "stars_text"
        if problem == "stars_text":
            objs[i]["stars"] = "five"
        elif problem == "empty_body":
            objs[i]["body"] = ""
        recs[i]["gt"] = included
        bad.append({"row_number": i + 1, "record_id": recs[i]["id"], "ground_truth_included": included,
                    "problem": {"truncated": "truncated line, invalid JSON", "stars_text": "stars is the string 'five'",
                                "empty_body": "body is an empty string"}[problem]})
    lines = [json.dumps(o, ensure_ascii=False) for o in objs]
    trunc = picks[0]
    lines[trunc] = lines[trunc][: len(lines[trunc]) * 3 // 5]
    lines, dup = with_duplicate(rng, lines, recs, picks)
    for b in bad:  # rows at or after the inserted copy move down by one
        b["row_number"] += 1 if b["row_number"] >= dup["row_number"] else 0
    return lines, sorted(bad, key=lambda b: b["row_number"]), [dup]


def complaint_table(rng, recs):
    i = rng.choice(clean_indexes(recs)[50:-50])
    recs[i]["text"], recs[i]["gt"] = "", False
    bad = [{"row_number": i + 1, "record_id": recs[i]["id"], "problem": "description is an empty string",
            "ground_truth_included": False}]
    schema = pa.schema([("case_id", pa.string()), ("opened", pa.timestamp("us", tz="UTC")), ("channel", pa.string()),
                        ("customer_ref", pa.string()), ("description", pa.string()), ("product", pa.string()),
                        ("resolution_days", pa.int64()), ("churned", pa.bool_())])
    cols = {"case_id": [r["id"] for r in recs], "opened": [r["ts"] for r in recs],
            "channel": [r["channel"] for r in recs], "customer_ref": [r["customer"]["ref"] for r in recs],
            "description": [r["text"] for r in recs], "product": [r["product"] for r in recs],
            "resolution_days": [r["resolution_days"] for r in recs],
            "churned": [r["customer"]["churned"] for r in recs]}
    return pa.table(cols, schema=schema), bad, []


# ---------------------------------------------------------------- output
def check_annotation(annotation, entry):
    assert set(annotation) <= {"touchpoint", "stage"}, entry
    assert annotation.get("touchpoint", "phone") in cat.TOUCHPOINTS, entry
    assert annotation.get("stage", "usage") in cat.JOURNEY_STAGES, entry


def ground_truth_touchpoint(c, channel):
    """vocmine's policy: a touchpoint the clause names, else the channel's, else unknown; and which."""
    if c["named"]:
        return c["named"], "named"
    if CHANNEL_TOUCHPOINT[channel]:
        return CHANNEL_TOUCHPOINT[channel], "channel"
    return "unknown", "none"


def csv_bytes(header, rows):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180: CRLF, minimal quoting
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def summary(records):
    """Facts about the planted data that a scorer (or a sceptic) will want."""
    allrecs = [r for s in sorted(records) for r in records[s]]
    late = [r for r in allrecs if (r["ts"] - START).days >= EMERGING_FROM_DAY]
    emerging = [r for r in allrecs if any(k == cat.EMERGING_THEME for k, _ in r["segments"])]
    assert all((r["ts"] - START).days >= EMERGING_FROM_DAY for r in emerging)
    langs, sentiments, pii_types = {}, {}, {}
    for r in allrecs:
        langs[r["lang"]] = langs.get(r["lang"], 0) + 1
        for _, s in r["segments"]:
            sentiments[s] = sentiments.get(s, 0) + 1
        for t, _ in r["pii"]:
            pii_types[t] = pii_types.get(t, 0) + 1
    return {
        "emerging_share_last_two_weeks": round(len(emerging) / len(late), 4),
        "emerging_records": len(emerging),
        "two_issue_share": round(sum(len(r["segments"]) > 1 for r in allrecs) / len(allrecs), 4),
        "records_with_pii_share": round(sum(bool(r["pii"]) for r in allrecs) / len(allrecs), 4),
        "pii_values_by_type": dict(sorted(pii_types.items())),
        "segments_by_sentiment": dict(sorted(sentiments.items())),
        "records_by_language": dict(sorted(langs.items())),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "demo"), help="output directory")
    out = Path(ap.parse_args(argv).out)
    out.mkdir(parents=True, exist_ok=True)
    for t in cat.THEMES:  # catalogue sanity: enough distinct phrasings, valid labels
        assert t["stage"] in cat.JOURNEY_STAGES and t["touchpoint"] in cat.TOUCHPOINTS, t["key"]
        for style in ("notes", "reviews", "complaints"):
            assert len(set(map(str, t[style]))) >= 6, (t["key"], style)
            for entry in t[style]:
                check_annotation(phrase(entry, t["sentiment"])[2], entry)
    for entry in cat.FOREIGN_REVIEWS:
        check_annotation(entry[3] if len(entry) > 3 else {}, entry)

    rng = random.Random(SEED)
    customers = make_customers(rng)
    records = build(rng, plan(rng, customers))
    notes, notes_bad, notes_dup = note_rows(rng, records["call_notes"])
    lines, rev_bad, rev_dup = review_lines(rng, records["reviews"])
    table, cmp_bad, cmp_dup = complaint_table(rng, records["complaints"])

    header = ["note_id", "created_at", "channel", "customer_ref", "notes", "handle_time_sec", "repeat_contact",
              "csat", "churned"]
    (out / "call_notes.csv").write_bytes(csv_bytes(header, notes).replace(BAD_BYTE.encode(), b"\xe9"))
    (out / "reviews.jsonl").write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    pq.write_table(table, out / "complaints.parquet", compression="snappy")

    gt, pii, looks = [], [], []
    for source in ("call_notes", "reviews", "complaints"):
        for r in records[source]:
            looks += [{"source": source, "record_id": r["id"], "kind": k, "value": v} for k, v in r["look"]]
            if not r["gt"]:
                continue
            assert len(r["clauses"]) == len(r["segments"]), r["id"]
            for idx, ((key, sent), c) in enumerate(zip(r["segments"], r["clauses"], strict=True)):
                assert c["text"] in r["text"], (r["id"], c["text"])
                touchpoint, how = ground_truth_touchpoint(c, r.get("channel", r.get("platform")))
                gt.append([source, r["id"], idx, key, c["stage"], touchpoint, sent, r["lang"],
                           c["text"].replace(BAD_BYTE, "\u00e9"), how])
            seen = []
            for ptype, value in r["pii"]:
                if (ptype, value) not in seen:
                    seen.append((ptype, value))
                    pii.append([source, r["id"], ptype, value])
    (out / "ground_truth.csv").write_bytes(csv_bytes(GT_HEADER, gt))
    (out / "planted_pii.csv").write_bytes(csv_bytes(["source", "record_id", "pii_type", "value"], pii))

    manifest = {
        "company": "Brightline Mobile (fictional)",
        "generator": "data/generate_demo.py",
        "seed": SEED,
        "date_range": {"start": START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "end": (START + timedelta(days=DAYS, seconds=-1)).strftime("%Y-%m-%dT%H:%M:%SZ")},
        "row_numbering": "1-based data record number: CSV record after the header (a quoted multi-line record "
                         "counts once), JSONL line number, parquet row index + 1",
        "files": {
            "call_notes.csv": {"rows": len(notes), "malformed": notes_bad, "duplicates": notes_dup},
            "reviews.jsonl": {"rows": len(lines), "malformed": rev_bad, "duplicates": rev_dup},
            "complaints.parquet": {"rows": table.num_rows, "malformed": cmp_bad, "duplicates": cmp_dup},
            "ground_truth.csv": {
                "rows": len(gt),
                "notes": "One row per planted theme clause. touchpoint: the one the clause names or unmistakably "
                         "refers to (touchpoint_source 'named'), else the one the feedback's channel implies "
                         "('channel'), else 'unknown' ('none'); journey_stage is the clause's own. text is the "
                         "clause exactly as it appears in the feedback text (the invalid byte 0xE9 of call_notes.csv "
                         "as 'é'). The themes' journey_stage and touchpoint below are theme defaults.",
                "rows_by_touchpoint_source": dict(sorted(Counter(row[-1] for row in gt).items())),
            },
            "planted_pii.csv": {"rows": len(pii)},
        },
        "customers": {"count": N_CUSTOMERS, "churned": sum(c["churned"] for c in customers)},
        "themes": [{"theme": t["key"], "label": t["label"], "journey_stage": t["stage"], "touchpoint": t["touchpoint"],
                    "sentiment": t["sentiment"], "emerging": t["key"] == cat.EMERGING_THEME} for t in cat.THEMES],
        "emerging_theme": {"theme": cat.EMERGING_THEME, "label": THEMES[cat.EMERGING_THEME]["label"],
                           "first_seen": (START + timedelta(days=EMERGING_FROM_DAY)).strftime("%Y-%m-%d"),
                           "journey_stage": "onboarding", "touchpoint": "mobile_app"},
        "stats": summary(records),
        "pii_notes": "Order numbers (BL-2026-nnnnnn) are typed ACCOUNT. Brand handle @BrightlineHelp, prices, "
                     "dates, flight/plan codes and non-Luhn 16-digit numbers are NOT PII (see lookalikes).",
        "lookalikes": looks,
    }
    (out / "manifest.json").write_bytes((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    for name in ("call_notes.csv", "reviews.jsonl", "complaints.parquet", "ground_truth.csv", "planted_pii.csv"):
        print(f"{name:20s} {manifest['files'][name]['rows']:6d} rows")


if __name__ == "__main__":
    main()
