"""On the demo, letter formulas no longer make a theme, let alone the top priority.

Before boilerplate was kept out, the #1 priority was "complaint · brightline · callback":
"Please treat this as a formal complaint", "Dear Sir or Madam", 1,375 segments. The
generator's own catalogue says which of its sentences are letter formulas, so the check does
not rely on the rules it tests.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from support.paths import ROOT

from vocmine.store.status import source_counts

pytestmark = pytest.mark.slow


def _catalogue():
    spec = importlib.util.spec_from_file_location("demo_catalogue", ROOT / "data" / "demo_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.fixture(scope="module")
def formulas() -> set[str]:
    """The demo's letter formulas: complaint openers, 'Dear Sir or Madam' and the stock closing lines."""
    cat = _catalogue()
    closing = [line for line in cat.COMPLAINT_EXTRAS
               if any(w in line for w in ("ombudsman", "escalated", "prompt response", "inconvenience"))]
    return {_plain(line) for line in [*cat.COMPLAINT_OPENERS, *closing, "Dear Sir or Madam,"]}


def test_boilerplate_demo_letter_formulas_are_never_themed(demo_pipeline, formulas):
    _, con, _ = demo_pipeline
    themed = [_plain(t) for (t,) in con.execute(
        "SELECT s.text FROM segment_themes st JOIN segments s USING (segment_id) WHERE st.theme_id IS NOT NULL"
    ).fetchall()]
    assert len(formulas) == 9 and sum(text in formulas for text in themed) == 0
    flagged = {_plain(t) for (t,) in con.execute(
        "SELECT s.text FROM segment_boilerplate JOIN segments s USING (segment_id)").fetchall()}
    assert formulas <= flagged
    assert con.execute("SELECT count(*) FROM segment_themes WHERE segment_id IN "
                       "(SELECT segment_id FROM segment_boilerplate)").fetchone() == (0,)


def test_boilerplate_demo_no_priority_is_boilerplate_and_content_stays_themed(demo_pipeline, formulas):
    _, con, _ = demo_pipeline
    priorities = con.execute("SELECT theme_id, label FROM priorities ORDER BY priority_rank").fetchall()
    assert len(priorities) == 15
    for theme_id, label in priorities:
        top = [_plain(t) for (t,) in con.execute(
            "SELECT s.text FROM segment_themes st JOIN segments s USING (segment_id) WHERE st.theme_id = ? "
            "GROUP BY s.text ORDER BY count(*) DESC, s.text LIMIT 10", [theme_id]).fetchall()]
        assert sum(t in formulas for t in top) == 0, label
        assert "complaint" not in label, label  # the former #1, 'complaint · brightline · callback', is gone
    # a letter's content after its greeting keeps a theme: 'Dear Sir or Madam, <opener>' lost only the formulas
    letters = con.execute("""
        SELECT count(DISTINCT f.feedback_id), count(DISTINCT st.segment_id)
        FROM feedback f JOIN segments s USING (feedback_id) JOIN segment_themes st USING (segment_id)
        WHERE f.text LIKE 'Dear Sir or Madam,%' AND st.theme_id IS NOT NULL""").fetchone()
    total = con.execute("SELECT count(*) FROM feedback WHERE text LIKE 'Dear Sir or Madam,%'").fetchone()[0]
    assert total > 50 and letters[0] >= 0.95 * total


def test_boilerplate_demo_status_counts_boilerplate_per_source(demo_pipeline):
    _, con, _ = demo_pipeline
    counts = {row["source"]: row for row in source_counts(con)}
    assert counts["complaints"]["boilerplate"] > 500  # the letters
    assert all(0 <= row["boilerplate"] < row["segments"] for row in counts.values())


def test_boilerplate_demo_opinions_said_word_for_word_stay_content(demo_pipeline):
    """The generator repeats its stock opinions word for word ("Really disappointed.", "Would not
    recommend.", "I have been a customer for 7 years and expected better."): their words are used
    only in lines repeated like them, yet they are what customers say, not formulas."""
    _, con, _ = demo_pipeline
    cat = _catalogue()
    said = [line for kind in ("negative", "positive", "churn") for line in cat.REVIEW_EXTRAS[kind]
            if not line.startswith("Thanks")] + cat.COMPLAINT_CHURN + [cat.COMPLAINT_EXTRAS[-1]]
    patterns = [re.compile(_plain(line.replace("{years}", "7")).replace("7", r"\d+")) for line in said]
    flagged = [_plain(t) for (t,) in con.execute(
        "SELECT s.text FROM segment_boilerplate JOIN segments s USING (segment_id)").fetchall()]
    assert [t for t in flagged if any(p.fullmatch(t) for p in patterns)] == []
    themed = [_plain(t) for (t,) in con.execute(
        "SELECT s.text FROM segment_themes st JOIN segments s USING (segment_id) WHERE st.theme_id IS NOT NULL"
    ).fetchall()]
    assert sum(any(p.fullmatch(t) for p in patterns) for t in themed) > 500
