import numpy as np
import pytest

from course.optim import SGD, Adam, Momentum


def test_sgd_step():
    p, g = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    SGD(lr=0.1).step([p], [g])
    np.testing.assert_allclose(p, [0.95, 2.1])


def test_momentum_accumulates():
    p, g = np.zeros(1), np.ones(1)
    opt = Momentum(lr=1.0, momentum=0.5)
    for _ in range(3):
        opt.step([p], [g])
    # velocities 1, 1.5, 1.75
    np.testing.assert_allclose(p, [-(1 + 1.5 + 1.75)])


def test_adam_first_step_is_lr_times_sign():
    # With bias correction the first step is lr * g / (|g| + eps'), i.e. about lr * sign(g).
    p = np.zeros(3)
    Adam(lr=0.01).step([p], [np.array([3.0, -0.2, 1e-3])])
    np.testing.assert_allclose(p, [-0.01, 0.01, -0.01], rtol=1e-4)


@pytest.mark.parametrize("opt", [SGD(lr=0.1), Momentum(lr=0.05), Adam(lr=0.1)])
def test_minimises_a_quadratic(opt):
    p = np.array([3.0, -2.0])
    for _ in range(300):
        opt.step([p], [2 * p])
    assert np.abs(p).max() < 1e-2


def test_state_per_parameter_array():
    a, b = np.ones(2), np.ones(3)
    opt = Adam()
    opt.step([a, b], [np.ones(2), -np.ones(3)])
    assert (a < 1).all() and (b > 1).all()


def test_weight_decay_shrinks_weights():
    p = np.ones(2)
    SGD(lr=0.1, weight_decay=0.5).step([p], [np.zeros(2)])
    np.testing.assert_allclose(p, 0.95)


torch = pytest.importorskip("torch", reason="torch is not installed: pip install torch")


def _torch_steps(opt_factory, p0, grads):
    t = torch.tensor(p0, dtype=torch.float64, requires_grad=True)
    opt = opt_factory([t])
    for g in grads:
        t.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    return t.detach().numpy()


@pytest.mark.parametrize("ours,theirs", [
    (lambda: Adam(), lambda p: torch.optim.Adam(p)),
    (lambda: Adam(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    (lambda: SGD(lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    (lambda: Momentum(lr=0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    (lambda: Momentum(lr=0.1, momentum=0.9, weight_decay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01)),
])
def test_same_update_as_torch(ours, theirs, rng):
    p0 = rng.normal(size=(4, 3))
    grads = [rng.normal(size=(4, 3)) for _ in range(5)]
    # one step, then several (bias correction and state both matter)
    for k in (1, 5):
        p = p0.copy()
        opt = ours()
        for g in grads[:k]:
            opt.step([p], [g])
        np.testing.assert_allclose(p, _torch_steps(theirs, p0, grads[:k]), rtol=1e-12, atol=1e-14)
