"""Theme discovery with BERTopic, sized for analysts and deterministic for a given seed.

Vanilla BERTopic (UMAP + HDBSCAN) fragments customer feedback into hundreds of topics and
leaves an eighth of it as outliers (banking77: 308 topics, 13%). Analysts need a number of
themes they can read through and almost every segment placed, so the recipe is:

1. reduce the embeddings with UMAP (fixed seed, so the same data gives the same themes), one
   point per *phrasing*: segments that say the same words, numbers aside ("quoted ETF £22.50",
   "quoted ETF £31"), are one point at their mean vector. A sentence repeated by a template or
   a script is one way of saying something, not a subject: fitted once per copy it forms a
   tight clump that k-means isolates as a theme of its own, and which clumps become themes
   changes from fit to fit (docs/themes.md, "One point per phrasing");
2. cluster with k-means into the number of themes, within ``[min_themes, max_themes]``, that
   best separates the segments (``sizing.number_of_themes``): every segment lands in a theme;
   then merge themes that say the same thing twice (``sizing.duplicate_themes``);
3. call a segment an outlier only when it is far from its theme's centroid in the original
   embedding space (cosine below ``similarity_floor``);
4. describe each theme by c-TF-IDF over segment lemmas (stop words, PII placeholders and
   brand handles never reach the lemmas), unigrams and bigrams, frequent words damped. The
   lemmas are already words of their language (enrichment splits Chinese into words with
   jieba), so tokens are runs of letters of any script. BERTopic is told the documents are
   multilingual: told nothing, it deletes every character outside [A-Za-z0-9 ] before
   counting ("obsuga" for "obsługa"; no Chinese or Cyrillic word at all). vocmine does that
   cleaning itself for letters of every script (``clean_documents``), so English keywords are
   what they were ("top-up" counts as "topup", "can't" as "cant");
5. group themes into a second level by clustering their centroids, as many groups as the
   centroids show (``_groups``).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from vocmine.config.themes import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.themes.labels import keyword_label
from vocmine.themes.sizing import ChosenKMeans, duplicate_themes

OUTLIER = -1
MIN_PHRASINGS = 50  # fewer phrasings than this: fit one point per distinct vector (UMAP needs neighbours)
# BERTopic warns about steps vocmine does on purpose (custom topic assignments, saving
# without an embedding model); its errors still show.
# BERTopic resets its logger's level on every init, so a filter, not a level.
logging.getLogger("BERTopic").addFilter(lambda record: record.levelno >= logging.ERROR)


@dataclass
class ThemeFit:
    assignments: np.ndarray  # theme index per segment, OUTLIER when too far from every centroid
    similarity: np.ndarray  # cosine of each segment to its theme centroid
    centroids: np.ndarray  # themes x dim, L2-normalised, in the original embedding space
    keywords: list[list[tuple[str, float]]]  # per theme, best c-TF-IDF words first
    labels: list[str]  # keyword labels ("late delivery · courier"); a refit replaces them with phrases
    groups: np.ndarray  # group index per theme
    model: object  # the fitted BERTopic, for saving and transform

    @property
    def outlier_share(self) -> float:
        return float((self.assignments == OUTLIER).mean()) if len(self.assignments) else 0.0


def discover_themes(embeddings: np.ndarray, documents: list[str], config: ThemesConfig,
                    phrasings: Sequence[str] | None = None) -> ThemeFit:
    """Fit themes on segment embeddings (rows L2-normalised) and their lemma documents.

    ``phrasings``: each segment's text (redacted is fine); segments whose texts say the same
    words, numbers aside, are fitted as one point. Without them, as before: one point per
    distinct vector."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from umap import UMAP

    documents = clean_documents(documents)
    distinct, first, inverse = fit_points(embeddings, phrasings)
    # a phrasing sent n times weighs sqrt(n) in k-means: more than one way of saying it, far
    # less than n (one point per distinct vector, as before: every point weighs the same)
    weights = np.sqrt(np.bincount(inverse, minlength=len(distinct))) if len(distinct) < len(embeddings) \
        and phrasings is not None else None
    vectorizer = _vectorizer(config, min_df=2 if len(documents) > 200 else 1)
    ctfidf = ClassTfidfTransformer(reduce_frequent_words=True)
    model = BERTopic(
        umap_model=UMAP(n_components=5, n_neighbors=15, min_dist=0.0, metric="cosine",
                        random_state=config.seed),
        hdbscan_model=ChosenKMeans(distinct, config, weights),  # chooses the number of themes
        vectorizer_model=vectorizer,
        ctfidf_model=ctfidf,
        top_n_words=10,
        calculate_probabilities=False,
        language="multilingual",  # only stops the ASCII-only cleaning: the vectors are given, no model is chosen
    )
    distinct_topics = np.asarray(model.fit_transform([documents[i] for i in first], distinct)[0])
    topics = distinct_topics[inverse]
    # keywords weighed by every segment, not by distinct texts
    _update_keywords(model, documents, topics, vectorizer, ctfidf)
    topics, centroids = _merge_duplicates(model, embeddings, documents, topics, config)
    k = len(centroids)
    similarity = np.einsum("ij,ij->i", embeddings, centroids[topics])
    assignments = np.where(similarity >= config.similarity_floor, topics, OUTLIER)
    keywords = [[(w, float(s)) for w, s in (model.get_topic(t) or []) if w] for t in range(k)]
    labels = [keyword_label(words, t) for t, words in enumerate(keywords)]
    return ThemeFit(assignments, similarity, centroids, keywords, labels,
                    _groups(centroids), model)


def fit_points(embeddings: np.ndarray, phrasings: Sequence[str] | None = None, minimum: int | None = None,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(points to fit, one segment of each point, point of each segment), in an order that does
    not depend on the order of the segments.

    Identical segments ("Thanks", template notes) tie in UMAP's neighbour search and make it
    non-deterministic, so identical vectors are always one point. With ``phrasings``, segments
    that say the same words, numbers aside, are one point too, at their mean vector: a template
    ("Cust wants to cancel, quoted ETF £{amount}") weighs as one way of saying something,
    however many copies of it a night holds.

    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [1.0, 0.0]])
    >>> points, first, inverse = fit_points(v, ["Quoted £22.50", "quoted £31", "Thanks"], minimum=2)
    >>> inverse.tolist(), len(points)
    ([0, 0, 1], 2)

    Under ``MIN_PHRASINGS`` phrasings (a handful of template notes) UMAP would have too few
    points to find neighbours among, so each distinct vector is a point, as without phrasings.
    """
    keys, group = np.unique([phrasing_key(p) for p in phrasings or []], return_inverse=True)
    if phrasings is None or len(keys) < (MIN_PHRASINGS if minimum is None else minimum):
        distinct, first, inverse = np.unique(embeddings, axis=0, return_index=True, return_inverse=True)
        return distinct, first, inverse.reshape(-1)
    group = group.reshape(-1)
    sums = np.zeros((len(keys), embeddings.shape[1]), dtype=np.float64)
    np.add.at(sums, group, embeddings)
    means = normalise_rows(sums).astype(embeddings.dtype)
    distinct, first_group, point_of_group = np.unique(means, axis=0, return_index=True, return_inverse=True)
    # one segment per point: the first of the first group that became it
    first_of_group = np.full(len(keys), len(group), dtype=int)
    np.minimum.at(first_of_group, group, np.arange(len(group)))
    return distinct, first_of_group[first_group], point_of_group.reshape(-1)[group]


_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_WORD = re.compile(r"[^\W_]+|#")


def phrasing_key(text: str) -> str:
    """The words of a text, lower-cased, every number one "#": the key segments are fitted by.

    >>> phrasing_key("Cust wants to cancel, quoted ETF £22.50!") == phrasing_key("cust wants to cancel quoted etf £31")
    True
    """
    return " ".join(_WORD.findall(_NUMBER.sub("#", text.lower())))


def fit_on_sample(embeddings: np.ndarray, documents: list[str], config: ThemesConfig,
                  phrasings: Sequence[str] | None = None) -> ThemeFit:
    """``discover_themes`` on at most ``config.fit_sample`` segments (a seeded random sample);
    every other segment joins its nearest theme centroid, or is an outlier below the floor.

    UMAP's cost and memory grow faster than the corpus; a sample of tens of thousands already
    shows every theme big enough to matter, and placing the rest is one matrix product."""
    if not config.fit_sample or len(embeddings) <= config.fit_sample:
        return discover_themes(embeddings, documents, config, phrasings)
    sample = np.sort(np.random.default_rng(config.seed).choice(len(embeddings), config.fit_sample, replace=False))
    fit = discover_themes(embeddings[sample], [documents[i] for i in sample], config,
                          None if phrasings is None else [phrasings[i] for i in sample])
    topics, similarity = np.empty(len(embeddings), dtype=int), np.empty(len(embeddings), dtype=np.float32)
    for start in range(0, len(embeddings), 50_000):  # 50k x 120 themes at a time
        scores = embeddings[start:start + 50_000] @ fit.centroids.T
        topics[start:start + 50_000] = scores.argmax(axis=1)
        similarity[start:start + 50_000] = scores.max(axis=1)
    assignments = np.where(similarity >= config.similarity_floor, topics, OUTLIER)
    assignments[sample], similarity[sample] = fit.assignments, fit.similarity  # the fit's own say
    return replace(fit, assignments=assignments, similarity=similarity)


def _merge_duplicates(model, embeddings: np.ndarray, documents: list[str], topics: np.ndarray,
                      config: ThemesConfig) -> tuple[np.ndarray, np.ndarray]:
    """Topics and centroids after themes that say the same thing twice are merged, and themes
    without a word of their own joined to their nearest theme."""
    k = int(topics.max()) + 1
    centroids = _centroids(embeddings, topics, k)
    weights = model.c_tf_idf_[:k].toarray()
    into = _fold_wordless(duplicate_themes(centroids, weights, config), centroids, weights)
    if into.max() + 1 == k:
        return topics, centroids
    topics = into[topics]
    centroids = _centroids(embeddings, topics, int(into.max()) + 1)
    _update_keywords(model, documents, topics, model.vectorizer_model, model.ctfidf_model)
    model.topic_embeddings_ = centroids  # BERTopic cannot recompute them without an embedding model
    return topics, centroids


def _fold_wordless(into: np.ndarray, centroids: np.ndarray, keyword_weights: np.ndarray) -> np.ndarray:
    """``into`` with every theme whose segments hold no countable word (interjections, "呃………",
    "这啥？", stop words only) joined to the nearest theme that has words, renumbered 0..m-1.
    Such a theme has no keywords, so no label but "theme N", and says nothing an analyst could
    act on; its segments still belong somewhere.

    >>> _fold_wordless(np.array([0, 1, 2]), np.eye(3)[[0, 1, 0]], np.array([[1.0], [1.0], [0.0]])).tolist()
    [0, 1, 0]
    """
    wordless = ~np.asarray(keyword_weights, dtype=np.float64).any(axis=1)
    if not wordless.any() or wordless.all():
        return into
    similarity = centroids[wordless] @ centroids[~wordless].T
    into = into.copy()
    into[wordless] = into[~wordless][similarity.argmax(axis=1)]
    return np.unique(into, return_inverse=True)[1].reshape(-1)


def _update_keywords(model, documents: list[str], topics: np.ndarray, vectorizer, ctfidf) -> None:
    """c-TF-IDF over every segment, its documents in one canonical order: BERTopic joins a
    theme's documents into one text, so the bigrams across their seams (and thus the keywords
    and the merges they decide) would otherwise follow the order the segments were read in."""
    order = sorted(range(len(documents)), key=lambda i: (int(topics[i]), documents[i]))
    model.update_topics([documents[i] for i in order], topics=[int(topics[i]) for i in order],
                        vectorizer_model=vectorizer, ctfidf_model=ctfidf)


def describe_themes(
    documents: list[str], topics: np.ndarray, n_themes: int, config: ThemesConfig, top_n: int = 10
) -> tuple[list[list[tuple[str, float]]], list[str]]:
    """Keywords and labels for themes 0..n_themes-1 found outside a BERTopic fit.

    Documents with any other topic (e.g. a background sample of the corpus) only weigh the
    c-TF-IDF, so a small new theme is described by what sets it apart from everything else.
    """
    from bertopic.vectorizers import ClassTfidfTransformer

    classes = sorted({int(t) for t in topics})
    documents = clean_documents(documents)
    joined = [" ".join(d for d, t in zip(documents, topics, strict=True) if t == c) for c in classes]
    vectorizer = _vectorizer(config, min_df=1)
    counts = vectorizer.fit_transform(joined)
    scores = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts).toarray()
    words = vectorizer.get_feature_names_out()
    keywords = []
    for theme in range(n_themes):
        row = scores[classes.index(theme)] if theme in classes else np.zeros(len(words))
        best = [i for i in np.argsort(-row, kind="stable")[:top_n] if row[i] > 0]
        keywords.append([(str(words[i]), float(row[i])) for i in best])
    return keywords, [keyword_label(words, t) for t, words in enumerate(keywords)]


_NOT_WORD = re.compile(r"[^\w ]+|_+")


def clean_documents(documents: list[str]) -> list[str]:
    """BERTopic's own cleaning (line breaks to spaces, then every character that is neither a
    letter, a digit nor a space deleted), for letters of any script: "obsługa" stays whole."""
    return [_NOT_WORD.sub("", d.replace("\n", " ").replace("\t", " ")) for d in documents]


# Words of two letters or more in any script, not numbers: "obsługa", "черга", "扣款" (a single
# Chinese character, like a single Latin letter, is too vague for a keyword).
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"


def _vectorizer(config: ThemesConfig, min_df: int) -> CountVectorizer:
    # "emptydoc": what BERTopic puts in place of a theme's empty document
    return CountVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS | set(config.stop_words) | {"emptydoc"}),
                           ngram_range=(1, 2), min_df=min_df, token_pattern=TOKEN_PATTERN)


def _centroids(embeddings: np.ndarray, topics: np.ndarray, k: int) -> np.ndarray:
    sums = np.zeros((k, embeddings.shape[1]), dtype=np.float64)
    np.add.at(sums, topics, embeddings)
    return normalise_rows(sums)


def _groups(centroids: np.ndarray) -> np.ndarray:
    """Second level: about sqrt(k) groups of themes by centroid similarity (average link, cosine).

    Why not as many groups as the centroids show: cutting the tree where the themes' silhouette
    is best (measured, ``benchmarks/theme_groups.py``, docs/themes.md "Theme groups: how many")
    split a Chinese two-domain set into its two domains, but split a three-language set by
    language, putting Polish product reviews with Ukrainian public services, and on a real store
    fitted on clauses made one group of hotel praise and one of food and hotel complaints
    together. About sqrt(k) groups mix no domains on those sets; an analyst reads through them.
    A theme far from every other may be a group of its own: a small domain (the Polish products
    of that set) is one theme.
    """
    k = len(centroids)
    if k < 4:
        return np.zeros(k, dtype=int)
    clustering = AgglomerativeClustering(n_clusters=max(2, round(math.sqrt(k))), metric="cosine", linkage="average")
    return clustering.fit_predict(centroids)
