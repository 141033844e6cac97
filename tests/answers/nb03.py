"""Learner answers to notebook 03 (layers and forward propagation): dense_forward, count_parameters, forward.

Written the way learners write them; most wrong answers run without an error and are NOT among the
exercises' listed mistakes (those that are say so in their description)."""
import numpy as np

from answers import right, wrong

# ---------------------------------------------------------------- dense_forward(x, W, b)


@wrong("dense_forward", "computed in float32 and converted back to float64")
def _(x, W, b):
    return (x.astype(np.float32) @ W.astype(np.float32) + b).astype(np.float64)


@wrong("dense_forward", "returns float32 (converts the result to save memory)")
def _(x, W, b):
    return (x @ W + b).astype(np.float32)


@wrong("dense_forward", "the whole layer in float32, returned as float32")
def _(x, W, b):
    x32, W32, b32 = np.float32(x), np.float32(W), np.float32(b)
    return np.dot(x32, W32) + b32


@wrong("dense_forward", "the bias as a column: one bias per example instead of per neuron")
def _(x, W, b):
    return x @ W + b[:, None]


@wrong("dense_forward", "elementwise product instead of the matrix product")
def _(x, W, b):
    return x * W + b


@wrong("dense_forward", "the bias subtracted")
def _(x, W, b):
    return np.dot(x, W) - b


@wrong("dense_forward", "a sigmoid applied to the output")
def _(x, W, b):
    return 1 / (1 + np.exp(-(x @ W + b)))


@wrong("dense_forward", "listed: no bias")
def _(x, W, b):
    return np.matmul(x, W)


@wrong("dense_forward", "listed: W transposed")
def _(x, W, b):
    return x.dot(W.T) + b


@wrong("dense_forward", "listed: ReLU applied")
def _(x, W, b):
    return np.maximum(0, x @ W + b)


@right("dense_forward", "np.dot and an explicit row vector for the bias")
def _(x, W, b):
    return np.dot(x, W) + b.reshape(1, -1)


@right("dense_forward", "one neuron (column) at a time, stacked")
def _(x, W, b):
    return np.stack([x @ W[:, j] + b[j] for j in range(W.shape[1])], axis=1)


@right("dense_forward", "einsum")
def _(x, W, b):
    return np.einsum("nd,dm->nm", x, W) + b


@right("dense_forward", "the bias added in place to a fresh product")
def _(x, W, b):
    out = x @ W
    out += b
    return out


# ---------------------------------------------------------------- count_parameters(sizes)


@wrong("count_parameters", "the input layer gets biases too (sum of every width)")
def _(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) + sum(sizes)


@wrong("count_parameters", "one bias per layer instead of one per neuron")
def _(sizes):
    weights = sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
    return weights + len(sizes) - 1


@wrong("count_parameters", "a list of per-layer counts instead of their total")
def _(sizes):
    return [a * b + b for a, b in zip(sizes[:-1], sizes[1:])]


@wrong("count_parameters", "index i - 1 from i = 0: a phantom layer from the last width to the first")
def _(sizes):
    total = 0
    for i in range(len(sizes)):
        total += sizes[i - 1] * sizes[i] + sizes[i]
    return total


@wrong("count_parameters", "only the biases (sum of the widths after the input)")
def _(sizes):
    return sum(sizes[1:])


@wrong("count_parameters", "listed: no biases")
def _(sizes):
    return int(np.sum(np.array(sizes[:-1]) * np.array(sizes[1:])))


@wrong("count_parameters", "listed: the last layer is skipped")
def _(sizes):
    total = 0
    for i in range(1, len(sizes) - 1):
        total += sizes[i - 1] * sizes[i] + sizes[i]
    return total


@wrong("count_parameters", "listed: biases counted per input")
def _(sizes):
    return sum(a * (b + 1) for a, b in zip(sizes[:-1], sizes[1:]))


@right("count_parameters", "(a + 1) * b: a weights and one bias per neuron")
def _(sizes):
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


@right("count_parameters", "loop with an accumulator")
def _(sizes):
    total = 0
    for i in range(1, len(sizes)):
        total += sizes[i - 1] * sizes[i] + sizes[i]
    return total


@right("count_parameters", "np.dot of the widths plus the biases")
def _(sizes):
    return int(np.dot(sizes[:-1], sizes[1:]) + np.sum(sizes[1:]))


@right("count_parameters", "the sizes of the weight and bias arrays")
def _(sizes):
    return sum(np.zeros((a, b)).size + np.zeros(b).size for a, b in zip(sizes[:-1], sizes[1:]))


# ---------------------------------------------------------------- forward(X, weights, biases)


def _relu(z):
    return np.maximum(z, 0)


@wrong("forward", "ReLU on the last layer instead of the hidden ones (condition inverted)")
def _(X, weights, biases):
    a = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W + b
        a = _relu(z) if i == len(weights) - 1 else z
    return a


@wrong("forward", "ReLU before each layer: the input X goes through ReLU too")
def _(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a = _relu(a)
        a = a @ W + b
    return a


@wrong("forward", "ReLU in place on X before the loop (changes the caller's X)")
def _(X, weights, biases):
    a = X
    for W, b in zip(weights, biases):
        a[a < 0] = 0
        a = a @ W + b
    return a


@wrong("forward", "sigmoid instead of ReLU on the hidden layers")
def _(X, weights, biases):
    a = X
    for W, b in zip(weights[:-1], biases[:-1]):
        a = 1 / (1 + np.exp(-(a @ W + b)))
    return a @ weights[-1] + biases[-1]


@wrong("forward", "X converted to float32 first, as the MNIST images are")
def _(X, weights, biases):
    a = X.astype(np.float32)
    for W, b in zip(weights[:-1], biases[:-1]):
        a = _relu(a @ W + b)
    return a @ weights[-1] + biases[-1]


@wrong("forward", "the last layer is left out: returns the last hidden activations")
def _(X, weights, biases):
    a = X
    for W, b in zip(weights[:-1], biases[:-1]):
        a = _relu(a @ W + b)
    return a


@wrong("forward", "listed: ReLU after every layer (the article's version)")
def _(X, weights, biases):
    a = X
    for i in range(len(weights)):
        a = np.maximum(0, np.dot(a, weights[i]) + biases[i])
    return a


@wrong("forward", "listed: no activation at all")
def _(X, weights, biases):
    from functools import reduce
    return reduce(lambda a, wb: a @ wb[0] + wb[1], zip(weights, biases), X)


@wrong("forward", "listed: softmax applied to the logits")
def _(X, weights, biases):
    a = X
    for W, b in zip(weights[:-1], biases[:-1]):
        a = _relu(a @ W + b)
    z = a @ weights[-1] + biases[-1]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@right("forward", "hidden layers in a loop, the output layer after it")
def _(X, weights, biases):
    h = X
    for W, b in zip(weights[:-1], biases[:-1]):
        h = np.maximum(h @ W + b, 0.0)
    return h @ weights[-1] + biases[-1]


@right("forward", "ReLU as z * (z > 0), the layer index compared with the count")
def _(X, weights, biases):
    a = X
    n_layers = len(weights)
    for i in range(n_layers):
        z = np.dot(a, weights[i]) + biases[i]
        a = z * (z > 0) if i < n_layers - 1 else z
    return a


@right("forward", "recursion over the layers")
def _(X, weights, biases):
    if len(weights) == 1:
        return X @ weights[0] + biases[0]
    hidden = np.clip(X @ weights[0] + biases[0], 0, None)
    return _forward_recursive(hidden, weights[1:], biases[1:])


def _forward_recursive(X, weights, biases):
    """The learner's recursion: X (n, d) -> logits (n, k)."""
    if len(weights) == 1:
        return X @ weights[0] + biases[0]
    return _forward_recursive(np.clip(X @ weights[0] + biases[0], 0, None), weights[1:], biases[1:])


@right("forward", "with course.relu and course.dense_forward (the library's own)")
def _(X, weights, biases):
    import course
    a = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = course.dense_forward(a, W, b)[0]
        a = z if i == len(weights) - 1 else course.relu(z)
    return a
