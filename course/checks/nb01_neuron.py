"""Exercises of notebook 01 (the neuron): neuron, boundary_x1, and_gate."""
import numpy as np

from .. import activations as act
from .core import Exercise, Mistake, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English

# ---------------------------------------------------------------------------
# neuron(x, w, b) = σ(x @ w + b)
# ---------------------------------------------------------------------------


def _neuron(x, w, b):
    """x: (n, d), w: (d,), b: a number -> σ(x @ w + b): (n,)."""
    return act.sigmoid(x @ w + b)


def _neuron_no_bias(x, w, b):
    return act.sigmoid(x @ w)


def _neuron_no_activation(x, w, b):
    return x @ w + b


def _neuron_elementwise(x, w, b):
    return act.sigmoid(x * w + b)


def _neuron_sum_over_samples(x, w, b):
    return act.sigmoid((x * w).sum(axis=0) + b)


def _neuron_bias_subtracted(x, w, b):
    return act.sigmoid(x @ w - b)


def _neuron_step(x, w, b):
    return np.where(x @ w + b > 0, 1.0, 0.0)


def _neuron_naive_sigmoid(x, w, b):
    return 1 / (1 + np.exp(-(x @ w + b)))


def _neuron_bias_after_sigmoid(x, w, b):
    return act.sigmoid(x @ w) + b


def _neuron_other_class(x, w, b):
    """x: (n, d), w: (d,), b: a number -> 1 - σ(x @ w + b) = σ(-z): (n,), the output for the other class."""
    return act.sigmoid(-(x @ w + b))


def _compare_neuron(got, expected):
    """`same`, after turning a boolean answer (a hard step written as z > 0) into 0.0 / 1.0."""
    if isinstance(got, np.ndarray) and got.dtype == bool:
        got = got.astype(float)
    return same(got, expected)


def _neuron_case(rng):
    n, d = int(rng.integers(2, 7)), int(rng.integers(1, 5))
    return rng.normal(size=(n, d)), rng.normal(size=d), float(rng.normal())


register(Exercise(
    name="neuron",
    notebook="01_the_neuron",
    reference=_neuron,
    cases=[
        (np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 1.0]]), np.array([0.5, -1.0]), 0.25),
        (np.array([[0.2, -1.0, 3.0], [1.5, 0.5, -0.5], [0.0, 2.0, 1.0], [-2.0, 0.0, 0.5]]),
         np.array([1.0, -0.5, 0.25]), -0.75),
        (np.array([[3.0, 1.0, -2.0]]), np.array([0.1, 0.2, 0.3]), 1.5),
        # z = -999.9 and 998.6: the textbook sigmoid overflows in np.exp
        (np.array([[-1000.0, 2.0], [1000.0, -3.0]]), np.array([1.0, 0.05]), 0.0),
    ],
    random_case=_neuron_case,
    compare=_compare_neuron,
    mistakes=[
        Mistake("the bias is forgotten", _neuron_no_bias,
                "Add b to the weighted sum before the activation: σ(x·w + b)."),
        Mistake("the activation is missing (you returned the weighted sum z, not σ(z))", _neuron_no_activation,
                "Pass z = x·w + b through the sigmoid before returning it: the neuron's output is σ(z), between 0 and 1."),
        Mistake("w and x are multiplied elementwise but never summed (shape (n, d) instead of (n,))",
                _neuron_elementwise,
                "A neuron adds up its weighted inputs: for sample i, z_i = Σ_j x_ij w_j, a sum over the d features; "
                "the matrix product of x and w does it for every row at once."),
        Mistake("the products are summed over the samples (axis 0) instead of over the features",
                _neuron_sum_over_samples,
                "Each row of x is one sample: sum the products over that row's d features (the columns, axis 1), "
                "one sum per sample, or use the matrix product of x and w."),
        Mistake("the bias is subtracted instead of added", _neuron_bias_subtracted,
                "z = x·w + b: the bias is added."),
        Mistake("this is a hard step (0 or 1), not the sigmoid", _neuron_step,
                "Return σ(z), a smooth value between 0 and 1; the step comes back in the AND exercise."),
        Mistake("the textbook formula 1 / (1 + np.exp(-z)) overflows for very negative z", _neuron_naive_sigmoid,
                "Use the course's stable sigmoid, imported at the top of the notebook, on z = x·w + b "
                "(notebook 02 shows why the textbook formula fails)."),
        Mistake("the bias is added after the sigmoid: σ(x·w) + b instead of σ(x·w + b)", _neuron_bias_after_sigmoid,
                "The bias is part of the weighted sum: first z = x·w + b, then σ(z). "
                "Added afterwards it can push the output out of (0, 1)."),
    ],
    related=[("1 − σ(x·w + b) = σ(−z), the output for the other class: the sign of z is flipped",
              _neuron_other_class)],
    hints=[
        "A neuron does two things to each sample (each row of x): it adds up the sample's inputs, each "
        "multiplied by its weight, plus the bias; then it squashes that number through the sigmoid. "
        "A matrix product does the first step for all rows at once.",
        "z = x·w + b: x is (n, d) and w is (d,), so the matrix product x @ w is (n,), one weighted sum per "
        "sample, and the number b is added to each. The answer is σ(z), also (n,). Use the course's "
        "sigmoid (imported above): the textbook formula overflows for very negative z.",
        "z = x @ w + b\nreturn sigmoid(z)",
    ],
))


# ---------------------------------------------------------------------------
# boundary_x1(x0, w, b): the decision boundary w0*x0 + w1*x1 + b = 0 solved for x1
# ---------------------------------------------------------------------------


def _boundary_x1(x0, w, b):
    """x0: (m,), w: (2,) with w[1] != 0, b: a number -> x1: (m,) such that w[0]*x0 + w[1]*x1 + b = 0."""
    return -(w[0] * x0 + b) / w[1]


def _boundary_sign_flipped(x0, w, b):
    return (w[0] * x0 + b) / w[1]


def _boundary_no_bias(x0, w, b):
    return -w[0] * x0 / w[1]


def _boundary_weights_swapped(x0, w, b):
    return -(w[1] * x0 + b) / w[0]


def _boundary_bias_not_divided(x0, w, b):
    return -w[0] * x0 / w[1] - b


def _boundary_intercept(x0, w, b):
    """x0: (m,), w: (2,), b: a number -> (m,): -b / w[1] for every x0, where the line crosses the x1 axis."""
    return np.full(np.shape(x0), -b / w[1])


def _boundary_case(rng):
    w = rng.uniform(0.5, 2.0, size=2) * rng.choice([-1.0, 1.0], size=2)
    return np.linspace(-2.0, 2.0, 5), w, float(rng.uniform(0.3, 2.0) * rng.choice([-1.0, 1.0]))


register(Exercise(
    name="boundary_x1",
    notebook="01_the_neuron",
    reference=_boundary_x1,
    cases=[
        (np.array([-1.0, 0.0, 2.0]), np.array([1.0, 2.0]), 0.5),
        (np.array([-2.0, 0.5, 1.0, 3.0]), np.array([-1.5, 0.5]), -1.0),
    ],
    random_case=_boundary_case,
    mistakes=[
        Mistake("the sign is flipped (your line is the mirror image through the x0 axis)", _boundary_sign_flipped,
                "From w0·x0 + w1·x1 + b = 0: w1·x1 = −(w0·x0 + b), so x1 = −(w0·x0 + b) / w1."),
        Mistake("the bias is forgotten (your line always passes through the origin)", _boundary_no_bias,
                "The bias moves the line away from the origin: x1 = −(w0·x0 + b) / w1."),
        Mistake("w[0] and w[1] are swapped", _boundary_weights_swapped,
                "The first weight w0 multiplies x0 and the second, w1, multiplies x1; you solve for x1, so divide by w1."),
        Mistake("the bias is not divided by w[1]", _boundary_bias_not_divided,
                "Divide the whole of w0·x0 + b by w1 (parentheses around it): x1 = −(w0·x0 + b) / w1."),
    ],
    hints=[
        "The boundary is where the neuron's weighted sum is exactly 0. Write that equation with x0 and x1 "
        "and solve it for x1, as in school algebra: move everything without x1 to the other side, then divide.",
        "w0·x0 + w1·x1 + b = 0 gives w1·x1 = −(w0·x0 + b), so x1 = −(w0·x0 + b) / w1: the minus and the "
        "division apply to the bias too. w[0], w[1] and b are numbers and x0 is (m,), so x1 is (m,).",
        "return -(w[0] * x0 + b) / w[1]",
    ],
    related=[("the intercept −b / w1 for every x0 (where the line crosses the x1 axis): a horizontal line, "
              "the slope −w0 / w1 times x0 is missing", _boundary_intercept)],
))


# ---------------------------------------------------------------------------
# and_gate(x): one neuron with a step activation that computes x0 AND x1
# ---------------------------------------------------------------------------

ALL_PAIRS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _gate(w, b):
    def gate(x):
        return (x @ np.asarray(w) + b > 0).astype(np.int64)
    return gate


_and_gate = _gate([1.0, 1.0], -1.5)
_and_gate.__doc__ = "x: (n, 2) of 0s and 1s -> (n,) int64: 1 where both inputs are 1 (step(x @ [1, 1] - 1.5))."


def _and_not_thresholded(x):
    return x @ np.array([1.0, 1.0]) - 1.5


def _truth(values):
    return "[" + " ".join(str(int(v)) for v in np.ravel(values)) + "]"


def _compare_gate(got, expected):
    """Judge what the gate does: its 0/1 outputs must equal `expected`. Two outputs that are both
    not 0/1 (not thresholded) count as the same behaviour, so that mistake can be named."""
    e = np.asarray(expected, dtype=float)
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return _("returned a {type}, expected an array of 0s and 1s").format(type=type(got).__name__)
    if g.shape != e.shape:
        return _("returned shape {got}, expected shape {expected} (one 0 or 1 per row of x)").format(
            got=g.shape, expected=e.shape)
    g_binary, e_binary = bool(np.isin(g, (0.0, 1.0)).all()), bool(np.isin(e, (0.0, 1.0)).all())
    if not e_binary:  # `expected` is a not-thresholded mistake's output
        return None if not g_binary else _("returned 0s and 1s")
    if not g_binary:
        return _("returned values other than 0 and 1: a logic gate's output must be thresholded")
    if not np.array_equal(g, e):
        return _("gave {got} where AND gives {expected}").format(got=_truth(g), expected=_truth(e))
    return None


register(Exercise(
    name="and_gate",
    notebook="01_the_neuron",
    reference=_and_gate,
    cases=[
        (ALL_PAIRS.copy(),),
        (ALL_PAIRS[::-1].copy(),),
        (ALL_PAIRS[[3, 1, 3, 0, 2, 3]].copy(),),
    ],
    random_case=lambda rng: (rng.integers(0, 2, size=(6, 2)).astype(float),),
    n_random=2,
    compare=_compare_gate,
    mistakes=[
        Mistake("this implements OR: it fires when at least one input is 1", _gate([1.0, 1.0], -0.5),
                "Make the bias more negative, so that one input alone stays below the threshold and only "
                "both together get over it (w = [1, 1]: any b between -2 and -1)."),
        Mistake("the output is flipped: this is NAND (0 only where both inputs are 1)",
                lambda x: 1 - _and_gate(x),
                "The neuron fires (outputs 1) where z = x·w + b is above 0: check the direction of the "
                "comparison and the signs of w and b."),
        # Named by what the gate does, not by a cause: a positive bias and a threshold on σ(z) instead of
        # on z (σ(z) > 0 holds for every z) both give 1 on all four pairs.
        Mistake("the neuron always fires, even for (0, 0)", _gate([1.0, 1.0], 1.5),
                "For x = (0, 0), z = b, and AND must give 0 there: the bias must be negative. Compare z itself "
                "with 0 (or σ(z) with 0.5): σ(z) is above 0 for every z."),
        Mistake("the neuron never fires, not even for (1, 1): the bias is too negative "
                "(or (1, 1) lands exactly on the threshold, z = 0)", _gate([1.0, 1.0], -2.0),
                "With w = [1, 1], (1, 1) gives z = 2 + b: choose b so that this is above 0 while 1 + b is below, "
                "e.g. b = -1.5, half-way between."),
        Mistake("the output is not thresholded: a logic gate answers 0 or 1", _and_not_thresholded,
                "Return 1 where z > 0 and 0 elsewhere (whole numbers or True/False); z, σ(z) or the sign of z "
                "(which is -1 or 1) are not answers of a gate."),
    ],
    hints=[
        "With both weights equal to 1, the weighted sum counts how many inputs are 1 (0, 1 or 2). Choose "
        "the bias so that only a count of 2 gets above zero, then turn z into 0 or 1 with the step.",
        "z = x·w + b with w = (1, 1): x is (n, 2), so z is (n,) and equals b, 1 + b or 2 + b. You need "
        "1 + b ≤ 0 < 2 + b, e.g. b = −1.5 (half-way). Output 1 where z > 0, else 0 (σ(z) > 0.5 is the same "
        "test; σ(z) > 0 is not: it holds for every z).",
        "w = np.array([1.0, 1.0])\nb = -1.5\nreturn (x @ w + b > 0).astype(int)",
    ],
))
