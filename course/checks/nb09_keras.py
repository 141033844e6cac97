"""Exercises of notebook 09 (TensorFlow/Keras): build the article's model in the Keras 3 idiom,
lay out a course MLP's weights for model.set_weights, and the epsilon that makes Keras's Adam
step equal to course's and torch's.

keras_weight_list and keras_epsilon are plain NumPy and maths: they are always registered.
build_keras_mlp needs Keras: it is registered only where TensorFlow and Keras are installed
(found with importlib.util.find_spec, which imports nothing), and Keras is imported only when a
reference or a mistake runs, so importing this module (which course.checks.exercises does for
every nb*.py) costs nothing and works without TensorFlow. Without it notebook 09 stops at its
first code cell, course.frameworks.require("keras"), and the Keras tests skip.

Building the cases draws no random numbers from Keras (a Dense layer's initial weights come from
Keras's seed generator, but nothing here compares weights), and the notebook seeds Keras again
right before anything that depends on it, so running a check never changes the notebook's results.
"""
import importlib.util
import math

import numpy as np

from .core import Exercise, Mistake, register, same

from .core import _  # keeps the English beside the translation, so that run() decides on the English


def _keras():
    import os

    # As course.frameworks.require does: TensorFlow reads these once, at import.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import keras

    return keras


# ---------------------------------------------------------------- build_keras_mlp(sizes)
def _build_keras_mlp(sizes):
    """sizes such as (784, 128, 64, 10) -> keras.Sequential: Input, Dense(relu) per hidden layer, Dense (logits)."""
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    layers.append(keras.layers.Dense(sizes[-1]))  # logits: softmax belongs with the loss
    return keras.Sequential(layers)


def _softmax_output(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    layers.append(keras.layers.Dense(sizes[-1], activation="softmax"))
    return keras.Sequential(layers)


def _relu_output(sizes):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(sizes[0],))]
                            + [keras.layers.Dense(h, activation="relu") for h in sizes[1:]])


def _no_input(sizes):
    keras = _keras()
    layers = [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])


def _input_as_dense(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[:-1]]  # one Dense too many: Dense(sizes[0])
    layers.append(keras.layers.Dense(sizes[-1]))
    return keras.Sequential(layers)


def _no_hidden_activation(sizes):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(sizes[0],))] + [keras.layers.Dense(h) for h in sizes[1:]])


_ACTIVATIONS = ("relu", "softmax", "sigmoid", "tanh", "linear")


def _activation_name(fn):
    """The name of a Dense layer's activation: its function's name when Keras knows it ("relu", "linear", ...),
    else what it computes on a probe (a lambda, tf.nn.relu, a ReLU layer given as activation=), else its name."""
    name = getattr(fn, "__name__", None)
    if name in _ACTIVATIONS:
        return name
    keras = _keras()
    probe = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]], dtype=np.float32)
    try:
        out = np.asarray(keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(probe))))
    except Exception:
        return name or type(fn).__name__
    for known in _ACTIVATIONS:
        want = keras.ops.convert_to_numpy(keras.activations.get(known)(keras.ops.convert_to_tensor(probe)))
        if out.shape == want.shape and np.allclose(out, want, atol=1e-6):
            return known
    return name or type(fn).__name__


def _describe_model(model):
    """(input shape or None, [(units, activation, use_bias), ...]) for a Keras model, or a str saying why it is
    not one.

    An Activation, ReLU or Softmax layer right after a Dense layer counts as that Dense layer's
    activation, so Dense(h) followed by Activation("relu") describes the same as Dense(h, activation="relu").
    A functional model's InputLayer and a Flatten layer on flat inputs (both change nothing) are left out;
    any other layer is listed as (None, its class name, None)."""
    keras = _keras()
    if not isinstance(model, keras.Model):
        if isinstance(model, (list, tuple)) and model and all(isinstance(x, keras.layers.Layer) or
                                                              type(x).__name__ == "KerasTensor" for x in model):
            return _("returned a {type}, expected a keras.Sequential model (a list of layers: pass it to "
                     "keras.Sequential and return the model)").format(type=type(model).__name__)
        return _("returned a {type}, expected a keras.Sequential model").format(type=type(model).__name__)
    try:
        shape = tuple(model.inputs[0].shape) if model.inputs else None
    except (AttributeError, ValueError):  # a Sequential without keras.Input has no inputs yet
        shape = None
    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer) or (
                isinstance(layer, keras.layers.Flatten) and shape is not None and len(shape) == 2):
            continue
        if isinstance(layer, keras.layers.Dense):
            fn = _activation_name(layer.activation)
            layers.append([layer.units, "none" if fn == "linear" else fn, layer.use_bias])
        elif isinstance(layer, (keras.layers.Activation, keras.layers.ReLU, keras.layers.Softmax)):
            if isinstance(layer, keras.layers.Activation):
                name = _activation_name(layer.activation)
            else:
                name = "relu" if isinstance(layer, keras.layers.ReLU) else "softmax"
            if layers and layers[-1][1] == "none":
                layers[-1][1] = name
            else:
                layers.append([None, name, None])
        else:
            layers.append([None, type(layer).__name__, None])
    return shape, [tuple(x) for x in layers]


def _compare_models(got, expected):
    want = _describe_model(expected)
    have = _describe_model(got)
    if isinstance(have, str):
        return have
    if have == want:
        return None
    (shape, layers), (want_shape, want_layers) = have, want
    if shape is None:
        return _("returned a model without an input shape (it is not built and has no weights yet)")
    if shape != want_shape:
        return _("returned a model for inputs of shape {got}, expected {expected}").format(got=shape,
                                                                                           expected=want_shape)
    extra = [a for u, a, _ in layers if u is None and a not in _ACTIVATIONS]
    if extra:
        return _("returned a model with a {layer} layer: the exercise's model has only Dense layers "
                 "(each with its activation)").format(layer=extra[0])
    units, want_units = [u for u, _, _ in layers], [u for u, _, _ in want_layers]
    if units != want_units:
        return _("returned layers of sizes {got}, expected Dense layers of sizes {expected}").format(
            got=units, expected=want_units)
    acts, want_acts = [a for _, a, _ in layers], [a for _, a, _ in want_layers]
    if acts != want_acts:
        return _("returned a model whose layers apply {got}, expected {expected}").format(got=acts,
                                                                                          expected=want_acts)
    return _("returned Dense layers without a bias (use_bias=False): every Dense layer computes "
             "activation(x·W + b), with a bias")


# ---------------------------------------------------------------- keras_weight_list(weights, biases)
def _keras_weight_list(weights, biases):
    """course's weights[i] (d_i, d_{i+1}) and biases[i] (d_{i+1},) -> [W0, b0, W1, b1, ...] for model.set_weights."""
    out = []
    for W, b in zip(weights, biases):
        out += [W, b]
    return out


def _weights_transposed(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out += [W.T, b]
    return out


def _kernels_then_biases(weights, biases):
    return list(weights) + list(biases)


def _pairs(weights, biases):
    return [[W, b] for W, b in zip(weights, biases)]


def _kernels_only(weights, biases):
    return list(weights)


def _compare_weight_list(got, expected):
    """None when `got` is a list (or tuple) holding the arrays of `expected` in order, else what differs;
    one array, or anything but a sequence, is told as such."""
    if isinstance(got, np.ndarray):
        return _("returned one array of shape {shape}, expected a list of {n} arrays, each layer's kernel and "
                 "then its bias").format(shape=got.shape, n=len(expected))
    if not isinstance(got, (list, tuple)):
        return _("returned a {type}, expected a list of {n} arrays, each layer's kernel and then its "
                 "bias").format(type=type(got).__name__, n=len(expected))
    return same(got, expected)


def _weights_case(rng):
    sizes = [int(rng.integers(4, 9)) for _ in range(int(rng.integers(3, 5)))]
    while any(a == b for a, b in zip(sizes[:-1], sizes[1:])):  # no square matrices: a transpose must show
        sizes = [int(rng.integers(4, 9)) for _ in range(len(sizes))]
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    return weights, biases


def _weights_fixed():
    rng = np.random.default_rng(9)
    sizes = (7, 6, 5, 3)
    return ([rng.normal(size=(a, b)).round(2) for a, b in zip(sizes[:-1], sizes[1:])],
            [rng.normal(size=b).round(2) for b in sizes[1:]])


# ---------------------------------------------------------------- keras_epsilon(eps, step, beta_2)
def _keras_epsilon(eps, step, beta_2):
    """The Keras Adam epsilon ε̂ whose step number `step` equals torch's / course's step with `eps`."""
    return eps * math.sqrt(1 - beta_2 ** step)


def _epsilon_unchanged(eps, step, beta_2):
    return eps


def _epsilon_inverted(eps, step, beta_2):
    return eps / math.sqrt(1 - beta_2 ** step)


def _epsilon_no_sqrt(eps, step, beta_2):
    return eps * (1 - beta_2 ** step)


def _epsilon_first_step_only(eps, step, beta_2):
    return eps * math.sqrt(1 - beta_2)


def _bias_correction(eps, step, beta_2):
    """sqrt(1 - β2^t) alone, without eps."""
    return math.sqrt(1 - beta_2 ** step)


def _epsilon_case(rng):
    return (float(10.0 ** rng.uniform(-9, -6)), int(rng.integers(2, 3000)), float(rng.choice([0.99, 0.995, 0.999, 0.9999])))


def _compare_number(got, expected):
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        if not (isinstance(got, np.ndarray) and got.shape == ()):
            return _("returned a {type}, expected one number (a float)").format(type=type(got).__name__)
    return same(float(got), expected, rtol=1e-6, atol=0)


# ---------------------------------------------------------------- registration
register(Exercise(
    name="keras_weight_list",
    notebook="09_tensorflow_keras",
    reference=_keras_weight_list,
    compare=_compare_weight_list,
    cases=[_weights_fixed()],
    random_case=_weights_case,
    n_random=3,
    hints=[
        "Keras's set_weights wants the arrays in the order Keras lists a model's weights: each layer's kernel, "
        "then its bias, layer after layer. A Keras kernel has the same (inputs, outputs) layout as course's W, "
        "so no array changes: only the order of the list.",
        "For layer i = 0, 1, ...: first weights[i], shape (d_i, d_{i+1}), then biases[i], shape (d_{i+1},). "
        "The result is one flat list of 2 × (number of layers) arrays, [W0, b0, W1, b1, ...]. Build a new list; "
        "do not change the lists you are given.",
        "out = []\n"
        "for W, b in zip(weights, biases):\n"
        "    out += [W, b]\n"
        "return out",
    ],
    mistakes=[
        Mistake("the kernels are transposed: (out, in) is PyTorch's layout, Keras's Dense kernel is (in, out)",
                _weights_transposed,
                "A Dense kernel has shape (inputs, outputs), the same as course's W: use each W as it is, "
                "without transposing it."),
        Mistake("all the kernels first, then all the biases: set_weights wants each layer's kernel and bias together",
                _kernels_then_biases,
                "Go layer by layer: [W0, b0, W1, b1, ...], the order in which Keras lists a model's weights."),
        Mistake("a list of [W, b] pairs: set_weights wants one flat list of arrays", _pairs,
                "Make it one flat list: each layer adds its kernel and then its bias, giving [W0, b0, W1, b1, ...]."),
        Mistake("the biases are missing: every Dense layer has a kernel and a bias", _kernels_only,
                "Put each layer's bias right after its kernel: [W0, b0, W1, b1, ...]."),
    ],
))

register(Exercise(
    name="keras_epsilon",
    notebook="09_tensorflow_keras",
    reference=_keras_epsilon,
    # torch's default eps, Keras's default, and 0.1, a value Keras's documentation suggests for some networks
    # (the diagnosis shows this case's numbers: with eps near 1e-8 every difference is below its tolerance)
    cases=[(1e-8, 1, 0.999), (1e-8, 100, 0.999), (1e-7, 1, 0.99), (0.1, 3, 0.999)],
    random_case=_epsilon_case,
    n_random=3,
    compare=_compare_number,
    hints=[
        "Both steps divide m by a denominator. Rewrite Keras's step so that its bias correction moves into the "
        "denominator, as in the course's formula; then ask which ε̂ makes the two denominators equal.",
        "Keras: η sqrt(1 - β2^t) / (1 - β1^t) · m / (sqrt(v) + ε̂) = η / (1 - β1^t) · m / (sqrt(v) / sqrt(1 - β2^t) "
        "+ ε̂ / sqrt(1 - β2^t)). So ε̂ / sqrt(1 - β2^t) = eps, with t = step and β2 = beta_2. The answer is one "
        "float, smaller than eps.",
        "return eps * (1 - beta_2 ** step) ** 0.5",
    ],
    mistakes=[
        Mistake("the same epsilon in both: Keras adds ε̂ before dividing by sqrt(1 - β2^t), so the same number "
                "acts 1/sqrt(1 - β2^t) times larger", _epsilon_unchanged,
                "Write Keras's step with the bias correction moved into the denominator and compare the two "
                "denominators: ε̂ / sqrt(1 - β2^t) must equal eps."),
        Mistake("the relation upside down: this is how large Keras's ε̂ = eps acts in torch's formula",
                _epsilon_inverted,
                "ε̂ / sqrt(1 - β2^t) = eps, so ε̂ = eps * sqrt(1 - β2^t): smaller than eps, not larger."),
        Mistake("the square root is missing: the bias correction divides sqrt(v), so it enters as sqrt(1 - β2^t)",
                _epsilon_no_sqrt,
                "Take the square root of the correction: ε̂ = eps · sqrt(1 - β2^t)."),
        Mistake("β2 is not raised to the step number: that is right only for the first step",
                _epsilon_first_step_only,
                "The bias correction at step t is 1 - β2^t: raise β2 to the step number."),
    ],
    related=[("the factor sqrt(1 - β2^t) alone, without eps", _bias_correction)],
))

if importlib.util.find_spec("tensorflow") is not None and importlib.util.find_spec("keras") is not None:
    register(Exercise(
        name="build_keras_mlp",
        notebook="09_tensorflow_keras",
        reference=_build_keras_mlp,
        cases=[((784, 128, 64, 10),), ((3, 5, 2),)],
        random_case=lambda rng: (tuple(int(rng.integers(2, 9)) for _ in range(int(rng.integers(3, 5)))),),
        n_random=2,
        compare=_compare_models,
        hints=[
            "A Sequential model is a list of layers applied in order. The first width is not a layer: it "
            "describes the input. Every other width is a Dense layer: the hidden ones with ReLU, the last one "
            "without an activation, so that it gives logits.",
            "keras.Input(shape=(sizes[0],)); then Dense(h, activation=\"relu\") for each h in sizes[1:-1]; then "
            "Dense(sizes[-1]). Put them in one list and pass it to keras.Sequential. For (784, 128, 64, 10): input "
            "(None, 784), Dense 128 with ReLU, Dense 64 with ReLU, Dense 10.",
            "layers = [keras.Input(shape=(sizes[0],))]\n"
            "layers += [keras.layers.Dense(h, activation=\"relu\") for h in sizes[1:-1]]\n"
            "layers.append(keras.layers.Dense(sizes[-1]))\n"
            "return keras.Sequential(layers)",
        ],
        mistakes=[
            Mistake("softmax on the last layer (the article's model): the loss, with from_logits=True, expects logits",
                    _softmax_output,
                    "Leave the last Dense layer without an activation; the loss, with from_logits=True, applies "
                    "the softmax. For probabilities, apply a softmax to the model's output outside the model."),
            Mistake("ReLU on the last layer too (the article's NumPy mistake): no logit can be negative",
                    _relu_output,
                    "Only the hidden Dense layers get activation=\"relu\"; the last one gives logits, any real numbers."),
            Mistake("no keras.Input: the model does not know its input shape, so it is not built and has no weights yet",
                    _no_input,
                    "Start the list with Keras's Input, of shape (sizes[0],); in Keras 3 it replaces input_shape= "
                    "on a layer."),
            Mistake("one Dense layer too many: the input layer is keras.Input, not a Dense(sizes[0]) layer",
                    _input_as_dense,
                    "sizes[0] is the number of input features: it is the shape of the Input, not a layer; Dense "
                    "layers only for the widths after it."),
            Mistake("no activation between the layers: a stack of linear layers is one linear map",
                    _no_hidden_activation,
                    "Give every hidden Dense layer activation=\"relu\" (all but the last)."),
        ],
    ))
