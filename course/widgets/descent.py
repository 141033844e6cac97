"""Gradient descent on a 2-D loss surface: SGD, momentum and Adam side by side.

After Distill's "Why Momentum Really Works": on an ill-conditioned valley plain
gradient descent zig-zags across and crawls along; momentum keeps the speed.

    >>> from course.widgets import DescentViewer, descent_paths
    >>> descent_paths("quadratic", start=(-4, 2), lr=0.02, momentum=0.9, steps=3)["SGD"].shape
    (4, 2)
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import CourseInputError, array, choice, positive_float, positive_int
from ..i18n import N_, _
from ..optim import SGD, Adam, Momentum
from .base import Explorer, fixed_title, make_figure

MAX_STEPS = 10_000
DIVERGED = 1e6  # |p| beyond this counts as diverged; the rest of the path is NaN


class Surface:
    """A loss f(x, y) with its gradient, a plot box and sensible defaults.

    label: English, marked N_ where defined; shown as _(label).

    grad_xy(x, y) -> (dx, dy) on Python floats; grad(p) is the same on a NumPy (2,) array.
    """

    def __init__(self, label, f, grad_xy, extent, start, lr, steps, minimum):
        self.label, self.f, self.grad_xy = label, f, grad_xy
        self.extent, self.start, self.lr, self.steps, self.minimum = extent, start, lr, steps, minimum

    def grad(self, p) -> np.ndarray:
        return np.array(self.grad_xy(float(p[0]), float(p[1])))


def _quadratic(x, y):
    return 0.5 * (x * x + 20.0 * y * y)


def _rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x, y):
    return -2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)


SURFACES = {
    # condition number 20: the curvature across the valley is 20x the one along it
    "quadratic": Surface(N_("ill-conditioned quadratic ½(x² + 20y²)"), _quadratic,
                         lambda x, y: (x, 20.0 * y),
                         (-5.0, 5.0, -3.0, 3.0), (-4.5, 2.0), 0.02, 50, (0.0, 0.0)),
    "rosenbrock": Surface(N_("Rosenbrock (1-x)² + 100(y-x²)²"), _rosenbrock, _rosenbrock_grad,
                          (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0), 1e-3, 300, (1.0, 1.0)),
}


def _surface(surface) -> Surface:
    return SURFACES[choice(surface, "surface", tuple(SURFACES))]


def surface_frame(surface="quadratic", resolution=120) -> dict:
    """The contour plot's data: X, Y, Z (resolution, resolution), log-spaced `levels`,
    `extent` (x0, x1, y0, y1), `minimum` (2,) and `label`."""
    s = _surface(surface)
    resolution = positive_int(resolution, "resolution", minimum=2)
    x0, x1, y0, y1 = s.extent
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = s.f(X, Y)
    levels = np.geomspace(max(Z.min(), 1e-3 * Z.max(), 1e-3), Z.max(), 15)
    return {"X": X, "Y": Y, "Z": Z, "levels": levels, "extent": s.extent, "minimum": np.array(s.minimum),
            "label": _(s.label)}


def _check_path_args(surface, start, lr, momentum, steps):
    s = _surface(surface)
    start = array(start, "start", ndim=1)
    if start.shape != (2,):
        raise CourseInputError(_("start: expected 2 numbers (x, y), got shape {shape}.").format(shape=start.shape))
    lr = positive_float(lr, "lr")
    momentum = positive_float(momentum, "momentum", allow_zero=True)
    if momentum >= 1:
        raise CourseInputError(_("momentum: expected a number in [0, 1), got {got}.").format(got=momentum))
    steps = positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise CourseInputError(_("steps: expected at most {most}, got {got}.").format(most=MAX_STEPS, got=steps))
    return s, start.astype(np.float64), lr, momentum, steps


def descent_paths(surface, start, lr, momentum, steps) -> dict:
    """Paths of SGD, Momentum and Adam from `start`, `steps` steps each.

    start: 2 numbers; lr > 0 (the same for all three); momentum in [0, 1) (Momentum's μ).
    Returns {"SGD": (steps+1, 2), "Momentum": (steps+1, 2), "Adam": (steps+1, 2)};
    row 0 is the start. A path that diverges (|p| > 1e6 or inf) is NaN from there on.

    The updates are those of course.optim's SGD, Momentum and Adam (betas 0.9, 0.999,
    eps 1e-8), written out on two Python floats: the same operations in the same order,
    so the paths are bit for bit those of :func:`reference_paths` (which calls
    course.optim; the tests check it), about ten times faster, which keeps the
    sliders live.
    """
    s, start, lr, mu, steps = _check_path_args(surface, start, lr, momentum, steps)
    grad = s.grad_xy
    x0, y0 = float(start[0]), float(start[1])
    paths = {name: np.full((steps + 1, 2), np.nan) for name in ("SGD", "Momentum", "Adam")}
    for path in paths.values():
        path[0] = x0, y0

    # SGD (optim.SGD): p -= lr * g
    path, x, y = paths["SGD"], x0, y0
    for t in range(1, steps + 1):
        gx, gy = grad(x, y)
        x -= lr * gx
        y -= lr * gy
        if not (abs(x) <= DIVERGED and abs(y) <= DIVERGED):  # also catches NaN and inf
            break
        path[t] = x, y

    # Momentum (optim.Momentum): v = g at the first step, then v = mu v + g; p -= lr * v
    path, x, y = paths["Momentum"], x0, y0
    vx = vy = 0.0
    for t in range(1, steps + 1):
        gx, gy = grad(x, y)
        if t == 1:
            vx, vy = gx, gy
        else:
            vx = vx * mu + gx
            vy = vy * mu + gy
        x -= lr * vx
        y -= lr * vy
        if not (abs(x) <= DIVERGED and abs(y) <= DIVERGED):
            break
        path[t] = x, y

    # Adam (optim.Adam): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²;
    # p -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)
    b1, b2, eps = 0.9, 0.999, 1e-8
    path, x, y = paths["Adam"], x0, y0
    mx = my = vx = vy = 0.0
    for t in range(1, steps + 1):
        gx, gy = grad(x, y)
        mx = mx * b1 + gx * (1 - b1)
        my = my * b1 + gy * (1 - b1)
        vx = vx * b2 + gx * gx * (1 - b2)
        vy = vy * b2 + gy * gy * (1 - b2)
        step_size = lr / (1 - b1 ** t)
        scale = 1 / math.sqrt(1 - b2 ** t)
        x -= mx / (math.sqrt(vx) * scale + eps) * step_size
        y -= my / (math.sqrt(vy) * scale + eps) * step_size
        if not (abs(x) <= DIVERGED and abs(y) <= DIVERGED):
            break
        path[t] = x, y
    return paths


def reference_paths(surface, start, lr, momentum, steps) -> dict:
    """The same paths as :func:`descent_paths`, computed by calling course.optim's optimisers.

    The definition that descent_paths must reproduce exactly (one optimiser step per
    call, with its argument checks: slower). Same arguments and result.
    """
    s, start, lr, momentum, steps = _check_path_args(surface, start, lr, momentum, steps)
    optimisers = {"SGD": SGD(lr), "Momentum": Momentum(lr, momentum), "Adam": Adam(lr)}
    paths = {}
    for name, opt in optimisers.items():
        p = start.copy()
        path = np.full((steps + 1, 2), np.nan)
        path[0] = p
        with np.errstate(over="ignore", invalid="ignore"):
            for t in range(1, steps + 1):
                opt.step([p], [s.grad(p)])
                if not np.all(np.isfinite(p)) or np.abs(p).max() > DIVERGED:
                    break
                path[t] = p
        paths[name] = path
    return paths


def path_summary(surface, paths: dict) -> str:
    """One line: the final loss of each path, or the step at which it diverged."""
    s = _surface(surface)
    parts = []
    for name, path in paths.items():
        ok = np.isfinite(path[:, 0])
        last = path[ok][-1]
        if ok.all():
            parts.append(f"{name} {s.f(*last):.3g}")
        else:
            parts.append(_("{name} diverged at step {step}").format(name=name, step=int(ok.sum())))
    return _("loss after {steps} steps: {losses}").format(steps=len(next(iter(paths.values()))) - 1,
                                                           losses=", ".join(parts))


class DescentView:
    """Contours (re-made only when the surface changes), the start, the minimum, three paths."""

    COLORS = {"SGD": "C3", "Momentum": "C0", "Adam": "C2"}

    def __init__(self, area):
        ax = self.ax = area.axes
        self.contours = None
        self.lines = {name: ax.plot([], [], "-o", color=c, ms=2.5, lw=1.4, label=name)[0]
                      for name, c in self.COLORS.items()}
        (self.start,) = ax.plot([], [], "ks", ms=7, label=_("start"))
        (self.minimum,) = ax.plot([], [], "k*", ms=12, label=_("minimum"))
        ax.legend(loc="lower right", fontsize="small")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        self.title = fixed_title(ax, fontsize="small")
        # Cached rasters of what the sliders never move: the contours under the paths,
        # and the axes, labels, legend and the minimum on top.
        self.surface_layer = area.static(parent=ax, zorder=0)
        area.static(ax.xaxis, ax.yaxis, *ax.spines.values(), ax.legend_, self.minimum)

    def show_surface(self, sf: dict) -> None:
        if self.contours is not None:
            self.surface_layer.discard(self.contours)
            self.contours.remove()
        self.contours = self.ax.contour(sf["X"], sf["Y"], sf["Z"], levels=sf["levels"], cmap="viridis",
                                        linewidths=0.8, zorder=0)
        self.surface_layer.add(self.contours)
        self.minimum.set_data(sf["minimum"][:1], sf["minimum"][1:])
        self.ax.set_xlim(sf["extent"][:2])
        self.ax.set_ylim(sf["extent"][2:])

    def show_paths(self, start, paths: dict, title: str) -> None:
        self.start.set_data([start[0]], [start[1]])
        for name, path in paths.items():
            self.lines[name].set_data(path[:, 0], path[:, 1])
        self.title.set_text(title)


class DescentViewer(Explorer):
    """Dropdown surface; sliders lr (log scale), momentum, steps, start x and y.

    Clicking on the plot (ipympl) moves the start there. Widgets: `surface`, `lr`,
    `momentum`, `steps`, `x0`, `y0`. The last paths are in `self.paths`.
    """

    def __init__(self, surface="quadratic", lr=None, momentum=0.9, steps=None, start=None, mode="auto"):
        import ipywidgets as w

        s = _surface(surface)
        lr = s.lr if lr is None else positive_float(lr, "lr")
        steps = s.steps if steps is None else positive_int(steps, "steps")
        start = s.start if start is None else tuple(array(start, "start", ndim=1))
        descent_paths(surface, start, lr, momentum, steps)  # validates every argument up front
        self.surface = w.Dropdown(options=[(_(v.label), k) for k, v in SURFACES.items()], value=surface,
                                  description=_("loss"))
        self.lr = w.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.05, description=_("lr"),
                                   readout_format=".2g")
        self.momentum = w.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description=_("momentum"))
        self.steps = w.IntSlider(value=steps, min=1, max=1000, description=_("steps"))
        x0, x1, y0, y1 = s.extent
        self.x0 = w.FloatSlider(value=start[0], min=x0, max=x1, step=0.05, description=_("start x"))
        self.y0 = w.FloatSlider(value=start[1], min=y0, max=y1, step=0.05, description=_("start y"))
        area = make_figure((6.0, 4.6), mode=mode)
        self.view = DescentView(area)
        self._shown_surface = None
        self._computed = (None, None)  # (surface, start, lr, momentum), their paths for steps.max steps
        area.figure.canvas.mpl_connect("button_press_event", self.on_click)
        self._setup(area, [self.surface, self.lr, self.momentum, self.steps, self.x0, self.y0])

    def on_click(self, event) -> None:
        """A click inside the axes moves the start point there (one redraw)."""
        if event.inaxes is not self.view.ax or event.xdata is None:
            return
        with self.x0.hold_trait_notifications(), self.y0.hold_trait_notifications():
            self._rendering = True  # two slider changes, one update
            try:
                self.x0.value, self.y0.value = event.xdata, event.ydata
            finally:
                self._rendering = False
        self._changed()

    def _render(self) -> str:
        name = self.surface.value
        if self._shown_surface != name:  # a new surface: new contours, its own defaults
            s = SURFACES[name]
            self.view.show_surface(surface_frame(name))
            if self._shown_surface is not None:
                x0, x1, y0, y1 = s.extent
                for slider, lo, hi, v in ((self.x0, x0, x1, s.start[0]), (self.y0, y0, y1, s.start[1])):
                    with slider.hold_trait_notifications():
                        slider.min, slider.max, slider.value = lo, hi, v
                self.lr.value, self.steps.value = s.lr, s.steps
                self.area.relayout()
            self._shown_surface = name
        start = (self.x0.value, self.y0.value)
        steps = self.steps.value
        key = (name, start, self.lr.value, self.momentum.value)
        computed_for, full = self._computed
        if computed_for != key or len(full["SGD"]) <= steps:
            # Once for the longest path the slider allows: moving `steps` only cuts it shorter.
            # (The first n steps of a longer run are exactly the n-step run.)
            full = descent_paths(name, start, key[2], key[3], max(steps, min(self.steps.max, MAX_STEPS)))
            self._computed = (key, full)
        self.paths = {k: path[:steps + 1].copy() for k, path in full.items()}
        text = path_summary(name, self.paths)
        self.view.show_paths(start, self.paths, f"lr = {self.lr.value:.2g}, μ = {self.momentum.value:.2f}\n{text}")
        return text
