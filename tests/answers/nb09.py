"""Learner answers to notebook 09's exercises (TensorFlow/Keras): build_keras_mlp, keras_weight_list, keras_epsilon.

Keras is imported inside each build_keras_mlp answer, never here: this module is imported whenever the
corpus test is collected, and importing TensorFlow takes seconds.
"""
import math

import numpy as np

from answers import right, wrong


def _keras():
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import keras

    return keras


# ---------------------------------------------------------------- build_keras_mlp(sizes) -> keras model
@wrong("build_keras_mlp", "the article's model: input_shape= on the first Dense and softmax on the last")
def _(sizes):
    import warnings

    keras = _keras()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras 3 warns about input_shape=
        model = keras.Sequential([keras.layers.Dense(sizes[1], activation="relu", input_shape=(sizes[0],))])
    for h in sizes[2:-1]:
        model.add(keras.layers.Dense(h, activation="relu"))
    model.add(keras.layers.Dense(sizes[-1], activation="softmax"))
    return model


@wrong("build_keras_mlp", "the article's sizes written out: the argument is ignored")
def _(sizes):
    keras = _keras()
    return keras.Sequential([keras.Input(shape=(784,)),
                             keras.layers.Dense(128, activation="relu"),
                             keras.layers.Dense(64, activation="relu"),
                             keras.layers.Dense(10)])


@wrong("build_keras_mlp", "the loop over sizes[1:] makes the output width a ReLU layer too, then a Dense on top")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    for h in sizes[1:]:
        layers.append(keras.layers.Dense(h, activation="relu"))
    layers.append(keras.layers.Dense(sizes[-1]))
    return keras.Sequential(layers)


@wrong("build_keras_mlp", "sizes[1:-2]: the last hidden layer is missing")
def _(sizes):
    keras = _keras()
    model = keras.Sequential()
    model.add(keras.Input(shape=(sizes[0],)))
    for h in sizes[1:-2]:
        model.add(keras.layers.Dense(h, activation="relu"))
    model.add(keras.layers.Dense(sizes[-1]))
    return model


@wrong("build_keras_mlp", "sigmoid hidden layers, as in older tutorials")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="sigmoid") for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])


@wrong("build_keras_mlp", "a sigmoid output layer")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1], activation="sigmoid")])


@wrong("build_keras_mlp", "a Dropout layer after each hidden layer")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    for h in sizes[1:-1]:
        layers += [keras.layers.Dense(h, activation="relu"), keras.layers.Dropout(0.2)]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])


@wrong("build_keras_mlp", "Dense layers without a bias (use_bias=False)")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu", use_bias=False) for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1], use_bias=False)])


@wrong("build_keras_mlp", "the list of layers returned, never wrapped in keras.Sequential")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    layers.append(keras.layers.Dense(sizes[-1]))
    return layers


@wrong("build_keras_mlp", "a separate Softmax layer at the end")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1]), keras.layers.Softmax()])


@right("build_keras_mlp", "model.add in a loop, activation given as keras.activations.relu")
def _(sizes):
    keras = _keras()
    model = keras.Sequential()
    model.add(keras.Input(shape=(sizes[0],)))
    for h in sizes[1:-1]:
        model.add(keras.layers.Dense(units=h, activation=keras.activations.relu))
    model.add(keras.layers.Dense(units=sizes[-1], activation="linear"))
    return model


@right("build_keras_mlp", "the functional API")
def _(sizes):
    keras = _keras()
    inputs = keras.Input(shape=(sizes[0],))
    x = inputs
    for h in sizes[1:-1]:
        x = keras.layers.Dense(h, activation="relu")(x)
    outputs = keras.layers.Dense(sizes[-1])(x)
    return keras.Model(inputs, outputs)


@right("build_keras_mlp", "an InputLayer and a Flatten (a no-op on flat inputs)")
def _(sizes):
    keras = _keras()
    layers = [keras.layers.InputLayer(shape=(sizes[0],)), keras.layers.Flatten()]
    layers += [keras.layers.Dense(h, activation="relu") for h in sizes[1:-1]]
    return keras.Sequential(layers + [keras.layers.Dense(sizes[-1], activation=None)])


@right("build_keras_mlp", "Dense layers followed by ReLU layers, and compiled already")
def _(sizes):
    keras = _keras()
    layers = [keras.Input(shape=(sizes[0],))]
    for h in sizes[1:-1]:
        layers += [keras.layers.Dense(h), keras.layers.ReLU()]
    model = keras.Sequential(layers + [keras.layers.Dense(sizes[-1])])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


# ---------------------------------------------------------------- keras_weight_list(weights, biases) -> list
@wrong("keras_weight_list", "each W transposed to PyTorch's (out, in) layout")
def _(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out.append(np.transpose(W))
        out.append(b)
    return out


@wrong("keras_weight_list", "W reshaped to (out, in) instead of transposed")
def _(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out += [W.reshape(W.shape[1], W.shape[0]), b]
    return out


@wrong("keras_weight_list", "each bias first, then its kernel")
def _(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out += [b, W]
    return out


@wrong("keras_weight_list", "the biases as rows of shape (1, d)")
def _(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out += [W, b.reshape(1, -1)]
    return out


@wrong("keras_weight_list", "range(len(weights) - 1): the last layer is left out")
def _(weights, biases):
    out = []
    for i in range(len(weights) - 1):
        out.append(weights[i])
        out.append(biases[i])
    return out


@wrong("keras_weight_list", "out = weights, then the biases inserted: the caller's list is changed")
def _(weights, biases):
    out = weights
    for i, b in enumerate(biases):
        out.insert(2 * i + 1, b)
    return out


@wrong("keras_weight_list", "one flat vector of all parameters, like course's mlp.params")
def _(weights, biases):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in zip(weights, biases)])


@wrong("keras_weight_list", "extend instead of append: the kernel's rows and the bias's numbers, one by one")
def _(weights, biases):
    out = []
    for W, b in zip(weights, biases):
        out.extend(W)
        out.extend(b)
    return out


@wrong("keras_weight_list", "float32 copies, as Keras stores them: the arrays are rounded, not only reordered")
def _(weights, biases):
    out = []
    for i in range(len(weights)):
        out.append(np.asarray(weights[i], dtype=np.float32))
        out.append(np.asarray(biases[i], dtype=np.float32))
    return out


@wrong("keras_weight_list", "all kernels, then all biases")
def _(weights, biases):
    return [*weights, *biases]


@right("keras_weight_list", "a nested comprehension")
def _(weights, biases):
    return [array for pair in zip(weights, biases) for array in pair]


@right("keras_weight_list", "slice assignment into a list of the right length")
def _(weights, biases):
    out = [None] * (2 * len(weights))
    out[::2] = weights
    out[1::2] = biases
    return out


@right("keras_weight_list", "sum of the (W, b) tuples")
def _(weights, biases):
    return list(sum(zip(weights, biases), ()))


@right("keras_weight_list", "itertools.chain over the pairs, returned as a tuple")
def _(weights, biases):
    import itertools

    return tuple(itertools.chain.from_iterable(zip(weights, biases)))


# ---------------------------------------------------------------- keras_epsilon(eps, step, beta_2) -> float
@wrong("keras_epsilon", "(1 - beta_2 ** step) ** 1/2: the power binds first, so this halves instead of taking the root")
def _(eps, step, beta_2):
    return eps * (1 - beta_2 ** step) ** 1 / 2


@wrong("keras_epsilon", "sqrt(1 - beta_2) ** step: the power outside the root")
def _(eps, step, beta_2):
    return eps * math.sqrt(1 - beta_2) ** step


@wrong("keras_epsilon", "step - 1 as the exponent (counting steps from 0)")
def _(eps, step, beta_2):
    return eps * math.sqrt(1 - beta_2 ** (step - 1))


@wrong("keras_epsilon", "β1 = 0.9 instead of β2 in the correction")
def _(eps, step, beta_2):
    beta_1 = 0.9
    return eps * math.sqrt(1 - beta_1 ** step)


@wrong("keras_epsilon", "the correction factor alone, eps forgotten")
def _(eps, step, beta_2):
    return math.sqrt(1 - beta_2 ** step)


@wrong("keras_epsilon", "beta_2 ** step without the 1 -")
def _(eps, step, beta_2):
    return eps * math.sqrt(beta_2 ** step)


@wrong("keras_epsilon", "divides by the correction instead of multiplying")
def _(eps, step, beta_2):
    correction = math.sqrt(1 - beta_2 ** step)
    return eps / correction


@wrong("keras_epsilon", "eps unchanged")
def _(eps, step, beta_2):
    return float(eps)


@right("keras_epsilon", "NumPy's sqrt and power (a NumPy float)")
def _(eps, step, beta_2):
    return eps * np.sqrt(1 - np.power(beta_2, step))


@right("keras_epsilon", "expm1 and log, accurate when β2^t is close to 1")
def _(eps, step, beta_2):
    return eps * math.sqrt(-math.expm1(step * math.log(beta_2)))


@right("keras_epsilon", "eps over the inverse correction")
def _(eps, step, beta_2):
    inverse = 1.0 / math.sqrt(1.0 - pow(beta_2, step))
    return eps / inverse
