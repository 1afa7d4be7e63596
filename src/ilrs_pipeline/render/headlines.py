"""The few numbers a reader wants first, counted from the tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ilrs_pipeline.model.package import Package
from ilrs_pipeline.render.events import launched_statuses, member_statuses, phase_kinds


@dataclass(frozen=True)
class Headline:
    figure: int
    caption: str


def headlines(package: Package, tables: dict[str, pd.DataFrame]) -> list[Headline]:
    partners, missions = tables["partners"], tables["missions"]
    members = partners[partners["status"].isin(member_statuses(package.table("partners")))]
    flights = missions[~missions["kind"].isin(phase_kinds(package))]
    payloads = tables["mission_payloads"]
    return [
        Headline(len(members), "partners have joined the ILRS (founders and members)"),
        Headline(int((members["kind"] == "state").sum()), "of them are states"),
        Headline(
            int(members["country_code"].nunique()),
            "countries and territories are home to a partner that joined",
        ),
        Headline(len(tables["agreements"]), "agreements, memoranda and statements"),
        Headline(
            int(flights["status"].isin(launched_statuses(package)).sum()),
            "precursor and related missions launched",
        ),
        Headline(int((flights["status"] == "planned").sum()), "missions planned"),
        Headline(
            len(payloads),
            "international payloads on ILRS missions, "
            f"{int((payloads['status'] == 'flown').sum())} flown so far",
        ),
        Headline(len(tables["sources"]), "sources cited, every row at least one"),
    ]


def status_date(tables: dict[str, pd.DataFrame]) -> dt.date | None:
    """The newest 'as of' date in the data: how current its statuses are."""
    days = [
        frame[column].max()
        for frame in tables.values()
        for column in frame.columns
        if column == "status_as_of" and not frame.empty
    ]
    return max(days).date() if days else None
