"""The release opened by the tools people browse it with, as subprocesses: Datasette serving the
SQLite with its metadata on 127.0.0.1, LibreOffice converting the workbook headless, and R
reading the CSVs the way the README tells R users to."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.release.build import build

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
VERSION = json.loads((REPO / "datapackage.json").read_text())["version"]
STEM = f"ilrs-data-{VERSION}"
ODF = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


@pytest.fixture(scope="module")
def dist(repo_root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(repo_root, out)
    return out


def required_tool(command: str, required_by: str, missing: str) -> str:
    """The tool's path; skip when it is missing, or fail when the variable `required_by` is 1,
    as CI sets it, so a missing tool cannot pass unnoticed."""
    found = shutil.which(command)
    if found is None:
        if os.environ.get(required_by) == "1":
            pytest.fail(f"{required_by}=1 but {missing}")
        pytest.skip(missing)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture
def datasette(dist, tmp_path):
    pytest.importorskip("datasette")
    port = free_port()
    log = (tmp_path / "datasette.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(dist / f"{STEM}.sqlite"),
         "-m", str(dist / f"{STEM}-datasette.json"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail((tmp_path / "datasette.log").read_text())
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_datasette_serves_every_table_with_its_metadata(datasette):
    from datasette.utils import tilde_encode  # noqa: PLC0415 - only where datasette is installed

    database = tilde_encode(STEM)  # Datasette's route for a name with dots
    metadata = json.loads(fetch(datasette + "/-/metadata.json"))
    assert metadata["license"] == "CC-BY-4.0"
    assert metadata["source_url"] == "https://github.com/ilrs-data/ilrs-data"
    home = fetch(datasette + "/").decode()
    assert "CC-BY-4.0" in home and "https://github.com/ilrs-data/ilrs-data" in home
    for resource in ilrs_data.package(REPO)["resources"]:
        name = resource["name"]
        count = urllib.parse.quote(f'SELECT count(*) AS n FROM "{name}"')
        rows = json.loads(fetch(f"{datasette}/{database}.json?sql={count}&_shape=array"))
        # counted by SQL: a table page holds at most 1,000 rows
        assert rows[0]["n"] == len(ilrs_data.load(name)), name
        page = html.unescape(fetch(f"{datasette}/{database}/{name}").decode())
        assert resource["title"] in page, name
        assert resource["description"].split(",")[0] in page, name
    links = json.loads(fetch(f"{datasette}/{database}/source_links.json?_shape=array&_size=1"))
    assert set(links[0]) >= {"table_name", "record_id", "source_id"}


def odf_sheets(path: Path) -> dict[str, list[list[tuple[str | None, str]]]]:
    """Each sheet of a flat ODF spreadsheet as rows of (value type, text) cells."""
    sheets = {}
    for table in ET.parse(path).getroot().iter(f"{{{ODF['table']}}}table"):
        rows = []
        for row in table.iter(f"{{{ODF['table']}}}table-row"):
            cells = []
            for cell in row:
                repeat = int(cell.get(f"{{{ODF['table']}}}number-columns-repeated", "1"))
                kind = cell.get(f"{{{ODF['office']}}}value-type")
                text = "".join("".join(p.itertext()) for p in cell.iter(f"{{{ODF['text']}}}p"))
                cells += [(kind, text)] * min(repeat, 64)
            rows.append(cells)
        sheets[table.get(f"{{{ODF['table']}}}name")] = rows
    return sheets


def test_libreoffice_keeps_every_name_and_reads_partial_dates_as_text(dist, tmp_path):
    soffice = required_tool(
        "soffice", "ILRS_REQUIRE_LIBREOFFICE",
        "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
    )  # fmt: skip
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "fods", "--outdir", str(tmp_path), str(dist / f"{STEM}.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    sheets = odf_sheets(tmp_path / f"{STEM}.fods")
    checked_names = 0
    for resource in ilrs_data.package(dist / f"{STEM}.zip")["resources"]:
        frame = ilrs_data.load(resource["name"], source=dist / f"{STEM}.zip")
        rows = sheets[resource["name"]]
        header = [text for _, text in rows[0]]
        for field in resource["schema"]["fields"]:
            index = header.index(field["name"])
            cells = [
                row[index] if index < len(row) else (None, "") for row in rows[1 : len(frame) + 1]
            ]
            if field.get("type", "string") == "string":
                column = frame[field["name"]]
                expected = [str(value) if present else "" for value, present in
                            zip(column, column.notna(), strict=True)]  # fmt: skip
                assert [text for _, text in cells] == expected, (resource["name"], field["name"])
                assert {kind for kind, text in cells if text} <= {"string"}, field["name"]
                checked_names += sum(not text.isascii() for _, text in cells)
    assert checked_names > 0  # some names are non-ASCII, and survived


def readme_r_call(path: str) -> str:
    """The R line the README gives for reading a table, aimed at `path`: the test runs what
    users are told to run."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r'`(read\.csv\("data/partners\.csv"[^`]*)`', readme)
    assert found, "README.md no longer shows the read.csv line for R users"
    return found.group(1).replace('"data/partners.csv"', json.dumps(path))


# Writes a frame back as UTF-8 CSV, every cell quoted: write.csv in the C locale would write
# non-ASCII characters as <U+975E>.
R_WRITE_BACK = r"""
write_back <- function(d, path) {
  cell <- function(x) {
    x <- enc2utf8(as.character(x))
    ifelse(is.na(x), "", paste0('"', gsub('"', '""', x), '"'))
  }
  cells <- c(list(paste0('"', names(d), '"')), lapply(seq_len(nrow(d)), function(i) {
    vapply(d[i, , drop = FALSE], cell, "")
  }))
  con <- file(path, "wb")
  writeLines(vapply(cells, paste, "", collapse = ","), con, sep = "\n", useBytes = TRUE)
  close(con)
}
"""


def r_round_trip(tables: list[Path], out: Path) -> None:
    """Each table read by R with the README's line and written back beside `out`, in the C
    locale (the least forgiving: R then holds the text as UTF-8 only because the line says so,
    and enc2utf8 garbles what it holds otherwise)."""
    rscript = required_tool(
        "Rscript", "ILRS_REQUIRE_R", "R is not installed (apt-get install r-base-core)"
    )
    out.mkdir()
    script = R_WRITE_BACK + "\n".join(
        f"write_back({readme_r_call(str(table))}, {json.dumps(str(out / table.name))})"
        for table in tables
    )
    subprocess.run(
        [rscript, "--vanilla", "-e", script], check=True, capture_output=True, timeout=300,
        env={**os.environ, "LC_ALL": "C", "LANG": "C"},
    )  # fmt: skip


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_r_reads_every_released_table_as_written_with_the_readme_line(dist, tmp_path):
    with zipfile.ZipFile(dist / f"{STEM}.zip") as archive:
        archive.extractall(tmp_path / "release")
    release = tmp_path / "release"
    tables = [release / r["path"] for r in ilrs_data.package(release)["resources"]]
    r_round_trip(tables, tmp_path / "from-r")
    for table in tables:
        assert rows(tmp_path / "from-r" / table.name) == rows(table), table.name


def test_r_keeps_cells_that_look_like_numbers_logicals_or_na_as_written(tmp_path):
    """Today's tables hold only text and dates; the README's line must also keep what a later
    row may hold: ids with leading zeros, TRUE or F, 1e5, padded cells, NA as a word."""
    awkward = FIXTURES / "r" / "awkward.csv"
    r_round_trip([awkward], tmp_path / "from-r")
    assert rows(tmp_path / "from-r" / awkward.name) == rows(awkward)
