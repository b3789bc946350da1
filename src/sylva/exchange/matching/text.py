"""Free-text similarity that works in French and English.

Texts are accent-folded, lower-cased, stripped of punctuation and of a short list of French
and English stop words, lightly stemmed (a final plural ``s``/``x`` is dropped), then cut
into character 3- and 4-grams inside word boundaries (like scikit-learn's ``char_wb``).
The similarity is the cosine of the two n-gram count vectors.

There is deliberately no corpus IDF: the similarity of two texts depends on those two texts
only, so ``score(request, offer)`` gives the same number whether it is called alone or inside
``top_candidates``. Stop words do the job IDF would do on the most common words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sylva.people.text import fold

NGRAM_SIZES = (3, 4)
FloatArray = npt.NDArray[np.float64]

_STOP_WORDS = (
    # French
    "a au aux avec c ce ces cette d dans de des du en et il j je l la le les leur lui m ma "
    "mes mon n ne nos notre on ou par pas pour qu que qui s sa se ses son sur t ta te tes "
    "ton un une vos votre y est sont etre avoir faire comment besoin aide apprendre "
    "souhaite veux voudrais peux partager "
    # English
    "an and are as at be by for from how i in into is it its me my of on or our so that "
    "the their this to we with you your want wish learn help need can share"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())

_NON_ALNUM = re.compile(r"[^a-z0-9]+")

Features = dict[str, int]


def normalise(text: str) -> list[str]:
    """The words of ``text`` once folded, stop words removed and lightly stemmed."""
    return [word for token in text.split() for word in _fold(token)]


@lru_cache(maxsize=65536)
def _fold(token: str) -> tuple[str, ...]:
    """``normalise`` of one whitespace-free token (texts repeat their words: cached).

    Folding is character by character and whitespace is never a letter or digit, so
    folding the tokens one by one gives the words of folding the whole text.
    """
    words = []
    for word in _NON_ALNUM.split(fold(token)):
        if not word or word in STOP_WORDS:
            continue
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        words.append(word)
    return tuple(words)


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(
        padded[i : i + size]
        for size in NGRAM_SIZES
        if len(padded) >= size
        for i in range(len(padded) - size + 1)
    )


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    """The character n-gram counts of ``text`` (empty for an empty text)."""
    counts: Counter[str] = Counter()
    for word in normalise(text):
        counts.update(_word_grams(word))
    return dict(counts)


def norm(counts: Features) -> float:
    return math.sqrt(sum(count * count for count in counts.values()))


def cosine(left: Features, right: Features) -> float:
    """Cosine similarity (0-1) of two n-gram count vectors.

    The dot product and the squared norms are integers, so they are exact whatever the order
    of summation: the vectorised path in ``candidates.py`` gets bit-identical values.
    """
    if len(left) > len(right):
        left, right = right, left
    dot = 0
    for gram, count in left.items():
        dot += count * right.get(gram, 0)
    if not dot:
        return 0.0
    return min(1.0, dot / (norm(left) * norm(right)))


def similarity(left: str, right: str) -> float:
    """Cosine similarity (0-1) of two texts."""
    return cosine(features(left), features(right))


def matrix(texts: list[str], vocabulary: dict[str, int]) -> tuple[sp.csr_matrix, FloatArray]:
    """n-gram counts of ``texts`` as a sparse matrix, and their norms.

    New n-grams are added to ``vocabulary``; the caller sets the final width.
    """
    rows: dict[str, tuple[list[int], list[int]]] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for text in texts:
        row = rows.get(text)
        if row is None:
            columns = []
            for gram in features(text):
                column = vocabulary.get(gram)
                if column is None:
                    column = vocabulary[gram] = len(vocabulary)
                columns.append(column)
            row = rows[text] = (columns, list(features(text).values()))
        indices.extend(row[0])
        data.extend(row[1])
        indptr.append(len(indices))
    counts = sp.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(texts), max(len(vocabulary), 1)),
    )
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    return counts, norms
