"""Layers (层) as forward/backward pairs, in the style of CS231n's layers.py.

`*_forward(x, ...)` returns `(out, cache)`; `*_backward(dout, cache)` returns
the gradient(s). The cache keeps exactly what the backward pass needs: the
chain rule (链式法则) needs each layer's input, not only the network's output.

Bad arguments (wrong shapes, a cache that did not come from the matching
forward function, NaN/inf) raise CourseInputError with one sentence saying
what was expected and what arrived. Empty batches (n = 0) give empty results.
"""
from __future__ import annotations

import numpy as np

from . import activations as act
from ._validate import CourseInputError, array, choice, describe, describe_sequence
from .i18n import _


def _cache(cache, size: int, source: str):
    """The cache tuple from `source`, checked for its length, so a wrong one gets a sentence, not an unpacking error."""
    if not isinstance(cache, tuple) or len(cache) != size:
        raise CourseInputError(_("cache: expected the {size}-tuple cache returned by {source}, got {got}.").format(
            size=size, source=source, got=describe_sequence(cache)))
    return cache


def dense_forward(x, W, b):
    """Dense (fully connected) layer: out = x @ W + b.

    x: (n, d) a batch of n rows; W: (d, m) weights (权重); b: (m,) biases (偏置).
    Returns out: (n, m) and cache = (x, W).
    """
    x = array(x, "x", ndim=2)
    W = array(W, "W", ndim=2)
    b = array(b, "b", ndim=1)
    if x.shape[1] != W.shape[0]:
        raise CourseInputError(
            _("x @ W: x has {columns} columns (shape {x_shape}) but W has {rows} rows (shape {w_shape}); W must be "
              "(inputs, outputs) = ({columns}, m).").format(columns=x.shape[1], x_shape=x.shape, rows=W.shape[0],
                                                            w_shape=W.shape)
        )
    if b.shape[0] != W.shape[1]:
        raise CourseInputError(_("b: expected shape ({m},) to match W's {m} outputs, got {shape}.").format(
            m=W.shape[1], shape=b.shape))
    return x @ W + b, (x, W)


def dense_backward(dout, cache):
    """Gradients of a dense layer.

    dout: (n, m) gradient of the loss w.r.t. out; cache: the (x, W) returned by dense_forward.
    Returns dx: (n, d), dW: (d, m), db: (m,). dW sums over the batch because every row used
    the same W. Raises CourseInputError for another cache or a dout of the wrong shape.
    """
    x, W = _cache(cache, 2, "dense_forward")
    if not all(isinstance(a, np.ndarray) and a.ndim == 2 for a in (x, W)) or x.shape[1] != W.shape[0]:
        raise CourseInputError(_("cache: expected (x (n, d), W (d, m)) from dense_forward, got ({x}, {W}).").format(
            x=describe(x), W=describe(W)))
    dout = array(dout, "dout", ndim=2)
    if dout.shape != (x.shape[0], W.shape[1]):
        raise CourseInputError(_("dout: expected shape {expected} (the layer's output), got {shape}.").format(
            expected=(x.shape[0], W.shape[1]), shape=dout.shape))
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def activation_forward(z, name: str = "relu"):
    """a = f(z) for the activation `name`; z: any shape (softmax: (k,) or (n, k)).

    Returns a (z's shape, float) and cache = (name, z, a). Raises CourseInputError for an
    unknown name or bad z.
    """
    choice(name, "activation", tuple(act.ACTIVATIONS))
    f = act.ACTIVATIONS[name][0]
    z = array(z, "z")
    a = f(z)
    return a, (name, z, a)


def activation_backward(da, cache):
    """dz = da * f'(z), elementwise; for softmax the Jacobian-vector product s * (da - Σ da·s).

    da: shaped like the activation's output; cache: the (name, z, a) returned by
    activation_forward. Returns dz shaped like z. Raises CourseInputError otherwise.
    """
    name, z, a = _cache(cache, 3, "activation_forward")
    arrays = isinstance(z, np.ndarray) and isinstance(a, np.ndarray) and z.shape == a.shape
    if not (isinstance(name, str) and name in act.ACTIVATIONS and arrays):
        raise CourseInputError(_("cache: expected (name, z, a) from activation_forward, got ({name}, {z}, {a}).").format(
            name=describe(name), z=describe(z), a=describe(a)))
    da = array(da, "da")
    if da.shape != z.shape:
        raise CourseInputError(_("da: expected shape {expected} (the activation's output), got {shape}.").format(
            expected=z.shape, shape=da.shape))
    if name == "softmax":
        return a * (da - (da * a).sum(axis=-1, keepdims=True))
    # sigmoid and tanh derivatives are cheapest from the output a we already have.
    if name == "sigmoid":
        return da * a * (1 - a)
    if name == "tanh":
        return da * (1 - a * a)
    grad = act.ACTIVATIONS[name][1]
    return da * grad(z)


def dense_activation_forward(x, W, b, name: str = "relu"):
    """A dense layer followed by an activation; cache = (dense cache, activation cache)."""
    z, dense_cache = dense_forward(x, W, b)
    a, act_cache = activation_forward(z, name)
    return a, (dense_cache, act_cache)


def dense_activation_backward(dout, cache):
    """Backward through activation, then dense. Returns dx, dW, db.

    cache: the (dense cache, activation cache) pair from dense_activation_forward.
    """
    dense_cache, act_cache = _cache(cache, 2, "dense_activation_forward")
    return dense_backward(activation_backward(dout, act_cache), dense_cache)
