"""How well the checks diagnose wrong answers: run every answer of the corpus in tests/answers/
and print, per exercise, how many wrong answers were named, diagnosed, or told only "different values".

    python scripts/feedback_report.py [--verbose]
"""
import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import course.checks.exercises  # noqa: E402,F401  (registers every exercise)
from answers import load, says_more  # noqa: E402
from course.checks import REGISTRY, run  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every wrong answer's verdict")
    args = parser.parse_args(argv)
    wrong, right = load()
    totals = Counter()
    print(f"{'exercise':<24}{'wrong':>6}{'named':>7}{'diagnosed':>10}{'bare':>6}{'accepted':>9}"
          f"{'right':>7}{'rejected':>9}")
    for name in sorted(REGISTRY):
        row = Counter()
        for why, fn in wrong[name]:
            verdict = run(REGISTRY[name], fn)
            row["wrong"] += 1
            row["accepted"] += verdict.status == "passed"
            row["named"] += verdict.status != "passed" and bool(verdict.mistake)
            row["diagnosed"] += says_more(verdict) and not verdict.mistake
            row["bare"] += verdict.status != "passed" and not says_more(verdict)
            if args.verbose:
                print(f"    [{verdict.kind}] {why}: {verdict.message}")
        for why, fn in right[name]:
            row["right"] += 1
            row["rejected"] += run(REGISTRY[name], fn).status != "passed"
        totals.update(row)
        print(f"{name:<24}{row['wrong']:>6}{row['named']:>7}{row['diagnosed']:>10}{row['bare']:>6}"
              f"{row['accepted']:>9}{row['right']:>7}{row['rejected']:>9}")
    more = totals["named"] + totals["diagnosed"]
    print(f"\n{totals['wrong']} wrong answers: {totals['named']} named, {totals['diagnosed']} diagnosed, "
          f"{totals['bare']} only 'different values', {totals['accepted']} accepted; "
          f"{more / max(totals['wrong'], 1):.1%} say more than 'different values'.")
    print(f"{totals['right']} right answers: {totals['rejected']} rejected.")
    return 1 if totals["accepted"] or totals["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main())
