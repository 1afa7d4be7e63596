"""Where downloaded releases are kept, so each version is fetched from the network only once.

Each cached zip has a `.sha256` file beside it: the hash it was pinned to when downloaded. A
cached zip that no longer matches it (a damaged disk, an interrupted copy) is deleted and
downloaded again. Files are written 0600 by atomic rename; a lock file (created with O_EXCL,
taken over when older than its stale limit) keeps two processes from downloading one release
twice. Stdlib only and no fcntl/msvcrt, so it works the same everywhere.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from ilrs_data import _settings
from ilrs_data._errors import CacheWarning, ReleaseError
from ilrs_data._files import hash_file, opened_regular, read_capped

CACHE_ENV = "ILRS_DATA_CACHE"
PIN_SUFFIX = ".sha256"
LOCK_SUFFIX = ".lock"
LOCK_POLL_SECONDS = 0.05
MAX_PIN_BYTES = 1024  # a pin is 64 hex digits and a newline
# ASCII: \d alone also takes the full-width digits a CJK input method types, which no
# release URL or cache file name holds.
VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+", re.ASCII)


def cache_dir() -> Path:
    """$ILRS_DATA_CACHE, else $XDG_CACHE_HOME/ilrs-data, else ~/.cache/ilrs-data."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "ilrs-data"
    return Path.home() / ".cache" / "ilrs-data"


def usable_cache_dir() -> Path:
    """The cache folder, or, when it cannot be written, a private temporary one (with a
    CacheWarning), so a load that has downloaded its release never fails for want of a disk."""
    folder = cache_dir()
    if _writable(folder):
        return folder
    return _fallback(str(folder))


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            return True
    except OSError:
        return False


@cache
def _fallback(wanted: str) -> Path:
    """One temporary folder per process for an unwritable cache, warned about once."""
    folder = Path(tempfile.mkdtemp(prefix="ilrs-data-cache-"))
    warnings.warn(
        f"the cache folder {wanted} cannot be written; using {folder} for now. Set "
        f"${CACHE_ENV} to a writable folder to keep downloads between sessions.",
        CacheWarning,
        stacklevel=4,
    )
    return folder


def cached_release(version: str, folder: Path | None = None) -> Path:
    """Path of a version's release zip in the cache (it may not exist yet)."""
    return (folder or cache_dir()) / f"ilrs-data-{version}.zip"


def intact(path: Path, wanted: str | None = None) -> bool:
    """Whether a cached zip exists and still has the hash it was pinned to (and that hash is
    `wanted`, when given); otherwise it is deleted with its pin, so the next step downloads it
    again."""
    pin = path.with_name(path.name + PIN_SUFFIX)
    try:
        status = path.stat()
        expected = _read_pin(pin)
    except (OSError, ValueError):  # ReleaseError too: a pin that is a folder or a pipe
        return False
    if wanted in (None, expected) and _hash_or_none(path, status) == expected:
        return True
    warnings.warn(
        f"{path} is damaged or not the one asked for (its sha256 is not the one expected); "
        "downloading it again",
        CacheWarning,
        stacklevel=4,
    )
    for stale in (path, pin):
        with contextlib.suppress(OSError):
            stale.unlink()
    return False


def _read_pin(pin: Path) -> str:
    """The hash in a pin file, never waiting on a named pipe put in its place."""
    with opened_regular(pin, str(pin)) as handle:
        return read_capped(handle, MAX_PIN_BYTES, str(pin)).data.decode("ascii").strip()


def _hash_or_none(path: Path, status: os.stat_result) -> str | None:
    """The cached zip's sha256; None when it is no regular file (a folder, a pipe), so it is
    replaced like a damaged one instead of failing every load."""
    try:
        return _hash_at(str(path), status.st_mtime_ns, status.st_size)
    except ReleaseError:
        return None


@lru_cache(maxsize=16)
def _hash_at(path: str, mtime_ns: int, size: int) -> str:
    """Hash a cached file once per state of it, not on every load."""
    del mtime_ns, size  # part of the memo key only
    return hash_file(Path(path), sys.maxsize, path)


def store(path: Path, data: bytes, sha256: str) -> bool:
    """Write the zip and its pin atomically (a reader sees all or nothing), mode 0600. Returns
    False, with a CacheWarning, when the cache cannot be written: the caller uses the bytes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, data)
        _write(path.with_name(path.name + PIN_SUFFIX), f"{sha256}\n".encode("ascii"))
    except OSError as error:
        warnings.warn(
            f"could not write {path} ({error.strerror or error}); the download is used from "
            f"memory this time. Set ${CACHE_ENV} to a writable folder.",
            CacheWarning,
            stacklevel=4,
        )
        return False
    return True


def _write(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    part = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        part.chmod(0o600)
        part.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


@contextlib.contextmanager
def download_lock(path: Path) -> Iterator[None]:
    """Hold `path`.lock while downloading. Waits while another process holds it; takes it over
    when it is older than a download may last (its holder died). If the lock cannot be made at
    all (read-only folder), runs unlocked: the rename keeps the cache whole anyway."""
    lock = path.with_name(path.name + LOCK_SUFFIX)
    stale_after = _settings.deadline() + _settings.timeout()
    owned = False
    give_up = time.monotonic() + stale_after
    while not owned:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            owned = True
        except FileExistsError:
            if _age(lock) > stale_after:
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            if time.monotonic() > give_up:
                break
            time.sleep(LOCK_POLL_SECONDS)
        except OSError:
            break
    try:
        yield
    finally:
        if owned:
            with contextlib.suppress(OSError):
                lock.unlink()


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def clear_cache(version: str | None = None) -> list[Path]:
    """Delete cached releases (one version, or all) with their pins; returns what was removed."""
    if version is not None and not VERSION_PATTERN.fullmatch(str(version)):
        # glob would take it as a pattern: "**" raises ValueError, "0.3" matches nothing.
        msg = f"clear_cache() takes a version like 1.2.0 (MAJOR.MINOR.PATCH); got {version!r}"
        raise ReleaseError(msg)
    folder = cache_dir()
    pattern = f"ilrs-data-{version or '*'}.zip"
    removed = []
    for zip_path in sorted(folder.glob(pattern)):
        for path in (zip_path, zip_path.with_name(zip_path.name + PIN_SUFFIX)):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as error:
                msg = f"cannot delete {path} ({error.strerror or error}); check its permissions"
                raise ReleaseError(msg) from error
            removed.append(path)
    return removed
