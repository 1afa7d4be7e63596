"""Check each file against the size and sha256 its datapackage.json declares, before anything
parses it."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from ilrs_data._errors import ChecksumError, DescriptorError, ReleaseError
from ilrs_data._files import PackageFiles, Read
from ilrs_data._settings import max_download_bytes

HASH_PREFIX = "sha256:"
DIGEST = re.compile(r"[0-9a-f]{64}")


def size_cap(resource: dict[str, Any], package_files: PackageFiles) -> int:
    """The most bytes a table's file may have: its declared `bytes`; without one, a release's
    file is held to the download cap and a working folder's is not bounded."""
    declared = resource.get("bytes")
    if isinstance(declared, int):
        return declared
    return max_download_bytes() if package_files.is_release else sys.maxsize


def read_bounded(resource: dict[str, Any], package_files: PackageFiles) -> Read:
    """A table's bytes, read within its size cap; verify() them before anyone sees a result."""
    return package_files.read(resource["path"], size_cap(resource, package_files))


def read_verified(resource: dict[str, Any], package_files: PackageFiles) -> bytes:
    """A table's bytes, read within its size cap and checked against its hash."""
    read = read_bounded(resource, package_files)
    verify(resource, read.sha256, package_files)
    return read.data


class Digest:
    """A file's sha256, worked out in a thread while pandas parses the file when `beside` (hashlib
    releases the GIL), else when asked for; the frame is handed out only once it matches."""

    def __init__(self, compute: Callable[[], str], *, beside: bool) -> None:
        self._compute = compute
        self._value: str | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if beside:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._compute()
        except BaseException as error:  # raised again in the caller's thread
            self._error = error

    def value(self) -> str:
        if self._thread is None:
            return self._compute()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return str(self._value)


def verify(resource: dict[str, Any], sha256: str, package_files: PackageFiles) -> None:
    """Raise ChecksumError, naming the file, when its `sha256` is not the one the descriptor
    promises.

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
    prefixed = isinstance(declared, str) and declared.startswith(HASH_PREFIX)
    expected = str(declared).removeprefix(HASH_PREFIX).lower()
    if not prefixed or not DIGEST.fullmatch(expected):
        # Else a typo in the descriptor would be reported as damage to the file.
        msg = (
            f"{path}: hash {declared!r} in datapackage.json is not of the form "
            f"'{HASH_PREFIX}<64 hex digits>'; write the file's sha256 so (a hash without a "
            "prefix is an md5 in Frictionless, which the loader does not check)"
        )
        raise DescriptorError(msg)
    if sha256 != expected:
        msg = (
            f"checksum failed for {path} in {package_files.location}: its sha256 is "
            f"{sha256}, datapackage.json says {expected}. The file is damaged or was "
            "altered; download the release again."
        )
        raise ChecksumError(msg)


def verify_all(resources: list[dict[str, Any]], package_files: PackageFiles) -> None:
    """Check every data file of a package, e.g. a download before it is cached."""
    for resource in resources:
        read_verified(resource, package_files)
