"""Exercises of notebook 07 (optimisers): one momentum step and one Adam step as pure functions.

The references follow torch's conventions, which course.optim.Momentum and
course.optim.Adam implement in place (tests/test_checks_nb07.py runs both
side by side): velocity v = μ v + g, p -= lr v; Adam with bias correction and
eps added after the square root.
"""
import numpy as np

from .core import Exercise, Mistake, register


# ---------------------------------------------------------------- momentum_step
def _momentum_step(p, g, v, lr, mu):
    v_new = mu * v + g
    return p - lr * v_new, v_new


def _momentum_old_velocity(p, g, v, lr, mu):
    return p - lr * v, mu * v + g


def _momentum_sign_flipped(p, g, v, lr, mu):
    v_new = mu * v - g
    return p - lr * v_new, v_new


def _momentum_no_decay(p, g, v, lr, mu):
    v_new = v + g
    return p - lr * v_new, v_new


def _momentum_average(p, g, v, lr, mu):
    v_new = mu * v + (1 - mu) * g
    return p - lr * v_new, v_new


def _momentum_lr_twice(p, g, v, lr, mu):
    v_new = mu * v + lr * g
    return p - lr * v_new, v_new


def _momentum_cs231n(p, g, v, lr, mu):
    """CS231n's update, v = mu * v - lr * g and p = p + v, applied to this course's velocity: the same step
    on a first step (v = 0) and in a run that keeps to it, but its velocity is -lr times this course's."""
    v_new = mu * v - lr * g
    return p + v_new, v_new


def _momentum_nesterov(p, g, v, lr, mu):
    """Nesterov momentum as PyTorch writes it (nesterov=True): the step looks ahead, g + mu * v_new."""
    v_new = mu * v + g
    return p - lr * (g + mu * v_new), v_new


def _momentum_old_velocity_returned(p, g, v, lr, mu):
    """The right step, but the velocity handed back is the old one."""
    return p - lr * (mu * v + g), v


def _random_momentum_case(rng):
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    return (rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape),
            float(rng.choice([0.01, 0.05, 0.1])), float(rng.choice([0.5, 0.9, 0.99])))


register(Exercise(
    name="momentum_step",
    notebook="07_optimisers_and_practice",
    reference=_momentum_step,
    cases=[
        # the first step: v starts at zero (CS231n's convention takes the same step here, with a velocity
        # -lr times this one, so its verdict can say exactly that)
        (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.1, -0.2], [0.3, 0.4]]), np.zeros((2, 2)), 0.02, 0.9),
        # a later step: the velocity already holds past gradients
        (np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, -1.0]), np.array([2.0, -1.0, 0.5]), 0.05, 0.9),
    ],
    random_case=_random_momentum_case,
    mistakes=[
        Mistake("p was moved with the old velocity v instead of the new one", _momentum_old_velocity,
                "Update the velocity first, v_new = μ v + g, then step with the new one: p_new = p − η v_new."),
        Mistake("the gradient's sign is flipped in the velocity (v = mu * v - g), so p climbs uphill",
                _momentum_sign_flipped,
                "This course (like PyTorch) uses v_new = μ v + g and p_new = p − η v_new. CS231n writes v = μ v − η g "
                "and p = p + v; each is right on its own, but mixing the two moves p up the gradient."),
        Mistake("the old velocity is not decayed (v + g: mu is missing)", _momentum_no_decay,
                "Multiply the old velocity by μ: v_new = μ v + g, so old gradients fade away."),
        Mistake("the velocity is an average mu * v + (1 - mu) * g (Adam's m), not a sum", _momentum_average,
                "Momentum adds the whole gradient: v_new = μ v + g. The (1 − μ) form takes steps 1 / (1 − μ) "
                "times smaller, e.g. 10 times smaller for μ = 0.9."),
        Mistake("the learning rate is applied twice (in v and again in the step)", _momentum_lr_twice,
                "Keep η out of the velocity: v_new = μ v + g, then p_new = p − η v_new."),
        Mistake("CS231n's convention (v = μ v − η g, then p = p + v), applied to this course's velocity",
                _momentum_cs231n,
                "CS231n's velocity is −η times this course's: on a first step (v = 0) both take the same step but "
                "return different velocities, and from then on the v passed in (this course's) is read the wrong "
                "way. Here v comes in and goes out in this course's convention: v_new = μ v + g, then "
                "p_new = p − η v_new."),
    ],
    related=[
        ("Nesterov momentum (p - lr * (g + mu * v_new), PyTorch's nesterov=True)", _momentum_nesterov),
        ("the right step, returned with the old velocity v instead of v_new", _momentum_old_velocity_returned),
    ],
    hints=[
        "Momentum keeps a velocity, a running sum of past gradients in which old ones fade, and moves the "
        "parameters along it instead of along the raw gradient. Update the velocity first, then take the step with "
        "the new velocity. Build new arrays: p and v must not change.",
        "v_new = μ·v + g, then p_new = p − η·v_new, with η = lr and μ = mu; every array has the shape of p. "
        "Return the tuple (p_new, v_new). (CS231n's v = μ·v − η·g, p = p + v keeps a velocity −η times this one: "
        "don't mix the two.)",
        "v_new = mu * v + g\np_new = p - lr * v_new\nreturn p_new, v_new",
    ],
))


# ---------------------------------------------------------------- adam_step
def _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, *, correct_with=None, sqrt=True, eps_inside=False,
                square=True):
    t_new = t + 1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * (g * g if square else g)
    tc = t_new if correct_with is None else correct_with(t, t_new)
    if tc is None:
        m_hat, v_hat = m_new, v_new
    else:
        m_hat, v_hat = m_new / (1 - beta1 ** tc), v_new / (1 - beta2 ** tc)
    if eps_inside:
        denom = np.sqrt(v_hat + eps)
    else:
        denom = (np.sqrt(v_hat) if sqrt else v_hat) + eps
    return p - lr * m_hat / denom, m_new, v_new, t_new


def _adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps)


def _adam_no_bias_correction(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, correct_with=lambda t, t_new: None)


def _adam_old_t(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, correct_with=lambda t, t_new: t)


def _adam_no_sqrt(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, sqrt=False)


def _adam_eps_inside(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, eps_inside=True)


def _adam_g_not_squared(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_parts(p, g, m, v, t, lr, beta1, beta2, eps, square=False)


def _adam_corrected_state(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The right step, but the bias-corrected m_hat and v_hat handed back as the new state."""
    p_new, m_new, v_new, t_new = _adam_step(p, g, m, v, t, lr, beta1, beta2, eps)
    return p_new, m_new / (1 - beta1 ** t_new), v_new / (1 - beta2 ** t_new), t_new


def _adam_t_not_advanced(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The right step and moments, but the step count handed back unchanged (t instead of t + 1)."""
    return _adam_step(p, g, m, v, t, lr, beta1, beta2, eps)[:3] + (t,)


def _random_adam_case(rng):
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    scale = float(rng.choice([1e-3, 1.0, 10.0]))
    g = rng.normal(scale=scale, size=shape)
    t = int(rng.integers(0, 50))
    # moments as after t steps of gradients of this size (v >= 0)
    m = rng.normal(scale=scale, size=shape) * (1 - 0.9 ** t)
    v = rng.uniform(0.2, 2.0, size=shape) * scale ** 2 * (1 - 0.999 ** t)
    return rng.normal(size=shape), g, m, v, t, float(rng.choice([1e-3, 1e-2, 0.1]))


register(Exercise(
    name="adam_step",
    notebook="07_optimisers_and_practice",
    reference=_adam_step,
    cases=[
        # the first step (t = 0, m = v = 0), with tiny gradients: here eps matters
        # (first, so that every named mistake differs from the answer on the first case)
        (np.array([[0.5, -1.0], [1.5, 0.0]]), np.array([[1e-5, -2e-5], [3e-6, 1e-4]]), np.zeros((2, 2)),
         np.zeros((2, 2)), 0, 0.001),
        # a later step (t = 3 steps taken before this one)
        (np.array([1.0, -0.5, 2.0]), np.array([0.2, -0.4, 0.05]), np.array([0.05, -0.1, 0.02]),
         np.array([0.001, 0.004, 0.0002]), 3, 0.01),
    ],
    random_case=_random_adam_case,
    mistakes=[
        Mistake("no bias correction (m and v used as they are)", _adam_no_bias_correction,
                "m and v start at 0, so early on they are too small: divide them by 1 − β₁ᵗ and 1 − β₂ᵗ, with t the "
                "number of this step (1 for the first)."),
        Mistake("the bias correction used the step count before this step (t starting at 0)", _adam_old_t,
                "Count this step first (t_new = t + 1) and correct with t_new: at the first step 1 − β₁⁰ = 0 "
                "would divide by zero."),
        Mistake("the square root of v is missing", _adam_no_sqrt,
                "Divide by the square root of v̂, plus ε: v estimates g², so its square root has the size of g."),
        Mistake("eps is inside the square root (√(v̂ + ε))", _adam_eps_inside,
                "PyTorch and the Adam paper add ε after the square root: √v̂ + ε. Inside, it caps the step when "
                "gradients are tiny (here 10 times smaller than it should be)."),
        Mistake("v averages g instead of g * g", _adam_g_not_squared,
                "The second moment is the running mean of the squared gradient: v_new = β₂ v + (1 − β₂) g²."),
    ],
    related=[
        ("the right step, with the bias-corrected m_hat and v_hat returned as the state (the state keeps the "
         "uncorrected m_new and v_new; the correction is recomputed each step)", _adam_corrected_state),
        ("the right step, with the step count returned unchanged (return t + 1)", _adam_t_not_advanced),
    ],
    hints=[
        "Adam keeps two running averages per parameter: m of the gradients (the direction) and v of the squared "
        "gradients (their typical size). Count this step first, update both averages, correct them for having "
        "started at zero, then step by the corrected m divided by the square root of the corrected v.",
        "t_new = t + 1; m_new = β1·m + (1 − β1)·g; v_new = β2·v + (1 − β2)·g²; m̂ = m_new / (1 − β1^t_new); "
        "v̂ = v_new / (1 − β2^t_new); p_new = p − lr·m̂ / (√v̂ + ε). All arrays have p's shape. Return "
        "(p_new, m_new, v_new, t_new): the state keeps the uncorrected m_new and v_new.",
        "t_new = t + 1\n"
        "m_new = beta1 * m + (1 - beta1) * g\n"
        "v_new = beta2 * v + (1 - beta2) * g * g\n"
        "m_hat = m_new / (1 - beta1 ** t_new)\n"
        "v_hat = v_new / (1 - beta2 ** t_new)\n"
        "p_new = p - lr * m_hat / (np.sqrt(v_hat) + eps)\n"
        "return p_new, m_new, v_new, t_new",
    ],
))
