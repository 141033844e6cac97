"""One neuron, sigmoid(w·x + b): its decision boundary on 2-D data, and its step in 1-D.

    >>> from course.widgets import NeuronExplorer, StepExplorer
    >>> NeuronExplorer("moons")   # sliders w1, w2, b move the boundary over the data
    >>> StepExplorer()            # sigmoid(w x + b) becomes a step at x = -b/w as w grows
"""
from __future__ import annotations

import numpy as np

from .._validate import CourseInputError, array, choice, labels, positive_int
from ..activations import sigmoid
from ..data import TOY_DATASETS, toy_data
from ..i18n import N_, _
from .activation import _number, x_range_arg
from .base import Explorer, fixed_title, make_figure

# The dataset menu's labels (translated where shown); the values stay the names toy_data takes.
DATASET_LABELS = {"xor": N_("xor"), "circles": N_("circles"), "moons": N_("moons"), "spirals": N_("spirals"),
                  "blobs": N_("blobs")}


def dataset_label(name: str) -> str:
    """The name of toy dataset `name` in the current language (the name itself if it has no label)."""
    return _(DATASET_LABELS.get(name, name))


def extent_of(X, margin: float = 0.5) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the bounding box of X (n, 2) plus `margin` on every side."""
    X = array(X, "X", ndim=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def boundary_segment(w1, w2, b, extent):
    """The line w1 x + w2 y + b = 0 as two end points (2, 2) at the edges of `extent`.

    The free coordinate is the one with the larger weight, so the segment stays
    finite. None when w1 = w2 = 0 (the output is sigmoid(b) everywhere: no boundary).
    """
    x0, x1, y0, y1 = extent
    if w1 == 0 and w2 == 0:
        return None
    if abs(w2) >= abs(w1):
        xs = np.array([x0, x1])
        return np.column_stack([xs, -(w1 * xs + b) / w2])
    ys = np.array([y0, y1])
    return np.column_stack([-(w2 * ys + b) / w1, ys])


def neuron_frame(w1, w2, b, X, y, extent=None, resolution=100) -> dict:
    """What the 2-D neuron plot shows.

    X: (n, 2) points, y: (n,) labels 0/1. Returns a dict:
      z (resolution, resolution)  sigmoid(w·p + b) on a grid over `extent`, rows = y (origin lower)
      extent (x0, x1, y0, y1)     defaults to the data's bounding box + 0.5
      boundary (2, 2) or None     end points of w·p + b = 0
      accuracy                    fraction of points with (w·x + b >= 0) == y
      text                        one line with w, b and the accuracy
    """
    w1, w2, b = _number(w1, "w1"), _number(w2, "w2"), _number(b, "b")
    X = array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise CourseInputError(_("X: expected 2 columns (points in the plane), got shape {shape}.").format(shape=X.shape))
    y = labels(y, "y", n_classes=2, n_rows=X.shape[0])
    resolution = positive_int(resolution, "resolution", minimum=2)
    if extent is None:
        extent = extent_of(X)
    (x0, x1), (y0, y1) = x_range_arg(extent[:2], "extent x"), x_range_arg(extent[2:], "extent y")
    gx, gy = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    z = sigmoid(w1 * gx[None, :] + w2 * gy[:, None] + b)
    accuracy = float(np.mean((X @ np.array([w1, w2]) + b >= 0) == (y == 1)))
    return {
        "z": z, "extent": (x0, x1, y0, y1), "boundary": boundary_segment(w1, w2, b, (x0, x1, y0, y1)),
        "accuracy": accuracy,
        "text": (_("w = ({w1:.2f}, {w2:.2f}), b = {b:.2f}: accuracy {accuracy:.1%}") if (w1 or w2) else
                 _("w = ({w1:.2f}, {w2:.2f}), b = {b:.2f}: accuracy {accuracy:.1%} (w = 0: no boundary)")
                 ).format(w1=w1, w2=w2, b=b, accuracy=accuracy),
    }


def step_frame(w, b, x_range=(-3.0, 3.0), n=601) -> dict:
    """sigmoid(w x + b) over x_range; for large |w| a step at x = -b/w.

    Returns xs (n,), ys (n,), step (float, -b/w; None if w = 0) and text.
    """
    w, b = _number(w, "w"), _number(b, "b")
    lo, hi = x_range_arg(x_range)
    n = positive_int(n, "n", minimum=2)
    xs = np.linspace(lo, hi, n)
    step = None if w == 0 else -b / w
    if step is None:
        text = _("w = {w:.1f}, b = {b:.1f}: no step (w = 0)").format(w=w, b=b)
    else:
        text = _("w = {w:.1f}, b = {b:.1f}: step at x = -b/w = {step:.3f}").format(w=w, b=b, step=step)
    return {"xs": xs, "ys": sigmoid(w * xs + b), "step": step, "text": text}


class NeuronView:
    """Heat map of the output, the data points, the boundary line; artists made once."""

    def __init__(self, ax, fig):
        self.ax = ax
        self.image = ax.imshow(np.zeros((2, 2)), origin="lower", extent=(0, 1, 0, 1), cmap="RdBu_r",
                               vmin=0.0, vmax=1.0, alpha=0.6, aspect="auto", interpolation="bilinear")
        self.points = ax.scatter([], [], c=[], cmap="RdBu_r", vmin=0, vmax=1, edgecolors="k", s=18, lw=0.5)
        (self.boundary,) = ax.plot([], [], color="k", lw=2, label="w·x + b = 0")
        self.colorbar = fig.colorbar(self.image, ax=ax, label="sigmoid(w·x + b)")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        self.title = fixed_title(ax, fontsize="medium")
        self.points_layer = None

    def cache_static(self, area) -> None:
        """Draw what the w and b sliders never change from cached rasters: the data points
        (between the heat map and the boundary line), the axes, labels and colour bar."""
        self.points_layer = area.static(self.points, parent=self.ax, zorder=self.points.get_zorder())
        area.static(self.ax.xaxis, self.ax.yaxis, *self.ax.spines.values(), self.colorbar.ax)

    def set_data(self, X, y) -> None:
        self.points.set_offsets(X)
        self.points.set_array(y.astype(float))
        if self.points_layer is not None:
            self.points_layer.invalidate()

    def show(self, fr: dict) -> None:
        self.image.set_data(fr["z"])
        seg = fr["boundary"]
        self.boundary.set_data(([], []) if seg is None else (seg[:, 0], seg[:, 1]))
        if tuple(self.image.get_extent()) != tuple(fr["extent"]):  # new data: new box
            self.image.set_extent(fr["extent"])
            self.ax.set_xlim(fr["extent"][:2])
            self.ax.set_ylim(fr["extent"][2:])
        self.title.set_text(fr["text"])


class NeuronExplorer(Explorer):
    """Sliders w1, w2, b and a dataset dropdown; heat map, boundary and accuracy.

    Widgets: `dataset`, `w1`, `w2`, `b`. Data: `X` (n, 2), `y` (n,) of the current dataset.
    """

    def __init__(self, dataset="moons", w1=1.0, w2=-1.0, b=0.0, n=200, noise=0.15, seed=0, mode="auto"):
        import ipywidgets as w

        dataset = choice(dataset, "dataset", tuple(TOY_DATASETS))
        self._data_args = dict(n=positive_int(n, "n", minimum=2), noise=noise, seed=seed)
        toy_data(dataset, **self._data_args)  # checks n, noise and seed now, not in a callback
        self.dataset = w.Dropdown(options=[(dataset_label(k), k) for k in TOY_DATASETS], value=dataset,
                                  description=_("data"))
        sl = dict(min=-10.0, max=10.0, step=0.1, continuous_update=True)
        self.w1 = w.FloatSlider(value=_number(w1, "w1"), description="w₁", **sl)
        self.w2 = w.FloatSlider(value=_number(w2, "w2"), description="w₂", **sl)
        self.b = w.FloatSlider(value=_number(b, "b"), description="b", **sl)
        area = make_figure((6.0, 4.6), mode=mode)
        self.view = NeuronView(area.axes, area.figure)
        self.view.cache_static(area)
        self._loaded = None
        self._setup(area, [self.dataset, self.w1, self.w2, self.b])

    def _render(self) -> str:
        if self._loaded != self.dataset.value:  # new data: new points and a new extent
            self.X, self.y = toy_data(self.dataset.value, **self._data_args)
            self.extent = extent_of(self.X)
            self.view.set_data(self.X, self.y)
            relayout = self._loaded is not None
            self._loaded = self.dataset.value
        else:
            relayout = False
        fr = neuron_frame(self.w1.value, self.w2.value, self.b.value, self.X, self.y, self.extent)
        self.view.show(fr)
        text = _("{dataset}: {text}").format(dataset=dataset_label(self.dataset.value), text=fr["text"])
        self.view.title.set_text(text)
        if relayout:
            self.area.relayout()
        return text


class StepView:
    """The curve sigmoid(w x + b) and a vertical line at the step -b/w."""

    def __init__(self, ax):
        self.ax = ax
        (self.curve,) = ax.plot([], [], color="C0", lw=2, label="sigmoid(w x + b)")
        self.step_line = ax.axvline(0.0, color="C3", ls="--", lw=1.2, label="x = -b/w")
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize="small")
        self.title = fixed_title(ax, fontsize="medium")

    def cache_static(self, area) -> None:
        """Draw what the sliders never change (axes, labels, legend) from a cached raster."""
        area.static(self.ax.xaxis, self.ax.yaxis, *self.ax.spines.values(), self.ax.legend_)

    def show(self, fr: dict) -> None:
        self.curve.set_data(fr["xs"], fr["ys"])
        if self.ax.get_xlim() != (fr["xs"][0], fr["xs"][-1]):
            self.ax.set_xlim(fr["xs"][0], fr["xs"][-1])
        if fr["step"] is None:
            self.step_line.set_visible(False)
        else:
            self.step_line.set_visible(True)
            self.step_line.set_xdata([fr["step"], fr["step"]])
        self.title.set_text(fr["text"])


class StepExplorer(Explorer):
    """Nielsen's visual proof, step one: make w large and the neuron is a step at -b/w.

    Widgets: `w`, `b`.
    """

    def __init__(self, w=8.0, b=4.0, x_range=(-3.0, 3.0), mode="auto"):
        import ipywidgets as widgets

        self._x_range = x_range_arg(x_range)
        self.w = widgets.FloatSlider(value=_number(w, "w"), min=-100.0, max=100.0, step=0.5, description="w")
        self.b = widgets.FloatSlider(value=_number(b, "b"), min=-100.0, max=100.0, step=0.5, description="b")
        area = make_figure((6.0, 3.2), mode=mode)
        self.view = StepView(area.axes)
        self.view.cache_static(area)
        self._setup(area, [self.w, self.b])

    def _render(self) -> str:
        fr = step_frame(self.w.value, self.b.value, self._x_range)
        self.view.show(fr)
        return fr["text"]
