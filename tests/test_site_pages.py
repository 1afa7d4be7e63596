"""Site pages without a browser: citation, release file list, links between tables, safety."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

import ilrs_data
from ilrs_pipeline.model.dates import moment
from ilrs_pipeline.model.package import Package
from ilrs_pipeline.release.urls import project_urls
from ilrs_pipeline.render.events import Event, Phase, Timeline, timeline
from ilrs_pipeline.render.headlines import headlines
from ilrs_pipeline.render.timeline import LANES as TIMELINE_LANES
from ilrs_pipeline.site.build import SiteError, build_site, freshness, read_citation
from ilrs_pipeline.site.chronology import FOLD_ABOVE, chronology, rail
from ilrs_pipeline.site.labels import date_html, enum_title, reading_order
from ilrs_pipeline.site.pages import ReleaseFile, citation_text, downloads_body, size_words
from ilrs_pipeline.site.records import Records, all_record_pages, record_page
from ilrs_pipeline.site.search import search_index
from ilrs_pipeline.site.table import data_table, renderers, row_key

REPO_ROOT = Path(__file__).resolve().parents[1]
LANE_WORDS = {
    "partners": "joined",
    "agreements": "agreement",
    "launched": "mission launched",
    "planned": "mission planned",
}


def resource(name: str) -> dict:
    return next(r for r in ilrs_data.package(REPO_ROOT)["resources"] if r["name"] == name)


def test_citation_names_version_year_title_and_url():
    citation = read_citation(REPO_ROOT)
    reference, bibtex = citation_text(citation, "1.2.3", 2026, "https://example.org/repo")
    assert reference.startswith("ilrs-data contributors (2026). ")
    assert f"{citation['title']} (Version 1.2.3) [Data set]." in reference
    assert reference.endswith(" https://example.org/repo")
    assert bibtex.startswith("@misc{ilrs_data_1_2_3,\n")
    assert "  version = {1.2.3}" in bibtex
    assert "  url = {https://example.org/repo}" in bibtex
    assert bibtex.endswith("\n}")


def test_the_cite_page_gives_pyprojects_repository_and_each_tables_freshness(tmp_path):
    """The URL is pyproject's [project.urls] Repository; each table's date is the newest
    publication date among the sources its rows cite, computed here from the tables."""
    out = tmp_path / "site"
    build_site(REPO_ROOT, out)
    page = (out / "cite.html").read_text(encoding="utf-8")
    assert f"url = {{{project_urls(REPO_ROOT)['Repository']}}}" in page
    sources = ilrs_data.load("sources", REPO_ROOT).set_index("source_id")["published_date"]
    for table in ("partners", "missions"):
        cited = ilrs_data.load(table, REPO_ROOT)["source_ids"].str.split(";").explode()
        newest = max(sources[cited].dropna())
        assert f"<code>{table}</code></a> {moment(newest).human()}</li>" in page
    assert freshness(Package.parse(ilrs_data.package(REPO_ROOT)), ilrs_data.load_all(REPO_ROOT))[
        "partners"
    ] == (
        max(
            sources[
                ilrs_data.load("partners", REPO_ROOT)["source_ids"].str.split(";").explode()
            ].dropna()
        )
    )


def test_release_files_are_listed_with_checksum_and_kind(tmp_path):
    (tmp_path / "ilrs-data-1.0.0.zip").write_bytes(b"zip")
    (tmp_path / "ilrs-data-1.0.0-parquet.zip").write_bytes(b"parquet")
    (tmp_path / "SHA256SUMS").write_text("sums")
    files = [ReleaseFile.of(path) for path in sorted(tmp_path.iterdir())]
    kinds = {f.name: f.description for f in files}
    assert kinds["ilrs-data-1.0.0.zip"].startswith("The data package")
    assert "Parquet" in kinds["ilrs-data-1.0.0-parquet.zip"]
    page = downloads_body("1.0.0", files)
    assert page.index("ilrs-data-1.0.0.zip") < page.index('href="downloads/SHA256SUMS"')
    assert ReleaseFile.of(tmp_path / "SHA256SUMS").sha256 in page  # sha256 of b"sums"


@pytest.mark.parametrize(
    ("size", "words"), [(512, "512 bytes"), (75_000, "73 KB"), (3_500_000, "3.3 MB")]
)
def test_sizes_read_naturally(size, words):
    assert size_words(size) == words


def test_references_become_links_to_the_rows_they_name():
    """A foreign key links to its row, each source id to the sources page, a URL to itself."""
    descriptor = ilrs_data.package(REPO_ROOT)
    links = renderers(resource("partners"), descriptor)
    assert links["joined_agreement_id"]("2021-ilrs-mou", {}) == (
        '<a href="records/agreements/2021-ilrs-mou.html">2021-ilrs-mou</a>'
    )
    from_a_record = renderers(resource("partners"), descriptor, "../../")
    assert from_a_record["parent_id"]("egypt", {}) == (
        '<a href="../../records/partners/egypt.html">egypt</a>'
    )
    assert links["source_ids"]("a;b", {}) == (
        '<a href="sources.html#a">a</a> <a href="sources.html#b">b</a>'
    )
    assert 'href="https://example.org/?a=1&amp;b=2"' in renderers(resource("sources"), descriptor)[
        "url"
    ]("https://example.org/?a=1&b=2", {})
    record = renderers(resource("discrepancies"), descriptor)["record_id"]
    assert record("x/y", {"table_name": "agreement_parties"}) == (
        '<a href="agreement_parties.html#x/y">x/y</a>'
    )


def test_rows_carry_their_key_as_anchor_and_text_is_escaped():
    """Two-field keys join with '/', as discrepancies cite them; cell text is HTML-escaped."""
    parties = ilrs_data.load("agreement_parties", REPO_ROOT)
    keys = row_key(parties, ["agreement_id", "partner_id"])
    assert keys.iloc[0] == f"{parties['agreement_id'].iloc[0]}/{parties['partner_id'].iloc[0]}"
    frame = ilrs_data.load("missions", REPO_ROOT).head(1).copy()
    frame["notes"] = "<b>bold</b> & more"
    html = data_table(resource("missions"), frame, ilrs_data.package(REPO_ROOT))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert f'id="{frame["mission_id"].iloc[0]}"' in html


def test_headline_figures_count_the_tables():
    tables = ilrs_data.load_all(REPO_ROOT)
    numbers = headlines(Package.parse(ilrs_data.package(REPO_ROOT)), tables)
    partners = tables["partners"]
    assert numbers[0].figure == int(partners["status"].isin(["founder", "member"]).sum())
    assert numbers[-1].figure == len(tables["sources"])


def test_the_site_never_replaces_a_folder_that_is_not_a_site(tmp_path):
    """Pointing --out at a folder of other files stops before anything is built or deleted."""
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    with pytest.raises(SiteError, match="refusing"):
        build_site(REPO_ROOT, tmp_path)
    assert keep.read_text() == "mine"


def test_columns_lead_with_name_status_and_dates_from_the_schema_markers():
    """The uniqueName field first, then the field a history table follows, then the dates."""
    descriptor = ilrs_data.package(REPO_ROOT)
    order = [f["name"] for f in reading_order(resource("missions"), descriptor)]
    assert order[:5] == ["name", "status", "launch_date", "landing_date", "status_as_of"]
    assert sorted(order) == sorted(f["name"] for f in resource("missions")["schema"]["fields"])


def test_enum_values_show_the_schema_title_or_read_as_words():
    field = {"name": "kind", "categories": [{"value": "state", "label": "Sovereign state"}]}
    assert enum_title(field, "state") == "Sovereign state"
    assert enum_title(field, "space_agency") == "Space agency"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2023", '<time datetime="2023">2023</time> <span class="precision">(year known)</span>'),
        (
            "2023-07",
            '<time datetime="2023-07">Jul 2023</time> <span class="precision">(month known)</span>',
        ),
        ("2023-07-17", '<time datetime="2023-07-17">17 Jul 2023</time>'),
    ],
)
def test_partial_dates_say_their_precision(text, shown):
    """A year-only date never reads as a day: its precision is written beside it."""
    assert date_html(text) == shown


def test_a_partner_page_lists_its_agreements_payloads_and_disagreements():
    """Every agreement_parties row and discrepancy naming the partner is on its page."""
    tables = ilrs_data.load_all(REPO_ROOT)
    records = Records(ilrs_data.package(REPO_ROOT), tables)
    disputed = tables["discrepancies"]
    partner = disputed.loc[disputed["table_name"] == "partners", "record_id"].iloc[0]
    index = tables["partners"].index[tables["partners"]["partner_id"] == partner][0]
    page = record_page(records, "partners", index)
    assert page.path == f"records/partners/{partner}.html"
    parties = tables["agreement_parties"]
    for agreement in parties.loc[parties["partner_id"] == partner, "agreement_id"]:
        assert f'href="../../records/agreements/{agreement}.html"' in page.body
    for note in disputed.loc[disputed["record_id"] == partner, "note"]:
        assert html.escape(note) in page.body


def test_the_search_index_has_every_record_once():
    """One entry per partner, mission and agreement, found by the name the table gives it."""
    tables = ilrs_data.load_all(REPO_ROOT)
    descriptor = ilrs_data.package(REPO_ROOT)
    records = Records(descriptor, tables)
    pages = [record_page(records, "missions", i) for i in tables["missions"].index]
    script = search_index(descriptor, pages)
    assert script.startswith("window.ILRS_SEARCH = ")
    entries = json.loads(script.removeprefix("window.ILRS_SEARCH = ").rstrip(";\n"))
    missions = [e for e in entries if e["k"] == resource("missions")["title"]]
    assert sorted(e["n"] for e in missions) == sorted(tables["missions"]["name"])


def test_the_timeline_list_links_every_event_to_its_record():
    """The list beside the timeline holds each drawn event once, linked to the record page of
    that name, under the year it falls in."""
    descriptor, tables = ilrs_data.package(REPO_ROOT), ilrs_data.load_all(REPO_ROOT)
    events = timeline(Package.parse(descriptor), tables)
    pages = all_record_pages(descriptor, tables)
    listing = chronology(events, pages)
    items = re.findall(r"<li>(.*?)</li>", listing)
    assert len(items) == len(events.events)
    titles = {page.path: page.title for page in pages}
    for item, event in zip(items, events.events, strict=True):
        path = re.search(r'href="([^"]+)"', item)
        assert path is not None, item
        assert titles[path.group(1)] == event.label
    for year in {event.when.first.year for event in events.events}:
        assert f"<h3>{year}</h3>" in listing


def rail_events(rail_html: str) -> list[ET.Element]:
    return [li for li in ET.fromstring(rail_html).iter("li") if "rail-event" in li.get("class", "")]


def test_the_timeline_rail_holds_every_event_once_with_lane_precision_and_link():
    """The vertical timeline lists the Timeline's events in its order, each under the year it
    falls in, with its lane word, its precision as a marker and its date as the data gives it,
    linked to the record page of that name."""
    descriptor, tables = ilrs_data.package(REPO_ROOT), ilrs_data.load_all(REPO_ROOT)
    events = timeline(Package.parse(descriptor), tables)
    pages = all_record_pages(descriptor, tables)
    root = ET.fromstring(rail(events, pages))
    titles = {page.path: page.title for page in pages}
    shown = []
    for year in root.iterfind("ol/li[@class='rail-year']"):
        heading = int(year.find("details/summary/h3").text)
        for item in year.iterfind("details/ol/li"):
            shown.append(item)
            event = events.events[len(shown) - 1]
            assert heading == event.when.first.year
            assert item.get("class").split() == ["rail-event", event.lane, event.when.precision]
            assert item.find("span[@class='glyph " + event.when.precision + "']") is not None
            date = item.find(".//time")
            assert (date.get("datetime"), date.text) == (event.when.text, event.when.human())
            assert (
                item.find(".//span[@class='lane lane-" + event.lane + "']").text
                == (LANE_WORDS[event.lane])
            )
            assert titles[item.find(".//a").get("href")] == event.label
    assert len(shown) == len(events.events)


def test_the_rails_busiest_years_start_folded_under_a_heading_that_counts_them():
    """A year of more than FOLD_ABOVE events starts folded, the others open; every heading
    counts its year's events by lane, and the counts add up to the events under it."""
    descriptor, tables = ilrs_data.package(REPO_ROOT), ilrs_data.load_all(REPO_ROOT)
    events = timeline(Package.parse(descriptor), tables)
    root = ET.fromstring(rail(events, all_record_pages(descriptor, tables)))
    folded = []
    for year in root.iterfind("ol/li[@class='rail-year']"):
        details = year.find("details")
        held = details.findall("ol/li")
        if details.get("open") is None:
            folded.append(int(details.find("summary/h3").text))
            assert len(held) > FOLD_ABOVE
        else:
            assert len(held) <= FOLD_ABOVE
        count = details.find("summary/span[@class='rail-count']").text
        if held:
            total, _, by_lane = count.rpartition(": ")
            assert total in ("", f"{len(held)} events")
            assert sum(int(part.split()[0]) for part in by_lane.split(", ")) == len(held)
        else:
            assert count.endswith(("programme phase", "programme phases"))
    busiest = Counter(event.when.first.year for event in events.events)
    assert folded == sorted(year for year, n in busiest.items() if n > FOLD_ABOVE)
    assert folded  # the shipped data has years busy enough to fold


def test_a_rail_years_heading_words_each_lane_in_singular_and_plural():
    data = Timeline(
        events=[
            Event("partners", "A state", moment("2021-03-09"), "joined"),
            Event("partners", "Another state", moment("2021-04"), "joined"),
            Event("agreements", "A memorandum", moment("2021-07"), "memorandum"),
            Event("launched", "Lander-1", moment("2021-08-01"), "launched"),
        ],
        phases=[Phase("Phase two", moment("2030"))],
        status_as_of=None,
        left_out=[],
    )
    counts = [
        span.text
        for span in ET.fromstring(rail(data, [])).iter("span")
        if span.get("class") == "rail-count"
    ]
    assert counts == [
        "4 events: 2 partners joined, 1 agreement, 1 mission launched",
        "1 programme phase",
    ]
    one_lane = Timeline(events=data.events[:2], phases=[], status_as_of=None, left_out=[])
    assert "2 partners joined" in rail(one_lane, [])


def test_the_rail_writes_each_date_at_its_own_precision_and_never_pads_it():
    """A year-only date reads '2028 (year known)', a month-only date 'Jul 2022 (month known)':
    no day or month is invented, and the marker has the SVG legend's shape for each."""
    data = Timeline(
        events=[
            Event("partners", "A state", moment("2021-03-09"), "joined"),
            Event("agreements", "A memorandum", moment("2022-07"), "memorandum"),
            Event("planned", "Lander-2", moment("2028"), "planned"),
        ],
        phases=[Phase("Phase one", moment("2021"))],
        status_as_of=None,
        left_out=["1 mission without a launch date"],
    )
    html_text = rail(data, [])
    words = ["".join(item.itertext()) for item in rail_events(html_text)]
    assert words == [
        "9 Mar 2021 joined A state",
        "Jul 2022 (month known) agreement A memorandum",
        "2028 (year known) mission planned Lander-2",
    ]
    assert [item.find("span").get("class") for item in rail_events(html_text)] == [
        "glyph day",
        "glyph month",
        "glyph year",
    ]
    assert "2022-07-01" not in html_text and "2028-01" not in html_text
    assert "Phase one, from 2021" in html_text
    assert "Not shown: 1 mission without a launch date." in html_text


def test_the_rail_draws_each_lane_in_the_svgs_colour():
    """The stylesheet colours each lane's markers on the rail as the SVG colours its lane."""
    css = (REPO_ROOT / "src/ilrs_pipeline/site/assets/style.css").read_text(encoding="utf-8")
    for lane in TIMELINE_LANES:
        selector = r"\.rail-event\." + lane.key + r"\b[^{]*"
        rule = re.search(selector + r"\{ --lane: (#[0-9a-f]{6}); \}", css)
        assert rule is not None, lane.key
        assert rule.group(1) == lane.colour, lane.key
