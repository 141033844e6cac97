"""The checks of notebook 06 (training an MLP): the reference passes, each named mistake is named,
a stub is 'not done', any other exception is an 'error', and correct answers written other ways pass."""
import numpy as np
import pytest

import course.checks.core
from answers import spliced_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG

EXERCISES = ["iterate_minibatches", "sgd_step", "accuracy", "confusion_matrix"]


@pytest.mark.parametrize("name", EXERCISES)
def test_not_a_function_is_an_error(name):
    assert run(REGISTRY[name], np.zeros(3)).status == ERROR


# -- other correct answers must pass too --------------------------------------

def _batches_yielded(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def _batches_shuffle_in_place_copy(X, y, batch_size, rng):
    idx = np.arange(len(X))
    rng.shuffle(idx)  # the same permutation as rng.permutation(len(X))
    Xs, ys = X[idx], y[idx]
    return [[Xs[s:s + batch_size], ys[s:s + batch_size]] for s in range(0, len(X), batch_size)]


def _batches_array_split(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    chunks = np.array_split(order, range(batch_size, len(X), batch_size))
    return [(X[c], y[c]) for c in chunks]


@pytest.mark.parametrize("fn", [_batches_yielded, _batches_shuffle_in_place_copy, _batches_array_split])
def test_iterate_minibatches_written_other_ways_passes(fn):
    verdict = run(REGISTRY["iterate_minibatches"], fn)
    assert verdict.status == PASSED, verdict.message


def test_iterate_minibatches_that_shuffles_X_in_place_says_so():
    def in_place(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        X[...] = X[order]
        y[...] = y[order]
        return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
    verdict = run(REGISTRY["iterate_minibatches"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


def test_a_yielded_wrong_answer_is_still_named():
    def not_shuffled(X, y, batch_size, rng):
        for s in range(0, len(X), batch_size):
            yield X[s:s + batch_size], y[s:s + batch_size]
    verdict = run(REGISTRY["iterate_minibatches"], not_shuffled)
    assert verdict.status == WRONG and verdict.mistake.startswith("the examples are not shuffled")


def test_sgd_step_in_place_says_so():
    def in_place(params, grads, lr):
        for p, g in zip(params, grads):
            p -= lr * g
        return params
    verdict = run(REGISTRY["sgd_step"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


def test_sgd_step_as_a_loop_passes():
    def loop(params, grads, lr):
        out = []
        for i in range(len(params)):
            out.append(params[i] - lr * grads[i])
        return out
    assert run(REGISTRY["sgd_step"], loop).status == PASSED


@pytest.mark.parametrize("fn", [
    lambda logits, y: (logits.argmax(axis=-1) == y).mean(),
    lambda logits, y: np.count_nonzero(np.argmax(logits, 1) == y) / len(y),
    lambda logits, y: sum(int(np.argmax(row) == label) for row, label in zip(logits, y)) / len(y),
])
def test_accuracy_written_other_ways_passes(fn):
    verdict = run(REGISTRY["accuracy"], fn)
    assert verdict.status == PASSED, verdict.message


def _confusion_loop(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def _confusion_bincount(y_true, y_pred, k):
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


@pytest.mark.parametrize("fn", [_confusion_loop, _confusion_bincount])
def test_confusion_matrix_written_other_ways_passes(fn):
    verdict = run(REGISTRY["confusion_matrix"], fn)
    assert verdict.status == PASSED, verdict.message


def test_confusion_matrix_cases_have_repeated_pairs_and_a_missing_class():
    cases = REGISTRY["confusion_matrix"].cases
    assert any(len(set(zip(t, p))) < len(t) for t, p, _ in cases)
    assert any(max(t.max(), p.max()) + 1 < k for t, p, k in cases)


# -- hints, and the faults of issue 12 -------------------------------------------

def _from_hint(name):
    """The notebook's exercise function with its solution block replaced by hint 3 of `name` (the code level)."""
    return spliced_from_hint(name, {"np": np})


@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_and_the_code_level_passes_the_check(name):
    hints = REGISTRY[name].hints
    assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints)
    assert "np." not in hints[0] and "@" not in hints[0]  # level 1 is an idea, not code
    verdict = run(REGISTRY[name], _from_hint(name))
    assert verdict.status == PASSED, verdict.message


def test_accuracy_argmax_without_an_axis_is_not_called_max_instead_of_argmax():
    def no_axis(logits, y):  # np.argmax(logits) is one index into the flattened array
        return np.mean(np.argmax(logits) == y)
    verdict = run(REGISTRY["accuracy"], no_axis)
    assert verdict.status == WRONG
    assert not verdict.mistake.startswith("compared the largest score"), verdict.message


def test_accuracy_max_instead_of_argmax_is_still_named():
    def largest_score(logits, y):
        return np.mean(logits.max(axis=1) == y)
    verdict = run(REGISTRY["accuracy"], largest_score)
    assert verdict.status == WRONG and verdict.mistake.startswith("compared the largest score")


def test_accuracy_first_case_tells_the_no_axis_and_max_answers_apart():
    logits, y = REGISTRY["accuracy"].cases[0]
    assert logits.shape[0] == logits.shape[1]  # square: argmax over the wrong axis gives a number
    answers = {np.mean(np.argmax(logits, axis=1) == y), np.mean(np.argmax(logits) == y),
               np.mean(logits.max(axis=1) == y), np.mean(np.argmax(logits, axis=1) != y)}
    assert len(answers) == 4


def test_confusion_matrix_float_counts_are_wrong_and_said_so():
    def float_counts(y_true, y_pred, k):
        C = np.zeros((k, k))
        np.add.at(C, (y_true, y_pred), 1)
        return C
    verdict = run(REGISTRY["confusion_matrix"], float_counts)
    assert verdict.status == WRONG and "dtype" in verdict.message and "int" in verdict.message, verdict.message


def test_confusion_matrix_as_a_nested_list_of_ints_passes():
    def nested(y_true, y_pred, k):
        return [[int(np.sum((y_true == i) & (y_pred == j))) for j in range(k)] for i in range(k)]
    assert run(REGISTRY["confusion_matrix"], nested).status == PASSED


def _batches_from_another_generator(X, y, batch_size, rng):
    order = np.random.default_rng(99).permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def _batches_a_permutation_per_batch(X, y, batch_size, rng):
    return [(X[idx], y[idx]) for idx in (rng.permutation(len(X))[s:s + batch_size] for s in range(0, len(X), batch_size))]


def _batches_y_not_shuffled(X, y, batch_size, rng):
    Xs = X[rng.permutation(len(X))]
    return [(Xs[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]


def _batches_one_too_many(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X) + batch_size, batch_size)]


@pytest.mark.parametrize("fn,words", [
    (_batches_from_another_generator, "another order"),
    (_batches_a_permutation_per_batch, "appear more than once"),
    (_batches_y_not_shuffled, "labels no longer belong"),
    (_batches_one_too_many, "batches of sizes"),
])
def test_iterate_minibatches_says_what_differs(fn, words):
    verdict = run(REGISTRY["iterate_minibatches"], fn)
    assert verdict.status == WRONG and words in verdict.message, verdict.message
