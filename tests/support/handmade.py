"""A hand-made store with known answers for the analyst views and team reports: three themes,
ten feedback from nine customers over eight weeks, two of whom left."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from support.fakes import VocabularyBackend
from vocmine.analytics import refresh_analysis
from vocmine.config import AssumptionsConfig, LostCustomersConfig, Outcome, PrioritiesConfig, ThemesConfig
from vocmine.themes.cases import refresh_feedback_themes

START = datetime(2026, 9, 7)  # a Monday
OUTCOMES = {"rating": Outcome(column="rating", better="higher"),
            "handle_time": Outcome(metadata="handle_time_sec", better="lower"),
            "repeat": Outcome(metadata="repeat_contact", better="lower")}


WORDS = VocabularyBackend(("bill", "charge", "refund", "delivery", "courier", "price", "staff"))


def _theme(con, theme_id: int, label: str, words: str) -> None:
    centroid = WORDS.encode([words])[0].tolist()
    con.execute("INSERT INTO themes (theme_id, label, keywords, level, status, size, centroid, model, created_run, "
                "updated_run) VALUES (?, ?, [], 2, 'active', 0, ?, 'words', 'r', 'r')", [theme_id, label, centroid])


def add_feedback(con, n: int, *, week: int, themes: list[int | None], rating: float | None = None,
              customer: str | None = None, sentiment: float = -0.5, stage: str = "billing",
              touchpoint: str = "bill", **metadata: object) -> None:
    fid = f"f{n}"
    con.execute("INSERT INTO feedback (feedback_id, source, kind, received_at, rating, customer_id, text, metadata, "
                "content_hash, dedup_key, run_id, ingested_at) VALUES (?, 't', 'call_note', ?, ?, ?, 'x', ?, ?, ?, "
                "'r', now())", [fid, START + timedelta(days=7 * week + 1), rating, customer,
                                json.dumps({k: str(v).lower() for k, v in metadata.items()}), fid, fid])
    for position, theme in enumerate(themes):
        sid = f"{fid}-{position}"
        con.execute("INSERT INTO segments VALUES (?, ?, ?, 'x', 'en', ?, 0, 1, '', [], 'v', 'r')",
                    [sid, fid, position, sentiment])
        con.execute("INSERT INTO segment_themes VALUES (?, ?, 0.9, 'r')", [sid, theme])
        con.execute("INSERT INTO segment_journey VALUES (?, ?, 1, 'rule', ?, 1, 'rule', 'v', 'r')",
                    [sid, stage, touchpoint])


def refresh(con, *, assumptions: list[str] = (), teams: dict | None = None, **priorities) -> None:
    refresh_analysis(con, outcomes=OUTCOMES, priorities=PrioritiesConfig(**priorities),
                     lost_customers=LostCustomersConfig(metadata="churned", values=["True"]),
                     assumptions=AssumptionsConfig(priorities=list(assumptions), min_similarity=0.6,
                                                   rarely_voiced_share=0.1),
                     teams=teams or {}, backend=WORDS)


@pytest.fixture
def handmade_store(fresh_db):
    """Theme 1 (double charge): 4 feedback, rating 1, long calls; theme 2 (late delivery): 4, rating 3;
    theme 3 (staff praise): 2 positive. Customers c1, c2 left (churned) after raising theme 1."""
    con = fresh_db
    con.execute("INSERT INTO journey_stages VALUES ('billing', 7, 'Billing', 'd', 'v'), "
                "('delivery', 5, 'Delivery', 'd', 'v')")
    _theme(con, 1, "double charge on bill", "bill charge")
    _theme(con, 2, "late courier delivery", "delivery courier")
    _theme(con, 3, "helpful staff", "staff")
    n = 0
    for i, customer in enumerate(["c1", "c2", "c3", "c4"]):
        n += 1
        add_feedback(con, n, week=i, themes=[1], rating=1, customer=customer, handle_time_sec=900,
                  repeat_contact=True, churned=customer in ("c1", "c2"))
    for i, customer in enumerate(["c5", "c6", "c7", "c1"]):
        n += 1
        add_feedback(con, n, week=4 + i, themes=[2], rating=3, customer=customer, handle_time_sec=300,
                  repeat_contact=False, stage="delivery", touchpoint="delivery")
    for i in range(2):
        n += 1
        add_feedback(con, n, week=6 + i, themes=[3], rating=5, customer=f"c{8 + i}", sentiment=0.6,
                  handle_time_sec="n/a", stage="purchase", touchpoint="store")
    refresh_feedback_themes(con, "words", ThemesConfig(), "r", refit=True)   # one segment each: its theme
    return con
