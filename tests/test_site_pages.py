"""Site pages without a browser: citation, release file list, links between tables, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.render.headlines import headlines
from ilrs_pipeline.site.build import SiteError, build_site, read_citation
from ilrs_pipeline.site.pages import ReleaseFile, citation_text, downloads_body, size_words
from ilrs_pipeline.site.table import data_table, renderers, row_key

REPO_ROOT = Path(__file__).resolve().parents[1]


def resource(name: str) -> dict:
    return next(r for r in ilrs_data.package(REPO_ROOT)["resources"] if r["name"] == name)


def test_citation_names_version_year_and_title():
    citation = read_citation(REPO_ROOT)
    reference, bibtex = citation_text(citation, "1.2.3", 2026)
    assert reference.startswith("ilrs-data contributors (2026). ")
    assert f"{citation['title']} (Version 1.2.3) [Data set]." in reference
    assert bibtex.startswith("@misc{ilrs_data_1_2_3,\n")
    assert "  version = {1.2.3}" in bibtex
    assert bibtex.endswith("\n}")


def test_release_files_are_listed_with_checksum_and_kind(tmp_path):
    (tmp_path / "ilrs-data-1.0.0.zip").write_bytes(b"zip")
    (tmp_path / "ilrs-data-1.0.0-parquet.zip").write_bytes(b"parquet")
    (tmp_path / "SHA256SUMS").write_text("sums")
    files = [ReleaseFile.of(path) for path in sorted(tmp_path.iterdir())]
    kinds = {f.name: f.description for f in files}
    assert kinds["ilrs-data-1.0.0.zip"].startswith("The data package")
    assert "Parquet" in kinds["ilrs-data-1.0.0-parquet.zip"]
    page = downloads_body("1.0.0", files)
    assert page.index("ilrs-data-1.0.0.zip") < page.index('href="downloads/SHA256SUMS"')
    assert ReleaseFile.of(tmp_path / "SHA256SUMS").sha256 in page  # sha256 of b"sums"


@pytest.mark.parametrize(
    ("size", "words"), [(512, "512 bytes"), (75_000, "73 KB"), (3_500_000, "3.3 MB")]
)
def test_sizes_read_naturally(size, words):
    assert size_words(size) == words


def test_references_become_links_to_the_rows_they_name():
    """A foreign key links to its row, each source id to the sources page, a URL to itself."""
    descriptor = ilrs_data.package(REPO_ROOT)
    links = renderers(resource("partners"), descriptor)
    assert links["joined_agreement_id"]("2021-ilrs-mou", {}) == (
        '<a href="agreements.html#2021-ilrs-mou">2021-ilrs-mou</a>'
    )
    assert links["source_ids"]("a;b", {}) == (
        '<a href="sources.html#a">a</a> <a href="sources.html#b">b</a>'
    )
    assert 'href="https://example.org/?a=1&amp;b=2"' in renderers(resource("sources"), descriptor)[
        "url"
    ]("https://example.org/?a=1&b=2", {})
    record = renderers(resource("discrepancies"), descriptor)["record_id"]
    assert record("x/y", {"table_name": "agreement_parties"}) == (
        '<a href="agreement_parties.html#x/y">x/y</a>'
    )


def test_rows_carry_their_key_as_anchor_and_text_is_escaped():
    """Two-field keys join with '/', as discrepancies cite them; cell text is HTML-escaped."""
    parties = ilrs_data.load("agreement_parties", REPO_ROOT)
    keys = row_key(parties, ["agreement_id", "partner_id"])
    assert keys.iloc[0] == f"{parties['agreement_id'].iloc[0]}/{parties['partner_id'].iloc[0]}"
    frame = ilrs_data.load("missions", REPO_ROOT).head(1).copy()
    frame["notes"] = "<b>bold</b> & more"
    html = data_table(resource("missions"), frame, ilrs_data.package(REPO_ROOT))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert f'id="{frame["mission_id"].iloc[0]}"' in html


def test_headline_figures_count_the_tables():
    tables = ilrs_data.load_all(REPO_ROOT)
    numbers = headlines(ilrs_data.package(REPO_ROOT), tables)
    partners = tables["partners"]
    assert numbers[0].figure == int(partners["status"].isin(["founder", "member"]).sum())
    assert numbers[-1].figure == len(tables["sources"])


def test_the_site_never_replaces_a_folder_that_is_not_a_site(tmp_path):
    """Pointing --out at a folder of other files stops before anything is built or deleted."""
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    with pytest.raises(SiteError, match="refusing"):
        build_site(REPO_ROOT, tmp_path)
    assert keep.read_text() == "mine"
