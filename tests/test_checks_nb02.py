"""The checks of notebook 02 (activation functions): the reference passes, each named mistake is
named, a stub is 'not done', any other exception is an 'error', and correct answers written
other ways pass."""

import numpy as np
import pytest

from answers import answer_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG

EXERCISES = ["sigmoid", "relu", "sigmoid_grad", "softmax"]


@pytest.mark.parametrize("name", EXERCISES)
def test_not_a_function_is_an_error(name):
    assert run(REGISTRY[name], np.zeros(3)).status == ERROR


@pytest.mark.parametrize("name", ["sigmoid", "sigmoid_grad", "softmax"])
def test_fixed_cases_hold_extreme_inputs(name):
    # |x| = 1e3 is what exposes an unstable formula
    assert any(np.abs(args[0]).max() >= 1e3 for args in REGISTRY[name].cases)


# -- other correct answers must pass too --------------------------------------

@pytest.mark.parametrize("relu", [
    lambda x: np.maximum(x, 0),
    lambda x: np.maximum(0, x),
    lambda x: np.where(x > 0, x, 0.0),
    lambda x: x * (x > 0),
    lambda x: np.clip(x, 0, None),
])
def test_relu_written_other_ways_passes(relu):
    verdict = run(REGISTRY["relu"], relu)
    assert verdict.status == PASSED, verdict.message


def test_relu_that_changes_its_input_says_so():
    def in_place(x):
        np.maximum(x, 0, out=x)
        return x
    verdict = run(REGISTRY["relu"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


def _stable_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


@pytest.mark.parametrize("grad", [
    lambda x: _stable_sigmoid(x) * (1 - _stable_sigmoid(x)),
    lambda x: _stable_sigmoid(x) * _stable_sigmoid(-x),          # 1 - σ(x) = σ(-x)
    lambda x: 0.25 * (1 - np.tanh(x / 2) ** 2),                   # σ(x) = (1 + tanh(x/2)) / 2
    lambda x: np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2,  # σ' is even: use |x|
])
def test_sigmoid_grad_written_other_ways_passes(grad):
    verdict = run(REGISTRY["sigmoid_grad"], grad)
    assert verdict.status == PASSED, verdict.message


def _logsumexp_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return np.exp(x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True)))


def _loop_softmax(x):
    out = np.empty_like(x)
    for i, row in enumerate(x):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def _apply_along_softmax(x):
    return np.apply_along_axis(lambda r: np.exp(r - r.max()) / np.exp(r - r.max()).sum(), 1, x)


@pytest.mark.parametrize("softmax", [_logsumexp_softmax, _loop_softmax, _apply_along_softmax])
def test_softmax_written_other_ways_passes(softmax):
    verdict = run(REGISTRY["softmax"], softmax)
    assert verdict.status == PASSED, verdict.message


def test_softmax_mistakes_differ_from_the_reference_somewhere():
    # every named mistake must really give a different output on at least one fixed case
    ex = REGISTRY["softmax"]
    for m in ex.mistakes:
        differs = False
        for (x,) in ex.cases:
            try:
                with np.errstate(all="ignore"):
                    wrong = m.function(x.copy())
            except ValueError:
                continue
            if np.shape(wrong) != x.shape or not np.allclose(wrong, ex.reference(x), equal_nan=False):
                differs = True
        assert differs, m.name


def test_softmax_shifted_by_the_row_mean_is_rejected():
    # the same result as the row maximum until a row spreads over more than 1420: then e^709 overflows
    def by_mean(x):
        e = np.exp(x - x.mean(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    verdict = run(REGISTRY["softmax"], by_mean)
    assert verdict.status == WRONG, verdict.message


def test_where_over_both_textbook_forms_is_told_that_exp_overflowed():
    # np.where computes both branches: the same values and warning as the one-liner, so the verdict names
    # what happened (np.exp overflowed), not the one-liner the learner did not write
    verdict = run(REGISTRY["sigmoid"],
                  lambda x: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))))
    assert verdict.status == WRONG and verdict.mistake.startswith("np.exp overflowed")
    assert "computes both of them on every entry" in verdict.message


@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_the_last_one_solves_the_exercise(name):
    exercise = REGISTRY[name]
    assert len(exercise.hints) == 3 and all(h.strip() for h in exercise.hints)
    assert "np." not in exercise.hints[0] and "axis" not in exercise.hints[0], "level 1 is an idea, not code"
    verdict = run(exercise, answer_from_hint(name, {"np": np, "sigmoid": _stable_sigmoid}))
    assert verdict.status == PASSED, verdict.message


def test_softmax_normalised_along_the_columns_is_told_the_axis():
    # the row's maximum subtracted, but the sums taken down the columns: every column sums to 1
    def column_sums(x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    verdict = run(REGISTRY["softmax"], column_sums)
    assert verdict.status == WRONG and "column sum to 1" in verdict.message, verdict.message


def test_log_probabilities_are_told_so():
    def log_softmax(x):
        m = x.max(axis=1, keepdims=True)
        return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
    verdict = run(REGISTRY["softmax"], log_softmax)
    assert verdict.status == WRONG and "log-probabilities" in verdict.message, verdict.message


def test_one_minus_sigmoid_is_told_it_is_one_factor():
    verdict = run(REGISTRY["sigmoid_grad"], lambda x: 1 - _stable_sigmoid(x))
    assert verdict.status == WRONG and "only one of the two factors" in verdict.message, verdict.message
