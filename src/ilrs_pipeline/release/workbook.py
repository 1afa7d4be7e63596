"""The release as one Excel workbook, for spreadsheet users: a CSV opened the default way in
LibreOffice or Excel garbles non-ASCII names and turns partial dates into a mix of numbers and
dates that sorts wrongly.

One sheet per table (header row frozen and filterable; partial dates and every other text as
text cells, never numbers or formulas; full dates as dates), a README sheet and a data-dictionary
sheet worded from the schemas. The bytes depend only on the data and the epoch: the document
properties carry the epoch and the zip entries are rewritten with it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pandas as pd
import xlsxwriter  # type: ignore[import-untyped]

from ilrs_pipeline.render.schema_words import constraint_rules, marker_rules, type_words

README_SHEET = "README"
DICTIONARY_SHEET = "data dictionary"
MAX_WIDTH = 60


def workbook_bytes(
    descriptor: dict[str, Any],
    frames: dict[str, pd.DataFrame],
    facts: dict[str, str],
    epoch: dt.datetime,
) -> bytes:
    """The .xlsx file; `descriptor` has its schemas inlined."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties(
        {"title": facts["title"], "author": "ilrs-data contributors", "created": epoch,
         "comments": f"version {facts['version']}, {facts['licence']}"}
    )  # fmt: skip
    styles = {
        "header": book.add_format({"bold": True, "bg_color": "#DDDDDD"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "text": book.add_format({"text_wrap": False}),
    }
    _readme_sheet(book, descriptor, facts, styles)
    _dictionary_sheet(book, descriptor, styles)
    for resource in descriptor["resources"]:
        _table_sheet(book, resource, frames[resource["name"]], styles)
    book.close()
    return _restamped(buffer.getvalue(), epoch)


def _readme_sheet(
    book: Any, descriptor: dict[str, Any], facts: dict[str, str], styles: dict[str, Any]
) -> None:
    sheet = book.add_worksheet(README_SHEET)
    lines: list[tuple[str, str]] = [
        ("title", facts["title"]),
        ("version", facts["version"]),
        ("description", facts["description"]),
        ("licence", f"{facts['licence']} ({facts['licence_url']})"),
        ("cite as", facts["citation"]),
        ("homepage", facts["homepage"]),
        ("", ""),
        ("reading", "Empty cell = unknown. Partial dates (YYYY, YYYY-MM or YYYY-MM-DD) are text "
                    "so that 2021 is not read as a number or 1 January 2021; they sort correctly "
                    "as text. Lists of ids (source_ids) are separated by ';'."),
        ("", ""),
        ("sheet", "what it holds"),
        (DICTIONARY_SHEET, "every field of every table: type, required, description, rules"),
    ]  # fmt: skip
    lines += [(r["name"], r.get("description", "")) for r in descriptor["resources"]]
    for row, (label, value) in enumerate(lines):
        sheet.write_string(row, 0, label, styles["header"] if label else None)
        sheet.write_string(row, 1, value)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 120)


def _dictionary_sheet(book: Any, descriptor: dict[str, Any], styles: dict[str, Any]) -> None:
    header = ["table", "field", "type", "required", "description", "rules"]
    rows = [
        [
            resource["name"],
            field["name"],
            type_words(field),
            "yes" if field.get("constraints", {}).get("required") else "no",
            field.get("description", ""),
            " ".join(constraint_rules(field) + marker_rules(field)),
        ]
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
    ]
    _grid(book.add_worksheet(DICTIONARY_SHEET), header, rows, styles)


def _table_sheet(
    book: Any, resource: dict[str, Any], frame: pd.DataFrame, styles: dict[str, Any]
) -> None:
    fields = resource["schema"]["fields"]
    sheet = book.add_worksheet(resource["name"])
    columns = [frame[field["name"]].astype(object).where(frame[field["name"]].notna(), None)
               for field in fields]  # fmt: skip
    for index, field in enumerate(fields):
        sheet.write_string(0, index, field["name"], styles["header"])
        kind = field.get("type", "string")
        for row, value in enumerate(columns[index], start=1):
            if value is None:
                continue
            if kind in ("date", "datetime"):
                sheet.write_datetime(row, index, value.to_pydatetime(), styles["date"])
            elif kind in ("integer", "number", "year"):
                sheet.write_number(row, index, value)
            elif kind == "boolean":
                sheet.write_boolean(row, index, bool(value))
            else:
                sheet.write_string(row, index, str(value))
    _finish(sheet, [field["name"] for field in fields], len(frame), columns)


def _grid(sheet: Any, header: list[str], rows: list[list[str]], styles: dict[str, Any]) -> None:
    for index, name in enumerate(header):
        sheet.write_string(0, index, name, styles["header"])
    for row, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            sheet.write_string(row, index, value)
    _finish(sheet, header, len(rows), [[row[i] for row in rows] for i in range(len(header))])


def _finish(sheet: Any, header: list[str], count: int, columns: list[Any]) -> None:
    """Freeze and filter the header row; size each column to its longest value, within reason."""
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(header) - 1)
    for index, name in enumerate(header):
        longest = max([len(name), *(len(str(v)) for v in columns[index] if v is not None)])
        sheet.set_column(index, index, min(longest + 2, MAX_WIDTH))


def _restamped(data: bytes, epoch: dt.datetime) -> bytes:
    """The same zip, entries in the same order, each dated `epoch`."""
    out = io.BytesIO()
    stamp = epoch.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename), compresslevel=9)
    return out.getvalue()
