"""Learner answers to notebook 06 (training an MLP): iterate_minibatches, sgd_step, accuracy, confusion_matrix.

Wrong answers are the slips of a first training loop: an off-by-one batch count, the global random
generator instead of the one passed in, a nested comprehension, argmax without an axis, percentages,
float counts. Most are not among the exercises' listed mistakes, so that the report measures how well
the checks explain errors nobody anticipated.
"""
import numpy as np

from answers import right, wrong

# ================================================================ iterate_minibatches (X, y, batch_size, rng)


@wrong("iterate_minibatches", "no shuffling: the batches in the data's order")
def _(X, y, batch_size, rng):
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


@wrong("iterate_minibatches", "n // batch_size batches: the leftover examples dropped")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    batches = []
    for b in range(len(X) // batch_size):
        idx = order[b * batch_size:(b + 1) * batch_size]
        batches.append((X[idx], y[idx]))
    return batches


@wrong("iterate_minibatches", "n // batch_size + 1 batches: an empty batch when batch_size divides n")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    batches = []
    for b in range(len(X) // batch_size + 1):
        idx = order[b * batch_size:(b + 1) * batch_size]
        batches.append((X[idx], y[idx]))
    return batches


@wrong("iterate_minibatches", "the global np.random instead of the rng passed in")
def _(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


@wrong("iterate_minibatches", "X and y shuffled in place with rng.shuffle, one after the other")
def _(X, y, batch_size, rng):
    rng.shuffle(X)
    rng.shuffle(y)
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]


@wrong("iterate_minibatches", "a new permutation for every batch")
def _(X, y, batch_size, rng):
    batches = []
    for s in range(0, len(X), batch_size):
        idx = rng.permutation(len(X))[s:s + batch_size]
        batches.append((X[idx], y[idx]))
    return batches


@wrong("iterate_minibatches", "y sliced in the original order while X is shuffled")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    Xs = X[order]
    return [(Xs[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]


@wrong("iterate_minibatches", "the X batches only, the labels forgotten")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [X[order[s:s + batch_size]] for s in range(0, len(X), batch_size)]


@wrong("iterate_minibatches", "a private generator default_rng(0): the same order every epoch")
def _(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


@right("iterate_minibatches", "a generator that yields the batches")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


@right("iterate_minibatches", "rng.shuffle on an index array, then slices of the shuffled copies")
def _(X, y, batch_size, rng):
    idx = np.arange(X.shape[0])
    rng.shuffle(idx)
    Xs, ys = X[idx], y[idx]
    return [[Xs[s:s + batch_size], ys[s:s + batch_size]] for s in range(0, len(X), batch_size)]


@right("iterate_minibatches", "np.array_split of the permutation")
def _(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[c], y[c]) for c in np.array_split(order, range(batch_size, len(X), batch_size))]


@right("iterate_minibatches", "a while loop and math.ceil for the number of batches")
def _(X, y, batch_size, rng):
    import math
    n = len(y)
    perm = rng.permutation(n)
    out, b = [], 0
    while b < math.ceil(n / batch_size):
        sel = perm[b * batch_size:min(n, (b + 1) * batch_size)]
        out.append((np.take(X, sel, axis=0), np.take(y, sel)))
        b += 1
    return out


# ================================================================ sgd_step (params, grads, lr)


@wrong("sgd_step", "p + lr * g: up the gradient")
def _(params, grads, lr):
    return [p + lr * g for p, g in zip(params, grads)]


@wrong("sgd_step", "returned the steps lr * g")
def _(params, grads, lr):
    return [lr * g for p, g in zip(params, grads)]


@wrong("sgd_step", "updated in place with -= and returned the same arrays")
def _(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return params


@wrong("sgd_step", "a nested comprehension: every parameter minus every gradient")
def _(params, grads, lr):
    return [p - lr * g for p in params for g in grads]


@wrong("sgd_step", "range(len(params) - 1): the last array (the bias) left out")
def _(params, grads, lr):
    return [params[i] - lr * grads[i] for i in range(len(params) - 1)]


@wrong("sgd_step", "p = p - lr * g rebinds the loop variable; the old list returned")
def _(params, grads, lr):
    for p, g in zip(params, grads):
        p = p - lr * g
    return params


@wrong("sgd_step", "the step divided by the learning rate")
def _(params, grads, lr):
    return [p - g / lr for p, g in zip(params, grads)]


@wrong("sgd_step", "the names swapped in the zip: grads - lr * params")
def _(params, grads, lr):
    new = []
    for g, p in zip(params, grads):
        new.append(p - lr * g)
    return new


@right("sgd_step", "an index loop appending to a new list")
def _(params, grads, lr):
    out = []
    for i in range(len(params)):
        out.append(params[i] - lr * grads[i])
    return out


@right("sgd_step", "np.subtract and a tuple")
def _(params, grads, lr):
    return tuple(np.subtract(p, np.multiply(lr, g)) for p, g in zip(params, grads))


@right("sgd_step", "copies updated in place")
def _(params, grads, lr):
    new = [p.copy() for p in params]
    for p, g in zip(new, grads):
        p -= lr * g
    return new


@right("sgd_step", "map with a lambda, turned into a list")
def _(params, grads, lr):
    return list(map(lambda pg: pg[0] - lr * pg[1], zip(params, grads)))


# ================================================================ accuracy (logits, y)


@wrong("accuracy", "argmax over axis 0")
def _(logits, y):
    return np.mean(logits.argmax(axis=0) == y)


@wrong("accuracy", "the count of correct predictions")
def _(logits, y):
    return np.sum(np.argmax(logits, axis=1) == y)


@wrong("accuracy", "np.argmax without an axis: one index into the flattened array")
def _(logits, y):
    return np.mean(np.argmax(logits) == y)


@wrong("accuracy", "in percent")
def _(logits, y):
    return 100 * np.mean(np.argmax(logits, axis=1) == y)


@wrong("accuracy", "the error rate: the fraction of predictions that differ from y")
def _(logits, y):
    return np.mean(np.argmax(logits, axis=1) != y)


@wrong("accuracy", "divided by the number of classes logits.shape[1] instead of the number of examples")
def _(logits, y):
    return np.sum(np.argmax(logits, axis=1) == y) / logits.shape[1]


@wrong("accuracy", "argmax with keepdims=True: (n, 1) == (n,) compares every pair")
def _(logits, y):
    return np.mean(np.argmax(logits, axis=1, keepdims=True) == y)


@wrong("accuracy", "rounded to 2 decimals")
def _(logits, y):
    return round(float(np.mean(np.argmax(logits, axis=1) == y)), 2)


@wrong("accuracy", "integer division of the count by n")
def _(logits, y):
    return int(np.sum(np.argmax(logits, axis=1) == y)) // len(y)


@right("accuracy", "argmax over the last axis, the mean of the booleans")
def _(logits, y):
    return (logits.argmax(axis=-1) == y).mean()


@right("accuracy", "count_nonzero divided by len(y)")
def _(logits, y):
    return np.count_nonzero(np.argmax(logits, 1) == y) / len(y)


@right("accuracy", "a loop over the rows")
def _(logits, y):
    return sum(int(np.argmax(row) == label) for row, label in zip(logits, y)) / len(y)


@right("accuracy", "the argmax of the softmax probabilities")
def _(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return float((p.argmax(axis=1) == y).sum() / y.shape[0])


# ================================================================ confusion_matrix (y_true, y_pred, k)


@wrong("confusion_matrix", "C[y_pred, y_true]: rows and columns swapped")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[p, t] += 1
    return C


@wrong("confusion_matrix", "C[y_true, y_pred] += 1 with fancy indexing")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    C[y_true, y_pred] += 1
    return C


@wrong("confusion_matrix", "np.zeros((k, k)) without dtype: float counts")
def _(y_true, y_pred, k):
    C = np.zeros((k, k))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


@wrong("confusion_matrix", "labels taken as 1 .. k: C[t - 1, p - 1]")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t - 1, p - 1] += 1
    return C


@wrong("confusion_matrix", "range(len(y_true) - 1): the last example not counted")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for i in range(len(y_true) - 1):
        C[y_true[i], y_pred[i]] += 1
    return C


@wrong("confusion_matrix", "divided by the number of examples")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C / len(y_true)


@wrong("confusion_matrix", "np.histogram2d with bins=k: the bins span the labels present, as floats")
def _(y_true, y_pred, k):
    C, _, _ = np.histogram2d(y_true, y_pred, bins=k)
    return C.astype(int)


@wrong("confusion_matrix", "only the diagonal (the correct predictions) counted")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, t] += 1
    return C


@right("confusion_matrix", "a loop over the pairs")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


@right("confusion_matrix", "bincount of t * k + p, reshaped")
def _(y_true, y_pred, k):
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


@right("confusion_matrix", "a double loop over the classes counting (y_true == i) & (y_pred == j)")
def _(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int32)
    for i in range(k):
        for j in range(k):
            C[i, j] = np.sum((y_true == i) & (y_pred == j))
    return C


@right("confusion_matrix", "collections.Counter into a nested list")
def _(y_true, y_pred, k):
    from collections import Counter
    counts = Counter(zip(y_true.tolist(), y_pred.tolist()))
    return [[counts[(i, j)] for j in range(k)] for i in range(k)]
