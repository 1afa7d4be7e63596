"""Read a package's files from a folder or a zip: bounded in size as they stream, never
following a path that leaves the package, and any damage reported as a ChecksumError."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO, NamedTuple, Protocol

from ilrs_data._errors import ChecksumError, ReleaseError
from ilrs_data._settings import CHUNK_BYTES, HASH_CHUNK_BYTES, MAX_METADATA_BYTES

DESCRIPTOR_NAME = "datapackage.json"
# What zipfile and zlib raise on damaged bytes (a bad header, a bad CRC, a truncated stream, a
# flipped flag that asks for encryption or an unknown compression). None of these can come from
# an intact archive, so each means "damaged".
ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    RuntimeError,
    LookupError,
    OverflowError,
    ValueError,
    OSError,
)


@dataclass(frozen=True)
class Read:
    """A file's bytes; their sha256 is computed once, when first asked for (the loader asks in a
    thread while pandas parses a big file: hashlib releases the GIL)."""

    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class LocalFile(NamedTuple):
    """A package file on disk: where it is, its size when looked at, and how to name it."""

    path: Path
    size: int
    what: str


class PackageFiles(Protocol):
    """Where a package's files come from; hashable, so what is read from it can be memoised."""

    def __hash__(self) -> int: ...

    @property
    def location(self) -> str:
        """The folder, file or URL, for messages."""
        ...

    @property
    def is_release(self) -> bool:
        """Whether every data file must carry a checksum (zips are releases; folders may be)."""
        ...

    def read(self, relative: str, max_bytes: int) -> Read:
        """One file, given by its path inside the package; more than `max_bytes` is refused."""
        ...

    def local_file(self, relative: str, max_bytes: int) -> LocalFile | None:
        """The file's path and size, for pandas to open by itself (it reads a big file by path
        in parallel), or None when the file is inside an archive."""
        ...


def checked_path(relative: object) -> PurePosixPath:
    """A package path that cannot escape the package: relative, no '..', no drive, no backslash,
    no NUL."""
    if not isinstance(relative, str) or not relative:
        msg = f"package path {relative!r} must be one relative path"
        raise ReleaseError(msg)
    if "\x00" in relative:  # the OS refuses the name with a bare ValueError
        msg = f"package path {relative!r} holds a NUL character; fix it in datapackage.json"
        raise ReleaseError(msg)
    if "://" in relative:
        msg = (
            f"package path {relative!r} is a URL; the loader reads only files inside the package: "
            "put the file in the package folder and give its path there"
        )
        raise ReleaseError(msg)
    path = PurePosixPath(relative)
    if path.is_absolute() or "\\" in relative or ":" in relative or ".." in path.parts:
        msg = f"path {relative!r} points outside the package; refusing to read it"
        raise ReleaseError(msg)
    return path


def read_capped(stream: IO[bytes], max_bytes: int, what: str, size_hint: int = 0) -> Read:
    """Read `stream` in chunks, refusing it as soon as it passes `max_bytes`: at most
    max_bytes + 1 bytes are ever read, whatever the stream claims about itself. The first
    chunk is as big as the file says it is (within the cap), so an intact file is read in one
    step, with no copy to join chunks."""
    chunks: list[bytes] = []
    total = 0
    step = min(max(size_hint + 1, CHUNK_BYTES), max_bytes + 1)
    while chunk := stream.read(min(step, max_bytes + 1 - total)):
        step = CHUNK_BYTES
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(what, max_bytes)
        chunks.append(chunk)
    return Read(chunks[0] if len(chunks) == 1 else b"".join(chunks))


def _too_big(what: str, max_bytes: int) -> ChecksumError:
    msg = (
        f"{what} is larger than the {max_bytes:,} bytes it may have; refusing it "
        "(a damaged or hostile file). Get the release again from its official address."
    )
    return ChecksumError(msg)


@dataclass(frozen=True)
class FolderFiles:
    """An unpacked package. `stamp` (mtime and size of the descriptor and of every schema file it
    names) makes an edit of any of them a new cache key, so an edited schema is read again."""

    root: Path
    stamp: tuple[tuple[int, int], ...]

    @classmethod
    def at(cls, root: Path) -> FolderFiles:
        return cls(root, tuple(_stamp(root / name) for name in _descriptor_files(root)))

    @property
    def location(self) -> str:
        return str(self.root)

    @property
    def is_release(self) -> bool:
        return False

    def read(self, relative: str, max_bytes: int) -> Read:
        return read_file(self._checked(relative), max_bytes, f"{relative} in {self.root}")

    def local_file(self, relative: str, max_bytes: int) -> LocalFile | None:
        path, what = self._checked(relative), f"{relative} in {self.root}"
        try:
            status = path.lstat()
        except OSError as error:
            raise _unreadable(what, error) from error
        if not stat.S_ISREG(status.st_mode):
            raise _unreadable(what, OSError(f"{path} is not a regular file"))
        if status.st_size > max_bytes:
            raise _too_big(what, max_bytes)
        return LocalFile(path, status.st_size, what)

    def _checked(self, relative: str) -> Path:
        path = checked_path(relative)
        _refuse_symlinks(self.root, path)
        return self.root / path


@contextmanager
def opened_regular(path: Path, what: str) -> Iterator[IO[bytes]]:
    """A regular file opened for reading without following a symlink (a pipe, a device or a
    folder is refused at once); OSError becomes ReleaseError."""
    try:
        # O_NOFOLLOW closes the gap between the symlink check and the open, where it exists;
        # O_NONBLOCK keeps a named pipe from waiting forever for a writer before it is refused.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        with os.fdopen(os.open(path, flags), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise _unreadable(what, OSError(f"{path} is not a regular file"))
            yield handle
    except OSError as error:
        raise _unreadable(what, error) from error


def _unreadable(what: str, error: OSError) -> ReleaseError:
    msg = (
        f"cannot read {what} ({error.strerror or error}); check that the file exists, is "
        "readable and is a regular file"
    )
    return ReleaseError(msg)


def read_file(path: Path, max_bytes: int, what: str) -> Read:
    """A regular file's bytes, refused once past `max_bytes` (see read_capped)."""
    with opened_regular(path, what) as handle:
        return read_capped(handle, max_bytes, what, os.fstat(handle.fileno()).st_size)


def hash_file(path: Path, max_bytes: int, what: str) -> str:
    """A file's sha256, streamed in chunks: memory stays bounded whatever its size."""
    digest = hashlib.sha256()
    total = 0
    with opened_regular(path, what) as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            total += len(chunk)
            if total > max_bytes:
                raise _too_big(what, max_bytes)
            digest.update(chunk)
    return digest.hexdigest()


def _refuse_symlinks(root: Path, relative: PurePosixPath) -> None:
    """A package's files must be its own: a symlink could point anywhere on the machine."""
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            msg = (
                f"{relative} in {root} goes through the symbolic link {current}; refusing to "
                "follow it. Copy the file into the package folder instead."
            )
            raise ReleaseError(msg)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL in the name, refused when it is read
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def _descriptor_files(root: Path) -> list[str]:
    """datapackage.json and the schema files it names (none if it cannot be read: reading it
    again later reports why)."""
    names = [DESCRIPTOR_NAME]
    try:
        with opened_regular(root / DESCRIPTOR_NAME, DESCRIPTOR_NAME) as handle:
            descriptor = json.loads(read_capped(handle, MAX_METADATA_BYTES, DESCRIPTOR_NAME).data)
        resources = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    except (ReleaseError, ValueError, RecursionError, AttributeError):
        return names
    names += [
        resource["schema"]
        for resource in resources
        if isinstance(resource, dict) and isinstance(resource.get("schema"), str)
    ] if isinstance(resources, list) else []  # fmt: skip
    return names


@dataclass(frozen=True)
class ZipFiles:
    """A release zip on disk or in memory, read in place: nothing is ever extracted."""

    location: str
    archive: Path | bytes = field(repr=False)
    prefix: str
    stamp: tuple[int, int] = (0, 0)

    @classmethod
    def at(cls, path: Path) -> ZipFiles:
        try:
            status = path.stat()
        except OSError as error:
            msg = f"cannot read {path} ({error.strerror or error}); check that it exists"
            raise ReleaseError(msg) from error
        return cls.of(str(path), path, (status.st_mtime_ns, status.st_size))

    @classmethod
    def of(cls, location: str, archive: Path | bytes, stamp: tuple[int, int] = (0, 0)) -> ZipFiles:
        """Check every entry once (its name, and that its local header agrees with the central
        directory), and find the folder holding datapackage.json."""
        try:
            directory = _directory(archive)  # before zipfile reads the central directory whole
            with _open(archive) as opened:
                infos = opened.infolist()
                _check_entry_count(directory, len(infos))
                for info in infos:
                    opened.open(info).close()  # reads the local header; compares the name
        except PermissionError as error:
            msg = f"cannot read {location} ({error.strerror}); check its permissions"
            raise ReleaseError(msg) from error
        except ZIP_DAMAGE as error:
            raise _damaged(location, error) from error
        return cls(location, archive, _package_prefix(location, infos), stamp)

    @property
    def is_release(self) -> bool:
        return True

    def local_file(self, relative: str, max_bytes: int) -> LocalFile | None:
        return None

    def read(self, relative: str, max_bytes: int) -> Read:
        name = self.prefix + str(checked_path(relative))
        try:
            with _open(self.archive) as opened:
                try:
                    info = opened.getinfo(name)
                except KeyError:
                    msg = (
                        f"{relative} is named in datapackage.json but missing from "
                        f"{self.location}; the release is incomplete, get it again"
                    )
                    raise ReleaseError(msg) from None
                if info.file_size > max_bytes:
                    msg = (
                        f"{relative} in {self.location} inflates to {info.file_size:,} bytes, "
                        f"more than the {max_bytes:,} it may have; refusing it"
                    )
                    raise ChecksumError(msg)
                with opened.open(info) as member:
                    what = f"{relative} in {self.location}"
                    return read_capped(member, max_bytes, what, info.file_size)
        except ReleaseError:
            raise
        except PermissionError as error:
            msg = f"cannot read {self.location} ({error.strerror}); check its permissions"
            raise ReleaseError(msg) from error
        except ZIP_DAMAGE as error:
            raise _damaged(self.location, error) from error


# macOS's Finder puts its resource forks here when it zips a folder.
FINDER_FOLDER = "__MACOSX"
END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 65535
ZIP64_RECORD = b"PK\x06\x06"
ZIP64_RECORD_SIZE = 56
ZIP64_LOCATOR_SIZE = 20
# A release's central directory is a few kilobytes (about 100 bytes an entry); zipfile builds
# an object per entry of it before anything can be checked, so a bigger one is refused unread.
MAX_DIRECTORY_BYTES = 1024 * 1024


class Directory(NamedTuple):
    """What a zip's end record says of its central directory."""

    on_disk: int
    total: int
    size: int


def _directory(archive: Path | bytes) -> Directory:
    """The entry counts and size of the central directory, from the zip64 record when the end
    record defers to it; BadZipFile when there is none or it is too big to read."""
    reach = END_RECORD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE + ZIP64_RECORD_SIZE
    if isinstance(archive, bytes):
        tail = archive[-reach:]
    else:
        with archive.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - reach))
            tail = handle.read()
    start = tail.rfind(END_RECORD)
    if start < 0 or len(tail) < start + END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    directory = Directory(*struct.unpack_from("<HHL", tail, start + 8))
    record = start - ZIP64_LOCATOR_SIZE - ZIP64_RECORD_SIZE
    if record >= 0 and tail[record : record + 4] == ZIP64_RECORD:
        directory = Directory(*struct.unpack_from("<QQQ", tail, record + 24))
    if directory.size > MAX_DIRECTORY_BYTES:
        msg = (
            f"its central directory is {directory.size:,} bytes ({directory.total:,} entries), "
            f"more than the {MAX_DIRECTORY_BYTES:,} a release's can be; refusing to read it"
        )
        raise zipfile.BadZipFile(msg)
    return directory


def _check_entry_count(directory: Directory, found: int) -> None:
    """zipfile stops reading a damaged central directory early without a word, so an entry can
    vanish; the end record says how many there are, and the two must agree."""
    on_disk, total = directory.on_disk, directory.total
    if total != 0xFFFF and (on_disk != found or total != found):  # 0xFFFF: a zip64 count
        msg = f"the end record counts {total} entries, the central directory holds {found}"
        raise zipfile.BadZipFile(msg)


def _damaged(location: str, error: Exception) -> ChecksumError:
    msg = (
        f"{location} is damaged: it is not a readable zip ({type(error).__name__}: {error}). "
        "Download the release again."
    )
    return ChecksumError(msg)


def _open(archive: Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(archive) if isinstance(archive, bytes) else archive)


def _package_prefix(location: str, infos: list[zipfile.ZipInfo]) -> str:
    """'' when datapackage.json is at the top, else the one top folder that holds it (beside
    the __MACOSX folder macOS's Finder adds when it zips a folder again, which is never read)."""
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        msg = f"{location} holds two entries with the same name; refusing it"
        raise ReleaseError(msg)
    for name in names:
        try:
            checked_path(name)
        except ReleaseError:
            raise _outside(location, name) from None
    if DESCRIPTOR_NAME in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names} - {FINDER_FOLDER}
    holders = sorted(top for top in tops if f"{top}/{DESCRIPTOR_NAME}" in names)
    if holders and len(tops) == 1:
        return f"{holders[0]}/"
    if holders:
        others = ", ".join(sorted(tops - {holders[0]}))
        msg = (
            f"{location} holds {holders[0]}/{DESCRIPTOR_NAME} but also {others} beside that "
            "folder; zip the release folder alone, or pass the unpacked folder as source="
        )
        raise ReleaseError(msg)
    msg = (
        f"{location} has no {DESCRIPTOR_NAME} at its top or in one top folder; zip the folder "
        "that holds it, or pass the unpacked folder as source="
    )
    raise ReleaseError(msg)


def _outside(location: str, name: str) -> ReleaseError:
    """A name that leaves the release; one that only writes '\\' between folders is named
    as such, for it is how PowerShell 5's Compress-Archive zips a folder."""
    if "\\" in name and ":" not in name and ".." not in name.replace("\\", "/").split("/"):
        msg = (
            f"{location} names its entries with '\\' between folders ({name!r}), as PowerShell "
            "5's Compress-Archive writes them; zip the folder again with a tool that writes '/' "
            "(7-Zip, or python -m zipfile -c), or pass the unpacked folder as source="
        )
        return ReleaseError(msg)
    msg = f"{location} holds the entry {name!r}, which points outside the release"
    return ReleaseError(msg)
