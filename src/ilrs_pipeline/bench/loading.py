"""`ilrs bench loading`: loader speed against plain pandas, and the cost of importing.

Prints medians and ratios; targets (load_all within 2x of read_csv, import under 50 ms after
pandas) are read off the output, never asserted, because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

import ilrs_data
from ilrs_pipeline.bench.scaling import median_seconds, scaled_package

IMPORT_PROBE = (
    "import time, pandas; start = time.perf_counter(); import ilrs_data; "
    "print(time.perf_counter() - start)"
)


def _scaled(root: Path, scratch: Path, factor: int) -> Path:
    scaled_package(root, scratch, factor)
    return scratch


def bench_load(root: Path, repeats: int) -> tuple[float, float, int]:
    paths = [root / resource["path"] for resource in ilrs_data.package(root)["resources"]]
    rows = sum(len(pd.read_csv(path)) for path in paths)
    plain = median_seconds(lambda: [pd.read_csv(path) for path in paths], repeats)
    typed = median_seconds(lambda: ilrs_data.load_all(root), repeats)
    return plain, typed, rows


def bench_import(repeats: int) -> float:
    timings = [
        float(
            subprocess.run(
                [sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 100, 1000])
    args = parser.parse_args(argv)
    root = args.root.resolve()
    print(
        f"import ilrs_data after pandas: median {bench_import(args.repeats) * 1000:.1f} ms "
        "(target < 50 ms)"
    )
    print(
        f"{'rows':>9} {'read_csv ms':>12} {'load_all ms':>12} {'ratio':>6}  (target ratio <= 2.0)"
    )
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as scratch:
            package_root = root if factor == 1 else _scaled(root, Path(scratch), factor)
            plain, typed, rows = bench_load(package_root, args.repeats)
        print(f"{rows:>9} {plain * 1000:>12.2f} {typed * 1000:>12.2f} {typed / plain:>6.2f}")
    return 0
