"""What every explorer shares: the figure, the redraw throttle, the error area, snapshots.

An explorer is three parts:

1. frame functions (in each module): parameters -> the numbers to draw; NumPy only.
2. a view: creates its matplotlib artists once, then moves them (set_data, set_array).
   What does not change when a slider moves (axes, tick labels, legends, colour bars,
   contour lines) goes into a :class:`~course.widgets.layer.StaticLayer`: drawn once into
   a cached raster and composited on every redraw, so a redraw renders only what moves.
3. a controller (:class:`Explorer` subclasses): ipywidgets -> frame -> view -> redraw.

matplotlib and ipywidgets are imported only when a figure or an explorer is made,
so the frame functions can be imported (and tested) with NumPy alone.
"""
from __future__ import annotations

import base64
import importlib.util
import io
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import NamedTuple

from .._validate import CourseInputError, choice, describe, positive_float
from ..i18n import _

MODES = ("auto", "ipympl", "output", "static")


def in_kernel() -> bool:
    """True inside a Jupyter kernel (not plain Python, not a terminal IPython)."""
    ipython = sys.modules.get("IPython")  # never imported just to ask
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _resolve_mode(mode: str) -> str:
    mode = choice(mode, "mode", MODES)
    if mode != "auto":
        return mode
    if not in_kernel():
        return "static"
    return "ipympl" if importlib.util.find_spec("ipympl") is not None else "output"


class FigureArea:
    """A matplotlib figure plus the widget that shows it.

    mode "ipympl": the figure's canvas *is* an ipympl widget; redraw = draw_idle().
    mode "output": an ipywidgets.Output that gets the Agg figure re-displayed as a PNG.
    mode "static": no kernel; the Agg canvas is drawn, nothing is shown live.
    """

    def __init__(self, figure, axes, widget, mode: str):
        self.figure, self.axes, self.widget, self.mode = figure, axes, widget, mode
        self._layout = None  # the constrained-layout engine, once the layout is frozen
        self.layers: list = []  # the StaticLayers of this figure

    def static(self, *artists, parent=None, zorder: float = 100.0):
        """Draw `artists` from a cached raster from now on; see :class:`course.widgets.layer.StaticLayer`.

        parent: None puts the layer on the figure, above every axes (for axes
        decorations: axes, tick labels, legends, colour bars, fixed texts); an Axes puts it
        inside that axes at `zorder` (e.g. contour lines under the moving paths).
        Returns the layer.
        """
        from .layer import StaticLayer

        layer = StaticLayer(artists, zorder=zorder)
        (self.figure if parent is None else parent).add_artist(layer)
        self.layers.append(layer)
        return layer

    def fix_margins(self, left: float, bottom: float, right: float, top: float) -> None:
        """Place the axes with fixed margins (inches) instead of constrained layout.

        For a figure whose tick labels change with a slider: the margins leave room for
        the widest labels, so moving the slider never needs a layout pass.
        relayout() then does nothing but refresh the static layers.
        """
        w, h = self.figure.get_size_inches()
        self.figure.set_layout_engine(None)  # no engine at all (subplots_adjust refuses "none")
        self.figure.subplots_adjust(left=left / w, bottom=bottom / h, right=1 - right / w, top=1 - top / h)
        self._layout = _FixedLayout()

    def relayout(self) -> None:
        """Run constrained layout once now and keep the positions fixed afterwards.

        Constrained layout on every draw costs about half of a redraw; the explorers
        call this only when something changes the layout (new range, new data).
        """
        if self._layout is None:
            self._layout = self.figure.get_layout_engine()
            self._layout.execute(self.figure)
            self.figure.set_layout_engine("none")
        else:
            self._layout.execute(self.figure)
        for layer in self.layers:
            layer.invalidate()

    def redraw(self) -> None:
        if self.mode == "output":
            # Set the Output's contents directly: `with output: display(...)` relies on the
            # front end routing messages and misfires from inside a slider callback.
            png = base64.b64encode(self.png()).decode("ascii")
            self.widget.outputs = ({"output_type": "display_data", "metadata": {},
                                    "data": {"image/png": png, "text/plain": "<course figure>"}},)
        else:
            self.figure.canvas.draw_idle()

    def png(self, dpi: float | None = None) -> bytes:
        """The current figure as PNG bytes (rendered with Agg)."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()


class _FixedLayout:
    """The layout of fix_margins(): nothing to compute."""

    def execute(self, figure) -> None:
        pass


def make_figure(figsize=(6.0, 4.0), ncols: int = 1, mode: str = "auto") -> FigureArea:
    """A figure with `ncols` axes side by side, on the best canvas available.

    Not registered with pyplot (no plt.figure), so it never shows up twice in a
    notebook and is freed with its explorer. axes: one Axes, or a list if ncols > 1.
    """
    from matplotlib.figure import Figure

    from .. import fonts

    fonts.use()  # Chinese labels draw with the course's CJK font (course/fonts.py)
    mode = _resolve_mode(mode)
    if (not isinstance(figsize, (tuple, list)) or len(figsize) != 2
            or not all(isinstance(v, (int, float)) and v > 0 for v in figsize)):
        raise CourseInputError(_("figsize: expected (width, height) in inches, both > 0, got {got}.")
                               .format(got=describe(figsize)))
    fig = Figure(figsize=tuple(figsize), layout="constrained")
    if mode == "ipympl":
        Canvas, FigureManager = _ipympl_classes()
        canvas = Canvas(fig)
        with warnings.catch_warnings():  # ipympl's Toolbar trips a traitlets DeprecationWarning
            warnings.simplefilter("ignore", DeprecationWarning)
            FigureManager(canvas, 0)  # gives the canvas its toolbar; pyplot never sees it
        canvas.header_visible = canvas.footer_visible = canvas.resizable = False
        canvas.toolbar_visible = False
        widget = canvas
    else:
        import ipywidgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        widget = ipywidgets.Output()
    axes = fig.subplots(1, ncols, squeeze=True)
    return FigureArea(fig, list(axes) if ncols > 1 else axes, widget, mode)


def _ipympl_classes():
    """ipympl's Canvas and FigureManager, imported without switching pyplot's backend.

    Importing the ipympl package calls matplotlib.use("module://ipympl.backend_nbagg"):
    every later plt.show() in the notebook would become a full-width ipympl canvas instead
    of the inline PNG. matplotlib.use is a no-op during the import, so pyplot's backend,
    rcParams and figures stay as the learner set them; the classes need no backend.
    """
    import matplotlib

    use = matplotlib.use
    matplotlib.use = lambda *args, **kwargs: None
    try:
        from ipympl.backend_nbagg import Canvas, FigureManager
    finally:
        matplotlib.use = use
    return Canvas, FigureManager


def fixed_title(ax, text: str = "", **kwargs):
    """Set the axes title at a fixed height (y = 1) and return the Text.

    Afterwards `title.set_text(...)` is all an update needs: with the height fixed,
    matplotlib skips measuring every tick label to place the title on each draw.
    """
    ax.set_title(text, y=1.0, **kwargs)
    return ax.title


def _asyncio_later(delay, callback) -> bool:
    """Schedule callback on the running event loop (the kernel's); False if there is none."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_later(delay, callback)
    return True


class Throttle:
    """Call `fn` at most `max_per_second` times a second; the last request always runs.

    A request inside the quiet interval is deferred to its end (one pending call at
    most, which then uses the newest slider values). With no event loop to defer to
    (plain Python, tests) every request runs at once.
    schedule(delay, callback) -> bool and clock() are injectable for tests.
    """

    def __init__(self, fn, max_per_second: float = 15.0, clock=time.monotonic, schedule=_asyncio_later):
        self.fn, self.clock, self.schedule = fn, clock, schedule
        self.interval = 1.0 / positive_float(max_per_second, "max_per_second")
        self._last = -float("inf")
        self.pending = False

    def __call__(self) -> None:
        wait = self._last + self.interval - self.clock()
        if wait <= 0:
            self._run()
        elif not self.pending:
            self.pending = self.schedule(wait, self._run)
            if not self.pending:
                self._run()

    def _run(self) -> None:
        self.pending = False
        self._last = self.clock()
        self.fn()


class Snapshot(NamedTuple):
    """A static picture of an explorer: `png` bytes and one line of `text`."""

    png: bytes
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}


def snapshot(widget, path=None) -> Snapshot:
    """PNG + one line of text of an explorer (or of a bare matplotlib Figure).

    path: also write the PNG there (str or Path). Works without a kernel.
    """
    if isinstance(widget, Explorer):
        png, text = widget.area.png(), widget.text
    elif hasattr(widget, "savefig"):
        buf = io.BytesIO()
        widget.savefig(buf, format="png")
        png, text = buf.getvalue(), _("<Figure with {n} axes>").format(n=len(widget.axes))
    else:
        raise CourseInputError(_("widget: expected an explorer or a matplotlib Figure, got {got}.")
                               .format(got=describe(widget)))
    if path is not None:
        if not isinstance(path, (str, Path)):
            raise CourseInputError(_("path: expected a file path (str or Path), got {got}.").format(got=describe(path)))
        Path(path).write_bytes(png)
    return Snapshot(png, text)


def error_message(exc: BaseException) -> str:
    """One line for the learner: our own errors as they are, others with their type."""
    if isinstance(exc, CourseInputError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class Explorer:
    """Controller base: wires `controls` to `_render()` and shows text and errors.

    Subclasses build their view, then call `_setup(area, controls)`. `_render()`
    reads the widget values, computes a frame, moves the artists and returns the
    one-line readout. Anything it raises is shown in `self.errors` (in red) and kept in
    `self.last_error`; the figure keeps its last good state.
    """

    area: FigureArea

    def _setup(self, area: FigureArea, controls: list, max_per_second: float = 15.0) -> None:
        import ipywidgets as w

        self.area, self.controls = area, list(controls)
        self.status = w.HTML()
        self.errors = w.HTML(layout=w.Layout(display="none"))
        self.last_error: BaseException | None = None
        self.text = ""
        self._rendering = False
        self.widget = w.VBox([w.HBox(self.controls[:3]), w.HBox(self.controls[3:]), area.widget,
                              self.status, self.errors])
        self._throttle = Throttle(self.update, max_per_second)
        for control in self.controls:
            control.observe(self._changed, names="value")
        self.update()

    def _changed(self, change=None) -> None:
        if not self._rendering:  # _render itself may move a slider (e.g. new bounds)
            self._throttle()

    def update(self) -> None:
        """Recompute and redraw now (the sliders call this through the throttle)."""
        self._rendering = True
        try:
            self.text = self._render()
        except Exception as exc:  # shown to the learner, never swallowed
            self.last_error = exc
            self.text = error_message(exc)
            self.errors.value = f'<span style="color:#b00020">⚠ {_escape(self.text)}</span>'
            self.errors.layout.display = None
            self._traceback = traceback.format_exc()
            return
        finally:
            self._rendering = False
        self.last_error = None
        self.errors.value, self.errors.layout.display = "", "none"
        self.status.value = _escape(self.text)
        if self.area._layout is None:
            self.area.relayout()  # the first frame sets the layout
        self.area.redraw()

    def _render(self) -> str:  # pragma: no cover - subclasses
        raise NotImplementedError

    @property
    def figure(self):
        return self.area.figure

    def snapshot(self, path=None) -> Snapshot:
        """PNG bytes of the current figure and the one-line readout; see :func:`snapshot`."""
        return snapshot(self, path)

    def _repr_png_(self) -> bytes:
        return self.area.png()

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The PNG is what GitHub and nbviewer show; a live kernel prefers the widget.
        bundle = {"text/plain": self.text, "image/png": base64.b64encode(self.area.png()).decode("ascii")}
        if in_kernel():
            bundle.update(self.widget._repr_mimebundle_() or {})
            bundle["text/plain"] = self.text
        return bundle

    def __repr__(self):
        return f"<{type(self).__name__}: {self.text}>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
