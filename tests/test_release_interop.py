"""The released files work with other tools: frictionless, the legacy datapackage library,
pandas through Parquet, and SQLite with its keys enforced."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import datapackage
import frictionless
import pandas as pd
import pytest

import ilrs_data
from ilrs_pipeline.release.build import build

VERSION = json.loads((Path(__file__).resolve().parents[1] / "datapackage.json").read_text())[
    "version"
]
TABLES = [r["name"] for r in ilrs_data.package(Path(__file__).resolve().parents[1])["resources"]]
STEM = f"ilrs-data-{VERSION}"


@pytest.fixture(scope="module")
def dist(repo_root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(repo_root, out)
    return out


@pytest.fixture(scope="module")
def unpacked(dist, tmp_path_factory) -> Path:
    """The release zip and the Parquet zip unpacked into one folder, as a user would."""
    target = tmp_path_factory.mktemp("release")
    for name in (f"{STEM}.zip", f"{STEM}-parquet.zip"):
        with zipfile.ZipFile(dist / name) as archive:
            archive.extractall(target)
    return target / STEM


@pytest.fixture
def database(dist) -> sqlite3.Connection:
    connection = sqlite3.connect(dist / f"{STEM}.sqlite")
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def test_frictionless_finds_the_release_valid(unpacked):
    report = frictionless.validate(unpacked / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert [task.name for task in report.tasks] == TABLES


def test_frictionless_checks_the_release_hashes(unpacked, tmp_path):
    """The hashes are in a form frictionless understands, so it catches an altered file."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in unpacked.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(unpacked)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(unpacked)).write_bytes(path.read_bytes())
    partners = copy / "data" / "partners.csv"
    partners.write_bytes(partners.read_bytes() + b"\n")

    report = frictionless.validate(copy / "datapackage.json")

    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_legacy_datapackage_reads_the_release_with_its_relations(unpacked):
    package = datapackage.Package(str(unpacked / "datapackage.json"))
    assert package.valid, package.errors
    assert package.resource_names == TABLES
    errors: list[tuple[str, Exception]] = []
    for resource in package.resources:
        rows = resource.read(
            keyed=True,
            relations=True,
            exc_handler=lambda error, *_, name=resource.name: errors.append((name, error)),
        )
        assert len(rows) == len(ilrs_data.load(resource.name)), resource.name
    assert errors == [], errors[:3]


@pytest.mark.parametrize("name", TABLES, ids=TABLES)
def test_parquet_round_trips_to_the_loaders_frame(unpacked, dist, name):
    from_parquet = pd.read_parquet(unpacked / "parquet" / f"{name}.parquet")
    pd.testing.assert_frame_equal(from_parquet, ilrs_data.load(name, source=dist / f"{STEM}.zip"))


@pytest.mark.parametrize("name", TABLES, ids=TABLES)
def test_sqlite_holds_every_row_as_loaded(database, name):
    frame = ilrs_data.load(name)
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
