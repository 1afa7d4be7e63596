"""Turn a user's `source=` or `version=` into the files of one package, fetching only if needed."""

from __future__ import annotations

import os
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from ilrs_data._cache import cached_release, store
from ilrs_data._descriptor import bundled_root, read_descriptor
from ilrs_data._download import download, is_url
from ilrs_data._errors import ReleaseError
from ilrs_data._files import DESCRIPTOR_NAME, FolderFiles, PackageFiles, ZipFiles
from ilrs_data._verify import verify_all

Source = str | Path | None

RELEASE_URL_ENV = "ILRS_DATA_RELEASE_URL"
# Where `load(..., version=...)` fetches a release; {version} is replaced by e.g. 1.2.0.
DEFAULT_RELEASE_URL = (
    "https://github.com/ilrs-data/ilrs-data/releases/download/v{version}/ilrs-data-{version}.zip"
)
VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")


def open_package(source: Source = None, version: str | None = None) -> PackageFiles:
    """The bundled package, a folder, a datapackage.json, a release zip, its URL, or a version."""
    if source is not None and version is not None:
        msg = "give either source= or version=, not both"
        raise ValueError(msg)
    if version is not None:
        return _release(version)
    if source is None:
        return FolderFiles.at(bundled_root())
    if is_url(source):
        return _remote_zip(str(source))
    path = Path(source)
    if path.is_dir() and (path / DESCRIPTOR_NAME).is_file():
        return FolderFiles.at(path)
    if path.name == DESCRIPTOR_NAME and path.is_file():
        return FolderFiles.at(path.parent)
    if path.is_file() and zipfile.is_zipfile(path):
        return ZipFiles.at(path)
    msg = (
        f"source must be a folder holding {DESCRIPTOR_NAME}, the path of one, a release zip or "
        f"its https URL; got {source!s}"
    )
    raise ValueError(msg)


def release_url(version: str) -> str:
    """$ILRS_DATA_RELEASE_URL (a template with {version}) filled in, else the project's URL."""
    return os.environ.get(RELEASE_URL_ENV, DEFAULT_RELEASE_URL).format(version=version)


def _release(version: str) -> PackageFiles:
    """The bundled package if it is that version; else the cached release, downloaded once."""
    if not VERSION_PATTERN.fullmatch(version):
        msg = f"version must look like 1.2.0 (MAJOR.MINOR.PATCH); got {version!r}"
        raise ValueError(msg)
    bundled = FolderFiles.at(bundled_root())
    if read_descriptor(bundled)["version"] == version:
        return bundled
    cached = cached_release(version)
    if not cached.is_file():
        url = release_url(version)
        data = download(url)
        _check_release(ZipFiles.of(url, data), version)
        store(cached, data)
    return ZipFiles.at(cached)


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
def _remote_zip(url: str) -> ZipFiles:
    """A release zip fetched once per process and held in memory: load_all reads it once."""
    return ZipFiles.of(url, download(url))
