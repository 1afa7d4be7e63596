"""Sourced data on the International Lunar Research Station as typed pandas DataFrames.

>>> import ilrs_data
>>> partners = ilrs_data.load("partners")
>>> members_then = ilrs_data.load("partners", as_of="2023-06-01")

The copy shipped with the package needs no network. `load(name, version="0.1.0")` reads a past
release, downloaded once into the cache ($ILRS_DATA_CACHE, else $XDG_CACHE_HOME/ilrs-data or
~/.cache/ilrs-data; `clear_cache()` empties it) from $ILRS_DATA_RELEASE_URL (default: the
project's GitHub releases), pinned to the hash in the SHA256SUMS published beside it or to the
`sha256=` you pass. `source=` takes a release zip, an unpacked release folder or a release zip's
https URL. Every file is checked against the size and sha256 in its datapackage.json; every
failure is a ReleaseError subclass. Limits: $ILRS_DATA_TIMEOUT, $ILRS_DATA_DEADLINE and
$ILRS_DATA_MAX_BYTES (see ilrs_data._settings).
"""

from ilrs_data._cache import cache_dir, clear_cache
from ilrs_data._errors import (
    CacheWarning,
    ChecksumError,
    DescriptorError,
    DownloadError,
    ReleaseError,
    TableValueError,
    UnknownTableError,
)
from ilrs_data._loader import load, load_all, package, table_names, verify, versions

__all__ = [
    "CacheWarning",
    "ChecksumError",
    "DescriptorError",
    "DownloadError",
    "ReleaseError",
    "TableValueError",
    "UnknownTableError",
    "__version__",
    "cache_dir",
    "clear_cache",
    "load",
    "load_all",
    "package",
    "table_names",
    "verify",
    "versions",
]


def __getattr__(name: str) -> str:
    # The version lives in datapackage.json alone; read it on first use, not at import.
    if name == "__version__":
        return str(package()["version"])
    msg = f"module 'ilrs_data' has no attribute {name!r}"
    raise AttributeError(msg)
