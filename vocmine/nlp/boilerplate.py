"""Boilerplate: the lines around what customers say, kept out of the insight.

"Dear Sir or Madam", "Please treat this as a formal complaint", "Sent from my iPhone", a
brand's "DM us" or "-Becky", an agent's "No further action": lines like these recur in
thousands of feedback about everything, so theme discovery files them as one big theme about
nothing, and that theme tops the priorities (on the demo: 1,375 segments, #1). A segment is
boilerplate when

- ``no_words``: it has no word of its own, only personal data, numbers or symbols ("[URL]");
- ``greeting`` / ``signoff`` / ``header`` / ``formula``: it matches one of the language's
  formulas (shipped in ``boilerplate.toml``, extended by ``[nlp.boilerplate.<lang>]``);
- ``repeated``: the same line (after normalising names, numbers, handles and placeholders)
  is in at least ``min_feedback`` feedback from ``min_customers`` customers, mostly beside
  other content (a *spread* line), and has no content word of its own. A word is not the
  line's own when it is in the formula vocabulary, or when the corpus uses it (almost) only
  inside spread lines (``min_formula_share`` of its segments), at most one such word per line
  and no more than the line has vocabulary words: "pleasant" of "Wishing you a pleasant
  evening!" or "swift" of "Hoping for a swift reply." never appear in what customers say, so the
  line is a formula even though no list names it (the common courtesy wrappers, "Have a nice
  day!", "Awaiting your response.", are named in the shipped formulas: a small store, or one
  where few customers write them, has too few repeats for this rule). That is the guard: "my card was declined", said by fifty
  customers, has words the corpus uses everywhere else ("card" in hundreds of other segments),
  and "really disappointed", repeated word for word, has no formula wording at all: both stay
  content.

A greeting or sign-off glued to content ("Dear Sir, my bill is wrong") is cut into its own
segment during enrichment (``vocmine_formulas``), so the content keeps its segment.

Which step owns it: ``mark_boilerplate`` runs at the end of every enrichment run and
re-evaluates the whole corpus in DuckDB (one pass over the segments), because the repeated
rule depends on the corpus: a line that becomes frequent later is caught, a segment that no
longer qualifies (or a formula removed from the config) is released. Theme steps read
``segment_boilerplate`` and leave those segments unthemed.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from vocmine.config.boilerplate import BoilerplateConfig, FormulaSet
from vocmine.store.sqlfiles import read_sql, run_sql
from vocmine.store.tx import registered, transaction

RULES = ("no_words", "greeting", "signoff", "header", "formula", "repeated")  # as vocmine/store/checks.toml
_KIND_NAMES = {"greeting": "greeting", "signoff": "sign-off", "header": "header", "formula": "formula"}
_PLACEHOLDER = re.compile(r"^(<\w+>|x|0+|\^)$")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")  # scripts written without spaces (CJK)
# A repeated line may hold this many words that only the data vouches for, and no more than it has
# vocabulary words: a formula's variant ("wishing you a pleasant evening", "hoping for a swift reply") is anchored
# in formula wording; a stock opinion repeated by generated or templated feedback ("really
# disappointed", "would not recommend", "been a customer for 0 years and expected better") is not.
_FIXED_WORDS = 1


@cache
def shipped_formulas() -> dict[str, FormulaSet]:
    """The per-language formulas vocmine ships (vocmine/nlp/boilerplate.toml)."""
    text = (resources.files("vocmine.nlp") / "boilerplate.toml").read_text(encoding="utf-8")
    return {lang: FormulaSet(**lists) for lang, lists in tomllib.loads(text).items()}


def formula_sets(config: BoilerplateConfig) -> dict[str, FormulaSet]:
    """Shipped formulas (unless ``shipped = false``) plus the configured ones, per language."""
    merged: dict[str, FormulaSet] = {}
    base = shipped_formulas() if config.shipped else {}
    for lang in sorted(set(base) | set(config.languages)):
        parts = [s for s in (base.get(lang), config.languages.get(lang)) if s is not None]
        merged[lang] = FormulaSet(**{field: [v for s in parts for v in getattr(s, field)]
                                     for field in FormulaSet.model_fields})
    return merged


@dataclass(frozen=True)
class LineStats:
    """How one normalised line is spread over the corpus."""

    feedback: int
    customers: int
    alone_share: float  # of its feedback, the share where it is the only segment

    def spread(self, config: BoilerplateConfig) -> bool:
        """In many feedback from many customers, mostly beside other content: how a formula repeats."""
        return (self.feedback >= config.min_feedback and self.customers >= config.min_customers
                and self.alone_share <= config.max_alone_share)


def formula_word_shares(lines: Iterable[tuple[str, str, LineStats, int]],
                        config: BoilerplateConfig) -> dict[str, dict[str, float]]:
    """Per language, each word's share of its segments that are spread lines.

    ``lines`` holds (language, lemmas, stats, segments) per distinct line. Why: a word that the
    corpus uses only inside lines repeated the same way across customers ("nice" in "have a nice
    day", "await" in "awaiting your response") is part of a fixed phrase, not something a
    customer says about their case; a word like "card" is used in many other segments too.
    The lemmas of a line stand for all its segments (one normalised line, one wording).
    """
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    spread: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for language, lemmas, stats, segments in lines:
        is_spread = stats.spread(config)
        for word in set(lemmas.lower().split()):
            total[language][word] += segments
            if is_spread:
                spread[language][word] += segments
    return {language: {w: spread[language][w] / n for w, n in words.items() if spread[language][w]}
            for language, words in total.items()}


class LineRules:
    """The rules of one language, compiled once: ``classify`` says whether a line is boilerplate.

    >>> rules = LineRules(formula_sets(BoilerplateConfig())["en"], BoilerplateConfig())
    >>> rules.classify("dear sir or madam", "", LineStats(1, 1, 0.0))[0]
    'greeting'
    >>> rules.classify("my card was declined", "card decline", LineStats(50, 50, 0.2)) is None
    True
    >>> rules.classify("have a nice day", "nice day", LineStats(1, 1, 1.0))[0]
    'formula'
    >>> rules.classify("wishing you a pleasant evening", "wish pleasant evening", LineStats(50, 50, 0.2),
    ...                {"pleasant": 1.0})[0]
    'repeated'
    """

    def __init__(self, formulas: FormulaSet, config: BoilerplateConfig) -> None:
        self.config = config
        self.words = set(formulas.words)
        # a greeting or sign-off line may name anyone ("hi becky") and anything of the vocabulary
        # ("hi there team"): its words after the formula are checked in ``_addressed``
        self.kinds = [
            ("greeting", [(re.compile(rf"(?:{p})((?: \S+)*)"), p) for p in formulas.greetings]),
            ("signoff", [(re.compile(rf"(?:{p})((?: \S+)*)"), p) for p in formulas.signoffs]),
            ("header", [(re.compile(rf"(?:{p})(?: (?:<\w+>|x|0))*"), p) for p in formulas.headers]),
            ("formula", [(re.compile(p), p) for p in formulas.formulas]),
        ]
        # one alternation for all: most lines match nothing, and are then tried once, not per formula
        self.any = re.compile("|".join(f"(?:{p.pattern})" for _, patterns in self.kinds for p, _ in patterns)
                              or "(?!)")

    def classify(self, line: str, lemmas: str, stats: LineStats,
                 word_shares: Mapping[str, float] | None = None) -> tuple[str, str] | None:
        """(rule, reason) for a boilerplate line, None for content. ``word_shares``: the
        language's ``formula_word_shares`` (without it, only the vocabulary vouches for words)."""
        if not any(ch.isalpha() for token in line.split() if not _PLACEHOLDER.match(token)
                   for ch in token.lstrip("^")):
            return "no_words", "no words of its own: only personal data, numbers or symbols"
        if self.any.fullmatch(line):
            for kind, patterns in self.kinds:
                for pattern, source in patterns:
                    match = pattern.fullmatch(line)
                    if match and (kind not in ("greeting", "signoff") or self._addressed(match.group(pattern.groups))):
                        return kind, f"matches the {_KIND_NAMES[kind]} '{source}'"
        return self._repeated(lemmas, stats, word_shares or {})

    def _addressed(self, rest: str) -> bool:
        """What follows a greeting or sign-off: placeholders, vocabulary, initials and at most one
        other word (a name: "yours sincerely aisha f"). Chinese has no spaces, so a whole clause is one
        "word" ("谢谢，送餐很快" is thanks for fast delivery): there the other word must be as short as a
        form of address (师傅, 小王; a name itself is <person> by now)."""
        others = [w for w in rest.split() if not (_PLACEHOLDER.match(w) or w in self.words or len(w) == 1)]
        return len(others) <= 1 and all(len(w) <= 2 or not _UNSPACED.search(w) for w in others)

    def _repeated(self, lemmas: str, stats: LineStats, word_shares: Mapping[str, float]) -> tuple[str, str] | None:
        c = self.config
        if not stats.spread(c):
            return None
        outside = {w for w in lemmas.lower().split() if w not in self.words}
        fixed = sorted(w for w in outside if word_shares.get(w, 0.0) >= c.min_formula_share)
        vocabulary = len({w for w in lemmas.lower().split() if w in self.words})
        if len(fixed) > min(_FIXED_WORDS, vocabulary):  # a stock opinion, not a formula's variant
            fixed = []
        own = sorted(outside - set(fixed))
        if len(own) > c.max_content_words:
            return None
        return "repeated", (f"the same line in {stats.feedback} feedback from {stats.customers} customers, "
                            f"{1 - stats.alone_share:.0%} of them beside other content, no content words "
                            "outside the formula vocabulary" + (f" but {', '.join(own)}" if own else "")
                            + (f"; {', '.join(fixed)} only in lines repeated like this one" if fixed else ""))


def line_rules(config: BoilerplateConfig) -> dict[str, LineRules]:
    """Compiled rules per language; a language without formulas still has the generic rules."""
    return {lang: LineRules(f, config) for lang, f in formula_sets(config).items()}


def split_patterns(language: str, config: BoilerplateConfig) -> dict[str, list[str]]:
    """What the ``vocmine_formulas`` component cuts off for this language (part of the
    pipeline version: changing it changes the segments)."""
    if not config.enabled:
        return {"greetings": [], "signoffs": [], "headers": [], "words": []}
    f = formula_sets(config).get(language, FormulaSet())
    return {"greetings": f.greetings, "signoffs": f.signoffs, "headers": f.headers, "words": f.words}


@dataclass
class BoilerplateResult:
    segments: int = 0  # boilerplate segments now
    flagged: int = 0  # newly flagged by this run
    released: int = 0  # no longer boilerplate
    rules: dict[str, int] | None = None

    def counts(self) -> dict[str, object]:
        return {"boilerplate": self.segments, "boilerplate_flagged": self.flagged,
                "boilerplate_released": self.released}


def unflag_changed(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Drop the flags of the segments enrichment run ``run_id`` changed (``changed_segments``):
    a flag belongs to the text it was found in; ``mark_boilerplate`` at the end of the run
    evaluates the new text."""
    con.execute("DELETE FROM segment_boilerplate WHERE segment_id IN "
                "(SELECT segment_id FROM changed_segments WHERE run_id = ?)", [run_id])


def mark_boilerplate(con: duckdb.DuckDBPyConnection, config: BoilerplateConfig, run_id: str) -> BoilerplateResult:
    """Re-evaluate every segment and store the boilerplate ones in ``segment_boilerplate``."""
    statements = read_sql("vocmine.nlp", "boilerplate_lines.sql")
    for statement in statements[:-1]:
        con.execute(statement)
    rows = con.execute(statements[-1]).fetchall() if config.enabled else []
    lines = [(language, line, lemmas or "", LineStats(feedback, customers, alone), segments)
             for language, line, feedback, customers, alone, lemmas, segments in rows]
    shares = formula_word_shares(((lang, lemmas, stats, n) for lang, _, lemmas, stats, n in lines), config)
    rules = line_rules(config)
    generic = LineRules(FormulaSet(), config)
    found = []
    for language, line, lemmas, stats, _ in lines:
        verdict = rules.get(language, generic).classify(line, lemmas, stats, shares.get(language, {}))
        if verdict:
            found.append((language, line, *verdict))
    table = pa.table({"language": pa.array([f[0] for f in found], pa.string()),
                      "line": pa.array([f[1] for f in found], pa.string()),
                      "rule": pa.array([f[2] for f in found], pa.string()),
                      "reason": pa.array([f[3] for f in found], pa.string())})
    result = BoilerplateResult()
    with registered(con, boilerplate_found=table), transaction(con):
        before = con.execute("SELECT count(*) FROM segment_boilerplate").fetchone()[0]
        kept = con.execute("""
            SELECT count(*) FROM segment_boilerplate t JOIN boilerplate_segments b USING (segment_id)
            JOIN boilerplate_found f ON f.language = b.language AND f.line = b.line
            WHERE f.rule = t.rule AND f.line = t.line""").fetchone()[0]
        run_sql(con, "vocmine.nlp", "boilerplate_store.sql", {"run_id": run_id})
        result.segments = con.execute("SELECT count(*) FROM segment_boilerplate").fetchone()[0]
    result.released = before - kept
    result.flagged = result.segments - kept
    result.rules = dict(con.execute("SELECT rule, count(*) FROM segment_boilerplate GROUP BY rule ORDER BY rule")
                        .fetchall())
    return result


__all__ = [
    "BoilerplateResult",
    "LineRules",
    "LineStats",
    "formula_sets",
    "formula_word_shares",
    "line_rules",
    "mark_boilerplate",
    "shipped_formulas",
    "split_patterns",
    "unflag_changed",
]
