"""Gradient checking: compare an analytic gradient (梯度) with finite differences."""
from __future__ import annotations

import inspect
import math

import numpy as np

from ._validate import CourseInputError, array, describe, positive_float
from .i18n import _, ngettext


def _required_args(f) -> list[str]:
    """Names of the arguments f cannot be called without ([] when its signature is unknown)."""
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature
        return []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                  inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in parameters if p.kind in positional and p.default is inspect.Parameter.empty]


def _check_f(f) -> None:
    if not callable(f):
        raise CourseInputError(_("f: expected a function of no arguments returning a number, got {got}.")
                               .format(got=describe(f)))
    needs = _required_args(f)
    if needs:
        raise CourseInputError(
            ngettext("f: expected a function of no arguments that reads x (x is nudged in place), got one that needs "
                     "{n} argument ({names}); call yours inside one that takes none: "
                     "numerical_gradient(lambda: f(x), x).",
                     "f: expected a function of no arguments that reads x (x is nudged in place), got one that needs "
                     "{n} arguments ({names}); call yours inside one that takes none: "
                     "numerical_gradient(lambda: f(x), x).", len(needs))
            .format(n=len(needs), names=", ".join(needs))
        )


def _value(out, i: int, sign: str) -> float:
    """f's result as a finite float, or one sentence saying what f returned instead
    (f was called with x.flat[i] nudged by `sign`h, sign '+' or '-')."""
    if isinstance(out, tuple):
        raise CourseInputError(
            _("f: expected a function returning one number (the loss), got a tuple of {n} items; if f returns "
              "(loss, grad), take the loss: numerical_gradient(lambda: f()[0], x).")
            .format(n=len(out))
        )
    a = np.asarray(out) if isinstance(out, (int, float, np.generic, np.ndarray)) else None
    if a is None or a.size != 1 or a.dtype == bool or not np.issubdtype(a.dtype, np.number) \
            or np.issubdtype(a.dtype, np.complexfloating):
        raise CourseInputError(_("f: expected a function returning one real number (the loss), got {got}.")
                               .format(got=describe(out)))
    value = float(a.reshape(()))
    if not math.isfinite(value):
        raise CourseInputError(_("f: expected a finite number, got {value} with x.flat[{i}] nudged by {sign}h.")
                               .format(value=value, i=i, sign=sign))
    return value


def numerical_gradient(f, x, h: float = 1e-5):
    """Central-difference gradient of a scalar function f at x.

    f: callable taking no arguments that reads x (x is changed in place and
    restored, also when f raises, so f can close over it) and returns one
    real number (a float, a NumPy scalar or a size-1 array); x: writeable,
    C-contiguous float array of any shape (float64 for a trustworthy check);
    h: the nudge, a finite number > 0. Returns a float64 array shaped like x:
    (f(x + h e_i) - f(x - h e_i)) / 2h.

    Raises CourseInputError when f needs arguments, returns something other
    than one finite number (a (loss, grad) tuple, an array, NaN), or when x
    or h are not as above. Exceptions raised inside f are passed on unchanged.
    """
    _check_f(f)
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        if isinstance(x, np.ndarray):
            raise CourseInputError(_("x: expected a float NumPy array (it is nudged in place), got {type} of dtype {dtype}.")
                                   .format(type=type(x).__name__, dtype=x.dtype))
        raise CourseInputError(_("x: expected a float NumPy array (it is nudged in place), got {type}.")
                               .format(type=type(x).__name__))
    h = positive_float(h, "h")
    if not x.flags.c_contiguous:
        raise CourseInputError(_("x: expected a C-contiguous array so it can be nudged in place, got strides "
                                 "{strides}.")
                               .format(strides=x.strides))
    if not x.flags.writeable:
        raise CourseInputError(_("x: expected a writeable array (it is nudged in place), got a read-only {got}.")
                               .format(got=describe(x)))
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views, thanks to contiguity
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + h
            plus = _value(f(), i, "+")
            flat[i] = old - h
            minus = _value(f(), i, "-")
        finally:
            flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b) -> float:
    """||a - b|| / (||a|| + ||b||): 0 for equal arrays, about 1e-9 or less for a correct
    float64 gradient, near 1 for an unrelated one. Returns 0 when both are zero (or empty).

    a, b: real arrays of the same shape without NaN/inf; raises CourseInputError otherwise.
    """
    a = array(a, "a")
    b = array(b, "b")
    if a.shape != b.shape:
        raise CourseInputError(_("a and b: expected the same shape, got {a} and {b}.")
                               .format(a=a.shape, b=b.shape))
    with np.errstate(over="ignore", invalid="ignore"):
        denom = np.linalg.norm(a) + np.linalg.norm(b)
        error = 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
    if not np.isfinite(error):  # norms beyond 1e154 overflow: the same ratio, measured in units of the largest entry
        scale = max(np.abs(a).max(), np.abs(b).max())
        return relative_error(a / scale, b / scale)
    return error


def check_gradient(f, x, analytic, h: float = 1e-5) -> float:
    """relative_error(analytic, numerical_gradient(f, x, h)): below 1e-7 means the analytic gradient is right.

    f, x, h: as for numerical_gradient; analytic: the gradient to check, shaped like x.
    Both x and analytic must be float64: in float32 (about 7 significant digits) the
    nudge h is mostly lost in rounding and even a correct gradient reads as about 1e-2.
    Raises CourseInputError for float16/float32 input (build the model with
    dtype=np.float64) and for an analytic gradient of another shape.
    """
    _check_f(f)
    analytic = array(analytic, "analytic")
    for name, a in (("x", x), ("analytic", analytic)):
        if isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating) and a.dtype.itemsize < 8:
            raise CourseInputError(
                _("{name}: expected float64 for a gradient check, got {dtype}, whose ~{precision} digits make even "
                  "a correct gradient read as about 1e-2 off; build the model with dtype=np.float64 "
                  "(course.MLP(sizes, dtype=np.float64)) or the arrays f reads as float64, and check again.")
                .format(name=name, dtype=a.dtype, precision=np.finfo(a.dtype).precision)
            )
    if isinstance(x, np.ndarray) and analytic.shape != x.shape:
        raise CourseInputError(_("analytic: expected x's shape {expected}, got {got}.")
                               .format(expected=x.shape, got=analytic.shape))
    return relative_error(analytic, numerical_gradient(f, x, h))
