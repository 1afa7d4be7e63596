"""`ilrs bench`: loader, import and validation timings (medians and ratios), never pass/fail.

`ilrs bench loading|validation [options]` runs one of them; with no name, both run with their
defaults.
"""

from __future__ import annotations

import importlib

BENCHES = ("loading", "validation")


def main(argv: list[str] | None = None) -> int:
    args = list(argv or [])
    if args and args[0] in BENCHES:
        return int(importlib.import_module(f"ilrs_pipeline.bench.{args[0]}").main(args[1:]))
    status = 0
    for name in BENCHES:
        print(f"\n== {name} ==")
        status = max(status, int(importlib.import_module(f"ilrs_pipeline.bench.{name}").main(args)))
    return status
