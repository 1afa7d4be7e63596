"""The public entry points: package(), table_names(), load(), load_all(), verify()."""

from __future__ import annotations

import copy
import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilrs_data._cache import cache_dir
from ilrs_data._descriptor import Descriptor, read_descriptor
from ilrs_data._dtypes import ReadPlan, read_table
from ilrs_data._errors import ReleaseError, UnknownTableError
from ilrs_data._files import PackageFiles, hash_file, read_file
from ilrs_data._history import AsOf, at_date
from ilrs_data._sources import Source, open_package
from ilrs_data._verify import Digest, size_cap, verify_all
from ilrs_data._verify import verify as verify_digest

# Below this, hashing takes less than starting a thread would save.
BACKGROUND_HASH_BYTES = 1024 * 1024
# From this size a file on disk is parsed by its path: pandas (3.1 on) then reads it in parallel
# threads. Smaller ones parse faster from the bytes already in memory.
PARSE_BY_PATH_BYTES = 4 * 1024 * 1024


def package(
    source: Source = None, version: str | None = None, *, sha256: str | None = None
) -> Descriptor:
    """The data package descriptor as a dict, with each table's schema inlined.

    `source` is a folder holding a datapackage.json (or that file's path), a release zip or its
    https URL; `version` is a released version ("1.2.0"), downloaded once and cached. With
    neither, the copy shipped with this package is used, so no network is needed. `sha256` pins
    a zip or download to a hash you know (else the published SHA256SUMS is used).
    """
    return copy.deepcopy(read_descriptor(open_package(source, version, sha256)))


def table_names(
    source: Source = None, version: str | None = None, *, sha256: str | None = None
) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    return [r["name"] for r in read_descriptor(open_package(source, version, sha256))["resources"]]


def load(
    name: str,
    source: Source = None,
    version: str | None = None,
    *,
    sha256: str | None = None,
    as_of: AsOf | None = None,
) -> pd.DataFrame:
    """One table as a DataFrame whose dtypes follow its Table Schema.

    `df.attrs` holds "table", "version" and "source". A file whose sha256 differs from its
    datapackage.json's raises ChecksumError; a value outside its field's enum or a date that
    does not parse raises TableValueError naming table, column, row and value.

    `as_of="2023-06-01"` answers "what was the status on that day" for a table that a history
    table (a schema marked `historyOf`) records: each row gets the status of its latest event
    on or before that day, `status_since` the event's date as written, and rows with no event
    by then are left out. An event dated only to a year or month counts from the last day it
    can mean ("2023" from 2023-12-31): the answer never claims a change before it is certain.
    """
    package_files = open_package(source, version, sha256)
    if as_of is None:
        return _load(package_files, name)
    return at_date(package_files, name, as_of, lambda table: _load(package_files, table))


def load_all(
    source: Source = None, version: str | None = None, *, sha256: str | None = None
) -> dict[str, pd.DataFrame]:
    """Every table, keyed by name, in descriptor order."""
    package_files = open_package(source, version, sha256)
    return {
        resource["name"]: _load(package_files, resource["name"])
        for resource in read_descriptor(package_files)["resources"]
    }


def verify(source: Source = None, version: str | None = None, *, sha256: str | None = None) -> None:
    """Check every table's file against the size and sha256 its datapackage.json declares.

    Raises ChecksumError naming the first damaged file, ReleaseError for a release that cannot
    be read; returns None when every file is as declared.
    """
    package_files = open_package(source, version, sha256)
    verify_all(read_descriptor(package_files)["resources"], package_files)


def resource_of(package_files: PackageFiles, name: str) -> dict[str, Any]:
    """The descriptor entry of table `name`, or UnknownTableError suggesting the closest names."""
    resources = {r["name"]: r for r in read_descriptor(package_files)["resources"]}
    if not isinstance(name, str):  # a list would fail the lookup with a bare TypeError
        msg = f"a table name is a str, e.g. 'partners'; got {name!r}. The tables are: "
        raise UnknownTableError(msg + ", ".join(resources))
    if name not in resources:
        close = difflib.get_close_matches(str(name), list(resources), n=3)
        hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
        msg = f"no table named {name!r}; {hint}the tables are: {', '.join(resources)}"
        raise UnknownTableError(msg)
    resource: dict[str, Any] = resources[name]
    return resource


def _load(package_files: PackageFiles, name: str) -> pd.DataFrame:
    """Parse a table while its hash is computed beside it; the frame is handed out only once
    the hash matches, and damage is reported as such even when it also broke the parse. A
    working folder's file with no declared hash is not hashed at all."""
    resource = resource_of(package_files, name)
    cap = size_cap(resource, package_files)
    checked = resource.get("hash") is not None or package_files.is_release
    local = package_files.local_file(resource["path"], cap)
    source: bytes | Path
    if local is not None and local.size >= PARSE_BY_PATH_BYTES:
        source = local.path
        digest = Digest(lambda: hash_file(local.path, cap, local.what), beside=checked)
    else:
        # A folder's file was found safe to open just now; a zip's member is read from the zip.
        read = (
            read_file(local.path, cap, local.what)
            if local is not None
            else package_files.read(resource["path"], cap)
        )
        source = read.data
        big = len(read.data) >= BACKGROUND_HASH_BYTES
        digest = Digest(lambda: read.sha256, beside=checked and big)
    try:
        frame = read_table(source, _read_plan(package_files, name))
    except ReleaseError:
        if checked:
            verify_digest(resource, digest.value(), package_files)
        raise
    if checked:
        verify_digest(resource, digest.value(), package_files)
    frame.attrs = {
        "table": name,
        "version": read_descriptor(package_files).get("version"),
        "source": package_files.location,
    }
    return frame


@lru_cache(maxsize=128)
def _read_plan(package_files: PackageFiles, name: str) -> ReadPlan:
    return ReadPlan.from_schema(name, resource_of(package_files, name)["schema"])


def versions() -> dict[str, str]:
    """The versions readable without network: the bundled one and those in the cache, each
    with where it is read from, oldest first."""
    found = {str(read_descriptor(open_package())["version"]): "bundled"}
    for path in sorted(cache_dir().glob("ilrs-data-*.zip")):
        version = path.name.removeprefix("ilrs-data-").removesuffix(".zip")
        found.setdefault(version, str(path))
    return dict(sorted(found.items(), key=lambda item: _version_key(item[0])))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))
