"""Which numbers this machine's numeric libraries give: a fingerprint, to know when stored outputs can match.

Why (issue 11): a float32 matrix product `X @ W` is a long sum, and each BLAS build (OpenBLAS 0.3.21 in
numpy 1.24's wheel, a newer one in numpy 2.4's; a different kernel on each CPU family) adds its terms in its
own order, so the last bits differ. Training amplifies them: the same cell of notebook 06 printed
"97.60% (240 of 10000 digits wrong)" with numpy 1.24.0 where numpy 2.4 printed "97.74% (226 ...)". PyTorch's
and TensorFlow's kernels change the same way from one release or build to the next.

Solution notebooks store, in their metadata (METADATA_KEY), the fingerprint of the machine that produced their
outputs. Where the running machine's fingerprint is the same, the tests compare every digit; elsewhere the
cells tagged TAG (results of training, differences of the order of round-off) are compared with their numbers
masked, and every other cell still digit for digit (root conftest.py).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

TAG = "machine-dependent"  # cell tag: the digits this cell prints depend on the BLAS or a framework's kernels
METADATA_KEY = "course_numerics"  # notebook metadata: fingerprint() of the machine that ran it

# Shapes like the course's own products (a batch through 784-128-64-10 and the gradients back): the sums are
# long enough that blocking, vector width and FMA show in the last bits.
_PRODUCTS = ((64, 784, 128), (64, 128, 64), (128, 64, 784), (10, 300, 10))
# The frameworks of notebooks 08-09, whose own kernels are told apart by their release and build
# (e.g. torch "2.13.0+cpu" and "2.14.1"); looked up, not imported.
_FRAMEWORKS = ("torch", "tensorflow", "tensorflow-cpu", "keras")

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"\s+")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def fingerprint() -> str:
    """12 hex digits that change when this process's numeric libraries round differently.

    Hashes the bytes of a few seeded matrix products (float32 and float64, shapes from _PRODUCTS), computed
    by numpy's BLAS, and the installed versions of torch, TensorFlow and Keras. Deterministic for one BLAS
    build, CPU kernel and thread count (notebooks run with the thread counts of course.authoring.NOTEBOOK_ENV:
    compute it under those, with fingerprint_with). Takes a few milliseconds.
    """
    rng = np.random.default_rng(0)
    digest = hashlib.sha256()
    for dtype in (np.float32, np.float64):
        for n, k, m in _PRODUCTS:
            a = rng.standard_normal((n, k)).astype(dtype)
            b = rng.standard_normal((k, m)).astype(dtype)
            digest.update(np.ascontiguousarray(a @ b).tobytes())
    digest.update(" ".join(f"{dist}={_version(dist)}" for dist in _FRAMEWORKS).encode())
    return digest.hexdigest()[:12]


def fingerprint_with(env: dict[str, str]) -> str:
    """fingerprint() computed in a fresh Python whose environment is os.environ updated with `env`.

    BLAS libraries read their thread settings once, when loaded: pass course.authoring.NOTEBOOK_ENV to get
    what a notebook kernel gets. Raises subprocess.CalledProcessError if that Python fails.
    """
    root = str(Path(__file__).resolve().parents[1])
    environ = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    code = "from course.numerics import fingerprint; print(fingerprint())"
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True,
                          check=True).stdout.strip()


def mask_numbers(text: str) -> str:
    """`text` with every number replaced by N and every run of white space by one space.

    What is left of a machine-dependent output to compare on another machine: its words, labels and layout,
    not its digits. 'test accuracy: 97.51%  (249 wrong)' -> 'test accuracy: N% (N wrong)'. Column padding
    and numpy's line wrapping, which change with the width of the numbers, become single spaces.
    """
    return _SPACE.sub(" ", _NUMBER.sub("N", text)).strip()


def compare_digits(tags: list[str], stored: str | None, current: str) -> bool:
    """Whether a solution cell's stored output can be compared digit for digit here.

    tags: the cell's metadata tags; stored: the fingerprint in the notebook's metadata (None: none stored);
    current: fingerprint() here. Only a cell tagged TAG, on a machine with another fingerprint, cannot.
    """
    return TAG not in tags or stored == current
