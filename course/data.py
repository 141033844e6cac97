"""Data for the course: toy 2-D problems and MNIST.

Toy data (for plots and the playground)
    make_xor, make_circles, make_moons, make_spirals, make_blobs, toy_data
    Each returns ``X: (n, 2) float64`` and ``y: (n,) int64``. Classes are as
    balanced as ``n`` allows, rows are shuffled, and the same seed always
    gives the same data.

MNIST (70 000 handwritten digits, 28 x 28 pixels)
    load_mnist        the copy shipped with the package (no network needed)
    read_idx          read one file in the official IDX format
    download_mnist_idx, load_mnist_idx
                      the four official files, for those who want to see
                      the original format; the course itself never needs them

Only NumPy is imported here; urllib is imported when something is downloaded.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import math
import os
import tempfile
import zlib
from pathlib import Path

import numpy as np

from ._validate import CourseInputError, array, choice, describe, positive_float, positive_int
from ._validate import seed as check_seed
from .i18n import _

__all__ = [
    "make_xor",
    "make_circles",
    "make_moons",
    "make_spirals",
    "make_blobs",
    "toy_data",
    "TOY_DATASETS",
    "load_mnist",
    "read_idx",
    "download_mnist_idx",
    "load_mnist_idx",
    "MNISTDownloadError",
    "MNIST_CHECKSUMS",
    "MNIST_MIRRORS",
]


# ---------------------------------------------------------------------------
# Toy 2-D data
# ---------------------------------------------------------------------------

def _common(n, noise, seed):
    return positive_int(n, "n"), positive_float(noise, "noise", allow_zero=True), check_seed(seed)


def _balanced_labels(n: int, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """y: (n,) int64 with each class 0..n_classes-1 appearing n // n_classes or one more times, shuffled."""
    return rng.permutation(np.arange(n, dtype=np.int64) % n_classes)


def _finish(X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator):
    """Add Gaussian noise with standard deviation `noise` to X: (n, 2)."""
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return np.ascontiguousarray(X, dtype=np.float64), y.astype(np.int64)


def make_xor(n=200, noise=0.1, seed=0):
    """XOR: points in the square [-1, 1]^2, class 1 where x0 * x1 < 0.

    Class 0 fills the first and third quadrants, class 1 the second and
    fourth, so no straight line separates them. With ``noise=0`` the points
    keep a gap of 0.1 from the axes; noise (Gaussian, standard deviation
    ``noise``) then blurs the border.

    Returns X: (n, 2) float64, y: (n,) int64 in {0, 1}.
    """
    n, noise, seed = _common(n, noise, seed)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    magnitude = rng.uniform(0.1, 1.0, size=(n, 2))
    sign0 = rng.choice([-1.0, 1.0], size=n)
    sign1 = np.where(y == 0, sign0, -sign0)  # same signs -> class 0, opposite -> class 1
    X = magnitude * np.column_stack([sign0, sign1])
    return _finish(X, y, noise, rng)


def make_circles(n=200, noise=0.1, seed=0, factor=0.5):
    """Two rings around the origin: class 0 on the circle of radius 1, class 1 inside at radius `factor`.

    factor: radius of the inner circle, 0 < factor < 1.
    Returns X: (n, 2) float64, y: (n,) int64 in {0, 1}.
    """
    n, noise, seed = _common(n, noise, seed)
    factor = positive_float(factor, "factor")
    if factor >= 1:
        raise CourseInputError(_("factor: expected a radius between 0 and 1 (exclusive) for the inner circle, got "
                                 "{factor}.")
                               .format(factor=factor))
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _finish(X, y, noise, rng)


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles of radius 1, centred on the origin.

    Class 0 is the upper moon (an arch), class 1 the lower one (a bowl)
    shifted right and down, as in scikit-learn's make_moons but moved by
    (-0.5, -0.25) so the data is centred: X spans about [-1.5, 1.5] x [-0.75, 0.75].

    Returns X: (n, 2) float64, y: (n,) int64 in {0, 1}.
    """
    n, noise, seed = _common(n, noise, seed)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    t = rng.uniform(0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where((y == 0)[:, None], upper, lower) - np.array([0.5, 0.25])
    return _finish(X, y, noise, rng)


def make_spirals(n=200, noise=0.1, seed=0, classes=2, turns=1.5):
    """Interleaved spiral arms, one per class, starting at the origin and reaching radius 1.

    classes: number of arms (and classes), >= 2; arm k is arm 0 rotated by 2*pi*k/classes.
    turns: how many times each arm winds around the origin (> 0).
    Returns X: (n, 2) float64, y: (n,) int64 in {0, ..., classes - 1}.
    """
    n, noise, seed = _common(n, noise, seed)
    classes = positive_int(classes, "classes", minimum=2)
    turns = positive_float(turns, "turns")
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, classes, rng)
    t = np.sqrt(rng.uniform(0.0025, 1.0, size=n))  # sqrt: points spread evenly along the arm, not bunched at the centre
    angle = 2 * np.pi * (turns * t + y / classes)
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _finish(X, y, noise, rng)


def make_blobs(n=200, noise=0.1, seed=0, centers=2):
    """Gaussian blobs: class k is a round cloud with standard deviation `noise` around centre k.

    centers: the number of classes k >= 2, with centres spread evenly on the
        circle of radius 1 (two classes: (-1, 0) and (1, 0)); or an array
        (k, 2) of centres.
    With the default noise=0.1 the blobs are far apart: the easy, linearly
    separable case. Raise noise to make them overlap.
    Returns X: (n, 2) float64, y: (n,) int64 in {0, ..., k - 1}.
    """
    n, noise, seed = _common(n, noise, seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        k = positive_int(centers, "centers", minimum=2)
        phase = np.pi + 2 * np.pi * np.arange(k) / k
        means = np.column_stack([np.cos(phase), np.sin(phase)])
    else:
        if isinstance(centers, bool) or centers is None or np.ndim(centers) == 0:
            raise CourseInputError(_("centers: expected an integer >= 2 or an array of shape (k, 2), got {got}.")
                                   .format(got=describe(centers)))
        means = array(centers, "centers", ndim=2).astype(np.float64)
        if means.shape[1] != 2 or means.shape[0] < 2:
            raise CourseInputError(_("centers: expected an array of shape (k, 2) with k >= 2, got shape {shape}.")
                                   .format(shape=means.shape))
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, len(means), rng)
    return _finish(means[y], y, noise, rng)


TOY_DATASETS = {
    "xor": make_xor,
    "circles": make_circles,
    "moons": make_moons,
    "spirals": make_spirals,
    "blobs": make_blobs,
}

_TOY_OPTIONS = {"xor": (), "circles": ("factor",), "moons": (), "spirals": ("classes", "turns"), "blobs": ("centers",)}


def toy_data(name, n=200, noise=0.1, seed=0, **options):
    """One of the toy datasets by name: "xor", "circles", "moons", "spirals" or "blobs".

    Extra keyword options go to the generator (circles: factor; spirals:
    classes, turns; blobs: centers).
    Returns X: (n, 2) float64, y: (n,) int64.

    >>> X, y = toy_data("moons", n=100, noise=0.2)
    """
    name = choice(name.lower() if isinstance(name, str) else name, "name", tuple(TOY_DATASETS))
    unknown = sorted(set(options) - set(_TOY_OPTIONS[name]))
    if unknown:
        allowed = ", ".join(_TOY_OPTIONS[name]) or _("none")
        raise CourseInputError(_("options: {name!r} takes the extra options {allowed}, got {unknown}.")
                               .format(name=name, allowed=allowed, unknown=", ".join(unknown)))
    return TOY_DATASETS[name](n=n, noise=noise, seed=seed, **options)


# ---------------------------------------------------------------------------
# MNIST shipped with the package
# ---------------------------------------------------------------------------

MNIST_NPZ = Path(__file__).resolve().parent / "datafiles" / "mnist.npz"
MNIST_COUNTS = {
    "train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}


@functools.lru_cache(maxsize=1)
def _mnist_raw() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shipped uint8 arrays (x_train, y_train, x_test, y_test), read once and kept read-only."""
    if not MNIST_NPZ.is_file():
        raise FileNotFoundError(
            _("{path} is missing; reinstall the course package, or in a clone of its repository run python "
              "scripts/convert_mnist.py (it downloads the source wheels, so it needs the network).")
            .format(path=MNIST_NPZ)
        )
    with np.load(MNIST_NPZ) as z:
        arrays = tuple(z[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    for a in arrays:
        a.flags.writeable = False
    return arrays


def _float_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise CourseInputError(_("dtype: expected a floating-point dtype such as np.float32, got {got}.")
                               .format(got=describe(dtype))) from None
    if not np.issubdtype(dt, np.floating):
        raise CourseInputError(_("dtype: expected a floating-point dtype such as np.float32, got {dt}.")
                               .format(dt=dt))
    return dt


def _split_mnist(x_train, y_train, x_test, y_test, *, validation_size, flatten, n_train, seed, dtype):
    """Validate the options, split and scale uint8 images (N, 28, 28) into float [0, 1]."""
    total = len(x_train)
    if isinstance(validation_size, bool) or not isinstance(validation_size, (int, np.integer)) or not 0 <= validation_size < total:
        got = describe(validation_size) if not isinstance(validation_size, (int, np.integer)) else validation_size
        raise CourseInputError(
            _("validation_size: expected an integer in [0, {total}) (rows taken out of the {total} training "
              "images), got {got}.")
            .format(total=total, got=got)
        )
    validation_size = int(validation_size)
    room = total - validation_size
    if n_train is not None:
        if isinstance(n_train, bool) or not isinstance(n_train, (int, np.integer)) or not 1 <= n_train <= room:
            got = describe(n_train) if not isinstance(n_train, (int, np.integer)) else n_train
            raise CourseInputError(
                _("n_train: expected None or an integer from 1 to {room} ({total} training images minus "
                  "validation_size={validation_size}), got {got}.")
                .format(room=room, total=total, validation_size=validation_size, got=got)
            )
        n_train = int(n_train)
    if not isinstance(flatten, (bool, np.bool_)):
        raise CourseInputError(_("flatten: expected True or False, got {got}.").format(got=describe(flatten)))
    seed = check_seed(seed)
    dtype = _float_dtype(dtype)

    if validation_size == 0 and n_train is None:
        train_idx, val_idx = slice(None), None
    else:
        # One permutation decides everything: the validation rows for a given
        # seed do not depend on n_train. Indices are sorted to keep the original order.
        order = np.random.default_rng(seed).permutation(total)
        val_idx = np.sort(order[:validation_size])
        keep = order[validation_size:] if n_train is None else order[validation_size:validation_size + n_train]
        train_idx = np.sort(keep)

    def images(x):
        out = np.divide(x, 255, dtype=dtype)  # pixel / 255, correctly rounded in `dtype`
        return out.reshape(len(x), -1) if flatten else out

    def part(x, y, idx):
        return images(x[idx]), y[idx].astype(np.int64)

    train = part(x_train, y_train, train_idx)
    test = images(x_test), y_test.astype(np.int64)
    if validation_size:
        return train, part(x_train, y_train, val_idx), test
    return train, test


def load_mnist(validation_size=0, flatten=True, n_train=None, seed=0, dtype=np.float32):
    """MNIST from the copy shipped with the package (no download).

    Images are scaled to [0, 1] (pixel / 255) as `dtype` (float32 by default);
    labels are int64 digits 0..9.

    validation_size: how many training images (0 <= v < 60000) to set aside
        as a validation set, chosen at random with `seed`; they are removed
        from the training set (no overlap).
    flatten: True gives X: (n, 784), False gives X: (n, 28, 28).
    n_train: keep only a random subset of this many training images (seeded),
        handy for quick demos; None keeps all 60000 - validation_size.
    seed: integer >= 0 for the random choices above.

    Returns ((X_train, y_train), (X_test, y_test)), or with validation_size > 0
    ((X_train, y_train), (X_val, y_val), (X_test, y_test)). With the defaults
    X_train: (60000, 784) float32, y_train: (60000,) int64,
    X_test: (10000, 784) float32, y_test: (10000,) int64.

    The raw uint8 arrays are read once per session and cached in memory.

    >>> (X_train, y_train), (X_test, y_test) = load_mnist()
    >>> (X_tr, y_tr), (X_val, y_val), _ = load_mnist(validation_size=10_000)
    """
    return _split_mnist(
        *_mnist_raw(), validation_size=validation_size, flatten=flatten, n_train=n_train, seed=seed, dtype=dtype
    )


# ---------------------------------------------------------------------------
# Official IDX files
# ---------------------------------------------------------------------------

# IDX type byte -> big-endian dtype (http://yann.lecun.com/exdb/mnist/, bottom of the page)
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _path(path, name: str = "path") -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise CourseInputError(_("{name}: expected a file path (str or pathlib.Path), got {got}.")
                               .format(name=name, got=describe(path)))
    return Path(path).expanduser()


def read_idx(path) -> np.ndarray:
    """Read an IDX file (gzip-compressed or raw) into an array of its own shape and dtype.

    The header is 4 magic bytes (0, 0, type code, ndim) and then ndim
    big-endian uint32 sizes; the data follows in C order, big-endian.
    Type codes: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
    0x0E float64. The result is in native byte order, e.g. images
    (60000, 28, 28) uint8 or labels (60000,) uint8 for MNIST.
    Raises CourseInputError for a missing, unreadable, truncated or non-IDX file.
    """
    path = _path(path)
    if not path.is_file():
        raise CourseInputError(_("path: expected an existing IDX file, got {path!r}, which does not exist.")
                               .format(path=str(path)))
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CourseInputError(_("path: expected a readable IDX file, got {path!r}, which cannot be read ({error}).")
                               .format(path=str(path), error=e)) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise CourseInputError(_("{name}: expected a complete gzip file, got a damaged or truncated one ({error}).")
                                   .format(name=path.name, error=e)) from None
    if len(raw) < 4:
        raise CourseInputError(_("{name}: expected at least the 4-byte IDX magic number, got a file of {size} "
                                 "bytes.")
                               .format(name=path.name, size=len(raw)))
    zero, code, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\0\0" or code not in _IDX_TYPES:
        raise CourseInputError(
            _("{name}: expected an IDX magic number 00 00 <type 08/09/0B/0C/0D/0E> <ndim>, got {hex}; this is not "
              "an IDX file.")
            .format(name=path.name, hex=raw[:4].hex(" "))
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise CourseInputError(
            _("{name}: expected a {header}-byte header for {ndim} dimensions, got only {size} bytes (truncated "
              "file).")
            .format(name=path.name, header=header, ndim=ndim, size=len(raw))
        )
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_TYPES[code])
    expected = math.prod(shape) * dtype.itemsize
    got = len(raw) - header
    if got != expected:
        problem = _("truncated file") if got < expected else _("extra bytes after the data")
        raise CourseInputError(
            _("{name}: expected {expected} data bytes for shape {shape} {dtype}, got {got} ({problem}).")
            .format(name=path.name, expected=expected, shape=shape, dtype=dtype.newbyteorder("="), got=got, problem=problem)
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


MNIST_CHECKSUMS = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)


class MNISTDownloadError(OSError):
    """The MNIST IDX files could not be downloaded or did not match their SHA-256."""


def _cache_dir(cache_dir) -> Path:
    """Explicit folder, else $COURSE_CACHE/mnist, else ~/.cache/course/mnist."""
    if cache_dir is not None:
        return _path(cache_dir, "cache_dir")
    root = os.environ.get("COURSE_CACHE") or Path.home() / ".cache" / "course"
    return Path(root).expanduser() / "mnist"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_checksums(checksums) -> dict:
    if checksums is None:
        return dict(MNIST_CHECKSUMS)
    if not isinstance(checksums, dict) or not checksums:
        raise CourseInputError(_("checksums: expected a non-empty dict of file name -> sha256 hex, got {got}.")
                               .format(got=describe(checksums)))
    out = {}
    for name, digest in checksums.items():
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
            raise CourseInputError(_("checksums: expected plain file names as keys, got {name!r}.")
                                   .format(name=name))
        ok = isinstance(digest, str) and len(digest) == 64 and all(c in "0123456789abcdefABCDEF" for c in digest)
        if not ok:
            raise CourseInputError(_("checksums[{name!r}]: expected a 64-character sha256 hex string, got {got}.")
                                   .format(name=name, got=describe(digest)))
        out[name] = digest.lower()
    return out


def _check_mirrors(mirrors) -> list:
    if mirrors is None:
        return list(MNIST_MIRRORS)
    if isinstance(mirrors, str):
        mirrors = [mirrors]
    if not isinstance(mirrors, (list, tuple)) or not mirrors or not all(isinstance(m, str) and m for m in mirrors):
        raise CourseInputError(_("mirrors: expected a non-empty list of base URLs (str), got {got}.")
                               .format(got=describe(mirrors)))
    for m in mirrors:
        if not m.lower().startswith(("https://", "http://", "file://")):
            raise CourseInputError(_("mirrors: expected URLs starting with https://, http:// or file://, got {m!r}.")
                                   .format(m=m))
    return [m if m.endswith("/") else m + "/" for m in mirrors]


class _FetchError(Exception):
    """One mirror failed; the message is the reason."""


def _fetch(url: str, folder: Path, name: str, timeout: float):
    """Download url into a temp file in `folder`; return (temp path, sha256). Deletes the temp file on failure."""
    import http.client  # only when downloading: keeps `import course.data` light
    import urllib.error
    import urllib.request

    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            for block in iter(lambda: response.read(1 << 20), b""):
                h.update(block)
                out.write(block)
    except BaseException as e:
        os.unlink(tmp)
        if isinstance(e, urllib.error.HTTPError):  # "HTTP Error 404: Not Found"
            raise _FetchError(str(e)) from None
        if isinstance(e, urllib.error.URLError):  # DNS failure, refused connection, missing file:// path
            raise _FetchError(str(e.reason)) from None
        if isinstance(e, (OSError, http.client.HTTPException)):  # timeouts, dropped connections
            raise _FetchError(f"{type(e).__name__}: {e}") from None
        raise
    return Path(tmp), h.hexdigest()


def download_mnist_idx(cache_dir=None, mirrors=None, checksums=None, timeout=30.0) -> Path:
    """Download the four official MNIST IDX files (gzip'd) and check their SHA-256.

    The course does not need this (load_mnist() uses the copy shipped with
    the package); it is here to show the original file format.

    cache_dir: folder for the files; default $COURSE_CACHE/mnist if the
        environment variable COURSE_CACHE is set, else ~/.cache/course/mnist.
    mirrors: base URLs tried in order (default MNIST_MIRRORS); http(s):// or file://.
    checksums: dict file name -> sha256 hex of the files to get (default
        MNIST_CHECKSUMS, the four official files).
    timeout: seconds to wait for a mirror to answer.

    A file already present with the right hash is not downloaded again.
    Downloads go to a temporary file in the same folder that is renamed into
    place only once its hash is right, so a half-written file never looks
    complete. A file whose hash is wrong is deleted and MNISTDownloadError
    says so (expected vs got); so does a failure to reach every mirror, and
    a cache folder that cannot be created or written (MNISTDownloadError is an
    OSError). Bad arguments raise CourseInputError.

    Returns the folder (a Path), ready for load_mnist_idx(folder).
    """
    folder = _cache_dir(cache_dir)
    mirrors = _check_mirrors(mirrors)
    checksums = _check_checksums(checksums)
    timeout = positive_float(timeout, "timeout")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise MNISTDownloadError(_("cannot create the cache folder {folder} ({error}).").format(folder=folder, error=e)) from None

    try:
        for name, want in checksums.items():
            _download_one(folder, name, want, mirrors, timeout)
    except MNISTDownloadError:
        raise
    except OSError as e:
        # A folder that exists but cannot be written (or a file that cannot be read, replaced or deleted).
        raise MNISTDownloadError(
            _("cannot write the MNIST files into {folder} ({error_type}: {error}); pass cache_dir= a folder you can write to "
              "(the course does not need these files: load_mnist() uses the copy shipped with the package).")
            .format(folder=folder, error_type=type(e).__name__, error=e)
        ) from None
    return folder


def _download_one(folder: Path, name: str, want: str, mirrors, timeout: float) -> None:
    """Fetch `name` into `folder` from the first mirror that gives the right SHA-256 (kept if already there)."""
    target = folder / name
    if target.is_file():
        if _sha256_file(target) == want:
            return
        target.unlink()  # stale or damaged copy: fetch it again
    problems, mismatches = [], []
    for base in mirrors:
        url = base + name
        try:
            tmp, got = _fetch(url, folder, name, timeout)
        except _FetchError as e:
            problems.append(f"{url}: {e}")
            continue
        if got != want:
            tmp.unlink()
            mismatches.append(_("{url}: expected sha256 {want}, got {got}").format(url=url, want=want, got=got))
            continue
        os.replace(tmp, target)
        return
    if mismatches:
        raise MNISTDownloadError(_("{name}: checksum mismatch, the downloaded file was deleted ({mismatches}).")
                                 .format(name=name, mismatches="; ".join(mismatches)))
    raise MNISTDownloadError(
        _("could not reach any mirror ({problems}); the course does not need these files: load_mnist() uses the copy "
          "shipped with the package.")
        .format(problems="; ".join(problems))
    )


_IDX_NAMES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}


def load_mnist_idx(folder=None, validation_size=0, flatten=True, n_train=None, seed=0, dtype=np.float32):
    """MNIST from the four official IDX files in `folder` (as .gz or uncompressed).

    folder: where download_mnist_idx() put them; None means its default folder.
    The other arguments and the result are exactly those of load_mnist():
    ((X_train, y_train), (X_test, y_test)) or, with validation_size > 0,
    ((X_train, y_train), (X_val, y_val), (X_test, y_test)); X float in [0, 1],
    (n, 784) or (n, 28, 28), y int64.
    """
    folder = _cache_dir(folder)
    if not folder.is_dir():
        raise CourseInputError(_("folder: expected a folder holding the MNIST IDX files, got {folder!r}, which "
                                 "does not exist.")
                               .format(folder=str(folder)))
    arrays = {}
    for key, stem in _IDX_NAMES.items():
        candidates = [folder / (stem + ".gz"), folder / stem]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise CourseInputError(_("folder: expected {stem}.gz (or {stem}) in {folder}, got no such file.")
                                   .format(stem=stem, folder=folder))
        arrays[key] = read_idx(found)
    x_train, y_train, x_test, y_test = (arrays[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    for xk, yk in (("x_train", "y_train"), ("x_test", "y_test")):
        x, y = arrays[xk], arrays[yk]
        if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
            raise CourseInputError(_("{file}: expected uint8 images of shape (n, 28, 28), got {got}.")
                                   .format(file=_IDX_NAMES[xk], got=describe(x)))
        if y.dtype != np.uint8 or y.shape != (len(x),):
            raise CourseInputError(_("{file}: expected {n} uint8 labels (one per image), got {got}.")
                                   .format(file=_IDX_NAMES[yk], n=len(x), got=describe(y)))
        if y.size and y.max() > 9:
            raise CourseInputError(_("{file}: expected digit labels 0..9, got a maximum of {got}.")
                                   .format(file=_IDX_NAMES[yk], got=y.max()))
    return _split_mnist(
        x_train, y_train, x_test, y_test,
        validation_size=validation_size, flatten=flatten, n_train=n_train, seed=seed, dtype=dtype,
    )
