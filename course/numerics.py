"""Which floating-point results this machine's BLAS gives: a fingerprint, to know when stored outputs can match.

Why (issue 11): a float32 matrix product `X @ W` is a long sum, and each BLAS build (OpenBLAS 0.3.21 in
numpy 1.24's wheel, 0.3.30 in numpy 2.4's; a different kernel on each CPU family) adds its terms in its own
order, so the last bits differ. Training amplifies them: the same notebook trained with numpy 1.26.4 prints
"97.51% (249 wrong)" where numpy 2.4 printed "97.74% (226 wrong)". Solution notebooks store, in their
metadata, the fingerprint of the BLAS that produced their outputs; where the fingerprint of the running BLAS
is the same, the tests compare every digit, elsewhere they compare the cells tagged `blas-dependent` with
their numbers masked (see conftest.py).
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

TAG = "blas-dependent"  # cell tag: this cell's printed digits depend on the BLAS (e.g. results of training)
METADATA_KEY = "course_blas"  # notebook metadata: the fingerprint of the BLAS that produced the stored outputs

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"\s+")

# Shapes like the course's own products (a batch through 784-128-64-10 and the gradients back): the sums are
# long enough that blocking, vector width and FMA show in the last bits.
_PRODUCTS = ((64, 784, 128), (64, 128, 64), (128, 64, 784), (10, 300, 10))


def fingerprint() -> str:
    """12 hex digits that change when this process's BLAS rounds float32 and float64 products differently.

    Computes a few seeded matrix products (float32 and float64, shapes from _PRODUCTS) and hashes their bytes.
    Deterministic for one BLAS build, CPU kernel and thread count (notebooks run with the thread counts of
    course.authoring.NOTEBOOK_ENV, so compute it under those). Takes a few milliseconds.
    """
    rng = np.random.default_rng(0)
    digest = hashlib.sha256()
    for dtype in (np.float32, np.float64):
        for n, k, m in _PRODUCTS:
            a = rng.standard_normal((n, k)).astype(dtype)
            b = rng.standard_normal((k, m)).astype(dtype)
            digest.update(np.ascontiguousarray(a @ b).tobytes())
    return digest.hexdigest()[:12]


def mask_numbers(text: str) -> str:
    """`text` with every number replaced by N and every run of white space by one space.

    What is left of a BLAS-dependent output to compare on another BLAS: its words, labels and layout, not
    its digits. 'test accuracy: 97.51%  (249 wrong)' -> 'test accuracy: N% (N wrong)'. Column padding
    and numpy's line wrapping, which change with the width of the numbers, become single spaces.
    """
    return _SPACE.sub(" ", _NUMBER.sub("N", text)).strip()


def fingerprint_with(env: dict[str, str]) -> str:
    """fingerprint() computed in a fresh Python whose environment is os.environ updated with `env`.

    BLAS libraries read their thread settings once, when loaded: pass course.authoring.NOTEBOOK_ENV to get
    what a notebook kernel gets. Raises subprocess.CalledProcessError if that Python fails.
    """
    root = str(Path(__file__).resolve().parents[1])
    environ = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    code = "from course.blas import fingerprint; print(fingerprint())"
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True,
                          check=True).stdout.strip()


def compare_digits(tags: list[str], stored: str | None, current: str) -> bool:
    """Whether a solution cell's stored output can be compared digit for digit here.

    tags: the cell's metadata tags; stored: the fingerprint in the notebook's metadata (None: none stored);
    current: fingerprint() here. Only a cell tagged TAG, on a BLAS other than the stored one, cannot.
    """
    return TAG not in tags or stored == current
