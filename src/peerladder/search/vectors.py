"""TF-IDF as plain arrays: what a fitted vectorizer knows, without scikit-learn.

A worker that answers similar-cases and suggestion requests needs only a fitted
vocabulary, its IDF weights and the rule that cuts text into words. Kept as
numpy arrays (the terms as one UTF-8 blob with offsets, sorted so that a word is
found by bisection), they can be memory-mapped from a file and shared by every
worker of a server; scikit-learn's own vectorizer keeps its vocabulary in a
Python dict, copied into every process. Fitting still uses scikit-learn, in the
process that rebuilds (:func:`space_from_vectorizer`); :meth:`TfidfSpace.transform`
gives the same vector as the fitted vectorizer's ``transform``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

# scikit-learn's default token pattern: words of two or more letters or digits.
WORD_PATTERN = r"(?u)\b\w\w+\b"


class Terms:
    """A sorted list of words held as one UTF-8 blob and its offsets (read-only arrays)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets
        self._bytes = memoryview(blob).cast("B") if blob.size else memoryview(b"")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, position: int) -> bytes:
        start, end = int(self.offsets[position]), int(self.offsets[position + 1])
        return bytes(self._bytes[start:end])

    def position(self, word: str) -> int | None:
        """Where ``word`` sits in the sorted list, or None when it is not there."""
        encoded = word.encode("utf-8")
        found = bisect.bisect_left(self, encoded)
        return found if found < len(self) and self[found] == encoded else None

    @staticmethod
    def pack(words: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The blob and offsets of ``words``, sorted by their UTF-8 bytes."""
        encoded = sorted(word.encode("utf-8") for word in words)
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        if encoded:
            offsets[1:] = np.cumsum([len(word) for word in encoded])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return blob, offsets


@dataclass
class TfidfSpace:
    """A fitted TF-IDF vectorizer: how text becomes words, and each word's column and IDF.

    ``columns[i]`` is the column of the i-th term in sorted order; ``idf[column]``
    its weight. ``lowercase``, ``split`` (whitespace, else the word pattern),
    ``stop_words`` and ``sublinear_tf`` repeat the vectorizer's settings.
    """

    terms: Terms
    columns: np.ndarray
    idf: np.ndarray
    lowercase: bool
    split: bool
    stop_words: frozenset[str]
    sublinear_tf: bool

    @property
    def width(self) -> int:
        return len(self.idf)

    def words(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        words = text.split() if self.split else re.findall(WORD_PATTERN, text)
        return [word for word in words if word not in self.stop_words]

    def transform(self, text: str) -> dict[int, float]:
        """The L2-normalised TF-IDF vector of ``text``, as {column: weight}."""
        vector: dict[int, float] = {}
        for word, count in Counter(self.words(text)).items():
            position = self.terms.position(word)
            if position is None:
                continue
            column = int(self.columns[position])
            tf = 1.0 + math.log(count) if self.sublinear_tf else float(count)
            vector[column] = tf * float(self.idf[column])
        norm = math.sqrt(sum(weight * weight for weight in vector.values()))
        return {column: weight / norm for column, weight in vector.items()} if norm else {}

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to store, named with ``prefix``."""
        return {
            f"{prefix}_terms": self.terms.blob,
            f"{prefix}_offsets": self.terms.offsets,
            f"{prefix}_columns": self.columns,
            f"{prefix}_idf": self.idf,
        }

    def settings(self) -> dict[str, Any]:
        """The settings to store beside the arrays (JSON)."""
        return {
            "lowercase": self.lowercase,
            "split": self.split,
            "stop_words": sorted(self.stop_words),
            "sublinear_tf": self.sublinear_tf,
        }

    @classmethod
    def restore(
        cls, prefix: str, arrays: Mapping[str, np.ndarray], settings: Mapping[str, Any]
    ) -> TfidfSpace:
        """The space saved by :meth:`arrays` and :meth:`settings`."""
        return cls(
            terms=Terms(arrays[f"{prefix}_terms"], arrays[f"{prefix}_offsets"]),
            columns=arrays[f"{prefix}_columns"],
            idf=arrays[f"{prefix}_idf"],
            lowercase=bool(settings["lowercase"]),
            split=bool(settings["split"]),
            stop_words=frozenset(settings["stop_words"]),
            sublinear_tf=bool(settings["sublinear_tf"]),
        )


def space_from_vectorizer(vectorizer: Any) -> TfidfSpace:
    """The :class:`TfidfSpace` of a fitted scikit-learn ``TfidfVectorizer`` using either the
    default word pattern or ``tokenizer=str.split``, unigrams and L2 norm (what this package
    fits); anything else is refused rather than silently transformed differently."""
    if (
        vectorizer.ngram_range != (1, 1)
        or vectorizer.norm != "l2"
        or vectorizer.analyzer != "word"
        or vectorizer.strip_accents is not None
        or vectorizer.preprocessor is not None
    ):
        raise ValueError("only unigram, L2-normalised word vectorizers can be stored")
    split = vectorizer.tokenizer is str.split
    if not split and (vectorizer.tokenizer is not None or vectorizer.token_pattern != WORD_PATTERN):
        raise ValueError("only the default word pattern or str.split can be stored")
    stop_words = vectorizer.get_stop_words() or frozenset()
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    blob, offsets = Terms.pack(vocabulary)
    terms = Terms(blob, offsets)
    columns = np.empty(len(vocabulary), dtype=np.int32)
    for position in range(len(terms)):
        columns[position] = vocabulary[terms[position].decode("utf-8")]
    return TfidfSpace(
        terms=terms,
        columns=columns,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        lowercase=bool(vectorizer.lowercase),
        split=split,
        stop_words=frozenset(stop_words),
        sublinear_tf=bool(vectorizer.sublinear_tf),
    )
