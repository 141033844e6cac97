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

rc_before_course = dict(matplotlib.rcParams)
from course import MLP  # after matplotlib, as in a notebook: the course's CJK font becomes the fallback (fonts.py)
course_rc = {k: repr(v) for k, v in matplotlib.rcParams.items() if rc_before_course[k] != v}

before = state()
before_figure = plt.gcf()
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
print(json.dumps({"before": before["backend"], "changes": changes, "import course": course_rc}))
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
    # `import course` itself changes one setting: the CJK font becomes the last family, the fallback for 汉字
    assert result["import course"] == {"font.family": repr(["sans-serif", "Course Sans SC"])}


# ---------------------------------------------------------------- marks, not emoji

# Characters that browsers draw from a colour emoji font by default (Unicode emoji-data.txt,
# Emoji_Presentation=Yes), plus the supplementary pictograph planes and the emoji variation
# selector. Where no emoji font is installed (Debian's Chromium with DejaVu and Liberation
# fonts only) each one shows as an empty box. Text symbols such as ✓ ✗ ○ ⚠ ▶ ❚ → are fine:
# DejaVu Sans carries them (see test_the_marks_have_glyphs_in_dejavu_sans).
EMOJI_PRESENTATION_BMP = [
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
]
EMOJI = EMOJI_PRESENTATION_BMP + [(0x1F000, 0x1FAFF), (0xFE0F, 0xFE0F)]


def is_emoji(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in EMOJI)


def _sources():
    """(where, text) for every source a learner or teacher reads: course/ code, the README,
    the instructor kit, and the cells (markdown and code, not outputs) of every notebook."""
    import nbformat

    paths = [*sorted((ROOT / "course").rglob("*.py")), ROOT / "README.md", ROOT / "solutions" / "AUTHORING.md",
             *sorted((ROOT / "solutions" / "instructor").glob("**/*.md")), *sorted(ROOT.glob("README.*.md"))]
    for path in paths:
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")
    for path in sorted([*ROOT.glob("solutions/*.ipynb"), *ROOT.glob("notebooks/*.ipynb"),
                        *ROOT.glob("solutions/zh/*.ipynb"), *ROOT.glob("notebooks/zh/*.ipynb"),
                        *ROOT.glob("tests/browser/*.ipynb")]):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            yield f"{path.relative_to(ROOT).as_posix()} cell {i}", cell.source


def test_the_emoji_set():
    assert all(map(is_emoji, "✅❌⏳⌛⭐\U0001F680\U0001F600\ufe0f"))
    assert not any(map(is_emoji, "✓✗○⚠▶❚→·…√≈αβ中文"))


def test_no_emoji_in_what_a_learner_reads():
    found = [f"{where}: U+{ord(ch):04X} {ch!r} at {text.index(ch)}"
             for where, text in _sources() for ch in sorted(set(text)) if is_emoji(ch)]
    assert not found, "emoji show as empty boxes without an emoji font; use ✓ ✗ ○ ⚠:\n" + "\n".join(found)


def test_the_marks_have_glyphs_in_dejavu_sans():
    """Every mark the course shows is in DejaVu Sans (matplotlib's copy; Linux browsers fall back to it)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from course.checks.core import ICONS
    from course.widgets.playground import PAUSE_LABEL, PLAY_LABEL

    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    marks = set("".join(ICONS.values()) + PLAY_LABEL + PAUSE_LABEL + "✓✗⚠→") - set(" PlayPause")
    missing = sorted(ch for ch in marks if font.get_char_index(ord(ch)) == 0)
    assert not missing, f"no glyph in DejaVu Sans for {missing}"
    assert font.get_char_index(0x2705) == 0  # the test can fail: ✅ is not there
