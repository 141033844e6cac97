"""Answers to notebook 07b's exercise (train_network), written the way learners write them."""
import numpy as np

from . import right, wrong


def _forward_backward(parts, xb, yb, weights, biases, relu_on_output=False):
    """The step every answer below shares: forward keeping caches, the loss, backward. Returns (loss, dW, db)."""
    L = len(weights)
    a, cache = xb, []
    for i in range(L):
        z = parts.dense_forward(a, weights[i], biases[i])
        cache.append((a, z))
        a = parts.relu(z) if (i < L - 1 or relu_on_output) else z
    loss, d = parts.softmax_cross_entropy(a, yb)
    dW, db = [None] * L, [None] * L
    for i in reversed(range(L)):
        x, z = cache[i]
        if i < L - 1 or relu_on_output:
            d = parts.relu_backward(d, z)
        d, dW[i], db[i] = parts.dense_backward(d, (x, weights[i]))
    return loss, dW, db


@right("train_network", "one flat list of parameters [W0, b0, W1, b1, ...], each with its state dict")
def _(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    L = len(weights)
    params = [p for pair in zip(weights, biases) for p in pair]
    state = [{"m": np.zeros_like(p), "v": np.zeros_like(p), "t": 0} for p in params]
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        sizes, batch_losses = [], []
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            loss, dW, db = _forward_backward(parts, xb, yb, params[0::2], params[1::2])
            grads = [g for pair in zip(dW, db) for g in pair]
            for j, (p, g, s) in enumerate(zip(params, grads, state)):
                params[j], s["m"], s["v"], s["t"] = parts.adam_step(p, g, s["m"], s["v"], s["t"], lr=lr)
            sizes.append(len(yb))
            batch_losses.append(loss)
        history.append(float(np.average(batch_losses, weights=sizes)))
    return params[0::2][:L], params[1::2][:L], history


@right("train_network", "gradients applied layer by layer during the backward pass (dense_backward used the old W)")
def _(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    W, b = [w.copy() for w in weights], [c.copy() for c in biases]
    mW, vW = [np.zeros_like(w) for w in W], [np.zeros_like(w) for w in W]
    mb, vb = [np.zeros_like(c) for c in b], [np.zeros_like(c) for c in b]
    t = 0
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        seen, total = 0, 0.0
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            acts, zs = [xb], []
            for i in range(len(W)):
                zs.append(parts.dense_forward(acts[-1], W[i], b[i]))
                acts.append(parts.relu(zs[-1]) if i < len(W) - 1 else zs[-1])
            loss, d = parts.softmax_cross_entropy(acts[-1], yb)
            for i in range(len(W) - 1, -1, -1):
                if i < len(W) - 1:
                    d = parts.relu_backward(d, zs[i])
                d, gW, gb = parts.dense_backward(d, (acts[i], W[i]))
                W[i], mW[i], vW[i], _ = parts.adam_step(W[i], gW, mW[i], vW[i], t, lr=lr)
                b[i], mb[i], vb[i], _ = parts.adam_step(b[i], gb, mb[i], vb[i], t, lr=lr)
            t += 1                                     # one step per batch, for every array
            total += loss * len(yb)
            seen += len(yb)
        losses.append(total / seen)
    return W, b, losses


def _adam_loop(parts, X, y, weights, biases, epochs, batch_size, lr, seed, *, rng_each_epoch=False,
               fresh_state_each_batch=False, mean_of_batches=False, relu_on_output=False):
    weights, biases = list(weights), list(biases)
    rng = np.random.default_rng(seed)
    state = [[np.zeros_like(p), np.zeros_like(p), 0] for p in weights + biases]
    losses = []
    for _ in range(epochs):
        if rng_each_epoch:
            rng = np.random.default_rng(seed)
        total, batch_losses = 0.0, []
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            if fresh_state_each_batch:
                state = [[np.zeros_like(p), np.zeros_like(p), 0] for p in weights + biases]
            loss, dW, db = _forward_backward(parts, xb, yb, weights, biases, relu_on_output)
            params, grads = weights + biases, dW + db
            for j in range(len(params)):
                params[j], *state[j] = parts.adam_step(params[j], grads[j], *state[j], lr=lr)
            weights, biases = params[:len(weights)], params[len(weights):]
            total += loss * len(yb)
            batch_losses.append(loss)
        losses.append(float(np.mean(batch_losses)) if mean_of_batches else total / len(X))
    return weights, biases, losses


@wrong("train_network", "the generator is made again at the start of every epoch")
def _(*args):
    return _adam_loop(*args, rng_each_epoch=True)


@wrong("train_network", "the Adam state is created inside the batch loop")
def _(*args):
    return _adam_loop(*args, fresh_state_each_batch=True)


@wrong("train_network", "np.mean of the batch losses")
def _(*args):
    return _adam_loop(*args, mean_of_batches=True)


@wrong("train_network", "the output layer goes through ReLU too")
def _(*args):
    return _adam_loop(*args, relu_on_output=True)


@wrong("train_network", "plain gradient descent instead of the Adam step")
def _(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    weights, biases = list(weights), list(biases)
    rng, losses = np.random.default_rng(seed), []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            loss, dW, db = _forward_backward(parts, xb, yb, weights, biases)
            weights = [W - lr * g for W, g in zip(weights, dW)]
            biases = [b - lr * g for b, g in zip(biases, db)]
            total += loss * len(yb)
        losses.append(total / len(X))
    return weights, biases, losses


@wrong("train_network", "the loss of every batch returned instead of one per epoch")
def _(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    weights, biases = list(weights), list(biases)
    rng = np.random.default_rng(seed)
    state = [(np.zeros_like(p), np.zeros_like(p), 0) for p in weights + biases]
    losses = []
    for _ in range(epochs):
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            loss, dW, db = _forward_backward(parts, xb, yb, weights, biases)
            params = weights + biases
            for j, g in enumerate(dW + db):
                params[j], m, v, t = parts.adam_step(params[j], g, *state[j], lr=lr)
                state[j] = (m, v, t)
            weights, biases = params[:len(weights)], params[len(weights):]
            losses.append(loss)
    return weights, biases, losses


@wrong("train_network", "the caller's lists are updated in place")
def _(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    rng = np.random.default_rng(seed)
    state = [(np.zeros_like(p), np.zeros_like(p), 0) for p in weights + biases]
    losses = []
    L = len(weights)
    for _ in range(epochs):
        total = 0.0
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            loss, dW, db = _forward_backward(parts, xb, yb, weights, biases)
            for j, g in enumerate(dW + db):
                target, i = (weights, j) if j < L else (biases, j - L)
                target[i], m, v, t = parts.adam_step(target[i], g, *state[j], lr=lr)
                state[j] = (m, v, t)
            total += loss * len(yb)
        losses.append(total / len(X))
    return weights, biases, losses
