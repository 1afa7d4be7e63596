"""What the timeline shows: partners joining, agreements, missions launched and planned, phases.

Everything is read from the tables and schemas: which statuses mean "launched" comes from the
missions schema (the statuses under which launch_date must lie in the past).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ilrs_pipeline.model.dates import Moment, moment
from ilrs_pipeline.model.package import Package, Table
from ilrs_pipeline.render.words import counted, humanize

LANES = ("partners", "agreements", "launched", "planned")


@dataclass(frozen=True)
class Event:
    """One thing that happened or is planned, in one lane of the timeline."""

    lane: str
    label: str
    when: Moment
    detail: str
    flag: str = ""  # a word the timeline writes after the label, e.g. "failed"


@dataclass(frozen=True)
class Phase:
    """A programme phase, shaded from its start to the next phase's start."""

    label: str
    start: Moment


@dataclass(frozen=True)
class Timeline:
    events: list[Event]
    phases: list[Phase]
    status_as_of: dt.date | None
    left_out: list[str]
    licence: str = ""  # the data licence as datapackage.json names it


def launched_statuses(package: Package) -> tuple[str, ...]:
    """Mission statuses that mean the mission has flown, as the missions schema declares them."""
    return package.table("missions").field("launch_date").markers.past_when["status"]


def phase_kinds(package: Package) -> tuple[str, ...]:
    """Mission kinds that name a phase of the programme rather than a flight, as the missions
    schema declares them (its `phases` marker on `kind`)."""
    return tuple(package.table("missions").field("kind").markers.extra.get("phases", ()))


def member_statuses(partners: Table) -> tuple[str, ...]:
    """Partner statuses that mean the partner joined: those under which the partners schema
    allows a joining date (its `onlyWhen` marker)."""
    for field in partners.fields:
        condition = field.markers.extra.get("onlyWhen", {})
        if "status" in condition:
            return tuple(condition["status"])
    msg = "the partners schema names no statuses under which a partner has joined (onlyWhen)"
    raise ValueError(msg)


def timeline(package: Package, tables: dict[str, pd.DataFrame]) -> Timeline:
    """Every dated event of the package, plus a note of what had no date to be shown."""
    partners, agreements, missions = tables["partners"], tables["agreements"], tables["missions"]
    members = partners[partners["status"].isin(member_statuses(package.table("partners")))]
    undated_members = int(members["joined_date"].isna().sum())
    is_phase = missions["kind"].isin(phase_kinds(package))
    flights = missions[~is_phase]
    missions_shown = mission_events(flights, launched_statuses(package))
    events = [
        *partner_events(members),
        *(
            Event("agreements", row.title, moment(row.date), humanize(row.kind))
            for row in agreements.itertuples()
        ),
        *missions_shown,
    ]
    phases = missions[is_phase & missions["launch_date"].notna()]
    return Timeline(
        licence=", ".join(package.licences),
        events=sorted(events, key=lambda e: (e.when.first, e.when.last, e.label)),
        phases=sorted(
            (Phase(row.name, moment(row.launch_date)) for row in phases.itertuples()),
            key=lambda p: p.start.first,
        ),
        status_as_of=None if missions.empty else missions["status_as_of"].max().date(),
        left_out=[
            counted(undated_members, "founder or member", "founders or members")
            + " without a join date",
            counted(len(flights) - len(missions_shown), "mission")
            + " without a launch date, or cancelled",
        ],
    )


def partner_events(members: pd.DataFrame) -> list[Event]:
    """Founders and members with a join date."""
    dated = members.dropna(subset=["joined_date"])
    return [
        Event(
            "partners",
            row.name,
            moment(row.joined_date),
            f"joined ({humanize(row.status)}) · {humanize(row.kind)}",
        )
        for row in dated.itertuples()
    ]


def mission_events(flights: pd.DataFrame, launched: tuple[str, ...]) -> list[Event]:
    """Missions with a launch date: flown ones in one lane, planned ones in another."""
    lanes = flights["status"].astype("string").map(lambda s: "launched" if s in launched else s)
    shown = flights[lanes.isin(LANES) & flights["launch_date"].notna()]
    return [
        Event(
            lanes[row.Index],
            row.name,
            moment(row.launch_date),
            f"{humanize(row.status)} (status as of {row.status_as_of.date().isoformat()})",
            flag="failed" if row.status == "failed" else "",
        )
        for row in shown.itertuples()
    ]
