"""Draw the timeline of partners joining, agreements and missions as one deterministic SVG.

Each date is drawn at its own precision: a known day as a dot, a known month as a hollow dot,
a known year as a bar across that year. Planned missions have their own lane and dashed bars.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from html import escape

from ilrs_pipeline.render.events import Event, Phase, Timeline
from ilrs_pipeline.render.svg import GRID, MUTED, document, tag, text, text_width
from ilrs_pipeline.render.words import counted

DASH = "\u2013"
TITLE = "The ILRS over time: partners joining, agreements and missions"
WIDTH = 1000
LEFT, RIGHT = 170, 24
RADIUS = 4.5
DOT_STEP = 10
ROW_STEP = 19
LABEL_SIZE = 12
LANE_GAP = 14
BUSY_DAY = 5
PHASE_LABELS = 34


@dataclass(frozen=True)
class Lane:
    key: str
    title: str
    noun: str
    colour: str
    labelled: bool
    dashed: bool = False


LANES = (
    Lane("partners", "Partners joining", "partner", "#007a5e", labelled=False),
    Lane("agreements", "Agreements", "agreement", "#0060a8", labelled=False),
    Lane("launched", "Missions launched", "mission", "#c04a00", labelled=True),
    Lane("planned", "Missions planned", "mission", "#c04a00", labelled=True, dashed=True),
)


@dataclass(frozen=True)
class Scale:
    """Days to x pixels over whole years, so year boundaries fall on the grid."""

    first_year: int
    last_year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.last_year + 1, 1, 1)

    def x(self, day: dt.date) -> float:
        span = (self.end - self.start).days
        return LEFT + (day - self.start).days / span * (WIDTH - LEFT - RIGHT)


@dataclass(frozen=True)
class Mark:
    """An event placed on the page: its marker span, its label extent and its stacking level."""

    event: Event
    x0: float
    x1: float
    level: int

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def short_label(event: Event) -> str:
    """A name without its parenthetical aliases, to keep labels short, plus any flag."""
    name = event.label.split(" (", maxsplit=1)[0]
    return f"{name} ({event.flag})" if event.flag else name


def scale_for(data: Timeline) -> Scale:
    days = [e.when.first for e in data.events] + [e.when.last for e in data.events]
    days += [p.start.first for p in data.phases]
    return Scale(min(days).year, max(days).year)


def render_timeline(data: Timeline) -> str:
    """The whole timeline as an SVG document."""
    scale = scale_for(data)
    body: list[str] = []
    top = 112.0
    lanes_top = top
    placed: list[tuple[Lane, list[Mark], float, float]] = []
    for lane in LANES:
        marks = place(lane, [e for e in data.events if e.lane == lane.key], scale)
        height = lane_height(lane, marks)
        placed.append((lane, marks, top, height))
        top += height + LANE_GAP
    lanes_bottom = top - LANE_GAP
    bands, band_labels = phase_bands(data.phases, scale, lanes_top - PHASE_LABELS, lanes_bottom)
    body += [*bands, *year_grid(scale, lanes_top, lanes_bottom), *band_labels]
    for index, (lane, marks, lane_top, height) in enumerate(placed):
        if index:
            body.append(hline(lane_top - LANE_GAP / 2))
        body += draw_lane(lane, marks, lane_top, height)
    if data.status_as_of is not None:
        mission_top = next(t for lane, _, t, _ in placed if lane.key == "launched")
        body += status_line(scale, data.status_as_of, mission_top, lanes_bottom)
    body += header(scale)
    body += footer(data, lanes_bottom)
    height = int(lanes_bottom + 78)
    counts = Counter(e.lane for e in data.events)
    description = (
        f"Timeline {scale.first_year}{DASH}{scale.last_year}: "
        f"{counts['partners']} partners joining, "
        f"{counts['agreements']} agreements, {counts['launched']} missions launched and "
        f"{counts['planned']} planned."
    )
    return document("timeline", (WIDTH, height), TITLE, description, body)


def place(lane: Lane, events: list[Event], scale: Scale) -> list[Mark]:
    """Give each event the lowest level where neither its marker nor its label overlaps another."""
    taken: dict[int, list[tuple[float, float]]] = {}
    marks = []
    for event in events:
        x0 = scale.x(event.when.first)
        x1 = scale.x(event.when.last + dt.timedelta(days=1))
        left, right = extent(lane, event, x0, x1)
        level = 0
        while any(a < right + 2 and left - 2 < b for a, b in taken.get(level, [])):
            level += 1
        taken.setdefault(level, []).append((left, right))
        marks.append(Mark(event, x0, x1, level))
    return marks


def extent(lane: Lane, event: Event, x0: float, x1: float) -> tuple[float, float]:
    """Horizontal room a mark needs: its marker, plus its label in labelled lanes."""
    centre = (x0 + x1) / 2
    left, right = min(x0, centre - RADIUS), max(x1, centre + RADIUS)
    if not lane.labelled:
        return left, right
    width = text_width(short_label(event), LABEL_SIZE) + 4
    if right + width > WIDTH - RIGHT:
        return left - width, right
    return left, right + width


def lane_height(lane: Lane, marks: list[Mark]) -> float:
    levels = max((m.level for m in marks), default=0) + 1
    if lane.labelled:
        return max(levels * ROW_STEP + 6, 30)
    return max(levels * DOT_STEP + 24, 30)


def draw_lane(lane: Lane, marks: list[Mark], top: float, height: float) -> list[str]:
    body = [
        text(
            LEFT - 12,
            top + height / 2 + 4,
            lane.title,
            text_anchor="end",
            font_weight=600,
            font_size=13,
        ),
        text(
            LEFT - 12,
            top + height / 2 + 19,
            counted(len(marks), lane.noun),
            text_anchor="end",
            fill=MUTED,
            font_size=12,
        ),
    ]
    for mark in marks:
        if lane.labelled:
            y = top + 4 + ROW_STEP * mark.level + ROW_STEP / 2
        else:
            y = top + height - 6 - DOT_STEP * mark.level - RADIUS
        body.append(draw_mark(lane, mark, y))
    if not lane.labelled:
        body += busiest_day(lane, marks, top + height)
    return body


def draw_mark(lane: Lane, mark: Mark, y: float) -> str:
    """One marker with a hover title; labelled lanes also write the short name beside it."""
    event = mark.event
    title = tag("title", {}, escape(f"{event.label} — {event.when.human()} — {event.detail}"))
    dash = {"stroke-dasharray": "3 2"} if lane.dashed else {}
    if mark.event.when.precision == "year":
        shape = tag(
            "rect",
            {
                "x": mark.x0,
                "y": y - RADIUS,
                "width": mark.x1 - mark.x0,
                "height": 2 * RADIUS,
                "rx": 2,
                "fill": lane.colour,
                "fill-opacity": 0.22,
                "stroke": lane.colour,
                "stroke-width": 1.4,
                **dash,
            },
        )
    elif mark.event.when.precision == "day":
        shape = tag(
            "circle",
            {
                "cx": mark.centre,
                "cy": y,
                "r": RADIUS,
                "fill": lane.colour,
                "stroke": "#ffffff",
                "stroke-width": 0.8,
            },
        )
    else:
        shape = tag(
            "circle",
            {
                "cx": mark.centre,
                "cy": y,
                "r": RADIUS - 0.7,
                "fill": "#ffffff",
                "stroke": lane.colour,
                "stroke-width": 1.6,
            },
        )
    parts = [title, shape]
    if lane.labelled:
        parts.append(mark_label(mark, y))
    return tag("g", {"class": f"event {lane.key} {mark.event.when.precision}"}, "".join(parts))


def mark_label(mark: Mark, y: float) -> str:
    name = short_label(mark.event)
    right = max(mark.x1, mark.centre + RADIUS)
    if right + text_width(name, LABEL_SIZE) + 4 > WIDTH - RIGHT:
        left = min(mark.x0, mark.centre - RADIUS)
        return text(left - 4, y + 4, name, text_anchor="end", font_size=LABEL_SIZE)
    return text(right + 4, y + 4, name, font_size=LABEL_SIZE)


def busiest_day(lane: Lane, marks: list[Mark], bottom: float) -> list[str]:
    """Name the date with the most events when it stands out (BUSY_DAY events or more)."""
    counts = Counter(m.event.when for m in marks)
    if not counts:
        return []
    when, count = max(counts.items(), key=lambda item: (item[1], -item[0].first.toordinal()))
    if count < BUSY_DAY:
        return []
    words = f"{count} on {when.human()}"
    x = next(m.centre for m in marks if m.event.when == when)
    half = text_width(words, 11) / 2
    near = [m.level for m in marks if x - half - RADIUS <= m.centre <= x + half + RADIUS]
    y = bottom - 6 - DOT_STEP * (max(near) + 1) - 4
    return [
        text(x, y, words, text_anchor="middle", font_size=12, fill=lane.colour, font_weight=600)
    ]


def phase_bands(
    phases: list[Phase], scale: Scale, top: float, bottom: float
) -> tuple[list[str], list[str]]:
    """Shade each programme phase from its start year to the next phase's start; the labels
    come apart so they can be drawn over the year grid."""
    bands, labels = [], []
    right_edge = WIDTH - RIGHT
    for index, phase in enumerate(phases):
        x0 = scale.x(phase.start.first)
        following = phases[index + 1] if index + 1 < len(phases) else None
        x1 = scale.x(following.start.first) if following else right_edge
        fill = "#f1ede4" if index % 2 == 0 else "#e8eef4"
        bands.append(
            tag("rect", {"x": x0, "y": top, "width": x1 - x0, "height": bottom - top, "fill": fill})
        )
        lines = (phase.label, f"from {phase.start.human()}")
        width = max(text_width(line, 11) for line in lines)
        x, anchor = (right_edge - 6, "end") if x0 + 6 + width > right_edge else (x0 + 6, "start")
        labels += [
            text(
                x,
                top + 14 + 13 * row,
                line,
                text_anchor=anchor,
                font_size=12,
                fill=MUTED,
                font_style="italic",
            )
            for row, line in enumerate(lines)
        ]
    return bands, labels


def year_grid(scale: Scale, top: float, bottom: float) -> list[str]:
    """A rule at each 1 January and the year's number centred under its span."""
    body = []
    years = range(scale.first_year, scale.last_year + 1)
    step = 1 if scale.x(dt.date(scale.first_year + 1, 1, 1)) - scale.x(scale.start) >= 32 else 2
    for year in years:
        x = scale.x(dt.date(year, 1, 1))
        body.append(
            tag(
                "line",
                {
                    "x1": x,
                    "x2": x,
                    "y1": top - PHASE_LABELS,
                    "y2": bottom + 4,
                    "stroke": GRID,
                    "stroke-width": 1,
                },
            )
        )
        if (year - scale.first_year) % step == 0:
            middle = (x + scale.x(dt.date(year + 1, 1, 1))) / 2
            body.append(
                text(middle, bottom + 20, str(year), text_anchor="middle", font_size=12, fill=MUTED)
            )
    end = scale.x(scale.end)
    body.append(
        tag(
            "line",
            {
                "x1": end,
                "x2": end,
                "y1": top - PHASE_LABELS,
                "y2": bottom + 4,
                "stroke": GRID,
                "stroke-width": 1,
            },
        )
    )
    body.append(
        tag(
            "line",
            {
                "x1": LEFT,
                "x2": end,
                "y1": bottom + 4,
                "y2": bottom + 4,
                "stroke": MUTED,
                "stroke-width": 1,
            },
        )
    )
    return body


def status_line(scale: Scale, day: dt.date, top: float, bottom: float) -> list[str]:
    """Mark the newest status report: left of it missions flew, right of it they are plans."""
    x = scale.x(day)
    return [
        tag(
            "line",
            {
                "x1": x,
                "x2": x,
                "y1": top - 4,
                "y2": bottom,
                "stroke": MUTED,
                "stroke-width": 1.2,
                "stroke-dasharray": "4 3",
            },
        ),
        text(
            x - 4,
            bottom - 4,
            f"latest status report: {day.day} {day:%b %Y}",
            text_anchor="end",
            font_size=12,
            fill=MUTED,
        ),
    ]


def hline(y: float) -> str:
    return tag(
        "line", {"x1": 12, "x2": WIDTH - RIGHT, "y1": y, "y2": y, "stroke": GRID, "stroke-width": 1}
    )


def header(scale: Scale) -> list[str]:
    """Title, subtitle and a legend of what each marker shape means."""
    body = [
        text(12, 26, TITLE, font_size=19, font_weight=700),
        text(
            12,
            46,
            f"{scale.first_year}{DASH}{scale.last_year}. Each mark is one partner, agreement "
            "or mission, drawn at the precision its date is known.",
            font_size=12.5,
            fill=MUTED,
        ),
    ]
    x = 12.0
    for kind, words in LEGEND:
        body.append(legend_marker(kind, x, 64.0))
        offset = 32 if kind in ("year", "planned") else 14
        body.append(text(x + offset, 68, words, font_size=12))
        x += offset + text_width(words, 12) + 18
    return body


LEGEND = (
    ("day", "day known"),
    ("month", "only the month known"),
    ("year", "only the year known: the bar spans the year"),
    ("planned", "planned"),
)


def legend_marker(kind: str, x: float, y: float) -> str:
    """A grey sample of a marker shape, its left edge at x and its middle at y."""
    colour = "#444c56"
    if kind == "day":
        return tag("circle", {"cx": x + RADIUS, "cy": y, "r": RADIUS, "fill": colour})
    if kind == "month":
        return tag(
            "circle",
            {
                "cx": x + RADIUS,
                "cy": y,
                "r": RADIUS - 0.7,
                "fill": "#ffffff",
                "stroke": colour,
                "stroke-width": 1.6,
            },
        )
    dash = {"stroke-dasharray": "3 2"} if kind == "planned" else {}
    return tag(
        "rect",
        {
            "x": x,
            "y": y - RADIUS,
            "width": 26,
            "height": 2 * RADIUS,
            "rx": 2,
            "fill": colour,
            "fill-opacity": 0.22,
            "stroke": colour,
            "stroke-width": 1.4,
            **dash,
        },
    )


def footer(data: Timeline, bottom: float) -> list[str]:
    return [
        text(
            12,
            bottom + 48,
            "Not shown: " + "; ".join(data.left_out) + ".",
            font_size=12,
            fill=MUTED,
        ),
        text(
            12,
            bottom + 66,
            "Data: ilrs-data, from the partners, agreements and missions tables"
            + (f" ({data.licence})." if data.licence else "."),
            font_size=12,
            fill=MUTED,
        ),
    ]
