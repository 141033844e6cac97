"""深度学习与神经网络 (Deep Learning & Neural Networks): the course's helper package.

`import course` is fast: names are imported from their modules on first use
(numpy only; matplotlib, ipywidgets and the frameworks are never imported here). Where PyPI's CUDA
build of torch is installed, it opens Triton's native library, so that TensorFlow cannot crash it later
(see course/_load_order.py).
"""
from __future__ import annotations

import importlib

from course import _load_order

__version__ = "0.1.0"

# Before anything can import TensorFlow: PyTorch's Triton must load first or the process crashes (issue 11).
_load_order.guard()

# Chinese in figures: the course's CJK font becomes matplotlib's fallback now if matplotlib is imported,
# else as soon as it is, before the first figure (course/fonts.py); the drawing modules call it too.
from course import fonts as _fonts

_fonts.use_when_imported()

# public name -> module that defines it
_NAMES = {
    "sigmoid": "activations", "sigmoid_grad": "activations", "relu": "activations", "relu_grad": "activations",
    "tanh": "activations", "tanh_grad": "activations", "leaky_relu": "activations",
    "leaky_relu_grad": "activations", "softmax": "activations", "softmax_grad": "activations",
    "identity": "activations", "identity_grad": "activations",
    "dense_forward": "layers", "dense_backward": "layers", "activation_forward": "layers",
    "activation_backward": "layers",
    "softmax_cross_entropy": "losses", "binary_cross_entropy": "losses", "mse": "losses", "log_softmax": "losses",
    "forward_propagation": "network", "backpropagation": "network", "compute_loss": "network",
    "compute_gradients": "network", "MLP": "network",
    "SGD": "optim", "Momentum": "optim", "Adam": "optim",
    "numerical_gradient": "gradcheck", "relative_error": "gradcheck", "check_gradient": "gradcheck",
    "fit": "training", "evaluate": "training", "TrainingDiverged": "training",
    "load_mnist": "data", "toy_data": "data", "make_xor": "data", "make_circles": "data", "make_moons": "data",
    "make_spirals": "data", "make_blobs": "data", "read_idx": "data", "download_mnist_idx": "data",
    "load_mnist_idx": "data", "MNISTDownloadError": "data",
    "CourseInputError": "_validate", "check": "checks", "hint": "checks",
}

# submodules imported on first use as course.<name>; importing them imports no framework
_SUBMODULES = ("audio", "frameworks", "text")

__all__ = sorted([*_NAMES, *_SUBMODULES])


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)  # the import also sets course.<name>
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'course' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES) | set(_SUBMODULES))
