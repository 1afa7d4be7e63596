"""Sourced data on the International Lunar Research Station as typed pandas DataFrames.

>>> import ilrs_data
>>> partners = ilrs_data.load("partners")

The copy shipped with the package needs no network. `load(name, version="0.1.0")` reads a past
release, downloaded once into the cache ($ILRS_DATA_CACHE, else $XDG_CACHE_HOME/ilrs-data or
~/.cache/ilrs-data) from $ILRS_DATA_RELEASE_URL (default: the project's GitHub releases);
`source=` takes a release zip, an unpacked release folder or a release zip's https URL. Every file
is checked against the sha256 in its datapackage.json.
"""

from ilrs_data._errors import ChecksumError, ReleaseError
from ilrs_data._loader import load, load_all, package, table_names, verify

__all__ = [
    "ChecksumError",
    "ReleaseError",
    "__version__",
    "load",
    "load_all",
    "package",
    "table_names",
    "verify",
]


def __getattr__(name: str) -> str:
    # The version lives in datapackage.json alone; read it on first use, not at import.
    if name == "__version__":
        return str(package()["version"])
    msg = f"module 'ilrs_data' has no attribute {name!r}"
    raise AttributeError(msg)
