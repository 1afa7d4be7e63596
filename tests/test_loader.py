"""The loader: dtypes from the schemas, values as written, errors that name what exists."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data

DESCRIPTOR = json.loads((Path(__file__).resolve().parents[1] / "datapackage.json").read_text())
RESOURCES = [resource["name"] for resource in DESCRIPTOR["resources"]]


def raw_rows(root: Path, name: str) -> list[dict[str, str]]:
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
    with (root / resource["path"]).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def schema_fields(name: str) -> list[dict]:
    return next(r for r in ilrs_data.package()["resources"] if r["name"] == name)["schema"][
        "fields"
    ]


def test_version_is_the_descriptors():
    assert ilrs_data.__version__ == DESCRIPTOR["version"]
    assert importlib.metadata.version("ilrs-data") == DESCRIPTOR["version"]


def test_load_all_returns_every_table_in_descriptor_order():
    assert list(ilrs_data.load_all()) == RESOURCES


def test_unknown_table_raises_value_error_naming_the_tables():
    with pytest.raises(ValueError, match="no-such-table") as raised:
        ilrs_data.load("no-such-table")
    for name in RESOURCES:
        assert name in str(raised.value)
    assert isinstance(raised.value, ilrs_data.ReleaseError)


def test_a_typo_gets_the_closest_table_name():
    with pytest.raises(ilrs_data.UnknownTableError, match="did you mean 'partners'"):
        ilrs_data.load("partnres")


def test_text_columns_merge_with_plain_read_csv_frames_keeping_their_dtype(repo_root):
    """The text dtype is the one plain read_csv gives, so a merge key stays text (not object)."""
    plain = pd.read_csv(repo_root / "data" / "partner_events.csv", keep_default_na=False)
    loaded = ilrs_data.load("partners")
    if isinstance(plain["partner_id"].dtype, pd.StringDtype):  # pandas 3
        assert loaded["partner_id"].dtype == plain["partner_id"].dtype
        merged = loaded.merge(plain, on="partner_id")
        assert merged["partner_id"].dtype == plain["partner_id"].dtype
    else:  # pandas 2: plain text is object; the loader's is typed
        assert loaded["partner_id"].dtype == pd.StringDtype()
    assert len(loaded.merge(plain, on="partner_id")) > 0


def test_frames_carry_table_version_and_source(repo_root):
    frame = ilrs_data.load("missions")
    assert frame.attrs["table"] == "missions"
    assert frame.attrs["version"] == DESCRIPTOR["version"]
    assert frame.attrs["source"] == str(ilrs_data._descriptor.bundled_root())


@pytest.mark.parametrize("name", RESOURCES, ids=RESOURCES)
def test_dtypes_follow_the_schema(name):
    """Each column's dtype is the one its schema field implies."""
    frame = ilrs_data.load(name)
    fields = schema_fields(name)
    assert list(frame.columns) == [field["name"] for field in fields]
    for field in fields:
        dtype = frame[field["name"]].dtype
        enum = field.get("constraints", {}).get("enum")
        if enum is not None:
            assert isinstance(dtype, pd.CategoricalDtype), field["name"]
            assert list(dtype.categories) == enum, field["name"]
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), field["name"]
        else:
            assert isinstance(dtype, pd.StringDtype), field["name"]


@pytest.mark.parametrize("name", RESOURCES, ids=RESOURCES)
def test_cells_load_as_written_and_empty_cells_as_missing(name, repo_root):
    """No value is altered by type inference, and only empty cells become NA."""
    frame = ilrs_data.load(name)
    rows = raw_rows(repo_root, name)
    assert len(frame) == len(rows)
    for field in schema_fields(name):
        column = field["name"]
        written = pd.Series([row[column] for row in rows], dtype="string")
        assert frame[column].isna().tolist() == (written == "").tolist(), column
        loaded = frame[column][frame[column].notna()]
        if field["type"] == "date":
            loaded = loaded.dt.strftime("%Y-%m-%d")
        assert loaded.astype("string").tolist() == written[written != ""].tolist(), column


def test_wheel_ships_the_working_tree_data(repo_root):
    shipped = ilrs_data._descriptor.bundled_root()
    if shipped.resolve() == repo_root.resolve():
        pytest.skip("an editable install reads the repository itself: nox -s tests builds a wheel")
    for resource in DESCRIPTOR["resources"]:
        assert (shipped / resource["path"]).read_bytes() == (
            repo_root / resource["path"]
        ).read_bytes()


def test_import_needs_neither_frictionless_nor_great_expectations():
    probe = (
        "import sys, ilrs_data; "
        "print(sorted(m for m in ('frictionless', 'great_expectations') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_every_table_schema_type_maps_to_its_dtype(tmp_path):
    """Integer, number, boolean, date and text fields, with declared missing values."""
    schema = {
        "fields": [
            {"name": "code", "type": "string"},
            {"name": "count", "type": "integer"},
            {"name": "share", "type": "number"},
            {"name": "active", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
            {"name": "day", "type": "date"},
            {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
        ],
        "missingValues": ["", "n/a"],
    }
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text(
        "code,count,share,active,day,kind\n007,3,0.5,yes,2021-03-09,a\nn/a,n/a,,no,,b\n",
        encoding="utf-8",
    )
    descriptor = {
        "name": "t",
        "version": "1.0.0",
        "resources": [{"name": "t", "path": "data/t.csv", "schema": schema}],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    frame = ilrs_data.load("t", source=tmp_path)

    assert isinstance(frame["code"].dtype, pd.StringDtype)
    assert frame["code"].tolist()[0] == "007"
    assert frame["count"].dtype == "Int64"
    assert frame["share"].dtype == "Float64"
    assert frame["active"].dtype == "boolean"
    assert frame["active"].tolist() == [True, False]
    assert pd.api.types.is_datetime64_dtype(frame["day"].dtype)
    assert frame["day"].iloc[0] == pd.Timestamp("2021-03-09")
    assert frame.iloc[1][["code", "count", "share", "day"]].isna().all()
    assert list(frame["kind"].cat.categories) == ["a", "b"]
