"""Every redirect hop is checked; concurrent processes download a release once; cache files are
private; a folder's files must be its own, not symlinks."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from conftest import copy_package
from loader_helpers import make_release

VERSION = "0.0.5"
ZIP_PATH = f"/v{VERSION}/ilrs-data-{VERSION}.zip"


@pytest.fixture
def release(repo_root, tmp_path) -> Path:
    return make_release(repo_root, tmp_path, VERSION)


def redirect(to: str):
    def respond(handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def test_a_redirect_to_plain_http_elsewhere_is_refused_before_following_it(server):
    server.routes["/go.zip"] = redirect("http://example.org/ilrs-data.zip")
    with pytest.raises(ilrs_data.DownloadError, match=r"example\.org.*https only"):
        ilrs_data.load("partners", source=f"{server.url}/go.zip", sha256="0" * 64)
    assert server.requests == ["/go.zip"]


@pytest.mark.parametrize("port", ["99999", "80a"])
def test_a_port_that_is_no_port_is_refused_in_the_address_and_in_a_redirect(server, port):
    """urlsplit checks a port only when asked for it: this was a bare ValueError."""
    server.routes["/go.zip"] = redirect(f"http://127.0.0.1:{port}/ilrs-data.zip")
    for url in (f"https://example.org:{port}/ilrs-data.zip", f"{server.url}/go.zip"):
        with pytest.raises(ilrs_data.DownloadError) as raised:
            ilrs_data.load("partners", source=url, sha256="0" * 64)
        assert f":{port}/ilrs-data.zip: Port" in str(raised.value)
        assert "(a port is 0 to 65535); check the address" in str(raised.value)
    assert server.requests == ["/go.zip"]


def test_an_address_with_a_password_is_refused_without_showing_it(server):
    """Given or redirected to, user:password@ is never sent, and never written in a message."""
    server.routes["/go.zip"] = redirect(server.url.replace("//", "//ann:s3cret@") + "/r.zip")
    for url in ("https://ann:s3cret@example.org/r.zip", f"{server.url}/go.zip"):
        with pytest.raises(ilrs_data.DownloadError) as raised:
            ilrs_data.load("partners", source=url, sha256="0" * 64)
        assert "s3cret" not in str(raised.value) and "ann" not in str(raised.value)
        assert "/r.zip: its address holds a user name or password" in str(raised.value)
    assert server.requests == ["/go.zip"]


def test_a_redirect_on_the_same_host_is_followed_and_checked(server, release):
    server.publish("/files/release.zip", release.read_bytes())
    server.routes["/SHA256SUMS"] = redirect("/files/SHA256SUMS")
    server.routes["/release.zip"] = redirect("files/release.zip")  # relative, like GitHub's
    frames = ilrs_data.load_all(source=f"{server.url}/release.zip")
    assert list(frames) == ilrs_data.table_names()
    assert server.requests == ["/SHA256SUMS", "/files/SHA256SUMS", "/release.zip",
                               "/files/release.zip"]  # fmt: skip


def test_a_redirect_loop_ends(server):
    server.routes["/a.zip"] = redirect("/b.zip")
    server.routes["/b.zip"] = redirect("/a.zip")
    with pytest.raises(ilrs_data.DownloadError, match="more than 5 redirects"):
        ilrs_data.load("partners", source=f"{server.url}/a.zip", sha256="0" * 64)


def slowly(body: bytes):
    def respond(handler) -> None:
        time.sleep(1.5)  # long enough for every process to be waiting at once
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


@pytest.mark.slow
def test_concurrent_processes_download_a_release_once(server, release):
    server.publish(ZIP_PATH, release.read_bytes())
    server.routes[ZIP_PATH] = slowly(release.read_bytes())
    probe = f"import ilrs_data; print(len(ilrs_data.load('partners', version='{VERSION}')))"
    processes = [
        subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0].strip() for process in processes]
    assert outputs == [str(len(ilrs_data.load("partners")))] * 3
    assert server.requests.count(ZIP_PATH) == 1


def test_a_stale_lock_is_taken_over(server, release, tmp_path, monkeypatch):
    monkeypatch.setenv("ILRS_DATA_DEADLINE", "1")
    monkeypatch.setenv("ILRS_DATA_TIMEOUT", "1")
    server.publish(ZIP_PATH, release.read_bytes())
    lock = tmp_path / "cache" / f"ilrs-data-{VERSION}.zip.lock"
    lock.parent.mkdir()
    lock.touch()
    os.utime(lock, (time.time() - 3600, time.time() - 3600))  # its holder died an hour ago
    start = time.monotonic()
    assert ilrs_data.package(version=VERSION)["version"] == VERSION
    assert time.monotonic() - start < 2
    assert not lock.exists()


def test_a_held_lock_is_waited_for_until_stale(server, release, tmp_path, monkeypatch):
    monkeypatch.setenv("ILRS_DATA_DEADLINE", "1")
    monkeypatch.setenv("ILRS_DATA_TIMEOUT", "1")
    server.publish(ZIP_PATH, release.read_bytes())
    lock = tmp_path / "cache" / f"ilrs-data-{VERSION}.zip.lock"
    lock.parent.mkdir()
    lock.touch()  # fresh: another process is downloading (and will never finish)
    start = time.monotonic()
    assert ilrs_data.package(version=VERSION)["version"] == VERSION
    assert time.monotonic() - start >= 2  # deadline + timeout: how long a holder may take


def test_cache_files_are_private(server, release, tmp_path):
    server.publish(ZIP_PATH, release.read_bytes())
    ilrs_data.load("partners", version=VERSION)
    cached = sorted((tmp_path / "cache").iterdir())
    assert [path.name for path in cached] == [f"ilrs-data-{VERSION}.zip",
                                              f"ilrs-data-{VERSION}.zip.sha256"]  # fmt: skip
    for path in cached:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.fixture
def folder(repo_root, tmp_path) -> Path:
    return copy_package(repo_root, tmp_path / "folder")


def test_a_csv_that_is_a_symlink_is_refused(folder, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes((folder / "data" / "partners.csv").read_bytes())
    (folder / "data" / "partners.csv").unlink()
    (folder / "data" / "partners.csv").symlink_to(outside)
    with pytest.raises(ilrs_data.ReleaseError, match="symbolic link"):
        ilrs_data.load("partners", source=folder)
    assert len(ilrs_data.load("agreements", source=folder)) > 0


def test_a_data_folder_that_is_a_symlink_is_refused(folder, tmp_path):
    (folder / "data").rename(tmp_path / "elsewhere")
    (folder / "data").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ilrs_data.ReleaseError, match=r"goes through the symbolic link .*data"):
        ilrs_data.load("partners", source=folder)


def test_a_package_folder_reached_through_a_symlink_loads(folder, tmp_path):
    (tmp_path / "link").symlink_to(folder)
    pd.testing.assert_frame_equal(
        ilrs_data.load("partners", source=tmp_path / "link"), ilrs_data.load("partners")
    )
