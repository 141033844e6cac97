"""Tests for course.data: toy datasets, the shipped MNIST, IDX files and the downloader.

No test touches the network: downloads use file:// URLs into tmp folders, and
an autouse fixture makes any socket connection fail loudly.
"""
from __future__ import annotations

import gzip
import hashlib
import socket
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course._validate import CourseInputError
from course.data import (
    MNIST_CHECKSUMS,
    MNISTDownloadError,
    TOY_DATASETS,
    download_mnist_idx,
    load_mnist,
    load_mnist_idx,
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    read_idx,
    toy_data,
)

OFFICIAL_TRAIN = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
OFFICIAL_TEST = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
NAMES = sorted(TOY_DATASETS)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection except to this machine's loopback address fails the test."""
    connect = socket.socket.connect

    def loopback_only(self, address):
        if not (isinstance(address, tuple) and address[0] in ("127.0.0.1", "::1")):
            raise AssertionError(f"a test tried to open a network connection to {address!r}")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


# ---------------------------------------------------------------------------
# Toy data
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_toy_shapes_dtypes_classes(name):
    X, y = toy_data(name)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert np.bincount(y).tolist() == [100, 100]
    assert np.isfinite(X).all()
    assert X.flags.c_contiguous


@pytest.mark.parametrize("name", NAMES)
def test_toy_deterministic_and_seeded(name):
    X1, y1 = toy_data(name, n=50, seed=3)
    X2, y2 = toy_data(name, n=50, seed=3)
    X3, _ = toy_data(name, n=50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_toy_data_dispatches_to_generators(name):
    X1, y1 = toy_data(name.upper(), n=30, noise=0.2, seed=1)
    X2, y2 = TOY_DATASETS[name](n=30, noise=0.2, seed=1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("name", NAMES)
def test_noise_is_gaussian_with_the_given_spread(name):
    # Same seed: the clean points are identical, noise is added on top.
    X0, y0 = toy_data(name, n=4000, noise=0.0, seed=5)
    X1, y1 = toy_data(name, n=4000, noise=0.3, seed=5)
    np.testing.assert_array_equal(y0, y1)
    diff = X1 - X0
    assert abs(diff.std() - 0.3) < 0.02
    assert abs(diff.mean()) < 0.02


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    n=st.integers(1, 400),
    noise=st.floats(0, 2, allow_nan=False),
    seed=st.integers(0, 2**32),
)
def test_toy_any_valid_arguments(name, n, noise, seed):
    X, y = toy_data(name, n=n, noise=noise, seed=seed)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert np.isfinite(X).all()
    counts = np.bincount(y, minlength=2)
    assert counts.max() - counts.min() <= 1  # balanced


def test_xor_without_noise_follows_the_rule():
    X, y = make_xor(n=500, noise=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.abs(X).min() >= 0.1 and np.abs(X).max() <= 1


def test_circles_without_noise_lie_on_the_circles():
    X, y = make_circles(n=300, noise=0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_moons_without_noise_lie_on_the_half_circles():
    X, y = make_moons(n=300, noise=0)
    upper = X[y == 0] + [0.5, 0.25]
    lower = X[y == 1] + [0.5, 0.25] - [1.0, 0.5]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(*lower.T), 1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 1e-12).all()


def test_spirals_more_classes():
    X, y = make_spirals(n=301, classes=3, noise=0)
    assert sorted(np.bincount(y).tolist()) == [100, 100, 101]
    assert np.hypot(*X.T).max() <= 1.0


def test_blobs_centers():
    X, y = make_blobs(n=400, centers=4, noise=0.05)
    assert set(np.unique(y)) == {0, 1, 2, 3}
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(np.hypot(*means.T), 1.0, atol=0.02)
    centers = np.array([[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]])
    X, y = make_blobs(n=300, centers=centers, noise=0.1, seed=2)
    for k in range(3):
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=0.05)
    X2, _ = toy_data("blobs", n=300, centers=centers, noise=0.1, seed=2)
    np.testing.assert_array_equal(X, X2)


def test_seed_none_gives_fresh_data():
    assert not np.array_equal(make_moons(seed=None)[0], make_moons(seed=None)[0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: toy_data("swirl"), r"name: expected one of 'xor', 'circles', 'moons', 'spirals', 'blobs', got 'swirl'"),
        (lambda: toy_data(3), r"name: expected one of .*got 3\."),
        (lambda: toy_data("moons", factor=0.5), r"'moons' takes the extra options none, got factor"),
        (lambda: make_xor(n=0), r"n: expected an integer >= 1, got 0"),
        (lambda: make_moons(n=2.5), r"n: expected an integer >= 1, got float 2.5"),
        (lambda: make_circles(n=True), r"n: expected an integer >= 1, got bool True"),
        (lambda: make_spirals(noise=-0.1), r"noise: expected a finite number >= 0, got -0.1"),
        (lambda: make_blobs(noise=float("nan")), r"noise: expected a finite number >= 0, got nan"),
        (lambda: make_xor(noise="0.1"), r"noise: expected a number, got str '0.1'"),
        (lambda: make_moons(seed=-1), r"seed: expected an integer >= 0, got -1"),
        (lambda: make_moons(seed=1.5), r"seed: expected an integer >= 0, got float 1.5"),
        (lambda: make_circles(factor=1.0), r"factor: expected a radius between 0 and 1 \(exclusive\).*got 1.0"),
        (lambda: make_spirals(classes=1), r"classes: expected an integer >= 2, got 1"),
        (lambda: make_blobs(centers=1), r"centers: expected an integer >= 2, got 1"),
        (lambda: make_blobs(centers=np.zeros((3, 3))), r"centers: expected an array of shape \(k, 2\) with k >= 2, got shape \(3, 3\)"),
        (lambda: make_blobs(centers="three"), r"centers: expected an integer >= 2 or an array of shape \(k, 2\), got str"),
    ],
)
def test_toy_bad_input(call, match):
    with pytest.raises(CourseInputError, match=match):
        call()


# ---------------------------------------------------------------------------
# MNIST shipped with the package
# ---------------------------------------------------------------------------

def test_mnist_shapes_dtypes_range_counts():
    (X, y), (Xt, yt) = load_mnist()
    assert X.shape == (60000, 784) and X.dtype == np.float32
    assert Xt.shape == (10000, 784) and Xt.dtype == np.float32
    assert y.shape == (60000,) and y.dtype == np.int64 and yt.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0 and Xt.min() == 0.0 and Xt.max() == 1.0
    assert np.bincount(y).tolist() == OFFICIAL_TRAIN
    assert np.bincount(yt).tolist() == OFFICIAL_TEST


def test_mnist_values_are_pixel_over_255():
    (X, _), _ = load_mnist(n_train=100, seed=1)
    pixels = np.round(X * 255)
    np.testing.assert_array_equal(X, (pixels.astype(np.uint8) / np.float32(255)).astype(np.float32))
    (X64, _), _ = load_mnist(n_train=100, seed=1, dtype=np.float64)
    assert X64.dtype == np.float64
    np.testing.assert_array_equal(X64, pixels.astype(np.float64) / 255.0)


def test_mnist_is_cached_and_results_are_independent():
    from course.data import _mnist_raw

    (X1, _), _ = load_mnist()
    hits = _mnist_raw.cache_info().hits
    X1[:] = -1  # the caller owns its arrays
    (X2, _), _ = load_mnist()
    assert _mnist_raw.cache_info().hits == hits + 1
    assert X2.min() == 0.0


def test_mnist_unflattened():
    (X, y), (Xt, yt) = load_mnist(flatten=False)
    assert X.shape == (60000, 28, 28) and Xt.shape == (10000, 28, 28)
    (Xf, _), _ = load_mnist()
    np.testing.assert_array_equal(X.reshape(60000, 784), Xf)


def _rows(X):
    """Multiset of image rows (as bytes), to compare sets of images regardless of order."""
    pixels = np.round(X * 255).astype(np.uint8).reshape(len(X), -1)
    return Counter(row.tobytes() for row in pixels)


def test_mnist_validation_split_partitions_the_training_set():
    (X_all, y_all), _ = load_mnist()
    (X, y), (Xv, yv), (Xt, yt) = load_mnist(validation_size=10000, seed=7)
    assert X.shape == (50000, 784) and Xv.shape == (10000, 784) and Xt.shape == (10000, 784)
    assert y.shape == (50000,) and yv.shape == (10000,)
    assert (np.bincount(y, minlength=10) + np.bincount(yv, minlength=10)).tolist() == OFFICIAL_TRAIN
    # train and validation together are exactly the 60000 training rows: nothing shared, nothing lost
    assert _rows(X) + _rows(Xv) == _rows(X_all)
    # same seed, same split; another seed, another split
    (_, _), (Xv2, _), _ = load_mnist(validation_size=10000, seed=7)
    np.testing.assert_array_equal(Xv, Xv2)
    (_, _), (Xv3, _), _ = load_mnist(validation_size=10000, seed=8)
    assert not np.array_equal(Xv, Xv3)


def test_mnist_n_train_subset():
    (X_all, _), _ = load_mnist(flatten=False)
    (X, y), (Xt, yt) = load_mnist(n_train=500, flatten=False, seed=2)
    assert X.shape == (500, 28, 28) and y.shape == (500,) and Xt.shape == (10000, 28, 28)
    assert not (_rows(X) - _rows(X_all))  # every row comes from the training set
    (X2, _), (Xv, _), _ = load_mnist(validation_size=1000, n_train=2000, seed=2)
    assert X2.shape == (2000, 784) and Xv.shape == (1000, 784)
    assert not (_rows(X2) & _rows(Xv))
    # the validation rows for a seed do not depend on n_train
    (_, _), (Xv_full, _), _ = load_mnist(validation_size=1000, seed=2)
    np.testing.assert_array_equal(Xv, Xv_full)
    (X3, _), _ = load_mnist(n_train=60000)
    assert X3.shape == (60000, 784)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"validation_size": 60000}, r"validation_size: expected an integer in \[0, 60000\).*got 60000"),
        ({"validation_size": -1}, r"validation_size: expected an integer in \[0, 60000\).*got -1"),
        ({"validation_size": 0.1}, r"validation_size: expected an integer in \[0, 60000\).*got float 0.1"),
        ({"n_train": 0}, r"n_train: expected None or an integer from 1 to 60000.*got 0"),
        ({"validation_size": 10000, "n_train": 55000}, r"n_train: expected None or an integer from 1 to 50000 \(60000 training images minus validation_size=10000\), got 55000"),
        ({"n_train": "all"}, r"n_train: expected None or an integer .*got str 'all'"),
        ({"dtype": np.int32}, r"dtype: expected a floating-point dtype such as np.float32, got int32"),
        ({"dtype": "banana"}, r"dtype: expected a floating-point dtype"),
        ({"flatten": "yes"}, r"flatten: expected True or False, got str 'yes'"),
        ({"seed": -3}, r"seed: expected an integer >= 0, got -3"),
    ],
)
def test_mnist_bad_input(kwargs, match):
    with pytest.raises(CourseInputError, match=match):
        load_mnist(**kwargs)


def test_license_file_ships_next_to_the_data():
    import course.data

    text = (Path(course.data.__file__).parent / "datafiles" / "LICENSE-MNIST.txt").read_text()
    assert "CC BY-SA 3.0" in text and "creativecommons.org/licenses/by-sa/3.0" in text
    assert "LeCun" in text and "Cortes" in text and "convert_mnist.py" in text


# ---------------------------------------------------------------------------
# IDX files
# ---------------------------------------------------------------------------

IDX_CODES = {np.dtype("uint8"): 0x08, np.dtype("int8"): 0x09, np.dtype("int16"): 0x0B,
             np.dtype("int32"): 0x0C, np.dtype("float32"): 0x0D, np.dtype("float64"): 0x0E}


def idx_bytes(a: np.ndarray) -> bytes:
    """The test's own IDX writer, straight from the format description."""
    a = np.asarray(a)
    header = bytes([0, 0, IDX_CODES[a.dtype], a.ndim]) + np.array(a.shape, dtype=">u4").tobytes()
    return header + a.astype(a.dtype.newbyteorder(">")).tobytes()


def write_idx(path: Path, a: np.ndarray, compress: bool) -> Path:
    data = idx_bytes(a)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@settings(max_examples=60, deadline=None)
@given(
    dtype=st.sampled_from(sorted(IDX_CODES, key=str)),
    shape=st.lists(st.integers(0, 6), min_size=1, max_size=4).map(tuple),
    compress=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_read_idx_round_trip(dtype, shape, compress, seed):
    rng = np.random.default_rng(seed)
    if dtype.kind == "f":
        a = rng.normal(size=shape).astype(dtype)
    else:
        info = np.iinfo(dtype)
        a = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    with tempfile.TemporaryDirectory() as tmp:
        b = read_idx(write_idx(Path(tmp) / "a.idx", a, compress))
    assert b.shape == a.shape and b.dtype == dtype and b.dtype.isnative
    np.testing.assert_array_equal(a, b)


def test_read_idx_mnist_like(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    out = read_idx(write_idx(tmp_path / "x.gz", images, True))
    np.testing.assert_array_equal(out, images)
    out[0, 0, 0] = 7  # writable
    assert read_idx(str(write_idx(tmp_path / "y", np.array([3, 1], np.uint8), False))).tolist() == [3, 1]


@pytest.mark.parametrize(
    "content, match",
    [
        (b"\x00\x00\x08", r"expected at least the 4-byte IDX magic number, got a file of 3 bytes"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), r"expected an IDX magic number 00 00 <type .*got 89 50 4e 47; this is not an IDX file"),
        (b"\x00\x00\x07\x01" + bytes(8), r"expected an IDX magic number .*got 00 00 07 01"),
        (b"\x00\x00\x08\x03\x00\x00", r"expected a 16-byte header for 3 dimensions, got only 6 bytes \(truncated file\)"),
        (idx_bytes(np.zeros((4, 3), np.uint8))[:-5], r"expected 12 data bytes for shape \(4, 3\) uint8, got 7 \(truncated file\)"),
        (idx_bytes(np.zeros(3, np.int32)) + b"\x00", r"expected 12 data bytes for shape \(3,\) int32, got 13 \(extra bytes"),
        (gzip.compress(idx_bytes(np.zeros(1000, np.uint8)))[:-10], r"expected a complete gzip file, got a damaged or truncated one"),
    ],
)
def test_read_idx_bad_files(tmp_path, content, match):
    path = tmp_path / "bad.idx"
    path.write_bytes(content)
    with pytest.raises(CourseInputError, match=match):
        read_idx(path)


def test_read_idx_bad_path(tmp_path):
    with pytest.raises(CourseInputError, match=r"path: expected an existing IDX file, got '.*nope.idx', which does not exist"):
        read_idx(tmp_path / "nope.idx")
    with pytest.raises(CourseInputError, match=r"path: expected a file path \(str or pathlib.Path\), got int 5"):
        read_idx(5)


# ---------------------------------------------------------------------------
# Download (file:// mirrors only)
# ---------------------------------------------------------------------------

def small_mnist(folder: Path, n_train=40, n_test=15, seed=0) -> dict:
    """Write four tiny MNIST-like IDX .gz files; return {file name: sha256}."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": (np.arange(n_train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": (np.arange(n_test) % 10).astype(np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name, a in arrays.items():
        write_idx(folder / name, a, True)
        sums[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return sums


@pytest.fixture
def mirror(tmp_path):
    folder = tmp_path / "mirror"
    sums = small_mnist(folder)
    return folder.as_uri() + "/", sums, folder


def test_download_success_then_cached(tmp_path, mirror):
    url, sums, src = mirror
    cache = tmp_path / "cache"
    out = download_mnist_idx(cache, mirrors=[url], checksums=sums)
    assert out == cache
    assert sorted(p.name for p in cache.iterdir()) == sorted(sums)  # no temp files left behind
    for name, digest in sums.items():
        assert hashlib.sha256((cache / name).read_bytes()).hexdigest() == digest
    mtimes = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    # second call: nothing is fetched, so a dead mirror does not matter
    assert download_mnist_idx(cache, mirrors=[(tmp_path / "gone").as_uri()], checksums=sums) == cache
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == mtimes


def test_download_then_load_mnist_idx(tmp_path, mirror):
    url, sums, src = mirror
    folder = download_mnist_idx(tmp_path / "c", mirrors=url.rstrip("/"), checksums=sums)
    (X, y), (Xt, yt) = load_mnist_idx(folder)
    assert X.shape == (40, 784) and X.dtype == np.float32 and y.dtype == np.int64 and Xt.shape == (15, 784)
    np.testing.assert_array_equal(X.reshape(40, 28, 28), read_idx(src / "train-images-idx3-ubyte.gz") / np.float32(255))
    np.testing.assert_array_equal(y, np.arange(40) % 10)
    (X, y), (Xv, yv), (Xt, yt) = load_mnist_idx(folder, validation_size=10, flatten=False)
    assert X.shape == (30, 28, 28) and Xv.shape == (10, 28, 28) and Xt.shape == (15, 28, 28)


def test_download_falls_back_to_the_next_mirror(tmp_path, mirror):
    url, sums, _ = mirror
    out = download_mnist_idx(tmp_path / "c", mirrors=[(tmp_path / "missing").as_uri() + "/", url], checksums=sums)
    assert sorted(p.name for p in out.iterdir()) == sorted(sums)


def test_download_checksum_mismatch_deletes_the_file(tmp_path, mirror):
    url, sums, _ = mirror
    name = "train-labels-idx1-ubyte.gz"
    wrong = dict(sums, **{name: "0" * 64})
    cache = tmp_path / "c"
    with pytest.raises(MNISTDownloadError) as info:
        download_mnist_idx(cache, mirrors=[url], checksums=wrong)
    message = str(info.value)
    assert f"{name}: checksum mismatch, the downloaded file was deleted" in message
    assert f"expected sha256 {'0' * 64}, got {sums[name]}" in message
    assert not (cache / name).exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]


def test_download_replaces_a_damaged_cached_file(tmp_path, mirror):
    url, sums, _ = mirror
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / "t10k-labels-idx1-ubyte.gz").write_bytes(b"half a file")
    download_mnist_idx(cache, mirrors=[url], checksums=sums)
    assert hashlib.sha256((cache / "t10k-labels-idx1-ubyte.gz").read_bytes()).hexdigest() == sums["t10k-labels-idx1-ubyte.gz"]


def test_download_unreachable_mirror_says_so_in_one_line(tmp_path):
    dead = (tmp_path / "nowhere").as_uri() + "/"
    with pytest.raises(MNISTDownloadError, match=r"could not reach any mirror \(file://.*nowhere/train-images-idx3-ubyte.gz: .*\); "
                       r"the course does not need these files: load_mnist\(\) uses the copy shipped with the package") as info:
        download_mnist_idx(tmp_path / "c", mirrors=[dead])
    assert "\n" not in str(info.value)
    assert isinstance(info.value, OSError)


@pytest.fixture
def http_mirror(mirror):
    """The mirror folder served over HTTP on 127.0.0.1 (a local server; no outside network)."""
    import functools
    import http.server
    import threading

    url, sums, folder = mirror

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sums
    finally:
        server.shutdown()
        server.server_close()


def test_download_over_http_and_404(tmp_path, http_mirror):
    url, sums = http_mirror
    out = download_mnist_idx(tmp_path / "c", mirrors=[url], checksums=sums)
    assert sorted(p.name for p in out.iterdir()) == sorted(sums)
    with pytest.raises(MNISTDownloadError, match=r"could not reach any mirror \(http://127.0.0.1:\d+/missing.gz: HTTP Error 404: File not found\)"):
        download_mnist_idx(tmp_path / "d", mirrors=[url], checksums={"missing.gz": "0" * 64})
    assert list((tmp_path / "d").iterdir()) == []


def test_download_default_folder_honours_COURSE_CACHE(tmp_path, mirror, monkeypatch):
    url, sums, _ = mirror
    monkeypatch.setenv("COURSE_CACHE", str(tmp_path / "root"))
    out = download_mnist_idx(mirrors=[url], checksums=sums)
    assert out == tmp_path / "root" / "mnist"
    assert load_mnist_idx()[0][0].shape == (40, 784)


def test_default_checksums_are_the_official_ones():
    assert MNIST_CHECKSUMS["train-images-idx3-ubyte.gz"].startswith("440fcabf")
    assert len(MNIST_CHECKSUMS) == 4 and all(len(v) == 64 for v in MNIST_CHECKSUMS.values())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"checksums": {"a.gz": "abc"}}, r"checksums\['a.gz'\]: expected a 64-character sha256 hex string, got str 'abc'"),
        ({"checksums": {"../a.gz": "0" * 64}}, r"checksums: expected plain file names as keys, got '../a.gz'"),
        ({"checksums": {}}, r"checksums: expected a non-empty dict of file name -> sha256 hex, got dict \{\}"),
        ({"mirrors": []}, r"mirrors: expected a non-empty list of base URLs \(str\), got list \[\]"),
        ({"mirrors": [None]}, r"mirrors: expected a non-empty list of base URLs"),
        ({"mirrors": "ftp.example.org/mnist"}, r"mirrors: expected URLs starting with https://, http:// or file://, got 'ftp.example.org/mnist'"),
        ({"timeout": 0}, r"timeout: expected a finite number > 0, got 0.0"),
        ({"cache_dir": 3}, r"cache_dir: expected a file path \(str or pathlib.Path\), got int 3"),
    ],
)
def test_download_bad_input(tmp_path, kwargs, match):
    kwargs = {"cache_dir": tmp_path, "mirrors": ["file:///nowhere/"], **kwargs}
    with pytest.raises(CourseInputError, match=match):
        download_mnist_idx(**kwargs)


def test_load_mnist_idx_bad_folder(tmp_path):
    with pytest.raises(CourseInputError, match=r"folder: expected a folder holding the MNIST IDX files, got '.*nope', which does not exist"):
        load_mnist_idx(tmp_path / "nope")
    with pytest.raises(CourseInputError, match=r"folder: expected train-images-idx3-ubyte.gz \(or train-images-idx3-ubyte\) in .*, got no such file"):
        load_mnist_idx(tmp_path)
    small_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(39, np.uint8), True)
    with pytest.raises(CourseInputError, match=r"train-labels-idx1-ubyte: expected 40 uint8 labels \(one per image\), got uint8 array of shape \(39,\)"):
        load_mnist_idx(tmp_path)
    small_mnist(tmp_path)
    with pytest.raises(CourseInputError, match=r"validation_size: expected an integer in \[0, 40\) \(rows taken out of the 40 training images\), got 40"):
        load_mnist_idx(tmp_path, validation_size=40)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((15, 28, 28), np.float32), True)
    with pytest.raises(CourseInputError, match=r"t10k-images-idx3-ubyte: expected uint8 images of shape \(n, 28, 28\), got float32 array"):
        load_mnist_idx(tmp_path)
    small_mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.full(15, 10, np.uint8), True)
    with pytest.raises(CourseInputError, match=r"t10k-labels-idx1-ubyte: expected digit labels 0..9, got a maximum of 10"):
        load_mnist_idx(tmp_path)


def test_load_mnist_idx_matches_the_shipped_copy(tmp_path):
    """The full shipped data written as raw (uncompressed) IDX files reads back identically."""
    from course.data import _mnist_raw

    x_train, y_train, x_test, y_test = _mnist_raw()
    for stem, a in [("train-images-idx3-ubyte", x_train), ("train-labels-idx1-ubyte", y_train),
                    ("t10k-images-idx3-ubyte", x_test), ("t10k-labels-idx1-ubyte", y_test)]:
        write_idx(tmp_path / stem, a, False)
    a = load_mnist_idx(tmp_path, validation_size=5000, n_train=20000, seed=4, flatten=False)
    b = load_mnist(validation_size=5000, n_train=20000, seed=4, flatten=False)
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
