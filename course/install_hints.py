"""The install lines the course prints, in one place: `python -m course doctor` and course.frameworks
(a learner without torch or TensorFlow) give the same advice in the same words.

Standard library only, and nothing imported beyond ``sys`` and course.i18n (which is standard library
only too): both the doctor and the core import it.

    MINIMUMS        lowest versions the course supports, the same as pyproject.toml
                    (tests/test_packaging.py checks that they agree)
    PYTHON          the Python running the course, quoted when its path has a space
    PIP             "<that Python> -m pip install"
    FRAMEWORKS_EXTRA  the command that installs the `frameworks` extra from the course folder
    frameworks_fix()  the one-line alternative that runs it, in the user's language
    TORCH_PIP       what to pip install for torch (the CPU build on Linux)
    TF_PIP          what to pip install for TensorFlow (tensorflow-cpu except on macOS)
"""
from __future__ import annotations

import sys

from .i18n import _

# Lower bounds, the same as pyproject.toml (tests/test_packaging.py checks that they agree).
MINIMUMS = {
    "python": "3.10",
    "numpy": "1.24",
    "matplotlib": "3.7",
    "ipywidgets": "8.0",
    "jupyterlab": "4.0",
    "ipympl": "0.9.3",
    "tqdm": "4.65",
    "torch": "2.13",
    "tensorflow": "2.16.1",
}

# The Python running the course: advice names it, because a bare `python` in a terminal may be another one (a venv
# not activated, a kernel's Python): its pip installs where the course looks.
PYTHON = f'"{sys.executable}"' if " " in sys.executable else sys.executable
PIP = f"{PYTHON} -m pip install"
FRAMEWORKS_EXTRA = f'{PIP} -e ".[frameworks]"'


def frameworks_fix() -> str:
    """'or, in the course folder: <python> -m pip install -e ".[frameworks]"', in the current language."""
    return _("or, in the course folder: {command}").format(command=FRAMEWORKS_EXTRA)


# On Linux, PyPI's torch is a CUDA build of several GB; the course needs only the CPU build, a fraction of that.
TORCH_PIP = "torch --index-url https://download.pytorch.org/whl/cpu" if sys.platform.startswith("linux") else "torch"
TF_PIP = "tensorflow" if sys.platform == "darwin" else "tensorflow-cpu"
