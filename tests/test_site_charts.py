"""The pictures: dates drawn at their precision, planned missions apart, partners by region."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.model.dates import moment
from ilrs_pipeline.model.package import Package
from ilrs_pipeline.render.charts import NARROW, kind_chart, partner_bars, region_chart
from ilrs_pipeline.render.events import (
    Event,
    Phase,
    Timeline,
    launched_statuses,
    member_statuses,
    timeline,
)
from ilrs_pipeline.render.regions import NO_COUNTRY, region_of
from ilrs_pipeline.render.svg import text_width
from ilrs_pipeline.render.timeline import Scale, render_timeline, scale_for

REPO_ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def events_of(svg: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if "event" in g.get("class", "")]


def sample() -> Timeline:
    return Timeline(
        events=[
            Event("partners", "A state", moment("2021-03-09"), "joined"),
            Event("agreements", "A memorandum", moment("2022-07"), "memorandum"),
            Event("launched", "Probe-1 (P-1)", moment("2023-08-11"), "failed", flag="failed"),
            Event("planned", "Lander-2", moment("2028"), "planned"),
        ],
        phases=[Phase("Phase one", moment("2021")), Phase("Phase two", moment("2026"))],
        status_as_of=dt.date(2026, 6, 7),
        left_out=["1 mission without a launch date"],
    )


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2024-09-05", dt.date(2024, 9, 5), dt.date(2024, 9, 5), "day"),
    ],
)
def test_a_partial_date_means_every_day_of_its_span(text, first, last, precision):
    when = moment(text)
    assert (when.first, when.last, when.precision) == (first, last, precision)


def test_a_malformed_date_is_refused():
    with pytest.raises(ValueError, match="partial ISO date"):
        moment("2024-9")


def test_a_year_only_date_is_a_bar_across_the_whole_year():
    """No day is invented: the bar starts on 1 January and ends after 31 December."""
    data = sample()
    scale = scale_for(data)
    planned = next(g for g in events_of(render_timeline(data)) if "planned" in g.get("class"))
    assert planned.find(f"{SVG}circle") is None
    bar = planned.find(f"{SVG}rect")
    x0, x1 = scale.x(dt.date(2028, 1, 1)), scale.x(dt.date(2029, 1, 1))
    assert float(bar.get("x")) == pytest.approx(x0, abs=0.06)
    assert float(bar.get("width")) == pytest.approx(x1 - x0, abs=0.11)
    assert bar.get("stroke-dasharray")  # planned: dashed


def test_a_month_only_date_is_a_hollow_mark_in_its_month():
    data = sample()
    scale = scale_for(data)
    agreement = next(g for g in events_of(render_timeline(data)) if "agreements" in g.get("class"))
    circle = agreement.find(f"{SVG}circle")
    assert circle.get("fill") == "#ffffff"
    middle = (scale.x(dt.date(2022, 7, 1)) + scale.x(dt.date(2022, 8, 1))) / 2
    assert float(circle.get("cx")) == pytest.approx(middle, abs=0.06)


def test_a_known_day_is_a_filled_dot_and_a_failed_launch_says_so():
    svg = render_timeline(sample())
    launched = next(g for g in events_of(svg) if "launched" in g.get("class"))
    assert launched.find(f"{SVG}circle").get("fill") != "#ffffff"
    assert launched.find(f"{SVG}text").text == "Probe-1 (failed)"
    assert "1 mission without a launch date" in svg


def test_the_scale_covers_whole_years_of_every_event_and_phase():
    scale = scale_for(sample())
    assert (scale.first_year, scale.last_year) == (2021, 2028)
    assert Scale(2021, 2028).x(dt.date(2021, 1, 1)) < Scale(2021, 2028).x(dt.date(2028, 12, 31))


def test_planned_and_launched_missions_go_to_their_own_lanes():
    """Flown missions (statuses the schema marks as past) and planned ones never mix."""
    package = Package.parse(ilrs_data.package(REPO_ROOT))
    tables = ilrs_data.load_all(REPO_ROOT)
    missions = tables["missions"].set_index("name")
    flown = set(launched_statuses(package))
    for event in timeline(package, tables).events:
        if event.lane == "launched":
            assert missions.loc[event.label, "status"] in flown
        elif event.lane == "planned":
            assert missions.loc[event.label, "status"] == "planned"


def test_only_founders_and_members_with_a_date_are_shown_joining():
    package = Package.parse(ilrs_data.package(REPO_ROOT))
    tables = ilrs_data.load_all(REPO_ROOT)
    partners = tables["partners"]
    joined = partners[partners["status"].isin(["founder", "member"])].dropna(subset=["joined_date"])
    shown = [e.label for e in timeline(package, tables).events if e.lane == "partners"]
    assert sorted(shown) == sorted(joined["name"])


def test_the_timeline_is_the_same_every_time():
    package = Package.parse(ilrs_data.package(REPO_ROOT))
    tables = ilrs_data.load_all(REPO_ROOT)
    assert render_timeline(timeline(package, tables)) == render_timeline(timeline(package, tables))


@pytest.mark.parametrize(
    ("code", "region"),
    [("CHN", "Asia"), ("ZAF", "Africa"), ("VEN", "Americas"), ("SRB", "Europe"), ("", NO_COUNTRY)],
)
def test_regions_come_from_the_country_code(code, region):
    assert region_of(code) == region


def test_the_partner_charts_count_every_partner_once():
    tables = ilrs_data.load_all(REPO_ROOT)
    partners = tables["partners"]
    schema = Package.parse(ilrs_data.package(REPO_ROOT)).table("partners")
    regions = partners["country_code"].fillna("").map(region_of)
    bars = partner_bars(partners, regions, member_statuses(schema), last=(NO_COUNTRY,))
    assert sum(bar.total for bar in bars) == len(partners)
    assert bars[-1].label == NO_COUNTRY
    assert [b.total for b in bars[:-1]] == sorted((b.total for b in bars[:-1]), reverse=True)
    for svg in (kind_chart(partners, schema), region_chart(partners, schema)):
        assert f"{len(partners)} partners in all" in ET.fromstring(svg).find(f"{SVG}desc").text


def test_narrow_partner_charts_keep_every_word_inside_a_phone_width_at_12_px_or_more():
    """Drawn NARROW wide, every text fits inside the picture and none is under 12 px, so a
    phone shows the chart whole at its drawn size."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    schema = Package.parse(ilrs_data.package(REPO_ROOT)).table("partners")
    for svg in (kind_chart(partners, schema, NARROW), region_chart(partners, schema, NARROW)):
        root = ET.fromstring(svg)
        assert root.get("width") == str(NARROW)
        texts = list(root.iter(f"{SVG}text"))
        assert texts
        for node in texts:
            size = float(node.get("font-size"))
            assert size >= 12, node.text
            if node.get("text-anchor") is None:
                assert float(node.get("x")) + text_width(node.text, size) <= NARROW, node.text


def test_no_text_of_the_timeline_is_under_12_px():
    svg = render_timeline(
        timeline(Package.parse(ilrs_data.package(REPO_ROOT)), ilrs_data.load_all(REPO_ROOT))
    )
    sizes = [float(t.get("font-size")) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def test_which_missions_are_phases_comes_from_the_schema():
    """The missions schema's `phases` marker decides what the timeline draws as a phase: with
    the marker emptied, the programme phases come back as missions."""
    descriptor, tables = ilrs_data.package(REPO_ROOT), ilrs_data.load_all(REPO_ROOT)
    phase_names = set(
        tables["missions"].loc[tables["missions"]["kind"] == "programme_phase", "name"]
    )
    assert phase_names  # the real data has programme phases
    drawn = timeline(Package.parse(descriptor), tables)
    assert {phase.label for phase in drawn.phases} <= phase_names
    assert not phase_names & {event.label for event in drawn.events}
    kind = next(
        field
        for resource in descriptor["resources"]
        if resource["name"] == "missions"
        for field in resource["schema"]["fields"]
        if field["name"] == "kind"
    )
    kind["x-ilrs"]["phases"] = []
    unmarked = timeline(Package.parse(descriptor), tables)
    assert not unmarked.phases
    assert phase_names & {event.label for event in unmarked.events}
