"""The capstone (07b): course.capstone collects the learner's own parts from their notebooks, and the
train_network check compares a whole training run with the reference loop (issue 12, part 3)."""
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

import course
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course import CourseInputError
from course.capstone import PARTS, REFERENCE, YOURS, Part, collect_parts, reference_parts
from course.checks import REGISTRY, run
from course.checks.core import NOT_DONE, PASSED, WRONG
from course.checks.nb07b_capstone import ReferenceParts, _loop

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS, NOTEBOOKS = ROOT / "solutions", ROOT / "notebooks"
EXERCISE = REGISTRY["train_network"]


def sources(parts):
    return {row.part.name: (row.source, row.reason) for row in parts.rows}


# ---------------------------------------------------------------- collecting the parts
def test_every_part_is_a_registered_exercise_of_its_notebook():
    for part in PARTS:
        assert part.name in REGISTRY and REGISTRY[part.name].notebook == part.notebook, part


def test_solved_notebooks_give_every_part_as_yours():
    parts = collect_parts(SOLUTIONS)
    assert parts.yours() == [p.name for p in PARTS]
    assert all(reason == "its check passed" for _, reason in sources(parts).values())
    for part in PARTS:  # the solutions' own functions, not the references
        assert getattr(parts, part.name) is not REGISTRY[part.name].reference
        assert getattr(parts, part.name).__name__ == part.name
    assert "8 of 8 parts are yours (from solutions/)" in repr(parts)


def test_unsolved_notebooks_give_the_reference_saying_not_done():
    parts = collect_parts(NOTEBOOKS)
    assert parts.yours() == []
    assert set(sources(parts).values()) == {(REFERENCE, "not done")}
    for part in PARTS:
        assert getattr(parts, part.name) is REGISTRY[part.name].reference
    assert "0 of 8 parts are yours" in parts.table() and "<table>" in parts._repr_html_()


def _cell_with(nb, text):
    return next(cell for cell in nb.cells if cell.cell_type == "code" and text in cell.source)


@pytest.fixture(scope="module")
def partly_solved(tmp_path_factory):
    """A learner's folder: 02 solved, 03 untouched, 04 solved wrongly, 05 missing, 06 solved but its accuracy cell
    does not parse, 07 solved, with a training cell that must never run."""
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copy(SOLUTIONS / "02_activation_functions.ipynb", folder)
    shutil.copy(NOTEBOOKS / "03_layers_and_forward_propagation.ipynb", folder)

    nb = nbformat.read(SOLUTIONS / "04_loss_functions.ipynb", as_version=4)
    cell = _cell_with(nb, "def softmax_cross_entropy")
    assert "return float(loss), dlogits / n" in cell.source
    cell.source = cell.source.replace("return float(loss), dlogits / n", "return float(loss), dlogits")
    nbformat.write(nb, folder / "04_loss_functions.ipynb")

    nb = nbformat.read(SOLUTIONS / "06_training_an_mlp.ipynb", as_version=4)
    cell = _cell_with(nb, "def accuracy")
    cell.source = cell.source.replace("def accuracy(logits, y):", "def accuracy(logits, y)")  # no colon
    nbformat.write(nb, folder / "06_training_an_mlp.ipynb")

    nb = nbformat.read(SOLUTIONS / "07_optimisers_and_practice.ipynb", as_version=4)
    marker = folder / "a_training_cell_ran.txt"
    nb.cells.insert(2, nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').close()\nraise RuntimeError('trained')"))
    nbformat.write(nb, folder / "07_optimisers_and_practice.ipynb")
    return folder, collect_parts(folder), marker


def test_partly_solved_folder_mixes_yours_and_the_reference(partly_solved):
    folder, parts, marker = partly_solved
    got = sources(parts)
    assert got["relu"] == (YOURS, "its check passed")
    assert got["dense_forward"] == (REFERENCE, "not done")
    source, reason = got["softmax_cross_entropy"]
    assert source == REFERENCE and reason.startswith("wrong: ") and "the gradient is not divided by n" in reason
    for name in ("relu_backward", "dense_backward"):
        assert got[name] == (REFERENCE, "notebook missing: 05_backpropagation.ipynb is not in this folder")
    assert got["iterate_minibatches"] == (YOURS, "its check passed")
    source, reason = got["accuracy"]
    assert source == REFERENCE and reason.startswith("cell failed: SyntaxError in cell"), reason
    assert got["adam_step"] == (YOURS, "its check passed")
    assert parts.softmax_cross_entropy is REGISTRY["softmax_cross_entropy"].reference
    assert parts.relu is not REGISTRY["relu"].reference
    assert not marker.exists(), "collect_parts ran a cell that is not a definition"
    assert parts.yours() == ["relu", "iterate_minibatches", "adam_step"]
    assert f"3 of 8 parts are yours (from {folder.name}/)" in parts.table()


def test_a_partly_solved_folder_trains_like_the_reference(partly_solved):
    _, parts, _ = partly_solved
    args = EXERCISE.cases[0][1:]
    mine, ref = EXERCISE.reference(parts, *args), EXERCISE.reference(ReferenceParts(), *args)
    assert EXERCISE.compare(mine, ref) is None


def test_a_check_cell_rebinds_a_failed_part_to_the_reference(tmp_path):
    # 02's sigmoid_grad calls the learner's sigmoid; a wrong sigmoid is replaced by the reference at its check
    # cell, as in the notebook, so a right sigmoid_grad still passes
    nb = nbformat.read(SOLUTIONS / "02_activation_functions.ipynb", as_version=4)
    cell = _cell_with(nb, "def sigmoid(")
    cell.source = cell.source.replace("return np.where(x >= 0, 1 / (1 + e), e / (1 + e))", "return e")
    nbformat.write(nb, tmp_path / "02_activation_functions.ipynb")
    wanted = (Part("sigmoid", "02_activation_functions", ""), Part("sigmoid_grad", "02_activation_functions", ""))
    got = sources(collect_parts(tmp_path, wanted))
    assert got["sigmoid"][0] == REFERENCE and got["sigmoid"][1].startswith("wrong: ")
    assert got["sigmoid_grad"] == (YOURS, "its check passed")


def test_a_function_without_a_check_cell_is_still_checked(tmp_path):
    nb = nbformat.read(SOLUTIONS / "02_activation_functions.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if 'check("relu"' not in c.source]
    nbformat.write(nb, tmp_path / "02_activation_functions.ipynb")
    assert sources(collect_parts(tmp_path, PARTS[:1]))["relu"] == (YOURS, "its check passed")
    nb.cells = [c for c in nb.cells if "def relu(" not in c.source]
    nbformat.write(nb, tmp_path / "02_activation_functions.ipynb")
    source, reason = sources(collect_parts(tmp_path, PARTS[:1]))["relu"]
    assert source == REFERENCE and reason == "not found: 02_activation_functions defines no function relu"


def test_an_empty_folder_gives_every_part_as_the_reference(tmp_path):
    parts = collect_parts(tmp_path)
    assert parts.yours() == [] and all(r.startswith("notebook missing") for _, r in sources(parts).values())
    assert all(getattr(parts, p.name) is getattr(reference_parts(), p.name) for p in PARTS)


@pytest.mark.parametrize("folder", [None, 3, True, "no/such/folder"])
def test_a_bad_folder_is_one_sentence(folder):
    with pytest.raises(CourseInputError, match=r"^folder: expected .*\.$") as info:
        collect_parts(folder)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("parts,match", [([], "non-empty list"), (["relu"], "non-empty list"),
                                         ([Part("nope", "02_x", "")], "nope is not a registered exercise")])
def test_bad_parts_are_one_sentence(tmp_path, parts, match):
    with pytest.raises(CourseInputError, match=match):
        collect_parts(tmp_path, parts)


def test_an_unknown_part_says_which_parts_there_are():
    with pytest.raises(AttributeError, match="parts has no 'softmax': its parts are relu, dense_forward"):
        reference_parts().softmax
    with pytest.raises(AttributeError, match="parts has no 'softmax'"):
        ReferenceParts().softmax


# ---------------------------------------------------------------- the train_network check
def _solution():
    nb = nbformat.read(SOLUTIONS / "07b_capstone.ipynb", as_version=4)
    namespace = {"np": np}
    exec(_cell_with(nb, "def train_network").source, namespace)
    return namespace["train_network"]


def test_the_notebook_s_solution_passes():
    assert run(EXERCISE, _solution()).status == PASSED


def test_the_check_names_each_mistake():
    for mistake in EXERCISE.mistakes:
        verdict = run(EXERCISE, mistake.function)
        assert (verdict.status, verdict.mistake) == (WRONG, mistake.name)
        assert mistake.hint in verdict.message and 'hint("train_network")' not in verdict.message


def test_the_stub_is_not_done_and_the_notebook_gets_the_reference():
    def stub(*args):
        raise NotImplementedError
    assert run(EXERCISE, stub).status == NOT_DONE
    assert course.check("train_network", stub) is EXERCISE.reference


def _sgd_loop(parts, X, y, weights, biases, epochs, batch_size, lr, seed):
    # a loop that trains, but with plain gradient descent instead of Adam
    weights, biases = list(weights), list(biases)
    rng, losses = np.random.default_rng(seed), []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in parts.iterate_minibatches(X, y, batch_size, rng):
            a, cache = xb, []
            for i in range(len(weights)):
                z = parts.dense_forward(a, weights[i], biases[i])
                cache.append((a, z))
                a = parts.relu(z) if i < len(weights) - 1 else z
            loss, d = parts.softmax_cross_entropy(a, yb)
            for i in reversed(range(len(weights))):
                x, z = cache[i]
                if i < len(weights) - 1:
                    d = parts.relu_backward(d, z)
                d, dW, db = parts.dense_backward(d, (x, weights[i]))
                weights[i], biases[i] = weights[i] - lr * dW, biases[i] - lr * db
            total += loss * len(yb)
        losses.append(total / len(X))
    return weights, biases, losses


@pytest.mark.parametrize("loop,expected", [
    (_sgd_loop, "gives a loss history that differs already in epoch 1"),
    (lambda parts, X, y, W, b, epochs, *rest: (W, b, [0.0] * epochs), "differs already in epoch 1"),
    (lambda parts, X, y, W, b, epochs, batch_size, lr, seed: _loop(parts, X, y, W, b, 1, batch_size, lr, seed),
     "returned 1 losses, expected 3"),
    (lambda *args: _loop(*args)[:2], "returned 2 values, expected a tuple (weights, biases, losses)"),
])
def test_an_unrelated_wrong_loop_is_rejected_with_a_diagnosis(loop, expected):
    verdict = run(EXERCISE, loop)
    assert verdict.status == WRONG and not verdict.mistake and expected in verdict.message, verdict.message


def test_a_loop_that_changes_the_caller_s_lists_is_told_so():
    def in_place(parts, X, y, weights, biases, *rest):
        new_W, new_b, losses = _loop(parts, X, y, weights, biases, *rest)
        weights[:], biases[:] = new_W, new_b
        return weights, biases, losses
    verdict = run(EXERCISE, in_place)
    assert verdict.status == WRONG and "changed an input it was given in place" in verdict.message


def test_epoch_one_right_then_wrong_points_at_what_carries_over():
    reset = next(m.function for m in EXERCISE.mistakes if "reset" in m.name)
    case = EXERCISE.cases[0]
    assert "from epoch 2 on (epoch 1 matches" in EXERCISE.compare(reset(*case), EXERCISE.reference(*case))


def test_the_reference_loop_takes_course_fit_s_steps():
    # The notebook's claim: same start and seed, so course.fit sees the same batches and takes the same Adam steps.
    X, y = course.toy_data("spirals", n=90, seed=0, classes=3)
    model = course.MLP([2, 16, 16, 3], seed=0, dtype=np.float64)
    weights, biases = model.get_weights()
    W, b, losses = EXERCISE.reference(reference_parts(), X, y, weights, biases, 3, 16, 0.01, 0)
    history = course.fit(model, X, y, epochs=3, batch_size=16, optimizer=course.Adam(lr=0.01), seed=0, progress=False)
    np.testing.assert_allclose(losses, history["loss"], rtol=1e-10)
    for mine, theirs in zip(W + b, model.weights + model.biases):
        np.testing.assert_allclose(mine, theirs, rtol=1e-8, atol=1e-12)


def test_hints_go_from_idea_to_code():
    idea, formula, code = EXERCISE.hints
    assert "np." not in idea and "adam_step(p, g, m, v, t, lr=lr)" in formula and "return weights, biases, losses" in code
