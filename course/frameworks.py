"""The course's MLP in PyTorch and Keras: build the same network, move weights both ways.

A course.MLP keeps weights[i] with shape (d_i, d_{i+1}) and biases[i] (d_{i+1},) and
computes  a_{i+1} = act(a_i @ W_i + b_i),  logits = a_L @ W_L + b_L  (no softmax).

    PyTorch  nn.Linear(d_i, d_{i+1}).weight has shape (d_{i+1}, d_i) = W_i.T   (it computes x @ weight.T)
    Keras    Dense(d_{i+1}).kernel       has shape (d_i, d_{i+1}) = W_i     (it computes x @ kernel)

so the same numbers give the same logits (notebooks 08 and 09 and tests/test_frameworks_*.py
show it). Softmax belongs with the loss in all three: course's softmax_cross_entropy,
torch.nn.functional.cross_entropy and keras.losses.SparseCategoricalCrossentropy(from_logits=True).

Neither torch nor TensorFlow is imported here until a function needs it: `require(name)`
imports it or raises FrameworkMissing, whose message is one line saying how to install it.

    available(name) / require(name)      name in "torch", "tensorflow", "keras"
    install_message(name)                the one-line "not installed" message
    torch_mlp, to_torch, from_torch      PyTorch
    keras_mlp, to_keras, from_keras      Keras 3
    keras_adam_epsilon                   the Keras Adam epsilon equal to a torch/course Adam eps
"""
from __future__ import annotations

import importlib
import importlib.util
import itertools
import math
import os

import numpy as np

from .activations import LEAKY_SLOPE
from .i18n import N_, _
from .install_hints import PIP, TF_PIP, TORCH_PIP, frameworks_fix
from ._validate import CourseInputError, choice, describe, positive_float, positive_int
from .network import MLP

ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "identity")
# LEAKY_SLOPE: course.network.MLP multiplies negative inputs by it (torch.nn.LeakyReLU's default; Keras's is 0.2).

# One wording for the install line here and in `python -m course doctor` (both take it from course/install_hints.py).
# name -> (what learners call it (translated where shown), what pip installs,
#          modules whose absence means "not installed")
_FRAMEWORKS = {
    "torch": ("PyTorch", TORCH_PIP, {"torch"}),
    "tensorflow": ("TensorFlow", TF_PIP, {"tensorflow"}),
    # TensorFlow >= 2.16 brings Keras 3 with it; Keras runs on TensorFlow here.
    "keras": (N_("Keras (with TensorFlow)"), TF_PIP, {"keras", "tensorflow"}),
}


# ---------------------------------------------------------------- finding the frameworks
class FrameworkMissing(ImportError):
    """A framework the course needs here is not installed (or does not import).

    str() is one line saying how to install it. IPython/Jupyter calls _render_traceback_
    instead of printing a traceback, so a notebook shows just that line and "Run all" stops there.
    """

    def _render_traceback_(self):
        return [str(self)]


def _check_name(name):
    return choice(name, "name", tuple(_FRAMEWORKS))


def _absent(module):
    try:
        return importlib.util.find_spec(module) is None  # also None for sys.modules[module] = None
    except (ImportError, ValueError):
        return True


def install_command(name: str) -> str:
    """The pip command line that installs framework `name` (and the alternative, in the current language)."""
    return f"{PIP} {_FRAMEWORKS[_check_name(name)][1]} ({frameworks_fix()})"


def install_message(name: str) -> str:
    """The one line FrameworkMissing shows when `name` is not installed, e.g. "PyTorch is not
    installed. Install it with: python -m pip install torch ..." (root conftest.py uses it to
    explain skipped notebooks without importing the framework). In the current language (course.i18n)."""
    return _("{framework} is not installed. Install it with: {command}").format(
        framework=_(_FRAMEWORKS[_check_name(name)][0]), command=install_command(name))


def require(name: str):
    """The imported module `name` ("torch", "tensorflow" or "keras"), or raise FrameworkMissing.

    For TensorFlow and Keras two environment variables are set first (unless already set),
    because TensorFlow reads them once, at import, and otherwise writes C++ log lines to stderr,
    which Jupyter shows under the cell: TF_CPP_MIN_LOG_LEVEL=3 (no info/warning lines) and
    TF_ENABLE_ONEDNN_OPTS=0 (no "oneDNN custom operations are on" line, which level 3 does not
    silence; it also keeps round-off the same from run to run, at a small cost in speed).
    """
    _check_name(name)
    if name in ("tensorflow", "keras"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    label, pip, own = _FRAMEWORKS[name]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        top = (e.name or "").split(".")[0]
        if top in own and _absent(top):  # the framework itself is absent, not a dependency or a part of it
            raise FrameworkMissing(install_message(name)) from e
        cause = e
    except Exception as e:  # noqa: BLE001 -- a broken install: missing shared libraries, a NumPy it was not built for, ...
        cause = e
    reason = (str(cause).strip().splitlines() or [""])[0][:160]
    raise FrameworkMissing(_("{framework} is installed but could not be imported ({error}). Reinstall it with: "
                             "{command}").format(framework=_(label), error=f"{type(cause).__name__}: {reason}",
                                                 command=f"{PIP} --force-reinstall {pip}")) from cause


def available(name: str) -> bool:
    """True when `require(name)` works. Never raises for a missing or broken framework
    (an unknown name is a mistake in the call and raises CourseInputError). Imports it if it can."""
    _check_name(name)
    try:
        require(name)
    except FrameworkMissing:
        return False
    return True


# ---------------------------------------------------------------- shared checks
def _sizes(sizes):
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise CourseInputError(_("sizes: expected a list of at least 2 layer widths like (784, 128, 10), got {got}.")
                               .format(got=describe(sizes)))
    return tuple(positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes))


def _mlp(mlp, name="mlp"):
    if not isinstance(mlp, MLP):
        raise CourseInputError(_("{name}: expected a course.MLP, got {got}.").format(name=name, got=describe(mlp)))
    return mlp


def _new_mlp(sizes, activation, dtype):
    """A course.MLP to copy weights into: one output means a binary classifier, as in MLP."""
    loss = "binary_cross_entropy" if sizes[-1] == 1 else "softmax_cross_entropy"
    return MLP(sizes, activation=activation, dtype=dtype, loss=loss)


def _one_activation(after, where, sequential=True):
    """The course activation of a network whose weight layer i is followed by the activations after[i].

    after: one list of activation names per weight layer. Hidden layers must all use the same single
    activation (a course MLP uses one); the last layer none (logits out). Returns the name, or None
    when there is nothing to read: one layer only, or a custom torch module (sequential=False)
    without activation modules, whose forward() may call F.relu itself.
    """
    if [a for a in after[-1] if a != "identity"]:
        raise CourseInputError(_("{where}: expected the last layer to give logits (no activation; softmax belongs in "
                                 "the loss), got {activations} after it.").format(where=where,
                                                                                  activations=_then(after[-1])))
    names = set()
    for i, acts in enumerate(after[:-1]):
        real = [a for a in acts if a != "identity"]
        if len(real) > 1 or (real and real[0] not in ACTIVATIONS):
            raise CourseInputError(_("{where}: expected one of {names} after layer {i}, got {activations}.").format(
                where=where, names=", ".join(ACTIVATIONS), i=i, activations=_then(real)))
        if real or acts or sequential:  # a Sequential with nothing between two layers: identity
            names.add(real[0] if real else "identity")
    if len(names) > 1:
        raise CourseInputError(_("{where}: expected the same activation between all layers (a course MLP uses one), "
                                 "got {names}.").format(where=where, names=", ".join(sorted(names))))
    return names.pop() if names else None


def _then(activations) -> str:
    """Activations one after the other: "relu then softmax"."""
    text = activations[0] if activations else ""
    for name in activations[1:]:
        text = _("{first} then {second}").format(first=text, second=name)
    return text


def _check_layers(mlp, shapes, where, kind, found_activation):
    """The weight layers found in a framework model must be those of `mlp`: count, shapes, activation.

    shapes: (in, out) per layer, in the order they are applied; kind: "nn.Linear" or "Dense"."""
    want = [W.shape for W in mlp.weights]
    if len(shapes) != len(want):
        raise CourseInputError(_("{where}: expected {n} {kind} layers for the MLP's sizes {sizes}, got {count} with "
                                 "(in, out) = {shapes}.").format(where=where, n=len(want), kind=kind, sizes=mlp.sizes,
                                                                 count=len(shapes), shapes=", ".join(map(str, shapes))))
    for i, (got, w) in enumerate(zip(shapes, want)):
        if tuple(got) != w:
            raise CourseInputError(_("{where}: expected {kind} layer {i} to have (in, out) = {expected} like the MLP's "
                                     "weights[{i}], got {got}.").format(where=where, kind=kind, i=i, expected=w,
                                                                         got=tuple(got)))
    if found_activation is not None and len(want) > 1 and found_activation != mlp.activation:
        raise CourseInputError(_("{where}: expected the MLP's activation {expected} between the layers, got {got}.")
                               .format(where=where, expected=repr(mlp.activation), got=repr(found_activation)))


def _np_dtype(dtype_name):
    """float64 stays float64; everything else (float32, float16, bfloat16) becomes float32, which MLP supports."""
    return np.float64 if "float64" in str(dtype_name) else np.float32


# ---------------------------------------------------------------- PyTorch
def _torch_dtype(torch, dtype):
    if dtype is None:
        return torch.get_default_dtype()
    if isinstance(dtype, torch.dtype) and dtype in (torch.float32, torch.float64):
        return dtype
    name = str(dtype) if isinstance(dtype, torch.dtype) else None
    try:
        name = name or np.dtype(dtype).name
    except TypeError:
        name = describe(dtype)
    if name in ("float32", "float64"):
        return getattr(torch, name)
    raise CourseInputError(_("dtype: expected float32 or float64 (torch or NumPy), got {got}.").format(got=name))


def torch_mlp(sizes, activation="relu", dtype=None):
    """nn.Sequential(Linear(d0, d1), act, Linear(d1, d2), act, ..., Linear(d_{L-1}, k)): logits out, no softmax.

    The same network as course.MLP(sizes, activation). dtype: torch.float32 / torch.float64 or
    "float32" / np.float64 ...; None is torch's default (float32). The weights are torch's own
    random start; to_torch(mlp, module) replaces them with the MLP's.
    """
    torch = require("torch")
    sizes = _sizes(sizes)
    choice(activation, "activation", ACTIVATIONS)
    dtype = _torch_dtype(torch, dtype)
    nn = torch.nn
    make = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "identity": nn.Identity,
            "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE)}[activation]
    layers = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(a, b, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(make())  # nn.Identity for "identity", so from_torch can read it back
    return nn.Sequential(*layers)


def _torch_layers(module, name):
    """The nn.Linear layers of `module` in order, and the activation the module applies (or None)."""
    torch = require("torch")
    nn = torch.nn
    if not isinstance(module, nn.Module):
        raise CourseInputError(_("{name}: expected a torch.nn.Module such as torch_mlp(...), got {got}.").format(
            name=name, got=describe(module)))
    kinds = {nn.ReLU: "relu", nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.Identity: "identity",
             nn.LeakyReLU: "leaky_relu", nn.Softmax: "softmax", nn.LogSoftmax: "log_softmax"}
    linears, after = [], []
    # Leaf modules in the order they were defined: for nn.Sequential that is the order they run in.
    for m in (m for m in module.modules() if not list(m.children())):
        if isinstance(m, nn.Linear):
            if m.bias is None:
                raise CourseInputError(_("{name}: expected nn.Linear layers with a bias (course layers have one), "
                                         "got {layer} (bias=False).").format(name=name, layer=m))
            linears.append(m)
            after.append([])
        elif type(m) in kinds:
            if isinstance(m, nn.LeakyReLU) and m.negative_slope != LEAKY_SLOPE:
                raise CourseInputError(_("{name}: expected nn.LeakyReLU({slope}) (course's slope), got {layer}.").format(
                    name=name, slope=LEAKY_SLOPE, layer=m))
            if not linears:
                raise CourseInputError(_("{name}: expected an nn.Linear layer first, got {layer} before it.").format(
                    name=name, layer=m))
            after[-1].append(kinds[type(m)])
        elif any(True for _ in m.parameters(recurse=False)):
            raise CourseInputError(_("{name}: expected only nn.Linear layers to hold parameters (a course MLP has "
                                     "nothing else), got {type}.").format(name=name, type=type(m).__name__))
        # parameter-free modules such as nn.Flatten and nn.Dropout change nothing here
    if not linears:
        raise CourseInputError(_("{name}: expected nn.Linear layers, got a {type} without any.").format(
            name=name, type=type(module).__name__))
    activation = _one_activation(after, name, sequential=isinstance(module, nn.Sequential) or len(linears) == 1)
    return linears, activation


def to_torch(mlp, module=None):
    """Copy a course.MLP's weights into a PyTorch module and return the module.

    module: default torch_mlp(mlp.sizes, mlp.activation) in the MLP's dtype. Its i-th nn.Linear
    gets weight = W_i.T (torch stores (out, in)) and bias = b_i, converted to its own dtype.
    The number and shapes of the Linear layers, and any activation modules, must match the MLP.
    """
    mlp = _mlp(mlp)
    torch = require("torch")
    if module is None:
        module = torch_mlp(mlp.sizes, mlp.activation, dtype=mlp.dtype.name)
    linears, activation = _torch_layers(module, "module")
    _check_layers(mlp, [(m.in_features, m.out_features) for m in linears], "module", "nn.Linear", activation)
    with torch.no_grad():  # a copy, not a step autograd should remember
        for m, W, b in zip(linears, mlp.weights, mlp.biases):
            m.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
            m.bias.copy_(torch.from_numpy(b))
    return module


def from_torch(module, mlp=None):
    """Copy a PyTorch module's nn.Linear weights into a course.MLP and return the MLP: W_i = weight.T, b_i = bias.

    mlp: default a new MLP whose sizes and activation are read off the module (a custom module that
    calls F.relu in forward() has no activation to read: pass mlp=MLP(sizes, activation=...)), and
    whose dtype is float64 for float64 parameters, else float32.
    """
    require("torch")
    linears, activation = _torch_layers(module, "module")
    shapes = [(m.in_features, m.out_features) for m in linears]
    if mlp is None:
        if activation is None and len(linears) > 1:
            raise CourseInputError(_("module: expected activation modules (nn.ReLU(), ...) between the layers to read "
                                     "the activation from, got none; pass mlp=MLP(sizes, activation=...) to say which."))
        sizes = tuple([shapes[0][0]] + [out for _, out in shapes])
        mlp = _new_mlp(sizes, activation or "identity", _np_dtype(linears[0].weight.dtype))
    _check_layers(_mlp(mlp), shapes, "module", "nn.Linear", activation)
    mlp.set_weights([m.weight.detach().cpu().numpy().T for m in linears],
                    [m.bias.detach().cpu().numpy() for m in linears])
    return mlp


# ---------------------------------------------------------------- Keras 3
def _keras_dtype(dtype):
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = describe(dtype)
    if name not in ("float32", "float64"):
        raise CourseInputError(_("dtype: expected 'float32' or 'float64', got {got}.").format(got=name))
    return name


def keras_mlp(sizes, activation="relu", dtype="float32"):
    """keras.Sequential([Input((d0,)), Dense(d1, activation), ..., Dense(k)]): logits out, no softmax.

    The same network as course.MLP(sizes, activation). For "leaky_relu" a hidden layer is
    Dense(h) followed by LeakyReLU(negative_slope=0.01), because Dense(activation="leaky_relu")
    uses Keras's slope 0.2. dtype "float64" makes every Dense compute in float64 (TensorFlow's
    LeakyRelu keeps its slope in float32, 0.009999999776, so there leaky_relu agrees to ~1e-10 only).
    """
    keras = require("keras")
    sizes = _sizes(sizes)
    choice(activation, "activation", ACTIVATIONS)
    dtype = _keras_dtype(dtype)
    Dense = keras.layers.Dense
    layers = [keras.Input(shape=(sizes[0],), dtype=dtype)]
    for i, h in enumerate(sizes[1:]):
        if i == len(sizes) - 2:
            layers.append(Dense(h, dtype=dtype))  # logits
        elif activation == "leaky_relu":
            layers += [Dense(h, dtype=dtype), keras.layers.LeakyReLU(negative_slope=LEAKY_SLOPE, dtype=dtype)]
        else:
            layers.append(Dense(h, activation=None if activation == "identity" else activation, dtype=dtype))
    return keras.Sequential(layers)


def _keras_activation(keras, layer, name):
    """The course name of the activation a Keras layer applies: None for none, or raise if unsupported."""
    if isinstance(layer, keras.layers.LeakyReLU):
        if not math.isclose(float(layer.negative_slope), LEAKY_SLOPE):
            raise CourseInputError(_("{name}: expected LeakyReLU(negative_slope={slope}) (course's slope), got "
                                     "negative_slope={got}.").format(name=name, slope=LEAKY_SLOPE,
                                                                     got=layer.negative_slope))
        return "leaky_relu"
    if isinstance(layer, keras.layers.ReLU):
        plain = not layer.negative_slope and layer.max_value is None and not layer.threshold
        if not plain:
            raise CourseInputError(_("{name}: expected a plain ReLU(), got ReLU(negative_slope={slope}, "
                                     "max_value={max_value}, threshold={threshold}).").format(
                name=name, slope=layer.negative_slope, max_value=layer.max_value, threshold=layer.threshold))
        return "relu"
    if isinstance(layer, keras.layers.Softmax):
        return "softmax"
    fn = getattr(layer, "activation", None)
    if fn is None:
        return None
    fn_name = getattr(fn, "__name__", type(fn).__name__)
    if fn_name == "linear":
        return None
    if fn_name == "leaky_relu":
        raise CourseInputError(_("{name}: expected leaky_relu with slope {slope}, got {layer} with "
                                 "activation='leaky_relu' (Keras's slope 0.2); use Dense(h) then "
                                 "LeakyReLU(negative_slope={slope}).").format(name=name, slope=LEAKY_SLOPE,
                                                                              layer=layer.name))
    if fn_name in ("relu", "sigmoid", "tanh", "softmax", "log_softmax"):
        return fn_name
    raise CourseInputError(_("{name}: expected the activations relu, sigmoid, tanh or leaky_relu, got {got} in layer "
                             "{layer}.").format(name=name, got=repr(fn_name), layer=layer.name))


def _keras_layers(model, name):
    """The Dense layers of a Keras model in order, and the activation the model applies (or None)."""
    keras = require("keras")
    if not isinstance(model, keras.Model):
        raise CourseInputError(_("{name}: expected a Keras model such as keras_mlp(...), got {got}.").format(
            name=name, got=describe(model)))

    def flat(layers):
        for layer in layers:
            if isinstance(layer, keras.Model):  # a model used as a layer
                yield from flat(layer.layers)
            else:
                yield layer

    dense, after = [], []
    for layer in flat(model.layers):
        if isinstance(layer, keras.layers.Dense):
            if not layer.use_bias:
                raise CourseInputError(_("{name}: expected Dense layers with a bias (course layers have one), got "
                                         "{layer} with use_bias=False.").format(name=name, layer=layer.name))
            dense.append(layer)
            after.append([])
            act = _keras_activation(keras, layer, name)
            if act:
                after[-1].append(act)
        elif layer.weights:
            raise CourseInputError(_("{name}: expected only Dense layers to hold weights (a course MLP has nothing "
                                     "else), got {type} {layer}.").format(name=name, type=type(layer).__name__,
                                                                         layer=repr(layer.name)))
        else:  # Activation, LeakyReLU, ReLU, Softmax; or Flatten, Dropout, InputLayer, which change nothing here
            act = _keras_activation(keras, layer, name)
            if act:
                if not dense:
                    raise CourseInputError(_("{name}: expected a Dense layer first, got {layer} before it.").format(
                        name=name, layer=layer.name))
                after[-1].append(act)
    if not dense:
        raise CourseInputError(_("{name}: expected Dense layers, got a {type} without any.").format(
            name=name, type=type(model).__name__))
    if not all(layer.built for layer in dense):
        raise CourseInputError(_("{name}: expected a built model (start it with keras.Input(shape=(d,)) or call it "
                                 "once), got one whose Dense layers have no weights yet.").format(name=name))
    return dense, _one_activation(after, name)


def to_keras(mlp, model=None):
    """Copy a course.MLP's weights into a Keras model and return the model.

    model: default keras_mlp(mlp.sizes, mlp.activation, dtype=mlp.dtype). Its i-th Dense layer
    gets kernel = W_i (Keras stores (in, out) like the course) and bias = b_i.
    The number and shapes of the Dense layers, and their activations, must match the MLP.
    """
    mlp = _mlp(mlp)
    require("keras")
    if model is None:
        model = keras_mlp(mlp.sizes, mlp.activation, dtype=mlp.dtype.name)
    dense, activation = _keras_layers(model, "model")
    _check_layers(mlp, [tuple(layer.kernel.shape) for layer in dense], "model", "Dense", activation)
    for layer, W, b in zip(dense, mlp.weights, mlp.biases):
        layer.set_weights([W, b])
    return model


def from_keras(model, mlp=None):
    """Copy a Keras model's Dense weights into a course.MLP and return the MLP: W_i = kernel, b_i = bias.

    mlp: default a new MLP whose sizes and activation are read off the model, and whose dtype is
    float64 for float64 weights, else float32.
    """
    require("keras")
    dense, activation = _keras_layers(model, "model")
    shapes = [tuple(layer.kernel.shape) for layer in dense]
    if mlp is None:
        sizes = tuple([shapes[0][0]] + [out for _, out in shapes])
        mlp = _new_mlp(sizes, activation or "identity", _np_dtype(dense[0].kernel.dtype))
    _check_layers(_mlp(mlp), shapes, "model", "Dense", activation)
    pairs = [layer.get_weights() for layer in dense]
    mlp.set_weights([k for k, _ in pairs], [b for _, b in pairs])
    return mlp


# ---------------------------------------------------------------- optimisers
def keras_adam_epsilon(eps=1e-8, step=1, beta_2=0.999):
    """The epsilon that makes keras.optimizers.Adam take the same step as torch.optim.Adam
    (and course.optim.Adam) with `eps`, at step number `step` (1 for the first step).

    torch / course:  p -= lr/(1-β1^t) * m / (sqrt(v)/sqrt(1-β2^t) + eps)
    Keras:           p -= lr*sqrt(1-β2^t)/(1-β1^t) * m / (sqrt(v) + ε̂)
                       = lr/(1-β1^t) * m / (sqrt(v)/sqrt(1-β2^t) + ε̂/sqrt(1-β2^t))

    so they agree when ε̂ = eps * sqrt(1 - β2^t). m and v are the same in both, so only epsilon
    differs, and one ε̂ can match only one t: with the same nominal epsilon Keras's is effectively
    eps/sqrt(1-β2^t) (31.6 x larger at t=1 for β2 = 0.999, 1.26 x at t=1000, -> 1 later).

    Two more float32 roundings in Keras on TensorFlow: the learning rate is a float32 variable
    (1e-3 becomes 0.0010000000474974513) and β1, β2 become float32 in the bias corrections
    (0.999 -> 0.99900001287), so with the defaults the steps still differ by ~7e-6 of lr in float64
    (tests/test_frameworks_keras.py; a float32 model adds its own rounding, ~3e-5 of lr in notebook 09);
    with numbers float32 holds exactly (lr = 2**-10, β1 = 0.875, β2 = 1 - 2**-10) they are equal.
    """
    eps = positive_float(eps, "eps")
    step = positive_int(step, "step")
    beta_2 = positive_float(beta_2, "beta_2", allow_zero=True)
    if beta_2 >= 1:
        raise CourseInputError(_("beta_2: expected a number in [0, 1), got {got}.").format(got=beta_2))
    return eps * math.sqrt(1 - beta_2 ** step)
