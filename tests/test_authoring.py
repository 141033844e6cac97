"""The build (solutions/ -> notebooks/); the grader is tested in test_grade.py."""
import subprocess
import sys

import nbformat
import pytest

from course.authoring import ROOT, STUB_MESSAGE, BuildError, build, stub_source

SOLVED = '''import numpy as np
from course.checks import check

def sigmoid(x):
    """x -> σ(x)"""
    ### BEGIN SOLUTION return σ(x) for every entry
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION'''


def make_solution(folder, body=SOLVED, name="01_demo.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo"), nbformat.v4.new_code_cell(body),
                nbformat.v4.new_code_cell('sigmoid = check("sigmoid", sigmoid)\nprint(sigmoid(np.array([0.0])))')]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="stored output\n")]
    nb.cells[1].execution_count = 3
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def test_stub_replaces_the_block_and_keeps_the_rest():
    stub = stub_source(SOLVED)
    assert "np.where" not in stub and "BEGIN SOLUTION" not in stub
    assert "    # YOUR CODE HERE: return σ(x) for every entry\n" in stub
    assert f"    raise NotImplementedError({STUB_MESSAGE!r})" in stub
    assert stub.startswith("import numpy as np") and '"""x -> σ(x)"""' in stub


@pytest.mark.parametrize("source,message", [
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "must sit inside a function body"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1", "never closed"),
    ("def f():\n    return 1\n    ### END SOLUTION", "without a ### BEGIN SOLUTION"),
])
def test_malformed_blocks_are_refused(source, message):
    with pytest.raises(BuildError, match=message):
        stub_source(source)


def test_build_writes_clean_copies_and_check_finds_stale(tmp_path):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    make_solution(solutions)
    assert build(solutions, notebooks) == ["01_demo.ipynb"]
    nb = nbformat.read(notebooks / "01_demo.ipynb", as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "NotImplementedError" in nb.cells[1].source
    assert nb.metadata.kernelspec.name == "python3"
    assert build(solutions, notebooks, check=True) == []
    (notebooks / "01_demo.ipynb").write_text((notebooks / "01_demo.ipynb").read_text() + " ")
    assert build(solutions, notebooks, check=True) == ["01_demo.ipynb"]
    (notebooks / "99_orphan.ipynb").write_text("{}")
    assert "99_orphan.ipynb (no solution for it)" in build(solutions, notebooks, check=True)


# What JupyterLab 4 writes into a notebook once a kernel runs (NotebookPanel._updateSpec and
# _updateLanguage: the kernel's spec and its kernel_info language_info). A learner copy that
# lacks any of it is changed on open and asks to be saved though the learner changed nothing.
JUPYTERLAB_METADATA = {"kernelspec": {"display_name", "language", "name"},
                       "language_info": {"codemirror_mode", "file_extension", "mimetype", "name",
                                         "nbconvert_exporter", "pygments_lexer", "version"}}
EXECUTED = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
            "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3", "version": "3.10.4"}


def assert_as_jupyterlab_writes(nb):
    for key, fields in JUPYTERLAB_METADATA.items():
        assert set(nb.metadata[key]) >= fields, (key, dict(nb.metadata[key]))
    assert nb.metadata.kernelspec == {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    ids = [c.id for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids)


def test_build_writes_the_metadata_jupyterlab_would(tmp_path):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    make_solution(solutions, name="01_never_run.ipynb")  # no language_info: what a kernel on this Python reports
    build(solutions, notebooks)
    nb = nbformat.read(notebooks / "01_never_run.ipynb", as_version=4)
    assert_as_jupyterlab_writes(nb)
    assert nb.metadata.language_info.version == sys.version.split()[0]

    executed = nbformat.read(make_solution(solutions, name="02_executed.ipynb"), as_version=4)
    executed.metadata.language_info = EXECUTED  # the executing kernel's, copied as it is
    executed.metadata.kernelspec = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(executed, solutions / "02_executed.ipynb")
    build(solutions, notebooks)
    for name in ("01_never_run.ipynb", "02_executed.ipynb"):  # the first now takes the executed one's
        nb = nbformat.read(notebooks / name, as_version=4)
        assert_as_jupyterlab_writes(nb)
        assert nb.metadata.language_info == EXECUTED


def test_repository_learner_notebooks_have_the_metadata_jupyterlab_writes():
    for path in [*sorted((ROOT / "notebooks").glob("*.ipynb")), *sorted((ROOT / "notebooks").glob("zh/*.ipynb"))]:
        assert_as_jupyterlab_writes(nbformat.read(path, as_version=4))


def test_build_check_command_exit_status(tmp_path):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    make_solution(solutions)
    cmd = [sys.executable, "-m", "course", "build", "--check", "--solutions", str(solutions), "--notebooks", str(notebooks)]
    stale = subprocess.run(cmd, capture_output=True, text=True)
    assert stale.returncode == 1 and "01_demo.ipynb" in stale.stdout
    subprocess.run(cmd[:4] + cmd[5:], check=True, capture_output=True)
    assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0


def test_repository_notebooks_are_up_to_date():
    # notebooks/ must be exactly what the build writes from solutions/
    result = subprocess.run([sys.executable, "-m", "course", "build", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_build_never_overwrites_a_learners_work(tmp_path):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    path = make_solution(solutions)
    build(solutions, notebooks)
    mine = notebooks / "01_demo.ipynb"
    mine.write_text(mine.read_text().replace("NotImplementedError", "my own answer"))
    learner_text = mine.read_text()
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# Demo, revised"  # the solution changes: the learner copy is stale
    nbformat.write(nb, path)
    with pytest.raises(BuildError, match="edited after the last build.*01_demo.ipynb"):
        build(solutions, notebooks)
    assert mine.read_text() == learner_text
    assert build(solutions, notebooks, force=True) == ["01_demo.ipynb"]
    assert "Demo, revised" in mine.read_text()
