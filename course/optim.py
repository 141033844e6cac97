"""Optimisers (优化器): SGD, momentum (动量) and Adam.

Each has `step(params, grads)`: params and grads are lists of arrays of equal
shapes; the params are updated in place. State (velocities, moments) is kept
per position in the list, created on the first step. The updates are the
same as torch.optim.SGD / torch.optim.Adam with the same arguments, including
`weight_decay` (权重衰减), which adds weight_decay * p to the gradient (L2).
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import CourseInputError, positive_float


def _check(params, grads):
    if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)) or len(params) != len(grads):
        raise CourseInputError(f"step: expected two lists of arrays of the same length, got "
                               f"{type(params).__name__} of {len(params) if hasattr(params, '__len__') else '?'} and "
                               f"{type(grads).__name__} of {len(grads) if hasattr(grads, '__len__') else '?'}.")
    for i, (p, g) in enumerate(zip(params, grads)):
        if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
            raise CourseInputError(f"step: params[{i}] and grads[{i}] must be NumPy arrays (updated in place), "
                                   f"got {type(p).__name__} and {type(g).__name__}.")
        if p.shape != g.shape:
            raise CourseInputError(f"step: params[{i}] has shape {p.shape} but grads[{i}] has shape {g.shape}.")


class Optimizer:
    def __init__(self, lr, weight_decay=0.0):
        self.lr = positive_float(lr, "lr")
        self.weight_decay = positive_float(weight_decay, "weight_decay", allow_zero=True)
        self.t = 0  # steps taken

    def step(self, params, grads):
        _check(params, grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.weight_decay:
                g = g + self.weight_decay * p
            self._update(i, p, g)

    def __repr__(self):
        fields = ", ".join(f"{k}={v}" for k, v in vars(self).items() if not k.startswith("_") and k != "t")
        return f"{type(self).__name__}({fields})"


class SGD(Optimizer):
    """Plain gradient descent (梯度下降): p -= lr * g."""

    def __init__(self, lr=0.01, weight_decay=0.0):
        super().__init__(lr, weight_decay)

    def _update(self, i, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """SGD with momentum, as torch.optim.SGD(momentum=...): v = μ v + g; p -= lr * v.

    The velocity v is a running sum of past gradients, so steps grow along
    directions where the gradient keeps its sign and cancel where it flips.
    """

    def __init__(self, lr=0.01, momentum=0.9, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.momentum = positive_float(momentum, "momentum", allow_zero=True)
        if self.momentum >= 1:
            raise CourseInputError(f"momentum: expected a number in [0, 1), got {momentum}.")
        self._v = {}

    def _update(self, i, p, g):
        v = self._v.get(i)
        if v is None:
            v = self._v[i] = g.copy()  # torch starts the buffer at the first gradient
        else:
            v *= self.momentum
            v += g
        p -= self.lr * v


class Adam(Optimizer):
    """Adam with bias correction, the same update as torch.optim.Adam:

        m = β1 m + (1-β1) g;   v = β2 v + (1-β2) g²
        p -= lr / (1-β1^t) * m / (sqrt(v) / sqrt(1-β2^t) + eps)

    keras.optimizers.Adam adds its epsilon to sqrt(v) before the bias correction instead:
    course.frameworks.keras_adam_epsilon gives the Keras epsilon that takes the same step.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise CourseInputError(f"betas: expected two numbers in [0, 1), got {betas!r}.")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = positive_float(eps, "eps")
        self._m, self._v, self._tmp = {}, {}, {}

    def _update(self, i, p, g):
        if i not in self._m:
            self._m[i], self._v[i], self._tmp[i] = np.zeros_like(p), np.zeros_like(p), np.empty_like(p)
        m, v, tmp = self._m[i], self._v[i], self._tmp[i]
        b1, b2 = self.betas
        # In place on whole arrays: no temporaries beyond `tmp`, which is reused every step.
        m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        step_size = self.lr / (1 - b1 ** self.t)
        np.sqrt(v, out=tmp)
        # math.sqrt gives a Python float; a NumPy float64 scalar here would make
        # NumPy 2 do this pass over float32 parameters in float64 (6x slower).
        tmp *= 1 / math.sqrt(1 - b2 ** self.t)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        p -= tmp
