"""Text helpers for notebook 10: the sentiment corpus shipped with the course, a tokenizer, bag of words.

The corpus (course/datafiles/sentiment.txt) was written for this course and is shipped under the
course's licence: 280 short sentences, half English, half Chinese, half positive (label 1), half
negative (label 0). numpy only.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from ._validate import CourseInputError, describe
from .i18n import _

_CORPUS = Path(__file__).resolve().parent / "datafiles" / "sentiment.txt"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def load_sentiment(path=None):
    """The sentiment corpus -> (sentences: list[str], labels: (n,) int64 0/1, langs: list[str] 'en'/'zh',
    groups: (n,) int64).

    Sentences with the same group are translations or opposites of one another ("The soup was warm and
    tasty." / "The soup was salty and tasteless." / their Chinese versions): split train and test by
    group, or the test set holds near-copies of training sentences.
    path: a tab-separated file `label<TAB>lang<TAB>group<TAB>sentence` (lines starting with '#' and the
    header line are skipped); None reads the copy shipped with the package.
    Raises CourseInputError for a path that is not a readable UTF-8 file in that format.
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise CourseInputError(_("path: expected a file path (str or pathlib.Path) or None, got {got}.")
                               .format(got=describe(path)))
    p = _CORPUS if path is None else Path(path)
    if not p.is_file():
        raise CourseInputError(_("path: expected an existing tab-separated corpus file, got {path!r}.")
                               .format(path=str(p)))
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CourseInputError(_("path: expected a readable UTF-8 text file, got {path!r} ({error}).")
                               .format(path=str(p), error=e)) from None
    sentences, labels, langs, groups = [], [], [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in ("0", "1") or parts[1] not in ("en", "zh") or not parts[2].isdigit():
            raise CourseInputError(_("{name} line {number}: expected 'label<TAB>lang<TAB>group<TAB>sentence' with "
                                     "label 0/1, lang en/zh and an integer group, got {line!r}.")
                                   .format(name=p.name, number=number, line=line[:60]))
        labels.append(int(parts[0]))
        langs.append(parts[1])
        groups.append(int(parts[2]))
        sentences.append(parts[3])
    return sentences, np.array(labels, dtype=np.int64), langs, np.array(groups, dtype=np.int64)


def tokenize(sentence):
    """A sentence -> list of tokens (词元).

    English (Latin letters): lowercase words, punctuation dropped: "Not bad!" -> ["not", "bad"].
    Chinese characters: every character (unigram) and every pair of neighbouring characters (bigram)
    within a run of Chinese characters: "不好吃" -> ["不", "好", "吃", "不好", "好吃"]. Chinese is
    written without spaces, so this stands in for a word segmenter.
    """
    if not isinstance(sentence, str):
        raise CourseInputError(_("sentence: expected a str, got {got}.").format(got=describe(sentence)))
    tokens = _WORD.findall(sentence.lower())
    for run in re.findall(r"[\u4e00-\u9fff]+", sentence):
        tokens.extend(run)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    return tokens


def _sentences(sentences) -> list:
    """The sentences as a list (each is checked by tokenize), or one sentence saying what arrived."""
    try:
        if isinstance(sentences, str):
            raise TypeError
        return list(sentences)
    except TypeError:
        raise CourseInputError(_("sentences: expected a list of str, got {got}.").format(got=describe(sentences))) from None


def build_vocabulary(sentences, min_count: int = 1):
    """Sorted list of the tokens that occur in at least `min_count` of the sentences.

    sentences: an iterable of str; min_count: an int >= 1. Raises CourseInputError otherwise.
    """
    sentences = _sentences(sentences)
    if not isinstance(min_count, int) or min_count < 1:
        raise CourseInputError(_("min_count: expected an int >= 1, got {got}.").format(got=describe(min_count)))
    counts = {}
    for s in sentences:
        for t in set(tokenize(s)):
            counts[t] = counts.get(t, 0) + 1
    return sorted(t for t, c in counts.items() if c >= min_count)


def bag_of_words(sentences, vocabulary):
    """词袋 (bag of words): X (n, V) float32, X[i, j] = 1 if vocabulary[j] occurs in sentence i, else 0.

    Order is forgotten: "not good, bad" and "bad, not good" give the same row. Tokens not in the
    vocabulary are ignored. sentences: an iterable of str; vocabulary: a non-empty list of tokens.
    Raises CourseInputError otherwise.
    """
    sentences = _sentences(sentences)
    try:
        tokens = None if isinstance(vocabulary, str) else list(vocabulary)
    except TypeError:
        tokens = None
    if not tokens or not all(isinstance(t, str) for t in tokens):
        raise CourseInputError(_("vocabulary: expected a non-empty list of str tokens, got {got}.")
                               .format(got=describe(vocabulary)))
    index = {t: j for j, t in enumerate(tokens)}
    X = np.zeros((len(sentences), len(tokens)), dtype=np.float32)
    for i, s in enumerate(sentences):
        for t in tokenize(s):
            j = index.get(t)
            if j is not None:
                X[i, j] = 1.0
    return X
