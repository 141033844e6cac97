"""神经网络游乐场 in the notebook: the TensorFlow Playground as ipywidgets + matplotlib.

    >>> from course.widgets import PlaygroundWidget
    >>> pg = PlaygroundWidget("xor", hidden=[4, 4])
    >>> pg            # controls, heat map, neuron thumbnails, loss curves; ▶ trains in the background
    >>> pg.step()     # or the "Step" button: epochs_per_frame epochs, one redraw
    >>> s = pg.get_state(as_json=True)   # share it; PlaygroundWidget().set_state(s) continues exactly

The engine is :class:`course.playground.Playground` (NumPy only). This module has the
same three parts as the other explorers:

1. frame functions (`parse_layers`, `playground_frame`, `thumbnail_layout`): NumPy only;
2. :class:`PlaygroundView`: makes its artists once and moves them (set_data, set_offsets);
   the thumbnail axes are rebuilt only when the architecture changes;
3. :class:`PlaygroundWidget`: the controller. Training runs as an asyncio task on the
   kernel's event loop, so the Pause button is handled between two frames.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
import traceback

import numpy as np

from .._validate import CourseInputError, describe, positive_float, positive_int
from ..fonts import FAMILY
from ..i18n import N_, _
from ..playground import (
    ACTIVATIONS,
    DATASETS,
    DOMAIN,
    MAX_LAYERS,
    MAX_NEURONS,
    Playground,
)
from .base import Explorer, Throttle, _escape, error_message, make_figure

__all__ = [
    "FEATURE_LABELS",
    "LEARNING_RATES",
    "REG_RATES",
    "PlaygroundView",
    "PlaygroundWidget",
    "parse_layers",
    "playground_frame",
    "thumbnail_layout",
]

# The check boxes: engine name -> label (TF Playground's order).
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1x2": "x₁·x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
# TF Playground's menus.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# Menu labels (translated where shown) -> the engine's values.
REGULARIZATION_OPTIONS = ((N_("none"), "none"), ("L1", "L1"), ("L2", "L2"))
DATASET_LABELS = {"circle": N_("circle"), "xor": N_("xor"), "gauss": N_("gauss"), "spiral": N_("spiral"),
                  "moons": N_("moons")}
ACTIVATION_LABELS = {"tanh": N_("tanh"), "relu": N_("relu"), "sigmoid": N_("sigmoid"), "linear": N_("linear")}
STATE_KIND = "course.PlaygroundWidget"
# Button labels: glyphs that common fonts have (DejaVu Sans, which Debian's Chromium falls back
# to, has both; U+23F8 "⏸" is in almost no font and showed as an empty box).
# English, marked N_: shown as _(PLAY_LABEL).
PLAY_LABEL = N_("▶ Play")
PAUSE_LABEL = N_("❚❚ Pause")


# ---------------------------------------------------------------- frame functions (NumPy only)

def parse_layers(spec) -> tuple:
    """Hidden layer widths from what a learner types: "4, 2" -> (4, 2); "" or "0" -> () (no hidden layer).

    Also accepts a list/tuple of ints. At most 6 layers of 1 to 8 neurons; anything else
    raises CourseInputError with a message that says what was expected.
    """
    if isinstance(spec, (list, tuple)):
        parts = list(spec)
    elif isinstance(spec, str):
        text = spec.strip().strip("[]()").strip()
        if text in ("", "0"):
            return ()
        parts = []
        for piece in re.split(r"[,\s;]+", text):
            if not piece:
                continue
            if not re.fullmatch(r"[+-]?\d+", piece):
                raise CourseInputError(_("layers: expected whole numbers separated by commas like '4, 2', "
                                         "got {piece!r} in {spec!r}.").format(piece=piece, spec=spec))
            parts.append(int(piece))
    else:
        raise CourseInputError(_("layers: expected neurons per hidden layer like '4, 2', got {got}.")
                               .format(got=describe(spec)))
    if len(parts) > MAX_LAYERS:
        raise CourseInputError(_("layers: expected at most {most} hidden layers, got {got} in {spec!r}.")
                               .format(most=MAX_LAYERS, got=len(parts), spec=spec))
    for i, h in enumerate(parts):
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not 1 <= h <= MAX_NEURONS:
            raise CourseInputError(_("layers: expected 1 to {most} neurons in layer {layer}, got {got!r}.")
                                   .format(most=MAX_NEURONS, layer=i + 1, got=h))
    return tuple(int(h) for h in parts)


def format_layers(hidden) -> str:
    """(4, 2) -> "4, 2"; () -> "" (the text box's spelling)."""
    return ", ".join(str(int(h)) for h in hidden)


def playground_text(pg: Playground) -> str:
    """The one-line readout: epoch, train and test loss, test accuracy."""
    return _("epoch {epoch}: train loss {train:.3f}, test loss {test:.3f}, test accuracy {accuracy:.1%}").format(
        epoch=pg.epoch, train=pg.train_loss, test=pg.test_loss, accuracy=pg.accuracy())


def playground_frame(pg: Playground, resolution: int = 40, thumb_step: int = 2) -> dict:
    """What one picture of the playground shows (NumPy only).

    grid (r, r)            network output in [-1, 1] over [-6, 6]² (rows = x2, origin lower)
    neurons                per hidden layer, a list of (r', r') arrays (every `thumb_step`-th grid point)
    epochs, train, test    the loss curves (history)
    epoch, train_loss, test_loss, text
    """
    resolution = positive_int(resolution, "resolution", minimum=2)
    thumb_step = positive_int(thumb_step, "thumb_step")
    grid = pg.decision_grid(resolution)
    neurons = [[g[::thumb_step, ::thumb_step] for g in layer] for layer in pg.neuron_grids(resolution)]
    h = pg.history
    return {
        "grid": grid, "neurons": neurons,
        "epochs": np.asarray(h["epoch"], dtype=float), "train": np.asarray(h["train_loss"], dtype=float),
        "test": np.asarray(h["test_loss"], dtype=float),
        "epoch": pg.epoch, "train_loss": pg.train_loss, "test_loss": pg.test_loss, "text": playground_text(pg),
    }


def thumbnail_layout(hidden, box=(0.01, 0.06, 0.30, 0.86), fig_aspect=10.0 / 5.0, gap=0.15) -> list:
    """Axes rectangles [x, y, w, h] (figure fractions) for the neuron thumbnails.

    One column per hidden layer, one row per neuron (top to bottom), squares in inches.
    `box` = (x, y, w, h) of the region; `fig_aspect` = figure width / height. Returns one
    list of rectangles per layer.
    """
    hidden = tuple(hidden)
    if not hidden:
        return []
    x0, y0, bw, bh = box
    cols, rows = len(hidden), max(hidden)
    cell_w, cell_h = bw / cols, bh / rows
    side_h = min(cell_w * fig_aspect, cell_h) * (1.0 - gap)  # the square's side in height units
    side_w = side_h / fig_aspect
    out = []
    for c, n in enumerate(hidden):
        cx = x0 + (c + 0.5) * cell_w
        top = y0 + bh - 0.5 * (bh - n * cell_h)  # centre each column vertically
        out.append([[cx - side_w / 2, top - (r + 0.5) * cell_h - side_h / 2, side_w, side_h] for r in range(n)])
    return out


# ---------------------------------------------------------------- the view

class PlaygroundView:
    """Heat map + train/test points, loss curves, one thumbnail per hidden neuron.

    Artists are made once; `show(frame)` only moves them. `set_architecture(hidden)`
    removes and re-adds the thumbnail axes (only when the layer widths change).
    """

    # 8.2 inches = 820 pixels at 100 dpi: fits JupyterLab's output area in a 1280-pixel-wide
    # window with the file browser open (about 850 pixels), so the page never scrolls sideways.
    FIGSIZE = (8.2, 4.4)
    # Boxes in inches from the bottom left: thumbnails | heat map | loss curve and numbers.
    THUMB_BOX_IN = (0.05, 0.25, 2.4, 3.7)
    HEATMAP_IN = (2.75, 0.35, 3.4, 3.4)
    LOSS_IN = (6.35, 2.3, 1.75, 1.2)

    def __init__(self, area):
        from matplotlib.patches import Rectangle

        fig = self.fig = area.figure
        fig.set_layout_engine("none")  # fixed positions: no layout pass per draw
        W, H = fig.get_size_inches()

        def frac(x, y, w=0.0, h=0.0):  # inches -> figure fractions
            return [x / W, y / H, w / W, h / H][:4 if w or h else 2]

        self.THUMB_BOX = tuple(frac(*self.THUMB_BOX_IN))
        cmap = "RdBu"  # class 0 (t = -1) orange-red, class 1 (t = +1) blue, as TF Playground
        self.ax = fig.add_axes(frac(*self.HEATMAP_IN))
        self.image = self.ax.imshow(np.zeros((2, 2)), origin="lower", extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN),
                                    cmap=cmap, vmin=-1.0, vmax=1.0, alpha=0.75, interpolation="bilinear")
        common = {"cmap": cmap, "vmin": -1.0, "vmax": 1.0, "s": 14}
        self.train_points = self.ax.scatter([], [], c=[], edgecolors="white", linewidths=0.6, **common)
        self.test_points = self.ax.scatter([], [], c=[], edgecolors="black", linewidths=0.8, **common)
        self.ax.set_xlim(-DOMAIN, DOMAIN)
        self.ax.set_ylim(-DOMAIN, DOMAIN)
        self.ax.set_xticks([-6, 0, 6])
        self.ax.set_yticks([-6, 0, 6])
        self.ax.tick_params(labelsize="small", length=2, pad=1)
        x, y, w, h = self.HEATMAP_IN
        # Titles and legends are fig.text: an axes title costs a layout pass on every draw.
        texts = [fig.text(*frac(x + w / 2, y + h + 0.12), _("output (white edge: train, black edge: test)"),
                          fontsize="small", ha="center")]
        # The loss curve is a sparkline without axes, as on playground.tensorflow.org.
        x, y, w, h = self.LOSS_IN
        self.loss_ax = fig.add_axes(frac(x, y, w, h))
        self.loss_ax.set_axis_off()
        self.loss_ax.add_patch(Rectangle((0, 0), 1, 1, transform=self.loss_ax.transAxes, facecolor="0.96",
                                         edgecolor="0.7", lw=0.5))
        (self.train_curve,) = self.loss_ax.plot([], [], color="0.3", lw=1.2)
        (self.test_curve,) = self.loss_ax.plot([], [], color="C1", lw=1.2)
        texts += [fig.text(*frac(x, y + h + 0.1), _("loss:"), fontsize="small"),
                  fig.text(*frac(x + 0.42, y + h + 0.1), _("train"), fontsize="small", color="0.3"),
                  fig.text(*frac(x + 0.85, y + h + 0.1), _("test"), fontsize="small", color="C1")]
        # monospace for the numbers; the course's CJK font (course/fonts.py, registered by make_figure) for 汉字
        self.readout = fig.text(*frac(x, y - 0.15), "", fontsize="small", va="top", family=["monospace", FAMILY])
        self.thumb_axes: list = []
        self.thumbs: list = []
        self.thumb_labels: list = []
        self.hidden = None
        self._loss_limits = None
        # Drawn from cached rasters: what stays the same from one frame to the next. The data
        # points (above the heat map, below nothing) until the data change; the axes and the
        # fixed texts on top.
        self.points_layer = area.static(self.train_points, self.test_points, parent=self.ax, zorder=1)
        self.layer = area.static(self.ax.xaxis, self.ax.yaxis, *self.ax.spines.values(), *texts)

    def set_points(self, pg: Playground) -> None:
        self.train_points.set_offsets(pg.X_train)
        self.train_points.set_array(2.0 * pg.y_train - 1.0)
        self.test_points.set_offsets(pg.X_test)
        self.test_points.set_array(2.0 * pg.y_test - 1.0)
        self.points_layer.invalidate()

    def set_architecture(self, hidden) -> bool:
        """Rebuild the thumbnail axes for layer widths `hidden`; False (nothing done) if unchanged."""
        hidden = tuple(hidden)
        if hidden == self.hidden:
            return False
        self.layer.discard(*self.thumb_labels)
        for artist in (*self.thumb_axes, *self.thumb_labels):
            artist.remove()
        self.thumb_axes, self.thumbs, self.thumb_labels = [], [], []
        w, h = self.fig.get_size_inches()
        for c, column in enumerate(thumbnail_layout(hidden, self.THUMB_BOX, w / h)):
            layer = []
            # 6 columns: 0.4 inch each
            label = _("layer {n}").format(n=c + 1) if len(hidden) <= 4 else f"L{c + 1}"
            for r, rect in enumerate(column):
                ax = self.fig.add_axes(rect)
                ax.set_axis_off()  # no ticks, no spines: 48 axes must draw fast
                if r == 0:
                    self.thumb_labels.append(self.fig.text(rect[0] + rect[2] / 2, rect[1] + rect[3] + 0.01,
                                                           label, fontsize="x-small", ha="center"))
                layer.append(ax.imshow(np.zeros((2, 2)), origin="lower", cmap="RdBu", vmin=-1.0, vmax=1.0,
                                       extent=(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN), interpolation="nearest"))
                self.thumb_axes.append(ax)
            self.thumbs.append(layer)
        self.layer.add(*self.thumb_labels)
        self.hidden = hidden
        return True

    def show(self, fr: dict, activation: str = "tanh") -> None:
        self.image.set_data(fr["grid"])
        lo, hi = (0.0, 1.0) if activation == "sigmoid" else (-1.0, 1.0)
        for layer, grids in zip(self.thumbs, fr["neurons"]):
            for image, g in zip(layer, grids):
                if activation == "relu" or activation == "linear":  # unbounded: scale each to its own range
                    finite = np.abs(g[np.isfinite(g)])
                    m = float(finite.max()) if finite.size else 0.0
                    image.set_clim(-m if m > 0 else -1.0, m if m > 0 else 1.0)
                else:
                    image.set_clim(lo, hi)
                image.set_data(g)
        xs = fr["epochs"]
        self.train_curve.set_data(xs, fr["train"])
        self.test_curve.set_data(xs, fr["test"])
        finite = np.concatenate([fr["train"], fr["test"]])
        finite = finite[np.isfinite(finite)]
        top = max(float(finite.max()) * 1.05, 1e-3) if finite.size else 1.0
        limits = (0.0, max(float(xs[-1]), 1.0), 0.0, top)
        if limits != self._loss_limits:
            self.loss_ax.set_xlim(limits[:2])
            self.loss_ax.set_ylim(limits[2:])
            self._loss_limits = limits
        self.readout.set_text(_("epoch {epoch}\ntrain loss {train:.3f}\ntest loss  {test:.3f}").format(
            epoch=fr["epoch"], train=fr["train_loss"], test=fr["test_loss"]))


# ---------------------------------------------------------------- the controller

class PlaygroundWidget(Explorer):
    """The TensorFlow Playground in a notebook (神经网络游乐场).

    Widgets: `dataset`, `noise`, `train_ratio` (percent), `batch_size`, `feature_boxes`
    (dict name -> Checkbox), `layers` (Text "4, 2"), `activation`, `regularization`,
    `reg_rate`, `learning_rate`, `play_button` (ToggleButton), `step_button`,
    `reset_button`, `epoch_label`, `train_label`, `test_label`.
    Methods: play(), pause(), step(), reset(), run(epochs), get_state(), set_state(), snapshot().
    The engine is `self.pg` (a :class:`course.playground.Playground`).

    Changing the learning rate, regularisation or batch size keeps the network; the data,
    features, layers or activation rebuild it (epoch 0), as on playground.tensorflow.org.
    """

    def __init__(self, dataset="circle", *, hidden=(4, 2), features=("x1", "x2"), activation="tanh",
                 learning_rate=0.03, regularization="none", reg_rate=0.0, batch_size=10, noise=0.0,
                 train_ratio=0.5, n=500, seed=0, epochs_per_frame=5, max_fps=12.0, resolution=40,
                 mode="auto"):
        import ipywidgets as w

        self.epochs_per_frame = positive_int(epochs_per_frame, "epochs_per_frame")
        self.max_fps = positive_float(max_fps, "max_fps")
        self.resolution = positive_int(resolution, "resolution", minimum=4)
        # The engine validates every argument now, not in a callback.
        self.pg = Playground(dataset, n=n, noise=noise, train_ratio=train_ratio, features=features,
                             hidden=parse_layers(hidden), activation=activation, learning_rate=learning_rate,
                             regularization=regularization, reg_rate=reg_rate, batch_size=batch_size, seed=seed)
        pg = self.pg
        short = {"layout": w.Layout(width="250px"), "style": {"description_width": "80px"}}
        self.dataset = w.Dropdown(options=[(_(DATASET_LABELS.get(k, k)), k) for k in DATASETS], value=pg.dataset,
                                  description=_("data"), **short)
        self.noise = w.FloatSlider(value=min(float(pg.noise), 0.5), min=0.0, max=0.5, step=0.01,
                                   description=_("noise"), continuous_update=False, **short)
        self.train_ratio = w.IntSlider(value=round(pg.train_ratio * 100), min=10, max=90, step=5,
                                       description=_("train %"), continuous_update=False, **short)
        self.batch_size = w.IntSlider(value=min(pg.batch_size, 30), min=1, max=30, description=_("batch"),
                                      continuous_update=False, **short)
        self.feature_boxes = {name: w.Checkbox(value=name in pg.features, description=label, indent=False,
                                               layout=w.Layout(width="70px"))
                              for name, label in FEATURE_LABELS.items()}
        self.layers = w.Text(value=format_layers(pg.hidden), description=_("neurons"), continuous_update=False,
                             placeholder=_("e.g. 4, 2 (max 6 layers of 1-8)"), **short)
        self.activation = w.Dropdown(options=[(_(ACTIVATION_LABELS.get(k, k)), k) for k in ACTIVATIONS],
                                     value=pg.activation, description=_("activation"), **short)
        self.regularization = w.Dropdown(options=[(_(label), v) for label, v in REGULARIZATION_OPTIONS],
                                         value=pg.regularization, description=_("regularise"), **short)
        self.reg_rate = w.Dropdown(options=_menu(REG_RATES, pg.reg_rate), value=pg.reg_rate,
                                   description=_("reg. rate"), **short)
        self.learning_rate = w.Dropdown(options=_menu(LEARNING_RATES, pg.learning_rate), value=pg.learning_rate,
                                        description=_("learning rate"), **short)
        self.play_button = w.ToggleButton(value=False, description=_(PLAY_LABEL), tooltip=_("train / pause"),
                                          layout=w.Layout(width="90px"))
        self.step_button = w.Button(description=_("Step"), tooltip=_("{n} epochs").format(n=self.epochs_per_frame),
                                    layout=w.Layout(width="70px"))
        self.reset_button = w.Button(description=_("Reset"), tooltip=_("new random weights, epoch 0"),
                                     layout=w.Layout(width="70px"))
        self.epoch_label = w.HTML()
        self.train_label = w.HTML()
        self.test_label = w.HTML()

        area = make_figure(PlaygroundView.FIGSIZE, mode=mode)
        area.figure.delaxes(area.axes)
        self.view = PlaygroundView(area)
        area._layout = area.figure.get_layout_engine()  # fixed positions: relayout() does nothing
        self.area, self.text = area, ""
        self.status = w.HTML()
        self.errors = w.HTML(layout=w.Layout(display="none"))
        self.last_error = None
        self._traceback = ""
        self._quiet = False  # True while the code itself sets widget values
        self._rendering = False
        self._task = None
        self.frames = 0  # frames drawn by the training task (for benchmarks and tests)

        # wiring: every callback goes through _guard, so errors land in the error area
        self._redraw_throttle = Throttle(self.update, self.max_fps)
        for control in (self.dataset, self.noise, self.train_ratio):
            control.observe(self._guard(self._data_changed), names="value")
        for control in (*self.feature_boxes.values(), self.layers, self.activation):
            control.observe(self._guard(self._structure_changed), names="value")
        for control in (self.learning_rate, self.regularization, self.reg_rate, self.batch_size):
            control.observe(self._guard(self._settings_changed), names="value")
        self.play_button.observe(self._guard(self._play_toggled), names="value")
        self.step_button.on_click(self._guard(lambda _b: self.step()))
        self.reset_button.on_click(self._guard(lambda _b: self.reset()))

        self.widget = w.VBox([
            w.HBox([self.play_button, self.step_button, self.reset_button, self.epoch_label,
                    self.train_label, self.test_label]),
            w.HBox([w.VBox([self.dataset, self.noise, self.train_ratio, self.batch_size]),
                    w.VBox([self.layers, self.activation, self.learning_rate]),
                    w.VBox([self.regularization, self.reg_rate])]),
            w.HBox([w.Label(_("features:"), layout=w.Layout(width="auto", flex="0 0 auto", margin="0 8px 0 0")),
                    *self.feature_boxes.values()]),
            area.widget, self.status, self.errors,
        ])
        self.controls = [self.dataset, self.noise, self.train_ratio, self.batch_size, *self.feature_boxes.values(),
                         self.layers, self.activation, self.regularization, self.reg_rate, self.learning_rate]
        self.view.set_points(pg)
        self.update()

    # -- errors
    def _guard(self, fn):
        """Wrap a callback: skip it while the code sets widgets itself; show what it raises."""
        def callback(*args):
            if self._quiet:
                return
            try:
                fn(*args)
            except Exception as exc:  # shown to the learner, never swallowed
                self._show_error(exc)
        return callback

    def _show_error(self, exc: BaseException) -> None:
        self.last_error = exc
        self._traceback = traceback.format_exc()
        self.errors.value = f'<span style="color:#b00020">⚠ {_escape(error_message(exc))}</span>'
        self.errors.layout.display = None

    def _clear_error(self) -> None:
        self.last_error = None
        self.errors.value, self.errors.layout.display = "", "none"

    # -- callbacks
    def _data_changed(self, change=None) -> None:
        self.pg.configure(dataset=self.dataset.value, noise=float(self.noise.value),
                          train_ratio=self.train_ratio.value / 100.0)
        self.view.set_points(self.pg)
        self._clear_error()
        self._redraw_throttle()

    def _structure_changed(self, change=None) -> None:
        features = [name for name, box in self.feature_boxes.items() if box.value]
        if not features:
            raise CourseInputError(_("features: expected at least one ticked input feature, got none."))
        self.pg.configure(features=features, hidden=parse_layers(self.layers.value),
                          activation=self.activation.value)
        self._clear_error()
        self._redraw_throttle()

    def _settings_changed(self, change=None) -> None:
        self.pg.configure(learning_rate=float(self.learning_rate.value), regularization=self.regularization.value,
                          reg_rate=float(self.reg_rate.value), batch_size=int(self.batch_size.value))
        self._clear_error()  # the network is kept: nothing to redraw

    def _play_toggled(self, change) -> None:
        if change["new"]:
            self.play()
        else:
            self.pause()

    # -- drawing
    def update(self) -> None:
        """Recompute the frame and redraw now; errors go to the error area."""
        if self._rendering:
            return
        self._rendering = True
        try:
            self.text = self._render()
        except Exception as exc:
            self._show_error(exc)
            return
        finally:
            self._rendering = False
        self.status.value = _escape(self.text)
        self.area.redraw()

    def _render(self) -> str:
        pg = self.pg
        self.view.set_architecture(pg.hidden)
        fr = playground_frame(pg, self.resolution)
        self.view.show(fr, pg.activation)
        self.epoch_label.value = "<b>" + _escape(_("epoch {epoch:,}").format(epoch=pg.epoch)) + "</b>"
        self.train_label.value = _escape(_("train loss {loss:.3f}").format(loss=pg.train_loss))
        self.test_label.value = _escape(_("test loss {loss:.3f}").format(loss=pg.test_loss))
        return fr["text"]

    # -- actions (the buttons call these)
    def step(self, epochs=None) -> None:
        """Train `epochs` (default epochs_per_frame) epochs and redraw once."""
        self.pg.step(self.epochs_per_frame if epochs is None else positive_int(epochs, "epochs"))
        self.update()

    def run(self, epochs) -> None:
        """Train `epochs` epochs synchronously (no animation; blocks the kernel) and redraw once."""
        self.step(epochs)

    def reset(self) -> None:
        """New random weights, epoch 0 (keeps the settings; keeps playing if it was)."""
        self.pg.reset()
        self.update()

    @property
    def playing(self) -> bool:
        return self._task is not None and not self._task.done()

    def play(self):
        """Start training in the background on the running event loop (the kernel's); returns the task."""
        if self.playing:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._set_toggle(False)
            raise CourseInputError(_("play: needs a running event loop (a Jupyter kernel); "
                                     "use step() or run(epochs) in plain Python.")) from None
        self._set_toggle(True)
        self._task = loop.create_task(self._train())
        return self._task

    def pause(self) -> None:
        """Stop training after the current frame (at once if it is waiting between frames)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        self._set_toggle(False)

    def _set_toggle(self, value: bool) -> None:
        self._quiet = True
        try:
            self.play_button.value = value
            self.play_button.description = _(PAUSE_LABEL if value else PLAY_LABEL)
        finally:
            self._quiet = False

    async def _train(self) -> None:
        interval = 1.0 / self.max_fps
        try:
            while True:
                start = time.perf_counter()
                self.pg.step(self.epochs_per_frame)
                self.update()
                self.frames += 1
                if self.last_error is not None:  # the frame failed: stop, keep the message
                    break
                # Always yield to the loop, so button clicks (Pause) are handled between frames.
                await asyncio.sleep(max(interval - (time.perf_counter() - start), 0.001))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown, never swallowed
            self._show_error(exc)
        if self._task is asyncio.current_task():
            self._task = None
            self._set_toggle(False)

    # -- sharing
    def get_state(self, as_json: bool = False):
        """Everything to reproduce this playground: the engine's state plus the UI settings.

        A dict of plain JSON types, or a JSON string with as_json=True.
        """
        state = {"kind": STATE_KIND, "version": 1, "engine": self.pg.get_state(),
                 "ui": {"epochs_per_frame": self.epochs_per_frame, "max_fps": self.max_fps,
                        "resolution": self.resolution}}
        return json.dumps(state) if as_json else state

    def set_state(self, state) -> PlaygroundWidget:
        """Restore get_state() (a dict or a JSON string; a bare Playground.get_state() works too).

        Training is paused; the controls are set to the restored settings.
        """
        if isinstance(state, (str, bytes)):
            try:
                state = json.loads(state)
            except ValueError as e:
                raise CourseInputError(_("state: expected JSON from get_state(as_json=True), got unreadable text "
                                         "({error}).").format(error=e)) from None
        if not isinstance(state, dict):
            raise CourseInputError(_("state: expected a dict or JSON string from get_state(), got {got}.")
                                   .format(got=describe(state)))
        engine, ui = (state.get("engine"), state.get("ui", {})) if "engine" in state else (state, {})
        if not isinstance(ui, dict):
            raise CourseInputError(_("state ui: expected a dict of UI settings, got {got}.").format(got=describe(ui)))
        epf = positive_int(ui.get("epochs_per_frame", self.epochs_per_frame), "state epochs_per_frame")
        fps = positive_float(ui.get("max_fps", self.max_fps), "state max_fps")
        res = positive_int(ui.get("resolution", self.resolution), "state resolution", minimum=4)
        self.pause()
        self.pg.set_state(engine)  # validates everything before the UI is touched
        self.epochs_per_frame, self.max_fps, self.resolution = epf, fps, res
        self._redraw_throttle = Throttle(self.update, fps)
        self._sync_controls()
        self.view.set_points(self.pg)
        self._clear_error()
        self.update()
        return self

    def _sync_controls(self) -> None:
        """Set every control to the engine's settings without triggering callbacks."""
        pg = self.pg
        self._quiet = True
        try:
            self.dataset.value = pg.dataset
            self.noise.value = min(float(pg.noise), self.noise.max)
            self.train_ratio.value = round(pg.train_ratio * 100)
            self.batch_size.value = min(pg.batch_size, self.batch_size.max)
            for name, box in self.feature_boxes.items():
                box.value = name in pg.features
            self.layers.value = format_layers(pg.hidden)
            self.activation.value = pg.activation
            self.regularization.value = pg.regularization
            self.reg_rate.options = _menu(REG_RATES, pg.reg_rate)
            self.reg_rate.value = pg.reg_rate
            self.learning_rate.options = _menu(LEARNING_RATES, pg.learning_rate)
            self.learning_rate.value = pg.learning_rate
        finally:
            self._quiet = False

    def __del__(self):  # pragma: no cover - best effort
        task = getattr(self, "_task", None)
        if task is not None and not task.done():
            task.cancel()


def _menu(values, current) -> list:
    """A dropdown's options: the standard values plus `current` if it is not one of them."""
    values = sorted({float(v) for v in values} | {float(current)})
    return [(f"{v:g}", v) for v in values]
