"""Activation functions (激活函数) and their derivatives.

Every function takes an array of any shape and returns one of the same shape
(softmax: 1-D or 2-D). `*_grad(x)` is the derivative of the activation with
respect to its input, evaluated at `x`. All are stable for |x| up to 1e4 and
beyond: no overflow warning, no inf, no NaN.

Input: anything NumPy turns into a real array (lists too); integer and bool
input gives float64, float16/32/64 keep their dtype. Empty arrays give empty
results, except softmax over zero classes, which is undefined. Non-numeric,
complex, NaN or inf input raises CourseInputError (a ValueError) with one
sentence saying what was expected and what arrived.
"""
from __future__ import annotations

import numpy as np

from ._validate import CourseInputError, array, describe, number
from .i18n import _


def sigmoid(x):
    """σ(x) = 1 / (1 + e^{-x}), computed without overflow.

    The textbook formula overflows in e^{-x} for x < -709 (float64); here
    e^{-|x|} <= 1 always, and the two halves are joined with np.where.
    """
    x = array(x, "x")
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 - σ(x)); at most 0.25, which is why deep sigmoid nets' gradients vanish."""
    s = sigmoid(x)
    return s * (1.0 - s)


def relu(x):
    """ReLU (修正线性单元): max(0, x)."""
    x = array(x, "x")
    return np.maximum(x, 0)


def relu_grad(x):
    """1 where x > 0, else 0 (the derivative at exactly 0 is taken as 0, as PyTorch does)."""
    x = array(x, "x")
    return (x > 0).astype(x.dtype)


def tanh(x):
    """Tanh (双曲正切): maps to (-1, 1); np.tanh never overflows."""
    return np.tanh(array(x, "x"))


def tanh_grad(x):
    """tanh'(x) = 1 - tanh(x)^2."""
    t = tanh(x)
    return 1.0 - t * t


# The negative slope of leaky ReLU everywhere in the course (torch.nn.LeakyReLU's default; Keras's is 0.2).
LEAKY_SLOPE = 0.01


def _slope(alpha) -> float:
    """A leaky slope: a number in [0, 1], so that |alpha * x| <= |x| never overflows."""
    slope = number(alpha, "alpha")
    if not 0 <= slope <= 1:
        raise CourseInputError(_("alpha: expected the slope for x <= 0, a number in [0, 1] (e.g. {example}), "
                                 "got {slope}.").format(example=LEAKY_SLOPE, slope=f"{slope:g}"))
    return slope


def leaky_relu(x, alpha: float = LEAKY_SLOPE):
    """x for x > 0, alpha * x otherwise: keeps a small slope so a unit never dies completely.

    alpha: the slope for x <= 0, a number in [0, 1]. Raises CourseInputError otherwise.
    """
    x = array(x, "x")
    alpha = _slope(alpha)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha: float = LEAKY_SLOPE):
    """1 for x > 0, alpha otherwise; alpha: the slope for x <= 0, a number in [0, 1] (else CourseInputError)."""
    x = array(x, "x")
    alpha = _slope(alpha)
    return np.where(x > 0, 1.0, alpha).astype(x.dtype)


def identity(x):
    """f(x) = x: the 'activation' of an output layer that gives logits."""
    return array(x, "x").copy()


def identity_grad(x):
    """f'(x) = 1."""
    return np.ones_like(array(x, "x"))


def softmax(x, axis: int = -1):
    """Softmax along `axis`: exp(x_i) / Σ_j exp(x_j), each row sums to 1.

    Subtracting the row maximum first changes nothing mathematically (it
    cancels in the ratio) but keeps every exponent <= 0, so exp cannot overflow.

    x: (k,) or (n, k) real numbers; axis: an int naming one of x's axes.
    Returns an array of x's shape and float dtype. Zero rows (n = 0) give an
    empty (0, k) result; zero classes along `axis` raise CourseInputError, as
    no distribution over nothing sums to 1.
    """
    x = _softmax_input(x, axis)
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_input(x, axis=-1):
    x = array(x, "x", ndim=(1, 2))
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not -x.ndim <= axis < x.ndim:
        raise CourseInputError(_("axis: expected an integer from {low} to {high} for x of shape {shape}, "
                                 "got {got}.").format(low=-x.ndim, high=x.ndim - 1, shape=x.shape, got=describe(axis)))
    if x.shape[axis] == 0:
        raise CourseInputError(_("x: expected at least one class along axis {axis} (softmax rows sum to 1), "
                                 "got shape {shape}.").format(axis=axis, shape=x.shape))
    return x


def softmax_grad(x):
    """Jacobian of softmax: x (k,) -> (k, k), or x (n, k) -> (n, k, k), along the last axis.

    J[i, j] = s_i (δ_ij - s_j). Backpropagation never builds it (see
    `layers.activation_backward`), but it is the honest 'derivative'.
    """
    s = softmax(x)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return s[..., :, None] * (eye - s[..., None, :])


# name -> (function, derivative); the layers and the MLP look activations up here.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "relu": (relu, relu_grad),
    "tanh": (tanh, tanh_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "identity": (identity, identity_grad),
    "softmax": (softmax, softmax_grad),
}
