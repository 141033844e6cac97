"""PyTorch and TensorFlow in one process (issue 11; the why is in course/_load_order.py).

With PyPI's default torch on Linux (a CUDA build, which brings Triton) beside tensorflow-cpu,
`import tensorflow; import torch; torch.optim.SGD(...)` died with a segmentation fault, and so did the
test run and notebook 09's kernel. Each case runs in a subprocess, so that a regression shows as a failed
test (return code -11) rather than a dead test run. The cases run against whatever torch is installed:
CI's README install has the CUDA build, the lowest-versions run has the CPU build.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

both_frameworks = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("tensorflow") is None,
    reason="needs torch and TensorFlow: python -m pip install -e \".[frameworks]\"",
)

# One optimiser step in each framework, once both are imported: torch imports Triton lazily, at its first
# optimiser, so by then TensorFlow is loaded whichever of the two was imported first.
USE_BOTH = """
import torch
import tensorflow as tf
from tensorflow import keras
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.1)
(w - 1).pow(2).sum().backward()
opt.step()
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
model.fit(tf.zeros((4, 3)), tf.zeros((4, 2)), verbose=0)
print("ok", float(w[0]))
"""


def run(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-X", "faulthandler", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_survived(result: subprocess.CompletedProcess) -> None:
    tail = "\n".join(result.stderr.strip().splitlines()[-25:])
    assert result.returncode == 0 and "ok" in result.stdout, (
        f"the process ended with return code {result.returncode} (-11 is a segmentation fault):\n{tail}")


@both_frameworks
@pytest.mark.parametrize("first", ["tensorflow", "torch"])
def test_course_first_then_both_frameworks_in_either_order(first):
    assert_survived(run(f"import course\nimport {first}\n" + USE_BOTH))


@both_frameworks
def test_tensorflow_before_course_still_does_not_crash():
    # too late to preload: Triton is hidden and torch runs without it
    assert_survived(run("import tensorflow\nimport course\n" + USE_BOTH))


@both_frameworks
def test_the_doctors_fix_works_without_course():
    # `pip uninstall -y triton`, as the doctor advises, simulated: to torch, a Triton that raises
    # ModuleNotFoundError on import is not installed. No course import: a learner's own script.
    assert_survived(run(textwrap.dedent("""
        import importlib.abc, sys
        class NoTriton(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "triton":
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        sys.meta_path.insert(0, NoTriton())
        import tensorflow
    """) + USE_BOTH))


def fake_triton(tmp_path: Path, library: Path | None) -> Path:
    """A folder holding a package `triton` whose _C/libtriton.so is a copy of `library` (or not a library)."""
    package = tmp_path / "triton"
    (package / "_C").mkdir(parents=True)
    (package / "__init__.py").write_text("LOADED = True\n")
    target = package / "_C" / "libtriton.so"
    if library is None:
        target.write_text("not a shared library")
    else:
        shutil.copy(library, target)
    return tmp_path


def guard_in_subprocess(folder: Path, before: str) -> subprocess.CompletedProcess:
    return run(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(folder)!r})
        {before}
        import course._load_order as lo
        print(lo.status)  # what `import course` did
        print(lo.guard())
        try:
            import triton
            print("imported", triton.LOADED)
        except ModuleNotFoundError as e:
            print("hidden:", e)
    """))


def test_guard_preloads_the_library_before_tensorflow(tmp_path):
    # any real shared library stands in for libtriton.so: Python's own _ctypes extension
    library = Path(importlib.util.find_spec("_ctypes").origin)
    result = guard_in_subprocess(fake_triton(tmp_path, library), before="")
    assert result.stdout.split("\n")[:3] == ["preloaded", "already loaded", "imported True"], result.stderr


def test_guard_hides_triton_when_tensorflow_came_first(tmp_path):
    # a module named tensorflow already imported is all the guard looks at
    result = guard_in_subprocess(fake_triton(tmp_path, None), before="sys.modules['tensorflow'] = type(sys)('tensorflow')")
    lines = result.stdout.split("\n")
    assert lines[:2] == ["hidden", "hidden"], result.stderr
    assert lines[2].startswith("hidden: Triton cannot be loaded after TensorFlow"), lines


def test_guard_reports_a_library_that_cannot_be_opened(tmp_path):
    result = guard_in_subprocess(fake_triton(tmp_path, None), before="")
    assert result.stdout.split("\n")[0] == "preload failed", result.stderr

