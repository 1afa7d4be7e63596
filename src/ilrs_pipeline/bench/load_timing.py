"""Time `ilrs_data.load_all` against plain `pandas.read_csv` on one package, in this process.

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


def main(argv: list[str]) -> int:
    root, repeats, light = Path(argv[0]), int(argv[1]), "--no-pyarrow" in argv
    if light:
        sys.modules["pyarrow"] = None  # type: ignore[assignment]  # pandas then finds no pyarrow
    import pandas as pd  # noqa: PLC0415 - after the pyarrow block, on purpose

    import ilrs_data  # noqa: PLC0415

    paths = [root / resource["path"] for resource in ilrs_data.package(root)["resources"]]
    frames = [pd.read_csv(path) for path in paths]
    rows = sum(len(frame) for frame in frames)
    del frames
    ilrs_data.load_all(root)  # warm-up: descriptor, read plans

    # Alternate the two so a noisy neighbour slows both alike.
    plain, typed = [], []
    for _ in range(repeats):
        plain.append(timed_once(lambda: [pd.read_csv(path) for path in paths]))
        typed.append(timed_once(lambda: ilrs_data.load_all(root)))
    result = {
        "rows": rows,
        "plain": statistics.median(plain),
        "typed": statistics.median(typed),
        "pyarrow": "pyarrow" in sys.modules and sys.modules["pyarrow"] is not None,
        "pandas": pd.__version__,
    }
    print(json.dumps(result))
    return 0


def timed_once(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
