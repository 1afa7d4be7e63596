"""Rules of the data model that hold across tables; each test states one rule."""

from __future__ import annotations

import pandas as pd
import pytest

import ilrs_data
from ilrs_pipeline.render.events import MEMBER_STATUSES, launched_statuses


@pytest.fixture(scope="module")
def tables(repo_root) -> dict[str, pd.DataFrame]:
    return ilrs_data.load_all(repo_root)


@pytest.fixture(scope="module")
def flown_statuses(repo_root) -> list[str]:
    """Mission statuses that mean it flew, as the missions schema declares them."""
    return launched_statuses(ilrs_data.package(repo_root))


@pytest.fixture(scope="module")
def schemas(repo_root) -> dict[str, dict]:
    return {r["name"]: r["schema"] for r in ilrs_data.package(repo_root)["resources"]}


def test_every_party_to_an_agreement_is_a_partner(tables):
    """agreement_parties only names partners that exist."""
    parties = tables["agreement_parties"]
    valid = parties["partner_id"].isin(tables["partners"]["partner_id"])
    assert valid.all(), parties[~valid]


def test_every_agreement_has_a_party(tables):
    """An agreement nobody signed or issued is not a record of anything."""
    agreements = tables["agreements"]
    valid = agreements["agreement_id"].isin(tables["agreement_parties"]["agreement_id"])
    assert valid.all(), agreements[~valid]


def test_members_are_party_to_the_instrument_they_joined_by(tables):
    """A partner's joining instrument lists it, or one of its own bodies, as a party."""
    partners = tables["partners"]
    parties = set(
        zip(
            tables["agreement_parties"]["agreement_id"],
            tables["agreement_parties"]["partner_id"],
            strict=True,
        )
    )
    children = partners.dropna(subset=["parent_id"]).groupby("parent_id")["partner_id"].agg(set)
    joined = partners.dropna(subset=["joined_agreement_id"])
    valid = joined.apply(
        lambda row: any(
            (row["joined_agreement_id"], body) in parties
            for body in {row["partner_id"], *children.get(row["partner_id"], set())}
        ),
        axis=1,
    )
    assert valid.all(), joined[~valid]


def test_joined_date_is_the_date_of_the_joining_instrument(tables):
    """Where both are known, a partner joined on the day its instrument is dated."""
    partners = tables["partners"].dropna(subset=["joined_agreement_id", "joined_date"])
    dates = tables["agreements"].set_index("agreement_id")["date"]
    valid = partners["joined_date"] == partners["joined_agreement_id"].map(dates)
    assert valid.all(), partners[~valid]


def test_only_founders_and_members_have_joined(tables):
    """Partners that applied, considered, were invited or withdrew carry no joining record."""
    partners = tables["partners"]
    outsiders = partners[~partners["status"].isin(MEMBER_STATUSES)]
    valid = outsiders["joined_date"].isna() & outsiders["joined_agreement_id"].isna()
    assert valid.all(), outsiders[~valid]


def test_flown_missions_have_a_launch_day(tables, flown_statuses):
    """A mission that has launched has its launch date known to the day."""
    missions = tables["missions"]
    flown = missions[missions["status"].isin(flown_statuses)]
    valid = flown["launch_date"].str.len() == 10
    assert valid.all(), flown[~valid]


def test_payload_status_agrees_with_its_mission(tables, flown_statuses):
    """A flown payload rides a mission that flew; a payload of an unflown mission has not flown."""
    payloads = tables["mission_payloads"].merge(
        tables["missions"][["mission_id", "status"]], on="mission_id", suffixes=("", "_mission")
    )
    mission_flew = payloads["status_mission"].isin(flown_statuses)
    valid = (payloads["status"] == "flown") <= mission_flew
    assert valid.all(), payloads[~valid]


def test_discrepancies_keep_the_value_the_table_holds(tables, schemas):
    """For structured fields (enum, pattern or date), kept_value is exactly the cell's value."""
    rows = []
    for record in tables["discrepancies"].itertuples():
        field = next(
            f for f in schemas[record.table_name]["fields"] if f["name"] == record.field_name
        )
        structured = field["type"] == "date" or {"enum", "pattern"} & set(
            field.get("constraints", {})
        )
        if not structured:
            continue
        table = tables[record.table_name]
        key = schemas[record.table_name]["primaryKey"]
        ids = table[key].astype("string").agg("/".join, axis=1)
        cell = table.loc[ids == record.record_id, record.field_name].iloc[0]
        held = "" if pd.isna(cell) else str(cell.date() if isinstance(cell, pd.Timestamp) else cell)
        rows.append((record.discrepancy_id, record.kept_value, held))
    checked = pd.DataFrame(rows, columns=["discrepancy_id", "kept_value", "held"])
    valid = checked["kept_value"] == checked["held"]
    assert len(checked) > 0
    assert valid.all(), checked[~valid]
