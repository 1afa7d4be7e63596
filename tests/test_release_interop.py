"""The released files work with other tools: frictionless on the zip itself, the legacy
datapackage library, the loader, pandas and DuckDB through Parquet, SQLite with its keys
enforced, and Excel-format readers through the workbook."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import datapackage
import duckdb
import frictionless
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pycountry
import pytest

import ilrs_data
from ilrs_pipeline.release.build import build
from ilrs_pipeline.release.links import is_absolute, link_targets, resolved

REPO = Path(__file__).resolve().parents[1]
VERSION = json.loads((REPO / "datapackage.json").read_text())["version"]
TABLES = [r["name"] for r in ilrs_data.package(REPO)["resources"]]
DERIVED = ["source_links", "countries"]
RELEASED = TABLES + DERIVED
STEM = f"ilrs-data-{VERSION}"


@pytest.fixture(scope="module")
def dist(repo_root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(repo_root, out)
    return out


def unpack(archive_path: Path, target: Path) -> Path:
    with zipfile.ZipFile(archive_path) as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="module")
def unpacked(dist, tmp_path_factory) -> Path:
    """The release zip unpacked, as a user would."""
    return unpack(dist / f"{STEM}.zip", tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="module")
def parquet(dist, tmp_path_factory) -> Path:
    return unpack(dist / f"{STEM}-parquet.zip", tmp_path_factory.mktemp("parquet"))


@pytest.fixture
def database(dist) -> sqlite3.Connection:
    connection = sqlite3.connect(dist / f"{STEM}.sqlite")
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def frames_from_zip(dist: Path) -> dict[str, pd.DataFrame]:
    return ilrs_data.load_all(source=dist / f"{STEM}.zip")


def test_frictionless_opens_and_validates_the_zip_itself(dist):
    report = frictionless.validate(str(dist / f"{STEM}.zip"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert [task.name for task in report.tasks] == RELEASED
    assert frictionless.Package(str(dist / f"{STEM}.zip")).resource_names == RELEASED


def test_frictionless_finds_the_unpacked_release_valid(unpacked):
    report = frictionless.validate(unpacked / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert [task.name for task in report.tasks] == RELEASED


def test_frictionless_checks_the_release_hashes(unpacked, tmp_path):
    """The hashes are in a form frictionless understands, so it catches an altered file."""
    copy = tmp_path / "copy"
    for path in unpacked.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(unpacked)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(unpacked)).write_bytes(path.read_bytes())
    partners = copy / "data" / "partners.csv"
    partners.write_bytes(partners.read_bytes() + b"\n")

    report = frictionless.validate(copy / "datapackage.json")

    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_the_loader_reads_every_table_of_the_zip(dist):
    frames = frames_from_zip(dist)
    assert list(frames) == RELEASED
    for name in TABLES:
        pd.testing.assert_frame_equal(frames[name], ilrs_data.load(name), obj=name)


def test_legacy_datapackage_reads_the_release_with_its_relations(unpacked):
    package = datapackage.Package(str(unpacked / "datapackage.json"))
    assert package.valid, package.errors
    assert package.resource_names == RELEASED
    errors: list[tuple[str, Exception]] = []
    for resource in package.resources:
        rows = resource.read(
            keyed=True,
            relations=True,
            exc_handler=lambda error, *_, name=resource.name: errors.append((name, error)),
        )
        assert len(rows) == len(ilrs_data.load(resource.name, source=unpacked)), resource.name
    assert errors == [], errors[:3]


def test_every_link_in_a_released_document_resolves_or_is_absolute(dist):
    """The link checker: each relative link in each Markdown or HTML file of every zip names a
    file of that zip."""
    checked = 0
    for name in (f"{STEM}.zip", f"{STEM}-parquet.zip"):
        with zipfile.ZipFile(dist / name) as archive:
            present = set(archive.namelist())
            for document in present:
                if not document.endswith((".md", ".html", ".htm")):
                    continue
                for target in link_targets(archive.read(document).decode("utf-8")):
                    checked += 1
                    path = None if is_absolute(target) else resolved(document, target)
                    assert path is None or path in present, f"{name}:{document} -> {target}"
    assert checked > 5  # the README's links were seen


def test_links_to_files_outside_the_release_point_at_the_repository_tag(unpacked, repo_root):
    readme = (unpacked / "README.md").read_text(encoding="utf-8")
    assert "](CONTRIBUTING.md)" in (repo_root / "README.md").read_text(encoding="utf-8")
    assert f"(https://github.com/ilrs-data/ilrs-data/blob/v{VERSION}/CONTRIBUTING.md)" in readme
    assert "](docs/data-dictionary.md)" in readme  # shipped, so left relative


def test_source_links_list_every_cited_source_of_every_row(dist):
    frames = frames_from_zip(dist)
    links = frames["source_links"]
    for resource in ilrs_data.package(REPO)["resources"]:
        key = resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            if "sourceList" not in field.get("x-ilrs", {}):
                continue
            frame = frames[resource["name"]]
            ids = ["/".join(map(str, row)) for row in frame[key].itertuples(index=False)]
            expected = {
                (record, source)
                for record, cell in zip(ids, frame[field["name"]], strict=True)
                if not pd.isna(cell)
                for source in cell.split(";")
            }
            mine = links[
                (links.table_name == resource["name"]) & (links.field_name == field["name"])
            ]
            assert set(zip(mine.record_id, mine.source_id, strict=True)) == expected
            assert len(mine) == len(expected)


def test_countries_name_every_country_code_the_data_uses(dist):
    frames = frames_from_zip(dist)
    used = set(frames["partners"].country_code.dropna())
    countries = frames["countries"].set_index("country_code")
    assert set(countries.index) == used
    for code in used:
        assert countries.loc[code, "name"] == pycountry.countries.get(alpha_3=code).name
    assert countries.region.notna().all()


@pytest.mark.parametrize("name", RELEASED, ids=RELEASED)
def test_parquet_reads_back_as_the_loaders_frame_with_dates_as_dates(parquet, dist, name):
    expected = ilrs_data.load(name, source=dist / f"{STEM}.zip")
    from_parquet = pd.read_parquet(parquet / "parquet" / f"{name}.parquet")
    for column in expected.columns:
        if pd.api.types.is_datetime64_any_dtype(expected[column]):
            kinds = {type(pd.NaT), type(pd.Timestamp(0).date())}
            assert from_parquet[column].map(type).isin(kinds).all(), column
            from_parquet[column] = pd.to_datetime(from_parquet[column]).astype(
                expected[column].dtype
            )
    # Parquet keeps a dictionary's values only in its data pages: an empty table's categorical
    # columns come back without categories. Rows and values still match.
    pd.testing.assert_frame_equal(from_parquet, expected, check_categorical=len(expected) > 0)


@pytest.mark.parametrize("name", RELEASED, ids=RELEASED)
def test_parquet_types_nullability_and_metadata_follow_the_schema(parquet, name):
    resource = next(r for r in ilrs_data.package(parquet)["resources"] if r["name"] == name)
    arrow = pq.read_schema(parquet / "parquet" / f"{name}.parquet")
    for field in resource["schema"]["fields"]:
        required = bool(field.get("constraints", {}).get("required"))
        assert arrow.field(field["name"]).nullable is not required, field["name"]
    metadata = {k.decode(): v.decode() for k, v in arrow.metadata.items()}
    assert metadata["version"] == VERSION
    assert metadata["license"] == "CC-BY-4.0"
    assert metadata["description"] == resource["description"]


def test_duckdb_reads_full_dates_as_date(parquet):
    for resource in ilrs_data.package(REPO)["resources"]:
        path = parquet / "parquet" / f"{resource['name']}.parquet"
        described = duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        types = {row[0]: row[1] for row in described}
        for field in resource["schema"]["fields"]:
            if field.get("type") == "date":
                assert types[field["name"]] == "DATE", (resource["name"], field["name"])
            if field.get("x-ilrs", {}).get("partialDate"):
                assert types[field["name"]] == "VARCHAR", (resource["name"], field["name"])


def test_parquet_zip_carries_readme_licence_and_descriptor(parquet):
    assert {"README.md", "LICENSE-DATA", "CITATION.cff", "datapackage.json"} <= {
        p.name for p in parquet.iterdir()
    }
    descriptor = json.loads((parquet / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == VERSION
    assert [r["path"] for r in descriptor["resources"]] == [
        f"parquet/{name}.parquet" for name in RELEASED
    ]


@pytest.mark.parametrize("name", RELEASED, ids=RELEASED)
def test_sqlite_holds_every_row_as_loaded(database, dist, name):
    frame = ilrs_data.load(name, source=dist / f"{STEM}.zip")
    count = database.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    assert count == len(frame)
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_declares_the_schemas_keys(database):
    for resource in ilrs_data.package()["resources"]:
        schema = resource["schema"]
        key = schema["primaryKey"]
        columns = database.execute(f'PRAGMA table_info("{resource["name"]}")').fetchall()
        declared_key = [row[1] for row in sorted(columns, key=lambda row: row[5]) if row[5]]
        assert declared_key == ([key] if isinstance(key, str) else key), resource["name"]
        foreign = database.execute(f'PRAGMA foreign_key_list("{resource["name"]}")').fetchall()
        assert {(row[2], row[3]) for row in foreign} == {
            (fk["reference"]["resource"] or resource["name"], fk["fields"])
            for fk in schema.get("foreignKeys", [])
        }, resource["name"]


def test_sqlite_enforces_foreign_keys(database):
    payload = database.execute("SELECT * FROM mission_payloads LIMIT 1").fetchone()
    columns = [c[1] for c in database.execute("PRAGMA table_info(mission_payloads)").fetchall()]
    insert = f"INSERT INTO mission_payloads VALUES ({', '.join('?' * len(payload))})"
    mission = columns.index("mission_id")

    database.execute(insert, ("new-payload-x", *payload[1:]))  # valid keys: accepted
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        database.execute(
            insert,
            ("new-payload-y", *payload[1:mission], "no-such-mission", *payload[mission + 1 :]),
        )


def test_sqlite_rejects_a_value_outside_the_enum_and_a_duplicate_key(database):
    partner = database.execute("SELECT * FROM partners LIMIT 1").fetchone()
    columns = [c[1] for c in database.execute("PRAGMA table_info(partners)").fetchall()]
    marks = ", ".join("?" * len(partner))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        database.execute(f"INSERT INTO partners VALUES ({marks})", partner)
    kind = columns.index("kind")
    bad = ("new-partner-x", *partner[1:kind], "planet", *partner[kind + 1 :])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        database.execute(f"INSERT INTO partners VALUES ({marks})", bad)


def test_sqlite_metadata_says_version_licence_and_citation(database, repo_root):
    metadata = dict(database.execute("SELECT key, value FROM metadata").fetchall())
    descriptor = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    assert metadata["version"] == descriptor["version"]
    assert metadata["licence"] == descriptor["licenses"][0]["name"]
    assert descriptor["title"] in metadata["citation"]
    assert VERSION in metadata["citation"]


def test_sqlite_fields_describe_every_column(database):
    described = {
        (table, field): description
        for table, field, description in database.execute(
            "SELECT table_name, field_name, description FROM fields"
        )
    }
    for resource in ilrs_data.package(REPO)["resources"]:
        for field in resource["schema"]["fields"]:
            assert described[(resource["name"], field["name"])] == field.get("description")


def test_sqlite_partial_dates_view_gives_each_dates_precision(database):
    rows = database.execute(
        "SELECT table_name, record_id, field_name, value, precision, first_day, last_day "
        "FROM partial_dates"
    ).fetchall()
    expected = 0
    for resource in ilrs_data.package(REPO)["resources"]:
        frame = ilrs_data.load(resource["name"])
        for field in resource["schema"]["fields"]:
            if field.get("x-ilrs", {}).get("partialDate"):
                expected += int(frame[field["name"]].notna().sum())
    assert len(rows) == expected
    precisions = {"year": 4, "month": 7, "day": 10}
    for _table, _record, _field, value, precision, first, last in rows:
        assert len(value) == precisions[precision]
        assert first.startswith(value) and last.startswith(value)
        assert pd.Timestamp(first) <= pd.Timestamp(last)
        if precision == "month":
            assert (pd.Timestamp(last) + pd.Timedelta(days=1)).day == 1


def test_workbook_has_a_sheet_per_table_readme_and_dictionary(dist):
    book = openpyxl.load_workbook(dist / f"{STEM}.xlsx")
    assert book.sheetnames == ["README", "data dictionary", *RELEASED]
    dictionary = list(book["data dictionary"].iter_rows(min_row=2, values_only=True))
    schemas = {r["name"]: r["schema"] for r in ilrs_data.package(dist / f"{STEM}.zip")["resources"]}
    assert [(row[0], row[1]) for row in dictionary] == [
        (name, field["name"]) for name, schema in schemas.items() for field in schema["fields"]
    ]
    readme = " ".join(
        str(cell) for row in book["README"].iter_rows(values_only=True) for cell in row
    )
    assert VERSION in readme and "CC-BY-4.0" in readme


@pytest.mark.parametrize("name", RELEASED, ids=RELEASED)
def test_workbook_sheets_hold_text_as_text_and_freeze_and_filter_the_header(dist, name):
    book = openpyxl.load_workbook(dist / f"{STEM}.xlsx")
    sheet = book[name]
    frame = ilrs_data.load(name, source=dist / f"{STEM}.zip")
    schema = next(
        r for r in ilrs_data.package(dist / f"{STEM}.zip")["resources"] if r["name"] == name
    )["schema"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(frame.columns)
    assert len(rows) == len(frame) + 1
    for index, field in enumerate(schema["fields"]):
        cells = [row[index] for row in rows[1:]]
        values = frame[field["name"]]
        if field.get("type", "string") == "string":
            assert cells == [None if pd.isna(v) else str(v) for v in values], field["name"]
        if field.get("type") == "date":
            assert [None if c is None else pd.Timestamp(c) for c in cells] == [
                None if pd.isna(v) else v for v in values
            ]
