"""The loader reads release zips, unpacked releases, URLs and versions, each checked first."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from loader_helpers import crafted_zip, make_release, rewrite_zip

OTHER_VERSION = "0.0.1"  # never the bundled version, so asking for it needs a download


@pytest.fixture
def release(repo_root, tmp_path) -> Path:
    return make_release(repo_root, tmp_path, ilrs_data.__version__)


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert list(got) == list(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_release_zip_loads_as_the_bundled_package(release):
    assert ilrs_data.table_names(source=release) == ilrs_data.table_names()
    assert_same_tables(ilrs_data.load_all(source=release), ilrs_data.load_all())


def test_unpacked_release_folder_loads_as_the_bundled_package(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        archive.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / f"ilrs-data-{ilrs_data.__version__}"
    assert_same_tables(ilrs_data.load_all(source=folder), ilrs_data.load_all())


def test_altered_file_in_unpacked_release_fails_its_checksum(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        archive.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / f"ilrs-data-{ilrs_data.__version__}"
    partners = folder / "data" / "partners.csv"
    partners.write_bytes(partners.read_bytes().replace(b"member", b"membre", 1))

    with pytest.raises(ilrs_data.ChecksumError, match=r"checksum failed for data/partners\.csv"):
        ilrs_data.load("partners", source=folder)
    assert len(ilrs_data.load("agreements", source=folder)) > 0  # the other files are intact


def test_altered_file_in_release_zip_fails_its_checksum(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        top = archive.namelist()[0].split("/")[0]
        sources = archive.read(f"{top}/data/sources.csv")
    altered = rewrite_zip(release, tmp_path / "altered.zip", {"data/sources.csv": sources + b"\n"})

    with pytest.raises(ilrs_data.ChecksumError) as raised:
        ilrs_data.load_all(source=altered)
    assert "data/sources.csv" in str(raised.value)


def test_release_zip_without_hashes_is_refused(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        top = archive.namelist()[0].split("/")[0]
        descriptor = json.loads(archive.read(f"{top}/datapackage.json"))
    for resource in descriptor["resources"]:
        del resource["hash"]
    stripped = rewrite_zip(
        release, tmp_path / "stripped.zip", {"datapackage.json": json.dumps(descriptor).encode()}
    )
    with pytest.raises(ilrs_data.ReleaseError, match="has no sha256 hash"):
        ilrs_data.load("partners", source=stripped)


@pytest.mark.parametrize(
    "entry",
    ["../evil.csv", "/etc/evil.csv", "pkg/../../evil.csv", "pkg\\..\\evil.csv", "C:/evil.csv"],
    ids=["parent", "absolute", "nested-parent", "backslash", "drive"],
)
def test_zip_entries_that_escape_the_release_are_refused(tmp_path, entry):
    path = crafted_zip(
        tmp_path / "evil.zip",
        {"pkg/datapackage.json": b'{"resources": []}', entry: b"x"},
    )
    with pytest.raises(ilrs_data.ReleaseError, match="points outside the release"):
        ilrs_data.table_names(source=path)


def rezipped(release: Path, target: Path, rename=lambda name: name, extra=()) -> Path:
    """The release's members zipped again under new names, with `extra` (name, bytes) added."""
    with zipfile.ZipFile(release) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(rename(info.filename), old.read(info))
        for name, content in extra:
            new.writestr(name, content)
    return target


def test_a_release_zipped_again_by_macos_finder_loads(release, tmp_path):
    """Finder adds a __MACOSX folder of resource forks beside the release folder."""
    top = zipfile.ZipFile(release).namelist()[0].split("/")[0]
    forks = [("__MACOSX/._" + top, b"\0"), (f"__MACOSX/{top}/._datapackage.json", b"\0")]
    again = rezipped(release, tmp_path / "finder.zip", extra=forks)
    assert_same_tables(ilrs_data.load_all(source=again), ilrs_data.load_all(source=release))


def test_a_folder_beside_the_release_folder_is_named(release, tmp_path):
    again = rezipped(release, tmp_path / "two.zip", extra=[("notes/readme.txt", b"x")])
    with pytest.raises(ilrs_data.ReleaseError) as raised:
        ilrs_data.table_names(source=again)
    assert "/datapackage.json but also notes beside that folder; zip the release folder alone" in (
        str(raised.value)
    )


def test_a_zip_naming_folders_with_backslashes_says_how_to_zip_it_again(release, tmp_path):
    """PowerShell 5's Compress-Archive writes 'top\\data\\partners.csv'."""
    again = rezipped(release, tmp_path / "ps.zip", rename=lambda name: name.replace("/", "\\"))
    with pytest.raises(ilrs_data.ReleaseError) as raised:
        ilrs_data.table_names(source=again)
    assert "names its entries with '\\' between folders" in str(raised.value)
    assert "zip the folder again with a tool that writes '/'" in str(raised.value)


def set_in_first_resource(package: Path, key: str, value: str) -> str:
    """Set `key` of the descriptor's first resource in the package folder; return its name."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0][key] = value
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return str(descriptor["resources"][0]["name"])


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "data/../../outside.csv"])
def test_descriptor_paths_that_escape_the_package_are_refused(small_package, tmp_path, path):
    (tmp_path / "outside.csv").write_text("secret\n1\n", encoding="utf-8")
    name = set_in_first_resource(small_package, "path", path)
    with pytest.raises(ilrs_data.ReleaseError, match="points outside the package"):
        ilrs_data.load(name, source=small_package)


@pytest.mark.parametrize("key", ["path", "schema"])
def test_a_descriptor_path_with_a_nul_is_refused_naming_it(small_package, key):
    """The OS refuses such a name with a bare ValueError, even from a stat() of it."""
    name = set_in_first_resource(small_package, key, "data/partners\x00.csv")
    with pytest.raises(ilrs_data.ReleaseError) as raised:
        ilrs_data.load(name, source=small_package)
    assert "'data/partners\\x00.csv' holds a NUL character; fix it in datapackage.json" in str(
        raised.value
    )


@pytest.mark.parametrize("key", ["path", "schema"])
def test_a_descriptor_path_that_is_a_url_says_the_file_belongs_in_the_package(small_package, key):
    """Valid Frictionless, but never fetched: it was called a path pointing outside."""
    name = set_in_first_resource(small_package, key, "https://example.org/partners.csv")
    with pytest.raises(ilrs_data.ReleaseError) as raised:
        ilrs_data.load(name, source=small_package)
    assert "'https://example.org/partners.csv' is a URL; the loader reads only files inside" in (
        str(raised.value)
    )
    assert "put the file in the package folder and give its path there" in str(raised.value)


def test_a_file_url_as_source_says_to_give_its_path(release):
    with pytest.raises(ilrs_data.ReleaseError, match=r"give a file:// address as its path"):
        ilrs_data.load("partners", source=release.as_uri())


def test_zip_whose_descriptor_escapes_is_refused(release, tmp_path):
    with zipfile.ZipFile(release) as archive:
        top = archive.namelist()[0].split("/")[0]
        descriptor = json.loads(archive.read(f"{top}/datapackage.json"))
    descriptor["resources"][0]["schema"] = "../../schemas/partners.json"
    evil = rewrite_zip(
        release, tmp_path / "evil.zip", {"datapackage.json": json.dumps(descriptor).encode()}
    )
    with pytest.raises(ilrs_data.ReleaseError, match="points outside the package"):
        ilrs_data.package(source=evil)


def test_url_source_is_downloaded_once_and_verified(release, server):
    server.publish("/release.zip", release.read_bytes())

    tables = ilrs_data.load_all(source=f"{server.url}/release.zip")

    assert_same_tables(tables, ilrs_data.load_all())
    assert server.requests == ["/SHA256SUMS", "/release.zip"]


def test_plain_http_to_another_machine_is_refused_before_any_connection():
    with pytest.raises(ilrs_data.ReleaseError, match="https only"):
        ilrs_data.load("partners", source="http://example.org/ilrs-data-1.0.0.zip")


def test_version_is_downloaded_once_then_read_from_the_cache_offline(repo_root, tmp_path, server):
    other = make_release(repo_root, tmp_path, OTHER_VERSION)
    server.publish(f"/v{OTHER_VERSION}/ilrs-data-{OTHER_VERSION}.zip", other.read_bytes())

    first = ilrs_data.load("partners", version=OTHER_VERSION)
    assert ilrs_data.package(version=OTHER_VERSION)["version"] == OTHER_VERSION
    assert server.requests == [
        f"/v{OTHER_VERSION}/SHA256SUMS",
        f"/v{OTHER_VERSION}/ilrs-data-{OTHER_VERSION}.zip",
    ]
    assert (
        tmp_path / "cache" / f"ilrs-data-{OTHER_VERSION}.zip"
    ).read_bytes() == other.read_bytes()

    server.stop()
    again = ilrs_data.load_all(version=OTHER_VERSION)

    pd.testing.assert_frame_equal(again["partners"], first)
    assert len(server.requests) == 2


def test_version_cache_defaults_to_xdg_cache_home(repo_root, tmp_path, server, monkeypatch):
    monkeypatch.delenv("ILRS_DATA_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    other = make_release(repo_root, tmp_path, OTHER_VERSION)
    server.publish(f"/v{OTHER_VERSION}/ilrs-data-{OTHER_VERSION}.zip", other.read_bytes())

    ilrs_data.table_names(version=OTHER_VERSION)

    assert (tmp_path / "xdg" / "ilrs-data" / f"ilrs-data-{OTHER_VERSION}.zip").is_file()


def test_bundled_version_never_touches_the_network(server):
    frames = ilrs_data.load_all(version=ilrs_data.__version__)

    assert_same_tables(frames, ilrs_data.load_all())
    assert server.requests == []


def test_corrupt_download_is_refused_and_not_cached(repo_root, tmp_path, server):
    other = make_release(repo_root, tmp_path, OTHER_VERSION)
    with zipfile.ZipFile(other) as archive:
        partners = archive.read(f"ilrs-data-{OTHER_VERSION}/data/partners.csv")
    corrupt = rewrite_zip(other, tmp_path / "corrupt.zip", {"data/partners.csv": partners[:-10]})
    server.publish(f"/v{OTHER_VERSION}/ilrs-data-{OTHER_VERSION}.zip", corrupt.read_bytes())

    with pytest.raises(ilrs_data.ChecksumError, match=r"data/partners\.csv"):
        ilrs_data.load("agreements", version=OTHER_VERSION)
    assert not (tmp_path / "cache" / f"ilrs-data-{OTHER_VERSION}.zip").exists()


def test_download_of_another_version_is_refused(repo_root, tmp_path, server):
    wrong = make_release(repo_root, tmp_path, "9.9.9")
    server.publish(f"/v{OTHER_VERSION}/ilrs-data-{OTHER_VERSION}.zip", wrong.read_bytes())

    with pytest.raises(ilrs_data.ReleaseError, match=r"holds version '9\.9\.9', not '0\.0\.1'"):
        ilrs_data.load("partners", version=OTHER_VERSION)


def test_missing_release_names_the_url_and_status(server):
    with pytest.raises(ilrs_data.ReleaseError, match=r"could not download .*0\.0\.1.*HTTP 404"):
        ilrs_data.load("partners", version=OTHER_VERSION)


FULL_WIDTH = "\uff10.\uff10.\uff11"  # 0.0.1 in the digits a CJK input method types


@pytest.mark.parametrize(
    "version", ["1.0", "../1.0.0", "1.0.0/../../x", "latest", FULL_WIDTH, "v0.0.1", "0.0.1 "]
)
def test_malformed_version_is_refused_before_any_download(server, version):
    with pytest.raises(ilrs_data.ReleaseError, match=r"MAJOR\.MINOR\.PATCH"):
        ilrs_data.load("partners", version=version)
    assert server.requests == []


def test_source_and_version_together_are_refused(release):
    with pytest.raises(ValueError, match="not both"):
        ilrs_data.load("partners", source=release, version=OTHER_VERSION)
