"""course.frameworks without the frameworks: import, FrameworkMissing, the Keras epsilon, the notebook skips.

A missing framework is simulated with sys.modules[name] = None, which makes `import name`
raise ModuleNotFoundError exactly as when it is not installed. The comparisons with the real
PyTorch and Keras are in test_frameworks_torch.py and test_frameworks_keras.py.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import math
import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from course import MLP
from course import frameworks as fw
from course._validate import CourseInputError
from course.authoring import NOTEBOOK_ENV

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["pytester"]


def hide(monkeypatch, *modules):
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def run_python(code, **env):
    environ = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=120, check=False)


# ---------------------------------------------------------------- importing
def test_import_does_not_import_a_framework():
    code = ("import sys, course.frameworks, course; course.frameworks.FrameworkMissing; "
            "print(sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))")
    proc = run_python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ---------------------------------------------------------------- a missing framework
@pytest.mark.parametrize("name, label, pip", [
    ("torch", "PyTorch", "torch"),
    ("tensorflow", "TensorFlow", "tensorflow"),
    ("keras", "Keras", "tensorflow"),
])
def test_missing_framework_is_one_line_saying_how_to_install(monkeypatch, name, label, pip):
    hide(monkeypatch, name)
    with pytest.raises(fw.FrameworkMissing) as info:
        fw.require(name)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{label}") and "is not installed" in message
    assert f"{sys.executable} -m pip install {pip}" in message and '-e ".[frameworks]"' in message
    assert isinstance(info.value, ImportError)  # `except ImportError` still catches it
    assert info.value._render_traceback_() == [message]
    assert fw.available(name) is False
    assert message == fw.install_message(name)


def test_keras_without_tensorflow_is_missing_too():
    # Keras 3 runs on TensorFlow here; a fresh interpreter, because keras imports TF only once.
    code = ("import sys; sys.modules['tensorflow'] = None\n"
            "from course import frameworks as fw\n"
            "try:\n    fw.require('keras')\nexcept fw.FrameworkMissing as e:\n    print(e)\n"
            "print(fw.available('keras'))")
    proc = run_python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [fw.install_message("keras"), "False"]


def test_every_helper_says_the_framework_is_missing(monkeypatch):
    hide(monkeypatch, "torch", "keras", "tensorflow")
    mlp = MLP([4, 3, 2])
    for call in (lambda: fw.torch_mlp([4, 3, 2]), lambda: fw.to_torch(mlp), lambda: fw.from_torch(object()),
                 lambda: fw.keras_mlp([4, 3, 2]), lambda: fw.to_keras(mlp), lambda: fw.from_keras(object())):
        with pytest.raises(fw.FrameworkMissing, match="is not installed"):
            call()


def test_broken_framework_says_reinstall(monkeypatch):
    # An installed framework whose import fails (a missing shared library, say) is not "missing":
    # the message says so and how to repair it. Simulated by a module whose import raises.
    def fail(name, *args):
        if name == "torch":
            raise OSError("libtorch_cpu.so: cannot open shared object file\nsecond line")
        return real(name, *args)

    real = fw.importlib.import_module
    monkeypatch.setattr(fw.importlib, "import_module", fail)
    with pytest.raises(fw.FrameworkMissing) as info:
        fw.require("torch")
    message = str(info.value)
    assert "\n" not in message
    assert "installed but could not be imported" in message and "libtorch_cpu.so" in message
    # pip of the Python that failed, not whichever `python` a terminal finds first
    assert f"{sys.executable} -m pip install --force-reinstall torch" in message
    assert isinstance(info.value.__cause__, OSError)
    assert fw.available("torch") is False


def test_a_missing_dependency_of_the_framework_is_not_reported_as_the_framework(monkeypatch):
    def fail(name, *args):
        raise ModuleNotFoundError("No module named 'typing_extensions'", name="typing_extensions")  # torch needs it

    monkeypatch.setattr(fw.importlib, "import_module", fail)
    with pytest.raises(fw.FrameworkMissing, match="PyTorch is installed but could not be imported.*typing_extensions"):
        fw.require("torch")


def test_unknown_framework_name():
    for call in (fw.require, fw.available, fw.install_message):
        with pytest.raises(CourseInputError, match="name: expected one of 'torch', 'tensorflow', 'keras', got 'jax'"):
            call("jax")


def test_jupyter_shows_only_the_one_line():
    # IPython calls _render_traceback_ instead of printing the traceback.
    ipython = Path(sys.executable).with_name("ipython")
    if not ipython.exists():
        pytest.skip("IPython is not installed next to this Python: python -m pip install ipython")
    code = ("import sys; sys.modules['torch'] = None\n"
            "from course import MLP, frameworks\n"
            "frameworks.to_torch(MLP([2, 3]))\n")
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([str(ipython), "--colors=nocolor", "--no-banner", "-c", code], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=120, check=False)
    shown = (proc.stdout + proc.stderr).strip().splitlines()
    assert shown == [fw.install_message("torch")], proc.stdout + proc.stderr


def test_tensorflow_is_told_to_be_quiet_before_it_is_imported(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    hide(monkeypatch, "tensorflow", "keras")
    with pytest.raises(fw.FrameworkMissing):
        fw.require("tensorflow")
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    # a learner's own setting is kept
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    with pytest.raises(fw.FrameworkMissing):
        fw.require("keras")
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"


def test_notebook_kernels_keep_tensorflow_quiet():
    assert NOTEBOOK_ENV["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert NOTEBOOK_ENV["TF_ENABLE_ONEDNN_OPTS"] == "0"


# ---------------------------------------------------------------- Keras's Adam epsilon
def test_keras_adam_epsilon_is_eps_times_sqrt_of_1_minus_beta2_power():
    assert fw.keras_adam_epsilon(1e-8) == pytest.approx(1e-8 * math.sqrt(1 - 0.999), rel=1e-15)
    assert fw.keras_adam_epsilon(1e-8, step=1000) == pytest.approx(1e-8 * math.sqrt(1 - 0.999 ** 1000), rel=1e-15)
    assert fw.keras_adam_epsilon(1e-7, step=5, beta_2=0.99) == pytest.approx(1e-7 * math.sqrt(1 - 0.99 ** 5), rel=1e-15)
    # the two updates, written out as the docstring says, agree with it for random m, v
    rng = np.random.default_rng(0)
    m, v = rng.normal(size=100), rng.uniform(0, 1e-12, 100)  # small v: where epsilon matters
    lr, b1, b2, eps, t = 1e-3, 0.9, 0.999, 1e-8, 3
    torch_step = lr / (1 - b1 ** t) * m / (np.sqrt(v) / math.sqrt(1 - b2 ** t) + eps)
    e_hat = fw.keras_adam_epsilon(eps, step=t, beta_2=b2)
    keras_step = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + e_hat)
    np.testing.assert_allclose(keras_step, torch_step, rtol=1e-13)


@pytest.mark.parametrize("kwargs, message", [
    ({"eps": 0}, "eps: expected a finite number > 0, got 0.0"),
    ({"eps": "small"}, "eps: expected a number, got str"),
    ({"step": 0}, "step: expected an integer >= 1, got 0"),
    ({"step": 1.5}, "step: expected an integer >= 1, got float 1.5"),
    ({"beta_2": 1.0}, r"beta_2: expected a number in \[0, 1\), got 1.0"),
])
def test_keras_adam_epsilon_bad_input(kwargs, message):
    with pytest.raises(CourseInputError, match=message):
        fw.keras_adam_epsilon(**kwargs)


# ---------------------------------------------------------------- notebooks 08/09 skipped without their framework
def root_conftest():
    spec = importlib.util.spec_from_file_location("course_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pretend_installed(monkeypatch, name):
    fake = types.ModuleType(name)
    fake.__spec__ = importlib.machinery.ModuleSpec(name, None)
    monkeypatch.setitem(sys.modules, name, fake)


def test_missing_framework_predicate(monkeypatch):
    missing = root_conftest().missing_framework
    hide(monkeypatch, "torch", "tensorflow")
    for folder in ("solutions", "notebooks"):
        assert missing(ROOT / folder / "08_pytorch.ipynb") == fw.install_message("torch")
        assert missing(ROOT / folder / "09_keras.ipynb") == fw.install_message("tensorflow")
        assert missing(ROOT / folder / "07_training.ipynb") is None
    assert missing(ROOT / "tests" / "08_helper.py") is None  # only notebooks
    pretend_installed(monkeypatch, "torch")
    pretend_installed(monkeypatch, "tensorflow")
    assert missing(ROOT / "solutions" / "08_pytorch.ipynb") is None
    assert missing(ROOT / "notebooks" / "09_keras.ipynb") is None


def notebook(source):
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
                   "source": source}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    })


def test_conftest_skips_notebook_cells_whose_framework_is_missing(pytester, monkeypatch):
    # The real root conftest.py, in a pytest run of its own: the cells of 08_/09_ notebooks
    # are skipped (no kernel is started) with the install line as the reason.
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makefile(".ipynb", **{"08_pytorch": notebook("import torch"), "09_keras": notebook("import keras")})
    hide(monkeypatch, "torch", "tensorflow")
    result = pytester.runpytest_inprocess("--nbval-lax", "-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(skipped=2)
    skipped = [line for line in result.stdout.lines if line.startswith("SKIPPED")]
    assert len(skipped) == 2, result.stdout.str()
    assert skipped[0].endswith(f"08_pytorch.ipynb: {fw.install_message('torch')}")
    assert skipped[1].endswith(f"09_keras.ipynb: {fw.install_message('tensorflow')}")
