"""How fast the widgets redraw, headless (Agg), in one run.

1. For each explorer (ActivationExplorer, NeuronExplorer, StepExplorer, DescentViewer,
   ForwardViewer): the median time of one update = change one control -> the observer runs
   frame + artist update -> a synchronous Agg draw of the whole figure (FigureCanvasAgg.draw,
   the draw ipympl's canvas runs when the browser asks for a frame; the Output fallback and
   snapshots run the same draw inside savefig). The redraw throttle is bypassed (interval 0)
   so every value change draws; a draw_event counter checks that every update really drew
   (if not, fig.canvas.draw() is called and timed).
   Timed controls: every slider of the explorer (FloatSlider, IntSlider, FloatLogSlider and
   the range sliders, e.g. the activation explorer's x range); for the ForwardViewer also the
   image slider with the hidden layers as bars, the "random" button and the images/bars
   toggle (every control that changes which digit or what is drawn). The dropdowns that swap
   a dataset or a loss surface (a click, not a drag; they lay the figure out again) are not
   timed. An explorer's number is its slowest control.
   What a draw contains: the explorers keep the artists a slider never changes (axes, tick
   labels, legends, colour bars, contour lines, data points) in StaticLayers
   (course/widgets/layer.py): rendered once into a raster that every draw composites. When a
   control does change them (e.g. the x range changes the tick labels), that update renders
   the layer again, and the timing includes it. No draw is skipped and the DPI is the
   widgets' own.
2. The playground: frames per second on 500 points (250 train) with a 2-8-8-1 network
   (features x1, x2), 5 epochs per frame; a frame = 5 epochs of SGD + moving the artists
   + a synchronous Agg draw (exactly what the training task does per frame, minus its sleep).

    python benchmarks/widgets.py            # 21 updates per control, 40 playground frames
    python benchmarks/widgets.py --repeat 41 --frames 80

The last line is always ``widgets: slowest_update_ms=<int> playground_fps=<int>``.
Targets: slowest update <= 50 ms, playground >= 10 frames/s (exit status 1 if missed).
Times are wall clock (what a learner waits); the CPU time of this process is printed too,
since on a shared machine other processes inflate the wall time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

MAX_UPDATE_MS = 50
MIN_FPS = 10
SLIDERS = ("FloatSlider", "IntSlider", "FloatLogSlider", "FloatRangeSlider", "IntRangeSlider")


def _draw_counter(fig):
    count = [0]
    fig.canvas.mpl_connect("draw_event", lambda _event: count.__setitem__(0, count[0] + 1))
    return count


def timed_updates(explorer, actions, name: str) -> tuple[float, float]:
    """(wall, CPU) median ms of the updates `actions` (callables that each change one control).

    The first two are warm-up; every action must make the figure draw (or it is drawn here).
    """
    explorer._throttle.interval = 0.0  # bypass the throttle: every change renders and draws
    count = _draw_counter(explorer.figure)
    times, cpu = [], []
    for i, action in enumerate(actions):
        before = count[0]
        c0 = time.process_time()
        t0 = time.perf_counter()
        action()
        if count[0] == before:  # the canvas deferred its draw (or nothing changed): force it, and time it
            explorer.figure.canvas.draw()
        dt = time.perf_counter() - t0
        dc = time.process_time() - c0
        if explorer.last_error is not None:
            raise RuntimeError(f"{type(explorer).__name__}.{name}: {explorer.last_error}")
        if i >= 2:  # two warm-up updates
            times.append(dt)
            cpu.append(dc)
    return 1000.0 * statistics.median(times), 1000.0 * statistics.median(cpu)


def slider_actions(slider, repeat: int) -> list:
    """`repeat` + 2 value changes inside the slider's range, never the same value twice in a row."""
    kind = type(slider).__name__
    lo, hi = float(slider.min), float(slider.max)
    span = hi - lo
    n = repeat + 2
    if kind in ("FloatRangeSlider", "IntRangeSlider"):  # move both ends: a new window each time
        step = float(slider.step)
        values = []
        for i in range(n):
            a = lo + span * (0.1 + 0.25 * (i % 5) / 4)
            b = hi - span * (0.1 + 0.25 * (i % 3) / 2)
            a, b = round(a / step) * step, round(b / step) * step
            values.append((int(a), int(b)) if kind == "IntRangeSlider" else (a, b))
    elif kind == "FloatLogSlider":
        values = [slider.base ** (lo + span * (0.3 + 0.4 * (i % 7) / 6.0)) for i in range(n)]
    else:
        values = [lo + span * (0.3 + 0.4 * (i % 7) / 6.0) for i in range(n)]
        if kind == "IntSlider":
            values = [round(v) for v in values]
    values = [v for k, v in enumerate(values) if k == 0 or v != values[k - 1]]

    def setter(value):
        def action():
            slider.value = value
        return action

    return [setter(v) for v in values]


def explorers():
    from course.widgets import (
        ActivationExplorer,
        DescentViewer,
        ForwardViewer,
        NeuronExplorer,
        StepExplorer,
    )

    return [ActivationExplorer(mode="static"), NeuronExplorer(mode="static"), StepExplorer(mode="static"),
            DescentViewer(mode="static"), ForwardViewer(mode="static")]  # the default: MNIST, 784-128-64-10


def explorer_timings(explorer, repeat: int) -> dict:
    """{control label: (wall ms, CPU ms)} for every timed control of `explorer`."""
    out = {}
    for control in explorer.controls:
        if type(control).__name__ in SLIDERS:
            out[control.description] = timed_updates(explorer, slider_actions(control, repeat),
                                                     control.description)
    if type(explorer).__name__ == "ForwardViewer":
        style = explorer.style
        style.value = "bars"
        out["image (bars)"] = timed_updates(explorer, slider_actions(explorer.index, repeat), "image (bars)")
        style.value = "images"
        out["random"] = timed_updates(explorer, [explorer.random.click] * (repeat + 2), "random")

        def toggle():
            style.value = "bars" if style.value == "images" else "images"

        out["images/bars"] = timed_updates(explorer, [toggle] * (repeat + 2), "images/bars")
    return out


def playground_fps(frames: int) -> tuple[float, float, float]:
    """(frames per second over `frames` frames, median wall ms and median CPU ms per frame)."""
    from course.widgets.playground import PlaygroundWidget

    pw = PlaygroundWidget("spiral", n=500, hidden=[8, 8], features=["x1", "x2"], epochs_per_frame=5,
                          mode="static")
    assert pw.pg.sizes == (2, 8, 8, 1) and len(pw.pg.X_train) + len(pw.pg.X_test) == 500
    count = _draw_counter(pw.figure)
    for _ in range(3):  # warm-up
        pw.step()
    times, cpu = [], []
    start = time.perf_counter()
    for _ in range(frames):
        before = count[0]
        c0 = time.process_time()
        t0 = time.perf_counter()
        pw.step()  # 5 epochs + artists + redraw (Agg: draw_idle draws at once)
        if count[0] == before:
            pw.figure.canvas.draw()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    total = time.perf_counter() - start
    if pw.last_error is not None:
        raise RuntimeError(f"PlaygroundWidget: {pw.last_error}")
    return frames / total, 1000.0 * statistics.median(times), 1000.0 * statistics.median(cpu)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="timed updates per control")
    parser.add_argument("--frames", type=int, default=40, help="timed playground frames")
    args = parser.parse_args(argv)

    slowest = 0.0
    for explorer in explorers():
        name = type(explorer).__name__
        timings = explorer_timings(explorer, args.repeat)
        worst = max(wall for wall, _cpu in timings.values())
        slowest = max(slowest, worst)
        detail = ", ".join(f"{k}={wall:.1f}" for k, (wall, _cpu) in timings.items())
        print(f"{name}: median update {worst:.1f} ms (slowest control; {detail}; "
              f"CPU {max(cpu for _wall, cpu in timings.values()):.1f} ms)")
    fps, frame_ms, frame_cpu = playground_fps(args.frames)
    print(f"PlaygroundWidget: {fps:.1f} frames/s, median frame {frame_ms:.1f} ms, CPU {frame_cpu:.1f} ms "
          f"(500 points, 2-8-8-1, x1 x2, 5 epochs/frame, Agg draw)")
    print(f"widgets: slowest_update_ms={round(slowest)} playground_fps={int(fps)}")
    return 0 if slowest <= MAX_UPDATE_MS and fps >= MIN_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
