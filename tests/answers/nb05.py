"""Learner answers to notebook 05 (backpropagation): dense_backward, relu_backward, backprop, compute_gradients.

Wrong answers are the slips learners make when they first write a backward pass: transposes in the wrong
place, the batch averaged once too often, the ReLU mask from the wrong array, the loop's `return` inside
the loop. Most are not among the exercises' listed mistakes, so that the report measures how well the
checks explain errors nobody anticipated.
"""
import numpy as np

from answers import right, wrong

# ================================================================ dense_backward (dout, cache) -> dx, dW, db


@wrong("dense_backward", "dW = dout.T @ x: the transpose of the gradient")
def _(dout, cache):
    x, W = cache
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


@wrong("dense_backward", "db as the mean over the batch")
def _(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, np.mean(dout, axis=0)


@wrong("dense_backward", "dx = W @ dout.T: the transpose of dx, shape (d, n)")
def _(dout, cache):
    x, W = cache
    return W @ dout.T, x.T @ dout, dout.sum(axis=0)


@wrong("dense_backward", "dW averaged over the batch (divided by n) while db is summed")
def _(dout, cache):
    x, W = cache
    n = x.shape[0]
    return dout @ W.T, x.T @ dout / n, dout.sum(axis=0)


@wrong("dense_backward", "db keeps the batch axis: shape (1, m)")
def _(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, np.sum(dout, axis=0, keepdims=True)


@wrong("dense_backward", "returned in the order (dW, dx, db)")
def _(dout, cache):
    x, W = cache
    dx = dout @ W.T
    dW = x.T @ dout
    db = dout.sum(axis=0)
    return dW, dx, db


@wrong("dense_backward", "a ReLU mask on x inside the dense layer's backward pass")
def _(dout, cache):
    x, W = cache
    return (dout @ W.T) * (x > 0), x.T @ dout, dout.sum(axis=0)


@wrong("dense_backward", "dW as the outer product of the batch sums of x and dout")
def _(dout, cache):
    x, W = cache
    return dout @ W.T, np.outer(x.sum(axis=0), dout.sum(axis=0)), dout.sum(axis=0)


@wrong("dense_backward", "db = dout.sum(): one number for the whole batch and every output")
def _(dout, cache):
    x, W = cache
    return dout @ W.T, x.T @ dout, dout.sum()


@right("dense_backward", "einsum for all three")
def _(dout, cache):
    x, W = cache
    return np.einsum("nm,dm->nd", dout, W), np.einsum("nd,nm->dm", x, dout), np.einsum("nm->m", dout)


@right("dense_backward", "a loop over the examples: dW is a sum of outer products")
def _(dout, cache):
    x, W = cache
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[1])
    for xi, gi in zip(x, dout):
        dW += np.outer(xi, gi)
        db += gi
    return np.dot(dout, W.T), dW, db


@right("dense_backward", "dW as the transpose of (dout.T @ x), a list instead of a tuple")
def _(dout, cache):
    x, W = cache
    return [np.matmul(dout, W.transpose()), (dout.T @ x).T, np.ones(len(dout)) @ dout]


@right("dense_backward", "the course's own layer")
def _(dout, cache):
    from course import layers
    return layers.dense_backward(dout, cache)


# ================================================================ relu_backward (dout, z) -> dz


@wrong("relu_backward", "the mask from dout instead of z")
def _(dout, z):
    return np.where(dout > 0, dout, 0.0)


@wrong("relu_backward", "the local derivative alone, without dout")
def _(dout, z):
    return np.where(z > 0, 1.0, 0.0)


@wrong("relu_backward", "dout changed in place and returned")
def _(dout, z):
    dout[z <= 0] = 0
    return dout


@wrong("relu_backward", "the mask the wrong way round: z < 0")
def _(dout, z):
    return dout * (z < 0)


@wrong("relu_backward", "times sign(z): negative z flips the gradient instead of stopping it")
def _(dout, z):
    return dout * np.sign(z)


@wrong("relu_backward", "slope 1/2 at the kink z == 0")
def _(dout, z):
    return dout * (z > 0) + 0.5 * dout * (z == 0)


@wrong("relu_backward", "the two masks multiplied: (dout > 0) * (z > 0), a boolean array")
def _(dout, z):
    return (dout > 0) * (z > 0)


@wrong("relu_backward", "relu(z) / z as the derivative: 0/0 at z == 0")
def _(dout, z):
    return dout * np.maximum(z, 0) / z


@right("relu_backward", "np.where on z")
def _(dout, z):
    return np.where(z > 0, dout, 0.0)


@right("relu_backward", "a copy with the non-positive positions zeroed")
def _(dout, z):
    dz = np.array(dout, copy=True)
    dz[z <= 0] = 0
    return dz


@right("relu_backward", "the mask from the activation a = relu(z), as a float array")
def _(dout, z):
    a = np.maximum(z, 0)
    return dout * (a > 0).astype(float)


@right("relu_backward", "np.heaviside with 0 at the kink")
def _(dout, z):
    return dout * np.heaviside(z, 0.0)


# ================================================================ backprop (X, y, weights, biases) -> dict


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("backprop", "relu_backward on the logits too (the article's bug)")
def _(X, y, weights, biases):
    from course.checks import REGISTRY
    relu_backward = REGISTRY["relu_backward"].reference
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    logits = h @ W1 + b1
    p = _softmax(logits)
    p[np.arange(n), y] -= 1
    d = relu_backward(p / n, logits)
    dz0 = relu_backward(d @ W1.T, z0)
    return {"dW0": X.T @ dz0, "dB0": dz0.sum(0), "dW1": h.T @ d, "dB1": d.sum(0)}


@wrong("backprop", "dlogits = (one_hot - p) / n: the sign flipped")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    p = _softmax(h @ W1 + b1)
    d = (np.eye(W1.shape[1])[y] - p) / n
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW0": X.T @ dz0, "dB0": dz0.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}


@wrong("backprop", "dW0 = dz0.T @ X: transposed, shape (h, d)")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    p = _softmax(h @ W1 + b1)
    p[np.arange(n), y] -= 1
    d = p / n
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW0": dz0.T @ X, "dB0": dz0.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}


@wrong("backprop", "dB0 summed before the ReLU mask")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    p = _softmax(h @ W1 + b1)
    p[np.arange(n), y] -= 1
    d = p / n
    dh = d @ W1.T
    dz0 = dh * (z0 > 0)
    return {"dW0": X.T @ dz0, "dB0": dh.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}


@wrong("backprop", "averaged twice: dlogits divided by n, then each gradient by n again")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    p = _softmax(h @ W1 + b1)
    p[np.arange(n), y] -= 1
    d = p / n
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW0": X.T @ dz0 / n, "dB0": dz0.mean(axis=0), "dW1": h.T @ d / n, "dB1": d.mean(axis=0)}


@wrong("backprop", "one-hot from np.eye(y.max() + 1): too few columns when the batch lacks the top class")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    p = _softmax(h @ W1 + b1)
    d = (p - np.eye(y.max() + 1)[y]) / n
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW0": X.T @ dz0, "dB0": dz0.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}


@wrong("backprop", "the gradients of the summed loss: no division by n")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    d = _softmax(h @ W1 + b1)
    d[np.arange(n), y] -= 1
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW0": X.T @ dz0, "dB0": dz0.sum(axis=0), "dW1": h.T @ d, "dB1": d.sum(axis=0)}


@wrong("backprop", "the keys swapped between the layers")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    n = X.shape[0]
    z0 = X @ W0 + b0
    h = np.maximum(z0, 0)
    d = _softmax(h @ W1 + b1)
    d[np.arange(n), y] -= 1
    d /= n
    dz0 = (d @ W1.T) * (z0 > 0)
    return {"dW1": X.T @ dz0, "dB1": dz0.sum(axis=0), "dW0": h.T @ d, "dB0": d.sum(axis=0)}


@right("backprop", "the course's layers and loss")
def _(X, y, weights, biases):
    from course import layers, losses
    z0, c0 = layers.dense_forward(X, weights[0], biases[0])
    h = np.maximum(z0, 0)
    logits, c1 = layers.dense_forward(h, weights[1], biases[1])
    _, dlogits = losses.softmax_cross_entropy(logits, y)
    dh, dW1, db1 = layers.dense_backward(dlogits, c1)
    _, dW0, db0 = layers.dense_backward(dh * (z0 > 0), c0)
    return {"dW0": dW0, "dB0": db0, "dW1": dW1, "dB1": db1}


@right("backprop", "one-hot from np.eye(k), mask from h > 0")
def _(X, y, weights, biases):
    W0, W1 = weights
    b0, b1 = biases
    h = np.maximum(X @ W0 + b0, 0)
    p = _softmax(h @ W1 + b1)
    dlogits = (p - np.eye(W1.shape[1])[y]) / len(X)
    dh = dlogits @ W1.T * (h > 0)
    return {"dW1": h.T @ dlogits, "dB1": dlogits.sum(0), "dW0": X.T @ dh, "dB0": dh.sum(0)}


@right("backprop", "one example at a time, the gradients averaged at the end")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    g = {"dW0": np.zeros_like(W0), "dB0": np.zeros_like(b0), "dW1": np.zeros_like(W1), "dB1": np.zeros_like(b1)}
    for x, label in zip(X, y):
        z0 = x @ W0 + b0
        h = np.maximum(z0, 0)
        logits = h @ W1 + b1
        p = np.exp(logits - logits.max())
        p /= p.sum()
        p[label] -= 1
        dz0 = (W1 @ p) * (z0 > 0)
        g["dW1"] += np.outer(h, p)
        g["dB1"] += p
        g["dW0"] += np.outer(x, dz0)
        g["dB0"] += dz0
    return {key: value / len(X) for key, value in g.items()}


@right("backprop", "einsum, dlogits from the log-softmax")
def _(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    z0 = np.einsum("nd,dh->nh", X, W0) + b0
    h = np.where(z0 > 0, z0, 0.0)
    logits = np.einsum("nh,hk->nk", h, W1) + b1
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    d = np.exp(log_p)
    d[np.arange(len(y)), y] -= 1.0
    d = d / len(y)
    dz0 = np.einsum("nk,hk->nh", d, W1) * (z0 > 0)
    return {"dW0": np.einsum("nd,nh->dh", X, dz0), "dB0": dz0.sum(axis=0),
            "dW1": np.einsum("nh,nk->hk", h, d), "dB1": d.sum(axis=0)}


# ================================================================ compute_gradients (caches, dlogits) -> dict


@wrong("compute_gradients", "dW = d.T @ x: each weight gradient transposed")
def _(caches, dlogits):
    grads, d = {}, dlogits
    for i in reversed(range(len(caches))):
        (x, W), (name, z, a) = caches[i]
        if i < len(caches) - 1:
            d = d * (z > 0)
        grads[f"dW{i}"] = d.T @ x
        grads[f"dB{i}"] = d.sum(axis=0)
        d = d @ W.T
    return grads


@wrong("compute_gradients", "the layers walked in forward order")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(len(caches)):
        (x, W), (name, z, a) = caches[i]
        if i < last:
            d = d * (z > 0)
        grads[f"dW{i}"], grads[f"dB{i}"] = x.T @ d, d.sum(axis=0)
        d = d @ W.T
    return grads


@wrong("compute_gradients", "return inside the loop: only the last layer's gradients")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        if i < last:
            d = d * (z > 0)
        grads[f"dW{i}"], grads[f"dB{i}"] = x.T @ d, d.sum(axis=0)
        d = d @ W.T
        return grads


@wrong("compute_gradients", "dx thrown away: every layer gets dlogits")
def _(caches, dlogits):
    grads = {}
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        d = dlogits * (z > 0) if i < last else dlogits
        grads[f"dW{i}"], grads[f"dB{i}"] = x.T @ d, d.sum(axis=0)
    return grads


@wrong("compute_gradients", "dW from the layer's own activation a instead of its input x")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        if i < last:
            d = d * (z > 0)
        grads[f"dW{i}"], grads[f"dB{i}"] = a.T @ d, d.sum(axis=0)
        d = d @ W.T
    return grads


@wrong("compute_gradients", "the ReLU mask applied after the dense backward, with the same layer's z")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        grads[f"dW{i}"], grads[f"dB{i}"] = x.T @ d, d.sum(axis=0)
        d = d @ W.T
        if i > 0:
            d = d * (caches[i][1][1] > 0)
    return grads


@wrong("compute_gradients", "keys numbered from 1: dW1 .. dWL")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        if i < last:
            d = d * (z > 0)
        grads[f"dW{i + 1}"], grads[f"dB{i + 1}"] = x.T @ d, d.sum(axis=0)
        d = d @ W.T
    return grads


@wrong("compute_gradients", "dB summed over axis 1 (the outputs) instead of the batch")
def _(caches, dlogits):
    grads, d = {}, dlogits
    last = len(caches) - 1
    for i in range(last, -1, -1):
        (x, W), (name, z, a) = caches[i]
        if i < last:
            d = d * (z > 0)
        grads[f"dW{i}"], grads[f"dB{i}"] = x.T @ d, d.sum(axis=1)
        d = d @ W.T
    return grads


@right("compute_gradients", "the course's dense_activation_backward")
def _(caches, dlogits):
    from course import layers
    grads, d = {}, dlogits
    for i in range(len(caches) - 1, -1, -1):
        d, grads["dW" + str(i)], grads["dB" + str(i)] = layers.dense_activation_backward(d, caches[i])
    return grads


@right("compute_gradients", "the mask where the cache says relu, from a > 0")
def _(caches, dlogits):
    grads, d = {}, dlogits
    for i, ((x, W), (name, z, a)) in reversed(list(enumerate(caches))):
        if name == "relu":
            d = np.where(a > 0, d, 0.0)
        grads[f"dW{i}"], grads[f"dB{i}"] = np.einsum("nd,nm->dm", x, d), np.ones(len(d)) @ d
        d = np.dot(d, W.T)
    return grads


@right("compute_gradients", "a while loop, the mask of layer i - 1 applied while passing d down")
def _(caches, dlogits):
    grads = {}
    d = dlogits
    i = len(caches) - 1
    while i >= 0:
        (x, W), _ = caches[i]
        grads["dW%d" % i] = x.T @ d
        grads["dB%d" % i] = d.sum(axis=0)
        if i > 0:
            z_below = caches[i - 1][1][1]
            d = (d @ W.T) * (z_below > 0)
        i -= 1
    return grads


@right("compute_gradients", "the gradients collected in a list, then turned into a dict")
def _(caches, dlogits):
    d, found = dlogits, []
    for i in range(len(caches))[::-1]:
        (x, W), (name, z, _) = caches[i]
        if i != len(caches) - 1:
            d = d.copy()
            d[z <= 0] = 0.0
        found.append((i, x.T.dot(d), d.sum(0)))
        d = d.dot(W.T)
    return {key: value for i, dW, dB in found for key, value in ((f"dW{i}", dW), (f"dB{i}", dB))}
