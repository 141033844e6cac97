"""What a learner's screen shows: explorers leave pyplot alone.

An explorer draws into its own Figure. Making one must not change what the notebook's
`plt.show()` does afterwards: the backend (a kernel's is matplotlib_inline), rcParams, the
open pyplot figures and which one is current, interactive mode, and the canvas a new
pyplot figure gets. Checked in a fresh Python, as a kernel starts (MPLBACKEND set to the
inline backend), with every explorer in every mode.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INLINE = "module://matplotlib_inline.backend_inline"

SCRIPT = r"""
import json, sys
import matplotlib
import matplotlib.pyplot as plt
from matplotlib._pylab_helpers import Gcf
import numpy as np

plt.figure(); plt.plot([0, 1]); plt.figure(); plt.figure(1)  # two open figures, the first current
if sys.argv[2] == "ion":
    plt.ion()

def state():
    new = plt.figure()  # the canvas the notebook's next figure would get
    canvas = f"{type(new.canvas).__module__}.{type(new.canvas).__name__}"
    plt.close(new)
    plt.figure(1)
    return {"backend": plt.get_backend(), "rcParams": {k: repr(v) for k, v in matplotlib.rcParams.items()},
            "fignums": plt.get_fignums(), "current": Gcf.get_active().num,
            "interactive": plt.isinteractive(), "new figure canvas": canvas}

before = state()
before_figure = plt.gcf()

from course import MLP
from course.widgets import (ActivationExplorer, DescentViewer, ForwardViewer, NeuronExplorer,
                            PlaygroundWidget, StepExplorer)

X = np.random.default_rng(0).random((5, 784))
makers = {
    "ActivationExplorer": lambda mode: ActivationExplorer(mode=mode),
    "NeuronExplorer": lambda mode: NeuronExplorer(n=50, mode=mode),
    "StepExplorer": lambda mode: StepExplorer(mode=mode),
    "DescentViewer": lambda mode: DescentViewer(mode=mode),
    "ForwardViewer": lambda mode: ForwardViewer(MLP([784, 8, 10], seed=0), X, mode=mode),
    "PlaygroundWidget": lambda mode: PlaygroundWidget(n=100, mode=mode),
}
changes = {}
for name, make in makers.items():
    ex = make(sys.argv[1])
    ex.update()
    ex.snapshot()
    after = state()
    diff = {k: (before[k], after[k]) for k in before if k != "rcParams" and before[k] != after[k]}
    rc = sorted(k for k in set(before["rcParams"]) | set(after["rcParams"])
                if before["rcParams"].get(k) != after["rcParams"].get(k))
    if rc:
        diff["rcParams"] = {k: (before["rcParams"].get(k), after["rcParams"].get(k)) for k in rc}
    if plt.gcf() is not before_figure:
        diff["gcf"] = "the current figure changed"
    if diff:
        changes[name] = diff
print(json.dumps({"before": before["backend"], "changes": changes}))
"""


@pytest.mark.parametrize("interactive", ["ioff", "ion"])
@pytest.mark.parametrize("mode", ["ipympl", "output", "static", "auto"])
def test_explorers_leave_pyplot_as_they_found_it(mode, interactive):
    if mode == "ipympl":
        pytest.importorskip("ipympl")
    pytest.importorskip("matplotlib_inline")
    env = dict(os.environ, MPLBACKEND=INLINE, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    run = subprocess.run([sys.executable, "-c", SCRIPT, mode, interactive], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["before"] == INLINE
    assert result["changes"] == {}, json.dumps(result["changes"], indent=1)
