"""Execute solution notebooks in place on a fresh kernel and store their outputs.

    python scripts/run_notebook.py solutions/02_activation_functions.ipynb [...]

Uses the same thread settings as the tests (course.authoring.NOTEBOOK_ENV), so the stored outputs
are what nbval will reproduce, and stores the fingerprint of the numeric libraries that produced them in the
notebook's metadata (course/numerics.py: elsewhere the tests mask the digits of cells tagged machine-dependent).
Prints each notebook's run time.
"""
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course import numerics
from course.authoring import NOTEBOOK_ENV

os.environ.update(NOTEBOOK_ENV)
NUMERICS = numerics.fingerprint_with(NOTEBOOK_ENV)

for name in sys.argv[1:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps: they would change on every run
    nb.metadata[numerics.METADATA_KEY] = NUMERICS
    nbformat.write(nb, path)
    print(f"{path}: {time.perf_counter() - start:.1f} s")
