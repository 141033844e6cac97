"""Gradient checking: compare an analytic gradient (梯度) with finite differences."""
from __future__ import annotations

import numpy as np

from ._validate import CourseInputError, array, positive_float


def numerical_gradient(f, x, h: float = 1e-5):
    """Central-difference gradient of a scalar function f at x.

    f: callable taking no arguments that reads x (x is changed in place and
    restored, so f can close over it) and returns a float; x: float array of
    any shape. Returns an array shaped like x: (f(x + h e_i) - f(x - h e_i)) / 2h.
    """
    if not callable(f):
        raise CourseInputError(f"f: expected a function returning a number, got {type(f).__name__}.")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise CourseInputError("x: expected a float NumPy array (it is nudged in place), got "
                               f"{type(x).__name__}{' of dtype ' + str(x.dtype) if isinstance(x, np.ndarray) else ''}.")
    h = positive_float(h, "h")
    if not x.flags.c_contiguous:
        raise CourseInputError(f"x: expected a C-contiguous array so it can be nudged in place, got strides {x.strides}.")
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views, thanks to contiguity
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = float(f())
        flat[i] = old - h
        minus = float(f())
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b) -> float:
    """||a - b|| / (||a|| + ||b||): 0 for equal arrays, about 1e-9 or less for a correct
    float64 gradient, near 1 for an unrelated one. Returns 0 when both are zero."""
    a = array(a, "a")
    b = array(b, "b")
    if a.shape != b.shape:
        raise CourseInputError(f"a and b: expected the same shape, got {a.shape} and {b.shape}.")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_gradient(f, x, analytic, h: float = 1e-5) -> float:
    """relative_error(analytic, numerical_gradient(f, x, h))."""
    return relative_error(analytic, numerical_gradient(f, x, h))
