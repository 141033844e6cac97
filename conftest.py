"""Test configuration shared by the unit tests and the notebook runs (nbval).

BLAS/OpenMP threads are fixed so that notebook outputs are the same on every
run; kernels started by nbval inherit these variables.

Notebooks 08 (PyTorch) and 09 (TensorFlow/Keras) need an optional framework: where
it is not installed their cells are skipped with a one-line reason saying how to
install it, instead of failing on `import torch`.

Solution notebooks are compared digit for digit where this machine's numeric libraries (BLAS,
torch, TensorFlow) round as those that produced their outputs did (the fingerprint in their
metadata, course/numerics.py); elsewhere, cells tagged `machine-dependent` (results of training)
are compared with their numbers masked, and every other cell still digit for digit.
"""
import functools
import importlib.util
import os
from pathlib import Path

import pytest

from course import numerics
from course.authoring import NOTEBOOK_ENV

os.environ.update(NOTEBOOK_ENV)
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

# notebook file-name prefix -> the framework its cells import
NOTEBOOK_FRAMEWORKS = {"08_": "torch", "09_": "tensorflow"}


def missing_framework(path):
    """Why the notebook at `path` cannot run here (the one-line install message), or None.

    find_spec looks for the module without importing it, so collecting stays fast; a framework
    that is installed but broken is not skipped: its notebook fails, loudly, as it should.
    """
    path = Path(path)
    if path.suffix != ".ipynb":
        return None
    for prefix, module in NOTEBOOK_FRAMEWORKS.items():
        if path.name.startswith(prefix) and importlib.util.find_spec(module) is None:
            from course.frameworks import install_message

            return install_message(module)
    return None


def notebook_kind(path) -> str | None:
    """'learner' for notebooks/ and notebooks/<lang>/, 'solution' for solutions/ and solutions/<lang>/
    (the languages of course.i18n.FOLDER), else None."""
    from course.i18n import FOLDER

    path = Path(path)
    if path.suffix != ".ipynb":
        return None
    folder = path.parent.parent if path.parent.name in FOLDER.values() else path.parent
    return {"notebooks": "learner", "solutions": "solution"}.get(folder.name)


def pytest_collectstart(collector):
    # Learner notebooks (both languages) are run lax: every cell must run without error (all
    # exercises unsolved), but they have no stored outputs to compare.
    path = getattr(collector, "path", None)
    if path is not None and notebook_kind(path) == "learner":
        collector.compare_outputs = False


@functools.cache
def notebook_numerics() -> str:
    """The numerics fingerprint in a process like a notebook kernel's (the same thread settings)."""
    return numerics.fingerprint_with(NOTEBOOK_ENV)


def mask_machine_digits(item) -> bool:
    """On another machine than the stored one, compare this machine-dependent cell without its digits."""
    cell, notebook = getattr(item, "cell", None), getattr(getattr(item, "parent", None), "nb", None)
    tags = cell.metadata.get("tags", []) if cell is not None else []
    if notebook is None or numerics.TAG not in tags:  # untagged cells never need the fingerprint (a subprocess)
        return False
    if numerics.compare_digits(tags, notebook.metadata.get(numerics.METADATA_KEY), notebook_numerics()):
        return False
    sanitize = item.sanitize
    item.sanitize = lambda s: numerics.mask_numbers(sanitize(s)) if isinstance(s, str) else sanitize(s)
    return True


MASKED = pytest.StashKey[int]()  # how many machine-dependent cells this run compares without digits


def pytest_collection_modifyitems(config, items):
    reasons = {}  # one look-up per notebook, not per cell
    masked = 0
    for item in items:
        path = getattr(item, "path", None)
        if path is None:
            continue
        if path not in reasons:
            reasons[path] = missing_framework(path)
        if reasons[path]:
            item.add_marker(pytest.mark.skip(reason=reasons[path]))
        elif notebook_kind(path) == "solution":
            masked += mask_machine_digits(item)
    config.stash[MASKED] = masked


def pytest_report_collectionfinish(config):
    masked = config.stash.get(MASKED, 0)
    if masked:
        return (f"this machine's numeric libraries (fingerprint {notebook_numerics()}) round differently from those "
                f"that ran solutions/: {masked} machine-dependent cells are compared with their numbers masked")
    return None
