"""Time `ilrs_data.load_all` against plain `pandas.read_csv` on one package, in this process.

A third figure, for scale: `read_csv` told the schema's dtypes (categoricals, dates) by its own
options, the way one would type the tables by hand, with none of the loader's checks.

Run by `ilrs bench loading` in a subprocess per install, importing only pandas and ilrs_data:
with `--no-pyarrow`, pyarrow is made unimportable before pandas loads, so pandas works as in
the light install (`pip install ilrs-data`, pandas alone). Prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    root, repeats, light = Path(argv[0]), int(argv[1]), "--no-pyarrow" in argv
    if light:
        sys.modules["pyarrow"] = None  # type: ignore[assignment]  # pandas then finds no pyarrow
    import pandas as pd  # noqa: PLC0415 - after the pyarrow block, on purpose

    import ilrs_data  # noqa: PLC0415

    resources = ilrs_data.package(root)["resources"]
    paths = [root / resource["path"] for resource in resources]
    typed_options = [read_csv_options(resource["schema"]) for resource in resources]
    frames = [pd.read_csv(path) for path in paths]
    rows = sum(len(frame) for frame in frames)
    del frames
    ilrs_data.load_all(root)  # warm-up: descriptor, read plans

    # Alternate the two so a noisy neighbour slows both alike.
    plain, typed, by_hand = [], [], []
    pairs = list(zip(paths, typed_options, strict=True))
    for _ in range(repeats):
        plain.append(timed_once(lambda: [pd.read_csv(path) for path in paths]))
        typed.append(timed_once(lambda: ilrs_data.load_all(root)))
        by_hand.append(timed_once(lambda: [pd.read_csv(path, **kw) for path, kw in pairs]))
    result = {
        "rows": rows,
        "plain": statistics.median(plain),
        "typed": statistics.median(typed),
        "by_hand": statistics.median(by_hand),
        "pyarrow": "pyarrow" in sys.modules and sys.modules["pyarrow"] is not None,
        "pandas": pd.__version__,
    }
    print(json.dumps(result))
    return 0


def read_csv_options(schema: dict[str, Any]) -> dict[str, Any]:
    """read_csv's own options for the schema's dtypes, taken from the loader's mapping."""
    from ilrs_data._dtypes import field_dtype  # noqa: PLC0415 - after the pyarrow block

    dates = [f["name"] for f in schema["fields"] if f.get("type") == "date"]
    dtypes = {f["name"]: field_dtype(f) for f in schema["fields"] if f["name"] not in dates}
    return {"dtype": dtypes, "parse_dates": dates, "date_format": "%Y-%m-%d"}


def timed_once(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
