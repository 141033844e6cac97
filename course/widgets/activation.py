"""Activation explorer: f and f' together, with a tangent line at a movable x.

    >>> from course.widgets import ActivationExplorer
    >>> ActivationExplorer()          # in Jupyter: dropdown + sliders + live plot
"""
from __future__ import annotations

import numpy as np

from .. import activations as act
from .._validate import CourseInputError, choice, describe, positive_int
from ..i18n import _
from .base import Explorer, fixed_title, make_figure

LEAKY_ALPHA = 0.1  # larger than the layers' 0.01 so the leak is visible on the plot

# name -> (label, f, f'); f and f' come from course.activations
ACTIVATIONS = {
    "sigmoid": ("sigmoid", act.sigmoid, act.sigmoid_grad),
    "relu": ("ReLU", act.relu, act.relu_grad),
    "tanh": ("tanh", act.tanh, act.tanh_grad),
    "leaky_relu": (f"leaky ReLU (α = {LEAKY_ALPHA})",
                   lambda x: act.leaky_relu(x, LEAKY_ALPHA), lambda x: act.leaky_relu_grad(x, LEAKY_ALPHA)),
}


def _number(v, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v):
        raise CourseInputError(_("{name}: expected a finite number, got {got}.").format(name=name, got=describe(v)))
    return float(v)


def x_range_arg(x_range, name: str = "x_range") -> tuple[float, float]:
    """(lo, hi) with lo < hi, both finite."""
    if not isinstance(x_range, (tuple, list, np.ndarray)) or len(x_range) != 2:
        raise CourseInputError(_("{name}: expected two numbers (lo, hi), got {got}.")
                               .format(name=name, got=describe(x_range)))
    lo, hi = _number(x_range[0], name), _number(x_range[1], name)
    if not lo < hi:
        raise CourseInputError(_("{name}: expected lo < hi, got ({lo:g}, {hi:g}).").format(name=name, lo=lo, hi=hi))
    return lo, hi


def activation_frame(name="sigmoid", x=0.0, x_range=(-5.0, 5.0), n=401) -> dict:
    """Everything the activation plot shows, for activation `name` at point `x`.

    Returns a dict:
      xs (n,), f (n,), df (n,)       the curves f and f' over x_range
      x, fx, slope                   the point, f(x) and f'(x)
      tangent_x (2,), tangent_y (2,) the tangent y = f(x) + f'(x)(t - x) at both ends of x_range
      text                           one line: "sigmoid: f(0.50) = 0.622, slope f'(0.50) = 0.235"
    """
    name = choice(name, "name", tuple(ACTIVATIONS))
    lo, hi = x_range_arg(x_range)
    x = _number(x, "x")
    n = positive_int(n, "n", minimum=2)
    label, f, df = ACTIVATIONS[name]
    xs = np.linspace(lo, hi, n)
    fx, slope = float(f(np.array(x))), float(df(np.array(x)))
    tangent_x = np.array([lo, hi])
    return {
        "xs": xs, "f": f(xs), "df": df(xs), "x": x, "fx": fx, "slope": slope,
        "tangent_x": tangent_x, "tangent_y": fx + slope * (tangent_x - x),
        "text": _("{label}: f({x:.2f}) = {fx:.3f}, slope f'({x:.2f}) = {slope:.3f}").format(
            label=label, x=x, fx=fx, slope=slope),
    }


class ActivationView:
    """f (solid), f' (dashed), the point on each, and the tangent; artists made once."""

    def __init__(self, ax):
        self.ax = ax
        (self.f_line,) = ax.plot([], [], color="C0", lw=2, label="f(x)")
        (self.df_line,) = ax.plot([], [], color="C1", lw=2, ls="--", label="f'(x)")
        (self.tangent,) = ax.plot([], [], color="C2", lw=1.2, label=_("tangent at x"))
        (self.f_marker,) = ax.plot([], [], "o", color="C0", ms=8)
        (self.df_marker,) = ax.plot([], [], "o", color="C1", ms=6)
        self.vline = ax.axvline(0.0, color="0.6", lw=0.8, ls=":")
        ax.axhline(0.0, color="0.85", lw=0.8, zorder=0)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize="small")
        self.title = fixed_title(ax, fontsize="medium")

    def cache_static(self, area) -> None:
        """Draw what the x slider never changes from cached rasters: the ticks (which the
        x range and the choice of f do change: then only they are rendered again), and the
        frame and legend, which nothing changes."""
        area.static(self.ax.xaxis, self.ax.yaxis)
        area.static(*self.ax.spines.values(), self.ax.legend_)

    def show(self, fr: dict) -> None:
        self.f_line.set_data(fr["xs"], fr["f"])
        self.df_line.set_data(fr["xs"], fr["df"])
        self.tangent.set_data(fr["tangent_x"], fr["tangent_y"])
        self.f_marker.set_data([fr["x"]], [fr["fx"]])
        self.df_marker.set_data([fr["x"]], [fr["slope"]])
        self.vline.set_xdata([fr["x"], fr["x"]])
        lo, hi = fr["xs"][0], fr["xs"][-1]
        ymin, ymax = min(fr["f"].min(), fr["df"].min()), max(fr["f"].max(), fr["df"].max())
        pad = 0.1 * max(ymax - ymin, 1.0)
        if self.ax.get_xlim() != (lo, hi):
            self.ax.set_xlim(lo, hi)
        if self.ax.get_ylim() != (ymin - pad, ymax + pad):
            self.ax.set_ylim(ymin - pad, ymax + pad)
        self.title.set_text(fr["text"])


class ActivationExplorer(Explorer):
    """Dropdown (activation), x slider (marker + tangent), x-range slider.

    Attributes: `activation`, `x`, `x_range` (the widgets), `view`, `widget`, `status`, `errors`.
    """

    def __init__(self, name="sigmoid", x=0.5, x_range=(-5.0, 5.0), mode="auto"):
        import ipywidgets as w

        name = choice(name, "name", tuple(ACTIVATIONS))
        lo, hi = x_range_arg(x_range)
        x = _number(x, "x")
        if not lo <= x <= hi:
            raise CourseInputError(_("x: expected a value in x_range [{lo:g}, {hi:g}], got {x:g}.").format(lo=lo, hi=hi, x=x))
        self.activation = w.Dropdown(options=[(v[0], k) for k, v in ACTIVATIONS.items()], value=name,
                                     description="f")
        self.x = w.FloatSlider(value=x, min=lo, max=hi, step=0.01, description="x", continuous_update=True)
        self.x_range = w.FloatRangeSlider(value=(lo, hi), min=-10.0, max=10.0, step=0.5, description=_("x range"),
                                          readout_format=".1f")  # "-5.0 – 5.0" fits the readout box
        area = make_figure((6.0, 4.0), mode=mode)
        # The x-range slider changes the tick labels: fixed margins (room for "−0.75") instead
        # of a constrained-layout pass on every move of it.
        area.fix_margins(left=0.55, bottom=0.47, right=0.2, top=0.26)
        self.view = ActivationView(area.axes)
        self.view.cache_static(area)
        self._setup(area, [self.activation, self.x, self.x_range])

    def _render(self) -> str:
        lo, hi = x_range_arg(self.x_range.value)  # an empty range is an error shown to the learner
        if (self.x.min, self.x.max) != (lo, hi):
            with self.x.hold_trait_notifications():  # min/max checked together; clamps value
                self.x.min, self.x.max = lo, hi
        fr = activation_frame(self.activation.value, float(np.clip(self.x.value, lo, hi)), (lo, hi))
        self.view.show(fr)
        return fr["text"]
