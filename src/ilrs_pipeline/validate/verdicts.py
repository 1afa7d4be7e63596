"""Passing verdicts of great-expectations, recorded so that an unchanged table is not checked
twice.

Importing great-expectations takes most of a warm `ilrs validate` (seconds, against a fraction
of a second of checking). A suite's verdict depends only on the columns it reads, its
expectations, the great-expectations release and the code that plans it; the key hashes all
four, so a recorded pass is exactly what great-expectations said about these bytes. Only passes
are recorded: a failing table is always checked, and reported, afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

# The code that turns a table into the frame and checks a verdict is about.
PLANNING_CODE = ("semantic.py", "verdicts.py")


class Verdicts:
    """The keys of suites that passed, read from and written to `path` (None: record nothing)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known = _read(path) if path else set()
        self.now: set[str] = set()

    def key(self, frame: pd.DataFrame, checks: Any) -> str:
        digest = hashlib.sha256(_engine())
        digest.update(json.dumps(checks, sort_keys=True, default=str).encode())
        digest.update(json.dumps([list(frame.columns), list(map(str, frame.dtypes))]).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        return digest.hexdigest()

    def passed(self, key: str) -> bool:
        if key in self.known:
            self.now.add(key)
            return True
        return False

    def record(self, key: str) -> None:
        self.now.add(key)

    def save(self) -> None:
        """Keep this run's passes only, so the file never grows; best effort (a read-only
        folder just means checking again next time)."""
        if self.path is None or self.now == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_text(json.dumps({"passed": sorted(self.now)}) + "\n", encoding="utf-8")
            scratch.replace(self.path)
        except OSError:
            return


def _engine() -> bytes:
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in PLANNING_CODE)
    return metadata.version("great-expectations").encode() + code


def _read(path: Path) -> set[str]:
    """The recorded keys; an unreadable or foreign file counts as none."""
    try:
        passed = json.loads(path.read_text(encoding="utf-8"))["passed"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    return {key for key in passed if isinstance(key, str)} if isinstance(passed, list) else set()
