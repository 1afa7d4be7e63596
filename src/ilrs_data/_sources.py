"""Turn a user's `source=` or `version=` into the files of one package, fetching only if needed.

Every download is pinned to a sha256 known before it starts: the caller's `sha256=`, else the
line for the zip in the SHA256SUMS published beside it (the release page lists one). So an edit
of any member, the descriptor and schemas included, is refused, even one that updates the hashes
inside datapackage.json to match.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from ilrs_data._cache import (
    VERSION_PATTERN,
    cached_release,
    download_lock,
    intact,
    store,
    usable_cache_dir,
)
from ilrs_data._descriptor import bundled_root, read_descriptor
from ilrs_data._download import download, is_url
from ilrs_data._errors import ChecksumError, ReleaseError
from ilrs_data._files import (
    DESCRIPTOR_NAME,
    FolderFiles,
    PackageFiles,
    ZipFiles,
    hash_file,
    opened_regular,
    read_capped,
)
from ilrs_data._verify import verify_all

Source = str | Path | None

RELEASE_URL_ENV = "ILRS_DATA_RELEASE_URL"
# Where `load(..., version=...)` fetches a release; {version} is replaced by e.g. 1.2.0.
DEFAULT_RELEASE_URL = (
    "https://github.com/ilrs-data/ilrs-data/releases/download/v{version}/ilrs-data-{version}.zip"
)
SUMS_NAME = "SHA256SUMS"
MAX_SUMS_BYTES = 1024 * 1024
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
ARGUMENT_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "source": ((str, os.PathLike), "a str or a path, e.g. 'ilrs-data-1.2.0.zip'"),
    "version": (str, "a str, e.g. '1.2.0'"),
    "sha256": (str, "a str of the 64 hex digits SHA256SUMS lists"),
}


def open_package(
    source: Source = None, version: str | None = None, sha256: str | None = None
) -> PackageFiles:
    """The bundled package, a folder, a datapackage.json, a release zip, its URL, or a version."""
    if source is not None and version is not None:
        msg = "give either source= or version=, not both"
        raise ReleaseError(msg)
    _check_types(source=source, version=version, sha256=sha256)
    pin = _checked_pin(sha256)
    if version is not None:
        return _release(version, pin)
    if source is None:
        _no_pin_for("the bundled package", pin)
        return FolderFiles.at(bundled_root())
    if is_url(source):
        return _remote_zip(str(source), pin)
    path = Path(source)
    if path.is_dir() and (path / DESCRIPTOR_NAME).is_file():
        _no_pin_for("a folder", pin)
        return FolderFiles.at(path)
    if path.name == DESCRIPTOR_NAME and path.is_file():
        _no_pin_for("a folder", pin)
        return FolderFiles.at(path.parent)
    if path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)):
        _check_local_pin(path, pin)
        return ZipFiles.at(path)  # a damaged .zip is a ChecksumError, not "not a source"
    hint = " (give a file:// address as its path)" if str(source).startswith("file:") else ""
    msg = (
        f"source must be a folder holding {DESCRIPTOR_NAME}, the path of one, a release zip or "
        f"its https URL; got {source!s}{hint}"
    )
    raise ReleaseError(msg)


def _check_types(**values: object) -> None:
    """A readable error for an argument of the wrong type (a version given as 1.2, say)."""
    for name, value in values.items():
        kinds, wanted = ARGUMENT_TYPES[name]
        # A path-like may stand for bytes (os.scandir(b".") gives such entries): Path refuses it.
        bytes_path = isinstance(value, os.PathLike) and not isinstance(os.fspath(value), str)
        if value is not None and (not isinstance(value, kinds) or bytes_path):
            msg = f"{name}= must be {wanted}; got {value!r}"
            raise ReleaseError(msg)


def _checked_pin(sha256: str | None) -> str | None:
    if sha256 is None:
        return None
    pin = sha256.removeprefix("sha256:").lower()
    if not SHA256_PATTERN.fullmatch(pin):
        msg = f"sha256= must be 64 hex digits (as SHA256SUMS lists them); got {sha256!r}"
        raise ReleaseError(msg)
    return pin


def _no_pin_for(what: str, pin: str | None) -> None:
    if pin is not None:
        msg = f"sha256= pins a release zip or a download; {what} has no single hash"
        raise ReleaseError(msg)


def release_url(version: str) -> str:
    """$ILRS_DATA_RELEASE_URL (a template with {version}) filled in, else the project's URL."""
    # Set but empty (`export ILRS_DATA_RELEASE_URL=`) is unset, as for the other variables.
    template = os.environ.get(RELEASE_URL_ENV) or DEFAULT_RELEASE_URL
    try:
        return template.format(version=version)
    except (KeyError, IndexError, ValueError) as error:
        msg = (
            f"${RELEASE_URL_ENV} is {template!r}, which is not a URL template with {{version}} "
            f"as its only placeholder ({type(error).__name__}: {error}); fix or unset it"
        )
        raise ReleaseError(msg) from error


def _release(version: str, pin: str | None) -> PackageFiles:
    """The bundled package if it is that version; else the cached release, downloaded once."""
    if not VERSION_PATTERN.fullmatch(version):
        msg = f"version must look like 1.2.0 (MAJOR.MINOR.PATCH); got {version!r}"
        raise ReleaseError(msg)
    bundled = FolderFiles.at(bundled_root())
    if read_descriptor(bundled)["version"] == version and pin is None:
        return bundled
    url = release_url(version)
    cached = cached_release(version, usable_cache_dir())
    if intact(cached, pin):
        return ZipFiles.at(cached)
    with download_lock(cached):
        if intact(cached, pin):  # another process fetched it while this one waited
            return ZipFiles.at(cached)
        expected = pin or published_sha256(url)
        data = download(url)
        _check_pin(url, data, expected)
        files = ZipFiles.of(url, data)
        _check_release(files, version)
        if store(cached, data, expected):
            return ZipFiles.at(cached)
        return files


def published_sha256(url: str) -> str:
    """The sha256 of `url`'s file in the SHA256SUMS beside it, fetched before the file itself."""
    sums_url = urljoin(url, SUMS_NAME)
    name = PurePosixPath(urlsplit(url).path).name
    listed = _listed(download(sums_url, MAX_SUMS_BYTES).decode("utf-8", errors="replace"), name)
    if listed is not None:
        return listed
    msg = (
        f"{sums_url} does not list {name}, so the download cannot be checked; pass "
        "sha256= with the hash from a place you trust"
    )
    raise ReleaseError(msg)


def _check_pin(location: str, data: bytes, expected: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        msg = (
            f"checksum failed for {location}: its sha256 is {actual}, expected {expected}. The "
            "download is damaged or was altered; try again, or check the hash you passed."
        )
        raise ChecksumError(msg)


def _check_local_pin(path: Path, pin: str | None) -> None:
    """A local zip is checked against `pin`, else against a SHA256SUMS beside it listing it."""
    expected = pin or _sums_beside(path)
    if expected is not None:
        actual = hash_file(path, sys.maxsize, str(path))
        if actual != expected:
            msg = (
                f"checksum failed for {path}: its sha256 is {actual}, expected {expected}. The "
                "file is damaged or was altered; download it again."
            )
            raise ChecksumError(msg)


def _sums_beside(path: Path) -> str | None:
    """The hash a SHA256SUMS beside the zip lists for it; None when there is no such file. One
    that is there but cannot be read (a folder, a pipe, too big) is a ReleaseError, never
    waited on or read whole."""
    sums = path.parent / SUMS_NAME
    if not sums.exists():
        return None
    with opened_regular(sums, str(sums)) as handle:
        text = read_capped(handle, MAX_SUMS_BYTES, str(sums)).data
    return _listed(text.decode("utf-8", errors="replace"), path.name)


def _listed(sums: str, name: str) -> str | None:
    """The hash SHA256SUMS (as `sha256sum` writes it) gives for the file `name`."""
    for line in sums.splitlines():
        digest, _, listed = line.strip().partition(" ")
        if listed.strip().lstrip("*") == name and SHA256_PATTERN.fullmatch(digest.lower()):
            return digest.lower()
    return None


def _check_release(package_files: ZipFiles, version: str) -> None:
    """Refuse a download that is not the version asked for or fails a checksum."""
    descriptor = read_descriptor(package_files)
    if descriptor.get("version") != version:
        msg = (
            f"{package_files.location} holds version {descriptor.get('version')!r}, not {version!r}"
        )
        raise ReleaseError(msg)
    verify_all(descriptor["resources"], package_files)


@lru_cache(maxsize=4)
def _remote_zip(url: str, pin: str | None) -> ZipFiles:
    """A release zip fetched once per process and held in memory: load_all reads it once."""
    expected = pin or published_sha256(url)
    data = download(url)
    _check_pin(url, data, expected)
    return ZipFiles.of(url, data)
