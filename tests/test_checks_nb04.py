"""The checks of notebook 04 (loss functions): the reference passes, each named mistake is named,
a stub is 'not done', any other exception is an 'error', and other correct answers pass."""
import numpy as np

import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run
from course.checks.core import PASSED, WRONG



# -- other correct answers pass -----------------------------------------------

def test_mse_written_other_ways_passes():
    def with_np_mean(pred, target):
        return np.mean((pred - target) ** 2), 2 * (pred - target) / np.size(pred)

    def as_list(pred, target):
        d = np.subtract(pred, target)
        return [float(np.square(d).sum() / d.size), (d + d) / d.size]

    for fn in (with_np_mean, as_list):
        verdict = run(REGISTRY["mse"], fn)
        assert verdict.status == PASSED, verdict.message


def test_softmax_cross_entropy_written_other_ways_passes():
    def with_logsumexp(logits, y):
        n = logits.shape[0]
        m = logits.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
        loss = np.mean(lse - logits[np.arange(n), y])
        p = np.exp(logits - lse[:, None])
        p[np.arange(n), y] -= 1
        return loss, p / n

    def with_eye(logits, y):
        n, k = logits.shape
        shifted = logits - logits.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        t = np.eye(k)[y]
        return -(t * logp).sum() / n, (np.exp(logp) - t) / n

    for fn in (with_logsumexp, with_eye):
        verdict = run(REGISTRY["softmax_cross_entropy"], fn)
        assert verdict.status == PASSED, verdict.message


def test_one_hot_written_other_ways_passes():
    for fn in (lambda y, k: np.eye(k)[y], lambda y, k: (np.asarray(y)[:, None] == np.arange(k)).astype(float)):
        verdict = run(REGISTRY["one_hot"], fn)
        assert verdict.status == PASSED, verdict.message


# -- messages for answers that match no named mistake -------------------------

def test_naive_softmax_in_another_form_is_still_named_as_overflow():
    def naive_logsumexp(logits, y):  # log-softmax without the shift: z - log(sum(exp(z))) = -inf
        n = logits.shape[0]
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        p[np.arange(n), y] -= 1
        return float(-logp[np.arange(n), y].mean()), p / n
    verdict = run(REGISTRY["softmax_cross_entropy"], naive_logsumexp)
    assert verdict.mistake == "softmax without subtracting the maximum: the exponential overflows for logits like 1000"


def test_an_unnamed_wrong_gradient_says_which_item_differs():
    def half_gradient(logits, y):
        loss, grad = REGISTRY["softmax_cross_entropy"].reference(logits, y)
        return loss, grad / 2
    verdict = run(REGISTRY["softmax_cross_entropy"], half_gradient)
    assert verdict.status == WRONG and verdict.mistake == ""
    assert "gives the wrong gradient: it is the right answer times a constant factor 0.5" in verdict.message


def test_a_single_value_instead_of_a_pair_is_described():
    verdict = run(REGISTRY["mse"], lambda pred, target: np.mean((pred - target) ** 2))
    assert verdict.status == WRONG and "expected a tuple (loss, gradient)" in verdict.message


def test_one_hot_booleans_are_described():
    verdict = run(REGISTRY["one_hot"], lambda y, k: np.asarray(y)[:, None] == np.arange(k))
    assert verdict.status == WRONG and "floating-point" in verdict.message


# -- a batch without the top class, wherever a one-hot is built (issue 12) ------

def test_one_hot_and_cross_entropy_have_a_batch_without_the_top_class():
    assert any(int(np.max(y)) < k - 1 for y, k in REGISTRY["one_hot"].cases)
    assert any(int(np.max(y)) < logits.shape[1] - 1 for logits, y in REGISTRY["softmax_cross_entropy"].cases)


def test_one_hot_with_the_classes_found_in_the_batch_is_rejected():
    for fn in (lambda y, k: np.eye(y.max() + 1)[y], lambda y, k: np.eye(len(np.unique(y)))[y]):
        verdict = run(REGISTRY["one_hot"], fn)
        assert verdict.status == WRONG and verdict.mistake.startswith("the number of columns comes from the labels")


def test_cross_entropy_with_a_one_hot_of_y_max_plus_one_columns_is_rejected():
    def onehot_from_labels(logits, y):
        n = len(y)
        t = np.eye(y.max() + 1)[y]
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.sum(t * log_p) / n), (np.exp(log_p) - t) / n
    assert run(REGISTRY["softmax_cross_entropy"], onehot_from_labels).status != PASSED


def test_one_hot_setting_whole_columns_is_named():
    def whole_columns(y, k):
        out = np.zeros((len(y), k))
        out[:, y] = 1
        return out
    assert run(REGISTRY["one_hot"], whole_columns).mistake.startswith("a whole column is set to 1 for each label")


def test_a_shift_by_the_batch_maximum_is_named_as_such_not_as_no_shift():
    def global_shift(logits, y):
        n = logits.shape[0]
        s = logits - np.max(logits)
        log_p = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
        g = np.exp(log_p)
        g[np.arange(n), y] -= 1
        return float(-log_p[np.arange(n), y].mean()), g / n
    verdict = run(REGISTRY["softmax_cross_entropy"], global_shift)
    assert verdict.status == WRONG and verdict.mistake.startswith("the batch's single largest logit"), verdict.message


def test_mse_summed_instead_of_averaged_is_named():
    verdict = run(REGISTRY["mse"], lambda pred, target: (np.sum((pred - target) ** 2), 2 * (pred - target)))
    assert verdict.mistake == "the loss sums the squared errors instead of averaging them", verdict.message


def test_related_quantities_run_on_every_case():
    for name in ("mse", "softmax_cross_entropy", "one_hot"):
        exercise = REGISTRY[name]
        for description, fn in exercise.related:
            for args in exercise.all_cases():
                assert exercise.compare(fn(*args), exercise.reference(*args)) is not None, (name, description)


def test_three_hint_levels():
    for name in ("mse", "softmax_cross_entropy", "one_hot"):
        hints = REGISTRY[name].hints
        assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints), name
