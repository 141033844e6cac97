"""How a wrong answer differs from the right one, when no listed mistake explains it.

core.run calls `diagnose` with every case the learner's function got wrong. It looks at the
first part of the result that differs (an item of a tuple, a key of a dict, or the array
itself) and tries, in order, explanations that hold on every failing case:

- the answer equals a quantity next to the right one (the exercise's `related` list);
- right along the other axis (the reference applied to the transposed input, transposed back);
- transposed; the opposite sign; off by a constant factor (named when it is the batch size or
  the number of classes); off by a constant offset, or by one offset per column;
- the answer's square root, square, logarithm, exp, 1 - it or 1 / it;
- computed in float32 (the reference on float32 inputs gives the same numbers); close but not within
  the tolerance (an approximation);
- wrong only on a region: negative inputs, positive inputs, large |x|, zeros, some columns
  (a bias entry, one class) or some rows;
- normalised along the wrong axis; values outside the range every right answer lies in;
- an input (or a column of it) the answer does not use: changing it leaves the output the same.

It always shows the smallest failing case: its input, the expected and returned values and the
largest difference. The explanation only describes what the numbers show; it never claims a
cause (core names a listed Mistake only when it reproduces the answer on every case).
"""
from __future__ import annotations

import copy

import numpy as np

RTOL, ATOL = 1e-6, 1e-8


def as_array(value):
    """A float/bool NumPy array for value (a number, array, list of numbers or a tensor), else None."""
    if hasattr(value, "detach"):  # a torch tensor, perhaps requiring grad
        value = value.detach().cpu().numpy()
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):  # a TensorFlow tensor
        try:
            value = value.numpy()
        except Exception:
            return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        return None
    return array


def _close(a, b):
    """a ≈ b, relative to b's size: an absolute tolerance of 1e-8 would call every pair of tiny numbers
    (Adam's ε is 1e-8) equal."""
    if a.shape != b.shape:
        return False
    finite = np.abs(b[np.isfinite(b)]) if b.size else np.zeros(0)
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL * min(1.0, scale), equal_nan=True))


def first_difference(got, expected, label=""):
    """(label, got_leaf, expected_leaf) for the first part of a nested result that differs, or None.

    Tuples and lists are walked item by item (labels "item 1", or `labels` of the exercise's compare),
    dicts key by key; leaves are compared as arrays."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected:
            if key in got:
                found = first_difference(got[key], expected[key], f"{key}")
                if found:
                    return found
        return None
    if isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)) \
            and not all(isinstance(v, (int, float, bool, np.number)) for v in expected):
        for i, (g, e) in enumerate(zip(got, expected)):
            found = first_difference(g, e, f"item {i}")
            if found:
                return found
        return None
    g, e = as_array(got), as_array(expected)
    if g is None or e is None:
        return None
    if g.shape == e.shape and _close(g.astype(float), e.astype(float)) and g.dtype.kind == e.dtype.kind \
            and g.dtype.itemsize == e.dtype.itemsize:
        return None
    return label, g, e


def _leaf(result, label):
    """The part of a nested result that first_difference labelled `label` ("" for the result itself)."""
    if not label:
        return as_array(result)
    if isinstance(result, dict):
        return as_array(result.get(label))
    if isinstance(result, (tuple, list)) and label.startswith("item "):
        index = int(label.split()[1])
        return as_array(result[index]) if index < len(result) else None
    return None


def _first_array(args):
    for a in args:
        if isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.number) and a.size:
            return a
    return None


def _fmt(x, digits=4):
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.{digits}g}"
    return str(x)


def compact(array, limit=12):
    """An array on one line; long arrays show their first entries and their shape."""
    a = np.asarray(array)
    if a.ndim == 0:
        return _fmt(a.item()) if a.dtype.kind == "f" else str(a.item())
    if a.size <= limit:
        return " ".join(np.array2string(a, precision=4, separator=", ", suppress_small=True).split())
    flat = ", ".join(_fmt(v) for v in a.ravel()[:6])
    return f"[{flat}, ...] (shape {a.shape})"


class _Case:
    """One failing case: its arguments, and the differing part of the learner's and the right result."""

    def __init__(self, args, got, expected, label):
        self.args, self.label = args, label
        self.g, self.e = _leaf(got, label), _leaf(expected, label)
        self.got, self.expected = got, expected


# -- explanations: each takes the failing cases (same label) and returns a sentence or None ------------


def _related(exercise, cases, compare):
    for description, fn in getattr(exercise, "related", []):
        try:
            if all(compare(c.got, fn(*copy.deepcopy(c.args))) is None for c in cases):
                return f"returned {description}"
        except Exception:
            continue
    return None


def _other_axis(exercise, cases):
    """The reference applied to the transposed first input, transposed back."""
    outs = []
    for c in cases:
        x = c.args[0] if c.args else None
        if not (isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[0] != 1 and x.shape[1] != 1):
            return None
        try:
            with np.errstate(all="ignore"):
                out = exercise.reference(x.T.copy(), *copy.deepcopy(c.args[1:]))
        except Exception:
            return None
        out = _leaf(out, c.label)
        if out is None or c.g is None:
            return None
        outs.append((out.T if out.ndim == 2 else out, c.g))
    if all(_close(g.astype(float), o.astype(float)) for o, g in outs):
        return ("computes the right thing along the other axis: over the columns (axis 0) where each row "
                "(one sample, axis 1) was meant")
    return None


def _transposed(cases):
    if all(c.g.ndim == 2 and _close(c.g.T.astype(float), c.e.astype(float)) for c in cases):  # _close: shapes too
        oblong = [c for c in cases if c.e.shape[0] != c.e.shape[1]]
        if oblong:
            return (f"returned the transpose of the right answer (shape {oblong[0].g.shape}, expected "
                    f"{oblong[0].e.shape})")
        return "returned the transpose of the right answer (rows and columns swapped)"
    return None


def _smallest(cases):
    """The failing case with the fewest array entries in its input."""
    return min(cases, key=lambda c: sum(np.size(a) for a in c.args if isinstance(a, np.ndarray)))


def _same_shape(cases):
    return all(c.g.shape == c.e.shape for c in cases)


def _sign(cases):
    if all(np.abs(c.e).max() > ATOL and _close(-c.g.astype(float), c.e.astype(float)) for c in cases):
        return "has the opposite sign everywhere (a minus sign too many or missing)"
    return None


def _sizes(args):
    """Candidate meanings of a factor: the batch size and the number of classes / features."""
    x = _first_array(args)
    named = {}
    if x is not None and x.ndim >= 1:
        named[x.shape[0]] = "the batch size n (the number of rows)"
    if x is not None and x.ndim >= 2:
        named.setdefault(x.shape[-1], "the number of columns (classes or features)")
    return named


def _factor(cases, named_only=False):
    factors = []
    for c in cases:
        e, g = c.e.astype(float), c.g.astype(float)
        denom = float((e * e).sum())
        if denom <= ATOL:
            return None
        k = float((g * e).sum()) / denom
        if abs(k) < 1e-12 or abs(k - 1) < 1e-9 or not _close(g, k * e):
            return None
        factors.append(k)
    if all(abs(k + 1) < 1e-9 for k in factors):
        return None  # the sign explanation says it better
    meanings = []
    for c, k in zip(cases, factors):
        sizes = _sizes(c.args)
        match = [(m, "times") for size, m in sizes.items() if size > 1 and abs(k - size) < 1e-6 * size] + \
                [(m, "divided") for size, m in sizes.items() if size > 1 and abs(k * size - 1) < 1e-6]
        meanings.append(match[0] if match else None)
    if all(meanings) and len(set(meanings)) == 1:
        meaning, how = meanings[0]
        if how == "times":
            return (f"is {meaning} times the right answer (factor {_fmt(factors[0])} here): a sum where a mean was "
                    f"wanted, or a division by {meaning.split(' (')[0]} forgotten")
        return (f"is the right answer divided by {meaning} (factor 1/{_fmt(1 / factors[0])} here): a mean where a sum "
                f"was wanted, or a division by {meaning.split(' (')[0]} once too often")
    if named_only:
        return None
    if all(c.e.size == 1 for c in cases):
        # any wrong number is some factor times the right one: that says something only when it is a
        # size of the problem (above) or the same factor on several cases
        if len(cases) >= 2 and max(factors) - min(factors) < 1e-6 * max(1.0, abs(max(factors))):
            return f"is the right answer times {_fmt(factors[0])} on each of the {len(cases)} failing cases"
        return None
    if max(factors) - min(factors) < 1e-6 * max(1.0, abs(max(factors))):
        every = " (the same on every failing case)" if len(cases) >= 2 else ""
        return f"is the right answer times a constant factor {_fmt(factors[0])}{every}"
    return ("is the right answer times a factor that changes from case to case "
            f"({', '.join(_fmt(k) for k in factors[:3])})")


def _offset(cases):
    diffs = [c.g.astype(float) - c.e.astype(float) for c in cases]
    if any(np.abs(d).max() <= ATOL for d in diffs):
        return None
    if any(d.size > 1 for d in diffs) and all(np.ptp(d) < 1e-6 * max(1.0, np.abs(d).max()) for d in diffs):
        return f"is the right answer plus a constant ({_fmt(diffs[0].ravel()[0])} on the first failing case)"
    if all(d.size == 1 for d in diffs):
        return None  # a wrong number is always the right one plus something
    if all(d.ndim == 2 for d in diffs) and any(d.shape[0] > 1 for d in diffs) \
            and all(np.allclose(d, d[:1], rtol=RTOL, atol=1e-7) for d in diffs):
        return ("differs from the right answer by the same amount in every row of a column (a per-column offset, "
                "as a bias added twice or missing would give)")
    if all(d.ndim == 2 for d in diffs) and any(d.shape[1] > 1 for d in diffs) \
            and all(np.allclose(d, d[:, :1], rtol=RTOL, atol=1e-7) for d in diffs):
        return ("differs from the right answer by the same amount along each row (a per-row offset: something "
                "added to each sample, where the bias should be added to each column)")
    return None


def _float32(exercise, cases):
    for c in cases:
        floats = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a for a in c.args]
        if all(a is b for a, b in zip(floats, c.args)):
            return None
        try:
            with np.errstate(all="ignore"):
                out = _leaf(exercise.reference(*copy.deepcopy(floats)), c.label)
        except Exception:
            return None
        if out is None or out.shape != c.g.shape or not np.allclose(c.g, out, rtol=1e-6, atol=1e-6):
            return None
    return ("gives the numbers the computation gives in float32 (single precision, about 7 digits), not in the "
            "float64 of the inputs: keep the inputs' dtype")


def _names(exercise):
    import inspect

    try:
        return list(inspect.signature(exercise.reference).parameters)
    except (TypeError, ValueError):
        return []


def _region(exercise, cases):
    """Wrong only where the (same-shaped) first input is negative, positive, large or zero; or only in some
    columns or rows."""
    masks = [(~np.isclose(c.g.astype(float), c.e.astype(float), rtol=RTOL, atol=ATOL), c) for c in cases]
    x_rules = [("negative inputs (x < 0)", lambda x: x < 0), ("positive inputs (x > 0)", lambda x: x > 0),
               ("inputs of large size (|x| > 20)", lambda x: np.abs(x) > 20), ("x = 0", lambda x: x == 0)]
    holding = []  # (size of the region, words) for each input and rule whose region holds every mismatch
    names = _names(exercise)
    n_args = len(cases[0].args)
    for k in range(n_args):
        for words, rule in x_rules:
            size, ok = 0, True
            for wrong, c in masks:
                x = c.args[k] if k < len(c.args) else None
                if not (isinstance(x, np.ndarray) and x.dtype.kind in "fi" and x.shape == wrong.shape) \
                        or not (wrong <= rule(x)).all():
                    ok = False
                    break
                size += int(rule(x).sum())
            if ok and any(m.any() for m, _ in masks) and any((~rule(c.args[k])).any() for _, c in masks):
                name = names[k] if k < len(names) else f"argument {k + 1}"
                holding.append((size, k, words if name == "x" else words.replace("x", name).replace(
                    "inputs", f"entries of {name}")))
    if holding:
        return f"is right except for {min(holding)[2]}, where it differs"
    if all(m.ndim == 2 for m, _ in masks):
        for axis, what in ((0, "column"), (1, "row")):
            bad = [np.flatnonzero(m.any(axis=axis)) for m, _ in masks]
            total = [m.shape[1 - axis] for m, _ in masks]
            if all(0 < len(b) < t for b, t in zip(bad, total)):
                last = all(list(b) == [t - 1] for b, t in zip(bad, total))
                first = all(list(b) == [0] for b in bad)
                if last or first:
                    return f"is right except in the {'last' if last else 'first'} {what}"
                small = min(range(len(masks)), key=lambda i: masks[i][0].size)
                shown = ", ".join(map(str, bad[small][:6])) + (", ..." if len(bad[small]) > 6 else "")
                plural = len(bad[small]) > 1
                return (f"is right in some {what}s and wrong in others: on the smallest failing case, "
                        f"{what}{'s' if plural else ''} {shown} of {total[small]} differ{'' if plural else 's'}")
    if all(m.ndim == 1 and m.size > 2 for m, _ in masks):
        bad = [np.flatnonzero(m) for m, _ in masks]
        if all(list(b) == [m.size - 1] for b, (m, _) in zip(bad, masks)):
            return "is right except for the last entry"
        if all(list(b) == [0] for b in bad):
            return "is right except for the first entry"
    return None


def _normalised(cases):
    for axis, other in ((1, 0), (0, 1)):
        if all(c.e.ndim == 2 and np.allclose(c.e.sum(axis=axis), 1.0) and not np.allclose(c.g.sum(axis=axis), 1.0)
               and np.allclose(c.g.sum(axis=other), 1.0) for c in cases):
            want = "row" if axis == 1 else "column"
            have = "column" if axis == 1 else "row"
            return f"makes each {have} sum to 1; each {want} should (the axis is wrong)"
    if all(c.e.ndim == 2 and np.allclose(c.e.sum(axis=1), 1.0) and not np.allclose(c.g.sum(axis=1), 1.0)
           for c in cases):
        return "has rows that do not sum to 1, as the answer's rows (probabilities) do"
    return None


def _range(cases):
    e_all = np.concatenate([c.e.astype(float).ravel() for c in cases])
    g_all = np.concatenate([c.g.astype(float).ravel() for c in cases])
    if not np.isfinite(g_all).all():
        return None
    lo, hi = e_all.min(), e_all.max()
    if lo >= 0 and hi <= 1 and (g_all.min() < -1e-9 or g_all.max() > 1 + 1e-9):
        return (f"returned values outside [0, 1] (from {_fmt(g_all.min())} to {_fmt(g_all.max())}), where every "
                f"right value lies between 0 and 1")
    if lo >= 0 and g_all.min() < -1e-9:
        return f"returned negative values (down to {_fmt(g_all.min())}), where every right value is ≥ 0"
    if np.allclose(e_all, np.round(e_all)) and not np.allclose(g_all, np.round(g_all)):
        return "returned fractions, where the answer is whole numbers"
    return None


def _shape_only(cases):
    """Right values in the wrong shape (e.g. (n, 1) for (n,))."""
    if all(c.g.size == c.e.size and c.g.shape != c.e.shape and _close(c.g.reshape(c.e.shape).astype(float),
                                                                        c.e.astype(float)) for c in cases):
        return (f"has the right values in the wrong shape: shape {cases[0].g.shape} where shape {cases[0].e.shape} was "
                "expected")
    return None


def _dtype_only(cases):
    if all(c.g.shape == c.e.shape and _close(c.g.astype(float), c.e.astype(float)) for c in cases):
        e = cases[0].e.dtype
        wanted = f"floating-point numbers ({e})" if e.kind == "f" else str(e)
        return f"has the right values in the wrong dtype: {cases[0].g.dtype} where {wanted} was expected"
    return None


def _transform(cases):
    """The answer passed through a common function: its square root, square, logarithm, exp, 1 - it, 1 / it."""
    candidates = [("the square root of the right answer", np.sqrt), ("the square of the right answer", np.square),
                  ("the logarithm of the right answer", np.log), ("exp of the right answer", np.exp),
                  ("1 minus the right answer", lambda e: 1 - e), ("1 / the right answer", lambda e: 1 / e)]
    for words, f in candidates:
        if all(_close(c.g.astype(float), f(c.e.astype(float))) for c in cases):
            return f"is {words}"
    return None


def _nearly(cases):
    """Close to the answer, but not within the check's tolerance."""
    worst = 0.0
    for c in cases:
        e, g = c.e.astype(float), c.g.astype(float)
        scale = float(np.abs(e).max()) if e.size and np.abs(e).max() > 0 else 1.0
        diff = float(np.abs(g - e).max()) if e.size else 0.0
        if not np.isfinite(diff) or diff > 1e-2 * scale:
            return None
        worst = max(worst, diff / scale)
    return (f"is close to the right answer but not within the check's tolerance (largest relative difference "
            f"{_fmt(worst, 2)}, allowed {RTOL:g}): an approximation, or a small term added or left out, not a "
            "different formula")


def _ignores(exercise, fn, cases):
    """An input the learner's function does not use: its output stays the same when that input (or one
    column of it) changes, while the right answer changes."""
    if fn is None:
        return None
    names = _names(exercise)
    c = _smallest(cases)
    rng = np.random.default_rng(0)

    def outputs(args):
        with np.errstate(all="ignore"):
            return (_leaf(fn(*copy.deepcopy(args)), c.label), _leaf(exercise.reference(*copy.deepcopy(args)), c.label))

    def changed(k, new):
        args = list(c.args)
        args[k] = new
        try:
            g, e = outputs(tuple(args))
        except Exception:
            return None
        if g is None or e is None or g.shape != c.g.shape or e.shape != c.e.shape:
            return None
        return not _close(g.astype(float), c.g.astype(float)), not _close(e.astype(float), c.e.astype(float))

    for k, a in enumerate(c.args):
        name = names[k] if k < len(names) else f"argument {k + 1}"
        if isinstance(a, float) and not isinstance(a, bool):
            result = changed(k, a + 0.5 + abs(a))
            if result == (False, True):
                return f"does not use {name}: changing it leaves your output the same"
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
            result = changed(k, a + rng.normal(size=a.shape))
            if result == (False, True):
                return f"does not use {name}: changing it leaves your output the same"
            if a.ndim == 2 and 2 < a.shape[1] <= 12:
                unused = []
                for j in range(a.shape[1]):
                    new = a.copy()
                    new[:, j] += 1.0 + rng.random()
                    if changed(k, new) == (False, True):
                        unused.append(j)
                if unused:
                    return (f"does not use column{'s' if len(unused) > 1 else ''} {', '.join(map(str, unused))} of "
                            f"{name} (of {a.shape[1]}): changing {'them' if len(unused) > 1 else 'it'} leaves your "
                            "output the same")
    return None


def _support(cases):
    """Non-zero exactly where the right answer is zero, and the reverse: a condition the wrong way round."""
    if all(c.e.size > 1 and not ((c.g != 0) & (c.e != 0)).any() and (c.e != 0).any() and (c.g != 0).any()
           for c in cases):
        return ("is non-zero only where the right answer is zero, and zero where it is not: a condition or "
                "mask the wrong way round")
    if all(c.e.size > 1 and (c.g[c.e == 0] == 0).all() and (c.g != 0).any() and (c.g == 0).sum() > (c.e == 0).sum()
           and _close(c.g[c.g != 0].astype(float), c.e[c.g != 0].astype(float)) for c in cases):
        return "is right where it is non-zero, but zero in places where the right answer is not"
    return None


def _diagonal(cases):
    if not all(c.e.ndim == 2 and c.e.shape[0] == c.e.shape[1] > 1 for c in cases):
        return None
    masks = [~np.isclose(c.g.astype(float), c.e.astype(float), rtol=RTOL, atol=ATOL) for c in cases]
    eye = [np.eye(m.shape[0], dtype=bool) for m in masks]
    if all(m.any() and not (m & d).any() for m, d in zip(masks, eye)):
        return "is right on the diagonal and wrong off it"
    if all(m.any() and not (m & ~d).any() for m, d in zip(masks, eye)):
        return "is right off the diagonal and wrong on it"
    return None


def _alike(a, b):
    """Two float arrays of one shape, or two lists of such arrays, shape for shape."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.dtype.kind == b.dtype.kind == "f"
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b) and a:
        return all(_alike(x, y) for x, y in zip(a, b))
    return False


def _substituted(exercise, cases):
    """The right formula with two same-shaped inputs swapped, or with a number input replaced by 1/a, -a or 1 - a."""
    names = _names(exercise)

    def name(k):
        return names[k] if k < len(names) else f"argument {k + 1}"

    def gives(c, args):
        try:
            with np.errstate(all="ignore"):
                out = _leaf(exercise.reference(*copy.deepcopy(tuple(args))), c.label)
        except Exception:
            return False
        return out is not None and out.shape == c.g.shape and _close(c.g.astype(float), out.astype(float))

    first = cases[0].args
    for i in range(len(first)):
        for j in range(i + 1, len(first)):
            if not _alike(first[i], first[j]):
                continue

            def swap(args):
                args = list(args)
                args[i], args[j] = args[j], args[i]
                return args
            if all(gives(c, swap(c.args)) for c in cases):
                return f"is the right formula with {name(i)} and {name(j)} swapped"
    for k, a in enumerate(first):
        if isinstance(a, np.ndarray) and a.dtype.kind == "f" and np.abs(a).max() > 0:
            for words, f in ((f"2·{name(k)}", lambda v: 2 * v), (f"{name(k)}/2", lambda v: v / 2),
                             (f"-{name(k)}", lambda v: -v)):
                def put(args):
                    args = list(args)
                    args[k] = f(args[k])
                    return args
                if all(gives(c, put(c.args)) for c in cases):
                    return f"is what the right formula gives at {words} instead of {name(k)}"
            continue
        if isinstance(a, int) and not isinstance(a, bool) and a > 1:
            for words, f in ((f"{name(k)} - 1", lambda v: v - 1), (f"{name(k)} + 1", lambda v: v + 1)):
                def put(args):
                    args = list(args)
                    args[k] = f(args[k])
                    return args
                if all(isinstance(c.args[k], int) and c.args[k] > 1 and gives(c, put(c.args)) for c in cases):
                    return f"is what the right formula gives with {words} in place of {name(k)} (off by one)"
            continue
        if not isinstance(a, float) or a in (0.0, 1.0):
            continue
        for words, f in ((f"1/{name(k)}", lambda v: 1 / v), (f"-{name(k)}", lambda v: -v),
                         (f"1 - {name(k)}", lambda v: 1 - v)):
            def put(args):
                args = list(args)
                args[k] = f(args[k])
                return args
            if all(isinstance(c.args[k], float) and c.args[k] not in (0.0, 1.0) and gives(c, put(c.args))
                   for c in cases):
                return f"is what the right formula gives with {words} in place of {name(k)}"
    return None


def _index_sets(cases):
    """Index lists (1-D whole numbers): which of the right indices are there, which are missing or extra."""
    if not all(c.g.ndim == 1 and c.e.ndim == 1 and c.g.dtype.kind in "iu" and c.e.dtype.kind in "iu"
               for c in cases):
        return None
    c = min(cases, key=lambda c: c.e.size + c.g.size)
    got, want = set(c.g.tolist()), set(c.e.tolist())
    if got == want:
        return "returns the right indices in the wrong order" if list(c.g) != list(c.e) else None
    extra, missing = sorted(got - want), sorted(want - got)

    def show(v):
        return "[" + ", ".join(map(str, v[:6])) + (", ..." if len(v) > 6 else "") + "]"
    parts = [f"{len(got & want)} of your {len(got)} indices are right"]
    if extra:
        parts.append(f"{show(extra)} should not be there")
    if missing:
        parts.append(f"{show(missing)} are missing")
    return "returned the wrong indices: on the smallest failing case, " + "; ".join(parts)


def _input_difference(cases):
    """A single number off by exactly an entry of the input, or the product of two entries."""
    if not all(c.e.size == 1 and c.g.size == 1 for c in cases):
        return None
    c = cases[0]
    diff = float(c.g.ravel()[0]) - float(c.e.ravel()[0])
    values = []
    for a in c.args:
        if isinstance(a, (int, float)) and not isinstance(a, bool):
            values.append(float(a))
        elif isinstance(a, (tuple, list)) and all(isinstance(v, (int, float)) for v in a):
            values += [float(v) for v in a]
        elif isinstance(a, np.ndarray) and a.size <= 12 and a.dtype.kind in "iuf":
            values += [float(v) for v in a.ravel()]
    if diff == 0 or not values:
        return None
    way = "too large" if diff > 0 else "too small"
    for v in values:
        if v != 0 and abs(abs(diff) - abs(v)) < 1e-9 * max(1.0, abs(v)):
            return f"is {way} by exactly {_fmt(abs(diff))}, a number of the input: a term counted once too often or missing"
    for i, v in enumerate(values):
        for w in values[i + 1:]:
            if v * w != 0 and abs(abs(diff) - abs(v * w)) < 1e-9 * max(1.0, abs(v * w)):
                return (f"is {way} by exactly {_fmt(abs(diff))} = {_fmt(v)} × {_fmt(w)}, a product of two numbers "
                        "of the input: a term counted once too often or missing")
    return None


def explain(exercise, failing, compare, fn=None):
    """A sentence describing how the learner's results differ on the failing cases, or None.

    failing: [(args, got, expected)]; fn: the learner's function (to see which inputs it uses).
    Returns (sentence or None, the smallest failing case's details, whether the sentence describes the
    whole result rather than its first differing item)."""
    found = [(args, got, expected, first_difference(got, expected)) for args, got, expected in failing]
    found = [(a, g, e, d) for a, g, e, d in found if d is not None]
    if not found:
        return None, "", False
    label = found[0][3][0]
    cases = [_Case(a, g, e, d[0]) for a, g, e, d in found if d[0] == label]
    cases = [c for c in cases if c.g is not None and c.e is not None]
    smallest = _smallest(cases) if cases else None
    labels = getattr(compare, "labels", None)
    if smallest is not None and labels and smallest.label.startswith("item "):
        index = int(smallest.label.split()[1])
        smallest.label = labels[index] if index < len(labels) else smallest.label
    detail = _details(smallest) if smallest is not None else ""
    if not cases:
        return None, detail, False
    sentence = _related(exercise, [_Case(a, g, e, "") for a, g, e, _ in found], compare) \
        or _items_reordered(found, getattr(compare, "labels", None))
    if sentence:
        return sentence, detail, True
    if sentence is None:
        if _same_shape(cases) and all(c.e.dtype.kind in "iub" for c in cases):
            # indices, counts, labels: a factor or an offset of them means nothing
            tries = [lambda: _other_axis(exercise, cases), lambda: _transposed(cases), lambda: _dtype_only(cases),
                     lambda: _factor(cases, named_only=True), lambda: _substituted(exercise, cases),
                     lambda: _index_sets(cases), lambda: _input_difference(cases),
                     lambda: _diagonal(cases), lambda: _support(cases), lambda: _region(exercise, cases),
                     lambda: _ignores(exercise, fn, cases)]
        elif _same_shape(cases):
            tries = [lambda: _other_axis(exercise, cases), lambda: _transposed(cases), lambda: _dtype_only(cases),
                     lambda: _sign(cases), lambda: _factor(cases), lambda: _offset(cases), lambda: _transform(cases),
                     lambda: _substituted(exercise, cases), lambda: _float32(exercise, cases), lambda: _nearly(cases),
                     lambda: _input_difference(cases), lambda: _normalised(cases), lambda: _diagonal(cases),
                     lambda: _support(cases),
                     lambda: _region(exercise, cases), lambda: _range(cases), lambda: _ignores(exercise, fn, cases)]
        else:
            tries = [lambda: _other_axis(exercise, cases), lambda: _transposed(cases), lambda: _shape_only(cases),
                     lambda: _index_sets(cases)]
        for attempt in tries:
            with np.errstate(all="ignore"):
                sentence = attempt()
            if sentence:
                break
    if not sentence:
        sentence = _other_items_right(found, getattr(compare, "labels", None))
        if sentence:
            return sentence, detail, True
    return sentence, detail, False


def _items_reordered(found, labels=None):
    """For a tuple result: the right items in another order, the same order on every failing case."""
    from itertools import permutations

    first = found[0][2]
    if not isinstance(first, (tuple, list)) or not 2 <= len(first) <= 4:
        return None
    for order in permutations(range(len(first))):
        if order == tuple(range(len(first))):
            continue
        if all(isinstance(g, (tuple, list)) and len(g) == len(e)
               and all(first_difference(g[i], e[j]) is None for j, i in enumerate(order)) for _, g, e, _ in found):
            names = list(labels) if labels and len(labels) == len(first) else [f"item {i}" for i in range(len(first))]
            return f"returned the right values in another order: ({', '.join(names[i] for i in order)})"
    return None


def _other_items_right(found, labels=None):
    """For a tuple or dict result with several parts: which parts differ and which are right, when the same
    parts are right on every failing case and at least one is."""
    first = found[0][2]
    if isinstance(first, dict):
        keys = list(first)
        names = [str(k) for k in keys]
    elif isinstance(first, (tuple, list)) and len(first) >= 2 \
            and not all(isinstance(v, (int, float, bool, np.number)) for v in first):
        keys = list(range(len(first)))
        names = list(labels) if labels and len(labels) == len(first) else [f"item {i}" for i in keys]
    else:
        return None
    if len(keys) < 2:
        return None
    wrong = set()
    for _, got, expected, _ in found:
        if type(got) is not type(expected) and not (isinstance(got, (tuple, list)) and isinstance(expected, (tuple, list))):
            return None
        try:
            for k in keys:
                if first_difference(got[k], expected[k]) is not None:
                    wrong.add(k)
        except (KeyError, IndexError, TypeError):
            return None
    right = [names[i] for i, k in enumerate(keys) if k not in wrong]
    bad = [names[i] for i, k in enumerate(keys) if k in wrong]
    if not right or not bad:
        return None
    return (f"gets {', '.join(right)} right on every case, and {', '.join(bad)} wrong: look at what "
            f"{'they have' if len(bad) > 1 else 'it has'} and the right ones have not")


def _details(case):
    """The smallest failing case: input, expected, returned, the largest difference."""
    from .core import _short

    where = f" ({case.label})" if case.label else ""
    text = f"smallest failing case: input {_short(case.args)}; expected{where} {compact(case.e)}, got {compact(case.g)}"
    if case.g.shape == case.e.shape and case.e.size:
        with np.errstate(all="ignore"):
            diff = np.abs(case.g.astype(float) - case.e.astype(float))
        if np.isfinite(diff).any() and np.nanmax(np.where(np.isfinite(diff), diff, 0)) > 0:
            index = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(diff), diff, -1))), diff.shape)
            at = f" at {list(map(int, index))}" if case.e.ndim else ""
            text += f"; largest difference {_fmt(diff[index])}{at}"
    return text
