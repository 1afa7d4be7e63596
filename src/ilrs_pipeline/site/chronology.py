"""The timeline as a list, year by year: the same events the SVG draws, readable on any screen
and by a screen reader, each linked to its record page.

Events name their record by its unique name (the schemas' uniqueName marker), so the link is
found by name within the record table the event's lane comes from.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from ilrs_pipeline.render.events import Timeline
from ilrs_pipeline.site.records import Page

# Which record table each lane of the timeline draws from, and how the list words it.
LANES = {
    "partners": ("partners", "joined"),
    "agreements": ("agreements", "agreement"),
    "launched": ("missions", "mission launched"),
    "planned": ("missions", "mission planned"),
}


def chronology(timeline: Timeline, records: list[Page]) -> str:
    """An ordered list per year; each event with its date at its own precision."""
    paths = {(page.path.split("/")[1], page.title): page.path for page in records}
    years = []
    for year, events in groupby(timeline.events, key=lambda e: e.when.first.year):
        items = []
        for event in events:
            table, words = LANES.get(event.lane, ("", event.lane))
            path = paths.get((table, event.label))
            label = escape(event.label + (f" ({event.flag})" if event.flag else ""))
            name = f'<a href="{escape(path)}">{label}</a>' if path else label
            items.append(
                f'<li><time datetime="{escape(event.when.text)}">'
                f"{escape(event.when.human())}</time> · "
                f'<span class="lane lane-{escape(event.lane)}">{escape(words)}</span> {name}</li>'
            )
        years.append(f"<h3>{year}</h3>\n<ol>{''.join(items)}</ol>")
    return (
        '<details class="chronology" id="chronology"><summary>The timeline as a list, year by '
        "year</summary>\n" + "\n".join(years) + "\n</details>"
    )
