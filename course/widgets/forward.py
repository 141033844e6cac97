"""One forward pass through a 784-128-64-10 MLP on MNIST, layer by layer.

    >>> from course.widgets import ForwardViewer
    >>> ForwardViewer()               # trains a small MLP for one epoch (~1 s), then shows test digits
    >>> ForwardViewer(model, X, y)    # or your own trained model and images

Panels: the input digit; the network as columns of nodes (the most active ones of
wide layers) with links coloured by the sign of the weight and as wide as its size;
the activations of every hidden layer (as images or bars); the predicted
probabilities with the true label marked.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import activations as act
from .._validate import CourseInputError, describe, labels, positive_int
from ..i18n import _
from .base import Explorer, fixed_title, make_figure

POSITIVE = (0.84, 0.15, 0.16, 1.0)  # red: a positive weight (excites)
NEGATIVE = (0.12, 0.47, 0.71, 1.0)  # blue: a negative weight (inhibits)
MIN_WIDTH, MAX_WIDTH = 0.15, 2.5


def check_model(model, n_inputs: int | None = None, n_outputs: int | None = None):
    """`model` as a course.MLP with a softmax output (and the given sizes, if any)."""
    from ..network import MLP

    if not isinstance(model, MLP):
        raise CourseInputError(_("model: expected a course.MLP, got {got}.").format(got=describe(model)))
    if model.loss_name != "softmax_cross_entropy":
        raise CourseInputError(_("model: expected a classifier with loss='softmax_cross_entropy', got loss={loss!r}.")
                               .format(loss=model.loss_name))
    want = [n_inputs, None, n_outputs]
    if len(model.sizes) < 3 or (n_inputs is not None and model.sizes[0] != n_inputs) or (
            n_outputs is not None and model.sizes[-1] != n_outputs):
        shape = "-".join("?" if s is None else str(s) for s in want)
        raise CourseInputError(_("model: expected sizes like {shape} (at least one hidden layer), "
                                 "got sizes {sizes}.").format(shape=shape, sizes=model.sizes))
    return model


def check_x(x, n_inputs: int):
    """One input as a 1-D array of n_inputs numbers; (28, 28) and (1, 784) are flattened."""
    from .._validate import array

    x = array(x, "x", ndim=(1, 2))
    side = round(np.sqrt(n_inputs))
    if x.shape in ((n_inputs,), (1, n_inputs)) or (side * side == n_inputs and x.shape == (side, side)):
        return x.reshape(-1)
    if side * side == n_inputs:
        raise CourseInputError(_("x: expected one input of shape ({n},) or ({side}, {side}), got shape {shape}.")
                               .format(n=n_inputs, side=side, shape=x.shape))
    raise CourseInputError(_("x: expected one input of shape ({n},), got shape {shape}.").format(n=n_inputs, shape=x.shape))


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, cols) to show n values as an image: 128 -> (8, 16), 64 -> (8, 8), 10 -> (2, 5).

    The largest divisor <= sqrt(n) if it is not too small, else a near-square grid
    padded with NaN at the end.
    """
    n = positive_int(n, "n")
    root = int(np.sqrt(n))
    rows = max(d for d in range(1, root + 1) if n % d == 0)
    if rows * 2 < root:  # e.g. a prime: pad instead of 1 x n
        rows = root
        return rows, -(-n // rows)
    return rows, n // rows


def as_grid(values) -> np.ndarray:
    """values (n,) as a (rows, cols) image from grid_shape, NaN-padded."""
    values = np.asarray(values, dtype=float).reshape(-1)
    rows, cols = grid_shape(values.size)
    out = np.full(rows * cols, np.nan)
    out[:values.size] = values
    return out.reshape(rows, cols)


def most_active(values, k: int) -> np.ndarray:
    """Indices (ascending) of the k largest |values|; ties go to the lower index."""
    values = np.asarray(values)
    if values.size <= k:
        return np.arange(values.size)
    order = np.argsort(-np.abs(values), kind="stable")[:k]
    return np.sort(order)


def node_positions(sizes, max_nodes: int):
    """Slot positions of the shown nodes: layer l at x = l, slots centred on y = 0, top to bottom.

    Returns a list with one (n_shown_l, 2) array per layer. They depend only on the
    sizes, so the diagram's links never move: only their colours and widths change.
    """
    out = []
    for l, width in enumerate(sizes):
        n = min(width, max_nodes)
        ys = (n - 1) / 2 - np.arange(n, dtype=float)
        out.append(np.column_stack([np.full(n, float(l)), ys]))
    return out


def forward_frame(model, x, max_nodes: int = 16) -> dict:
    """What the forward-pass viewer shows for one input x. NumPy only.

    model: a course.MLP with a softmax output; x: (d,), (1, d) or (28, 28) for d = 784.
    Returns a dict:
      x (d,)                      the input, flattened
      activations [a_0, ..., a_L-1]  a_0 = x, then every hidden layer's activation (n_l,)
      logits (k,), probs (k,)     the output layer; probs = softmax(logits)
      prediction, confidence      argmax of probs and its probability
      node_values [v_0, ..., v_L] the value of every node: activations, then probs
      shown [idx_0, ..., idx_L]   node indices drawn per layer (ascending): all of a narrow
                                  layer, the max_nodes most active (largest |v|) of a wide one
      node_xy (N, 2)              slot positions of the shown nodes, all layers concatenated
      node_level (N,)             v / max|v| of its layer, in [-1, 1] (node colour)
      segments (m, 2, 2)          the links between shown nodes of neighbouring layers
      link_layer, link_src, link_dst (m,)  weights[link_layer][link_src, link_dst] is the link
      link_weight (m,)            that weight
      link_rgba (m, 4)            red for w > 0, blue for w < 0 (w = 0: blue, width minimal)
      link_width (m,)             MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * |w| / max|W_l|
      hidden_maps [(r, c), ...]   each hidden layer's activation as an image (as_grid)
      text                        "predicted 7 with 99.2 %"
    """
    model = check_model(model)
    x = check_x(x, model.sizes[0])
    max_nodes = positive_int(max_nodes, "max_nodes", minimum=2)
    logits = model.forward(x[None, :])[0]
    if not np.all(np.isfinite(logits)):
        raise CourseInputError(_("model: expected finite outputs, got NaN or inf from the forward pass; "
                                 "the weights are not usable (did training diverge?)."))
    activations = [np.array(a[0], copy=True) for a in model._acts]
    probs = act.softmax(logits)
    node_values = activations + [probs]
    shown = [most_active(v, max_nodes) for v in node_values]
    slots = node_positions(model.sizes, max_nodes)
    levels = []
    for v, idx in zip(node_values, shown):
        scale = float(np.max(np.abs(v)))
        levels.append(v[idx] / scale if scale > 0 else np.zeros(idx.size))

    segs, layer, src, dst, weight, width = [], [], [], [], [], []
    for l, W in enumerate(model.weights):
        a, b = shown[l], shown[l + 1]
        w = np.asarray(W[np.ix_(a, b)], dtype=float)  # (n_a, n_b)
        ia, ib = np.meshgrid(np.arange(a.size), np.arange(b.size), indexing="ij")
        ia, ib = ia.ravel(), ib.ravel()
        segs.append(np.stack([slots[l][ia], slots[l + 1][ib]], axis=1))
        layer.append(np.full(ia.size, l))
        src.append(a[ia])
        dst.append(b[ib])
        weight.append(w.ravel())
        big = float(np.max(np.abs(W)))
        width.append(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (np.abs(w.ravel()) / big if big > 0 else 0.0))
    link_weight = np.concatenate(weight)
    rgba = np.where((link_weight > 0)[:, None], np.array(POSITIVE), np.array(NEGATIVE))
    prediction = int(np.argmax(probs))
    confidence = float(probs[prediction])
    return {
        "x": x, "activations": activations, "logits": np.array(logits, copy=True), "probs": probs,
        "prediction": prediction, "confidence": confidence,
        "node_values": node_values, "shown": shown,
        "node_xy": np.concatenate(slots), "node_level": np.concatenate(levels),
        "segments": np.concatenate(segs), "link_layer": np.concatenate(layer),
        "link_src": np.concatenate(src), "link_dst": np.concatenate(dst),
        "link_weight": link_weight, "link_rgba": rgba, "link_width": np.concatenate(width),
        "hidden_maps": [as_grid(a) for a in activations[1:]],
        "text": _("predicted {digit} with {percent:.1f} %").format(digit=prediction, percent=100 * confidence),
    }


# ---------------------------------------------------------------- a model and data to show
_DEFAULT_MODEL = None


def default_model():
    """A 784-128-64-10 ReLU MLP trained for one epoch on all of MNIST (Adam, batch 64, seed 0).

    About 1 s, deterministic, trained once per session and shared (the viewer never
    changes its weights). Test accuracy about 95 %.
    """
    global _DEFAULT_MODEL
    if _DEFAULT_MODEL is None:
        from ..data import load_mnist
        from ..network import MLP
        from ..optim import Adam
        from ..training import fit

        (X, y), _test = load_mnist()
        model = MLP([784, 128, 64, 10], seed=0)
        fit(model, X, y, epochs=1, batch_size=64, optimizer=Adam(), seed=0, progress=False)
        _DEFAULT_MODEL = model
    return _DEFAULT_MODEL


def _check_data(model, X, y):
    if X is None:
        if y is not None:
            raise CourseInputError(_("y: expected None when X is None (the MNIST test set brings its own labels)."))
        from ..data import load_mnist

        _train, (X, y) = load_mnist()
    from .._validate import array

    X = array(X, "X", ndim=(2, 3))
    if X.ndim == 3:
        X = X.reshape(len(X), -1)
    if X.shape[0] == 0 or X.shape[1] != model.sizes[0]:
        raise CourseInputError(_("X: expected images of shape (n, {d}) or (n, 28, 28) with n >= 1, "
                                 "got shape {shape}.").format(d=model.sizes[0], shape=X.shape))
    X = model.check_input(X)
    if y is not None:
        y = labels(y, "y", n_classes=model.sizes[-1], n_rows=X.shape[0])
    return X, y


# ---------------------------------------------------------------- the view
class ForwardView:
    """Four panels whose artists are made once: digit, network, hidden layers, probabilities.

    Everything that does not depend on the input (axes, tick labels, class numbers, the
    legend, the panel titles) is drawn from two cached rasters (StaticLayer): one for the
    digit, network and probability panels, one for the hidden-layer panels. Images and
    bars share the hidden panels' box, so switching between them re-renders neither.
    An update moves only the data artists and the four lines of text that change.
    """

    def __init__(self, area, sizes, max_nodes: int, nonnegative: bool = True):
        from matplotlib.collections import LineCollection
        from matplotlib.transforms import ScaledTranslation

        fig = self.fig = area.figure
        self.sizes = tuple(sizes)
        hidden = self.sizes[1:-1]
        gs = fig.add_gridspec(2, 3, width_ratios=[1.0, 2.4, 1.3], height_ratios=[2.2, 1.0])
        self.ax_img = fig.add_subplot(gs[0, 0])
        self.ax_net = fig.add_subplot(gs[0, 1])
        self.ax_prob = fig.add_subplot(gs[0, 2])
        sub = gs[1, :].subgridspec(1, len(hidden), width_ratios=[grid_shape(n)[1] for n in hidden])
        self.ax_hidden = [fig.add_subplot(sub[0, i]) for i in range(len(hidden))]

        # (1) the digit, with the input pixels the diagram shows ringed
        ax = self.ax_img
        side = round(np.sqrt(self.sizes[0]))
        self.square = side * side == self.sizes[0]
        shape = (side, side) if self.square else (1, self.sizes[0])
        self.image = ax.imshow(np.zeros(shape), cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        self.pixels = ax.scatter([], [], s=22, facecolors="none", edgecolors="C1", linewidths=1.0)
        ax.xaxis.set_visible(False)  # no ticks
        ax.yaxis.set_visible(False)
        self.img_title = fixed_title(ax, fontsize="medium")

        # (2) the network: slots are fixed, so links and nodes are drawn once
        ax = self.ax_net
        slots = node_positions(self.sizes, max_nodes)
        n_links = sum(len(a) * len(b) for a, b in itertools.pairwise(slots))
        self.links = LineCollection(np.zeros((n_links, 2, 2)), linewidths=0.5, zorder=1)
        self._segments_set = False
        ax.add_collection(self.links)
        xy = np.concatenate(slots)
        self.nodes = ax.scatter(xy[:, 0], xy[:, 1], c=np.zeros(len(xy)), cmap="PRGn", vmin=-1, vmax=1,
                                s=55, edgecolors="k", linewidths=0.6, zorder=2)
        self.class_labels = [ax.text(x + 0.12, y, str(k), va="center", ha="left", fontsize="small")
                             for k, (x, y) in enumerate(slots[-1])]  # the output layer: always 0..k-1
        top = max(len(s) for s in slots) / 2
        ax.set_xlim(-0.4, len(self.sizes) - 0.5)
        ax.set_ylim(-top - 0.2, top + 0.2)
        ax.set_xticks(range(len(self.sizes)))
        names = [_("input")] + [_("hidden")] * len(hidden) + [_("output")]
        ax.set_xticklabels([f"{n}\n{s}" for n, s in zip(names, self.sizes)], fontsize="small")
        ax.set_yticks([])
        for side_ in ("left", "right", "top"):
            ax.spines[side_].set_visible(False)
        wide = [s for s in self.sizes if s > max_nodes]
        shown = (_("showing the {k} most active nodes of wide layers").format(k=max_nodes) if wide
                 else _("all nodes shown"))
        ax.set_title(_("links: red w > 0, blue w < 0, width |w|; nodes: activation") + "\n" + shown,
                     fontsize="small", y=1.0)

        # (3) hidden layers: an image and a bar chart per layer, one of them visible. The bars
        # are one filled step outline (one path, not n rectangles), scaled like the images:
        # by the layer's largest |activation| for this input, which the panel's title gives.
        self.nonnegative = bool(nonnegative)
        self.maps, self.bars, self.hidden_titles = [], [], []
        for ax, n in zip(self.ax_hidden, hidden):
            self.maps.append(ax.imshow(np.zeros(grid_shape(n)), cmap="magma", vmin=0, vmax=1,
                                       interpolation="nearest", aspect="auto"))
            self.bars.append(ax.stairs(np.zeros(n), np.arange(n + 1) - 0.5, baseline=0.0, fill=True,
                                       color="C4", visible=False))
            # The title (cached with the axes) says which layer; the line under it, what it does now.
            fixed_title(ax, _("hidden layer {i} ({n} neurons)").format(i=len(self.maps), n=n), fontsize="small", pad=14)
            just_above = ax.transAxes + ScaledTranslation(0.0, 3 / 72, fig.dpi_scale_trans)  # 3 points up
            self.hidden_titles.append(ax.text(0.5, 1.0, "", transform=just_above, ha="center", va="bottom",
                                              fontsize="small", color="0.3"))
            rows, cols = grid_shape(n)
            ax.set_box_aspect(rows / cols)  # the image's shape, for the bars too: switching moves nothing
            ax.xaxis.set_visible(False)
            ax.yaxis.set_visible(False)
        self.style = None

        # (4) probabilities
        ax = self.ax_prob
        k = self.sizes[-1]
        self.prob_bars = ax.bar(np.arange(k), np.zeros(k), color="0.65")
        (self.true_marker,) = ax.plot([], [], "v", color="C2", ms=9, label=_("true label"))
        ax.set_xticks(np.arange(k))
        ax.set_ylim(0, 1.12)
        ax.set_xlabel(_("class"))
        ax.set_ylabel(_("probability"))
        ax.legend(loc="upper left", fontsize="x-small", frameon=False)
        self.prob_title = fixed_title(ax, fontsize="small")

        def decorations(ax):
            return [ax.xaxis, ax.yaxis, *ax.spines.values()]

        for ax in fig.axes:  # a white axes on a white figure: its background need not be painted
            if ax.get_facecolor() == fig.get_facecolor():
                ax.patch.set_visible(False)

        area.static(*self.ax_img.spines.values(), *decorations(self.ax_net), *decorations(self.ax_prob),
                    *self.class_labels, self.ax_net.title, self.ax_prob.legend_)
        self.hidden_layer = area.static(*[a for ax in self.ax_hidden for a in (*ax.spines.values(), ax.title)])

    def set_style(self, style: str) -> None:
        """'images' or 'bars' for the hidden layers; the layout stays (neither has tick labels)."""
        if style == self.style:
            return
        low = 0.0 if self.nonnegative else -1.0
        for ax, image, bars, n in zip(self.ax_hidden, self.maps, self.bars, self.sizes[1:-1]):
            image.set_visible(style == "images")
            bars.set_visible(style == "bars")
            if style == "images":
                rows, cols = grid_shape(n)
                ax.set_xlim(-0.5, cols - 0.5)
                ax.set_ylim(rows - 0.5, -0.5)
            else:
                ax.set_xlim(-0.5, n - 0.5)
                ax.set_ylim(1.05 * low, 1.05)
        self.style = style

    def show(self, fr: dict, true_label=None, title: str = "") -> None:
        if self.square:
            side = round(np.sqrt(fr["x"].size))
            self.image.set_data(fr["x"].reshape(side, side))
            pix = fr["shown"][0]
            self.pixels.set_offsets(np.column_stack([pix % side, pix // side]))
        else:
            self.image.set_data(fr["x"][None, :])
        self.img_title.set_text(title)

        if not self._segments_set:  # the slots never move: segments once, then colours and widths
            self.links.set_segments(fr["segments"])
            self._segments_set = True
        self.links.set_color(fr["link_rgba"])
        self.links.set_linewidths(fr["link_width"])
        self.nodes.set_array(fr["node_level"])

        for l, a in enumerate(fr["activations"][1:], start=1):
            top = float(np.max(np.abs(a))) or 1.0
            low = 0.0 if a.min() >= 0 else -top
            if self.style == "images":
                self.maps[l - 1].set_data(fr["hidden_maps"][l - 1])
                self.maps[l - 1].set_clim(low, top)
            else:
                self.bars[l - 1].set_data(a / top)
            self.hidden_titles[l - 1].set_text(_("{active} active, max {top:.2f}").format(
                active=int(np.count_nonzero(a > 0)), top=top))

        p = fr["prediction"]
        for k, (rect, h) in enumerate(zip(self.prob_bars, fr["probs"])):
            rect.set_height(h)
            rect.set_color("C3" if k == p and p != true_label else "C2" if k == p else "0.65")
        if true_label is None:
            self.true_marker.set_data([], [])
        else:
            self.true_marker.set_data([true_label], [min(fr["probs"][true_label] + 0.08, 1.08)])
        verdict = "" if true_label is None else (" ✓" if p == true_label else " ✗")
        self.prob_title.set_text(f"{fr['text']}{verdict}")


# ---------------------------------------------------------------- the controller
class ForwardViewer(Explorer):
    """Pick a test digit and watch it flow through a trained MLP.

    model: a trained course.MLP with 784 inputs and 10 outputs (None: train one with
    default_model(), about 1 s). X, y: images (n, 784) or (n, 28, 28) and labels
    (None: the MNIST test set; y may be None). Widgets: `index` (slider),
    `random` (button, seeded), `style` ("images" / "bars" for the hidden layers).
    The last frame is in `self.frame`.
    """

    # 820 pixels wide at 100 dpi: fits JupyterLab's output area in a 1280-pixel window.
    FIGSIZE = (8.2, 5.4)

    def __init__(self, model=None, X=None, y=None, index=0, max_nodes=16, seed=0, mode="auto"):
        import ipywidgets as w

        model = default_model() if model is None else model
        self.model = check_model(model, n_inputs=784, n_outputs=10)
        self.X, self.y = _check_data(self.model, X, y)
        # every output node is drawn and labelled with its class
        self.max_nodes = positive_int(max_nodes, "max_nodes", minimum=self.model.sizes[-1])
        index = self._check_index(index)
        self._rng = np.random.default_rng(seed)
        self.index = w.IntSlider(value=index, min=0, max=len(self.X) - 1, description=_("image"),
                                 continuous_update=True)
        self.random = w.Button(description=_("random"), tooltip=_("a random image (seeded)"),
                               layout=w.Layout(width="90px"))
        self.random.on_click(self._random_clicked)
        # No description: ipywidgets 8 puts a ToggleButtons' description above its buttons.
        self.style = w.ToggleButtons(options=[(_("images"), "images"), (_("bars"), "bars")], value="images",
                                     style={"button_width": "70px"},
                                     tooltips=[_("hidden layers as images"), _("hidden layers as bars")])
        area = make_figure(self.FIGSIZE, mode=mode)
        area.axes.remove()  # make_figure gives one axes; this viewer lays out its own grid
        self.view = ForwardView(area, self.model.sizes, self.max_nodes,
                                nonnegative=self.model.activation in ("relu", "sigmoid"))
        area.axes = [self.view.ax_img, self.view.ax_net, self.view.ax_prob, *self.view.ax_hidden]
        self.frame = None
        self._setup(area, [self.index, self.random, self.style])
        row = self.widget.children[0]  # the controls' row: label the toggle in front of it
        row.children = (self.index, self.random, w.Label(_("hidden layers:"), layout=w.Layout(width="auto")),
                        self.style)

    def _check_index(self, index) -> int:
        n = len(self.X)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
            raise CourseInputError(_("index: expected an integer from 0 to {last} (one of the {n} images), "
                                     "got {got}.").format(last=n - 1, n=n, got=describe(index)))
        return int(index)

    def show(self, index) -> None:
        """Show image `index` (same as moving the slider)."""
        self.index.value = self._check_index(index)

    def _random_clicked(self, button=None) -> None:
        self.index.value = int(self._rng.integers(len(self.X)))  # the slider's observer redraws

    def _render(self) -> str:
        i = self._check_index(self.index.value)
        fr = forward_frame(self.model, self.X[i], self.max_nodes)
        self.view.set_style(self.style.value)
        true = None if self.y is None else int(self.y[i])
        # the slider shows the index
        head = _("image {i}").format(i=i) if true is None else _("digit {digit}").format(digit=true)
        self.view.show(fr, true, head)
        self.frame = fr
        if true is None:
            return _("image {i}: {text}").format(i=i, text=fr["text"])
        return _("digit {digit}, {text} (image {i})").format(digit=true, text=fr["text"], i=i)
