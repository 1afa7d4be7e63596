"""`ilrs bench validation`: validation speed, frictionless alone against the
whole pipeline, on synthetic packages holding 10x, 100x and 1000x today's rows.

Prints medians, rows per second and our checks' share; the target (at ~100k rows our checks add
at most 30% to frictionless's own time, and time grows linearly) is read off the output, never
asserted, because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from frictionless import Package

from ilrs_pipeline.bench.scaling import median_seconds, scaled_package
from ilrs_pipeline.validate import validate
from ilrs_pipeline.validate.descriptor import read_package
from ilrs_pipeline.validate.files import read_tables
from ilrs_pipeline.validate.schema import check_structure


def frictionless_alone(root: Path) -> None:
    """What frictionless's own validation of the package costs: types, constraints and keys."""
    report = Package(str(root / "datapackage.json")).validate()
    if not report.valid:
        raise RuntimeError("frictionless found the synthetic package invalid")


def whole_pipeline(root: Path) -> None:
    problems = validate(root, dt.date.today())
    if problems:
        raise RuntimeError(f"the synthetic package is invalid: {problems[0]}")


def frictionless_stage(root: Path) -> Callable[[], object]:
    """frictionless as the pipeline runs it, on the tables it has read; the rest of the
    pipeline's time is our own checks."""
    descriptor, _ = read_package(root)
    if descriptor is None:
        raise RuntimeError("the synthetic package cannot be read")
    tables, _ = read_tables(root, descriptor)
    return lambda: check_structure(root, tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--factors", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args(argv)
    root = args.root.resolve()
    whole_pipeline(root)  # warm-up: imports and great-expectations' first context
    frictionless_alone(root)
    print(
        f"Median of {args.repeats} runs. 'vs alone': the whole pipeline against frictionless's own"
        " validation. 'our checks': the pipeline minus its frictionless stage, as a share of"
        " frictionless alone."
    )
    print(
        f"{'rows':>9} {'frictionless s':>15} {'rows/s':>8} {'pipeline s':>11} {'rows/s':>8} "
        f"{'vs alone':>9} {'our checks':>11} {'us/row':>7}"
    )
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as scratch:
            rows = scaled_package(root, Path(scratch), factor)
            alone = median_seconds(lambda: frictionless_alone(Path(scratch)), args.repeats)
            whole = median_seconds(lambda: whole_pipeline(Path(scratch)), args.repeats)
            stage = median_seconds(frictionless_stage(Path(scratch)), args.repeats)
        print(
            f"{rows:>9,} {alone:>15.2f} {rows / alone:>8,.0f} {whole:>11.2f} "
            f"{rows / whole:>8,.0f} {(whole - alone) / alone:>+9.0%} "
            f"{(whole - stage) / alone:>11.0%} {whole / rows * 1e6:>7.1f}"
        )
    return 0
