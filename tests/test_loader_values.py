"""Values against their fields, in whatever install runs the tests: with pyarrow (`nox -s
tests`) enums and dates take pyarrow's path, in the light install (`nox -s light`, pandas alone,
the oldest and the newest supported) numpy's. Needs only ilrs_data, pandas and pytest."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pandas as pd
import pytest

import ilrs_data
from conftest import tiny_package

BAD_DATES = [
    "2023-02-29",  # no such day
    "2024-6-1",  # unpadded
    " 2024-06-01",  # a leading space
    "2024",  # a year: partial dates belong in text fields
    "2024-06",
    "2024-06-01T00:00",
    "12024-01-01",
    "NaT",
    "20240601",
]
GOOD_DATES = ["2024-02-29", "0001-01-01", "9999-12-31"]
DATE_FIELDS = [{"name": "k"}, {"name": "v", "type": "date"}]


@pytest.mark.parametrize("cell", BAD_DATES)
def test_a_date_field_refuses_all_but_yyyy_mm_dd_of_a_real_day(tmp_path, cell):
    root = tiny_package(tmp_path / "pkg", DATE_FIELDS, f'k,v\nx,\ny,"{cell}"\n')
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    expected = f"table t, column v: 1 value(s) is not a date written YYYY-MM-DD (row 2: {cell!r})"
    assert expected in str(raised.value)


@pytest.mark.parametrize("cell", GOOD_DATES)
def test_a_date_field_takes_any_real_day_and_an_empty_cell(tmp_path, cell):
    root = tiny_package(tmp_path / "pkg", DATE_FIELDS, f"k,v\nx,\ny,{cell}\n")
    column = ilrs_data.load("t", source=root)["v"]
    assert pd.api.types.is_datetime64_dtype(column.dtype)
    assert pd.isna(column.iloc[0])
    assert column.iloc[1].date() == dt.date.fromisoformat(cell)


@pytest.mark.parametrize(
    ("kind", "fmt", "cell", "words"),
    [
        ("date", "%d/%m/%Y", "31/02/2024", "a date written %d/%m/%Y"),
        ("datetime", "%d/%m/%Y %H:%M", "2024-01-01T10:00", "a date and time written %d/%m/%Y"),
    ],
)
def test_a_value_outside_a_fields_own_format_is_named_with_that_format(
    tmp_path, kind, fmt, cell, words
):
    """It was said not to be YYYY-MM-DD, the default the field does not use."""
    fields = [{"name": "k"}, {"name": "v", "type": kind, "format": fmt}]
    root = tiny_package(tmp_path / "pkg", fields, f"k,v\nx,{cell}\n")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    assert f"column v: 1 value(s) is not {words}" in str(raised.value)


def test_an_enum_of_numbers_matches_the_numbers_as_written(tmp_path):
    fields = [{"name": "k"}, {"name": "v", "type": "integer", "constraints": {"enum": [1, 2]}}]
    root = tiny_package(tmp_path / "pkg", fields, "k,v\nx,2\ny,\nz,1\n")
    column = ilrs_data.load("t", source=root)["v"]
    assert list(column.cat.categories) == [1, 2]
    assert column.tolist()[0] == 2 and pd.isna(column.tolist()[1]) and column.tolist()[2] == 1


def test_every_value_outside_the_enum_is_counted_and_the_first_shown(tmp_path):
    fields = [{"name": "k"}, {"name": "v", "constraints": {"enum": ["a", "b"]}}]
    csv = "k,v\n" + "".join(f"r{i},{'c' if i % 2 else 'a'}\n" for i in range(10))
    root = tiny_package(tmp_path / "pkg", fields, csv)
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    message = str(raised.value)
    assert "column v: 5 value(s) is not one of: a, b" in message
    assert "(row 2: 'c', row 4: 'c', row 6: 'c' and 2 more)" in message


@pytest.mark.parametrize(
    ("field", "cell", "words"),
    [
        ({"name": "v", "type": "integer"}, "seven", "is not a whole number"),
        ({"name": "v", "type": "number"}, "1,5", "is not a number"),
        ({"name": "v", "type": "boolean"}, "yes", "is not one of: true"),
        ({"name": "v", "type": "datetime"}, "noon", "is not a date and time"),
        ({"name": "v", "type": "string", "constraints": {"enum": ["a"]}}, "b", "is not one of: a"),
    ],
    ids=["integer", "number", "boolean", "datetime", "enum"],
)
def test_a_value_that_does_not_fit_its_type_is_named(tmp_path, field, cell, words):
    root = tiny_package(tmp_path / "pkg", [{"name": "k", "type": "string"}, field], "")
    (root / "data" / "t.csv").write_text(f'k,v\nx,\ny,"{cell}"\n', encoding="utf-8")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    assert f"table t, column v: 1 value(s) {words}" in str(raised.value)
    assert f"row 2: {cell!r}" in str(raised.value)


@pytest.mark.parametrize("kind", ["integer", "number", "year"])
@pytest.mark.parametrize("cells", [["True", "False"], ["true", ""], ["FALSE", "FALSE"]])
def test_true_and_false_in_a_number_field_are_refused_not_made_1_and_0(tmp_path, kind, cells):
    """pandas reads a column of only True/False as booleans; as numbers they would be 1 and 0."""
    fields = [{"name": "k"}, {"name": "v", "type": kind}]
    root = tiny_package(tmp_path / "pkg", fields, f"k,v\nx,{cells[0]}\ny,{cells[1]}\n")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    words = "a number" if kind == "number" else "a whole number"
    assert "table t, column v: " in str(raised.value)
    assert f"is not {words} (row 1: {cells[0]!r}" in str(raised.value)


def test_a_header_that_differs_from_the_schema_is_named(tmp_path):
    root = tiny_package(tmp_path / "pkg", [{"name": "a"}, {"name": "b"}], "a,c\n1,2\n")
    with pytest.raises(ilrs_data.TableValueError, match="header is a, c; its schema says a, b"):
        ilrs_data.load("t", source=root)


def test_text_that_is_not_utf8_is_named(tmp_path):
    root = tiny_package(tmp_path / "pkg", [{"name": "a"}], "")
    (root / "data" / "t.csv").write_bytes(b"a\n\xff\xfe\n")
    with pytest.raises(ilrs_data.TableValueError, match="table t: the file is not UTF-8"):
        ilrs_data.load("t", source=root)


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        (["x,a,9"], 2),  # every row long: pandas would take column k as the index
        (["x,a,9", "y,b"], 2),
        (["x,a", "y,b,9"], 3),
    ],
    ids=["every-row", "first-row", "a-later-row"],
)
def test_a_row_with_a_cell_too_many_is_refused_with_its_line(tmp_path, rows, line):
    """Never a frame whose columns slid by one under a header that still matches."""
    fields = [{"name": "k"}, {"name": "s"}]
    root = tiny_package(tmp_path / "pkg", fields, "k,s\n" + "\n".join(rows) + "\n")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    assert f"table t: the row on line {line} has 3 cells, the header has 2" in str(raised.value)


@pytest.mark.parametrize(
    ("rows", "line", "cells"),
    [
        (["x,a,2024-01-01", "y,2024-01-02"], 3, 2),  # the date slid into s, d was left empty
        (["x", "y,b,2024-01-02"], 2, 1),
        (["x,a,2024-01-01", "", "y,b"], 4, 2),  # a blank line is no row, but it is a line
        (['x,"a\nb"', "y,b,2024-01-02"], 3, 2),  # a quoted line break: the row ends on line 3
    ],
    ids=["middle-cell-lost", "first-row", "after-a-blank-line", "quoted-line-break"],
)
def test_a_row_with_a_cell_too_few_is_refused_with_its_line(tmp_path, rows, line, cells):
    """Never a frame whose cells slid left into the wrong columns, the last one made missing."""
    fields = [{"name": "k"}, {"name": "s"}, {"name": "d", "type": "date"}]
    root = tiny_package(tmp_path / "pkg", fields, "k,s,d\n" + "\n".join(rows) + "\n")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    expected = f"table t: the row on line {line} has {cells} cells, the header has 3; write every"
    assert expected in str(raised.value)


@pytest.mark.parametrize("missing", [["NA"], []])
def test_a_short_row_is_refused_when_missing_values_leave_empty_cells_text(tmp_path, missing):
    """pandas fills the lost cell with "", which is then a value, not a missing one."""
    fields = [{"name": "k"}, {"name": "s"}, {"name": "n"}]
    root = tiny_package(tmp_path / "pkg", fields, "k,s,n\nx,a,note\ny,b\n")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["missingValues"] = missing
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(ilrs_data.TableValueError, match="the row on line 3 has 2 cells, the he"):
        ilrs_data.load("t", source=root)


# Files whose layout the two row counters (pyarrow's, when installed, then the csv module's)
# could read differently: each case is (body after the header, line of the short row or None).
TRICKY_LAYOUTS = {
    "quoted-comma-and-line-break": ('x,"a, b\nc",\ny,b\n', 4),
    "doubled-quotes": ('x,"say ""hi""",\ny,b,\nz\n', 4),
    "quote-inside-unquoted-cell": ('x,ab"c,\ny\n', 3),
    "crlf": ("x,a,\r\ny\r\n", 3),
    "lone-cr": ("x,a,\ry,b,\rz\r", 4),
    "a-line-of-spaces-and-tabs-is-blank": ("x,a,\n \t \ny,b,\nz,c,\n", None),
    "a-line-of-a-no-break-space-is-not": ("x,a,\n\u00a0\n", 3),
    "no-final-newline": ("x,a,\ny", 3),
    "quoted-empty-cells": ('x,"",""\ny,""\n', 3),
    "all-whole": ('x,"a\n\nb",\n"y",b,\n\nz,c,\n', None),
}


@pytest.mark.parametrize("body, line", TRICKY_LAYOUTS.values(), ids=TRICKY_LAYOUTS.keys())
def test_short_rows_are_found_in_every_layout_and_whole_ones_load(tmp_path, body, line):
    """The last column has empty cells in each file, so its rows are counted; a short row is
    refused with its line, whichever counter runs, and a file of whole rows loads."""
    fields = [{"name": "k"}, {"name": "s"}, {"name": "n"}]
    root = tiny_package(tmp_path / "pkg", fields, "k,s,n\n" + body)
    if line is None:
        assert ilrs_data.load("t", source=root)["k"].tolist() == ["x", "y", "z"]
        return
    with pytest.raises(ilrs_data.TableValueError, match=f"the row on line {line} has "):
        ilrs_data.load("t", source=root)


def test_a_short_row_after_a_cell_longer_than_the_csv_modules_limit_is_found(tmp_path):
    """The csv module, which names the row's line, refuses cells over 128 KiB by default."""
    fields = [{"name": "k"}, {"name": "s"}, {"name": "n"}]
    body = f'x,"{"long text " * 20_000}",\ny,b\n'
    root = tiny_package(tmp_path / "pkg", fields, "k,s,n\n" + body)
    before = csv.field_size_limit(128 * 1024)  # the default; another library may raise it
    try:
        with pytest.raises(ilrs_data.TableValueError, match="the row on line 3 has 2 cells"):
            ilrs_data.load("t", source=root)
        assert csv.field_size_limit() == 128 * 1024  # left as it was
    finally:
        csv.field_size_limit(before)


def test_empty_last_cells_are_missing_values_not_short_rows(tmp_path):
    fields = [{"name": "k"}, {"name": "s"}]
    frame = ilrs_data.load("t", source=tiny_package(tmp_path / "pkg", fields, "k,s\nx,\ny,b\n"))
    assert frame["k"].tolist() == ["x", "y"]
    assert pd.isna(frame["s"].iloc[0])
    assert frame["s"].iloc[1] == "b"


def refusal(tmp_path, kind: str, csv: str) -> str:
    """The TableValueError message of loading `csv` (columns k and v, v of type `kind`)."""
    fields = [{"name": "k"}, {"name": "v", "type": kind}]
    root = tiny_package(tmp_path / "pkg", fields, csv)
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("t", source=root)
    return str(raised.value)


@pytest.mark.parametrize(
    "cell", ["99999999999999999999999", "-99999999999999999999999", str(2**63), str(-(2**63) - 1)]
)
@pytest.mark.parametrize("beside", ["1", ""], ids=["all-present", "one-missing"])
def test_a_whole_number_too_big_for_int64_is_named(tmp_path, cell, beside):
    refused = refusal(tmp_path, "integer", f"k,v\nx,{beside}\ny,{cell}\n")
    too_big = f"column v: 1 value(s) is too large for a 64-bit whole number (row 2: {cell!r})"
    assert too_big in refused


def test_whole_numbers_beside_a_missing_cell_load_exactly(tmp_path):
    """pandas reads such a column as float64, which would turn 2**53 + 1 into 2**53."""
    values = [2**53 + 1, -(2**63), 2**63 - 1, 7]
    cells = "".join(f"r{i},{value}\n" for i, value in enumerate(values))
    fields = [{"name": "k"}, {"name": "v", "type": "integer"}]
    root = tiny_package(tmp_path / "pkg", fields, f"k,v\nm,\n{cells}")
    column = ilrs_data.load("t", source=root)["v"]
    assert str(column.dtype) == "Int64"
    assert column.isna().tolist() == [True, False, False, False, False]
    assert column.iloc[1:].tolist() == values


class BytesPath:
    """A path-like standing for bytes, as os.scandir(b".") gives."""

    def __fspath__(self) -> bytes:
        return b"."

    def __repr__(self) -> str:
        return "BytesPath(b'.')"


@pytest.mark.parametrize(
    ("argument", "words"),
    [
        ({"source": 123}, "source= must be a str or a path"),
        ({"source": b"data"}, "source= must be a str or a path"),
        ({"version": 1.2}, "version= must be a str, e.g. '1.2.0'; got 1.2"),
        ({"sha256": 5}, "sha256= must be a str of the 64 hex digits"),
        ({"source": BytesPath()}, "source= must be a str or a path"),
    ],
    ids=["source-int", "source-bytes", "version-float", "sha256-int", "source-bytes-pathlike"],
)
def test_an_argument_of_the_wrong_type_is_named(argument, words):
    """Each failed deep inside with a bare TypeError."""
    with pytest.raises(ilrs_data.ReleaseError, match=re.escape(words)):
        ilrs_data.load("partners", **argument)


@pytest.mark.parametrize("name", [["partners"], None, 3])
def test_a_table_name_that_is_no_str_is_named_with_the_tables(name):
    with pytest.raises(ilrs_data.UnknownTableError) as raised:
        ilrs_data.load(name)
    assert f"a table name is a str, e.g. 'partners'; got {name!r}" in str(raised.value)
    assert "The tables are: partners, " in str(raised.value)


@pytest.mark.parametrize("first", ["1", ""], ids=["inferred-whole", "inferred-float"])
@pytest.mark.parametrize("cell", ["1.0", "1e3", "1E3", "5.", "-2.0e0"])
def test_an_integer_field_refuses_a_fraction_or_an_exponent(tmp_path, cell, first):
    """They were loaded as 1, 1000 and 5: pandas infers floats and Int64 takes whole floats."""
    refused = refusal(tmp_path, "integer", f"k,v\nx,{first}\ny,{cell}\n")
    assert f"table t, column v: 1 value(s) is not a whole number (row 2: {cell!r})" in refused


@pytest.mark.parametrize("cell", ["1e400", "-1e400", "1.8e308"])
def test_a_number_that_overflows_float64_is_refused_not_made_infinite(tmp_path, cell):
    refused = refusal(tmp_path, "number", f"k,v\nx,1.5\ny,{cell}\n")
    expected = f"table t, column v: 1 value(s) is too large for a float64 number (row 2: {cell!r})"
    assert expected in refused


def test_table_schemas_nan_inf_and_minus_inf_load_as_missing_inf_and_minus_inf(tmp_path):
    fields = [{"name": "k"}, {"name": "v", "type": "number"}]
    csv = "k,v\na,1.5\nb,NaN\nc,INF\nd,-INF\ne,1e-400\nf,\n"
    column = ilrs_data.load("t", source=tiny_package(tmp_path / "pkg", fields, csv))["v"]
    assert str(column.dtype) == "Float64"
    assert column.isna().tolist() == [False, True, False, False, False, True]
    assert column.dropna().tolist() == [1.5, float("inf"), float("-inf"), 0.0]
