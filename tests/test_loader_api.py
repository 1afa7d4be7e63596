"""The cache can be found, listed and cleared; settings come from the environment."""

from __future__ import annotations

import pytest

import ilrs_data
from loader_helpers import make_release

VERSION = "0.0.6"


def test_versions_lists_the_bundled_and_the_cached_ones_and_clear_cache_empties_it(
    repo_root, tmp_path, server
):
    release = make_release(repo_root, tmp_path, VERSION)
    server.publish(f"/v{VERSION}/ilrs-data-{VERSION}.zip", release.read_bytes())
    assert ilrs_data.versions() == {ilrs_data.__version__: "bundled"}

    ilrs_data.load("partners", version=VERSION)

    cached = tmp_path / "cache" / f"ilrs-data-{VERSION}.zip"
    assert ilrs_data.cache_dir() == tmp_path / "cache"
    assert ilrs_data.versions() == {VERSION: str(cached), ilrs_data.__version__: "bundled"}
    assert ilrs_data.clear_cache() == [cached, cached.with_name(cached.name + ".sha256")]
    assert ilrs_data.versions() == {ilrs_data.__version__: "bundled"}

    ilrs_data.load("partners", version=VERSION)  # downloaded again
    assert server.requests.count(f"/v{VERSION}/ilrs-data-{VERSION}.zip") == 2
    assert ilrs_data.clear_cache(version="9.9.9") == []
    assert cached.is_file()


def test_a_pin_for_a_folder_is_refused(repo_root):
    with pytest.raises(ilrs_data.ReleaseError, match="a folder has no single hash"):
        ilrs_data.load("partners", source=repo_root, sha256="0" * 64)


def test_a_malformed_pin_is_refused():
    with pytest.raises(ilrs_data.ReleaseError, match="64 hex digits"):
        ilrs_data.load("partners", version=VERSION, sha256="abc")


@pytest.mark.parametrize("version", ["**", "0.3", "/etc/x", "\uff10.\uff13.\uff10"])
def test_clear_cache_refuses_what_is_no_version(version):
    """glob took it as a pattern: "**" raised a bare ValueError, "0.3" removed nothing."""
    with pytest.raises(ilrs_data.ReleaseError, match=r"takes a version like 1\.2\.0 .*; got"):
        ilrs_data.clear_cache(version)
