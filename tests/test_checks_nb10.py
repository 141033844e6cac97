"""Exercise-specific checks of notebook 10 (applications): other correct answers pass, the level-3 hints are
right answers, float32 is held where the exercise states it, and the verdicts say what is wrong (issue 12).

The contract every exercise meets (reference passes, each mistake named, stubs 'not done') is tested
for all of them in tests/test_checks_all.py."""

import numpy as np
import pytest

from answers import answer_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run, same
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


# -- hints, dtype, order and the cases added for issue 12 -----------------------

EXERCISES = ["confident_mistakes", "bag_of_words", "stft_magnitude"]


def _from_hint(name):
    """The learner's function written from the level-3 hint of exercise `name` (the reference's signature)."""
    return answer_from_hint(name, {"np": np, "tokenize": tokenize})


@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_and_the_code_of_the_last_passes(name):
    hints = REGISTRY[name].hints
    assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints)
    assert "np." not in hints[0] and "np." not in hints[1]  # the idea and the formula, not the code
    verdict = run(REGISTRY[name], _from_hint(name))
    assert verdict.status == PASSED, verdict.message


def _bow_float64(sentences, vocabulary):
    X = np.zeros((len(sentences), len(vocabulary)))  # np.zeros' default dtype, float64
    for i, s in enumerate(sentences):
        for t in tokenize(s):
            if t in vocabulary:
                X[i, vocabulary.index(t)] = 1
    return X


def test_bag_of_words_in_float64_is_rejected_for_its_dtype():
    # it was accepted: the exercise states float32, so the check holds the dtype
    verdict = run(REGISTRY["bag_of_words"], _bow_float64)
    assert verdict.status == WRONG and verdict.kind == "diagnosed"
    assert "float64" in verdict.message and "float32" in verdict.message


def test_bag_of_words_as_a_list_is_rejected_for_its_type():
    verdict = run(REGISTRY["bag_of_words"], lambda s, v: _bow_float64(s, v).tolist())
    assert verdict.status == WRONG and "a list" in verdict.message and "float32" in verdict.message


def test_bag_of_words_mistakes_are_named_in_float64_too():
    def counts(sentences, vocabulary):  # counts, in np.zeros' float64
        X = np.zeros((len(sentences), len(vocabulary)))
        for i, s in enumerate(sentences):
            for t in tokenize(s):
                if t in vocabulary:
                    X[i, vocabulary.index(t)] += 1
        return X
    verdict = run(REGISTRY["bag_of_words"], counts)
    assert verdict.status == WRONG and verdict.mistake.startswith("you counted")
    verdict = run(REGISTRY["bag_of_words"], lambda s, v: counts(s, v).astype(np.float32))
    assert verdict.status == WRONG and verdict.mistake.startswith("you counted")


def test_bag_of_words_looking_for_tokens_in_the_text_is_rejected():
    # it was accepted: no case had a vocabulary token that is only part of a word ("not" in "Nothing")
    def substring(sentences, vocabulary):
        return np.array([[t in s.lower() for t in vocabulary] for s in sentences], dtype=np.float32)
    assert run(REGISTRY["bag_of_words"], substring).status == WRONG


def _confident(proba, y_true):
    predicted = proba.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    return predicted, wrong, proba[wrong, predicted[wrong]]


def test_confident_mistakes_in_the_wrong_order_says_so():
    def index_order(proba, y_true, k):
        _, wrong, confidence = _confident(proba, y_true)
        return np.sort(wrong[np.argsort(-confidence)][:k])
    verdict = run(REGISTRY["confident_mistakes"], index_order)
    assert verdict.status == WRONG and "right examples in the wrong order" in verdict.message


def test_confident_mistakes_returning_probabilities_says_so():
    def probabilities(proba, y_true, k):
        return np.sort(_confident(proba, y_true)[2])[::-1][:k]
    verdict = run(REGISTRY["confident_mistakes"], probabilities)
    assert verdict.status == WRONG and "not whole numbers" in verdict.message


def test_confident_mistakes_with_no_mistake_returns_nothing():
    ex = REGISTRY["confident_mistakes"]
    no_mistake = [args for args in ex.cases if not np.any(args[0].argmax(axis=1) != args[1])]
    assert no_mistake and all(len(ex.reference(*args)) == 0 for args in no_mistake)


def test_stft_has_a_case_whose_hop_does_not_divide_the_window():
    assert any(w % h and (len(s) - w) % h for s, w, h in REGISTRY["stft_magnitude"].cases)


@pytest.mark.parametrize("name", ["confident_mistakes", "stft_magnitude"])
def test_each_related_quantity_differs_from_the_answer(name):
    ex = REGISTRY[name]
    assert ex.related
    for description, fn in ex.related:
        compare = ex.compare or same
        assert any(compare(fn(*args), ex.reference(*args)) for args in ex.all_cases()), description
