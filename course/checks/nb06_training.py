"""Exercises of notebook 06 (training an MLP): mini-batches, the SGD step, accuracy, the confusion matrix."""
import numpy as np

from .core import Exercise, Mistake, register, same


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
    return same(_as_list(got), expected)


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
                "Draw order = rng.permutation(len(X)) and slice the batches out of X[order], y[order]: "
                "a fixed order lets the network learn the order and repeats the same batches every epoch."),
        Mistake("the last, smaller batch is dropped", _batches_last_dropped,
                "Loop start over range(0, len(X), batch_size); X[order[start:start + batch_size]] simply gives "
                "fewer rows at the end. Dropping them means some images are never seen in that epoch."),
        Mistake("X and y were shuffled with two different permutations, so images no longer match their labels",
                _batches_two_permutations,
                "Draw one permutation and index both X and y with it."),
        Mistake("examples were drawn with replacement (some repeat, others are missed)", _batches_with_replacement,
                "An epoch shows every example exactly once: use rng.permutation(len(X)), not rng.integers or rng.choice."),
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
                "The gradient points uphill; gradient descent steps the other way: p - lr * g."),
        Mistake("the learning rate is missing (p - g)", _sgd_no_lr,
                "Scale the step: p - lr * g."),
        Mistake("returned the step lr * g instead of the new parameters", _sgd_returns_step,
                "Return p - lr * g for each pair, the updated parameters."),
        Mistake("only the first array (the first weight matrix) was updated", _sgd_first_only,
                "Update every array in the list: [p - lr * g for p, g in zip(params, grads)]."),
    ],
))


# ---------------------------------------------------------------- accuracy
def _accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=1) == y))


def _accuracy_axis0(logits, y):
    return float(np.mean(np.argmax(logits, axis=0) == y))


def _accuracy_max_not_argmax(logits, y):
    return float(np.mean(np.max(logits, axis=1) == y))


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
        # square (n = k = 4) first, so that argmax over the wrong axis gives an answer instead of an error
        (np.array([[0.1, 0.2, 2.1, 0.3], [1.5, 0.4, -0.3, 0.0], [0.2, 3.2, 0.5, 1.0], [-1.0, 0.8, 0.1, 0.2]]),
         np.array([2, 0, 3, 2])),
        (np.array([[0.1, 2.0, -1.0], [1.0, 0.2, 0.3], [-0.5, 0.0, 4.0], [0.3, 0.9, 0.1], [2.0, 1.0, 3.0]]),
         np.array([1, 0, 2, 0, 2])),
    ],
    random_case=_random_accuracy_case,
    mistakes=[
        Mistake("argmax over axis 0 (down the batch) instead of axis 1 (across the classes)", _accuracy_axis0,
                "logits is (n, k): one row per image, one column per class. logits.argmax(axis=1) gives one class per image."),
        Mistake("compared the largest score or probability (max) with the labels instead of its position (argmax)",
                _accuracy_max_not_argmax,
                "A score like 3.2 or a probability like 0.93 never equals a label like 7: the predicted class is "
                "the index of the largest score, np.argmax(logits, axis=1)."),
        Mistake("returned the number of correct predictions instead of the fraction", _accuracy_count,
                "Accuracy is a fraction in [0, 1]: take the mean of the boolean array, not its sum."),
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
                "With fancy indexing, += writes each repeated index once. Use np.add.at(C, (y_true, y_pred), 1) "
                "or a loop over the pairs."),
        Mistake("the size came from the data (max label + 1) instead of k", _confusion_k_from_data,
                "Build np.zeros((k, k)): a class that never occurs in this batch still needs its row and column."),
        Mistake("returned fractions per row instead of counts", _confusion_normalised,
                "Return the counts; divide by the row sums only when you draw the normalised matrix."),
    ],
))
