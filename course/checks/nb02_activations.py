"""Exercises of notebook 02 (activation functions): sigmoid, relu, sigmoid_grad, softmax."""
import numpy as np

from .. import activations as act
from .core import Exercise, Mistake, register


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _sigmoid_without_minus(x):
    return act.sigmoid(-np.asarray(x, dtype=float))


def _sigmoid_derivative_instead(x):
    return act.sigmoid_grad(x)


register(Exercise(
    name="sigmoid",
    notebook="02_activation_functions",
    reference=act.sigmoid,
    cases=[(np.array([0.0, 1.0, -1.0]),), (np.array([[-1e3, 0.5], [2.0, 1e3]]),)],
    random_case=lambda rng: (rng.normal(scale=5, size=(3, 4)),),
    mistakes=[
        # Named by what happens (np.exp overflowed), not by the formula: np.where over the two textbook
        # forms gives the same values and the same warning, since NumPy computes both branches everywhere.
        Mistake("np.exp overflowed (NumPy warned): e^(-x) does for x below about -709, e^x for x above 709",
                _naive_sigmoid,
                "A choice between two formulas computes both of them on every entry, so each must be safe "
                "everywhere: compute only e = e^(-|x|), which is at most 1, then take 1 / (1 + e) where x ≥ 0 "
                "and e / (1 + e) where x < 0."),
        Mistake("the sign of x is flipped (you computed σ(-x))", _sigmoid_without_minus,
                "σ(x) = 1 / (1 + e^(-x)): large positive x must give values near 1."),
        Mistake("this is the derivative σ(x)(1 - σ(x)), not σ(x)", _sigmoid_derivative_instead,
                "Return σ(x) itself; the derivative is the next exercise."),
    ],
    hints=[
        "The textbook formula computes e^(-x), which overflows for very negative x. Write σ in two forms, "
        "one for x ≥ 0 and one for x < 0, chosen so that the only exponential you ever compute is e^(-|x|), "
        "which is at most 1.",
        "With e = e^(-|x|) (same shape as x): σ(x) = 1 / (1 + e) where x ≥ 0 and σ(x) = e / (1 + e) where "
        "x < 0 (the textbook form with top and bottom multiplied by e^x). np.where(condition, a, b) picks "
        "entry by entry; the result has x's shape.",
        "e = np.exp(-np.abs(x))\nreturn np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
    ],
))


# ---------------------------------------------------------------------------
# relu(x) = max(0, x), elementwise
# ---------------------------------------------------------------------------


def _relu_reduction(x):
    return np.max(x, 0)  # np.max reduces along axis 0; np.maximum compares elementwise


def _relu_in_place(x):
    x[x < 0] = 0
    return x


def _relu_derivative_instead(x):
    return x > 0


def _relu_minimum(x):
    return np.minimum(x, 0)


register(Exercise(
    name="relu",
    notebook="02_activation_functions",
    reference=act.relu,
    cases=[(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),), (np.array([[-1.0, 2.0, 0.0], [3.0, -4.0, 5.0]]),)],
    random_case=lambda rng: (rng.normal(scale=3, size=(3, 4)),),
    mistakes=[
        Mistake("np.max(x, 0) is a reduction (the largest entry along axis 0), not an elementwise max", _relu_reduction,
                "You need the entry-by-entry maximum of x and 0 (NumPy's maximum, not max): it compares every entry "
                "with 0 and keeps the shape."),
        Mistake("you set the negative entries of the input to 0 in place, overwriting the caller's array", _relu_in_place,
                "Build a new array (an entry-by-entry maximum with 0 does) and leave x as it was: a layer must not "
                "destroy its input."),
        Mistake("this is the derivative (x > 0), not ReLU itself", _relu_derivative_instead,
                "ReLU keeps the positive values as they are: relu(3) = 3, not 1."),
        Mistake("np.minimum(x, 0) keeps the negative part; ReLU keeps the positive part", _relu_minimum,
                "relu(x) = max(0, x): the larger of 0 and each entry, not the smaller."),
    ],
    hints=[
        "ReLU keeps every positive entry as it is and replaces every negative entry by 0, entry by entry. "
        "Build a new array: do not write into x, the caller still needs it.",
        "relu(x) = max(0, x) for each entry; the result has x's shape and x's float dtype. NumPy's "
        "entry-by-entry maximum of an array and a number is np.maximum; np.max is something else: it "
        "reduces an array to its largest entries.",
        "return np.maximum(x, 0)",
    ],
))


# ---------------------------------------------------------------------------
# sigmoid_grad(x) = σ(x)(1 - σ(x))
# ---------------------------------------------------------------------------


def _sigmoid_grad_of_x(x):
    return x * (1 - x)  # the formula s(1 - s) applied to x instead of to s = σ(x)


def _sigmoid_grad_returns_sigmoid(x):
    return act.sigmoid(x)


def _sigmoid_grad_quotient(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2


def _one_minus_sigmoid(x):
    """x: any shape -> 1 - σ(x) = σ(-x), same shape: one factor of σ'(x) = σ(x)(1 - σ(x))."""
    return act.sigmoid(-np.asarray(x, dtype=float))


def _sigmoid_grad_naive_sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


register(Exercise(
    name="sigmoid_grad",
    notebook="02_activation_functions",
    reference=act.sigmoid_grad,
    cases=[(np.array([0.0, 1.0, -1.0, 2.0]),), (np.array([[-1e3, 0.5], [3.0, 1e3]]),)],
    random_case=lambda rng: (rng.normal(scale=5, size=(3, 4)),),
    mistakes=[
        Mistake("you computed x(1 - x): the formula s(1 - s) needs s = σ(x), not x", _sigmoid_grad_of_x,
                "First s = σ(x) with your sigmoid, then s(1 − s)."),
        Mistake("this is σ(x) itself, not its derivative", _sigmoid_grad_returns_sigmoid,
                "σ'(x) = σ(x)(1 - σ(x)); it is 0.25 at x = 0, not 0.5."),
        Mistake("e^(-x) / (1 + e^(-x))^2 overflows for large negative x and gives inf / inf = nan", _sigmoid_grad_quotient,
                "Write it with the stable sigmoid: s = σ(x), then s(1 − s), which never overflows."),
        Mistake("built on the textbook 1 / (1 + np.exp(-x)), which overflows for large negative x", _sigmoid_grad_naive_sigmoid,
                "Use your stable sigmoid from the exercise above: s = σ(x), then s(1 − s)."),
    ],
    related=[("1 − σ(x), only one of the two factors of σ(x)(1 − σ(x))", _one_minus_sigmoid)],
    hints=[
        "The derivative of the sigmoid can be written with the sigmoid itself, and you already have a stable "
        "sigmoid from exercise 1: compute σ(x) once and reuse it.",
        "σ'(x) = σ(x)(1 − σ(x)), entry by entry; the result has x's shape. Check: at x = 0 it is "
        "0.5 · 0.5 = 0.25. Avoid the quotient e^(-x) / (1 + e^(-x))², which overflows for very negative x.",
        "s = sigmoid(x)\nreturn s * (1 - s)",
    ],
))


# ---------------------------------------------------------------------------
# softmax(x) along the rows of a 2-D array
# ---------------------------------------------------------------------------


def _softmax_no_max(x):
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def _softmax_columns(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_whole_array(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def _softmax_global_max(x):
    e = np.exp(x - np.max(x))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_sum_no_keepdims(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)  # (n, k) / (k,): divides column j by row j's sum


def _softmax_max_no_keepdims(x):
    e = np.exp(x - x.max(axis=1))  # (n, k) - (n,): subtracts row j's maximum from column j
    return e / e.sum(axis=1, keepdims=True)


def _softmax_not_normalised(x):
    return np.exp(x - x.max(axis=1, keepdims=True))


def _log_softmax(x):
    """x: (n, k) -> (n, k) log-probabilities log softmax(x), by log-sum-exp: softmax before its exponential."""
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


register(Exercise(
    name="softmax",
    notebook="02_activation_functions",
    reference=act.softmax,
    cases=[
        # square first: the keepdims mistakes only broadcast (wrongly) when n == k
        (np.array([[1.0, 2.0, 3.0], [2.0, 0.0, -1.0], [0.5, 0.5, 4.0]]),),
        # |x| = 1e3: catches every formula that is not stable row by row
        (np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]]),),
        # a row spread over 2000: shifting by anything but the row's maximum (its mean, say) leaves an
        # exponent above 709, and np.exp overflows; every column holds a row's maximum, so sums over a
        # column stay finite and an answer normalised along the columns is still told so
        (np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]]),),
    ],
    random_case=lambda rng: (rng.normal(scale=3, size=(int(rng.integers(1, 5)), int(rng.integers(2, 7)))),),
    mistakes=[
        Mistake("without subtracting the maximum, np.exp overflows for large scores and gives inf / inf = nan",
                _softmax_no_max,
                "Subtract each row's maximum from that row first; it cancels in the ratio, and every exponent is then ≤ 0."),
        Mistake("you normalised along the columns (axis=0); each row must sum to 1", _softmax_columns,
                "Rows are examples and columns are classes: take both the maximum and the sum along each row (axis 1)."),
        Mistake("the 1-D formula on a 2-D array: np.max and np.sum over the whole array, so the whole array sums to 1",
                _softmax_whole_array,
                "Take the maximum and the sum of each row separately (along axis 1, keeping that axis), so each row is "
                "normalised on its own."),
        Mistake("you subtracted the maximum of the whole array: rows far below it underflow to 0 / 0 = nan",
                _softmax_global_max,
                "Subtract each row's own maximum, a column of n numbers, one per row."),
        Mistake("the row sums lost their axis (no keepdims=True), so column j was divided by row j's sum",
                _softmax_sum_no_keepdims,
                "Keep the summed axis: the row sums as shape (n, 1), not (n,), line up with their rows."),
        Mistake("the row maxima lost their axis (no keepdims=True), so column j was shifted by row j's maximum",
                _softmax_max_no_keepdims,
                "Keep the reduced axis: the row maxima as shape (n, 1), not (n,), line up with their rows."),
        Mistake("exp without normalising: the rows do not sum to 1", _softmax_not_normalised,
                "Divide each row of exponentials by that row's sum."),
    ],
    related=[("the log-probabilities log softmax(x): the log-sum-exp form before its final exponential",
              _log_softmax)],
    hints=[
        "Each row is one example: its scores become probabilities that are positive and sum to 1. Work row "
        "by row: shift the row so that its largest score is 0 (this changes nothing in the result and keeps "
        "the exponentials from overflowing), exponentiate, and divide by the row's sum.",
        "softmax(x)[i, j] = e^(x[i, j] − m_i) / Σ_l e^(x[i, l] − m_i), with m_i the maximum of row i. x is "
        "(n, k); the row maxima and the row sums must have shape (n, 1), not (n,), so that they broadcast "
        "along each row (keepdims=True). The result is (n, k).",
        "e = np.exp(x - x.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=1, keepdims=True)",
    ],
))
