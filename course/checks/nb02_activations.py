"""Exercises of notebook 02 (activation functions)."""
import numpy as np

from .. import activations as act
from .core import Exercise, Mistake, register


def _naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _sigmoid_without_minus(x):
    return act.sigmoid(-np.asarray(x, dtype=float))


def _sigmoid_derivative_instead(x):
    return act.sigmoid_grad(x)


register(Exercise(
    name="sigmoid",
    notebook="02_activation_functions",
    reference=act.sigmoid,
    cases=[(np.array([0.0, 1.0, -1.0]),), (np.array([[-1e3, 0.5], [2.0, 1e3]]),)],
    random_case=lambda rng: (rng.normal(scale=5, size=(3, 4)),),
    mistakes=[
        Mistake("the textbook formula 1 / (1 + np.exp(-x)) overflows for large negative x", _naive_sigmoid,
                "Use e = np.exp(-np.abs(x)) and np.where(x >= 0, 1 / (1 + e), e / (1 + e))."),
        Mistake("the sign of x is flipped (you computed σ(-x))", _sigmoid_without_minus,
                "σ(x) = 1 / (1 + e^(-x)): large positive x must give values near 1."),
        Mistake("this is the derivative σ(x)(1 - σ(x)), not σ(x)", _sigmoid_derivative_instead,
                "Return σ(x) itself; the derivative is the next exercise."),
    ],
))
