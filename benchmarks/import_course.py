"""How long `import course` takes in a fresh interpreter (target <= 0.3 s), and `import course; course.MLP`.

Baseline in the same run: a bare interpreter (`python -c pass`). Median of --runs fresh processes.
"""
import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(code, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    bare = median_seconds("pass", runs)
    plain = median_seconds("import course", runs)
    with_numpy = median_seconds("import course; course.MLP", runs)
    print(f"python -c pass: {bare:.3f} s")
    print(f"import course; course.MLP (loads numpy): {with_numpy - bare:.3f} s above a bare interpreter")
    print(f"import course: {plain - bare:.3f} s (target <= 0.3)")


if __name__ == "__main__":
    main()
