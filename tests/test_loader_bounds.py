"""Bounds: a member that inflates past its declared size, an oversize body and a server that
trickles its answer all end with a ReleaseError, in bounded memory and time."""

from __future__ import annotations

import hashlib
import http.client
import json
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import ilrs_data
from conftest import raised_within
from loader_helpers import Server

BOMB_BYTES = 64 * 1024 * 1024  # inflates to 64 MiB, compresses to ~64 KiB
DECLARED = 1000
# Honest size fields are refused before inflating; lying ones at the first CRC check.
BOMB_REFUSED = r"data/t\.csv.*inflates|Bad CRC-32 for file .data/t\.csv"


def bomb_zip(path: Path, lie_in_header: bool) -> Path:
    """A release whose data/t.csv declares 1,000 bytes and inflates to 64 MiB. With
    `lie_in_header` the zip's own size fields say 1,000 too, so only reading can tell."""
    header = b"id\n"
    body = header + b"1\n" * ((BOMB_BYTES - len(header)) // 2)
    descriptor = {
        "name": "bomb",
        "version": "0.0.1",
        "resources": [
            {
                "name": "t",
                "path": "data/t.csv",
                "bytes": DECLARED,
                "hash": "sha256:" + hashlib.sha256(body[:DECLARED]).hexdigest(),
                "schema": {"fields": [{"name": "id", "type": "string"}]},
            }
        ],
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor))
        archive.writestr("data/t.csv", body)
    if lie_in_header:
        raw = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("data/t.csv")
        struct.pack_into("<I", raw, info.header_offset + 22, DECLARED)  # local header
        central = raw.rindex(b"data/t.csv") - 46  # the name's last copy: the central entry
        struct.pack_into("<I", raw, central + 24, DECLARED)  # central directory
        path.write_bytes(bytes(raw))
        with zipfile.ZipFile(path) as archive:
            assert archive.getinfo("data/t.csv").file_size == DECLARED
    return path


@pytest.mark.parametrize("lie_in_header", [False, True], ids=["honest-header", "lying-header"])
def test_a_zip_bomb_is_refused_after_reading_about_its_declared_size(tmp_path, lie_in_header):
    path = bomb_zip(tmp_path / "bomb.zip", lie_in_header)
    tracemalloc.start()
    try:
        with pytest.raises(ilrs_data.ChecksumError, match=BOMB_REFUSED):
            ilrs_data.load("t", source=path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # far below the 64 MiB the member inflates to


def crowded_zip(path: Path, entries: int) -> Path:
    """A zip of a package and `entries` empty files: from 65,536 entries the zip64 end record
    holds the count and size."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg/datapackage.json", json.dumps({"resources": []}))
        for number in range(entries):
            archive.writestr(f"pkg/e/{number:08d}", b"")
    return path


@pytest.mark.parametrize("entries", [25_000, 70_000], ids=["end-record", "zip64-record"])
def test_a_zip_of_too_many_entries_is_refused_before_they_are_read(tmp_path, entries):
    """zipfile makes an object per entry before anything is checked: 200,000 entries (11 MB of
    central directory, 19 MB of zip) took 5 s and 250 MB; the 512 MiB a download may have, GB."""
    path = crowded_zip(tmp_path / "crowded.zip", entries)
    tracemalloc.start()
    try:
        error = raised_within(5, lambda: ilrs_data.table_names(source=path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, ilrs_data.ChecksumError)
    assert "crowded.zip is damaged: it is not a readable zip (BadZipFile: its central " in str(
        error
    )
    assert f"({entries + 1:,} entries), more than the 1,048,576 a release's can be" in str(error)
    assert "Download the release again" in str(error)
    assert peak < 1024 * 1024


@pytest.fixture
def server(monkeypatch, tmp_path) -> Iterator[Server]:
    running = Server()
    monkeypatch.setenv("ILRS_DATA_CACHE", str(tmp_path / "cache"))
    yield running
    running.stop()


def sums_for(server: Server, name: str, body: bytes) -> None:
    server.files["/SHA256SUMS"] = f"{hashlib.sha256(body).hexdigest()}  {name}\n".encode()


def test_a_body_announcing_more_than_the_cap_is_refused_before_reading_it(server, monkeypatch):
    monkeypatch.setenv("ILRS_DATA_MAX_BYTES", str(1024 * 1024))
    body = b"x" * (5 * 1024 * 1024)
    sums_for(server, "big.zip", body)
    server.files["/big.zip"] = body
    with pytest.raises(ilrs_data.DownloadError, match=r"at most 1,048,576 bytes.*announces"):
        ilrs_data.load("partners", source=f"{server.url}/big.zip")


def test_a_body_without_length_is_cut_at_the_cap(server, monkeypatch):
    monkeypatch.setenv("ILRS_DATA_MAX_BYTES", str(1024 * 1024))
    sent: list[int] = []

    def endless(handler) -> None:  # no Content-Length: the body ends when the server closes
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(64):
                handler.wfile.write(b"x" * 65536)
                sent.append(65536)
        except OSError:
            pass

    server.files["/SHA256SUMS"] = b"0" * 64 + b"  endless.zip\n"
    server.routes["/endless.zip"] = endless
    with pytest.raises(ilrs_data.DownloadError, match="goes on past that"):
        ilrs_data.load("partners", source=f"{server.url}/endless.zip", sha256="0" * 64)


def trickle(handler, *, in_headers: bool, pause: float = 2) -> None:
    """One byte every `pause` seconds, in the status line or in the body."""
    try:
        if in_headers:
            for byte in b"HTTP/1.1 200 OK\r\n":
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(pause)
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(1000):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(pause)
    except OSError:
        pass


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "status-line"])
def test_a_trickling_server_ends_in_a_download_error_within_the_deadline(
    server, monkeypatch, in_headers
):
    monkeypatch.setenv("ILRS_DATA_DEADLINE", "3")
    server.routes["/slow.zip"] = lambda handler: trickle(handler, in_headers=in_headers)
    start = time.monotonic()
    with pytest.raises(ilrs_data.DownloadError, match=r"longer than 3 s"):
        ilrs_data.load("partners", source=f"{server.url}/slow.zip", sha256="0" * 64)
    assert time.monotonic() - start < 3 + 2  # the deadline, plus a margin for a busy machine


def test_a_deadline_that_passes_while_connecting_still_ends_the_download(server, monkeypatch):
    """A slow TLS handshake or proxy tunnel (here a connect that takes 2 s) uses up the
    deadline before the watchdog has a socket to shut; a trickle after it, each byte within
    the read timeout (0.3 s apart, the status line alone taking 5 s), must still end."""
    monkeypatch.setenv("ILRS_DATA_DEADLINE", "1")
    connect = http.client.HTTPConnection.connect

    def slow_connect(self):
        time.sleep(2)
        connect(self)

    monkeypatch.setattr(http.client.HTTPConnection, "connect", slow_connect)
    server.routes["/slow.zip"] = lambda handler: trickle(handler, in_headers=True, pause=0.3)
    start = time.monotonic()
    with pytest.raises(ilrs_data.DownloadError, match=r"longer than 1 s"):
        ilrs_data.load("partners", source=f"{server.url}/slow.zip", sha256="0" * 64)
    assert time.monotonic() - start < 2 + 2
