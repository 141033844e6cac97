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

# `_` and `ngettext` of core: the sentence in the language shown, keeping its English (core.Said), on
# which core.run decides ("shape" in a sentence, ...) so that a verdict is the same in every language.
from .core import Said, _, english, ngettext

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
    return _("[{values}, ...] (shape {shape})").format(values=flat, shape=a.shape)


class _Case:
    """One failing case: its arguments, and the differing part of the learner's and the right result."""

    def __init__(self, args, got, expected, label):
        self.args, self.label = args, label
        self.g, self.e = _leaf(got, label), _leaf(expected, label)
        self.got, self.expected = got, expected
        self.shown_label = None  # the label as shown, when it is one of the exercise's labels (translated)


# -- explanations: each takes the failing cases (same label) and returns a sentence or None ------------


def _related(exercise, cases, compare):
    for description, fn in getattr(exercise, "related", []):
        try:
            if all(compare(c.got, fn(*copy.deepcopy(c.args))) is None for c in cases):
                # the description is data of the registry (exercises_NN), translated here
                return _("returned {quantity}").format(quantity=_(description))
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
        return _("computes the right thing along the other axis: over the columns (axis 0) where each row "
                 "(one sample, axis 1) was meant")
    return None


def _transposed(cases):
    if all(c.g.ndim == 2 and _close(c.g.T.astype(float), c.e.astype(float)) for c in cases):  # _close: shapes too
        oblong = [c for c in cases if c.e.shape[0] != c.e.shape[1]]
        if oblong:
            return _("returned the transpose of the right answer (shape {got}, expected {expected})").format(
                got=oblong[0].g.shape, expected=oblong[0].e.shape)
        return _("returned the transpose of the right answer (rows and columns swapped)")
    return None


def _smallest(cases):
    """The failing case with the fewest array entries in its input."""
    return min(cases, key=lambda c: sum(np.size(a) for a in c.args if isinstance(a, np.ndarray)))


def _same_shape(cases):
    return all(c.g.shape == c.e.shape for c in cases)


def _sign(cases):
    if all(np.abs(c.e).max() > ATOL and _close(-c.g.astype(float), c.e.astype(float)) for c in cases):
        return _("has the opposite sign everywhere (a minus sign too many or missing)")
    return None


def _sizes(args):
    """Candidate meanings of a factor: {size: "rows" (the batch size) or "columns" (the number of classes or
    features)}."""
    x = _first_array(args)
    named = {}
    if x is not None and x.ndim >= 1:
        named[x.shape[0]] = "rows"
    if x is not None and x.ndim >= 2:
        named.setdefault(x.shape[-1], "columns")
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
        if how == "times" and meaning == "rows":
            return _("is the batch size n (the number of rows) times the right answer (factor {factor} here): a sum "
                     "where a mean was wanted, or a division by the batch size n forgotten").format(
                factor=_fmt(factors[0]))
        if how == "times":
            return _("is the number of columns (classes or features) times the right answer (factor {factor} here): "
                     "a sum where a mean was wanted, or a division by the number of columns forgotten").format(
                factor=_fmt(factors[0]))
        if meaning == "rows":
            return _("is the right answer divided by the batch size n (the number of rows) (factor 1/{divisor} "
                     "here): a mean where a sum was wanted, or a division by the batch size n once too often").format(
                divisor=_fmt(1 / factors[0]))
        return _("is the right answer divided by the number of columns (classes or features) (factor 1/{divisor} "
                 "here): a mean where a sum was wanted, or a division by the number of columns once too often").format(
            divisor=_fmt(1 / factors[0]))
    if named_only:
        return None
    if all(c.e.size == 1 for c in cases):
        # any wrong number is some factor times the right one: that says something only when it is a
        # size of the problem (above) or the same factor on several cases
        if len(cases) >= 2 and max(factors) - min(factors) < 1e-6 * max(1.0, abs(max(factors))):
            return _("is the right answer times {factor} on each of the {n} failing cases").format(
                factor=_fmt(factors[0]), n=len(cases))
        return None
    if max(factors) - min(factors) < 1e-6 * max(1.0, abs(max(factors))):
        if len(cases) >= 2:
            return _("is the right answer times a constant factor {factor} (the same on every failing case)").format(
                factor=_fmt(factors[0]))
        return _("is the right answer times a constant factor {factor}").format(factor=_fmt(factors[0]))
    return _("is the right answer times a factor that changes from case to case ({factors})").format(
        factors=", ".join(_fmt(k) for k in factors[:3]))


def _offset(cases):
    diffs = [c.g.astype(float) - c.e.astype(float) for c in cases]
    if any(np.abs(d).max() <= ATOL for d in diffs):
        return None
    if any(d.size > 1 for d in diffs) and all(np.ptp(d) < 1e-6 * max(1.0, np.abs(d).max()) for d in diffs):
        return _("is the right answer plus a constant ({offset} on the first failing case)").format(
            offset=_fmt(diffs[0].ravel()[0]))
    if all(d.size == 1 for d in diffs):
        return None  # a wrong number is always the right one plus something
    if all(d.ndim == 2 for d in diffs) and any(d.shape[0] > 1 for d in diffs) \
            and all(np.allclose(d, d[:1], rtol=RTOL, atol=1e-7) for d in diffs):
        return _("differs from the right answer by the same amount in every row of a column (a per-column offset, "
                 "as a bias added twice or missing would give)")
    if all(d.ndim == 2 for d in diffs) and any(d.shape[1] > 1 for d in diffs) \
            and all(np.allclose(d, d[:, :1], rtol=RTOL, atol=1e-7) for d in diffs):
        return _("differs from the right answer by the same amount along each row (a per-row offset: something "
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
    return _("gives the numbers the computation gives in float32 (single precision, about 7 digits), not in the "
             "float64 of the inputs: keep the inputs' dtype")


def _names(exercise):
    import inspect

    try:
        return list(inspect.signature(exercise.reference).parameters)
    except (TypeError, ValueError):
        return []


def _argument(names, k):
    """The name of argument k (from 0): the reference's parameter name, else "argument 3"."""
    return names[k] if k < len(names) else _("argument {number}").format(number=k + 1)


def _region(exercise, cases):
    """Wrong only where the (same-shaped) first input is negative, positive, large or zero; or only in some
    columns or rows."""
    masks = [(~np.isclose(c.g.astype(float), c.e.astype(float), rtol=RTOL, atol=ATOL), c) for c in cases]
    # (the region of an input called x, of an input of another name, the region's entries); the region is
    # shown in "is right except for {region}, where it differs"
    x_rules = [
        (lambda: _("negative inputs (x < 0)"), lambda name: _("negative entries of {name} ({name} < 0)"),
         lambda x: x < 0),
        (lambda: _("positive inputs (x > 0)"), lambda name: _("positive entries of {name} ({name} > 0)"),
         lambda x: x > 0),
        (lambda: _("inputs of large size (|x| > 20)"), lambda name: _("entries of {name} of large size (|{name}| > 20)"),
         lambda x: np.abs(x) > 20),
        (lambda: _("x = 0"), lambda name: _("{name} = 0"), lambda x: x == 0)]
    # (size of the region, input, the words in English (the tie-break, the same in every language), the words)
    # for each input and rule whose region holds every mismatch
    holding = []
    names = _names(exercise)
    n_args = len(cases[0].args)
    for k in range(n_args):
        for for_x, for_name, rule in x_rules:
            size, ok = 0, True
            for wrong, c in masks:
                x = c.args[k] if k < len(c.args) else None
                if not (isinstance(x, np.ndarray) and x.dtype.kind in "fi" and x.shape == wrong.shape) \
                        or not (wrong <= rule(x)).all():
                    ok = False
                    break
                size += int(rule(x).sum())
            if ok and any(m.any() for m, __ in masks) and any((~rule(c.args[k])).any() for __, c in masks):
                name = _argument(names, k)
                words = for_x() if name == "x" else for_name(name).format(name=name)
                holding.append((size, k, english(words), words))
    if holding:
        return _("is right except for {region}, where it differs").format(region=min(holding)[3])
    if all(m.ndim == 2 for m, __ in masks):
        for axis, what in ((0, "column"), (1, "row")):
            bad = [np.flatnonzero(m.any(axis=axis)) for m, __ in masks]
            total = [m.shape[1 - axis] for m, __ in masks]
            if all(0 < len(b) < t for b, t in zip(bad, total)):
                last = all(list(b) == [t - 1] for b, t in zip(bad, total))
                first = all(list(b) == [0] for b in bad)
                if last or first:
                    return {("column", True): _("is right except in the last column"),
                            ("column", False): _("is right except in the first column"),
                            ("row", True): _("is right except in the last row"),
                            ("row", False): _("is right except in the first row")}[what, last]
                small = min(range(len(masks)), key=lambda i: masks[i][0].size)
                shown = ", ".join(map(str, bad[small][:6])) + (", ..." if len(bad[small]) > 6 else "")
                if what == "column":
                    sentence = ngettext("is right in some columns and wrong in others: on the smallest failing case, "
                                        "column {shown} of {total} differs",
                                        "is right in some columns and wrong in others: on the smallest failing case, "
                                        "columns {shown} of {total} differ", len(bad[small]))
                else:
                    sentence = ngettext("is right in some rows and wrong in others: on the smallest failing case, "
                                        "row {shown} of {total} differs",
                                        "is right in some rows and wrong in others: on the smallest failing case, "
                                        "rows {shown} of {total} differ", len(bad[small]))
                return sentence.format(shown=shown, total=total[small])
    if all(m.ndim == 1 and m.size > 2 for m, __ in masks):
        bad = [np.flatnonzero(m) for m, __ in masks]
        if all(list(b) == [m.size - 1] for b, (m, __) in zip(bad, masks)):
            return _("is right except for the last entry")
        if all(list(b) == [0] for b in bad):
            return _("is right except for the first entry")
    return None


def _normalised(cases):
    for axis, other in ((1, 0), (0, 1)):
        if all(c.e.ndim == 2 and np.allclose(c.e.sum(axis=axis), 1.0) and not np.allclose(c.g.sum(axis=axis), 1.0)
               and np.allclose(c.g.sum(axis=other), 1.0) for c in cases):
            if axis == 1:
                return _("makes each column sum to 1; each row should (the axis is wrong)")
            return _("makes each row sum to 1; each column should (the axis is wrong)")
    if all(c.e.ndim == 2 and np.allclose(c.e.sum(axis=1), 1.0) and not np.allclose(c.g.sum(axis=1), 1.0)
           for c in cases):
        return _("has rows that do not sum to 1, as the answer's rows (probabilities) do")
    return None


def _range(cases):
    e_all = np.concatenate([c.e.astype(float).ravel() for c in cases])
    g_all = np.concatenate([c.g.astype(float).ravel() for c in cases])
    if not np.isfinite(g_all).all():
        return None
    lo, hi = e_all.min(), e_all.max()
    if lo >= 0 and hi <= 1 and (g_all.min() < -1e-9 or g_all.max() > 1 + 1e-9):
        return _("returned values outside [0, 1] (from {low} to {high}), where every right value lies between 0 "
                 "and 1").format(low=_fmt(g_all.min()), high=_fmt(g_all.max()))
    if lo >= 0 and g_all.min() < -1e-9:
        return _("returned negative values (down to {low}), where every right value is ≥ 0").format(
            low=_fmt(g_all.min()))
    if np.allclose(e_all, np.round(e_all)) and not np.allclose(g_all, np.round(g_all)):
        return _("returned fractions, where the answer is whole numbers")
    return None


def _shape_only(cases):
    """Right values in the wrong shape (e.g. (n, 1) for (n,))."""
    if all(c.g.size == c.e.size and c.g.shape != c.e.shape and _close(c.g.reshape(c.e.shape).astype(float),
                                                                        c.e.astype(float)) for c in cases):
        return _("has the right values in the wrong shape: shape {got} where shape {expected} was expected").format(
            got=cases[0].g.shape, expected=cases[0].e.shape)
    return None


def _dtype_only(cases):
    if all(c.g.shape == c.e.shape and _close(c.g.astype(float), c.e.astype(float)) for c in cases):
        e = cases[0].e.dtype
        if e.kind == "f":
            return _("has the right values in the wrong dtype: {got} where floating-point numbers ({expected}) was "
                     "expected").format(got=cases[0].g.dtype, expected=e)
        return _("has the right values in the wrong dtype: {got} where {expected} was expected").format(
            got=cases[0].g.dtype, expected=e)
    return None


def _transform(cases):
    """The answer passed through a common function: its square root, square, logarithm, exp, 1 - it, 1 / it."""
    candidates = [(lambda: _("is the square root of the right answer"), np.sqrt),
                  (lambda: _("is the square of the right answer"), np.square),
                  (lambda: _("is the logarithm of the right answer"), np.log),
                  (lambda: _("is exp of the right answer"), np.exp),
                  (lambda: _("is 1 minus the right answer"), lambda e: 1 - e),
                  (lambda: _("is 1 / the right answer"), lambda e: 1 / e)]
    for sentence, f in candidates:
        if all(_close(c.g.astype(float), f(c.e.astype(float))) for c in cases):
            return sentence()
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
    return _("is close to the right answer but not within the check's tolerance (largest relative difference "
             "{worst}, allowed {allowed}): an approximation, or a small term added or left out, not a "
             "different formula").format(worst=_fmt(worst, 2), allowed=f"{RTOL:g}")


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
        name = _argument(names, k)
        if isinstance(a, float) and not isinstance(a, bool):
            result = changed(k, a + 0.5 + abs(a))
            if result == (False, True):
                return _("does not use {name}: changing it leaves your output the same").format(name=name)
        elif isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.size:
            result = changed(k, a + rng.normal(size=a.shape))
            if result == (False, True):
                return _("does not use {name}: changing it leaves your output the same").format(name=name)
            if a.ndim == 2 and 2 < a.shape[1] <= 12:
                unused = []
                for j in range(a.shape[1]):
                    new = a.copy()
                    new[:, j] += 1.0 + rng.random()
                    if changed(k, new) == (False, True):
                        unused.append(j)
                if unused:
                    return ngettext("does not use column {columns} of {name} (of {total}): changing it leaves your "
                                    "output the same",
                                    "does not use columns {columns} of {name} (of {total}): changing them leaves your "
                                    "output the same", len(unused)).format(
                        columns=", ".join(map(str, unused)), name=name, total=a.shape[1])
    return None


def _support(cases):
    """Non-zero exactly where the right answer is zero, and the reverse: a condition the wrong way round."""
    if all(c.e.size > 1 and not ((c.g != 0) & (c.e != 0)).any() and (c.e != 0).any() and (c.g != 0).any()
           for c in cases):
        return _("is non-zero only where the right answer is zero, and zero where it is not: a condition or "
                 "mask the wrong way round")
    if all(c.e.size > 1 and (c.g[c.e == 0] == 0).all() and (c.g != 0).any() and (c.g == 0).sum() > (c.e == 0).sum()
           and _close(c.g[c.g != 0].astype(float), c.e[c.g != 0].astype(float)) for c in cases):
        return _("is right where it is non-zero, but zero in places where the right answer is not")
    return None


def _diagonal(cases):
    if not all(c.e.ndim == 2 and c.e.shape[0] == c.e.shape[1] > 1 for c in cases):
        return None
    masks = [~np.isclose(c.g.astype(float), c.e.astype(float), rtol=RTOL, atol=ATOL) for c in cases]
    eye = [np.eye(m.shape[0], dtype=bool) for m in masks]
    if all(m.any() and not (m & d).any() for m, d in zip(masks, eye)):
        return _("is right on the diagonal and wrong off it")
    if all(m.any() and not (m & ~d).any() for m, d in zip(masks, eye)):
        return _("is right off the diagonal and wrong on it")
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
        return _argument(names, k)

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
                return _("is the right formula with {first} and {second} swapped").format(first=name(i),
                                                                                         second=name(j))
    for k, a in enumerate(first):
        if isinstance(a, np.ndarray) and a.dtype.kind == "f" and np.abs(a).max() > 0:
            for words, f in ((f"2·{name(k)}", lambda v: 2 * v), (f"{name(k)}/2", lambda v: v / 2),
                             (f"-{name(k)}", lambda v: -v)):
                def put(args):
                    args = list(args)
                    args[k] = f(args[k])
                    return args
                if all(gives(c, put(c.args)) for c in cases):
                    return _("is what the right formula gives at {value} instead of {name}").format(
                        value=words, name=name(k))
            continue
        if isinstance(a, int) and not isinstance(a, bool) and a > 1:
            for words, f in ((f"{name(k)} - 1", lambda v: v - 1), (f"{name(k)} + 1", lambda v: v + 1)):
                def put(args):
                    args = list(args)
                    args[k] = f(args[k])
                    return args
                if all(isinstance(c.args[k], int) and c.args[k] > 1 and gives(c, put(c.args)) for c in cases):
                    return _("is what the right formula gives with {value} in place of {name} (off by one)").format(
                        value=words, name=name(k))
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
                return _("is what the right formula gives with {value} in place of {name}").format(
                    value=words, name=name(k))
    return None


def _index_sets(cases):
    """Index lists (1-D whole numbers): which of the right indices are there, which are missing or extra."""
    if not all(c.g.ndim == 1 and c.e.ndim == 1 and c.g.dtype.kind in "iu" and c.e.dtype.kind in "iu"
               for c in cases):
        return None
    c = min(cases, key=lambda c: c.e.size + c.g.size)
    got, want = set(c.g.tolist()), set(c.e.tolist())
    if got == want:
        return _("returns the right indices in the wrong order") if list(c.g) != list(c.e) else None
    extra, missing = sorted(got - want), sorted(want - got)

    def show(v):
        return "[" + ", ".join(map(str, v[:6])) + (", ..." if len(v) > 6 else "") + "]"
    parts = _("{right} of your {count} indices are right").format(right=len(got & want), count=len(got))
    if extra:
        parts = _("{earlier}; {indices} should not be there").format(earlier=parts, indices=show(extra))
    if missing:
        parts = _("{earlier}; {indices} are missing").format(earlier=parts, indices=show(missing))
    return _("returned the wrong indices: on the smallest failing case, {parts}").format(parts=parts)


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
    for v in values:
        if v != 0 and abs(abs(diff) - abs(v)) < 1e-9 * max(1.0, abs(v)):
            sentence = (_("is too large by exactly {difference}, a number of the input: a term counted once too often "
                          "or missing") if diff > 0 else
                        _("is too small by exactly {difference}, a number of the input: a term counted once too often "
                          "or missing"))
            return sentence.format(difference=_fmt(abs(diff)))
    for i, v in enumerate(values):
        for w in values[i + 1:]:
            if v * w != 0 and abs(abs(diff) - abs(v * w)) < 1e-9 * max(1.0, abs(v * w)):
                sentence = (_("is too large by exactly {difference} = {a} × {b}, a product of two numbers of the "
                              "input: a term counted once too often or missing") if diff > 0 else
                            _("is too small by exactly {difference} = {a} × {b}, a product of two numbers of the "
                              "input: a term counted once too often or missing"))
                return sentence.format(difference=_fmt(abs(diff)), a=_fmt(v), b=_fmt(w))
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
        if index < len(labels):
            smallest.label, smallest.shown_label = labels[index], _(labels[index])  # labels: data, shown with _()
    detail = _details(smallest) if smallest is not None else ""
    if not cases:
        return None, detail, False
    sentence = _related(exercise, [_Case(a, g, e, "") for a, g, e, __ in found], compare) \
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
               and all(first_difference(g[i], e[j]) is None for j, i in enumerate(order)) for __, g, e, __ in found):
            names = _item_names(labels, len(first))
            return _("returned the right values in another order: ({order})").format(
                order=Said(", ".join(names[i] for i in order), ", ".join(english(names[i]) for i in order)))
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
        names = _item_names(labels, len(first))
    else:
        return None
    if len(keys) < 2:
        return None
    wrong = set()
    for __, got, expected, __ in found:
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

    def listed(items):
        return Said(", ".join(items), ", ".join(map(english, items)))
    return ngettext("gets {right} right on every case, and {wrong} wrong: look at what it has and the right ones "
                    "have not",
                    "gets {right} right on every case, and {wrong} wrong: look at what they have and the right ones "
                    "have not", len(bad)).format(right=listed(right), wrong=listed(bad))


def _item_names(labels, count):
    """How the items of a tuple result are called: the exercise's labels (data, translated here), else "item 0", ..."""
    if labels and len(labels) == count:
        return [_(label) for label in labels]
    # TRANSLATORS: the item of a tuple result at index i (from 0), as the learner's code would index it.
    return [_("item {i}").format(i=i) for i in range(count)]


def _label_shown(case):
    """The label of a case as shown: an exercise's label translated (data), first_difference's "item 1" (the form
    _leaf reads) translated, a dict key as it is."""
    if case.shown_label is not None:
        return case.shown_label
    if case.label.startswith("item ") and case.label[5:].isdigit():
        return _("item {i}").format(i=int(case.label[5:]))
    return case.label


def _details(case):
    """The smallest failing case: input, expected, returned, the largest difference."""
    from .core import _short

    if case.label:
        text = _("smallest failing case: input {args}; expected ({label}) {expected}, got {got}").format(
            args=_short(case.args), label=_label_shown(case), expected=compact(case.e), got=compact(case.g))
    else:
        text = _("smallest failing case: input {args}; expected {expected}, got {got}").format(
            args=_short(case.args), expected=compact(case.e), got=compact(case.g))
    if case.g.shape == case.e.shape and case.e.size:
        with np.errstate(all="ignore"):
            diff = np.abs(case.g.astype(float) - case.e.astype(float))
        if np.isfinite(diff).any() and np.nanmax(np.where(np.isfinite(diff), diff, 0)) > 0:
            index = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(diff), diff, -1))), diff.shape)
            if case.e.ndim:
                text = _("{details}; largest difference {difference} at {index}").format(
                    details=text, difference=_fmt(diff[index]), index=list(map(int, index)))
            else:
                text = _("{details}; largest difference {difference}").format(details=text,
                                                                             difference=_fmt(diff[index]))
    return text
