"""Learner answers to notebook 04 (loss functions): mse, softmax_cross_entropy, one_hot.

Written the way learners write them; most wrong answers run without an error and are NOT among the
exercises' listed mistakes (those that are say so in their description)."""
import numpy as np

from answers import right, wrong

# ---------------------------------------------------------------- mse(pred, target) -> (loss, grad)


@wrong("mse", "listed: the loss summed instead of averaged (and the gradient of the sum)")
def _(pred, target):
    return np.sum((pred - target) ** 2), 2 * (pred - target)


@wrong("mse", "the loss summed, the gradient averaged")
def _(pred, target):
    d = pred - target
    return float(np.sum(d * d)), 2 * d / d.size


@wrong("mse", "the mean absolute error instead of the squared one")
def _(pred, target):
    d = pred - target
    return np.mean(np.abs(d)), np.sign(d) / d.size


@wrong("mse", "the 1/2 convention: half the mean squared error, gradient d / N")
def _(pred, target):
    d = pred - target
    return 0.5 * np.mean(d ** 2), d / d.size


@wrong("mse", "one loss per example (mean over the last axis) instead of one number")
def _(pred, target):
    d = pred - target
    return np.mean(d ** 2, axis=-1), 2 * d / d.size


@wrong("mse", "pred - target computed in place (changes the caller's pred)")
def _(pred, target):
    pred -= target
    return float(np.mean(pred ** 2)), 2 * pred / pred.size


@wrong("mse", "the square of the mean error instead of the mean of the squares")
def _(pred, target):
    d = pred - target
    m = d.mean()
    return float(m ** 2), np.full_like(d, 2 * m / d.size)


@wrong("mse", "root mean squared error")
def _(pred, target):
    d = pred - target
    rmse = np.sqrt(np.mean(d ** 2))
    return float(rmse), d / (d.size * rmse)


@wrong("mse", "listed: the gradient's sign (derivative with respect to target)")
def _(pred, target):
    return float(((target - pred) ** 2).mean()), 2 * (target - pred) / pred.size


@wrong("mse", "listed: divided by the number of rows")
def _(pred, target):
    d = pred - target
    return float(np.sum(d ** 2) / len(pred)), 2 * d / len(pred)


@wrong("mse", "listed: the gradient without the factor 2")
def _(pred, target):
    d = pred - target
    return float(np.mean(np.square(d))), d / np.size(d)


@right("mse", "np.square and the mean method")
def _(pred, target):
    d = pred - target
    return float(np.square(d).mean()), 2 * d / np.prod(d.shape)


@right("mse", "the squared norm")
def _(pred, target):
    d = np.asarray(pred - target, dtype=float)
    return np.linalg.norm(d) ** 2 / d.size, (2.0 / d.size) * d


@right("mse", "a dot product of the flattened differences; the loss left as a NumPy number")
def _(pred, target):
    d = (pred - target).ravel()
    return d @ d / len(d), 2 * (pred - target) / len(d)


@right("mse", "np.average over every entry")
def _(pred, target):
    d = pred - target
    return np.average(d * d), d * (2 / d.size)


# ---------------------------------------------------------------- softmax_cross_entropy(logits, y)


def _log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


@wrong("softmax_cross_entropy", "the one-hot built with y.max() + 1 columns (the batch may lack the top class)")
def _(logits, y):
    n = len(y)
    t = np.eye(y.max() + 1)[y]
    log_p = _log_softmax(logits)
    return float(-np.sum(t * log_p) / n), (np.exp(log_p) - t) / n


@wrong("softmax_cross_entropy", "the loss summed over the batch, the gradient averaged")
def _(logits, y):
    n = logits.shape[0]
    log_p = _log_softmax(logits)
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].sum()), g / n


@wrong("softmax_cross_entropy", "the minus sign of the loss forgotten")
def _(logits, y):
    n = logits.shape[0]
    log_p = _log_softmax(logits)
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(log_p[np.arange(n), y].mean()), g / n


@wrong("softmax_cross_entropy", "the gradient's sign: one-hot minus probabilities")
def _(logits, y):
    n, k = logits.shape
    log_p = _log_softmax(logits)
    t = np.eye(k)[y]
    return float(-(t * log_p).sum() / n), (t - np.exp(log_p)) / n


@wrong("softmax_cross_entropy", "the maximum subtracted per column (axis=0) instead of per row")
def _(logits, y):
    n = logits.shape[0]
    s = logits - logits.max(axis=0, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), g / n


@wrong("softmax_cross_entropy", "softmax normalised over the batch (axis=0) instead of the classes")
def _(logits, y):
    n = logits.shape[0]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean()
    p[np.arange(n), y] -= 1
    return float(loss), p / n


@wrong("softmax_cross_entropy", "listed: the batch's single largest logit subtracted (rows far below it underflow)")
def _(logits, y):
    n = logits.shape[0]
    s = logits - logits.max()
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), g / n


@wrong("softmax_cross_entropy", "probabilities clipped to 1e-12 before the log (caps the loss of a confident mistake)")
def _(logits, y):
    n = logits.shape[0]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(p[np.arange(n), y], 1e-12, 1.0)))
    g = p.copy()
    g[np.arange(n), y] -= 1
    return float(loss), g / n


@wrong("softmax_cross_entropy", "the maximum subtracted in place (changes the caller's logits)")
def _(logits, y):
    n = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), g / n


@wrong("softmax_cross_entropy", "listed: the textbook softmax, no maximum subtracted")
def _(logits, y):
    n = logits.shape[0]
    p = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    p[np.arange(n), y] -= 1
    return float(loss), p / n


@wrong("softmax_cross_entropy", "listed: softmax applied to the logits first, then the right code")
def _(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    n = probs.shape[0]
    log_p = _log_softmax(probs)
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), g / n


@wrong("softmax_cross_entropy", "listed: the gradient not divided by n")
def _(logits, y):
    n = logits.shape[0]
    log_p = _log_softmax(logits)
    g = np.exp(log_p)
    g[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), g


@right("softmax_cross_entropy", "np.logaddexp.reduce for the log-sum-exp")
def _(logits, y):
    n = logits.shape[0]
    lse = np.logaddexp.reduce(logits, axis=1)
    loss = np.mean(lse - logits[np.arange(n), y])
    p = np.exp(logits - lse[:, None])
    p[np.arange(n), y] -= 1
    return loss, p / n


@right("softmax_cross_entropy", "one-hot from np.eye with k = the logits' columns")
def _(logits, y):
    n, k = logits.shape
    t = np.eye(k)[y]
    log_p = _log_softmax(logits)
    return -np.sum(t * log_p) / n, (np.exp(log_p) - t) / n


@right("softmax_cross_entropy", "a loop over the examples")
def _(logits, y):
    n = logits.shape[0]
    total, grad = 0.0, np.zeros_like(logits, dtype=float)
    for i in range(n):
        z = logits[i] - np.max(logits[i])
        log_p = z - np.log(np.sum(np.exp(z)))
        total -= log_p[y[i]]
        grad[i] = np.exp(log_p)
        grad[i, y[i]] -= 1
    return total / n, grad / n


@right("softmax_cross_entropy", "np.take_along_axis picks the true class")
def _(logits, y):
    n = len(y)
    log_p = _log_softmax(logits)
    picked = np.take_along_axis(log_p, y[:, None], axis=1)
    t = np.zeros_like(log_p)
    np.put_along_axis(t, y[:, None], 1.0, axis=1)
    return float(-picked.mean()), (np.exp(log_p) - t) / n


# ---------------------------------------------------------------- one_hot(y, k)


@wrong("one_hot", "listed: the number of classes from y.max() + 1")
def _(y, k):
    return np.eye(y.max() + 1)[y]


@wrong("one_hot", "the number of classes from the distinct labels in the batch")
def _(y, k):
    return np.eye(len(np.unique(y)))[y]


@wrong("one_hot", "an integer array")
def _(y, k):
    out = np.zeros((len(y), k), dtype=int)
    out[np.arange(len(y)), y] = 1
    return out


@wrong("one_hot", "booleans from a comparison, not converted to float")
def _(y, k):
    return np.asarray(y)[:, None] == np.arange(k)


@wrong("one_hot", "listed: out[:, y] = 1 sets every label's column in every row")
def _(y, k):
    out = np.zeros((len(y), k))
    out[:, y] = 1
    return out


@wrong("one_hot", "k + 1 columns (as if the labels went up to k)")
def _(y, k):
    out = np.zeros((len(y), k + 1))
    for i, label in enumerate(y):
        out[i, label] = 1.0
    return out


@wrong("one_hot", "row and column indices swapped")
def _(y, k):
    out = np.zeros((len(y), k))
    out[y, np.arange(len(y))] = 1
    return out


@wrong("one_hot", "listed: one column per example, (k, n)")
def _(y, k):
    return np.eye(k)[:, y]


@wrong("one_hot", "listed: the 1 in column y - 1")
def _(y, k):
    out = np.zeros((len(y), k))
    for i in range(len(y)):
        out[i, y[i] - 1] = 1
    return out


@right("one_hot", "rows of the identity matrix")
def _(y, k):
    return np.eye(k)[y]


@right("one_hot", "a comparison converted to float")
def _(y, k):
    return (np.asarray(y).reshape(-1, 1) == np.arange(k)).astype(np.float64)


@right("one_hot", "a loop over the examples")
def _(y, k):
    out = np.zeros((len(y), k))
    for i, label in enumerate(y):
        out[i, label] = 1.0
    return out


@right("one_hot", "np.put_along_axis")
def _(y, k):
    out = np.zeros((len(y), k))
    np.put_along_axis(out, np.asarray(y)[:, None], 1.0, axis=1)
    return out
