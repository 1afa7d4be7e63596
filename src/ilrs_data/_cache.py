"""Where downloaded releases are kept, so each version is fetched from the network only once."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "ILRS_DATA_CACHE"


def cache_dir() -> Path:
    """$ILRS_DATA_CACHE, else $XDG_CACHE_HOME/ilrs-data, else ~/.cache/ilrs-data."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "ilrs-data"
    return Path.home() / ".cache" / "ilrs-data"


def cached_release(version: str) -> Path:
    """Path of a version's release zip in the cache (it may not exist yet)."""
    return cache_dir() / f"ilrs-data-{version}.zip"


def store(path: Path, data: bytes) -> None:
    """Write atomically: a reader sees the whole file or none, even if two processes race."""
    import tempfile  # noqa: PLC0415 - only needed on a download; keeps `import ilrs_data` light.

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as handle:
        handle.write(data)
    Path(handle.name).replace(path)
