"""The checks of notebook 07 (optimisers): the reference passes, each named mistake is named, a stub
is 'not done', any other exception is an 'error', correct answers written other ways pass, and the
pure-function references take exactly the steps of course.optim's Momentum and Adam."""

import numpy as np
import pytest

import course
from answers import answer_from_hint
import course.checks.exercises  # noqa: F401  (registers every exercise)
from course.checks import REGISTRY, run, same
from course.checks.core import ERROR, PASSED, WRONG

EXERCISES = ["momentum_step", "adam_step"]


@pytest.mark.parametrize("name", EXERCISES)
def test_not_a_function_is_an_error(name):
    assert run(REGISTRY[name], np.zeros(3)).status == ERROR


# -- the references are course.optim's updates, step for step -----------------

def test_momentum_step_matches_course_optim_momentum(rng):
    momentum_step = REGISTRY["momentum_step"].reference
    p0 = rng.normal(size=(4, 3))
    opt, p_obj = course.Momentum(lr=0.05, momentum=0.9), p0.copy()
    p, v = p0.copy(), np.zeros_like(p0)
    for _ in range(30):
        g = rng.normal(size=p0.shape)
        opt.step([p_obj], [g])
        p, v = momentum_step(p, g, v, 0.05, 0.9)
        np.testing.assert_allclose(p, p_obj, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("lr,betas,eps", [(1e-3, (0.9, 0.999), 1e-8), (0.05, (0.8, 0.99), 1e-6)])
def test_adam_step_matches_course_optim_adam(rng, lr, betas, eps):
    adam_step = REGISTRY["adam_step"].reference
    p0 = rng.normal(size=(4, 3))
    opt, p_obj = course.Adam(lr=lr, betas=betas, eps=eps), p0.copy()
    p, m, v, t = p0.copy(), np.zeros_like(p0), np.zeros_like(p0), 0
    for step in range(30):
        g = rng.normal(scale=10.0 ** rng.integers(-6, 2), size=p0.shape)
        opt.step([p_obj], [g])
        p, m, v, t = adam_step(p, g, m, v, t, lr, betas[0], betas[1], eps)
        assert t == step + 1
        np.testing.assert_allclose(p, p_obj, rtol=1e-12, atol=1e-14)


def test_eps_inside_the_sqrt_differs_measurably_on_a_fixed_case():
    ex = REGISTRY["adam_step"]
    wrong = next(m for m in ex.mistakes if m.name.startswith("eps is inside"))
    gaps = []
    for args in ex.cases:
        p = ex.reference(*args)[0]
        gaps.append(np.abs(wrong.function(*args)[0] - p).max() / np.abs(args[0] - p).max())
    assert max(gaps) > 0.5  # the step differs by more than half its size


# -- other correct answers must pass too --------------------------------------

def _momentum_in_two_lines(p, g, v, lr, mu):
    v = v * mu + g
    return p - v * lr, v


def _adam_torch_style(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    denom = np.sqrt(v) / np.sqrt(1 - beta2 ** t) + eps
    return p - lr / (1 - beta1 ** t) * m / denom, m, v, t


def test_momentum_written_another_way_passes():
    assert run(REGISTRY["momentum_step"], _momentum_in_two_lines).status == PASSED


def test_adam_written_torch_style_passes():
    verdict = run(REGISTRY["adam_step"], _adam_torch_style)
    assert verdict.status == PASSED, verdict.message


def test_adam_that_updates_m_in_place_says_so():
    def in_place(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m *= beta1
        m += (1 - beta1) * g
        return _adam_torch_style(p, g, m / beta1 - (1 - beta1) / beta1 * g, v, t, lr, beta1, beta2, eps)
    verdict = run(REGISTRY["adam_step"], in_place)
    assert verdict.status == WRONG and "in place" in verdict.message


# -- hints, CS231n's convention and the neighbouring quantities (issue 12) ------

def _from_hint(name):
    """The learner's function written from the level-3 hint of exercise `name` (the reference's signature)."""
    return answer_from_hint(name, {"np": np})


@pytest.mark.parametrize("name", EXERCISES)
def test_three_hint_levels_and_the_code_of_the_last_passes(name):
    hints = REGISTRY[name].hints
    assert len(hints) == 3 and all(isinstance(h, str) and h.strip() for h in hints)
    assert "np." not in hints[0] and "np." not in hints[1]  # the idea and the formula, not the code
    verdict = run(REGISTRY[name], _from_hint(name))
    assert verdict.status == PASSED, verdict.message


def _cs231n(p, g, v, lr, mu):
    v = mu * v - lr * g
    p = p + v
    return p, v


def test_cs231n_convention_is_named_and_explained():
    verdict = run(REGISTRY["momentum_step"], _cs231n)
    assert verdict.status == WRONG and verdict.mistake.startswith("CS231n's convention")
    assert "−η times this course's" in verdict.message and "v = 0" in verdict.message


def test_cs231n_takes_the_same_first_step_with_a_velocity_minus_lr_times_ours():
    # what the named mistake's hint claims, on the exercise's own first case (v = 0)
    ex = REGISTRY["momentum_step"]
    args = ex.cases[0]
    assert not np.any(args[2])
    p, v = ex.reference(*args)
    p_cs, v_cs = _cs231n(*args)
    np.testing.assert_allclose(p_cs, p)
    np.testing.assert_allclose(v_cs, -args[3] * v)


def test_cs231n_with_the_velocity_converted_both_ways_passes():
    def converted(p, g, v, lr, mu):
        v_cs = mu * (-lr * v) - lr * g
        return p + v_cs, v_cs / -lr
    assert run(REGISTRY["momentum_step"], converted).status == PASSED


@pytest.mark.parametrize("name", EXERCISES)
def test_each_related_quantity_differs_from_the_answer(name):
    ex = REGISTRY[name]
    assert ex.related
    for description, fn in ex.related:
        assert any(same(fn(*args), ex.reference(*args)) for args in ex.all_cases()), description
