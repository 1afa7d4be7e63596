"""Check each file against the sha256 its datapackage.json declares, before anything parses it."""

from __future__ import annotations

import hashlib
from typing import Any

from ilrs_data._errors import ChecksumError, ReleaseError
from ilrs_data._files import PackageFiles

HASH_PREFIX = "sha256:"


def verify(resource: dict[str, Any], data: bytes, package_files: PackageFiles) -> None:
    """Raise ChecksumError, naming the file, when `data` is not what the descriptor promises.

    A release must declare a hash for every file; a working folder may declare none.
    """
    path = resource["path"]
    declared = resource.get("hash")
    if declared is None:
        if package_files.is_release:
            msg = (
                f"{path} in {package_files.location} has no sha256 hash in datapackage.json; "
                "every file of a release must have one"
            )
            raise ReleaseError(msg)
        return
    if not isinstance(declared, str) or not declared.startswith(HASH_PREFIX):
        msg = f"{path}: hash {declared!r} is not of the form '{HASH_PREFIX}<hex digest>'"
        raise ReleaseError(msg)
    expected = declared.removeprefix(HASH_PREFIX).lower()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        msg = (
            f"checksum failed for {path} in {package_files.location}: its sha256 is {actual}, "
            f"datapackage.json says {expected}. The file is damaged or was altered; "
            "download the release again."
        )
        raise ChecksumError(msg)


def verify_all(resources: list[dict[str, Any]], package_files: PackageFiles) -> None:
    """Check every data file of a package, e.g. a download before it is cached."""
    for resource in resources:
        verify(resource, package_files.read(resource["path"]), package_files)
