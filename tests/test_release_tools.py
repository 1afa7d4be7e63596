"""The release opened by the tools people browse it with, as subprocesses: Datasette serving the
SQLite with its metadata on 127.0.0.1, and LibreOffice converting the workbook headless."""

from __future__ import annotations

import html
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.release.build import build

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
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
