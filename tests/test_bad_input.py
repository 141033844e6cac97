"""Bad input gets one sentence saying what was expected and what arrived."""
import numpy as np
import pytest

import course
from course import layers, losses
from course.activations import sigmoid, softmax
from course.gradcheck import numerical_gradient, relative_error
from course.network import MLP, backpropagation, forward_propagation
from course.optim import SGD, Adam, Momentum
from course.training import fit

E = course.CourseInputError
X4 = np.zeros((5, 4))
y5 = np.zeros(5, dtype=int)
W = [np.zeros((4, 3)), np.zeros((3, 2))]
b = [np.zeros(3), np.zeros(2)]


def model():
    return MLP([4, 3, 2])


CASES = [
    ("string to an activation", lambda: sigmoid("abc"), r"x: expected a numeric array, got str"),
    ("ragged list", lambda: sigmoid([[1, 2], [3]]), r"x: expected a numeric array"),
    ("complex numbers", lambda: sigmoid(np.array([1j])), r"expected real numbers, got dtype complex128"),
    ("NaN in the input", lambda: sigmoid(np.array([1.0, np.nan])), r"expected finite numbers, got NaN at 1 of 2"),
    ("inf in the input", lambda: softmax(np.array([[np.inf, 1.0]])), r"got inf"),
    ("3-D softmax", lambda: softmax(np.zeros((2, 2, 2))), r"expected a 1-D or 2-D array, got shape \(2, 2, 2\)"),
    ("transposed weights", lambda: layers.dense_forward(X4, np.zeros((3, 4)), np.zeros(4)),
     r"x has 4 columns \(shape \(5, 4\)\) but W has 3 rows"),
    ("bias of the wrong length", lambda: layers.dense_forward(X4, np.zeros((4, 3)), np.zeros(4)),
     r"b: expected shape \(3,\) .* got \(4,\)"),
    ("dout of the wrong shape", lambda: layers.dense_backward(np.zeros((5, 2)), layers.dense_forward(X4, W[0], b[0])[1]),
     r"dout: expected shape \(5, 3\).*got \(5, 2\)"),
    ("unknown activation", lambda: layers.activation_forward(X4, "relu6"), r"activation: expected one of 'sigmoid', .* got 'relu6'"),
    ("label out of range", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, 3]),
     r"y: expected labels in \[0, 2\], got values from 0 to 3"),
    ("negative label", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, -1]), r"got values from -1 to 0"),
    ("float labels", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1]), r"non-integer values"),
    ("too few labels", lambda: losses.softmax_cross_entropy(np.zeros((3, 3)), [0, 1]), r"expected 3 labels .* got 2"),
    ("bad one-hot rows", lambda: losses.softmax_cross_entropy(np.zeros((2, 2)), np.array([[1.0, 1.0], [0, 1]])),
     r"one-hot rows must be >= 0 and sum to 1"),
    ("mse shapes differ", lambda: losses.mse(np.zeros((2, 3)), np.zeros((3, 2))),
     r"pred and target: expected the same shape, got \(2, 3\) and \(3, 2\)"),
    ("bce targets outside [0, 1]", lambda: losses.binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0])),
     r"expected targets in \[0, 1\], got values from 0.0 to 2.0"),
    ("weights and biases lengths differ", lambda: forward_propagation(X4, W, b[:1]), r"same non-zero length .* got 2 and 1"),
    ("weights do not chain", lambda: forward_propagation(X4, [np.zeros((4, 3)), np.zeros((2, 2))], b),
     r"weights\[1\]: expected 3 rows to match the outputs of weights\[0\], got shape \(2, 2\)"),
    ("weights not a list", lambda: forward_propagation(X4, np.zeros((4, 3)), b), r"expected two lists of arrays"),
    ("learning rate negative", lambda: backpropagation(X4, y5, W, b, -0.1), r"learning_rate: expected a number > 0, got -0.1"),
    ("unflattened images", lambda: MLP([784, 10]).forward(np.zeros((2, 28, 28))), r"X: expected a 2-D array, got shape \(2, 28, 28\)"),
    ("wrong number of features", lambda: model().forward(np.zeros((2, 28))), r"expected 4 features per row, got shape \(2, 28\)"),
    ("X and y lengths differ", lambda: fit(model(), X4, np.zeros(4, int), progress=False), r"expected 5 labels \(one per row of X\), got 4"),
    ("labels for more classes than outputs", lambda: fit(model(), X4, np.arange(5), progress=False),
     r"expected labels in \[0, 1\], got values from 0 to 4"),
    ("zero epochs", lambda: fit(model(), X4, y5, epochs=0, progress=False), r"epochs: expected an integer >= 1, got 0"),
    ("batch size as a float", lambda: fit(model(), X4, y5, batch_size=32.0, progress=False), r"batch_size: expected an integer >= 1, got float"),
    ("optimizer as a string", lambda: fit(model(), X4, y5, optimizer="adam", progress=False), r"optimizer: expected an SGD, Momentum or Adam object .* got str"),
    ("validation data not a pair", lambda: fit(model(), X4, y5, validation_data=X4, progress=False), r"validation_data: expected a pair"),
    ("NaN in the training data", lambda: fit(model(), np.full((5, 4), np.nan), y5, progress=False), r"X: expected finite numbers, got NaN"),
    ("layer sizes too short", lambda: MLP([784]), r"sizes: expected a list of at least 2 layer widths"),
    ("zero-width layer", lambda: MLP([784, 0, 10]), r"sizes\[1\]: expected an integer >= 1, got 0"),
    ("unknown initialisation", lambda: MLP([2, 2], init="glorot"), r"init: expected one of 'he', 'xavier'"),
    ("integer dtype model", lambda: MLP([2, 2], dtype=np.int32), r"dtype: expected float32 or float64, got int32"),
    ("negative learning rate to Adam", lambda: Adam(lr=-1), r"lr: expected a finite number > 0, got -1.0"),
    ("momentum of 1", lambda: Momentum(momentum=1.0), r"momentum: expected a number in \[0, 1\), got 1.0"),
    ("parameter and gradient shapes differ", lambda: SGD().step([np.zeros(3)], [np.zeros(4)]),
     r"params\[0\] has shape \(3,\) but grads\[0\] has shape \(4,\)"),
    ("lists to an optimiser", lambda: SGD().step([[1.0]], [[1.0]]), r"must be NumPy arrays .* got list and list"),
    ("backward before forward", lambda: model().backward(np.zeros((5, 2))), r"call forward\(X\) first"),
    ("integer array to gradcheck", lambda: numerical_gradient(lambda: 0.0, np.arange(3)), r"x: expected a float NumPy array .* dtype int64"),
    ("relative error shapes differ", lambda: relative_error(np.zeros(2), np.zeros(3)), r"got \(2,\) and \(3,\)"),
]


@pytest.mark.parametrize("what,call,message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_message(what, call, message):
    with pytest.raises(E, match=message) as info:
        call()
    text = str(info.value)
    assert "\n" not in text and text.endswith("."), text


def test_at_least_twenty_kinds():
    assert len(CASES) >= 20


def test_error_is_a_value_error():
    # so code that catches ValueError (as NumPy raises) keeps working
    assert issubclass(E, ValueError)


# ---------------------------------------------------------------- issue 11, part 3: one test per reported kind
import re  # noqa: E402
import warnings  # noqa: E402

from course.data import MNISTDownloadError, download_mnist_idx  # noqa: E402
from course.gradcheck import check_gradient  # noqa: E402
from course.training import evaluate  # noqa: E402

RNG = np.random.default_rng(0)
X20 = RNG.normal(size=(20, 4))
y20 = np.arange(20) % 3


def no_warning(call):
    """call(), failing on any warning (NaN with 'Mean of empty slice' and the like)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


EMPTY = [
    ("softmax_cross_entropy on 0 rows", lambda: losses.softmax_cross_entropy(np.zeros((0, 10)), np.zeros(0, int)),
     r"logits: expected at least one example \(row\) to average over, got shape \(0, 10\)"),
    ("mse on empty arrays", lambda: losses.mse(np.zeros(0), np.zeros(0)), r"pred: expected at least one entry .* got shape \(0,\)"),
    ("binary_cross_entropy on 0 rows", lambda: losses.binary_cross_entropy(np.zeros(0), np.zeros(0)), r"at least one example"),
    ("softmax over zero classes", lambda: softmax(np.zeros((3, 0))), r"x: expected at least one class along axis -1 .* got shape \(3, 0\)"),
    ("log_softmax over zero classes", lambda: losses.log_softmax(np.zeros((3, 0))), r"at least one class"),
    ("fit on 0 rows", lambda: fit(MLP([4, 8, 3]), np.zeros((0, 4)), np.zeros(0, int), progress=False),
     r"X: expected at least one example \(row\), got shape \(0, 4\)"),
    ("evaluate on 0 rows", lambda: evaluate(MLP([4, 8, 3]), np.zeros((0, 4)), np.zeros(0, int)), r"X: expected at least one example"),
    ("accuracy on 0 rows", lambda: MLP([4, 8, 3]).accuracy(np.zeros((0, 4)), np.zeros(0, int)), r"at least one example"),
    ("validation data of 0 rows", lambda: fit(MLP([4, 8, 3]), X20, y20, validation_data=(np.zeros((0, 4)), np.zeros(0, int)),
                                              progress=False), r"X_val: expected at least one example"),
]


@pytest.mark.parametrize("what,call,message", EMPTY, ids=[c[0] for c in EMPTY])
def test_empty_input_gets_a_sentence_not_nan(what, call, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way
        with pytest.raises(E, match=message):
            call()


def test_empty_input_with_a_defined_result_gives_an_empty_result():
    assert no_warning(lambda: sigmoid(np.zeros((0, 3)))).shape == (0, 3)
    assert no_warning(lambda: softmax(np.zeros((0, 3)))).shape == (0, 3)
    assert no_warning(lambda: MLP([4, 8, 3]).predict(np.zeros((0, 4)))).shape == (0,)
    assert no_warning(lambda: numerical_gradient(lambda: 0.0, np.zeros(0))).shape == (0,)


@pytest.mark.parametrize("make", [Adam, Momentum], ids=["Adam", "Momentum"])
def test_an_optimiser_with_state_from_another_model_says_what_to_do(make):
    opt = make()
    fit(MLP([4, 8, 3]), X20, y20, epochs=1, optimizer=opt, progress=False)
    other = MLP([4, 16, 3])
    before = other.params.copy()
    with pytest.raises(E, match=rf"expected the parameter arrays this {make.__name__} holds state for.*"
                                rf"make a new optimiser for each model, e\.g\. {make.__name__}\(lr=") as info:
        fit(other, X20, y20, epochs=1, optimizer=opt, progress=False)
    assert "\n" not in str(info.value)
    assert np.array_equal(other.params, before)  # refused before any step
    # the same shapes are no excuse: another MLP([4, 8, 3]) is other parameters too
    with pytest.raises(E, match="holds state"):
        fit(MLP([4, 8, 3], seed=1), X20, y20, epochs=1, optimizer=opt, progress=False)


def test_an_optimiser_keeps_its_state_for_the_same_model_across_fits():
    model, opt = MLP([4, 8, 3]), Adam()
    fit(model, X20, y20, epochs=1, optimizer=opt, progress=False)
    fit(model, X20, y20, epochs=1, optimizer=opt, progress=False)
    assert opt.t == 2
    SGD_opt = SGD()  # no state: SGD may go from model to model
    fit(MLP([4, 8, 3]), X20, y20, epochs=1, optimizer=SGD_opt, progress=False)
    fit(MLP([4, 16, 3]), X20, y20, epochs=1, optimizer=SGD_opt, progress=False)


W32 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
T32 = np.zeros((3, 2))


@pytest.mark.parametrize("f,message", [
    (lambda: course.mse(W32, T32), r"f: expected a function returning one number \(the loss\), got a tuple of 2 items"),
    (lambda w: course.mse(w, T32)[0], r"f: expected a function of no arguments .* needs 1 argument \(w\)"),
    (lambda: np.ones(2), r"f: expected a function returning one real number .* got float64 array of shape \(2,\)"),
    (lambda: float("nan"), r"f: expected a finite number, got nan with x.flat\[0\] nudged by \+h"),
], ids=["returns (loss, grad)", "takes the array", "returns an array", "returns NaN"])
def test_numerical_gradient_states_the_contract_of_f_and_restores_x(f, message):
    before = W32.copy()
    with pytest.raises(E, match=message) as info:
        numerical_gradient(f, W32)
    assert "\n" not in str(info.value)
    assert np.array_equal(W32, before)  # 1.00001 was left in W[0, 0] before


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.ones(3)

    def f():
        raise RuntimeError("the learner's own bug")

    with pytest.raises(RuntimeError, match="own bug"):
        numerical_gradient(f, x)
    assert np.array_equal(x, np.ones(3))


def _mlp_check(dtype):
    model = MLP([4, 8, 3], dtype=dtype)
    X, y = X20[:5], y20[:5]
    model.loss_and_grad(X, y)
    analytic = model.grads.copy()
    return check_gradient(lambda: model.loss(X, y), model.params, analytic)


def test_check_gradient_in_float32_is_refused_with_advice_that_works():
    with pytest.raises(E, match=r"x: expected float64 for a gradient check, got float32.*dtype=np\.float64") as info:
        _mlp_check(np.float32)  # read 3e-2 for a correct backprop before: "WRONG" by notebook 05's rule
    assert "\n" not in str(info.value)
    assert _mlp_check(np.float64) < 1e-7  # the advice: build the model with dtype=np.float64


def test_download_into_a_folder_that_cannot_be_written_is_an_mnist_download_error(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("a file, not a folder")
    with pytest.raises(MNISTDownloadError, match=r"cannot create the cache folder"):
        download_mnist_idx(cache_dir=tmp_path / "afile" / "sub", mirrors=["file:///nowhere/"])

    def unwritable(*args, **kwargs):  # what tempfile does in a folder without write permission (as non-root)
        raise PermissionError(13, "Permission denied", str(tmp_path / "ro"))

    monkeypatch.setattr("course.data.tempfile.mkstemp", unwritable)
    (tmp_path / "ro").mkdir()
    with pytest.raises(MNISTDownloadError, match=r"cannot write the MNIST files into .*PermissionError.*pass cache_dir="):
        download_mnist_idx(cache_dir=tmp_path / "ro", mirrors=["file:///nowhere/"])


# ---------------------------------------------------------------- the advice in the messages works when followed
def _message(call, exc=E):
    with pytest.raises(exc) as info:
        call()
    return str(info.value)


def test_advice_make_a_new_optimiser_or_reset_works():
    for make in (Adam, Momentum):
        opt = make(lr=0.01)
        fit(MLP([4, 8, 3]), X20, y20, epochs=1, optimizer=opt, progress=False)
        model = MLP([4, 16, 3])
        text = _message(lambda: fit(model, X20, y20, epochs=1, optimizer=opt, progress=False))
        suggested = re.search(r"e\.g\. (\w+\(lr=[^)]*\))", text).group(1)
        fresh = eval(suggested, {name: getattr(course, name) for name in ("Adam", "Momentum", "SGD")})
        assert type(fresh) is make and fresh.lr == opt.lr
        assert np.isfinite(fit(model, X20, y20, epochs=1, optimizer=fresh, progress=False)["loss"]).all()
        assert ".reset()" in text
        opt.reset()
        assert np.isfinite(fit(model, X20, y20, epochs=1, optimizer=opt, progress=False)["loss"]).all()


def test_advice_for_f_works_as_written():
    x = np.array([1.0, 2.0, 3.0])

    def f(w):  # CS231n style
        return float((w ** 2).sum())

    text = _message(lambda: numerical_gradient(f, x))
    grad = eval(re.search(r"(numerical_gradient\(lambda: f\(x\), x\))", text).group(1),
                {"numerical_gradient": numerical_gradient, "f": f, "x": x})
    assert np.allclose(grad, 2 * x)

    def f(): return course.mse(x, np.zeros(3))  # noqa: E704 -- (loss, grad)
    text = _message(lambda: numerical_gradient(f, x))
    grad = eval(re.search(r"(numerical_gradient\(lambda: f\(\)\[0\], x\))", text).group(1),
                {"numerical_gradient": numerical_gradient, "f": f, "x": x})
    assert np.allclose(grad, 2 * x / 3)


def test_advice_reshape_hints_work():
    model = MLP([784, 10])
    for X in (np.zeros((2, 28, 28)), np.zeros((28, 28))):
        text = _message(lambda: model.forward(X))
        code = re.search(r"(X\.reshape\((?:len\(X\), -1|1, -1)\))", text).group(1)
        assert model.forward(eval(code, {"X": X, "len": len})).shape[1] == 10
    text = _message(lambda: model.forward(np.zeros((2, 28))))  # no reshape can help: no hint
    assert "reshape" not in text


def test_advice_call_forward_first_works():
    model = MLP([4, 3, 2])
    assert "call forward(X) first" in _message(lambda: model.backward(np.zeros((5, 2))))
    model.forward(X4)
    model.backward(np.zeros((5, 2)))


def test_advice_w_must_be_inputs_by_outputs_works():
    Wt = np.zeros((3, 4))
    assert "W must be (inputs, outputs) = (4, m)" in _message(lambda: layers.dense_forward(X4, Wt, np.zeros(3)))
    assert layers.dense_forward(X4, Wt.T, np.zeros(3))[0].shape == (5, 3)


def test_advice_an_optimizer_from_course_optim_works():
    assert "from course.optim" in _message(lambda: fit(model(), X4, y5, optimizer="adam", progress=False))
    import course.optim
    fit(model(), X4, y5, optimizer=course.optim.Adam(), progress=False)


def test_advice_for_a_diverging_fit_works():
    X, y = X20, y20
    lr = 1e4  # 1e4, 1e3 and 100 all diverge here: "lr / 10" alone was not enough
    for attempt in range(8):  # "e.g. lr / 10, then 10 times smaller again until the loss stays finite", rebuilding the model
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = fit(MLP([4, 8, 3]), X, y, epochs=20, batch_size=5, optimizer=SGD(lr=lr), progress=False)
        if "stopped" not in history:
            break
        message = str(caught[0].message)
        assert "rebuild the model" in message and "until the loss stays finite" in message
        lr = float(re.search(r"e\.g\. ([0-9.e+-]+)", message).group(1))
    assert attempt > 1, "lr / 10 should diverge too, or the learning rate should diverge, or the test shows nothing"
    assert "stopped" not in history and np.isfinite(history["loss"]).all()


def test_advice_pass_a_writable_cache_dir_and_load_mnist_work(tmp_path, monkeypatch):
    import hashlib
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "one.gz").write_bytes(b"data")
    checksums = {"one.gz": hashlib.sha256(b"data").hexdigest()}
    monkeypatch.setattr("course.data.tempfile.mkstemp", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "no")))
    text = _message(lambda: download_mnist_idx(tmp_path / "ro", mirrors=[mirror.as_uri()], checksums=checksums),
                    MNISTDownloadError)
    assert "pass cache_dir= a folder you can write to" in text and "load_mnist()" in text
    monkeypatch.undo()
    folder = download_mnist_idx(cache_dir=tmp_path / "writable", mirrors=[mirror.as_uri()], checksums=checksums)
    assert (folder / "one.gz").read_bytes() == b"data"
    assert course.load_mnist(n_train=10)[0][0].shape == (10, 784)


def test_advice_for_a_missing_mnist_file_names_a_script_that_exists(monkeypatch, tmp_path):
    from pathlib import Path

    import course.data as data
    monkeypatch.setattr(data, "MNIST_NPZ", tmp_path / "mnist.npz")
    data._mnist_raw.cache_clear()
    try:
        text = _message(data._mnist_raw, FileNotFoundError)
    finally:
        monkeypatch.undo()
        data._mnist_raw.cache_clear()
    script = Path(data.__file__).resolve().parent.parent / "scripts" / "convert_mnist.py"
    assert "python scripts/convert_mnist.py" in text and script.is_file()
    assert 'DEFAULT_OUT = Path(__file__).resolve().parent.parent / "course" / "datafiles" / "mnist.npz"' in script.read_text()


def test_leaky_slope_outside_0_1_is_refused_before_it_can_overflow():
    # hypothesis 6.80 found alpha = 7.7e307: alpha * x overflowed with a RuntimeWarning
    for alpha in (7.731911140580778e307, -0.5, 1.5):
        for f in (course.leaky_relu, course.leaky_relu_grad):
            with pytest.raises(course.CourseInputError, match=r"alpha: expected the slope for x <= 0, a number in \[0, 1\]"):
                f(np.array([-2.0, 3.0]), alpha)
    assert course.leaky_relu(np.array([-2.0, 3.0]), 1).tolist() == [-2.0, 3.0]
