"""Exercise-specific checks of notebook 10 (applications): other correct answers pass.

The contract every exercise meets (reference passes, each mistake named, stubs 'not done') is tested
for all of them in tests/test_checks_all.py."""
import numpy as np

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import PASSED, WRONG
from course.text import tokenize


def test_confident_mistakes_with_a_loop_passes():
    def loop(proba, y_true, k):
        found = []
        for i, row in enumerate(proba):
            p = int(np.argmax(row))
            if p != y_true[i]:
                found.append((-row[p], i))
        return np.array([i for _, i in sorted(found)[:k]], dtype=int)
    assert run(REGISTRY["confident_mistakes"], loop).status == PASSED


def test_confident_mistakes_returning_a_list_passes():
    ref = REGISTRY["confident_mistakes"].reference
    assert run(REGISTRY["confident_mistakes"], lambda p, y, k: [int(i) for i in ref(p, y, k)]).status == PASSED


def test_confident_mistakes_too_many_is_wrong():
    ref = REGISTRY["confident_mistakes"].reference
    def all_of_them(proba, y_true, k):
        return ref(proba, y_true, len(y_true))
    assert run(REGISTRY["confident_mistakes"], all_of_them).status == WRONG


def test_bag_of_words_with_sets_passes():
    def with_sets(sentences, vocabulary):
        X = np.zeros((len(sentences), len(vocabulary)), dtype=np.float32)
        for i, s in enumerate(sentences):
            present = set(tokenize(s))
            X[i] = [t in present for t in vocabulary]
        return X
    assert run(REGISTRY["bag_of_words"], with_sets).status == PASSED


def test_stft_with_strided_frames_passes():
    def strided(signal, window, hop):
        n = 1 + (len(signal) - window) // hop
        idx = np.arange(window)[None, :] + hop * np.arange(n)[:, None]
        return np.abs(np.fft.rfft(np.asarray(signal)[idx] * np.hanning(window)))
    assert run(REGISTRY["stft_magnitude"], strided).status == PASSED
