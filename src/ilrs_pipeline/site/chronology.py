"""The timeline in HTML, year by year: the same events the SVG draws, readable on any screen
and by a screen reader, each linked to its record page.

Two views come from one `Timeline`: a collapsed list under the wide SVG, and a vertical rail
that stands in for both on a phone (the stylesheet shows one or the other, never both).

Events name their record by its unique name (the schemas' uniqueName marker), so the link is
found by name within the record table the event's lane comes from.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from itertools import groupby
from typing import NamedTuple

from ilrs_pipeline.render.events import Event, Phase, Timeline
from ilrs_pipeline.site.labels import date_html
from ilrs_pipeline.site.records import Page


class Lane(NamedTuple):
    """Which record table a lane of the timeline draws from, and how the rail words it: beside
    one event, and counting a year's events ("1 agreement", "15 agreements")."""

    table: str
    word: str
    one: str
    many: str


LANES = {
    "partners": Lane("partners", "joined", "partner joined", "partners joined"),
    "agreements": Lane("agreements", "agreement", "agreement", "agreements"),
    "launched": Lane("missions", "mission launched", "mission launched", "missions launched"),
    "planned": Lane("missions", "mission planned", "mission planned", "missions planned"),
}

# A year on the rail with more events than this starts folded under its heading.
FOLD_ABOVE = 8

# Record page paths by (table, title).
PathsByName = dict[tuple[str, str], str]

# The rail's key to its markers: the SVG legend's shapes and words.
RAIL_LEGEND = (
    ("day", "day known"),
    ("month", "only the month known"),
    ("year", "only the year known"),
)


def record_paths(records: list[Page]) -> PathsByName:
    """Each record page by its table and title, the two things an event knows of its record."""
    return {(page.path.split("/")[1], page.title): page.path for page in records}


def lane_word(event: Event) -> str:
    """The lane in words, so it is never told by colour alone."""
    lane = LANES.get(event.lane)
    return lane.word if lane else event.lane


def event_name(event: Event, paths: PathsByName) -> str:
    """The event's name, with its flag, linked to its record page when it has one."""
    lane = LANES.get(event.lane)
    path = paths.get((lane.table, event.label)) if lane else None
    label = escape(event.label + (f" ({event.flag})" if event.flag else ""))
    return f'<a href="{escape(path)}">{label}</a>' if path else label


def lane_tag(event: Event) -> str:
    """The lane word in a tag tinted as its lane."""
    return f'<span class="lane lane-{escape(event.lane)}">{escape(lane_word(event))}</span>'


def by_year(timeline: Timeline) -> list[tuple[int, list[Event]]]:
    """The events grouped under the year each starts in (they come sorted by date)."""
    return [
        (year, list(events))
        for year, events in groupby(timeline.events, key=lambda e: e.when.first.year)
    ]


def chronology(timeline: Timeline, records: list[Page]) -> str:
    """An ordered list per year; each event with its date at its own precision."""
    paths = record_paths(records)
    years = []
    for year, events in by_year(timeline):
        items = "".join(
            f'<li><time datetime="{escape(event.when.text)}">'
            f"{escape(event.when.human())}</time> · {lane_tag(event)} {event_name(event, paths)}"
            "</li>"
            for event in events
        )
        years.append(f"<h3>{year}</h3>\n<ol>{items}</ol>")
    return (
        '<details class="chronology" id="chronology"><summary>The timeline as a list, year by '
        "year</summary>\n" + "\n".join(years) + "\n</details>"
    )


def glyph(precision: str) -> str:
    """A marker of the SVG's shape for the precision: dot for a day, ring for a month, bar for
    a year. Decorative: the date beside it says the same in words."""
    return f'<span class="glyph {precision}" aria-hidden="true"></span>'


def rail_event(event: Event, paths: PathsByName) -> str:
    """One event on the rail: its marker, its date at its precision, its lane, its name."""
    return (
        f'<li class="rail-event {escape(event.lane)} {event.when.precision}">'
        f"{glyph(event.when.precision)}"
        f'<span class="when">{date_html(event.when.text)} {lane_tag(event)}</span> '
        f'<span class="what">{event_name(event, paths)}</span></li>'
    )


def rail_legend() -> str:
    """What each marker shape means, as the SVG's legend says it; planned bars are dashed."""
    items = [f"<li>{glyph(shape)}{escape(words)}</li>" for shape, words in RAIL_LEGEND]
    items.append(f'<li class="planned">{glyph("year")}planned</li>')
    return f'<ul class="rail-legend">{"".join(items)}</ul>'


def year_summary(events: list[Event], phases: list[Phase]) -> str:
    """What a year holds, in words, beside its heading: "3 agreements", or "48 events:
    30 partners joined, 15 agreements, 3 missions launched"."""
    if not events:
        return f"{len(phases)} programme phase{'s' if len(phases) > 1 else ''}"
    lanes = Counter(event.lane for event in events)
    parts = [f"{count} {lane_count(lane, count)}" for lane, count in lanes.items()]
    if len(parts) == 1:
        return parts[0]
    return f"{len(events)} events: {', '.join(parts)}"


def lane_count(lane: str, count: int) -> str:
    known = LANES.get(lane)
    if known is None:
        return lane
    return known.one if count == 1 else known.many


def rail_year(year: int, events: list[Event], phases: list[Phase], paths: PathsByName) -> str:
    """A year on the rail: a heading that folds it, any programme phase starting in it, then its
    events. A year of more than FOLD_ABOVE events starts folded, so the busiest years do not
    make the rail a dozen phone screens long; its heading says what it holds."""
    starts = "".join(
        f'<p class="rail-phase">{escape(phase.label)}, from {escape(phase.start.human())}</p>'
        for phase in phases
    )
    items = "".join(rail_event(event, paths) for event in events)
    opened = "" if len(events) > FOLD_ABOVE else ' open=""'
    return (
        f'<li class="rail-year"><details{opened}><summary><h3>{year}</h3> '
        f'<span class="rail-count">{escape(year_summary(events, phases))}</span></summary>'
        f"{starts}" + (f"<ol>{items}</ol>" if items else "") + "</details></li>"
    )


def rail_notes(timeline: Timeline) -> str:
    """What the SVG writes beside its lanes: the latest status report and what is left out."""
    notes = [f"Not shown: {'; '.join(timeline.left_out)}."]
    if timeline.status_as_of is not None:
        day = timeline.status_as_of
        notes.insert(0, f"Mission statuses as of the latest status report, {day.day} {day:%b %Y}.")
    return f'<p class="small muted">{escape(" ".join(notes))}</p>'


def rail(timeline: Timeline, records: list[Page]) -> str:
    """The timeline drawn vertically, years running down a rail, for screens too narrow for
    the SVG: an ordered list, so it reflows with the text size and reads in date order."""
    paths = record_paths(records)
    events = dict(by_year(timeline))
    phases = {
        year: list(group)
        for year, group in groupby(timeline.phases, key=lambda p: p.start.first.year)
    }
    years = "\n".join(
        rail_year(year, events.get(year, []), phases.get(year, []), paths)
        for year in sorted(events.keys() | phases.keys())
    )
    return (
        f'<div class="timeline-rail" id="timeline-rail">{rail_legend()}\n'
        f'<ol class="rail">\n{years}\n</ol>\n{rail_notes(timeline)}</div>'
    )
