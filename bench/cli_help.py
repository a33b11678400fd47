"""Benchmark: `testament --help` (target < 200 ms), against a bare Python start measured in the same
run as the baseline.

    .venv/bin/python bench/cli_help.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TARGET_MS = 200.0


def timed(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    python = [sys.executable, "-c", "pass"]
    commands = {
        "python -c pass (baseline)": python,
        "testament --help": [sys.executable, "-m", "testament", "--help"],
        "testament api --help": [sys.executable, "-m", "testament", "api", "--help"],
        "testament api cases list --help": [
            sys.executable, "-m", "testament", "api", "cases", "list", "--help",
        ],
    }  # fmt: skip
    baseline = statistics.median(timed(python, args.runs))
    for name, command in commands.items():
        samples = timed(command, args.runs)
        median = statistics.median(samples)
        worst = max(samples)
        verdict = "ok" if median < TARGET_MS else "OVER TARGET"
        print(
            f"{name:34} median {median:6.1f} ms  max {worst:6.1f} ms  "
            f"x{median / baseline:4.1f} of baseline  {'' if 'baseline' in name else verdict}"
        )
    print(f"target: median < {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
