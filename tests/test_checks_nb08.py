"""The checks of notebook 08 (PyTorch). tests/test_checks_all.py already holds them to the common contract
(reference passes, each named mistake is named with its hint, stub, crash); here: the module imports without
torch, a check leaves torch's global random state alone, correct answers written other ways pass, and the
references do what the course's NumPy code does."""
import subprocess
import sys

import numpy as np
import pytest

from course.frameworks import install_message  # imports without torch

# without torch, notebook 08's exercises are not registered and there is nothing to test
torch = pytest.importorskip("torch", reason=install_message("torch"))

import course
import course.checks.exercises  # registers every exercise
from course import frameworks
from course.checks import REGISTRY, run
from course.checks.core import ERROR, PASSED, WRONG

EXERCISES = ["net_forward", "evaluate_accuracy", "train_one_epoch"]


def test_importing_the_checks_needs_no_torch():
    # course.checks.exercises imports every nb*.py; with torch unavailable nb08 must import and register nothing
    code = ("import sys; sys.modules['torch'] = None\n"
            "import course.checks.exercises\n"
            "from course.checks import REGISTRY\n"
            f"assert not set({EXERCISES!r}) & set(REGISTRY), sorted(REGISTRY)\n"
            "assert len(REGISTRY) >= 20\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_the_checks_does_not_import_torch():
    code = "import sys, course.checks.exercises; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("name", EXERCISES)
def test_not_a_function_is_an_error(name):
    assert run(REGISTRY[name], np.zeros(3)).status == ERROR


@pytest.mark.parametrize("name", EXERCISES)
def test_a_check_leaves_torch_random_state_alone(name):
    # the notebook seeds torch once and builds its networks after the checks: they must not move the generator
    ex = REGISTRY[name]
    before = torch.random.get_rng_state()
    run(ex, ex.reference)
    run(ex, ex.mistakes[0].function)
    assert torch.equal(before, torch.random.get_rng_state())


# -- other correct answers pass ------------------------------------------------

def _forward_functional(self, x):
    return self.fc3(torch.nn.functional.relu(self.fc2(torch.nn.functional.relu(self.fc1(x)))))


def _forward_clamp(self, x):
    h = self.fc1(x).clamp(min=0)
    h = torch.nn.ReLU()(self.fc2(h))
    return h @ self.fc3.weight.T + self.fc3.bias


def _forward_flatten_first(self, x):
    x = x.view(-1, 784)                             # a common idiom; the check's networks take 784 inputs too
    return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def _accuracy_all_at_once(model, loader):
    model.eval()
    with torch.no_grad():
        hits = torch.cat([model(xb).argmax(1) == yb for xb, yb in loader])
    return hits.float().mean()                      # a 0-d tensor is fine


def _epoch_other_style(model, loader, loss_fn, optimizer):
    model.train()
    out = []
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        model.zero_grad(set_to_none=False)          # zeroing via the model, and right before backward
        loss.backward()
        optimizer.step()
        out.append(float(loss))
    return out


@pytest.mark.parametrize("name,fn", [("net_forward", _forward_functional), ("net_forward", _forward_clamp),
                                     ("net_forward", _forward_flatten_first),
                                     ("evaluate_accuracy", _accuracy_all_at_once),
                                     ("train_one_epoch", _epoch_other_style)])
def test_correct_answers_written_other_ways_pass(name, fn):
    verdict = run(REGISTRY[name], fn)
    assert verdict.status == PASSED, verdict.message


def test_forward_without_no_grad_in_evaluation_is_not_blamed():
    # no_grad changes memory and speed, not the accuracy: the check cannot (and does not) fail it
    def without_no_grad(model, loader):
        model.eval()
        correct = total = 0
        for xb, yb in loader:
            correct += int((model(xb).argmax(dim=1) == yb).sum())
            total += len(yb)
        return correct / total
    assert run(REGISTRY["evaluate_accuracy"], without_no_grad).status == PASSED


def test_a_numpy_array_from_forward_is_wrong_not_a_crash():
    def to_numpy(self, x):
        return REGISTRY["net_forward"].reference(self, x).detach().numpy()
    verdict = run(REGISTRY["net_forward"], to_numpy)
    assert verdict.status == WRONG and "expected a torch tensor" in verdict.message


# -- the references agree with the course's NumPy network -----------------------

def _small_mlp_and_data(rng, dtype=np.float64):
    mlp = course.MLP([6, 5, 4, 3], seed=1, dtype=dtype)
    X = rng.normal(size=(23, 6)).astype(dtype)
    y = rng.integers(0, 3, size=23)
    return mlp, X, y


class _Three(torch.nn.Module):
    def __init__(self, dtype):
        super().__init__()
        self.fc1 = torch.nn.Linear(6, 5, dtype=dtype)
        self.fc2 = torch.nn.Linear(5, 4, dtype=dtype)
        self.fc3 = torch.nn.Linear(4, 3, dtype=dtype)

    forward = REGISTRY["net_forward"].reference     # used as a method, as the notebook does with Net.forward


def test_net_forward_reference_as_a_method_gives_the_course_logits(rng):
    mlp, X, _ = _small_mlp_and_data(rng)
    net = frameworks.to_torch(mlp, _Three(torch.float64))
    with torch.no_grad():
        np.testing.assert_allclose(net(torch.from_numpy(X)).numpy(), mlp.forward(X), rtol=1e-12, atol=1e-12)


def test_evaluate_accuracy_reference_equals_course_accuracy(rng):
    mlp, X, y = _small_mlp_and_data(rng)
    net = frameworks.to_torch(mlp)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
                                         batch_size=5)
    assert REGISTRY["evaluate_accuracy"].reference(net, loader) == pytest.approx(mlp.accuracy(X, y))
    assert not net.training


def test_train_one_epoch_reference_takes_the_course_sgd_steps(rng):
    mlp, X, y = _small_mlp_and_data(rng)
    net = frameworks.to_torch(mlp)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
                                         batch_size=5)
    losses = REGISTRY["train_one_epoch"].reference(net, loader, torch.nn.CrossEntropyLoss(),
                                                   torch.optim.SGD(net.parameters(), lr=0.1))
    sgd, course_losses = course.SGD(lr=0.1), []
    for start in range(0, len(X), 5):
        course_losses.append(mlp.loss_and_grad(X[start:start + 5], y[start:start + 5]))
        sgd.step(mlp.parameters(), mlp.gradients())
    assert all(isinstance(v, float) for v in losses)
    np.testing.assert_allclose(losses, course_losses, rtol=1e-12)
    np.testing.assert_allclose(frameworks.from_torch(net).params, mlp.params, rtol=1e-12, atol=1e-14)


# -- what the verdicts tell (issue 12) -------------------------------------------

def _forward_then(finish):
    """A forward with the right hidden layers whose logits go through `finish`."""
    def forward(self, x):
        return finish(REGISTRY["net_forward"].reference(self, x))
    return forward


def test_forward_returning_the_classes_is_told_its_shape_not_the_graph():
    # argmax breaks the graph too, but the shape is what is wrong: the verdict used to blame the graph only
    verdict = run(REGISTRY["net_forward"], _forward_then(lambda z: z.argmax(dim=1)))
    assert verdict.status == WRONG and "returned shape" in verdict.message and "graph" not in verdict.message


@pytest.mark.parametrize("finish,told", [
    (lambda z: torch.log_softmax(z, dim=1), "returned log-probabilities"),
    (lambda z: torch.softmax(z, dim=0), "softmax over the batch"),
    (lambda z: torch.softmax(torch.relu(z), dim=1), "returned probabilities (every row sums to 1)"),
])
def test_forward_probabilities_of_any_kind_are_told(finish, told):
    verdict = run(REGISTRY["net_forward"], _forward_then(finish))
    assert verdict.status == WRONG and told in verdict.message, verdict.message


def test_a_missing_step_is_named_without_blaming_zero_grad():
    def no_step(model, loader, loss_fn, optimizer):
        model.train()
        losses = []
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            losses.append(loss.item())
        return losses
    verdict = run(REGISTRY["train_one_epoch"], no_step)
    assert verdict.status == WRONG and "optimizer.step() is missing" in verdict.mistake


def _accuracy_times(factor):
    def accuracy(model, loader):
        return factor * REGISTRY["evaluate_accuracy"].reference(model, loader)
    return accuracy


def test_an_accuracy_in_percent_or_zero_is_told():
    percent = run(REGISTRY["evaluate_accuracy"], _accuracy_times(100))
    assert percent.status == WRONG and "a percentage" in percent.message
    zero = run(REGISTRY["evaluate_accuracy"], _accuracy_times(0))
    assert zero.status == WRONG and "no prediction matched its label" in zero.message


def test_a_float32_accuracy_passes():
    # (predictions == labels).float().mean() is how many learners write it: 7 digits are plenty for a fraction
    def float32_mean(model, loader):
        return torch.tensor(REGISTRY["evaluate_accuracy"].reference(model, loader), dtype=torch.float32)
    assert run(REGISTRY["evaluate_accuracy"], float32_mean).status == PASSED


def test_one_number_or_a_running_mean_instead_of_the_losses_is_told():
    reference = REGISTRY["train_one_epoch"].reference

    def mean_loss(*args):
        losses = reference(*args)
        return sum(losses) / len(losses)

    def running_mean(*args):
        losses = reference(*args)
        return [sum(losses[:i + 1]) / (i + 1) for i in range(len(losses))]

    assert "returned one number, expected a list" in run(REGISTRY["train_one_epoch"], mean_loss).message
    assert "running mean of the losses" in run(REGISTRY["train_one_epoch"], running_mean).message


@pytest.mark.parametrize("name,index", [("evaluate_accuracy", i) for i in range(3)]
                         + [("train_one_epoch", i) for i in range(2)])
def test_each_related_quantity_is_told(name, index):
    description, fn = REGISTRY[name].related[index]
    verdict = run(REGISTRY[name], fn)
    assert verdict.status == WRONG and f"returned {description}" in verdict.message, verdict.message
