"""StaticLayer: the parts of a figure that stay the same while sliders move, drawn from a cache.

matplotlib spends most of a redraw on text: tick labels, axis labels, legends, colour
bars (each glyph is laid out and rasterised again on every draw). In an explorer those
do not change when a slider moves, so each view hands them to a StaticLayer, which
renders them once into a transparent RGBA buffer and composites that buffer on every
draw. The redraw is still a complete, synchronous draw of the whole figure on the
learner's canvas (ipympl, or Agg for the Output fallback and snapshots); it just
no longer re-typesets text that did not change. This is the background half of
blitting, done inside the normal draw, so it works on every Agg canvas (ipympl does
not advertise blitting).

Imported on first use by FigureArea.static(): it needs matplotlib.
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.legend import Legend
from matplotlib.spines import Spine
from matplotlib.text import Text

__all__ = ["StaticLayer"]


def _follows_data(artist) -> bool:
    """Whether the artist moves when its axes' view limits change.

    Spines (unless placed at a data position) and legends at a fixed location stay
    where they are; everything else (ticks, texts, lines, collections) is assumed to.
    """
    if isinstance(artist, Spine):
        return artist.get_position()[0] == "data"
    if isinstance(artist, Legend):
        return getattr(artist, "_loc", 0) == 0  # loc="best" looks at the data
    if isinstance(artist, Text) and artist.axes is not None:  # e.g. a title: placed in axes coordinates
        return artist.get_transform().contains_branch(artist.axes.transData)
    return True


class StaticLayer(Artist):
    """Artists that stay the same while sliders move, drawn from a cached Agg raster.

    Every redraw is still a full draw of the figure: the layer composites one RGBA
    image (the static artists, rendered once into a transparent buffer of the same
    size and dpi) where those artists would be, and the artists themselves skip
    their own draw. The raster is rendered again when anything it depends on
    changes: canvas size or dpi, the view limits or position of their axes, an
    axis's locator, formatter or label, a text's content or position, visibility,
    or `invalidate()` (the views call it when they restyle a static artist).

    Pixels equal a plain draw up to rounding (a level or two of 255), except where a moving artist
    with a higher zorder crosses a static one (a figure layer is drawn above the axes;
    use it for what lies outside the data area or on top of it: ticks, labels, spines,
    legends, colour bars). Only Agg renderers use the cache; any other renderer
    (PDF, SVG) draws every artist as usual.
    """

    def __init__(self, artists=(), zorder: float = 100.0):
        super().__init__()
        self.set_zorder(zorder)
        self.set_in_layout(False)
        self.artists: list = []
        self._key = None
        self._raster = None
        self._offscreen = False
        self._version = 0
        self.renders = 0  # how many times the raster was rendered (tests, benchmarks)
        self.add(*artists)

    def add(self, *artists) -> None:
        """Take over drawing `artists` (None entries are ignored)."""
        for artist in _drawn(artists):
            if artist in self.artists:
                continue
            artist.draw = self._wrap(artist.draw)
            self.artists.append(artist)
        self.invalidate()

    def discard(self, *artists) -> None:
        """Give `artists` back their own draw (e.g. before removing them from the figure)."""
        for artist in _drawn(artists):
            if artist in self.artists:
                self.artists.remove(artist)
                del artist.draw  # the instance attribute set by add(): the class's draw again
        self.invalidate()

    def _wrap(self, draw):
        def draw_unless_cached(renderer, *args, **kwargs):
            if self._offscreen or not self.caches(renderer):
                return draw(renderer, *args, **kwargs)
            return None  # the layer composites it from the raster

        return draw_unless_cached

    def invalidate(self) -> None:
        """Render the raster again on the next draw."""
        self._version += 1
        self.stale = True

    def caches(self, renderer) -> bool:
        """True if this draw composites the raster (an Agg renderer, the layer visible and placed)."""
        return self.get_visible() and type(renderer) is RendererAgg and self.figure is not None

    def _state(self, renderer) -> list:
        parts = [renderer.width, renderer.height, renderer.dpi, self._version]
        for a in self.artists:
            ax = a if isinstance(a, Axes) else a.axes
            parts.append(a.get_visible())
            if ax is not None:
                parts.append(tuple(ax.bbox.bounds))
                if _follows_data(a):
                    parts.append(tuple(ax.viewLim.bounds))
            if isinstance(a, Axis):
                parts += [a.get_major_locator(), a.get_major_formatter(), a.label.get_text()]
            elif isinstance(a, Text):
                parts += [a.get_text(), tuple(a.get_position())]
        return parts

    def _render(self, renderer) -> None:
        off = RendererAgg(renderer.width, renderer.height, renderer.dpi)
        self._offscreen = True
        try:
            for a in sorted(self.artists, key=lambda a: a.get_zorder()):
                a.draw(off)
        finally:
            self._offscreen = False
        rgba = np.asarray(off.buffer_rgba())
        drawn = rgba[..., 3] > 0
        rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        if rows.size == 0:
            self._raster = None
        else:  # the bounding box of what was drawn; draw_image wants the bottom row first
            r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            self._raster = (int(c0), int(rgba.shape[0] - r1), rgba[r0:r1, c0:c1][::-1].copy())
        self.renders += 1

    def draw(self, renderer) -> None:
        if self.caches(renderer):
            key = self._state(renderer)
            if key != self._key:
                self._render(renderer)
                self._key = key
            if self._raster is not None:
                x, y, image = self._raster
                gc = renderer.new_gc()
                renderer.draw_image(gc, x, y, image)
                gc.restore()
        self.stale = False


def _drawn(artists) -> list:
    """The artists the figure draws for `artists`, None entries dropped.

    Before matplotlib 3.8 a ContourSet is no Artist (it has no draw): the axes draws its LineCollections, so
    those are what a layer takes over (seen with matplotlib 3.7.0, the lowest version pyproject.toml allows).
    """
    drawn = []
    for artist in artists:
        if artist is None:
            continue
        drawn.extend([artist] if hasattr(artist, "draw") else list(getattr(artist, "collections", ())))
    return drawn
