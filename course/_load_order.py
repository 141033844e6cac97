"""Load Triton's native library before TensorFlow's, so that PyTorch and TensorFlow can share a process.

Why (issue 11): on Linux, PyPI's default `torch` is a CUDA build that brings Triton, whose
`triton/_C/libtriton.so` carries its own copy of LLVM. TensorFlow loads its C++ core with RTLD_GLOBAL
(`tensorflow/python/pywrap_dlopen_global_flags.py`), which puts *its* LLVM into the process's global
symbol scope. A libtriton.so loaded after that binds part of its LLVM to TensorFlow's, and its static
initialisers crash the process (a segmentation fault in `llvm::DebugCounter`, seen with torch 2.14.1 and
tensorflow-cpu 2.21). torch imports Triton lazily, on its first `torch.optim` optimiser, so
`import tensorflow; import torch; torch.optim.SGD(...)` dies whatever the order of the two imports.
Loaded *before* TensorFlow, libtriton.so resolves its symbols among its own (it is opened RTLD_LOCAL) and
both frameworks work.

So `import course` (first in every notebook, check and test) preloads libtriton.so when Triton is
installed and TensorFlow has not been loaded yet: one dlopen, no Python import of triton or torch. If
TensorFlow is already loaded, it is too late to preload; then Triton is hidden: a later `import triton`
raises ModuleNotFoundError with the reason instead of crashing, and torch, which takes that for "Triton not
installed", runs without it (only `torch.compile` and some kernels on an NVIDIA GPU need it). The CPU build of torch has no Triton, and nothing happens.
"""
from __future__ import annotations

import ctypes
import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

# kept so that the preloaded library is never closed
_preloaded: list[ctypes.CDLL] = []
# what the first guard() did: `import course` runs it (see guard() for the values)
status = ""

TOO_LATE = (
    "Triton cannot be loaded after TensorFlow in the same process: its LLVM would bind to TensorFlow's and "
    "crash Python. Restart Python and import course (or triton) before tensorflow; torch works without Triton."
)


def triton_library() -> Path | None:
    """Path of Triton's native library `triton/_C/libtriton.so`, or None when Triton is not installed (or hidden).

    Looks the package up without importing it (importlib.util.find_spec).
    """
    try:
        spec = importlib.util.find_spec("triton")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        library = Path(folder, "_C", "libtriton.so")
        if library.is_file():
            return library
    return None


def tensorflow_loaded() -> bool:
    """True once TensorFlow's C++ core can have been loaded into this process."""
    return "tensorflow" in sys.modules  # importing any tensorflow.x imports tensorflow first


def triton_loaded() -> bool:
    return "triton" in sys.modules or bool(_preloaded)


class _HideTriton(importlib.abc.MetaPathFinder):
    """After TensorFlow, Triton is treated as not installed: `import triton` raises ModuleNotFoundError(TOO_LATE).

    ModuleNotFoundError, not another exception, because that is what torch handles as "not installed", both
    where it asks `importlib.util.find_spec("triton")` and where it imports triton.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "triton" or fullname.startswith("triton."):
            raise ModuleNotFoundError(TOO_LATE, name=fullname)
        return None


def guard() -> str:
    """Make Triton and TensorFlow safe to use in this process; return what was done.

    Returns "no triton" (nothing to do: Triton is not installed, e.g. torch's CPU build), "already loaded"
    (Triton was loaded before, by this function or by an import), "preloaded" (libtriton.so opened now,
    before TensorFlow), "hidden" (TensorFlow came first: a later `import triton` raises ModuleNotFoundError)
    or "preload failed" (the library could not be opened; importing Triton would fail the same way, with its
    own message). Safe to call more than once; the first call's answer stays in `status`.
    """
    global status
    result = _guard()
    status = status or result
    return result


def _guard() -> str:
    if any(isinstance(finder, _HideTriton) for finder in sys.meta_path):
        return "hidden"
    library = triton_library()
    if library is None:
        return "no triton"
    if triton_loaded():
        return "already loaded"
    if tensorflow_loaded():
        sys.meta_path.insert(0, _HideTriton())
        return "hidden"
    try:
        _preloaded.append(ctypes.CDLL(str(library), mode=os.RTLD_LOCAL))
    except OSError:
        return "preload failed"
    return "preloaded"
