"""Seconds per training epoch: `course` (NumPy) against PyTorch eager, on MNIST.

Both train a 784-128-64-10 MLP (ReLU, softmax cross-entropy, Adam lr 1e-3,
float32) on the same 60 000 MNIST images, with shuffled mini-batches sliced by
index arrays. The course side's epoch is exactly what a learner's
``course.fit`` does per epoch (a persistent model and optimiser, one call of
``fit(..., epochs=1, seed=epoch)`` per epoch); the PyTorch side is the plain
idiomatic loop: model.train(), zero_grad(set_to_none=True), forward, loss,
backward, step, with no DataLoader. Epochs alternate (course, torch, course,
...) in one process, so both see the same machine state. One warm-up epoch per
framework and batch size is not timed; the medians of the timed ones are
reported.

    python benchmarks/mlp_epoch.py                      # 5 timed epochs each, batch 64 and 256
    python benchmarks/mlp_epoch.py --epochs 3 --batch-sizes 128
    python benchmarks/mlp_epoch.py --accuracy           # also: test accuracy after 10 epochs, seeds 0 1 2

The last line is always ``ratio course/torch: batch64=... batch256=...``
(below 1 means course is faster). Exit status: 0, 1 if an accuracy is below
97.5 %, 2 if PyTorch is not installed.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

SIZES = (784, 128, 64, 10)
LR = 1e-3
ACCURACY_SEEDS = (0, 1, 2)
ACCURACY_EPOCHS = 10
ACCURACY_MIN = 97.5


def n_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def blas_summary() -> str:
    """One line: which BLAS NumPy uses and its threads (threadpoolctl if installed)."""
    env = " ".join(f"{k}={os.environ[k]}" for k in (
        "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
        if k in os.environ) or "no BLAS/OpenMP thread or core-type variables set"
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        try:
            blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            desc = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
            conf = " ".join(str(blas.get("openblas configuration", "")).split())
            if conf:
                desc += f" (build config: {conf})"  # DYNAMIC_ARCH picks the core at run time
        except Exception:  # older NumPy without mode="dicts"
            desc = "unknown (install threadpoolctl to see it)"
        return f"numpy {np.__version__} BLAS: {desc}; threads: library default, not counted without threadpoolctl ({env})"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    if not pools:
        return f"numpy {np.__version__} BLAS: none found by threadpoolctl ({env})"
    desc = "; ".join(
        f"{p.get('internal_api')} {p.get('version')} core={p.get('architecture', '?')} "
        f"threads={p.get('num_threads')} ({p.get('threading_layer', '?')})" for p in pools)
    return f"numpy {np.__version__} BLAS: {desc} ({env})"


# ---------------------------------------------------------------- the two epochs
def course_epoch(fit, model, opt, X, y, batch_size, epoch):
    fit(model, X, y, epochs=1, batch_size=batch_size, optimizer=opt, progress=False, seed=epoch)


def make_torch(torch, seed=0):
    nn = torch.nn
    torch.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(SIZES) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    return model, torch.optim.Adam(model.parameters(), lr=LR), nn.CrossEntropyLoss()


def torch_epoch(torch, model, opt, loss_fn, X, y, batch_size, epoch):
    n = X.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(epoch))
    model.train()
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        xb, yb = X[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()


def timed(f, *args):
    gc.collect()
    t0 = time.perf_counter()
    f(*args)
    return time.perf_counter() - t0


def benchmark(torch, X, y, batch_size, epochs):
    from course.network import MLP
    from course.optim import Adam
    from course.training import fit

    model, opt = MLP(SIZES, seed=0), Adam(lr=LR)
    tmodel, topt, loss_fn = make_torch(torch)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)  # the same memory as X, y
    course_t, torch_t = [], []
    for epoch in range(epochs + 1):  # epoch 0 is the warm-up
        c = timed(course_epoch, fit, model, opt, X, y, batch_size, epoch)
        t = timed(torch_epoch, torch, tmodel, topt, loss_fn, Xt, yt, batch_size, epoch)
        if epoch:
            course_t.append(c)
            torch_t.append(t)
    return course_t, torch_t


def accuracies(X, y, X_test, y_test):
    from course.network import MLP
    from course.optim import Adam
    from course.training import fit

    result = []
    for seed in ACCURACY_SEEDS:
        model = MLP(SIZES, seed=seed)
        fit(model, X, y, epochs=ACCURACY_EPOCHS, batch_size=64, optimizer=Adam(lr=LR), progress=False, seed=seed)
        result.append(100 * model.accuracy(X_test, y_test))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per framework and batch size (default 5), "
                                                              "after 1 untimed warm-up epoch each")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 256], metavar="B")
    parser.add_argument("--accuracy", action="store_true",
                        help=f"also train a fresh course MLP for {ACCURACY_EPOCHS} epochs at batch 64 with seeds "
                             f"{' '.join(map(str, ACCURACY_SEEDS))} and check its test accuracy >= {ACCURACY_MIN}%%")
    args = parser.parse_args(argv)
    if args.epochs < 1 or min(args.batch_sizes) < 1:
        parser.error("--epochs and --batch-sizes must be >= 1")

    try:
        import torch
    except ImportError:
        print("PyTorch is not installed; install it with `pip install torch` to run this benchmark.")
        return 2

    from course.data import load_mnist

    cores = n_cores()
    torch.set_num_threads(cores)
    load = f"; load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"cores: {cores}; torch {torch.__version__} threads: {torch.get_num_threads()}{load}")
    print(blas_summary())

    (X, y), (X_test, y_test) = load_mnist()
    print(f"MNIST train {X.shape} {X.dtype}; {args.epochs} timed epochs each after 1 warm-up, median seconds per epoch")

    ratios = {}
    for bs in args.batch_sizes:
        course_t, torch_t = benchmark(torch, X, y, bs, args.epochs)
        c, t = statistics.median(course_t), statistics.median(torch_t)
        ratios[bs] = c / t
        print(f"batch {bs}: course {c:.3f} s/epoch, torch {t:.3f} s/epoch "
              f"(ranges {min(course_t):.3f}-{max(course_t):.3f}, {min(torch_t):.3f}-{max(torch_t):.3f})", flush=True)

    status = 0
    if args.accuracy:
        acc = accuracies(X, y, X_test, y_test)
        print("test accuracy: " + " ".join(f"{a:.2f}" for a in acc))
        low = [(s, a) for s, a in zip(ACCURACY_SEEDS, acc) if round(a, 2) < ACCURACY_MIN]  # judged as printed
        if low:
            print("FAILED: test accuracy below "
                  f"{ACCURACY_MIN}% for seed(s) " + ", ".join(f"{s} ({a:.2f}%)" for s, a in low)
                  + f" after {ACCURACY_EPOCHS} epochs of course.fit at batch 64, Adam lr {LR}.")
            status = 1

    print("ratio course/torch: " + " ".join(f"batch{bs}={r:.2f}" for bs, r in ratios.items()))
    return status


if __name__ == "__main__":
    sys.exit(main())
