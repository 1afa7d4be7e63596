"""`ilrs bench validation`: validation speed. First a warm `ilrs validate` of the package as
a contributor runs it (a fresh process each time, against the share spent importing), then
frictionless alone against the whole pipeline on synthetic packages holding 10x, 100x and 1000x
today's rows.

Prints medians, rows per second and our checks' share; the targets (a warm validate of today's
data within 5 s; at ~100k rows our checks add at most 30% to frictionless's own time, and time
grows linearly) are read off the output, never asserted, because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from frictionless import Package

from ilrs_pipeline.bench.scaling import append_broken_rows, median_seconds, scaled_package
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


def run_python(*arguments: str) -> None:
    """One fresh interpreter, as a contributor's shell starts it (exit 1: the data has problems)."""
    done = subprocess.run([sys.executable, *arguments], capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode(errors="replace")[-2000:])


def warm_validate(root: Path, repeats: int) -> None:
    """Median wall time of `ilrs validate` in a fresh process after one warm-up run (files and
    bytecode cached), with great-expectations' passes recorded and with --recheck, and the
    time of the imports alone."""
    with tempfile.TemporaryDirectory() as scratch:
        report = str(Path(scratch) / "report.json")
        command = ["-m", "ilrs_pipeline", "validate", "--root", str(root), "--json", report]
        run_python(*command)
        timings = {
            "ilrs validate (passes recorded)": lambda: run_python(*command),
            "ilrs validate --recheck (runs great-expectations)": lambda: run_python(
                *command, "--recheck"
            ),
            "python -c 'import ilrs_pipeline.validate'": lambda: run_python(
                "-c", "import ilrs_pipeline.validate"
            ),
            "python -c 'import great_expectations'": lambda: run_python(
                "-c", "import great_expectations"
            ),
            "python -c pass": lambda: run_python("-c", "pass"),
        }
        medians = {name: median_seconds(action, repeats) for name, action in timings.items()}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Warm validate of {root} (fresh process, median of {repeats}; load {load:.1f}):")
    for name, seconds in medians.items():
        print(f"  {seconds:>6.2f} s  {name}")
    warm = medians["ilrs validate (passes recorded)"]
    imports = medians["python -c 'import ilrs_pipeline.validate'"]
    print(
        f"  imports: {imports / warm:.0%} of the warm validate; checking and reporting: "
        f"{warm - imports:.2f} s\n"
    )


def broken_validate(root: Path, rows: int, repeats: int) -> None:
    """Median wall time of `ilrs validate` on the package with `rows` rows appended to its
    missions table, each with a misspelt status and a month 13 (so ~2 problems a row)."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "package"
        target.mkdir()
        scaled_package(root, target, 1)
        broken = {"status": "planed", "launch_date": "2019-13-45"}
        append_broken_rows(target / "data" / "missions.csv", rows, broken)
        report = str(Path(scratch) / "report.json")
        command = ["-m", "ilrs_pipeline", "validate", "--root", str(target), "--json", report]
        seconds = median_seconds(lambda: run_python(*command), repeats)
    print(
        f"ilrs validate, {rows:,} broken rows in one table: {seconds:.1f} s (median of {repeats})\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--factors", type=int, nargs="*", default=[10, 100, 1000], help="none: warm validate only"
    )
    parser.add_argument(
        "--broken-rows", type=int, default=0, help="also time a table with this many broken rows"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    warm_validate(root, max(args.repeats, 5))
    if args.broken_rows:
        broken_validate(root, args.broken_rows, args.repeats)
    if not args.factors:
        return 0
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
