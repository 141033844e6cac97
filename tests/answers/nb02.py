"""Learner answers for notebook 02 (activation functions): sigmoid, relu, sigmoid_grad, softmax.

Written the way learners write them. In the notebook, `sigmoid_grad` uses the learner's own `sigmoid`
from exercise 1; here the stable one is spelled out (`_sigmoid`) so that each answer stands alone.
Wrong answers mostly run; at least half of them are slips the exercise's `mistakes` list does not
anticipate.
"""
import math

import numpy as np

from answers import right, wrong


def _sigmoid(x):
    """The stable sigmoid a learner wrote in exercise 1: x any shape -> σ(x), same shape."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


# ---------------------------------------------------------------------------
# sigmoid(x): any shape, no overflow
# ---------------------------------------------------------------------------


@wrong("sigmoid", "np.where over the two textbook forms: NumPy evaluates both branches, so both overflow")
def _(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


@wrong("sigmoid", "e^x / (1 + e^x): overflows for large positive x, inf / inf = nan")
def _(x):
    return np.exp(x) / (1 + np.exp(x))


@wrong("sigmoid", "the abs without the branch: 1 / (1 + e^(-|x|)) is σ(|x|)")
def _(x):
    return 1 / (1 + np.exp(-np.abs(x)))


@wrong("sigmoid", "the branches with e = e^(-x), the abs forgotten")
def _(x):
    e = np.exp(-x)
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


@wrong("sigmoid", "x clipped in place to avoid the overflow, changing the caller's array")
def _(x):
    np.clip(x, -500, 500, out=x)
    return 1 / (1 + np.exp(-x))


@wrong("sigmoid", "math.exp on an array")
def _(x):
    return 1 / (1 + math.exp(-x))


@wrong("sigmoid", "the article's one-liner 1 / (1 + np.exp(-x))")
def _(x):
    return 1 / (1 + np.exp(-x))


@wrong("sigmoid", "the branches swapped: σ(-x)")
def _(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))


@right("sigmoid", "tanh form: (1 + tanh(x / 2)) / 2")
def _(x):
    return 0.5 * (1 + np.tanh(x / 2))


@right("sigmoid", "the textbook formula on x clipped to [-500, 500] (a new array)")
def _(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))


@right("sigmoid", "x > 0 instead of x >= 0: both branches give 0.5 at 0")
def _(x):
    e = np.exp(-np.abs(x))
    return np.where(x > 0, 1 / (1 + e), e / (1 + e))


@right("sigmoid", "log-sum-exp: σ(x) = exp(-log(1 + e^(-x)))")
def _(x):
    return np.exp(-np.logaddexp(0, -x))


# ---------------------------------------------------------------------------
# relu(x) = max(0, x), a new array
# ---------------------------------------------------------------------------


@wrong("relu", "the integer dtype: truncates 0.5 to 0")
def _(x):
    return np.maximum(x, 0).astype(int)


@wrong("relu", "np.abs(x): negative entries become positive instead of 0")
def _(x):
    return np.abs(x)


@wrong("relu", "np.clip(x, 0, 1): also caps the positive values at 1")
def _(x):
    return np.clip(x, 0, 1)


@wrong("relu", "leaky ReLU: keeps 0.01 x for negative x")
def _(x):
    return np.maximum(x, 0.01 * x)


@wrong("relu", "Python's max on an array")
def _(x):
    return max(x, 0)


@wrong("relu", "y = x is not a copy: the negative entries of the caller's array are set to 0")
def _(x):
    y = x
    y[y < 0] = 0
    return y


@wrong("relu", "np.max(x, 0): a reduction over axis 0")
def _(x):
    return np.max(x, 0)


@wrong("relu", "the derivative as 0/1 integers")
def _(x):
    return np.where(x < 0, 0, 1)


@right("relu", "(x + |x|) / 2")
def _(x):
    return (x + np.abs(x)) / 2


@right("relu", "np.where(x > 0, x, 0)")
def _(x):
    return np.where(x > 0, x, 0)


@right("relu", "a copy, then the negative entries set to 0")
def _(x):
    y = x.copy()
    y[y < 0] = 0
    return y


@right("relu", "x times the mask x >= 0")
def _(x):
    return x * (x >= 0)


# ---------------------------------------------------------------------------
# sigmoid_grad(x) = σ(x)(1 - σ(x))
# ---------------------------------------------------------------------------


@wrong("sigmoid_grad", "a plus for the minus: σ(x)(1 + σ(x))")
def _(x):
    s = _sigmoid(x)
    return s * (1 + s)


@wrong("sigmoid_grad", "half-substituted: σ(x)(1 - x)")
def _(x):
    return _sigmoid(x) * (1 - x)


@wrong("sigmoid_grad", "σ(x)(1 - σ(-x)) = σ(x)², the identity 1 - σ(x) = σ(-x) applied twice")
def _(x):
    return _sigmoid(x) * (1 - _sigmoid(-x))


@wrong("sigmoid_grad", "the maths notation σ(x)(1 - σ(x)) typed as it is: an array is not callable")
def _(x):
    return _sigmoid(x)(1 - _sigmoid(x))


@wrong("sigmoid_grad", "a forward difference (σ(x + h) - σ(x)) / h: off by about h σ''(x) / 2")
def _(x):
    h = 1e-4
    return (_sigmoid(x + h) - _sigmoid(x)) / h


@wrong("sigmoid_grad", "σ stored in x in place, then x(1 - x)")
def _(x):
    x[...] = _sigmoid(x)
    return x * (1 - x)


@wrong("sigmoid_grad", "tanh form without the halves: (1 - tanh²(x)) / 4")
def _(x):
    return 0.25 * (1 - np.tanh(x) ** 2)


@wrong("sigmoid_grad", "the quotient rule's form e^(-x) / (1 + e^(-x))², which overflows")
def _(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


@wrong("sigmoid_grad", "1 - σ(x): one factor forgotten")
def _(x):
    return 1 - _sigmoid(x)


@right("sigmoid_grad", "σ(x) σ(-x)")
def _(x):
    return _sigmoid(x) * _sigmoid(-x)


@right("sigmoid_grad", "σ - σ²")
def _(x):
    s = _sigmoid(x)
    return s - s ** 2


@right("sigmoid_grad", "the quotient with |x|: σ' is even")
def _(x):
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2


@right("sigmoid_grad", "a central difference with h = 1e-5 (error far below the tolerance)")
def _(x):
    h = 1e-5
    return (_sigmoid(x + h) - _sigmoid(x - h)) / (2 * h)


# ---------------------------------------------------------------------------
# softmax(x): (n, k) scores -> (n, k) probabilities, each row sums to 1
# ---------------------------------------------------------------------------


@wrong("softmax", "the wrong axis: max and sum over axis 0 (each column sums to 1)")
def _(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@wrong("softmax", "the row's max subtracted, but the sums taken over axis 0")
def _(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@wrong("softmax", "the row mean subtracted instead of the max: overflows when a row spreads over 1420")
def _(x):
    e = np.exp(x - x.mean(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", "the max subtracted in place in the caller's array")
def _(x):
    x -= x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


@wrong("softmax", "the numerator shifted by the max, the denominator not")
def _(x):
    return np.exp(x - x.max(axis=1, keepdims=True)) / np.exp(x).sum(axis=1, keepdims=True)


@wrong("softmax", "log-sum-exp without the final exp: the log-probabilities")
def _(x):
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


@wrong("softmax", "the sigmoid of each score, elementwise")
def _(x):
    return _sigmoid(x)


@wrong("softmax", "the 1-D formula without the max on a 2-D array")
def _(x):
    return np.exp(x) / np.sum(np.exp(x))


@wrong("softmax", "via the transpose, the final transpose forgotten")
def _(x):
    t = x.T
    e = np.exp(t - t.max(axis=0))
    return e / e.sum(axis=0)


@wrong("softmax", "the sum without keepdims, divided along the wrong axis")
def _(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


@right("softmax", "via the transpose: the (k,) row statistics broadcast along the columns of x.T")
def _(x):
    t = x.T
    e = np.exp(t - t.max(axis=0))
    return (e / e.sum(axis=0)).T


@right("softmax", "[:, None] instead of keepdims")
def _(x):
    e = np.exp(x - x.max(axis=1)[:, None])
    return e / e.sum(axis=1)[:, None]


@right("softmax", "a loop over the rows")
def _(x):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        e = np.exp(x[i] - np.max(x[i]))
        out[i] = e / np.sum(e)
    return out


@right("softmax", "log-sum-exp, then exp")
def _(x):
    m = x.max(axis=1, keepdims=True)
    return np.exp(x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True)))
