"""`load(name, as_of=day)`: statuses on a past day from the history tables, driven by their
schemas' historyOf marker, with partial event dates counted from the last day they can mean."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from conftest import copy_package

# Real rows of data/partner_events.csv and data/mission_events.csv (mixed precision on purpose).
# ruff: noqa: E501 - CSV rows as they are in the files
PARTNER_EVENTS = """\
partner_id,date,status,agreement_id,note,source_ids
mbrsc,2022-09,payload_contributor,,Rashid II rover agreement for Chang'e-7,asiatechobserver-2023-uae-change7
mbrsc,2023-03,withdrawn,,rover plan reported grounded by ITAR,scmp-2023-us-rules-bar-uae-rover;asiatechobserver-2023-uae-change7
malaysia,2021-09-27,consulted,,experts at the Zhuhai seminar,parabolicarc-2021-zhuhai-ilrs-seminar
malaysia,2023-06,considering,,reported among countries discussing terms,spacenews-2023-moon-base-partners
thailand,2025-04-29,member,,Roscosmos lists it among the 13 joined countries,sputnikafrica-2025-thirteen-countries
thailand,2021-09-27,consulted,,experts at the Zhuhai seminar on the draft ILRS declaration,parabolicarc-2021-zhuhai-ilrs-seminar
thailand,2024-04-05,member,2024-thailand-ilrs-mou,CNSA-MHESI ILRS MoU,spacenews-2024-thailand-joins
"""
MISSION_EVENTS = """\
mission_id,date,status,note,source_ids
longjiang-2,2018-05-21,launched,Launched with the Queqiao relay satellite.,xinhua-2018-china-saudi-lunar-images
longjiang-2,2018-05,operating,Reached lunar orbit.,dewiki-dslwp-b;xinhua-2018-china-saudi-lunar-images
longjiang-2,2019-07-31,completed,Controlled impact on the far side.,yicai-2019-longjiang2-moon-collision
"""


@pytest.fixture
def package(repo_root, tmp_path) -> Path:
    root = copy_package(repo_root, tmp_path / "package")
    (root / "data" / "partner_events.csv").write_text(PARTNER_EVENTS, encoding="utf-8")
    (root / "data" / "mission_events.csv").write_text(MISSION_EVENTS, encoding="utf-8")
    return root


def statuses(root: Path, name: str, day: str) -> dict[str, tuple[str, str]]:
    frame = ilrs_data.load(name, source=root, as_of=day)
    key = frame.columns[0]
    return {row[key]: (row["status"], row["status_since"]) for _, row in frame.iterrows()}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-09-26", {}),
        ("2021-09-27", {"malaysia": ("consulted", "2021-09-27"),
                        "thailand": ("consulted", "2021-09-27")}),
        ("2022-09-29", {"malaysia": ("consulted", "2021-09-27"),
                        "thailand": ("consulted", "2021-09-27")}),
        ("2022-09-30", {"mbrsc": ("payload_contributor", "2022-09"),
                        "malaysia": ("consulted", "2021-09-27"),
                        "thailand": ("consulted", "2021-09-27")}),
        ("2023-03-15", {"mbrsc": ("payload_contributor", "2022-09"),
                        "malaysia": ("consulted", "2021-09-27"),
                        "thailand": ("consulted", "2021-09-27")}),
        ("2023-06-30", {"mbrsc": ("withdrawn", "2023-03"),
                        "malaysia": ("considering", "2023-06"),
                        "thailand": ("consulted", "2021-09-27")}),
        ("2025-05-01", {"mbrsc": ("withdrawn", "2023-03"),
                        "malaysia": ("considering", "2023-06"),
                        "thailand": ("member", "2025-04-29")}),
    ],
)  # fmt: skip
def test_partner_statuses_on_a_day_count_partial_dates_from_their_last_day(package, day, expected):
    assert statuses(package, "partners", day) == expected


def test_events_out_of_order_in_the_file_are_ordered_by_date(package):
    assert statuses(package, "partners", "2024-04-05")["thailand"] == ("member", "2024-04-05")


def test_a_month_event_after_a_day_in_that_month_counts_from_the_months_end(package):
    assert statuses(package, "missions", "2018-05-30") == {
        "longjiang-2": ("launched", "2018-05-21")
    }
    assert statuses(package, "missions", "2018-05-31") == {"longjiang-2": ("operating", "2018-05")}
    assert statuses(package, "missions", "2019-07-31") == {
        "longjiang-2": ("completed", "2019-07-31")
    }


def test_the_frame_keeps_the_tables_columns_and_dtypes_and_says_the_day(package):
    now = ilrs_data.load("partners", source=package)
    then = ilrs_data.load("partners", source=package, as_of=dt.date(2023, 6, 30))
    assert [c for c in then.columns if c != "status_since"] == list(now.columns)
    assert then["status"].dtype == now["status"].dtype
    assert then["status_as_of"].tolist() == [pd.Timestamp("2023-06-30")] * 3
    assert then.attrs["as_of"] == "2023-06-30" and then.attrs["history"] == "partner_events"
    mbrsc = then[then.partner_id == "mbrsc"].iloc[0]
    assert mbrsc["name"] == now[now.partner_id == "mbrsc"].iloc[0]["name"]


def test_the_history_table_is_found_by_its_schema_marker_not_its_name(package):
    """Renaming the history table changes nothing: the historyOf marker points at partners."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "partner_events")
    events["name"] = "who_joined_when"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    then = ilrs_data.load("partners", source=package, as_of="2023-06-30")
    assert then.attrs["history"] == "who_joined_when"
    assert len(then) == 3


@pytest.mark.parametrize("day", ["2023", "2023-06", "30/06/2023", "2023-02-30", pd.NaT], ids=str)
def test_a_day_that_is_not_one_day_is_refused(package, day):
    with pytest.raises(ilrs_data.ReleaseError, match="as_of must be one day, written YYYY-MM-DD"):
        ilrs_data.load("partners", source=package, as_of=day)


def test_a_table_without_history_is_refused_naming_those_with_one(package):
    with pytest.raises(ilrs_data.ReleaseError, match="tables with one: partners, missions"):
        ilrs_data.load("agreements", source=package, as_of="2023-06-30")


def inline_schemas(root: Path) -> dict:
    """The descriptor with every schema inlined, so a test can edit one in place."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if isinstance(resource["schema"], str):
            resource["schema"] = json.loads((root / resource["schema"]).read_text("utf-8"))
    return descriptor


def save(root: Path, descriptor: dict) -> None:
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def schema_of(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)["schema"]


def test_an_event_status_the_table_does_not_allow_is_refused_not_made_missing(package):
    """The events' enum may drift from the table's: astype made such a status NaN."""
    descriptor = inline_schemas(package)
    events = schema_of(descriptor, "partner_events")
    next(f for f in events["fields"] if f["name"] == "status")["constraints"]["enum"].append("ally")
    save(package, descriptor)
    rows = PARTNER_EVENTS.replace("thailand,2025-04-29,member", "thailand,2025-04-29,ally")
    (package / "data" / "partner_events.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("partners", source=package, as_of="2025-05-01")
    expected = "table partner_events, column status: 'ally' is not a value column status of "
    assert expected + "table partners allows; make the two schemas' enums agree" in str(
        raised.value
    )


@pytest.mark.parametrize(
    ("marker", "column", "table"),
    [({"key": "pid"}, "pid", "partner_events"), ({"field": "state"}, "state", "partner_events")],
    ids=["key", "field"],
)
def test_a_history_marker_naming_a_missing_column_is_a_descriptor_error(
    package, marker, column, table
):
    descriptor = inline_schemas(package)
    schema_of(descriptor, "partner_events")["x-ilrs"]["historyOf"].update(marker)
    save(package, descriptor)
    with pytest.raises(ilrs_data.DescriptorError) as raised:
        ilrs_data.load("partners", source=package, as_of="2025-05-01")
    expected = f"historyOf marker of table 'partner_events' needs column {column!r} in table "
    assert expected + f"{table!r}, which has none; fix the marker or the schema" in str(
        raised.value
    )


@pytest.mark.parametrize("extensions", ["phases", None, ["historyOf"]])
def test_an_x_ilrs_that_is_no_object_is_no_history_marker(package, extensions):
    descriptor = inline_schemas(package)
    schema_of(descriptor, "agreements")["x-ilrs"] = extensions
    save(package, descriptor)
    assert len(ilrs_data.load("partners", source=package, as_of="2025-05-01")) == 3


def last_day(date: str) -> dt.date:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts)


@pytest.mark.parametrize(("name", "events", "key"), [
    ("partners", "partner_events", "partner_id"), ("missions", "mission_events", "mission_id")
])  # fmt: skip
def test_every_shipped_event_takes_effect_on_its_last_day(repo_root, name, events, key):
    """Over all shipped rows: on each event's last day and the day before, each subject has the
    status of its latest event certain by then (worked out here with the csv module)."""
    with (repo_root / "data" / f"{events}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    days = sorted({d for r in rows for d in (last_day(r["date"]), last_day(r["date"]) -
                                             dt.timedelta(days=1))})  # fmt: skip
    for day in days:
        expected: dict[str, tuple[str, str]] = {}
        for row in sorted(rows, key=lambda r: last_day(r["date"])):  # stable: file order on ties
            if last_day(row["date"]) <= day:
                expected[row[key]] = (row["status"], row["date"])
        assert statuses(repo_root, name, day.isoformat()) == expected, day
