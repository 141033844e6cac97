"""Execute solution notebooks in place on a fresh kernel and store their outputs.

    python scripts/run_notebook.py solutions/02_activation_functions.ipynb [...]

Uses the same thread settings as the tests (conftest.py), so the stored outputs
are what nbval will reproduce. Prints each notebook's run time.
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "2"
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"

for name in sys.argv[1:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps: they would change on every run
    nbformat.write(nb, path)
    print(f"{path}: {time.perf_counter() - start:.1f} s")
