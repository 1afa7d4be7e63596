"""`load(name, as_of=day)`: a table's statuses on a past day, from the history table whose schema
declares `"x-ilrs": {"historyOf": {"resource": name, "key": ..., "field": ..., "asOf": ...}}`.

Event dates keep the precision the sources give (YYYY, YYYY-MM or YYYY-MM-DD). An event counts
from the last day its date can mean: "2023" from 2023-12-31, "2023-05" from 2023-05-31. So on
2023-06-01 an event dated "2023" has not yet happened for certain and the earlier status holds;
the answer never claims a change before the date makes it certain. Rows whose first event comes
after the day are left out (they had no status yet); rows no event covers at all are left out
too, since their past cannot be told.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ilrs_data._descriptor import read_descriptor
from ilrs_data._errors import DescriptorError, ReleaseError, TableValueError
from ilrs_data._files import PackageFiles

AsOf = str | dt.date
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def history_of(package_files: PackageFiles, name: str) -> tuple[str, dict[str, Any]]:
    """The events table recording `name`'s history and its historyOf marker."""
    histories = {}
    for resource in read_descriptor(package_files)["resources"]:
        extensions = resource["schema"].get("x-ilrs")
        marker = extensions.get("historyOf") if isinstance(extensions, dict) else None
        if isinstance(marker, dict) and isinstance(marker.get("resource"), str):
            histories[marker["resource"]] = (resource["name"], marker)
    if name not in histories:
        known = ", ".join(histories) or "none"
        msg = (
            f"table {name!r} has no history table, so as_of= cannot apply; tables with one: {known}"
        )
        raise ReleaseError(msg)
    events, marker = histories[name]
    if not all(isinstance(marker.get(key), str) for key in ("key", "field")):
        msg = f"the historyOf marker of table {events!r} lacks its 'key' or 'field'"
        raise ReleaseError(msg)
    return events, marker


def day_of(as_of: AsOf) -> dt.date:
    """The day asked for: a date, or text written YYYY-MM-DD (a partial day is ambiguous)."""
    if isinstance(as_of, dt.datetime):
        # pandas' NaT is a datetime too (a missing cell): on no day, every row would be left out.
        return _refuse(as_of) if pd.isna(as_of) else as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of)) if len(str(as_of)) == 10 else _refuse(as_of)
    except ValueError:
        return _refuse(as_of)


def _refuse(as_of: object) -> dt.date:
    msg = (
        f"as_of must be one day, written YYYY-MM-DD (or a datetime.date); got {as_of!r}. For a "
        "year or month, ask for its last day, e.g. as_of='2023-12-31'."
    )
    raise ReleaseError(msg)


def certain_from(date: str) -> dt.date | None:
    """The first day on which an event dated `date` (YYYY, YYYY-MM or YYYY-MM-DD) has certainly
    happened: the last day the date can mean."""
    match = PARTIAL_DATE.fullmatch(date)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    except ValueError:
        return None


def at_date(
    package_files: PackageFiles,
    name: str,
    as_of: AsOf,
    load: Callable[[str], pd.DataFrame],
) -> pd.DataFrame:
    """Table `name` as it stood on `as_of`: see the module docstring for the rules."""
    day = day_of(as_of)
    events_name, marker = history_of(package_files, name)
    key, field, as_of_column = marker["key"], marker["field"], marker.get("asOf")
    events = load(events_name)
    table = load(name)
    _check_columns(events_name, events, (key, field, "date"), events_name)
    _check_columns(name, table, (key, field), events_name)
    latest = _latest_events(events, events_name, key, field, day)
    kept = table[table[key].isin(latest.index)].copy()
    status = latest.loc[kept[key]]
    statuses = pd.Series(status[field].to_numpy(), index=kept.index)
    kept[field] = _as_table_values(statuses, table[field], events_name, name)
    position = list(kept.columns).index(field) + 1
    kept.insert(position, f"{field}_since", pd.Series(status["date"].to_numpy(), index=kept.index))
    if as_of_column in kept.columns:
        kept[as_of_column] = pd.Series(pd.Timestamp(day), index=kept.index).astype(
            table[as_of_column].dtype
        )
    kept.attrs = {**table.attrs, "as_of": day.isoformat(), "history": events_name}
    return kept.reset_index(drop=True)


def _check_columns(table: str, frame: pd.DataFrame, columns: tuple[str, ...], events: str) -> None:
    """The columns the historyOf marker of `events` relies on (a KeyError otherwise)."""
    for column in columns:
        if column not in frame.columns:
            msg = (
                f"the historyOf marker of table {events!r} needs column {column!r} in table "
                f"{table!r}, which has none; fix the marker or the schema"
            )
            raise DescriptorError(msg)


def _as_table_values(statuses: pd.Series, column: pd.Series, events: str, table: str) -> pd.Series:
    """The events' statuses in the dtype of the table's column; one outside its enum is
    refused, as astype would make it missing (with only a deprecation warning)."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        outside = statuses.notna() & ~statuses.isin(dtype.categories)
        if outside.any():
            msg = (
                f"table {events}, column {column.name}: {statuses[outside].iloc[0]!r} is not a "
                f"value column {column.name} of table {table} allows; make the two schemas' "
                "enums agree"
            )
            raise TableValueError(msg)
    return statuses.astype(dtype)


def _latest_events(
    events: pd.DataFrame, events_name: str, key: str, field: str, day: dt.date
) -> pd.DataFrame:
    """Per subject, the event in force on `day`: the one certain last by then (ties keep the
    later row, the order of the file)."""
    dates = events["date"].astype(str)
    certain = dates.map(certain_from)
    broken = certain.isna() & events["date"].notna()
    if broken.any():
        row = int(broken.idxmax())
        msg = (
            f"table {events_name}, column date: row {row + 1}: {events['date'][row]!r} is not a "
            "date written YYYY, YYYY-MM or YYYY-MM-DD"
        )
        raise TableValueError(msg)
    frame = pd.DataFrame(
        {key: events[key], field: events[field], "date": events["date"], "certain": certain}
    )
    frame = frame[frame["certain"] <= day]
    frame = frame.sort_values("certain", kind="stable")
    return frame.groupby(key, sort=False, observed=True).last()
