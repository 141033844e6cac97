"""Argument checks shared by every public function.

Each check raises :class:`CourseInputError` with one sentence that says what
was expected and what arrived, so a learner never sees a bare traceback from
deep inside NumPy.
"""
from __future__ import annotations

import numpy as np

from .i18n import _


class CourseInputError(ValueError):
    """Bad input to a `course` function; the message says expected vs. got."""


def describe(x) -> str:
    """Short description of what arrived: 'float32 array of shape (3, 4)'."""
    if isinstance(x, np.ndarray):
        return _("{dtype} array of shape {shape}").format(dtype=x.dtype, shape=x.shape)
    if x is None:
        return "None"
    return " ".join(f"{type(x).__name__} {x!r}".split())[:80]  # one line, even for a list of arrays


def describe_sequence(v) -> str:
    """'list of 3' or 'tuple of 2' for a list or tuple (its length is what matters), else describe(v)."""
    if isinstance(v, (list, tuple)):
        # TRANSLATORS: a list or tuple and its length ("list of 3").
        return _("{type} of {length}").format(type=type(v).__name__, length=len(v))
    return describe(v)


def array(x, name: str, *, ndim=None, dtype=None, finite: bool = True) -> np.ndarray:
    """Return `x` as a float ndarray (or `dtype`), checking dimensions and NaN/inf.

    ndim: an int or a tuple of allowed ints. Integer and bool input is turned
    into float64; float16/32/64 are kept as they are.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise CourseInputError(_("{name}: expected a numeric array, got {got}.").format(name=name, got=describe(x)))
    try:
        a = np.asarray(x)
    except Exception as e:  # ragged lists and the like
        raise CourseInputError(_("{name}: expected a numeric array, got {type} ({error}).").format(
            name=name, type=type(x).__name__, error=e)) from None
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise CourseInputError(_("{name}: expected a numeric array, got an array of dtype {dtype}.").format(
            name=name, dtype=a.dtype))
    if np.issubdtype(a.dtype, np.complexfloating):
        raise CourseInputError(_("{name}: expected real numbers, got dtype {dtype}.").format(name=name, dtype=a.dtype))
    if dtype is not None:
        a = a.astype(dtype, copy=False)
    elif not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if a.ndim not in allowed:
            # TRANSLATORS: a number of dimensions, as in "expected a 2-D array".
            want = _("{d}-D").format(d=allowed[0])
            for d in allowed[1:]:
                want = _("{either} or {other}").format(either=want, other=_("{d}-D").format(d=d))
            raise CourseInputError(_("{name}: expected a {dimensions} array, got shape {shape}.").format(
                name=name, dimensions=want, shape=a.shape))
    if finite and a.size and not _all_finite(a):
        bad = "NaN" if np.isnan(a).any() else "inf"
        raise CourseInputError(_("{name}: expected finite numbers, got {bad} at {count} of {size} entries.").format(
            name=name, bad=bad, count=int((~np.isfinite(a)).sum()), size=a.size))
    return a


def _all_finite(a: np.ndarray, block: int = 1 << 20) -> bool:
    # In blocks: np.isfinite(a) on all of MNIST would build a 47 MB temporary.
    flat = a.reshape(-1)
    return all(np.isfinite(flat[i:i + block]).all() for i in range(0, flat.size, block))


def labels(y, name: str, n_classes: int | None = None, n_rows: int | None = None) -> np.ndarray:
    """Integer class labels (n,) in [0, n_classes); returns an int64 array."""
    if isinstance(y, (str, bytes)) or y is None:
        raise CourseInputError(_("{name}: expected integer class labels, got {got}.").format(name=name,
                                                                                            got=describe(y)))
    a = np.asarray(y)
    if a.ndim != 1:
        raise CourseInputError(_("{name}: expected a 1-D array of integer labels, got shape {shape}.").format(
            name=name, shape=a.shape))
    if np.issubdtype(a.dtype, np.floating):
        if not np.isfinite(a).all() or (a != np.round(a)).any():
            raise CourseInputError(_("{name}: expected integer class labels, got non-integer values of dtype "
                                     "{dtype}.").format(name=name, dtype=a.dtype))
        if a.size and np.abs(a).max() >= 2 ** 53:  # beyond that a float is no exact integer, and int64 may overflow
            raise CourseInputError(_("{name}: expected class labels, got values as large as {largest}.").format(
                name=name, largest=f"{np.abs(a).max():g}"))
    elif not np.issubdtype(a.dtype, np.integer):
        raise CourseInputError(_("{name}: expected integer class labels, got dtype {dtype}.").format(name=name,
                                                                                                    dtype=a.dtype))
    a = a.astype(np.int64)
    if n_rows is not None and a.shape[0] != n_rows:
        raise CourseInputError(_("{name}: expected {n_rows} labels (one per row of X), got {count}.").format(
            name=name, n_rows=n_rows, count=a.shape[0]))
    if a.size and n_classes is not None and (a.min() < 0 or a.max() >= n_classes):
        raise CourseInputError(_("{name}: expected labels in [0, {last}], got values from {low} to {high}.").format(
            name=name, last=n_classes - 1, low=a.min(), high=a.max()))
    if a.size and a.min() < 0:
        raise CourseInputError(_("{name}: expected non-negative labels, got a minimum of {low}.").format(
            name=name, low=a.min()))
    return a


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise CourseInputError(_("{name_a} and {name_b}: expected the same shape, got {shape_a} and {shape_b}.").format(
            name_a=name_a, name_b=name_b, shape_a=a.shape, shape_b=b.shape))


def positive_int(v, name: str, minimum: int = 1) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise CourseInputError(_("{name}: expected an integer >= {minimum}, got {got}.").format(
            name=name, minimum=minimum, got=describe(v)))
    if v < minimum:
        raise CourseInputError(_("{name}: expected an integer >= {minimum}, got {got}.").format(
            name=name, minimum=minimum, got=v))
    return int(v)


def positive_float(v, name: str, *, allow_zero: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise CourseInputError(_("{name}: expected a number, got {got}.").format(name=name, got=describe(v)))
    v = float(v)
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise CourseInputError(_("{name}: expected a finite number {bound}, got {got}.").format(name=name, bound=bound,
                                                                                               got=v))
    return v


def nonempty(a: np.ndarray, name: str, what: str = "entry", axis: int | None = None) -> np.ndarray:
    """`a` unchanged if it holds at least one `what` (along `axis`, or anywhere when axis is None).

    For functions whose result is undefined on nothing, such as a mean over zero
    examples: one sentence instead of NumPy's NaN with a RuntimeWarning.
    """
    count = a.size if axis is None else a.shape[axis]
    if count == 0:
        # `what` ("entry", "example", ...) is data of the caller, translated here
        raise CourseInputError(_("{name}: expected at least one {what}, got shape {shape}.").format(
            name=name, what=_(what), shape=a.shape))
    return a


def number(v, name: str) -> float:
    """A finite real number (any sign) as a float."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v):
        raise CourseInputError(_("{name}: expected a finite number, got {got}.").format(name=name, got=describe(v)))
    return float(v)


def seed(v, name: str = "seed"):
    """A seed for np.random.default_rng: an integer >= 0 (the same numbers every time) or None (fresh ones)."""
    if v is None:
        return None
    return positive_int(v, name, minimum=0)


def choice(v, name: str, options) -> str:
    try:
        ok = isinstance(v, (str, int, float)) and v in options  # an array would compare elementwise
    except TypeError:
        ok = False
    if not ok:
        got = repr(v) if v is None or isinstance(v, (str, int, float)) else describe(v)
        raise CourseInputError(_("{name}: expected one of {options}, got {got}.").format(
            name=name, options=", ".join(map(repr, options)), got=got))
    return v
