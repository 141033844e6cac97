"""The diagnosis of wrong answers no listed mistake explains (course/checks/diagnose.py), and the rule
that a listed mistake is named only when it reproduces the answer on every case."""
import numpy as np
import pytest

from course.checks import Exercise, Mistake, run
from course.checks.core import WRONG, labelled


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _cases(rng, n=None):
    n = n or int(rng.integers(3, 6))
    return (rng.normal(size=(n, 4)),)


SOFTMAX = Exercise("_diag_softmax", _softmax, cases=[(np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]]),)],
                   random_case=_cases)
MEAN_SQ = Exercise("_diag_mean_sq", lambda x: (x ** 2).mean(axis=0), random_case=_cases)
LINEAR = Exercise("_diag_linear", lambda x, W, b: x @ W + b,
                  random_case=lambda rng: (rng.normal(size=(int(rng.integers(3, 6)), 3)), rng.normal(size=(3, 2)),
                                           rng.normal(size=2)))
RELU = Exercise("_diag_relu", lambda x: np.maximum(x, 0.0),
                cases=[(np.array([-3.0, -0.5, 0.0, 0.5, 30.0]),)], random_case=lambda rng: (rng.normal(size=6) * 3,),
                related=[("the input unchanged", lambda x: x)])
PAIR = Exercise("_diag_pair", lambda x: (2 * x, x.sum(axis=0)), random_case=_cases,
                compare=labelled("double", "total"))


@pytest.mark.parametrize("exercise,answer,words", [
    (SOFTMAX, lambda x: _softmax(x.T).T, "along the other axis"),
    (SOFTMAX, lambda x: -_softmax(x), "opposite sign"),
    (SOFTMAX, lambda x: np.exp(x) / np.exp(x).sum(), "sum to 1"),
    (MEAN_SQ, lambda x: (x ** 2).sum(axis=0), "batch size n"),
    (MEAN_SQ, lambda x: 3 * (x ** 2).mean(axis=0), "constant factor 3"),
    (MEAN_SQ, lambda x: (x ** 2).mean(axis=0).astype(np.float32), "float32"),
    (MEAN_SQ, lambda x: (x ** 2).mean(axis=0)[:, None], "wrong shape"),
    (LINEAR, lambda x, W, b: x @ W + 2 * b, "per-column offset"),
    (LINEAR, lambda x, W, b: (x @ W + b).T, "transpose"),
    (LINEAR, lambda x, W, b: x @ W + b + 0.1 * x[:, :2] ** 2, None),  # nothing to say but the values
    (RELU, lambda x: np.where(x > 0, x, 0.01 * x), "negative inputs"),
    (RELU, lambda x: np.maximum(x, 0.0).clip(max=20), "large size"),
    (RELU, lambda x: x.copy(), "the input unchanged"),
    (PAIR, lambda x: (2 * x, x.sum(axis=0) + x[0] ** 2), "gets double right on every case, and total wrong"),
])
def test_diagnosis_says_how_the_answer_differs(exercise, answer, words):
    verdict = run(exercise, answer)
    assert verdict.status == WRONG and verdict.mistake == ""
    assert "smallest failing case" in verdict.message and "expected" in verdict.message
    if words is None:
        assert verdict.kind == "values"
    else:
        assert verdict.kind == "diagnosed" and words in verdict.message, verdict.message


def test_float32_arithmetic_is_named_as_such():
    exercise = Exercise("_diag_cancel", lambda x: (x[:, 0] + 1e4) - (x[:, 1] + 1e4),
                        random_case=lambda rng: (rng.normal(size=(4, 2)),))
    verdict = run(exercise, lambda x: ((x[:, 0].astype(np.float32) + np.float32(1e4))
                                       - (x[:, 1].astype(np.float32) + np.float32(1e4))).astype(np.float64))
    assert verdict.kind == "diagnosed" and "float32" in verdict.message, verdict.message


def test_a_mistake_is_named_only_when_it_reproduces_every_case():
    # "always 1" matches the learner on the first case only: naming it would claim a cause that is not there
    exercise = Exercise("_diag_naming", lambda x: (x > 0).astype(float),
                        cases=[(np.array([-1.0, -2.0]),), (np.array([1.0, -1.0, 2.0]),)],
                        mistakes=[Mistake("the threshold is on the wrong side", lambda x: (x <= 0).astype(float), "")])
    partial = run(exercise, lambda x: np.where(x < -1.5, 0.0, 1.0) if len(x) == 2 else 1 - (x > 0))
    assert partial.status == WRONG and partial.mistake == ""
    full = run(exercise, lambda x: 1.0 - (x > 0))
    assert full.mistake == "the threshold is on the wrong side"


def test_float32_where_float64_was_given_is_wrong():
    verdict = run(MEAN_SQ, lambda x: (x.astype(np.float32) ** 2).mean(axis=0))
    assert verdict.status == WRONG and "float32" in verdict.message


def test_a_wrong_number_is_not_called_a_factor_or_an_offset():
    total = Exercise("_diag_total", lambda x: float(x.sum()), random_case=_cases)
    verdict = run(total, lambda x: float(x.sum() + x.max()))  # any wrong number is k times the right one
    assert verdict.kind == "values" and "factor" not in verdict.message and "constant" not in verdict.message
    assert "times 3 on each" in run(total, lambda x: 3 * float(x.sum())).message


def test_a_per_row_offset():
    verdict = run(LINEAR, lambda x, W, b: x @ W + b + x[:, :1])
    assert "per-row offset" in verdict.message, verdict.message


def test_changing_the_input_is_a_diagnosis():
    def in_place(x):
        x **= 2
        return x.mean(axis=0) + 1
    verdict = run(MEAN_SQ, in_place)
    assert verdict.kind == "diagnosed" and "in place" in verdict.message


def test_items_in_another_order():
    verdict = run(PAIR, lambda x: (x.sum(axis=0), 2 * x))
    assert "another order: (total, double)" in verdict.message, verdict.message


def test_indices_get_no_arithmetic_explanation():
    top = Exercise("_diag_top", lambda p: np.argsort(-p, kind="stable")[:3],
                   random_case=lambda rng: (rng.permutation(9) / 10,))
    verdict = run(top, lambda p: np.argsort(p, kind="stable")[:3])
    assert "factor" not in verdict.message and "plus a constant" not in verdict.message


def test_columns_that_differ_are_listed_from_the_smallest_case():
    verdict = run(LINEAR, lambda x, W, b: np.concatenate([(x @ W + b)[:, :1], (x @ W + b)[:, 1:] ** 3], axis=1))
    assert "is right in some columns and wrong in others" not in verdict.message  # one of two columns: the last
    assert "except in the last column" in verdict.message, verdict.message


def test_substitutions_masks_and_diagonals():
    step = Exercise("_diag_step", lambda p, g, lr: p - lr * g,
                    random_case=lambda rng: (rng.normal(size=3), rng.normal(size=3), float(rng.uniform(0.01, 0.5))))
    assert "with p and g swapped" in run(step, lambda p, g, lr: g - lr * p).message
    assert "1/lr in place of lr" in run(step, lambda p, g, lr: p - g / lr).message
    mask = Exercise("_diag_mask", lambda d, z: d * (z > 0),
                    random_case=lambda rng: (rng.normal(size=(3, 4)), rng.normal(size=(3, 4))))
    assert "gives at -z instead of z" in run(mask, lambda d, z: d * (z < 0)).message
    assert "the wrong way round" in run(mask, lambda d, z: d * (z <= 0) * (np.abs(z) > 0.5)).message
    counts = Exercise("_diag_counts", lambda t, p: np.array([[np.sum((t == i) & (p == j)) for j in range(3)]
                                                             for i in range(3)]),
                      random_case=lambda rng: (rng.integers(0, 3, 12), rng.integers(0, 3, 12)))
    assert "right on the diagonal and wrong off it" in run(
        counts, lambda t, p: np.diag([np.sum((t == i) & (p == i)) for i in range(3)])).message


def test_index_lists_and_numbers_off_by_an_input():
    top = Exercise("_diag_top2", lambda p, k: np.flatnonzero(p > 0.5)[:k],
                   cases=[(np.array([0.9, 0.1, 0.7, 0.2]), 3)])
    message = run(top, lambda p, k: np.flatnonzero(p < 0.5)[:k]).message
    assert "0 of your 2 indices are right; [1, 3] should not be there; [0, 2] are missing" in message, message
    count = Exercise("_diag_count", lambda sizes: sum(a * b + b for a, b in zip(sizes, sizes[1:])),
                     cases=[((784, 128, 10),)])
    assert "too large by exactly 784" in run(count, lambda s: sum(a * b + b for a, b in zip(s, s[1:])) + s[0]).message
    step = Exercise("_diag_t", lambda eps, t: eps * (1 - 0.9 ** t), cases=[(1e-3, 3), (1e-3, 7)])
    assert "t - 1 in place of t (off by one)" in run(step, lambda eps, t: eps * (1 - 0.9 ** (t - 1))).message
