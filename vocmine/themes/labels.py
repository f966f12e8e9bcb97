"""Theme labels a CX lead reads at a glance: a short phrase in the customers' own words.

Keyword triples ("transfer · update · app fail") say which words a theme over-uses, not what
customers say. A label here is a phrase taken from the theme's own segments, such as "eSIM
transfer fails in the app" or "charged twice on the same bill":

1. candidates: runs of 2 to 7 words inside one clause of a member segment (never across a
   comma, a full stop or a PII placeholder), starting and ending on a content word, plus the
   segments' stored key phrases; greetings and letter formulas never count;
2. a first cut by words: how many sampled members say the phrase, and how distinctive its
   words are for the theme (c-TF-IDF over the sampled members of every theme);
3. the cut is embedded in one batch with the themes' own embedding backend and ranked by
   closeness to the theme's centre minus closeness to the nearest other theme, so the label
   says what sets the theme apart; alternatives follow in MMR order, so a second choice is
   not the first one reworded;
4. no two themes share a label: a theme whose best phrase is taken gets its next one.

Words are those of each segment's language (:mod:`vocmine.text.words`): Chinese clauses are
split into words by jieba and a Chinese label is written without spaces ("重复扣款"); other
scripts keep every letter ("obsługa miła"); stop words are spaCy's list of the language. A
theme holding several languages is labelled once per language from that language's members
only, labels side by side ("charged twice · 重复扣款"), so no label borrows words from
another language's segments.

Casing follows the customers' most common spelling, so acronyms stay as written (eSIM, 5G,
SIM, IVR). Without an embedding backend (``encode=None``) the word ranking alone decides.
Members are sampled (``sample`` per theme), so 120 themes over 50,000 segments take seconds.

Example::

    labels = label_themes(texts, assignments, centroids, backend.encode)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from vocmine.text.words import UNSPACED
from vocmine.text.words import join as join_words
from vocmine.text.words import words as language_words
from vocmine.themes.label_words import (
    CLAUSE,
    EDGE,
    FORMULA_WORDS,
    PARTICULAR,
    PLACEHOLDER,
    can_end,
    can_start,
    cased,
    casing,
    compared,
    distinct_keywords,
    distinct_labels,
    is_content,
    keyword_label,
    label_stop_words,
    overlaps,
)

Encoder = Callable[[list[str]], np.ndarray]

MIN_WORDS, MAX_WORDS = 2, 7


@dataclass
class Candidate:
    key: tuple[str, ...]  # lower-cased words
    support: int  # sampled members that say it
    words: float = 0.0  # word-level score (support and c-TF-IDF)
    score: float = 0.0  # final score


def label_themes(
    texts: Sequence[str],
    assignments: np.ndarray,
    centroids: np.ndarray,
    encode: Encoder | None,
    *,
    languages: Sequence[str] | None = None,
    phrases: Sequence[Iterable[str]] | None = None,
    similarity: np.ndarray | None = None,
    others: np.ndarray | None = None,
    taken: Iterable[str] = (),
    avoid: Iterable[str] = (),
    stop_words: Iterable[str] = (),
    fallback: Sequence[str] | None = None,
    sample: int = 60,
    shortlist: int = 16,
    seed: int = 0,
) -> list[str]:
    """One label per theme 0..len(centroids)-1, unique among themselves and ``taken``.

    ``texts``/``assignments``: every segment and its theme (any other value: outside the
    themes; such segments only make common words less distinctive). ``languages``: each
    segment's language (default: all English); a theme that holds several gets a label per
    language, each made of that language's own members only, biggest first ("charged twice ·
    重复扣款"). ``phrases``: each segment's stored key phrases. ``similarity``: each segment's
    cosine to its theme, so the sample leans on typical members. ``others``: centroids of
    themes not being labelled that a label should still set its theme apart from (known
    themes, when nightly proposals are labelled). ``avoid``: labels a label must neither repeat,
    contain nor sit inside (for theme groups: the themes' labels, so a group is not named after
    one of its themes: "送餐速度" names one theme of the food-delivery group, not the group).
    ``fallback``: a label per theme used when its segments offer no phrase.
    """
    k = len(centroids)
    assignments = np.asarray(assignments)
    taken, avoid = list(taken), [part for label in avoid for part in label.split(LANGUAGE_SEPARATOR)]
    present = sorted(set(languages)) if languages is not None else ["en"]
    if len(present) <= 1:
        chosen = _label_language(_Inputs(texts, assignments, phrases, similarity), centroids, encode,
                                 present[0] if present else "en", others, taken, stop_words, sample, shortlist,
                                 seed, avoid=avoid)
        labels = [label or (fallback[t] if fallback else f"theme {t}") for t, label in enumerate(chosen)]
        return distinct_labels(labels, taken)
    languages = np.asarray(languages)
    shown = theme_languages(assignments, languages, k)
    per_language = {}
    for language in present:
        rows = np.flatnonzero(languages == language)
        own = np.array([language in shown[t] for t in range(k)] + [False])
        # members of a theme that does not show this language count as background
        sub = np.where(own[np.where((assignments[rows] >= 0) & (assignments[rows] < k), assignments[rows], k)],
                       assignments[rows], OUTSIDE)
        inputs = _Inputs([texts[i] for i in rows], sub, [phrases[i] for i in rows] if phrases is not None else None,
                         similarity[rows] if similarity is not None else None)
        per_language[language] = _label_language(inputs, centroids, encode, language, others, taken, stop_words,
                                                  sample, shortlist, seed, own_words=True, avoid=avoid)
    labels = []
    for t in range(k):
        parts = [per_language[language][t] for language in shown[t] if per_language[language][t]]
        labels.append(LANGUAGE_SEPARATOR.join(parts) if parts else (fallback[t] if fallback else f"theme {t}"))
    return distinct_labels(labels, taken)


LANGUAGE_SEPARATOR = " · "
OUTSIDE = -1
MIN_LANGUAGE_SHARE, MIN_LANGUAGE_MEMBERS = 0.1, 3


def theme_languages(assignments: np.ndarray, languages: np.ndarray, k: int) -> list[list[str]]:
    """The languages each theme is labelled in, most members first: those with at least a tenth
    of its members (and three of them); a theme too small for that shows its biggest one."""
    shown = []
    for t in range(k):
        counts = Counter(languages[assignments == t].tolist()).most_common()
        total = sum(n for _, n in counts)
        keep = [lang for lang, n in counts if n >= max(MIN_LANGUAGE_MEMBERS, MIN_LANGUAGE_SHARE * total)]
        shown.append(keep or [lang for lang, _ in counts[:1]])
    return shown


@dataclass
class _Inputs:
    texts: Sequence[str]
    assignments: np.ndarray
    phrases: Sequence[Iterable[str]] | None
    similarity: np.ndarray | None


def _label_language(inputs: _Inputs, centroids: np.ndarray, encode: Encoder | None, language: str,
                    others: np.ndarray | None, taken: list[str], stop_words: Iterable[str], sample: int,
                    shortlist: int, seed: int, own_words: bool = False,
                    avoid: Sequence[str] = ()) -> list[str | None]:
    """A label per theme from the segments of one language (None: no phrase). ``own_words``: a
    theme with no phrase gets its most distinctive words in this language instead."""
    k = len(centroids)
    texts, assignments = inputs.texts, inputs.assignments
    stops = label_stop_words(language, stop_words)
    members = _sample_members(texts, assignments, k, inputs.similarity, sample, seed)
    background = np.flatnonzero((assignments < 0) | (assignments >= k))
    if len(background) > sample * 4:
        background = np.random.default_rng(seed).choice(background, sample * 4, replace=False)
    clauses = {i: _clauses(texts[i], language) for i in {*np.concatenate(members + [background]).tolist()}}
    weights = _word_weights([[w for c in (clauses[i] for i in m) for ws in c for w in ws] for m in members]
                            + [[w for i in background for c in clauses[i] for w in c]], stops)
    cases = casing(clauses.values())
    ranked = []
    for t in range(k):
        found = _candidates(members[t], clauses, inputs.phrases, stops, language)
        for c in found:
            c.words = _word_score(c, len(members[t]), weights[t], stops)
        ranked.append(sorted(found, key=lambda c: (-c.words, c.key))[:shortlist])
    if encode is not None:
        _rank_by_meaning(ranked, centroids, others, encode, language)
    chosen = _unique([[c.key for c in r] for r in ranked], [len(m) for m in members], taken, language, avoid)
    labels: list[str | None] = []
    for t, key in enumerate(chosen):
        if key is not None:
            labels.append(cased(key, cases, language))
        elif own_words and weights[t]:
            best = sorted(weights[t].items(), key=lambda item: (-item[1], item[0]))[:3]
            labels.append(" · ".join(cases.get(w, w) for w, _ in best if is_content(w, stops)) or None)
        else:
            labels.append(None)
    return labels


def _sample_members(texts: Sequence[str], assignments: np.ndarray, k: int, similarity: np.ndarray | None,
                    sample: int, seed: int) -> list[np.ndarray]:
    """Up to ``sample`` members per theme with distinct texts: the most typical half, and a
    seeded random half of the rest, so a label is what the theme's core says, checked against
    its breadth. A sentence copied many times (a template note) counts once: a phrase many
    different sentences share is what customers say."""
    rng = np.random.default_rng(seed)
    order = np.argsort(assignments, kind="stable")
    bounds = np.searchsorted(assignments[order], np.arange(k + 1))
    members = []
    for t in range(k):
        own = order[bounds[t]:bounds[t + 1]]
        if similarity is not None:
            own = own[np.argsort(-similarity[own], kind="stable")]
        own = _first_of_each_text(texts, own)
        if len(own) <= sample:
            members.append(own)
            continue
        if similarity is None:
            members.append(np.sort(rng.choice(own, sample, replace=False)))
            continue
        core, rest = own[:sample // 2], own[sample // 2:]  # own is by closeness
        members.append(np.sort(np.concatenate([core, rng.choice(rest, sample - len(core), replace=False)])))
    return members


def _first_of_each_text(texts: Sequence[str], rows: np.ndarray) -> np.ndarray:
    seen: set[str] = set()
    keep = []
    for i in rows:
        key = " ".join(texts[i].lower().split())
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return np.array(keep, dtype=int)


def _clauses(text: str, language: str = "en") -> list[list[str]]:
    """The words of each clause, as written (edges of punctuation stripped); Chinese words
    from its segmenter (:mod:`vocmine.text.words`)."""
    out = []
    for part in CLAUSE.split(text or ""):
        if language in UNSPACED:
            words = language_words(part, language)
        else:
            words = [w.strip(EDGE) for w in part.split()]
            words = [w for w in words if w and any(ch.isalnum() for ch in w)]
        if words:
            out.append(words)
    return out


def _word_weights(classes: list[list[str]], stops: set[str]) -> list[dict[str, float]]:
    """c-TF-IDF of lower-cased words per class (the last class is the background)."""
    counts = [Counter(w.lower() for w in words if w.lower() not in stops) for words in classes]
    total = Counter()
    for c in counts:
        total.update(c)
    average = sum(total.values()) / max(1, len(counts))
    weights = []
    for c in counts[:-1]:
        size = sum(c.values()) or 1
        row = {w: n / size * math.log(1 + average / total[w]) for w, n in c.items()}
        top = max(row.values(), default=1.0) or 1.0
        weights.append({w: v / top for w, v in row.items()})
    return weights


def _candidates(members: np.ndarray, clauses: dict[int, list[list[str]]],
                phrases: Sequence[Iterable[str]] | None, stops: set[str], language: str = "en") -> list[Candidate]:
    """Every 2-7 word run of a member clause that starts and ends on a content word (or starts
    on a negation), counted once per member; stored key phrases join in."""
    support: Counter = Counter()
    for i in members:
        seen = set()
        for words in clauses[i]:
            lower = [w.lower() for w in words]
            for start, first in enumerate(lower):
                if not can_start(first, stops):
                    continue
                for end in range(start + MIN_WORDS, min(len(lower), start + MAX_WORDS) + 1):
                    if can_end(lower[end - 1], stops, language):
                        seen.add(tuple(lower[start:end]))
        if phrases is not None:
            for phrase in phrases[i] or ():
                key = tuple(phrase.lower().split())
                if (MIN_WORDS <= len(key) <= MAX_WORDS and can_start(key[0], stops)
                        and can_end(key[-1], stops, language)):
                    seen.add(key)
        support.update(seen)
    keep = 2 if len(members) >= 4 else 1
    found = [Candidate(key, n) for key, n in support.items()
             if n >= keep and not FORMULA_WORDS & set(key) and not any(PLACEHOLDER.search(w) for w in key)]
    if not found:  # a tiny or very varied theme: its members' own short phrases
        found = [Candidate(key, n) for key, n in support.items()
                 if not FORMULA_WORDS & set(key) and not any(PLACEHOLDER.search(w) for w in key)]
    return found


def _word_score(candidate: Candidate, members: int, weights: dict[str, float], stops: set[str]) -> float:
    """Share of members saying it (square-rooted: a phrase a few say can still be the best),
    times how distinctive its content words are, with a mild preference for 3-5 words."""
    content = [w for w in dict.fromkeys(candidate.key) if w not in stops]
    if not content:
        return 0.0
    distinct = sum(weights.get(w, 0.0) for w in content) / math.sqrt(len(content))
    length = {2: 0.85, 3: 1.0, 4: 1.0, 5: 0.95, 6: 0.85, 7: 0.75}[len(candidate.key)]
    length *= 0.7 ** sum(bool(PARTICULAR.match(w)) for w in candidate.key)
    return math.sqrt(candidate.support / max(1, members)) * distinct * length


def _rank_by_meaning(ranked: list[list[Candidate]], centroids: np.ndarray, others: np.ndarray | None,
                     encode: Encoder, language: str = "en") -> None:
    """Re-rank each shortlist by closeness to the theme's centre minus closeness to the nearest
    other theme, with the word score as a tie-breaker; alternatives in MMR order."""
    texts = [join_words(c.key, language) for r in ranked for c in r]
    if not texts:
        return
    vectors = np.asarray(encode(texts), dtype=np.float32)
    everyone = centroids if others is None or not len(others) else np.vstack([centroids, others])
    scores = vectors @ everyone.T
    row = 0
    for t, candidates in enumerate(ranked):
        if not candidates:
            continue
        block = slice(row, row + len(candidates))
        row += len(candidates)
        own = scores[block, t]
        rest = np.delete(scores[block], t, axis=1)
        nearest_other = rest.max(axis=1) if rest.shape[1] else np.zeros(len(candidates))
        top_words = max(c.words for c in candidates) or 1.0
        for c, o, n in zip(candidates, own, nearest_other, strict=True):
            particulars = sum(bool(PARTICULAR.match(w)) for w in c.key)
            c.score = float(o - 0.5 * n + 0.3 * c.words / top_words - 0.05 * particulars)
        ranked[t] = _mmr(candidates, vectors[block])


def _mmr(candidates: list[Candidate], vectors: np.ndarray, diversity: float = 0.3) -> list[Candidate]:
    """Best first, then each next one traded off against its likeness to those already kept."""
    left = list(range(len(candidates)))
    order: list[int] = []
    while left:
        if order:
            likeness = (vectors[left] @ vectors[order].T).max(axis=1)
            values = [(1 - diversity) * candidates[i].score - diversity * s for i, s in zip(left, likeness, strict=True)]
        else:
            values = [candidates[i].score for i in left]
        best = left[int(np.argmax(values))]
        order.append(best)
        left.remove(best)
    return [candidates[i] for i in order]


def _unique(ranked: list[list[tuple[str, ...]]], sizes: list[int], taken: Iterable[str], language: str = "en",
            avoid: Iterable[str] = ()) -> list[tuple[str, ...] | None]:
    """Each theme's first choice not already used, and neither inside nor around a label to
    ``avoid``; larger themes choose first."""
    used = {compared(t, language) for t in taken}
    avoided = [compared(a, language) for a in avoid]
    chosen: list[tuple[str, ...] | None] = [None] * len(ranked)
    for t in sorted(range(len(ranked)), key=lambda t: (-sizes[t], t)):
        for key in ranked[t]:
            form = compared(" ".join(key), language)
            if form not in used and not any(overlaps(form, a, language) for a in avoided):
                chosen[t] = key
                used.add(form)
                break
    return chosen


__all__ = ["FORMULA_WORDS", "LANGUAGE_SEPARATOR", "distinct_keywords", "keyword_label", "label_themes",
           "theme_languages"]
