"""`course build` never ships a solution (issue 13): the markers nbgrader reads are accepted, every near miss
stops the build naming notebook, cell and line, and whatever the markers a learner copy that still holds a line
of a solution region is refused."""
import subprocess
import sys

import nbformat
import pytest

import course.authoring
from course.authoring import STUB_MESSAGE, BuildError, build, learner_copy, stub_source

SOLUTION = ["e = np.exp(-np.abs(x))", "return np.where(x >= 0, 1 / (1 + e), e / (1 + e))"]


def exercise(begin="### BEGIN SOLUTION", end="### END SOLUTION", after=""):
    """A code cell's text: a function whose body is a solution block between `begin` and `end` (lines 5 and 8)."""
    return "\n".join(["import numpy as np", "", "def sigmoid(x):", '    """x -> σ(x)"""', f"    {begin}",
                      *(f"    {line}" for line in SOLUTION), f"    {end}"]) + after


def make_solution(folder, cells, name="01_demo.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / name)


def demo(source):
    """A solution notebook's cells: a title, the exercise (cell 1), its check."""
    return [nbformat.v4.new_markdown_cell("# Demo"), nbformat.v4.new_code_cell(source),
            nbformat.v4.new_code_cell('sigmoid = check("sigmoid", sigmoid)')]


# nbgrader's ClearSolutions._replace_solution_region takes a line as a marker when it contains the delimiter:
# `if self.begin_solution_delimeter in line`, delimiters "BEGIN SOLUTION" and "END SOLUTION" by default.
def nbgrader_takes(line):
    return "BEGIN SOLUTION" in line or "END SOLUTION" in line


NEAR_MISSES = [("## BEGIN SOLUTION", "## END SOLUTION"), ("#### BEGIN SOLUTION", "#### END SOLUTION"),
               ("### begin solution", "### end solution"), ("###BEGIN SOLUTION", "###END SOLUTION"),
               ("# BEGIN SOLUTION", "# END SOLUTION")]


@pytest.mark.parametrize("begin,end", NEAR_MISSES, ids=[b for b, _ in NEAR_MISSES])
def test_the_five_near_misses_build_a_correct_stub_or_stop(tmp_path, begin, end):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    make_solution(solutions, demo(exercise(begin, end)))
    if nbgrader_takes(begin) and nbgrader_takes(end):  # nbgrader reads them: the stub is the canonical one
        build(solutions, notebooks)
        learner = nbformat.read(notebooks / "01_demo.ipynb", as_version=4).cells[1].source
        assert learner == stub_source(exercise())
        assert f"    raise NotImplementedError({STUB_MESSAGE!r})" in learner
        assert not any(line in learner for line in SOLUTION)
    else:
        with pytest.raises(BuildError) as error:
            build(solutions, notebooks)
        message = str(error.value)
        assert message.startswith("01_demo.ipynb, cell 1, line 5: found '### begin solution'"), message
        assert "expected a comment line `### BEGIN SOLUTION`" in message
        assert not notebooks.exists()  # nothing written


def test_which_of_the_five_nbgrader_reads():
    # the test above must exercise both branches: four spellings nbgrader reads, one it would ship as code
    assert [nbgrader_takes(begin) for begin, _ in NEAR_MISSES] == [True, True, False, True, True]


@pytest.mark.parametrize("marker", ["### Begin Solution", "### BEGIN  SOLUTION", "### BEGIN_SOLUTION",
                                    "###  begin-solution", "### BEGIN SOLUTIONS", "x = 1  # BEGIN SOLUTION",
                                    'print("BEGIN SOLUTION")', "BEGIN SOLUTION"])
def test_other_marker_lookalikes_stop_the_build(marker):
    with pytest.raises(BuildError, match=r"^nb.ipynb, cell 4, line 5: found .+ which looks like a solution marker"):
        stub_source(exercise(begin=marker), "nb.ipynb, cell 4")


def test_a_near_miss_end_marker_stops_the_build():
    with pytest.raises(BuildError, match=r"cell, line 8: found '### end solution'"):
        stub_source(exercise(end="### end solution"))


def test_accepted_markers_keep_the_task_line_and_the_indent():
    stub = stub_source(exercise(begin="#BEGIN SOLUTION: return σ(x) for every entry", end="#   END SOLUTION"))
    assert stub == stub_source(exercise(begin="### BEGIN SOLUTION return σ(x) for every entry"))
    assert "    # YOUR CODE HERE: return σ(x) for every entry\n" in stub


@pytest.mark.parametrize("kind", ["markdown", "raw"])
def test_markers_outside_code_cells_stop_the_build(tmp_path, kind):
    solutions = tmp_path / "solutions"
    cells = demo(exercise())
    new_cell = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_raw_cell
    cells.append(new_cell("Answer:\n### BEGIN SOLUTION\nThe gradient vanishes.\n### END SOLUTION"))
    make_solution(solutions, cells)
    expected = rf"^01_demo.ipynb, cell 3, line 2: found '### BEGIN SOLUTION', a solution marker in a {kind} cell"
    with pytest.raises(BuildError, match=expected):
        build(solutions, tmp_path / "notebooks")


def test_a_solution_line_outside_its_block_is_a_leak(tmp_path):
    solutions = tmp_path / "solutions"
    # correct markers, but the first solution line is also written after the function
    make_solution(solutions, demo(exercise(after="\n\ne = np.exp(-np.abs(x))  # for the figure below")))
    with pytest.raises(BuildError) as error:
        build(solutions, tmp_path / "notebooks")
    assert str(error.value).startswith("01_demo.ipynb, cell 1, line 8: the learner copy still contains line 6 "
                                       "of the solution, 'e = np.exp(-np.abs(x))'"), str(error.value)


def test_a_solution_line_in_the_docstring_is_a_leak():
    source = exercise().replace('"""x -> σ(x)"""', f'"""x -> σ(x), e.g. {SOLUTION[1]}"""')
    nb = nbformat.v4.new_notebook()
    nb.cells = demo(source)
    with pytest.raises(BuildError, match=r"cell 1, line 4: the learner copy still contains line 7 of the solution"):
        learner_copy(nb, "01_demo.ipynb")


def test_the_leak_check_does_not_rely_on_the_stub_writer(monkeypatch):
    # a stub writer that misses the markers (the bug of issue 13) is caught by the check of the copy
    monkeypatch.setattr(course.authoring, "stub_source", lambda source, where="cell": source)
    nb = nbformat.v4.new_notebook()
    nb.cells = demo(exercise(begin="#### BEGIN SOLUTION", end="#### END SOLUTION"))
    with pytest.raises(BuildError, match=r"^01_demo.ipynb, cell 1, line 6: the learner copy still contains line 6"):
        learner_copy(nb, "01_demo.ipynb")


def test_trivial_lines_are_not_leaks():
    # `return x`, `pass` and short lines occur everywhere: the same lines outside the block are not a leak
    body = "    try:\n        y = [x,\n        ]\n    finally:\n        pass\n    return y"
    source = f"def f(x):\n    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION\n\ndef g(x):\n{body}"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    learner = learner_copy(nb, "01_demo.ipynb").cells[0].source
    assert learner.endswith(f"def g(x):\n{body}")


@pytest.mark.parametrize("source,found", [
    (exercise(begin="### begin solution", end="### end solution"), "found '### begin solution'"),
    (exercise(after="\nx = 0.5\ne = np.exp(-np.abs(x))"), "still contains line 6 of the solution"),
], ids=["near-miss", "leak"])
def test_build_command_stops_with_one_sentence(tmp_path, source, found):
    solutions, notebooks = tmp_path / "solutions", tmp_path / "notebooks"
    make_solution(solutions, demo(source))
    for extra in ([], ["--check"]):
        result = subprocess.run([sys.executable, "-m", "course", "build", *extra, "--solutions", str(solutions),
                                 "--notebooks", str(notebooks)], capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stdout.startswith(f"build: 01_demo.ipynb, cell 1, ") and found in result.stdout, result.stdout
        assert len(result.stdout.strip().splitlines()) == 1 and result.stdout.rstrip().endswith(".")
        assert "Traceback" not in result.stderr
        assert not notebooks.exists()
