"""Sourced data on the International Lunar Research Station as typed pandas DataFrames.

>>> import ilrs_data
>>> partners = ilrs_data.load("partners")
"""

from ilrs_data._loader import load, load_all, package, table_names

__all__ = ["__version__", "load", "load_all", "package", "table_names"]


def __getattr__(name: str) -> str:
    # The version lives in datapackage.json alone; read it on first use, not at import.
    if name == "__version__":
        return package()["version"]
    msg = f"module 'ilrs_data' has no attribute {name!r}"
    raise AttributeError(msg)
