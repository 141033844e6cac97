"""Exercises of notebook 06 (training an MLP): mini-batches, the SGD step, accuracy, the confusion matrix."""
import numpy as np

from .core import Exercise, Mistake, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English


# ---------------------------------------------------------------- iterate_minibatches
def _iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def _batches_not_shuffled(X, y, batch_size, rng):
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]


def _batches_last_dropped(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(X) - batch_size + 1, batch_size)]


def _batches_two_permutations(X, y, batch_size, rng):
    ox, oy = rng.permutation(len(X)), rng.permutation(len(X))
    return [(X[ox[s:s + batch_size]], y[oy[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def _batches_with_replacement(X, y, batch_size, rng):
    order = rng.integers(0, len(X), len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


_materialised = {}


def _as_list(got):
    """A learner may `yield` the batches: turn a generator into a list once, and reuse it on later comparisons."""
    if isinstance(got, (list, tuple, np.ndarray)) or not hasattr(got, "__next__"):
        return got
    key = id(got)
    if key not in _materialised or _materialised[key][0] is not got:
        if len(_materialised) > 16:
            _materialised.clear()
        _materialised[key] = (got, list(got))
    return _materialised[key][1]


def _compare_batches(got, expected):
    """None when the batches `got` equal `expected` (a list of (X_batch, y_batch) pairs), else what differs:
    the structure, the batch sizes, examples repeated or missing, labels that left their examples, or
    (everything right but the order) an order not drawn from the rng passed in."""
    got = _as_list(got)
    problem = same(got, expected)
    if problem is None:
        return None
    try:
        return _batches_problem(got, expected) or problem
    except Exception:  # an answer too far from the expected structure for the finer diagnosis
        return problem


def _batches_problem(got, expected):
    """What is wrong with a list of batches `got` that differs from `expected`, or None when no finer
    diagnosis applies (then the caller keeps `same`'s description)."""
    if not isinstance(got, (list, tuple)):
        return _("returned a {type}, expected a list of (X_batch, y_batch) pairs").format(type=type(got).__name__)
    for i, batch in enumerate(got):
        if not isinstance(batch, (list, tuple)) or len(batch) != 2:
            what = (_("a single array of shape {shape}").format(shape=batch.shape) if isinstance(batch, np.ndarray) else
                    _("a {type} of {n}").format(type=type(batch).__name__, n=len(batch))
                    if isinstance(batch, (list, tuple)) else
                    _("a {type}").format(type=type(batch).__name__))
            return _("gave batch {i} as {what}, expected a pair (X_batch, y_batch)").format(i=i, what=what)
    sizes = [len(np.asarray(xb)) for xb, _ in got]
    wanted = [len(xb) for xb, _ in expected]
    if sizes != wanted:
        return _("returned batches of sizes {sizes}, expected {wanted}: every example exactly once, "
                 "in batches of batch_size, the last one holding what is left over").format(sizes=sizes, wanted=wanted)
    if any(len(np.asarray(yb)) != len(np.asarray(xb)) for xb, yb in got):
        return _("returned batches whose X_batch and y_batch have different lengths")
    gx = np.concatenate([np.asarray(xb) for xb, _ in got])
    ex = np.concatenate([np.asarray(xb) for xb, _ in expected])
    gy = np.concatenate([np.asarray(yb) for _, yb in got])
    ey = np.concatenate([np.asarray(yb) for _, yb in expected])
    if gx.shape != ex.shape or gy.shape != ey.shape:
        return None

    def rows(*arrays):  # the rows of [X | y] in a canonical order, to compare as multisets
        table = np.column_stack([a.reshape(len(a), -1) for a in arrays]).astype(float)
        return table[np.lexsort(table.T[::-1])]

    if not np.array_equal(rows(gx), rows(ex)):
        return _("returned batches in which some examples appear more than once and others not at all: "
                 "an epoch shows every example exactly once (one permutation, cut into pieces)")
    if not np.array_equal(rows(gx, gy), rows(ex, ey)):
        return _("returned every example once, but the labels no longer belong to their examples: "
                 "select the rows of X and the entries of y with the same positions")
    return _("returned every example once, with its label, in batches of the right sizes, but in another order: "
             "draw the order from the rng passed in, once per call, as its permutation of 0 … n−1 "
             "(another generator, another method or another draw gives another order)")


def _rows(n, d=2):
    """Rows whose values say which example they are: row i is [10 i, 10 i + 1, ...]."""
    return (10.0 * np.arange(n)[:, None] + np.arange(d)).astype(float), np.arange(n) % 10


def _random_batches_case(rng):
    n = int(rng.integers(5, 30))
    batch = int(rng.integers(2, 8))
    if n % batch == 0:
        n += 1  # keep a partial last batch in every random case
    X, y = _rows(n, int(rng.integers(1, 4)))
    return X, y, batch, np.random.default_rng(int(rng.integers(1_000_000)))


register(Exercise(
    name="iterate_minibatches",
    notebook="06_training_an_mlp",
    reference=_iterate_minibatches,
    cases=[(*_rows(10), 4, np.random.default_rng(0)),
           (*_rows(12, 3), 4, np.random.default_rng(1)),
           (*_rows(7, 1), 3, np.random.default_rng(2))],
    random_case=_random_batches_case,
    compare=_compare_batches,
    mistakes=[
        Mistake("the examples are not shuffled (batches come in the data's order)", _batches_not_shuffled,
                "Draw a random order of the positions from rng and cut the batches from X and y in that order: "
                "a fixed order lets the network learn the order and repeats the same batches every epoch."),
        Mistake("the last, smaller batch is dropped", _batches_last_dropped,
                "Start a batch at 0, batch_size, 2·batch_size, … as long as the start is below n; the last slice simply "
                "gives fewer rows. Dropping them means some images are never seen in that epoch."),
        Mistake("X and y were shuffled with two different permutations, so images no longer match their labels",
                _batches_two_permutations,
                "Draw one permutation and index both X and y with it."),
        Mistake("examples were drawn with replacement (some repeat, others are missed)", _batches_with_replacement,
                "An epoch shows every example exactly once: shuffle the positions 0 … n−1 (a permutation), do not draw "
                "random positions."),
    ],
    hints=[
        "Shuffle the positions 0 … n−1 once, with the generator rng you were given, then cut that shuffled list of "
        "positions into consecutive pieces. Each piece picks the rows of X and the labels of y of one batch, so "
        "every example appears exactly once and keeps its label.",
        "order = rng's permutation of 0 … n−1 (one draw per call). The batches start at 0, B, 2B, … below n "
        "(B = batch_size) and take the positions order[start : start + B]: ⌈n / B⌉ batches, the last one holding "
        "what is left over. X_batch is (rows, d) and y_batch (rows,), both indexed with the same positions.",
        "order = rng.permutation(len(X))\n"
        "batches = []\n"
        "for start in range(0, len(X), batch_size):\n"
        "    idx = order[start:start + batch_size]\n"
        "    batches.append((X[idx], y[idx]))\n"
        "return batches",
    ],
))


# ---------------------------------------------------------------- sgd_step
def _sgd_step(params, grads, lr):
    return [p - lr * g for p, g in zip(params, grads)]


def _sgd_plus(params, grads, lr):
    return [p + lr * g for p, g in zip(params, grads)]


def _sgd_no_lr(params, grads, lr):
    return [p - g for p, g in zip(params, grads)]


def _sgd_returns_step(params, grads, lr):
    return [lr * g for g in grads]


def _sgd_first_only(params, grads, lr):
    return [params[0] - lr * grads[0]] + [p.copy() for p in params[1:]]


def _sgd_unchanged(params, grads, lr):
    """The parameters as they came in (copies): what a loop that only rebinds its variable returns."""
    return [np.array(p, copy=True) for p in params]


def _random_sgd_case(rng):
    shapes = [(int(rng.integers(1, 5)), int(rng.integers(1, 5)))]
    shapes.append((shapes[0][1],))
    params = [rng.normal(size=s) for s in shapes]
    grads = [rng.normal(size=s) for s in shapes]
    return params, grads, float(rng.choice([0.01, 0.05, 0.1, 0.3]))


register(Exercise(
    name="sgd_step",
    notebook="06_training_an_mlp",
    reference=_sgd_step,
    cases=[([np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.1, -0.1])],
            [np.array([[0.5, 1.0], [-2.0, 0.0]]), np.array([1.0, -3.0])], 0.1)],
    random_case=_random_sgd_case,
    mistakes=[
        Mistake("the parameters moved with + (up the gradient), so the loss grows", _sgd_plus,
                "The gradient points uphill; gradient descent steps the other way: p − lr · g."),
        Mistake("the learning rate is missing (p - g)", _sgd_no_lr,
                "Scale the step by the learning rate: p − lr · g."),
        Mistake("returned the step lr * g instead of the new parameters", _sgd_returns_step,
                "Return the updated parameters p − lr · g, one per pair, not the steps."),
        Mistake("only the first array (the first weight matrix) was updated", _sgd_first_only,
                "Update every array in the list, weights and biases alike: one new array per (parameter, gradient) pair."),
    ],
    related=[("the parameters unchanged (the list params as it came in)", _sgd_unchanged)],
    hints=[
        "The gradient points uphill, so gradient descent moves every parameter a small step the other way, the "
        "step's size set by the learning rate. Build new arrays: the caller's arrays must stay as they were.",
        "For each pair (p, g) of equal shapes: p_new = p − lr · g. Return a list with one new array per parameter, "
        "in the order of params (a weight matrix (d, m), then its bias (m,), and so on).",
        "return [p - lr * g for p, g in zip(params, grads)]",
    ],
))


# ---------------------------------------------------------------- accuracy
def _accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=1) == y))


def _accuracy_axis0(logits, y):
    return float(np.mean(np.argmax(logits, axis=0) == y))


def _accuracy_max_not_argmax(logits, y):
    return float(np.mean(np.max(logits, axis=1) == y))


def _accuracy_flat_argmax(logits, y):
    return float(np.mean(np.argmax(logits) == y))


def _error_rate(logits, y):
    return 1.0 - _accuracy(logits, y)


def _accuracy_count(logits, y):
    return int(np.sum(np.argmax(logits, axis=1) == y))


def _random_accuracy_case(rng):
    n, k = int(rng.integers(5, 40)), int(rng.integers(2, 11))
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y] += 1.5  # most rows right, some wrong
    return logits, y


register(Exercise(
    name="accuracy",
    notebook="06_training_an_mlp",
    reference=_accuracy,
    cases=[
        # square (n = k = 6) first, so that argmax over the wrong axis gives an answer instead of an error; the
        # largest score of the whole array is at [0, 0], so argmax with no axis (0) matches the labels 0, and two
        # rows' largest scores equal their labels (3.0 and 5.0, 2.0): the max-instead-of-argmax answer (3/6), the
        # no-axis one (2/6), the error rate (1/6) and 5/6 itself all differ, and 5/6 does not round to 2 decimals
        (np.array([[6.0, 1.0, 0.5, -1.0, 0.0, 2.0], [0.5, 1.5, 0.0, 3.0, -0.5, 1.0], [1.0, 0.2, 2.5, 0.3, 0.1, -1.0],
                   [0.0, 0.4, 1.0, -0.2, 2.0, 5.0], [-0.5, 0.3, 2.0, 0.0, 1.5, 0.2], [-1.0, 1.2, 0.4, 0.8, 0.0, 0.5]]),
         np.array([0, 3, 0, 5, 2, 1])),
        (np.array([[0.1, 0.2, 2.1, 0.3], [1.5, 0.4, -0.3, 0.0], [0.2, 3.2, 0.5, 1.0], [-1.0, 0.8, 0.1, 0.2]]),
         np.array([2, 0, 3, 2])),
        (np.array([[0.1, 2.0, -1.0], [1.0, 0.2, 0.3], [-0.5, 0.0, 4.0], [0.3, 0.9, 0.1], [2.0, 1.0, 3.0]]),
         np.array([1, 0, 2, 0, 2])),
    ],
    random_case=_random_accuracy_case,
    mistakes=[
        Mistake("argmax over axis 0 (down the batch) instead of axis 1 (across the classes)", _accuracy_axis0,
                "logits is (n, k): one row per image, one column per class. Take the argmax along the classes (axis 1) to get "
                "one class per image."),
        Mistake("argmax without an axis: one index into the whole flattened array, not one class per row",
                _accuracy_flat_argmax,
                "Without an axis, argmax flattens the (n, k) array and returns a single position; give it the axis of "
                "the classes (axis 1) to get one predicted class per example."),
        Mistake("compared the largest score or probability (max) with the labels instead of its position (argmax)",
                _accuracy_max_not_argmax,
                "A score like 3.2 or a probability like 0.93 never equals a label like 7: the predicted class is "
                "the position of the largest score in its row (argmax, not max)."),
        Mistake("returned the number of correct predictions instead of the fraction", _accuracy_count,
                "Accuracy is a fraction in [0, 1]: take the mean of the boolean array, not its sum."),
    ],
    related=[("the error rate 1 − accuracy (the fraction of wrong predictions)", _error_rate)],
    hints=[
        "The predicted class of an example is the position of the largest score in its row, not the score itself. "
        "Accuracy is the fraction of examples whose predicted class equals their label.",
        "logits is (n, k): the argmax across the classes (axis 1) gives n predicted labels; comparing them with "
        "y (n,) gives n booleans, and their mean is the accuracy, a float in [0, 1].",
        "predicted = np.argmax(logits, axis=1)\n"
        "return float(np.mean(predicted == y))",
    ],
))


# ---------------------------------------------------------------- confusion_matrix
def _confusion_matrix(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def _confusion_swapped(y_true, y_pred, k):
    return _confusion_matrix(y_true, y_pred, k).T


def _confusion_fancy_increment(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    C[y_true, y_pred] += 1
    return C


def _confusion_k_from_data(y_true, y_pred, k):
    return _confusion_matrix(y_true, y_pred, int(max(y_true.max(), y_pred.max())) + 1)


def _confusion_normalised(y_true, y_pred, k):
    C = _confusion_matrix(y_true, y_pred, k)
    return C / C.sum(axis=1, keepdims=True)


def _compare_counts(got, expected):
    """`same`, and integer counts where the answer holds integers (a float matrix of the right counts is wrong)."""
    problem = same(got, expected)
    if problem is not None:
        return problem
    g, e = np.asarray(got), np.asarray(expected)
    if np.issubdtype(e.dtype, np.integer) and not np.issubdtype(g.dtype, np.integer):
        return _("returned the right counts as {dtype}, expected an integer array "
                 "(zeros of an integer dtype to start from, or convert the counts to int)").format(dtype=g.dtype)
    return None


def _random_confusion_case(rng):
    k = int(rng.integers(2, 8))
    n = int(rng.integers(3 * k, 60))
    y_true = rng.permutation(np.arange(n) % k)  # every class present
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, n))
    return y_true, y_pred, k


register(Exercise(
    name="confusion_matrix",
    notebook="06_training_an_mlp",
    reference=_confusion_matrix,
    cases=[
        # repeated pairs, asymmetric errors (a 0 read as 2 twice, a 2 never read as 0), class 3 absent:
        # every named mistake differs from the answer on this first case
        (np.array([0, 0, 0, 1, 1, 2, 2, 2, 0]), np.array([0, 2, 2, 1, 1, 2, 1, 2, 0]), 4),
        # every class present
        (np.array([0, 1, 2, 2, 1, 0, 1]), np.array([0, 1, 1, 2, 1, 2, 0]), 3),
    ],
    random_case=_random_confusion_case,
    mistakes=[
        Mistake("rows and columns are swapped (rows must be the true class, columns the prediction)", _confusion_swapped,
                "Count C[true, predicted]: row i holds the images whose true label is i."),
        Mistake("C[y_true, y_pred] += 1 counts a repeated (true, predicted) pair only once", _confusion_fancy_increment,
                "With fancy indexing, += writes each repeated index once. Loop over the (true, predicted) pairs, or use "
                "NumPy's unbuffered add (add.at), which adds once per occurrence."),
        Mistake("the size came from the data (max label + 1) instead of k", _confusion_k_from_data,
                "Build a k × k table from the k you were given: a class that never occurs in this batch still needs its "
                "row and column."),
        Mistake("returned fractions per row instead of counts", _confusion_normalised,
                "Return the counts; divide by the row sums only when you draw the normalised matrix."),
    ],
    compare=_compare_counts,
    hints=[
        "Start from a k × k table of zeros and, for every example, add one to the cell in the row of its true "
        "class and the column of its predicted class. A class that never occurs still gets its row and column.",
        "C has shape (k, k) and an integer dtype; C[i, j] = the number of examples with y_true = i and "
        "y_pred = j, so row i sums to the count of class i and the whole table to n. Careful: a fancy-indexed "
        "+= adds only once for a pair (i, j) that repeats.",
        "C = np.zeros((k, k), dtype=np.int64)\n"
        "np.add.at(C, (y_true, y_pred), 1)   # or: for t, p in zip(y_true, y_pred): C[t, p] += 1\n"
        "return C",
    ],
))
