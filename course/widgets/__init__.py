"""Interactive explorers for Jupyter (ipywidgets 8 + matplotlib, ipympl when available).

    >>> from course.widgets import (ActivationExplorer, NeuronExplorer, StepExplorer, DescentViewer,
    ...                             ForwardViewer, PlaygroundWidget)

Names are imported on first use: the frame functions (`activation_frame`,
`neuron_frame`, `step_frame`, `descent_paths`, ...) need NumPy only, and matplotlib
and ipywidgets are imported when an explorer is made.
"""
from __future__ import annotations

import importlib

_NAMES = {
    "ActivationExplorer": "activation", "activation_frame": "activation",
    "NeuronExplorer": "neuron", "StepExplorer": "neuron", "neuron_frame": "neuron", "step_frame": "neuron",
    "ForwardViewer": "forward", "forward_frame": "forward",
    "PlaygroundWidget": "playground", "playground_frame": "playground", "parse_layers": "playground",
    "DescentViewer": "descent", "descent_paths": "descent", "surface_frame": "descent", "SURFACES": "descent",
    "make_figure": "base", "snapshot": "base", "Snapshot": "base", "Throttle": "base", "Explorer": "base",
}

__all__ = sorted(_NAMES)


def __getattr__(name):
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'course.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES))
