"""A folder's files as the loader meets them: big ones that pandas reads by path are bounded and
checked like small ones, and what is not a regular file is refused at once, never waited on."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from conftest import NOT_FILES, make_not_a_file, raised_within
from ilrs_data._loader import PARSE_BY_PATH_BYTES

FIELDS = [
    {"name": "code", "type": "string"},
    {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    {"name": "day", "type": "date"},
]


def package(root: Path, body: str, *, declared: int | None = None) -> Path:
    """One table with its sha256 and size in the descriptor, as a release declares them."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "t.csv").write_text(body, encoding="utf-8")
    resource = {
        "name": "t",
        "path": "data/t.csv",
        "schema": {"fields": FIELDS},
        "hash": "sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        "bytes": len(body.encode()) if declared is None else declared,
    }
    descriptor = {"name": "t", "version": "1.0.0", "resources": [resource]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def big_body() -> str:
    """Past the size from which the file is parsed by path (and pandas splits it into chunks),
    with codes that look like numbers, so inference misreads them and they are read again."""
    rows = PARSE_BY_PATH_BYTES // 16 + 1000
    lines = [f"{i:07d},{'ab'[i % 2]},2024-02-{1 + i % 29:02d}\n" for i in range(rows)]
    return "code,kind,day\n" + "".join(lines)


def zipped(root: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, f"t-1.0.0/{path.relative_to(root).as_posix()}")
    return target


def test_a_big_file_read_by_path_equals_the_same_file_read_from_bytes(tmp_path):
    """The folder's big file goes to pandas by path; the zip's member by its bytes: same frame."""
    root = package(tmp_path / "pkg", big_body())
    by_path = ilrs_data.load("t", source=root)
    by_bytes = ilrs_data.load("t", source=zipped(root, tmp_path / "t.zip"))
    pd.testing.assert_frame_equal(by_path, by_bytes)
    assert by_path["code"].iloc[7] == "0000007"
    assert by_path["day"].iloc[28] == pd.Timestamp("2024-02-29")
    assert list(by_path["kind"].cat.categories) == ["a", "b"]


@pytest.mark.parametrize(
    "body", ["code,kind,day\n1,a,2024-01-01\n", big_body()], ids=["small", "big"]
)
def test_a_file_larger_than_its_declared_bytes_is_refused_before_it_is_parsed(tmp_path, body):
    root = package(tmp_path / "pkg", body, declared=20)
    with pytest.raises(ilrs_data.ChecksumError, match="larger than the 20 bytes"):
        ilrs_data.load("t", source=root)


def test_a_big_file_with_a_wrong_value_is_a_checksum_error_when_damaged(tmp_path):
    """Damage that also breaks an enum value is reported as damage, as for bytes in memory."""
    body = big_body()
    root = package(tmp_path / "pkg", body)
    (root / "data" / "t.csv").write_text(body.replace(",a,", ",z,", 1), encoding="utf-8")
    with pytest.raises(ilrs_data.ChecksumError, match=r"checksum failed for data/t\.csv"):
        ilrs_data.load("t", source=root)


@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_table_that_is_no_regular_file_is_refused_at_once(tmp_path, kind):
    root = package(tmp_path / "pkg", "code,kind,day\n")
    make_not_a_file(root / "data" / "t.csv", kind)
    error = raised_within(10, lambda: ilrs_data.load("t", source=root))
    assert isinstance(error, ilrs_data.ReleaseError)
    assert "data/t.csv" in str(error) and "is not a regular file" in str(error)


def test_a_schema_that_is_a_named_pipe_is_refused_at_once(tmp_path):
    root = package(tmp_path / "pkg", "code,kind,day\n")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = "schemas/t.json"
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (root / "schemas").mkdir()
    make_not_a_file(root / "schemas" / "t.json", "named pipe")
    error = raised_within(10, lambda: ilrs_data.load("t", source=root))
    assert isinstance(error, ilrs_data.ReleaseError)
    assert "schemas/t.json" in str(error) and "is not a regular file" in str(error)


def test_a_big_file_whose_chunks_read_a_column_differently_loads_as_written(tmp_path):
    """Codes that look like numbers in the first half and not in the second, so pandas' chunks
    (or parallel readers) see two types: the codes are kept as written, leading zeros too."""
    rows = PARSE_BY_PATH_BYTES // 16 + 1000
    half = rows // 2
    lines = [
        f"{i:07d}," if i < half else f"c{i:06d},"
        for i in range(rows)
    ]  # fmt: skip
    body = "code,kind,day\n" + "".join(f"{line}a,2024-01-01\n" for line in lines)
    frame = ilrs_data.load("t", source=package(tmp_path / "pkg", body))
    assert frame["code"].iloc[7] == "0000007"
    assert frame["code"].iloc[-1] == f"c{rows - 1:06d}"
    assert isinstance(frame["code"].dtype, pd.StringDtype)


@pytest.mark.parametrize("zip_it", [False, True], ids=["by-path", "from-bytes"])
def test_a_big_file_with_a_row_a_cell_short_is_refused_with_its_line(tmp_path, zip_it):
    """The row count runs as a stream over the file pandas read by path, or over the bytes."""
    body = big_body()
    lines = body.count("\n")
    root = package(tmp_path / "pkg", body + "0999999,2024-02-01\n")
    source = zipped(root, tmp_path / "t.zip") if zip_it else root
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=source)
    assert f"the row on line {lines + 1} has 2 cells, the header has 3" in str(raised.value)
