"""Exercises of notebook 04 (loss functions): mse, softmax_cross_entropy, one_hot."""
import numpy as np

from .. import activations as act
from .. import losses
from ..i18n import _
from .core import Exercise, Mistake, labelled, register

NOTEBOOK = "04_loss_functions"


def _labelled(*labels):
    """compare(got, expected) for a function returning a tuple: names the item that differs.

    A mistake whose answer contains inf or NaN (an overflow) matches any answer that
    contains inf or NaN: the naive formulas blow up in slightly different places.
    The reference never returns inf or NaN, so this only affects naming a mistake.
    """
    by_item = labelled(*labels)

    def compare(got, expected):
        if isinstance(got, (tuple, list)) and len(got) == len(expected) and _nonfinite(expected):
            return None if _nonfinite(got) else _("returned finite numbers where this mistake overflows")
        return by_item(got, expected)
    return compare


def _nonfinite(values):
    for v in values:
        try:
            a = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            continue
        if not np.isfinite(a).all():
            return True
    return False


# ---------------------------------------------------------------- mse
def _mse(pred, target):
    """Mean over every entry of (pred - target)^2, and its gradient 2 (pred - target) / size."""
    return losses.mse(pred, target)


def _mse_sum(pred, target):
    d = pred - target
    return float((d ** 2).sum()), 2 * d


def _mse_no_square(pred, target):
    d = pred - target
    return float(d.mean()), 2 * d / d.size


def _mse_grad_no_2(pred, target):
    d = pred - target
    return float((d ** 2).mean()), d / d.size


def _mse_grad_sign(pred, target):
    d = pred - target
    return float((d ** 2).mean()), 2 * (target - pred) / d.size


def _mse_grad_not_averaged(pred, target):
    d = pred - target
    return float((d ** 2).mean()), 2 * d


def _mse_per_row(pred, target):
    d = pred - target
    n = d.shape[0]
    return float((d ** 2).sum() / n), 2 * d / n


def _mae(pred, target):
    """The mean absolute error and its gradient sign(pred - target) / size: (float, shaped like pred)."""
    d = pred - target
    return float(np.abs(d).mean()), np.sign(d) / d.size


def _random_pair(rng):
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 5)))
    return rng.normal(size=shape), rng.normal(size=shape)


register(Exercise(
    name="mse",
    notebook=NOTEBOOK,
    reference=_mse,
    cases=[
        (np.array([[1.0, 2.0], [3.0, 0.5], [-1.0, 0.0]]), np.array([[1.5, 2.0], [1.0, 0.0], [-1.0, 2.0]])),
        (np.array([0.9, 0.2, 0.4]), np.array([1.0, 0.0, 0.0])),
    ],
    random_case=_random_pair,
    mistakes=[
        Mistake("the loss sums the squared errors instead of averaging them", _mse_sum,
                "MSE is the mean: divide the sum by the number of entries N, and the gradient too."),
        Mistake("the loss averages over the rows only (divided by n, not by the number of entries)", _mse_per_row,
                "Average over every entry, as PyTorch's MSELoss does: divide by N, the number of entries (rows times "
                "columns), not by the number of rows."),
        Mistake("the square is missing: you averaged pred - target itself", _mse_no_square,
                "Square each difference first: positive and negative errors must not cancel."),
        Mistake("the gradient is missing the factor 2", _mse_grad_no_2,
                "The derivative of (p − t)² is 2 (p − t), so the gradient is 2 (pred − target) / N."),
        Mistake("the gradient has the wrong sign", _mse_grad_sign,
                "Differentiate with respect to pred: the gradient is 2 (pred − target) / N, positive where pred is too big."),
        Mistake("the gradient is not divided by the number of entries", _mse_grad_not_averaged,
                "The loss is a mean, so every entry's share of the gradient is divided by size too."),
    ],
    compare=_labelled("loss", "gradient"),
    related=[("the mean absolute error, mean |pred − target|, and its gradient sign(pred − target) / N", _mae)],
    hints=[
        "Take the difference between prediction and target, square it so that errors of both signs count, and "
        "average over every entry. The gradient says how fast the loss grows when each prediction grows a little.",
        "With d = pred − target and N the number of entries of pred (every entry, not the number of rows): "
        "L = (1/N) Σ d², and ∂L/∂pred = 2d / N, shaped like pred. Return (L as a float, the gradient).",
        "diff = pred - target\n"
        "return float(np.mean(diff ** 2)), 2 * diff / diff.size",
    ],
))


# ---------------------------------------------------------------- softmax cross-entropy
def _sce(logits, y):
    """Mean softmax cross-entropy from logits (n, k) and integer labels y (n,); returns (loss, dlogits)."""
    return losses.softmax_cross_entropy(logits, y)


def _onehot(y, k):
    t = np.zeros((len(y), k))
    t[np.arange(len(y)), y] = 1
    return t


def _sce_from_probs(p, y):
    """loss and (p - onehot) / n from probabilities p, computed naively (the learner's last step)."""
    n = p.shape[0]
    loss = -np.log(p[np.arange(n), y]).mean()
    return float(loss), (p - _onehot(y, p.shape[1])) / n


def _sce_no_max(logits, y):
    e = np.exp(logits)
    return _sce_from_probs(e / e.sum(axis=1, keepdims=True), y)


def _sce_global_max(logits, y):
    """The shift by the batch's single largest logit: a row far below it underflows to 0 / 0."""
    shifted = logits - logits.max()
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    return float(-log_p[np.arange(n), y].mean()), (np.exp(log_p) - _onehot(y, logits.shape[1])) / n


def _sce_log_of_softmax(logits, y):
    return _sce_from_probs(act.softmax(logits), y)


def _sce_sum(logits, y):
    loss, grad = losses.softmax_cross_entropy(logits, y)
    n = logits.shape[0]
    return loss * n, grad * n


def _sce_grad_not_averaged(logits, y):
    loss, grad = losses.softmax_cross_entropy(logits, y)
    return loss, grad * logits.shape[0]


def _sce_double_softmax(logits, y):
    return losses.softmax_cross_entropy(act.softmax(logits), y)


def _sce_onehot_not_subtracted(logits, y):
    loss, _ = losses.softmax_cross_entropy(logits, y)
    return loss, act.softmax(logits) / logits.shape[0]


def _sce_wrong_entries(logits, y):
    p = act.softmax(logits)
    n = p.shape[0]
    loss = float(-losses.log_softmax(logits)[:, y].mean())
    d = p.copy()
    d[:, y] -= 1
    return loss, d / n


def _random_logits(rng):
    n, k = int(rng.integers(2, 7)), int(rng.integers(2, 6))
    return rng.normal(scale=3, size=(n, k)), rng.integers(0, k, size=n)


register(Exercise(
    name="softmax_cross_entropy",
    notebook=NOTEBOOK,
    reference=_sce,
    cases=[
        (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0], [1.0, -1.0, 3.0]]), np.array([0, 1, 2, 0])),
        # no logit overflows np.exp, but the second row lies 800 below the batch's largest logit: a shift by that
        # one maximum (instead of each row's own) underflows the row to 0 / 0
        (np.array([[700.0, 0.0, 1.0], [-100.0, -101.0, -102.0]]), np.array([0, 2])),
        # the true class has the largest logit: only formulas without the max subtraction overflow
        (np.array([[1e3, 0.0, -1e3], [0.0, 1e3, 1.0], [2.0, 1.0, 0.1]]), np.array([0, 1, 2])),
        # the true class gets probability e^-2000 = 0 in float64: log(softmax) gives log(0)
        (np.array([[-1e3, 1e3, 0.0], [0.5, -0.5, 2.0]]), np.array([0, 2])),
        # the batch lacks the top class 2: a one-hot built with y.max() + 1 columns has too few
        (np.array([[0.2, -1.0, 1.5], [1.0, 0.5, -0.5], [-2.0, 0.3, 0.8], [0.0, 2.0, 1.0]]), np.array([0, 1, 1, 0])),
    ],
    random_case=_random_logits,
    mistakes=[
        Mistake("log(softmax(z)) underflows: the true class's probability rounds to 0 and log(0) = -inf", _sce_log_of_softmax,
                "Compute the log-probabilities directly: shifted = z − max(z), log p = shifted − log Σ exp(shifted)."),
        Mistake("softmax without subtracting the maximum: the exponential overflows for logits like 1000", _sce_no_max,
                "Subtract each row's maximum before exponentiating (it cancels in the ratio), and compute the "
                "log-probabilities directly."),
        Mistake("the batch's single largest logit is subtracted instead of each row's own maximum: a row far below it "
                "underflows to 0 / 0", _sce_global_max,
                "Subtract each row's own maximum (one per row, kept as a column so it broadcasts): then every row "
                "has a 0 and its sum of exponentials is at least 1."),
        Mistake("the loss is summed over the batch instead of averaged", _sce_sum,
                "Divide the summed loss by n, and the gradient too: grad = (softmax - one_hot) / n."),
        Mistake("the gradient is not divided by n", _sce_grad_not_averaged,
                "The loss is a mean over n rows, so dlogits = (softmax(logits) - one_hot(y)) / n."),
        Mistake("softmax applied twice: the logits went through softmax before the loss", _sce_double_softmax,
                "The function receives logits: apply softmax once, inside the loss (the article's PyTorch bug)."),
        Mistake("the one-hot labels are not subtracted in the gradient", _sce_onehot_not_subtracted,
                "dlogits = (softmax(logits) - one_hot(y)) / n: subtract 1 at each row's true class."),
        Mistake("the labels' columns were taken for every row (an n × n block) instead of each row's own class",
                _sce_wrong_entries,
                "Pick one entry per row: row i, column y[i], for i = 0 … n − 1 (index the rows and the labels "
                "together)."),
    ],
    compare=_labelled("loss", "gradient"),
    hints=[
        "The loss of one example is minus the log of the probability that softmax gives its true class; the loss "
        "of the batch is the mean. Compute the log-probabilities straight from the logits after subtracting each "
        "row's largest logit, so nothing overflows and nothing takes log(0). The gradient is the probabilities "
        "minus the one-hot target, divided by n.",
        "Row by row: shifted = z − max(z), log p = shifted − log Σ_j exp(shifted_j), both (n, k). "
        "loss = −(1/n) Σ_i log p[i, y_i]. dlogits = (exp(log p) − one_hot(y)) / n, shape (n, k), where the one-hot "
        "has k = the logits' number of columns (a batch need not contain every class, so not the largest label + 1).",
        "n = logits.shape[0]\n"
        "shifted = logits - logits.max(axis=1, keepdims=True)\n"
        "log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
        "loss = -log_p[np.arange(n), y].mean()\n"
        "dlogits = np.exp(log_p)\n"
        "dlogits[np.arange(n), y] -= 1\n"
        "return float(loss), dlogits / n",
    ],
))


# ---------------------------------------------------------------- one-hot
def _one_hot(y, k):
    """Integer labels y (n,) in [0, k) -> (n, k) float array with a single 1 per row."""
    y = np.asarray(y)
    out = np.zeros((y.shape[0], k))
    out[np.arange(y.shape[0]), y] = 1
    return out


def _one_hot_transposed(y, k):
    return _one_hot(y, k).T


def _one_hot_shifted(y, k):
    return _one_hot(np.asarray(y) - 1, k)


def _one_hot_k_from_labels(y, k):
    y = np.asarray(y)
    return _one_hot(y, int(y.max()) + 1)


def _one_hot_all_columns(y, k):
    out = np.zeros((len(y), k))
    out[:, np.asarray(y)] = 1
    return out


def _random_labels(rng):
    k = int(rng.integers(2, 8))
    return rng.integers(0, k, size=int(rng.integers(2, 9))), k


register(Exercise(
    name="one_hot",
    notebook=NOTEBOOK,
    reference=_one_hot,
    cases=[(np.array([0, 2, 1, 0]), 3),
           (np.array([0, 1, 1, 0]), 3),   # the batch lacks the top class 2: y.max() + 1 gives 2 columns, not 3
           (np.array([1, 1, 0]), 4), (np.array([3]), 5)],
    random_case=_random_labels,
    mistakes=[
        Mistake("the shape is (k, n): one column per example instead of one row", _one_hot_transposed,
                "The table has n rows and k columns: row i is example i, column c is class c."),
        Mistake("off by one: the 1 sits in column y - 1", _one_hot_shifted,
                "Labels start at 0, and so do columns: class 0 puts its 1 in column 0."),
        Mistake("the number of columns comes from the labels in the batch (the largest label + 1, or the number of "
                "distinct labels) instead of k", _one_hot_k_from_labels,
                "A batch need not contain every class: use the k you are given."),
        Mistake("a whole column is set to 1 for each label of the batch, not one 1 per row", _one_hot_all_columns,
                "Set one entry per row: row i, column y[i], for i = 0 … n − 1 (index the rows and the labels "
                "together)."),
    ],
    hints=[
        "Start from a table of zeros with one row per example and one column per class, then put a single 1 in each "
        "row, in the column of that example's label. The number of columns is the k you are given, not the "
        "largest label seen in the batch.",
        "out has shape (n, k) and a float dtype; set out[i, y[i]] = 1 for every row i = 0 … n − 1. Index the rows with "
        "0 … n − 1 and the columns with y in one step (fancy indexing), or loop over the rows.",
        "out = np.zeros((len(y), k))\n"
        "out[np.arange(len(y)), y] = 1.0\n"
        "return out",
    ],
))
