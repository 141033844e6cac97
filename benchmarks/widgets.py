"""How fast the widgets redraw, headless (Agg), in one run.

1. For each explorer (ActivationExplorer, NeuronExplorer, StepExplorer, DescentViewer):
   the median time of one slider update = set the slider's value -> the observer runs
   frame + artist update -> a synchronous Agg draw of the whole figure. The redraw
   throttle is bypassed (interval 0) so every value change draws; a draw_event counter
   checks that every update really drew (if not, fig.canvas.draw() is called and timed).
   Every float/int slider of the explorer is timed; an explorer's number is its slowest slider.
2. The playground: frames per second on 500 points (250 train) with a 2-8-8-1 network
   (features x1, x2), 5 epochs per frame; a frame = 5 epochs of SGD + moving the artists
   + a synchronous Agg draw (exactly what the training task does per frame, minus its sleep).

    python benchmarks/widgets.py            # 21 updates per slider, 40 playground frames
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


def _draw_counter(fig):
    count = [0]
    fig.canvas.mpl_connect("draw_event", lambda _event: count.__setitem__(0, count[0] + 1))
    return count


def slider_update_ms(explorer, slider, repeat: int) -> tuple[float, float]:
    """(wall, CPU) median ms of one value change of `slider`, including the Agg draw."""
    explorer._throttle.interval = 0.0  # bypass the throttle: every change renders and draws
    lo, hi = float(slider.min), float(slider.max)
    span = hi - lo
    # Values inside the range, different each time (a repeated value would not fire the observer).
    values = [lo + span * (0.3 + 0.4 * (i % 7) / 6.0) for i in range(repeat + 2)]
    if type(slider).__name__ == "IntSlider":
        values = [round(v) for v in values]
    if type(slider).__name__ == "FloatLogSlider":
        base = slider.base
        values = [base ** (lo + span * (0.3 + 0.4 * (i % 7) / 6.0)) for i in range(repeat + 2)]
    count = _draw_counter(explorer.figure)
    times, cpu = [], []
    for i, value in enumerate(values):
        if slider.value == value:
            continue
        before = count[0]
        c0 = time.process_time()
        t0 = time.perf_counter()
        slider.value = value
        if count[0] == before:  # the canvas deferred its draw: force it, and time it
            explorer.figure.canvas.draw()
        dt = time.perf_counter() - t0
        dc = time.process_time() - c0
        if explorer.last_error is not None:
            raise RuntimeError(f"{type(explorer).__name__}.{slider.description}: {explorer.last_error}")
        if i >= 2:  # two warm-up updates
            times.append(dt)
            cpu.append(dc)
    return 1000.0 * statistics.median(times), 1000.0 * statistics.median(cpu)


def explorers():
    from course.widgets import (
        ActivationExplorer,
        DescentViewer,
        NeuronExplorer,
        StepExplorer,
    )

    return [ActivationExplorer(mode="static"), NeuronExplorer(mode="static"), StepExplorer(mode="static"),
            DescentViewer(mode="static")]


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
    parser.add_argument("--repeat", type=int, default=21, help="timed updates per slider")
    parser.add_argument("--frames", type=int, default=40, help="timed playground frames")
    args = parser.parse_args(argv)

    import ipywidgets

    slowest = 0.0
    for explorer in explorers():
        name = type(explorer).__name__
        per_slider, per_cpu = {}, {}
        for control in explorer.controls:
            if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.IntSlider, ipywidgets.FloatLogSlider)):
                wall, cpu = slider_update_ms(explorer, control, args.repeat)
                per_slider[control.description], per_cpu[control.description] = wall, cpu
        worst = max(per_slider.values())
        slowest = max(slowest, worst)
        detail = ", ".join(f"{k}={v:.1f}" for k, v in per_slider.items())
        print(f"{name}: median update {worst:.1f} ms (slowest slider; {detail}; "
              f"CPU {max(per_cpu.values()):.1f} ms)")
    fps, frame_ms, frame_cpu = playground_fps(args.frames)
    print(f"PlaygroundWidget: {fps:.1f} frames/s, median frame {frame_ms:.1f} ms, CPU {frame_cpu:.1f} ms "
          f"(500 points, 2-8-8-1, x1 x2, 5 epochs/frame, Agg draw)")
    print(f"widgets: slowest_update_ms={round(slowest)} playground_fps={int(fps)}")
    return 0 if slowest <= MAX_UPDATE_MS and fps >= MIN_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
