"""A learner's stub states the task and holds no code: the answer comes from hint(name), one level
at a time, never from the docstring, a comment or the NotImplementedError message (issue 12, part 2)."""
import io
import re
import tokenize

import nbformat
import pytest

from course.authoring import LOOKS_LIKE_MARKER, ROOT, STUB_MESSAGE, solution_lines, stub_source

# Python in prose: a NumPy/framework call, a matrix product, a method call, an axis argument, a power,
# a slice, `return f(...)`. Maths (σ(z), x·W + b, v_new = μ v + g) is allowed: it is the task.
CODE = re.compile(r"\bnp\.|@|\btorch\.|\bkeras\.|\btf\.|\bnn\.|\w\.\w+\(|\baxis\s*=|\*\*|\bzip\(|\brange\(|"
                  r"\blambda\b|\[\s*:|\w\.T\b|\breturn\s+\w+\(|\bdtype\s*=")

EXERCISE_CELLS = [("/".join(path.parts[-2:]) if path.parent.name == "zh" else path.name, index, cell.source)
                  for path in [*sorted((ROOT / "solutions").glob("*.ipynb")),  # and the Chinese solutions
                               *sorted((ROOT / "solutions").glob("zh/*.ipynb"))]
                  for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
                  if cell.cell_type == "code" and LOOKS_LIKE_MARKER.search(cell.source)]


def _prose(source):
    """The comments and string literals of a cell (its docstrings, its stub's message)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t.string for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING)]


def test_there_are_exercise_cells():
    assert len(EXERCISE_CELLS) >= 30


@pytest.mark.parametrize("name,index,source", EXERCISE_CELLS, ids=[f"{n}:{i}" for n, i, _ in EXERCISE_CELLS])
def test_stub_holds_no_code(name, index, source):
    learner = stub_source(source)
    leaked = [line for _, line in solution_lines(source) if line in learner]
    assert not leaked, f"{name} cell {index}: the learner copy contains solution lines {leaked}"
    code = [(text, CODE.search(text).group()) for text in _prose(learner) if CODE.search(text)]
    assert not code, (f"{name} cell {index}: a docstring or comment of the learner copy holds code "
                      f"(state the task in words and maths; the code belongs in the exercise's hints): {code}")


def test_stub_message_holds_no_code():
    assert not CODE.search(STUB_MESSAGE)


def test_the_detector_sees_code():
    for text in ["hint: z = x @ w + b", "np.where(x >= 0, 1, e)", "sum with .sum(axis=0)", "then return sigmoid(z)",
                 "use W.T", "p ** 2"]:
        assert CODE.search(text), text
    for text in ["x: (n, d) samples; returns σ(x·w + b), shape (n,)", "v_new = μ v + g", "Returns (loss, grad)."]:
        assert not CODE.search(text), text
