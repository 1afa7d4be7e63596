"""Bar charts of partners by kind and by world region, as deterministic SVG.

Each bar splits partners that joined (founders and members) from those with another tie to the
ILRS, so a reader sees both who is in and who is only around it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ilrs_pipeline.model.package import Table
from ilrs_pipeline.render.events import member_statuses
from ilrs_pipeline.render.regions import NO_COUNTRY, UNKNOWN_REGION, region_of
from ilrs_pipeline.render.schema_words import listing
from ilrs_pipeline.render.svg import GRID, MUTED, document, tag, text, text_width
from ilrs_pipeline.render.words import capitalized, humanize

WIDTH = 520
NARROW = 340  # a phone's width: labels go above their bars, so text stays at its drawn size
LABEL_SIZE = 12.5
ROW = 28
NARROW_ROW = 42
BAR = 18
JOINED, OTHER = "#007a5e", "#a8d5c6"
NOT_REGIONS = (UNKNOWN_REGION, NO_COUNTRY)


@dataclass(frozen=True)
class Bar:
    label: str
    joined: int
    other: int

    @property
    def total(self) -> int:
        return self.joined + self.other


def partner_bars(
    partners: pd.DataFrame,
    groups: pd.Series,
    members: tuple[str, ...],
    last: tuple[str, ...] = (),
) -> list[Bar]:
    """One bar per group, largest first; groups named in `last` go to the end."""
    joined = partners["status"].isin(members)
    counts = pd.DataFrame({"group": groups.astype("string"), "joined": joined})
    bars = [
        Bar(str(group), int(rows["joined"].sum()), int((~rows["joined"]).sum()))
        for group, rows in counts.groupby("group", sort=True)
    ]
    return sorted(bars, key=lambda b: (b.label in last, -b.total, b.label))


def other_statuses(partners: Table) -> list[str]:
    """The partner statuses that are not founder or member, from the schema's enum."""
    members = member_statuses(partners)
    return [s for s in partners.field("status").enum or () if s not in members]


def kind_chart(partners: pd.DataFrame, described_by: Table, width: int = WIDTH) -> str:
    bars = partner_bars(
        partners, partners["kind"].astype("string").map(capitalized), member_statuses(described_by)
    )
    ident = "by-kind" if width == WIDTH else f"by-kind-{width}"
    return bar_chart(ident, "Partners by kind", bars, other_statuses(described_by), width=width)


def region_chart(partners: pd.DataFrame, described_by: Table, width: int = WIDTH) -> str:
    regions = partners["country_code"].fillna("").map(region_of)
    bars = partner_bars(partners, regions, member_statuses(described_by), last=NOT_REGIONS)
    return bar_chart(
        "by-region" if width == WIDTH else f"by-region-{width}",
        "Partners by world region (UN M49)",
        bars,
        other_statuses(described_by),
        note=f"{NO_COUNTRY}: international bodies, or the sources give no seat.",
        width=width,
    )


def wrapped(words: str, width: float, size: float) -> list[str]:
    """Words broken into lines no wider than `width` at font size `size`."""
    lines: list[str] = []
    for word in words.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def bar_chart(
    ident: str,
    title: str,
    bars: list[Bar],
    others: list[str],
    *,
    note: str = "",
    width: int = WIDTH,
) -> str:
    """Stacked horizontal bars with a legend; counts are written at the end of each bar. Below
    NARROW width each label sits above its bar, so the bars keep the whole width."""
    top = 78
    narrow = width <= NARROW
    row = NARROW_ROW if narrow else ROW
    widest = max((text_width(b.label, LABEL_SIZE) for b in bars), default=0)
    label_column = 12 if narrow else 22 + widest
    scale_max = max((b.total for b in bars), default=1)
    bar_width = width - label_column - 44
    body = [
        text(12, 24, title, font_size=15 if narrow else 17, font_weight=700),
        *legend(),
    ]
    for index, bar in enumerate(bars):
        y = top + index * row + (row - ROW if narrow else 0)
        body.append(
            text(12, y - 5, bar.label, font_size=LABEL_SIZE)
            if narrow
            else text(
                label_column - 10,
                y + BAR / 2 + 4,
                bar.label,
                text_anchor="end",
                font_size=LABEL_SIZE,
            )
        )
        x = label_column
        for count, colour, ink in ((bar.joined, JOINED, "#ffffff"), (bar.other, OTHER, "#1f2328")):
            length = count / scale_max * bar_width
            if count:
                body.append(
                    tag(
                        "rect",
                        {"x": x, "y": float(y), "width": length, "height": BAR, "fill": colour},
                    )
                )
            if length >= 16:
                body.append(
                    text(
                        x + length / 2,
                        y + BAR / 2 + 4,
                        str(count),
                        text_anchor="middle",
                        font_size=12,
                        fill=ink,
                    )
                )
            x += length
        body.append(text(x + 6, y + BAR / 2 + 4, str(bar.total), font_size=12, font_weight=600))
    bottom = top + len(bars) * row
    body.append(
        tag(
            "line",
            {
                "x1": label_column,
                "x2": label_column,
                "y1": top - 6,
                "y2": bottom - ROW + BAR + 6,
                "stroke": GRID,
            },
        )
    )
    footnotes = [f"Other tie: {listing([humanize(s) for s in others])}.", *([note] if note else [])]
    lines = [line for words in footnotes for line in wrapped(words, width - 24, 12)]
    for index, words in enumerate(lines):
        body.append(text(12, bottom + 14 + 16 * index, words, font_size=12, fill=MUTED))
    height = bottom + 14 + 16 * len(lines)
    total = sum(b.total for b in bars)
    description = (
        f"{title}: "
        + "; ".join(f"{b.label} {b.total} ({b.joined} founders or members)" for b in bars)
        + f". {total} partners in all."
    )
    return document(ident, (width, height), title, description, body)


def legend() -> list[str]:
    items = (("Founder or member", JOINED), ("Other tie to the ILRS", OTHER))
    x, body = 12.0, []
    for words, colour in items:
        body.append(tag("rect", {"x": x, "y": 39.0, "width": 14, "height": 14, "fill": colour}))
        body.append(text(x + 20, 50, words, font_size=12.5))
        x += 20 + text_width(words, 12.5) + 20
    return body
