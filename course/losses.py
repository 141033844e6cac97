"""Loss functions (损失函数), each returning `(loss, grad)`.

`loss` is a float averaged over the batch; `grad` has the shape of the
prediction and is d loss / d prediction. Labels may be integers (n,) or
one-hot (独热编码) rows (n, k).

A loss is a mean, which is undefined over nothing: an empty batch (n = 0)
raises CourseInputError, as do wrong shapes, labels out of range and NaN/inf
(one sentence saying what was expected and what arrived).
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from ._validate import CourseInputError, array, labels as check_labels, nonempty, same_shape
from .i18n import N_, _


def _targets(y, scores, name="y"):
    """Turn integer labels (n,) or one-hot rows (n, k) into a one-hot float array shaped like scores."""
    n, k = scores.shape
    y_arr = np.asarray(y)
    if y_arr.ndim == 2:
        y_arr = array(y_arr, name, ndim=2)
        same_shape(scores, y_arr, "logits", _("{name} (one-hot)").format(name=name))
        if (y_arr < 0).any() or not np.allclose(y_arr.sum(axis=1), 1):
            raise CourseInputError(_("{name}: one-hot rows must be >= 0 and sum to 1, got a row summing to {sums}.")
                                   .format(name=name, sums=y_arr.sum(axis=1)[~np.isclose(y_arr.sum(axis=1), 1)][:1]))
        return y_arr.astype(scores.dtype, copy=False)
    y_int = check_labels(y_arr, name, n_classes=k, n_rows=n)
    onehot = np.zeros_like(scores)
    onehot[np.arange(n), y_int] = 1
    return onehot


def _logits(logits, what=N_("class")):
    """logits (n, k) as a float array with k >= 1 classes (n may be 0). what: the word for a column (English,
    translated where shown)."""
    return nonempty(array(logits, "logits", ndim=2), "logits", _("{what} (column)").format(what=_(what)), axis=1)


def _batch(a, name):
    """A prediction with at least one row to average over."""
    return nonempty(a, name, "example (row) to average over", axis=0)


def log_softmax(logits):
    """log softmax(logits) row by row with the log-sum-exp trick: logits (n, k) -> (n, k).

    logits: (n, k) real numbers with k >= 1; n = 0 gives an empty (0, k) result.
    Raises CourseInputError for other shapes, k = 0 or NaN/inf.
    """
    logits = _logits(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits, y):
    """Softmax cross-entropy (交叉熵) computed from logits.

    logits: (n, k) raw scores of the output layer (no softmax applied!);
    y: (n,) integer labels in [0, k) or (n, k) one-hot.
    loss = mean_i( -log softmax(logits_i)[y_i] );  grad = (softmax(logits) - onehot(y)) / n.
    Returns (loss: float, grad: (n, k) of logits' float dtype). Raises CourseInputError for
    n = 0 (no mean over zero examples), k = 0, NaN/inf, or labels of the wrong length or range.
    """
    logits = _batch(_logits(logits), "logits")
    target = _targets(y, logits)
    logp = log_softmax(logits)
    n = logits.shape[0]
    loss = -(target * logp).sum() / n
    return float(loss), (np.exp(logp) - target) / n


def mse(pred, target):
    """Mean squared error over all entries (as torch.nn.MSELoss).

    pred, target: real arrays of the same shape with at least one entry.
    Returns (loss: float, grad: shaped like pred). Raises CourseInputError for
    different shapes, empty arrays (no mean over nothing) or NaN/inf.
    """
    pred = array(pred, "pred")
    target = array(target, "target")
    same_shape(pred, target, "pred", "target")
    nonempty(pred, "pred", "entry to average over")
    diff = pred - target
    return float((diff * diff).mean()), 2.0 * diff / diff.size


def binary_cross_entropy(logits, y):
    """Binary cross-entropy from logits: logits (n,) or (n, 1); y of the same shape, values in [0, 1].

    Uses loss = max(z, 0) - z*y + log(1 + e^{-|z|}), which equals
    -[y log σ(z) + (1-y) log(1-σ(z))] but never takes log(0) or overflows.
    grad = (σ(z) - y) / n. Returns (loss: float, grad: shaped like logits). Raises
    CourseInputError for n = 0, different shapes, NaN/inf or targets outside [0, 1].
    """
    z = _batch(array(logits, "logits", ndim=(1, 2)), "logits")
    y = array(y, "y", ndim=(1, 2))
    same_shape(z, y, "logits", "y")
    if (y < 0).any() or (y > 1).any():
        raise CourseInputError(_("y: expected targets in [0, 1], got values from {low} to {high}.").format(
            low=y.min(), high=y.max()))
    n = z.shape[0]
    loss = (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).sum() / n
    return float(loss), (act.sigmoid(z) - y) / n


LOSSES = {
    "softmax_cross_entropy": softmax_cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
    "mse": mse,
}
