"""`ilrs bench loading`: loader speed against plain pandas in both installs, and import cost.

Each size is timed in two subprocesses side by side: the full install (pandas with pyarrow) and
the light one (`pip install ilrs-data`: pandas alone, simulated by making pyarrow unimportable
before pandas loads; see load_timing.py). Medians of alternating runs and their ratio are
printed; targets (load_all within 1.1x of read_csv at the shipped size, 1.3x at 1000x rows;
import under 50 ms after pandas) are read off the output, never asserted, because shared
machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ilrs_pipeline.bench.scaling import hashed_copy, scaled_package

IMPORT_PROBE = (
    "import time, pandas; start = time.perf_counter(); import ilrs_data; "
    "print(time.perf_counter() - start)"
)
INSTALLS = {"with pyarrow": [], "pandas only": ["--no-pyarrow"]}
TARGETS = {1: 1.1, 1000: 1.3}


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


def timed(root: Path, repeats: int, flags: list[str]) -> dict[str, Any]:
    """One install's timings of one package, measured in a fresh interpreter."""
    command = [sys.executable, "-m", "ilrs_pipeline.bench.load_timing", str(root), str(repeats)]
    output = subprocess.run(
        [*command, *flags], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    result: dict[str, Any] = json.loads(output)
    return result


def _cells(result: dict[str, Any]) -> str:
    plain, typed, by_hand = result["plain"], result["typed"], result["by_hand"]
    return (
        f" | {plain * 1000:>11.1f} {typed * 1000:>11.1f} {typed / plain:>6.2f}"
        f" {by_hand / plain:>8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 1000])
    args = parser.parse_args(argv)
    root = args.root.resolve()
    print(
        f"import ilrs_data after pandas: median {bench_import(args.repeats) * 1000:.1f} ms "
        "(target < 50 ms)"
    )
    header = "".join(f" | {name:^41}" for name in INSTALLS)
    print(f"{'':>9}{header}")
    columns = f" | {'read_csv ms':>11} {'load_all ms':>11} {'ratio':>6} {'by hand':>8}" * len(
        INSTALLS
    )
    print(f"{'rows':>9}{columns}  target")
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as scratch:
            package_root = root
            if factor != 1:
                package_root = Path(scratch) / "scaled"
                package_root.mkdir()
                scaled_package(root, package_root, factor)
            hashed_root = hashed_copy(package_root, Path(scratch) / "hashed")
            # Fewer repeats for big packages: each takes seconds, and the median settles fast.
            repeats = args.repeats if factor < 100 else max(3, args.repeats // 3)
            for label, measured in (("", package_root), (" #", hashed_root)):
                results = [timed(measured, repeats, flags) for flags in INSTALLS.values()]
                cells = "".join(_cells(result) for result in results)
                target = TARGETS.get(factor)
                rows = f"{results[0]['rows']}{label}"
                print(f"{rows:>9}{cells}  {f'<= {target}' if target else ''}")
    print(f"pandas {results[0]['pandas']}; pyarrow in the light runs: {results[1]['pyarrow']}")
    print(
        "ratio: load_all / read_csv; by hand: read_csv given the schema's dtypes by its own "
        "options (no checks) / read_csv; #: every file's sha256 and size declared, as in a "
        "release, so the loader checks them (the working tree and the bundled copy declare none)"
    )
    return 0
