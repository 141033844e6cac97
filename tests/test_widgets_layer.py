"""StaticLayer (cached rasters of what a slider never changes) and the explorers that use it.

A layer must not change the picture: a figure drawn with its decorations cached equals the
plain draw (up to rounding), and the cache is rendered again whenever what it shows changes.
"""
import io

import numpy as np
import pytest

from course.widgets import ActivationExplorer, DescentViewer, NeuronExplorer, StepExplorer, make_figure
from course.widgets.layer import StaticLayer


def pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int)


def line_figure(cached: bool):
    area = make_figure((5.0, 3.5), mode="static")
    ax = area.axes
    x = np.linspace(-3, 3, 200)
    (line,) = ax.plot(x, np.tanh(x), label="tanh")
    ax.plot(x, 1 - np.tanh(x) ** 2, "--", label="tanh'")
    ax.set_xlabel("x")
    ax.legend(loc="upper left")
    area.relayout()
    layer = area.static(ax.xaxis, ax.yaxis, *ax.spines.values(), ax.legend_) if cached else None
    return area, line, layer


def test_a_cached_figure_draws_the_same_pixels():
    plain, line_a, _ = line_figure(cached=False)
    cached, line_b, layer = line_figure(cached=True)
    for shift in (0.0, 0.7):  # also after the moving artist moved
        for line in (line_a, line_b):
            line.set_ydata(np.tanh(line.get_xdata() - shift))
        a, b = pixels(plain.figure), pixels(cached.figure)
        assert a.shape == b.shape
        assert np.abs(a - b).max() <= 2  # rounding of the alpha compositing, nothing else
    assert layer.renders == 1  # the decorations were rendered once, then reused


def test_the_layer_renders_again_when_what_it_shows_changes():
    area, _, layer = line_figure(cached=True)
    ax = area.axes
    pixels(area.figure)
    assert layer.renders == 1
    ax.set_xlim(-10, 10)  # new ticks
    before = pixels(area.figure)
    assert layer.renders == 2
    plain, _, _ = line_figure(cached=False)
    plain.axes.set_xlim(-10, 10)
    assert np.abs(before - pixels(plain.figure)).max() <= 2
    ax.set_xlabel("input")  # a new axis label
    pixels(area.figure)
    assert layer.renders == 3
    layer.invalidate()  # e.g. after restyling a static artist
    pixels(area.figure)
    assert layer.renders == 4
    area.figure.set_dpi(50)  # another canvas size
    pixels(area.figure)
    assert layer.renders == 5


def test_other_renderers_draw_every_artist_themselves():
    area, _, layer = line_figure(cached=True)
    buf = io.StringIO()
    area.figure.savefig(buf, format="svg")
    svg = buf.getvalue()
    assert "<!-- tanh -->" in svg  # the legend, drawn as text
    assert svg.count('<g id="xtick_') >= 5 and "<image" not in svg  # ticks as vectors, no raster
    assert layer.renders == 0


def test_discard_gives_an_artist_its_own_draw_back():
    area, line, _ = line_figure(cached=False)
    layer = area.static(line)
    pixels(area.figure)
    assert layer.renders == 1
    layer.discard(line)
    assert "draw" not in vars(line) and layer.artists == []
    assert isinstance(layer, StaticLayer)


def test_a_hidden_layer_draws_nothing_and_its_artists_draw_themselves():
    plain, _, _ = line_figure(cached=False)
    area, _, layer = line_figure(cached=True)
    layer.set_visible(False)
    assert np.abs(pixels(area.figure) - pixels(plain.figure)).max() == 0


@pytest.mark.parametrize("make, move", [
    (lambda: ActivationExplorer("tanh", mode="static"), lambda ex: setattr(ex.x, "value", 1.5)),
    (lambda: NeuronExplorer(mode="static"), lambda ex: setattr(ex.w1, "value", 3.0)),
    (lambda: StepExplorer(mode="static"), lambda ex: setattr(ex.b, "value", -20.0)),
    (lambda: DescentViewer(mode="static"), lambda ex: setattr(ex.lr, "value", 0.05)),
])
def test_explorer_slider_moves_reuse_the_cached_layers(make, move):
    ex = make()
    ex.figure.canvas.draw()
    renders = [layer.renders for layer in ex.area.layers]
    move(ex)
    ex.figure.canvas.draw()
    assert ex.last_error is None
    assert [layer.renders for layer in ex.area.layers] == renders


def test_activation_range_renders_the_ticks_again_and_only_them():
    ex = ActivationExplorer(mode="static")
    ticks, frame = ex.area.layers
    ex.figure.canvas.draw()
    t0, f0 = ticks.renders, frame.renders
    ex.x_range.value = (-2.0, 8.0)
    ex.figure.canvas.draw()
    assert ticks.renders == t0 + 1 and frame.renders == f0
    assert [t.get_text() for t in ex.view.ax.get_xticklabels()][0] in ("−2", "−2.0")


def test_neuron_dataset_change_renders_the_points_again():
    ex = NeuronExplorer("moons", mode="static")
    points = ex.view.points_layer
    ex.figure.canvas.draw()
    before = points.renders
    ex.dataset.value = "circles"
    ex.figure.canvas.draw()
    assert points.renders == before + 1


def test_every_figure_fits_a_notebook_output_area():
    # JupyterLab's output area is about 850 pixels wide in a 1280-pixel window with the
    # file browser open; wider figures make the widget scroll sideways.
    from course.widgets.forward import ForwardViewer
    from course.widgets.playground import PlaygroundView

    sizes = [ex.figure.get_size_inches() * ex.figure.dpi for ex in
             (ActivationExplorer(mode="static"), NeuronExplorer(mode="static"), StepExplorer(mode="static"),
              DescentViewer(mode="static"))]
    sizes += [np.array(ForwardViewer.FIGSIZE) * 100, np.array(PlaygroundView.FIGSIZE) * 100]
    assert max(w for w, _h in sizes) <= 820
