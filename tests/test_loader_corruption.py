"""Damaged release zips: every flipped byte gives the right data or a ChecksumError, and a
damaged zip in the cache is downloaded again instead of failing every later call."""

from __future__ import annotations

import struct
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from conftest import NOT_FILES, make_not_a_file, raised_within
from loader_helpers import make_release

SMALL_TABLES = ["missions", "mission_events"]  # real rows, small enough to flip every byte
DATA_STRIDE = 7  # inside compressed data (CRC-32 covers it) every 7th byte; elsewhere every byte
VERSION = "0.0.7"


def data_ranges(path: Path) -> list[range]:
    """The offsets of each member's compressed bytes, read from its local header."""
    raw = path.read_bytes()
    ranges = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
            start = info.header_offset + 30 + name_length + extra_length
            ranges.append(range(start, start + info.compress_size))
    return ranges


def offsets_to_flip(path: Path) -> list[int]:
    """Every offset of headers, central directory and end record; a dense sample of data."""
    in_data = {offset for span in data_ranges(path) for offset in span}
    size = path.stat().st_size
    return [o for o in range(size) if o not in in_data or o % DATA_STRIDE == 0]


def load_small(path: Path) -> dict[str, pd.DataFrame]:
    return {name: ilrs_data.load(name, source=path) for name in SMALL_TABLES}


@pytest.mark.slow
def test_every_flipped_byte_gives_the_right_data_or_a_checksum_error(repo_root, tmp_path):
    release = make_release(repo_root, tmp_path, VERSION, SMALL_TABLES)
    expected = load_small(release)
    original = release.read_bytes()
    offsets = offsets_to_flip(release)
    outcomes = {"same data": 0, "ChecksumError": 0}
    wrong: list[str] = []
    for offset in offsets:
        for mask in (0xFF, 0x01):
            damaged = bytearray(original)
            damaged[offset] ^= mask
            path = tmp_path / f"flip-{offset}-{mask}.zip"
            path.write_bytes(bytes(damaged))
            try:
                got = load_small(path)
            except ilrs_data.ChecksumError:
                outcomes["ChecksumError"] += 1
            except Exception as error:
                wrong.append(f"offset {offset} ^{mask:#x}: {type(error).__name__}: {error}")
            else:
                for name, frame in expected.items():
                    pd.testing.assert_frame_equal(got[name], frame, obj=f"{name} @ {offset}")
                outcomes["same data"] += 1
            finally:
                path.unlink()
    assert wrong == [], f"{len(wrong)} of {2 * len(offsets)} flips: " + "\n".join(wrong[:20])
    assert outcomes["ChecksumError"] > len(offsets)  # most flips are detected, not ignored


def test_truncated_and_garbage_zips_are_checksum_errors(tmp_path, release_bytes):
    for name, content in {
        "truncated.zip": release_bytes[: len(release_bytes) // 2],
        "empty.zip": b"",
        "garbage.zip": b"PK\x03\x04" + b"\x00" * 100,
    }.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ilrs_data.ChecksumError, match="damaged"):
            ilrs_data.load("missions", source=path)


@pytest.fixture
def release_bytes(repo_root, tmp_path) -> bytes:
    return make_release(repo_root, tmp_path / "made", VERSION, SMALL_TABLES).read_bytes()


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_cached_zip_is_downloaded_again(server, tmp_path, release_bytes, damage):
    server.publish(f"/v{VERSION}/ilrs-data-{VERSION}.zip", release_bytes)
    first = ilrs_data.load("missions", version=VERSION)
    cached = tmp_path / "cache" / f"ilrs-data-{VERSION}.zip"
    damaged = bytearray(cached.read_bytes())
    if damage == "flip":
        damaged[len(damaged) // 3] ^= 0xFF
    else:
        del damaged[len(damaged) // 2 :]
    cached.write_bytes(bytes(damaged))

    with pytest.warns(ilrs_data.CacheWarning, match="damaged"):
        again = ilrs_data.load("missions", version=VERSION)

    pd.testing.assert_frame_equal(again, first)
    assert cached.read_bytes() == release_bytes
    assert server.requests.count(f"/v{VERSION}/ilrs-data-{VERSION}.zip") == 2


@pytest.mark.parametrize("kind", NOT_FILES)
@pytest.mark.parametrize("which", ["zip", "pin"])
def test_a_cached_zip_or_pin_that_is_no_file_is_replaced_not_waited_on(
    server, tmp_path, release_bytes, which, kind
):
    """A pipe for the pin made every later load wait forever for a writer; a pipe or a folder
    for the zip failed every later load. Now the release is downloaded again: stored where
    a file can replace the pipe, used from memory (with a CacheWarning) where a folder stays."""
    server.publish(f"/v{VERSION}/ilrs-data-{VERSION}.zip", release_bytes)
    first = ilrs_data.load("missions", version=VERSION)
    cached = tmp_path / "cache" / f"ilrs-data-{VERSION}.zip"
    make_not_a_file(cached if which == "zip" else cached.with_name(cached.name + ".sha256"), kind)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = raised_within(10, lambda: ilrs_data.load("missions", version=VERSION))
    assert error is None, error
    assert server.requests.count(f"/v{VERSION}/ilrs-data-{VERSION}.zip") == 2
    if kind == "named pipe":
        assert cached.read_bytes() == release_bytes
        pd.testing.assert_frame_equal(ilrs_data.load("missions", version=VERSION), first)
    else:
        assert any("could not write" in str(w.message) for w in caught)
