"""The public entry points: package(), table_names(), load() and load_all()."""

from __future__ import annotations

import copy
from functools import lru_cache

import pandas as pd

from ilrs_data._descriptor import Descriptor, read_descriptor
from ilrs_data._dtypes import ReadPlan, read_table
from ilrs_data._files import PackageFiles
from ilrs_data._sources import Source, open_package
from ilrs_data._verify import verify as verify_file
from ilrs_data._verify import verify_all


def package(source: Source = None, version: str | None = None) -> Descriptor:
    """The data package descriptor as a dict, with each table's schema inlined.

    `source` is a folder holding a datapackage.json (or that file's path), a release zip or its
    https URL; `version` is a released version ("1.2.0"), downloaded once and cached. With
    neither, the copy shipped with this package is used, so no network is needed.
    """
    return copy.deepcopy(read_descriptor(open_package(source, version)))


def table_names(source: Source = None, version: str | None = None) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    return [r["name"] for r in read_descriptor(open_package(source, version))["resources"]]


def load(name: str, source: Source = None, version: str | None = None) -> pd.DataFrame:
    """One table as a DataFrame whose dtypes follow its Table Schema.

    A file whose sha256 differs from its datapackage.json's raises ChecksumError.
    """
    return _load(open_package(source, version), name)


def load_all(source: Source = None, version: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table, keyed by name, in descriptor order."""
    package_files = open_package(source, version)
    return {
        resource["name"]: _load(package_files, resource["name"])
        for resource in read_descriptor(package_files)["resources"]
    }


def verify(source: Source = None, version: str | None = None) -> None:
    """Check every table's file against the sha256 its datapackage.json declares.

    Raises ChecksumError naming the first damaged file, ReleaseError for a release that cannot
    be read; returns None when every file is as declared.
    """
    package_files = open_package(source, version)
    verify_all(read_descriptor(package_files)["resources"], package_files)


def _load(package_files: PackageFiles, name: str) -> pd.DataFrame:
    resources = {r["name"]: r for r in read_descriptor(package_files)["resources"]}
    if name not in resources:
        msg = f"no table named {name!r}; the tables are: {', '.join(resources)}"
        raise ValueError(msg)
    data = package_files.read(resources[name]["path"])
    verify_file(resources[name], data, package_files)
    return read_table(data, _read_plan(package_files, name))


@lru_cache(maxsize=128)
def _read_plan(package_files: PackageFiles, name: str) -> ReadPlan:
    resource = next(r for r in read_descriptor(package_files)["resources"] if r["name"] == name)
    return ReadPlan.from_schema(resource["schema"])
