"""Optimisers (优化器): SGD, momentum (动量) and Adam.

Each has `step(params, grads)`: params and grads are lists of arrays of equal
shapes; the params (float arrays) are updated in place. State (velocities,
moments) is kept per position in the list, created on the first step, and
belongs to the parameter arrays of that step: an optimiser holding state
refuses other arrays (another model, a rebuilt one) with a CourseInputError
saying to make a new optimiser or call reset(), since carrying one model's
momentum into another is never what was meant. The updates are the
same as torch.optim.SGD / torch.optim.Adam with the same arguments, including
`weight_decay` (权重衰减), which adds weight_decay * p to the gradient (L2).
"""
from __future__ import annotations

import math
import weakref

import numpy as np

from ._validate import CourseInputError, describe, describe_sequence, positive_float
from .i18n import _, ngettext


def _check(params, grads):
    if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)) or len(params) != len(grads):
        raise CourseInputError(_("step: expected two lists of arrays of the same length, got {params} and {grads}.")
                               .format(params=describe_sequence(params), grads=describe_sequence(grads)))
    for i, (p, g) in enumerate(zip(params, grads)):
        if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
            raise CourseInputError(_("step: params[{i}] and grads[{i}] must be NumPy arrays (updated in place), "
                                     "got {param_type} and {grad_type}.").format(i=i, param_type=type(p).__name__,
                                                                                grad_type=type(g).__name__))
        if p.shape != g.shape:
            raise CourseInputError(_("step: params[{i}] has shape {param_shape} but grads[{i}] has shape {grad_shape}.")
                                   .format(i=i, param_shape=p.shape, grad_shape=g.shape))
        if not np.issubdtype(p.dtype, np.floating) or not p.flags.writeable:
            if not p.flags.writeable:
                message = _("step: params[{i}] must be a writeable float array (updated in place), got a read-only "
                            "{dtype} array.")
            else:
                message = _("step: params[{i}] must be a writeable float array (updated in place), got {dtype} array.")
            raise CourseInputError(message.format(i=i, dtype=p.dtype))
        if not (np.issubdtype(g.dtype, np.number) or g.dtype == bool) or np.issubdtype(g.dtype, np.complexfloating):
            raise CourseInputError(_("step: grads[{i}] must hold real numbers, got dtype {dtype}.").format(i=i,
                                                                                                      dtype=g.dtype))


class Optimizer:
    def __init__(self, lr, weight_decay=0.0):
        self.lr = positive_float(lr, "lr")
        self.weight_decay = positive_float(weight_decay, "weight_decay", allow_zero=True)
        self.t = 0  # steps taken
        self._owner = None  # weak references to the parameter arrays the state belongs to

    def step(self, params, grads):
        """One update of `params` (list of float arrays, changed in place) from `grads` (same shapes).

        Raises CourseInputError for lists of different lengths, shapes that differ,
        non-float or read-only params, and, once the optimiser holds state (Momentum,
        Adam), for parameter arrays other than those of its earlier steps.
        """
        _check(params, grads)
        self._claim(params)
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.weight_decay:
                g = g + self.weight_decay * p
            self._update(i, p, g)

    def reset(self):
        """Forget the state (step count, velocities, moments), so the next step starts afresh on any parameters."""
        self.t = 0
        self._owner = None
        for state in self._state():
            state.clear()

    def _state(self):
        return ()  # the dicts holding per-parameter state (none for SGD)

    def _claim(self, params):
        """Tie the state to these parameter arrays, or refuse others while state from earlier steps is kept."""
        owner = self._owner
        same = owner is not None and len(owner) == len(params) and all(r() is p for r, p in zip(owner, params))
        if same or not any(self._state()):
            if not same:
                self._owner = tuple(weakref.ref(p) for p in params)
            return
        name = type(self).__name__
        raise CourseInputError(ngettext(
            "step: expected the parameter arrays this {name} holds state for (from {t} step), got {shapes} it has not "
            "seen (another or rebuilt model?); make a new optimiser for each model, e.g. {name}(lr={lr}), or call "
            ".reset() on this one first.",
            "step: expected the parameter arrays this {name} holds state for (from {t} steps), got {shapes} it has not "
            "seen (another or rebuilt model?); make a new optimiser for each model, e.g. {name}(lr={lr}), or call "
            ".reset() on this one first.", self.t).format(name=name, t=self.t, shapes=_shapes(params), lr=f"{self.lr:g}"))

    def __repr__(self):
        fields = ", ".join(f"{k}={v}" for k, v in vars(self).items() if not k.startswith("_") and k != "t")
        return f"{type(self).__name__}({fields})"


def _shapes(params) -> str:
    shapes = [describe(p) for p in params[:3]]
    if len(params) > 3:
        return _("{shapes} and {more} more").format(shapes=", ".join(shapes), more=len(params) - 3)
    return ", ".join(shapes)


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
            raise CourseInputError(_("momentum: expected a number in [0, 1), got {got}.").format(got=momentum))
        self._v = {}

    def _state(self):
        return (self._v,)

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
        ok = (isinstance(betas, (tuple, list)) and len(betas) == 2
              and all(isinstance(b, (int, float, np.integer, np.floating)) and not isinstance(b, bool) for b in betas))
        if not ok or not all(0 <= b < 1 for b in betas):
            raise CourseInputError(_("betas: expected two numbers in [0, 1), got {got}.").format(got=describe(betas)))
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = positive_float(eps, "eps")
        self._m, self._v, self._tmp = {}, {}, {}

    def _state(self):
        return (self._m, self._v, self._tmp)

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
