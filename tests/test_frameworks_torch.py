"""The course's MLP and PyTorch compute the same thing (issue 5, notebook 08).

Weights move both ways unchanged; with the same weights the logits and the loss agree on
real MNIST in float32; autograd's gradients equal course's backpropagation in float64; one
step of each torch.optim optimiser equals course.optim's. Run with -s to see the measured
differences.
"""
from __future__ import annotations

import numpy as np
import pytest

from course import frameworks as fw

torch = pytest.importorskip("torch", reason=fw.install_message("torch"))
F = torch.nn.functional
nn = torch.nn

from course import MLP, optim
from course._validate import CourseInputError
from course.data import load_mnist
from course.gradcheck import relative_error
from course.losses import softmax_cross_entropy

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "identity")
MNIST_SIZES = (784, 128, 64, 10)


@pytest.fixture(scope="module")
def mnist():
    """256 real test images (256, 784) float32 in [0, 1] and their labels (256,) int64."""
    _, (X, y) = load_mnist(n_train=1)
    return X[:256], y[:256]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    # Small matrices: one thread is as fast as two, and on a busy machine torch's OpenMP threads
    # waiting for each other made an Adam step 70x slower (0.12 s instead of 1.6 ms).
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)  # torch_mlp's own random start; the tests then copy the MLP's weights over it


def linears(module):
    return [m for m in module.modules() if isinstance(m, nn.Linear)]


def same_params(a, b):
    """Two MLPs hold exactly the same numbers, in the same dtype."""
    return a.dtype == b.dtype and a.sizes == b.sizes and np.array_equal(a.params, b.params)


# ---------------------------------------------------------------- weights move both ways
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("sizes", [(2, 1), (4, 3, 2), (784, 128, 64, 10), (5, 7, 7, 7, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weights_round_trip(sizes, activation, dtype):
    init = "small" if activation == "identity" else "xavier"
    loss = "binary_cross_entropy" if sizes[-1] == 1 else "softmax_cross_entropy"
    mlp = MLP(sizes, activation, init=init, seed=3, dtype=dtype, loss=loss)
    mlp.params[...] += np.random.default_rng(1).normal(size=mlp.params.size)  # non-zero biases as well
    module = fw.to_torch(mlp)
    assert isinstance(module, nn.Sequential)
    for m, W, b in zip(linears(module), mlp.weights, mlp.biases):
        assert m.weight.dtype == (torch.float64 if dtype == np.float64 else torch.float32)
        assert np.array_equal(m.weight.detach().numpy(), W.T)  # torch keeps (out, in)
        assert np.array_equal(m.bias.detach().numpy(), b)
    back = fw.from_torch(module)
    assert back.activation == (activation if len(sizes) > 2 else "identity")
    assert same_params(back, mlp)
    # and into an MLP that already exists
    target = MLP(sizes, activation, seed=99, dtype=dtype, loss=loss)
    assert fw.from_torch(module, target) is target and same_params(target, mlp)


def test_to_torch_fills_a_given_module_and_from_torch_reads_a_hand_built_one():
    mlp = MLP((6, 5, 4, 3), "leaky_relu", seed=0)
    module = nn.Sequential(nn.Flatten(), nn.Linear(6, 5), nn.LeakyReLU(), nn.Dropout(0.5),
                           nn.Linear(5, 4), nn.LeakyReLU(0.01), nn.Linear(4, 3))
    assert fw.to_torch(mlp, module) is module
    back = fw.from_torch(module)
    assert back.sizes == (6, 5, 4, 3) and back.activation == "leaky_relu" and same_params(back, mlp)


def test_torch_mlp_structure():
    module = fw.torch_mlp([784, 128, 64, 10], "tanh", dtype=torch.float64)
    kinds = [type(m).__name__ for m in module]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]  # logits out: no softmax
    assert all(p.dtype == torch.float64 for p in module.parameters())
    assert [type(m).__name__ for m in fw.torch_mlp([3, 4, 2], "identity")] == ["Linear", "Identity", "Linear"]
    leaky = fw.torch_mlp([3, 4, 2], "leaky_relu", dtype="float32")[1]
    assert leaky.negative_slope == 0.01
    assert next(fw.torch_mlp([3, 2], dtype=np.float64).parameters()).dtype == torch.float64


def test_a_custom_module_can_be_filled_given_the_mlp():
    class Net(nn.Module):  # how many PyTorch tutorials write it: F.relu inside forward()
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(4, 8), nn.Linear(8, 3)

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x)))

    mlp = MLP((4, 8, 3), "relu", seed=1)
    net = fw.to_torch(mlp, Net())
    X = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(net(torch.from_numpy(X)).detach().numpy(), mlp.forward(X), atol=1e-6)
    with pytest.raises(CourseInputError, match="pass mlp=MLP"):
        fw.from_torch(net)
    assert same_params(fw.from_torch(net, MLP((4, 8, 3), "relu", seed=5)), mlp)


# ---------------------------------------------------------------- same logits, same loss (float32, MNIST)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_logits_and_loss_on_mnist(mnist, activation):
    X, y = mnist
    mlp = MLP(MNIST_SIZES, activation, init="he" if "relu" in activation else "xavier", seed=0)
    module = fw.to_torch(mlp)
    with torch.no_grad():
        torch_logits = module(torch.from_numpy(X))
    course_logits = mlp.forward(X)
    assert torch_logits.dtype == torch.float32 and course_logits.dtype == np.float32
    diff = float(np.abs(torch_logits.numpy() - course_logits).max())
    course_loss, _ = softmax_cross_entropy(course_logits, y)
    torch_loss = F.cross_entropy(torch_logits, torch.from_numpy(y)).item()
    print(f"\n{activation}: max |logits diff| = {diff:.2e}, losses {course_loss:.7f} vs {torch_loss:.7f}")
    assert diff <= 1e-5
    assert mlp.loss(X, y) == pytest.approx(torch_loss, abs=1e-5)
    assert course_loss == pytest.approx(torch_loss, abs=1e-5)
    assert (torch_logits.numpy().argmax(1) == mlp.predict(X)).mean() >= 0.99  # near-ties may flip a rare one


# ---------------------------------------------------------------- same gradients (float64)
def torch_loss_and_grads(module, X, y):
    module.zero_grad()
    loss = F.cross_entropy(module(torch.from_numpy(X)), torch.from_numpy(y))
    loss.backward()
    return loss.item(), [(m.weight.grad.numpy().T, m.bias.grad.numpy()) for m in linears(module)]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_autograd_equals_backprop(mnist, activation):
    X, y = mnist[0].astype(np.float64), mnist[1]
    mlp = MLP(MNIST_SIZES, activation, init="he" if "relu" in activation else "xavier", seed=0, dtype=np.float64)
    module = fw.to_torch(mlp)
    torch_loss, torch_grads = torch_loss_and_grads(module, X, y)
    course_loss = mlp.loss_and_grad(X, y)
    errors = []
    for i, (dW, db) in enumerate(torch_grads):
        errors += [relative_error(mlp.grad_weights[i], dW), relative_error(mlp.grad_biases[i], db)]
    print(f"\n{activation}: worst relative error of a gradient = {max(errors):.1e}, "
          f"loss diff = {abs(course_loss - torch_loss):.1e}")
    assert max(errors) <= 1e-6
    assert course_loss == pytest.approx(torch_loss, rel=1e-12)


# ---------------------------------------------------------------- same optimiser steps
OPTIMISERS = {
    "Adam": (lambda: optim.Adam(lr=1e-3), lambda p: torch.optim.Adam(p, lr=1e-3)),
    "Adam+weight_decay": (lambda: optim.Adam(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, weight_decay=1e-2),
                          lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.8, 0.99), eps=1e-6, weight_decay=1e-2)),
    "SGD": (lambda: optim.SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "Momentum": (lambda: optim.Momentum(lr=0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
}


def torch_linear_grads_from(mlp, module):
    """Hand course's gradients to the torch module, so both optimisers see exactly the same numbers."""
    for m, dW, db in zip(linears(module), mlp.grad_weights, mlp.grad_biases):
        m.weight.grad = torch.from_numpy(np.ascontiguousarray(dW.T))
        m.bias.grad = torch.from_numpy(db.copy())


@pytest.mark.parametrize("name", OPTIMISERS)
@pytest.mark.parametrize("steps", [1, 3])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_optimiser_step_equals_torch_optim(mnist, name, steps, dtype, tol):
    # The same gradients in, the same parameters out, to within round-off: max |difference|
    # <= tol * lr, where lr bounds how far one Adam step moves a parameter. (Adam's division by
    # sqrt(v) + eps magnifies the last-bit differences of a gradient near eps, e.g. g + weight_decay * p.)
    X, y = mnist[0].astype(dtype), mnist[1]
    mlp = MLP(MNIST_SIZES, "relu", seed=0, dtype=dtype)
    module = fw.to_torch(mlp)
    start = mlp.params.copy()
    make_course, make_torch = OPTIMISERS[name]
    course_opt, torch_opt = make_course(), make_torch(module.parameters())
    for _ in range(steps):
        mlp.loss_and_grad(X, y)
        torch_linear_grads_from(mlp, module)
        course_opt.step(mlp.parameters(), mlp.gradients())
        torch_opt.step()
    diff = float(np.abs(fw.from_torch(module).params - mlp.params).max())
    moved = float(np.abs(mlp.params - start).max())
    print(f"\n{name}, {steps} step(s), {np.dtype(dtype).name}: max |param diff| = {diff:.1e} "
          f"= {diff / course_opt.lr:.1e} lr (largest move {moved:.1e})")
    assert moved > 1e-4  # the step did something
    assert diff <= tol * course_opt.lr


@pytest.mark.parametrize("name", ["Adam", "Momentum"])
def test_training_steps_with_each_frameworks_own_gradients(mnist, name):
    # Each computes its own gradients (equal to ~1e-16 relative, see above), three steps.
    # Adam divides by sqrt(v) + eps, which magnifies the round-off of gradients near eps
    # (d step / d g = lr / (4 eps) at |g| = eps), so a few entries differ by ~1e-15 in float64.
    X, y = mnist[0].astype(np.float64), mnist[1]
    mlp = MLP(MNIST_SIZES, "relu", seed=0, dtype=np.float64)
    module = fw.to_torch(mlp)
    make_course, make_torch = OPTIMISERS[name]
    course_opt, torch_opt = make_course(), make_torch(module.parameters())
    for _ in range(3):
        mlp.loss_and_grad(X, y)
        course_opt.step(mlp.parameters(), mlp.gradients())
        torch_loss_and_grads(module, X, y)
        torch_opt.step()
    diff = float(np.abs(fw.from_torch(module).params - mlp.params).max())
    print(f"\n{name}, 3 steps, own gradients, float64: max |param diff| = {diff:.1e}")
    assert diff <= 1e-13


# ---------------------------------------------------------------- bad input
def test_bad_input_names_expected_and_got():
    mlp = MLP((4, 3, 2), "relu")

    def fails(call, *needles):
        with pytest.raises(CourseInputError) as info:
            call()
        for needle in needles:
            assert needle in str(info.value), str(info.value)

    fails(lambda: fw.to_torch("model"), "mlp: expected a course.MLP, got str 'model'")
    fails(lambda: fw.to_torch(mlp, module=[1, 2]), "module: expected a torch.nn.Module", "got list")
    fails(lambda: fw.from_torch(np.zeros(3)), "module: expected a torch.nn.Module", "got float64 array of shape (3,)")
    fails(lambda: fw.from_torch(fw.torch_mlp([4, 3, 2]), mlp="mlp"), "mlp: expected a course.MLP, got str")
    # wrong layer count
    fails(lambda: fw.to_torch(mlp, fw.torch_mlp([4, 2])),
          "expected 2 nn.Linear layers for the MLP's sizes (4, 3, 2), got 1 with (in, out) = (4, 2)")
    fails(lambda: fw.from_torch(fw.torch_mlp([4, 3, 3, 2]), MLP((4, 3, 2))), "expected 2 nn.Linear layers", "got 3")
    # wrong shapes
    fails(lambda: fw.to_torch(mlp, fw.torch_mlp([4, 5, 2])),
          "expected nn.Linear layer 0 to have (in, out) = (4, 3) like the MLP's weights[0], got (4, 5)")
    fails(lambda: fw.from_torch(fw.torch_mlp([5, 3, 2]), mlp), "layer 0", "(4, 3)", "got (5, 3)")
    # a different network
    fails(lambda: fw.to_torch(mlp, fw.torch_mlp([4, 3, 2], "tanh")), "expected the MLP's activation 'relu'", "got 'tanh'")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2), nn.Softmax(dim=1))),
          "expected the last layer to give logits", "got softmax")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3), nn.LeakyReLU(0.2), nn.Linear(3, 2))),
          "expected nn.LeakyReLU(0.01)", "negative_slope=0.2")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2))),
          "expected the same activation between all layers", "got relu, tanh")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Tanh(), nn.Linear(3, 2))),
          "expected one of relu", "got relu then tanh")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Linear(3, 2))),
          "expected only nn.Linear layers to hold parameters", "got BatchNorm1d")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(), nn.Linear(3, 2))),
          "expected nn.Linear layers with a bias", "bias=False")
    fails(lambda: fw.from_torch(nn.Sequential(nn.Flatten())), "expected nn.Linear layers, got a Sequential without any")
    fails(lambda: fw.from_torch(nn.Sequential(nn.ReLU(), nn.Linear(4, 2))), "expected an nn.Linear layer first, got ReLU()")
    # torch_mlp's own arguments
    fails(lambda: fw.torch_mlp([784]), "sizes: expected a list of at least 2 layer widths", "got list [784]")
    fails(lambda: fw.torch_mlp([784, 0, 10]), "sizes[1]: expected an integer >= 1, got 0")
    fails(lambda: fw.torch_mlp([4, 2], "gelu"), "activation: expected one of 'relu'", "got 'gelu'")
    fails(lambda: fw.torch_mlp([4, 2], dtype=torch.float16), "dtype: expected float32 or float64", "got torch.float16")
    fails(lambda: fw.torch_mlp([4, 2], dtype="int64"), "dtype: expected float32 or float64", "got int64")
