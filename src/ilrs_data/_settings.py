"""The loader's limits, settable by environment variable so scripts and CI can tune them.

ILRS_DATA_TIMEOUT   seconds one network read may wait (default 30)
ILRS_DATA_DEADLINE  seconds a whole download may take, redirects included (default 300)
ILRS_DATA_MAX_BYTES largest download accepted, in bytes (default 512 MiB)
"""

from __future__ import annotations

import math
import os

from ilrs_data._errors import ReleaseError

TIMEOUT_ENV = "ILRS_DATA_TIMEOUT"
DEADLINE_ENV = "ILRS_DATA_DEADLINE"
MAX_BYTES_ENV = "ILRS_DATA_MAX_BYTES"

DEFAULT_TIMEOUT = 30.0
DEFAULT_DEADLINE = 300.0
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
# datapackage.json and a schema are a few kilobytes; anything past this is not one.
MAX_METADATA_BYTES = 16 * 1024 * 1024
# Seconds a wait may last: the deadline's timer thread cannot wait past threading.TIMEOUT_MAX
# (about 9.2e9 s) and a socket's timeout overflows long before 1e300; this is about 31 years.
MAX_SECONDS = 1e9
# Bytes read per step while streaming and hashing: bounds memory beyond a file's declared size.
CHUNK_BYTES = 1024 * 1024
# Bytes hashed per step by the thread that hashes a file while pandas parses it. Each step takes
# the GIL back from the parse, which may keep it for the 5 ms switch interval: with 1 MiB steps
# the hash of a big file ended after the parse (claims at 300x, pandas alone: +75 ms on 410 ms),
# with 8 MiB beside it (+20 ms). Memory stays bounded: one step per file being read.
HASH_CHUNK_BYTES = 8 * 1024 * 1024


def _number(name: str, default: float, most: float = math.inf) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    # "inf" and "nan" parse too: nan passes every comparison, so no limit would hold.
    if not (0 < value <= most and value < math.inf):
        bound = f" of at most {most:g}" if most < math.inf else ""
        msg = f"${name} must be a positive number{bound}; got {raw!r}. Unset it or fix its value."
        raise ReleaseError(msg)
    return value


def timeout() -> float:
    return _number(TIMEOUT_ENV, DEFAULT_TIMEOUT, MAX_SECONDS)


def deadline() -> float:
    return _number(DEADLINE_ENV, DEFAULT_DEADLINE, MAX_SECONDS)


def max_download_bytes() -> int:
    return int(_number(MAX_BYTES_ENV, DEFAULT_MAX_BYTES))
