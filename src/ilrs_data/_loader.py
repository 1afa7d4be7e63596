"""The public entry points: package(), table_names(), load() and load_all()."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pandas as pd

from ilrs_data._descriptor import Descriptor, read_descriptor, resolve_root, safe_join
from ilrs_data._dtypes import ReadPlan, read_table

Source = str | Path | None


def package(source: Source = None) -> Descriptor:
    """The data package descriptor as a dict, with each table's schema inlined.

    `source` is a folder holding a datapackage.json (or that file's path); by default the copy
    shipped with this package, so no network is needed.
    """
    return copy.deepcopy(read_descriptor(resolve_root(source)))


def table_names(source: Source = None) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    return [resource["name"] for resource in read_descriptor(resolve_root(source))["resources"]]


def load(name: str, source: Source = None) -> pd.DataFrame:
    """One table as a DataFrame whose dtypes follow its Table Schema."""
    root = resolve_root(source)
    resources = {resource["name"]: resource for resource in read_descriptor(root)["resources"]}
    if name not in resources:
        msg = f"no table named {name!r}; the tables are: {', '.join(resources)}"
        raise ValueError(msg)
    resource = resources[name]
    return read_table(safe_join(root, resource["path"]), _read_plan(root, name))


@cache
def _read_plan(root: Path, name: str) -> ReadPlan:
    resource = next(r for r in read_descriptor(root)["resources"] if r["name"] == name)
    return ReadPlan.from_schema(resource["schema"])


def load_all(source: Source = None) -> dict[str, pd.DataFrame]:
    """Every table, keyed by name, in descriptor order."""
    return {name: load(name, source) for name in table_names(source)}
