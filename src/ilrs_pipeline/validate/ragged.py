"""Why a row has more or fewer cells than the header, in the terms of its fields: "the row has 9
cells, the header has 8" sends a contributor counting commas; the likely cause, named with its
column, does not.

Each cause is tried against the schema: a row with one cell too many is read again with two
neighbouring cells joined, and the join that leaves every cell fitting its field (pattern, enum,
required, date) is where the unquoted comma is. This locates; it does not validate: the checks
after parsing still judge every cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ilrs_pipeline.model.dates import DAY_CHARS, PARTIAL_DATE, calendar_fault

Field = dict[str, Any]
LIST_SEPARATOR = ";"
NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
INTEGER = re.compile(r"[-+]?\d+")


def explain_rows(
    rows: dict[int, list[str]], fields: Sequence[Field], lines: Sequence[int]
) -> dict[int, str]:
    """A message for each ragged row (by row number; `lines` gives each row's file line). Two
    short rows in a row are read together: a line break in a cell may have cut one in two."""
    width, messages = len(fields), {}
    for row in sorted(rows):
        if row in messages:
            continue
        cells, following = rows[row], rows.get(row + 1)
        count = counted(cells, width)
        if following is not None and _split_in_two(cells, following, width):
            split = fields[len(cells) - 1]["name"]
            messages[row] = (
                f"{count}: a line break inside the {split} cell cuts the row in two (this "
                "line and the next); put that cell in double quotes, or remove the line break"
            )
            messages[row + 1] = (
                f"{counted(following, width)}: it is the rest of the row on line "
                f"{lines[row]}, cut from it by a line break in a cell"
            )
            continue
        cause = _extra_cells(cells, fields) if len(cells) > width else _missing_cells(cells, width)
        messages[row] = f"{count}: {cause}" if cause else count
    return messages


def counted(cells: Sequence[str], width: int) -> str:
    return f"the row has {len(cells)} cells, the header has {width}"


def _split_in_two(cells: Sequence[str], following: Sequence[str], width: int) -> bool:
    return (
        0 < len(cells) < width
        and 0 < len(following) < width
        and (len(cells) + len(following) - 1 == width)
    )


def _extra_cells(cells: Sequence[str], fields: Sequence[Field]) -> str | None:
    extra = len(cells) - len(fields)
    as_list, as_text = [], []
    for start, field in enumerate(fields):
        joined = ",".join(cells[start : start + extra + 1])
        others = [*cells[:start], joined, *cells[start + extra + 1 :]]
        if not all(fits(cell, other) for cell, other in zip(others, fields, strict=True)):
            if _is_list(field) and fits(joined.replace(",", LIST_SEPARATOR), field):
                rest = [*others[:start], *others[start + 1 :]]
                rest_fields = [*fields[:start], *fields[start + 1 :]]
                if all(fits(cell, other) for cell, other in zip(rest, rest_fields, strict=True)):
                    as_list.append((field["name"], joined))
            continue
        as_text.append((field["name"], joined))
    if as_list:
        name, joined = as_list[0]
        listed = joined.replace(",", LIST_SEPARATOR)
        fix = f"separate them with {LIST_SEPARATOR!r}: {listed}"
        return f"{name} lists several values with ',' ({joined}); {fix}"
    if len(as_text) == 1:
        name, joined = as_text[0]
        return (
            f"the {name} cell {joined!r} holds a ',' and is not quoted; write it in double "
            f'quotes: "{joined}"'
        )
    if as_text:
        names = ", ".join(name for name, _ in as_text)
        return f"a cell holding a ',' is not quoted, in one of: {names}; put it in double quotes"
    return None


def _missing_cells(cells: Sequence[str], width: int) -> str | None:
    if len(cells) == 1 and cells[0].count(LIST_SEPARATOR) == width - 1:
        return "its cells are separated by ';', not ','; save the row with commas"
    return None


def fits(cell: str, field: Field) -> bool:
    """Whether a cell could be a value of the field: its required, enum, pattern and type."""
    constraints = field.get("constraints") or {}
    if cell == "":
        return not constraints.get("required", False)
    enum = constraints.get("enum")
    if enum is not None and cell not in {str(value) for value in enum}:
        return False
    pattern = constraints.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, cell):
        return False
    return _fits_type(cell, str(field.get("type", "string")))


def _fits_type(cell: str, kind: str) -> bool:
    if kind in {"integer", "year"}:
        return bool(INTEGER.fullmatch(cell))
    if kind == "number":
        return bool(NUMBER.fullmatch(cell))
    if kind == "date":  # the validator's own reading of dates (model/dates.py)
        return (
            len(cell) == DAY_CHARS
            and bool(re.fullmatch(PARTIAL_DATE, cell))
            and (calendar_fault(cell) is None)
        )
    return True


def _is_list(field: Field) -> bool:
    pattern = (field.get("constraints") or {}).get("pattern") or ""
    return LIST_SEPARATOR in pattern
