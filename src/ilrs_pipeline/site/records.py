"""One page per partner, mission and agreement, and one per country, from the data and its keys.

A record page answers "what is this, and what concerns it": its own fields in words; every row
of another table whose foreign key names it (parties, payloads, history, members...); the
disagreements between sources about it or those rows; and each source it rests on, with the
fields the source supports where data/claims.csv says so. Nothing is listed by hand: joins come
from the schemas' foreignKeys, disagreements and claims from their x-ilrs markers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from ilrs_pipeline.site.labels import (
    date_html,
    enum_title,
    field_label,
    is_date,
    name_field,
    reading_order,
)
from ilrs_pipeline.site.links import COUNTRIES, RECORD_TABLES, record_path, row_link
from ilrs_pipeline.site.table import as_texts, primary_key, renderers, row_key

Resource = dict[str, Any]
BASE = "../../"  # from records/<table>/ back to the site's root
COUNTRY_FIELD = "country_code"  # partners' field that places a partner in a country
STATE_KIND = "state"  # the partners.kind value of a state, which heads its country's page
PROSE_FIELDS = ("notes", "summary", "description")  # the record tables' free-text fields


@dataclass(frozen=True)
class Page:
    """A page's path from the site's root, its title, a one-line description and its body."""

    path: str
    title: str
    description: str
    body: str


@dataclass(frozen=True)
class Join:
    """Rows of `resource` whose `field` names a record of another table."""

    resource: Resource
    field: str


class Records:
    """The package's tables as the record pages read them: texts, keys and joins."""

    def __init__(self, descriptor: dict[str, Any], tables: dict[str, pd.DataFrame]) -> None:
        self.descriptor = descriptor
        self.resources = {r["name"]: r for r in descriptor["resources"]}
        self.texts = {name: as_texts(frame) for name, frame in tables.items()}
        self.keys = {
            name: row_key(tables[name], primary_key(r))
            for name, r in self.resources.items()
            if primary_key(r)
        }

    def with_marker(self, marker: str) -> list[tuple[Resource, str]]:
        """(resource, field) for each field carrying an x-ilrs marker."""
        return [
            (r, f["name"])
            for r in self.resources.values()
            for f in r["schema"]["fields"]
            if marker in f.get("x-ilrs", {})
        ]

    def joins_to(self, table: str) -> list[Join]:
        """Every single-field foreign key, in any table, that points at `table`."""
        found = []
        for resource in self.resources.values():
            for key in resource["schema"].get("foreignKeys", []):
                target = key["reference"].get("resource") or resource["name"]
                if target == table and isinstance(key["fields"], str):
                    found.append(Join(resource, key["fields"]))
        return found

    def name_of(self, table: str, key: str) -> str:
        """A record's name as its table's name field gives it, else its key."""
        name = name_field(self.resources[table])
        texts, keys = self.texts[table], self.keys[table]
        if name is None or not (keys == key).any():
            return key
        return str(texts.loc[keys == key, name].iloc[0]) or key

    def claims_table(self) -> str | None:
        return next(
            (n for n, r in self.resources.items() if r["schema"].get("x-ilrs", {}).get("claims")),
            None,
        )


def value_html(field: dict[str, Any], value: str, row: pd.Series, cell: Any) -> str:
    """A field's value on a record page: dates with their precision, enums with their titles,
    references as links."""
    if not value:
        return '<span class="muted">none given</span>'
    if is_date(field):
        return date_html(value)
    if cell is not None:
        return str(cell(value, row))
    if field.get("constraints", {}).get("enum"):
        return escape(enum_title(field, value))
    return escape(value)


def named_links(records: Records, resource: Resource) -> dict[str, Any]:
    """Renderers for the foreign keys to record tables, written as the record's name."""
    found: dict[str, Any] = {}
    for key in resource["schema"].get("foreignKeys", []):
        target = key["reference"].get("resource") or resource["name"]
        if target in RECORD_TABLES and isinstance(key["fields"], str):
            found[key["fields"]] = lambda value, _row, target=target: row_link(
                target, value, BASE, records.name_of(target, value)
            )
    return found


def facts(records: Records, table: str, row: pd.Series) -> str:
    """The record's own fields as a definition list, sources left to their own section."""
    resource = records.resources[table]
    cells = renderers(resource, records.descriptor, BASE) | named_links(records, resource)
    items = []
    for field in reading_order(resource, records.descriptor):
        name = field["name"]
        if "sourceList" in field.get("x-ilrs", {}):
            continue
        shown = value_html(field, row[name], row, cells.get(name))
        if name == COUNTRY_FIELD and row[name]:
            shown += f' · <a href="{BASE}{record_path(COUNTRIES, row[name])}">country view</a>'
        items.append(f"<dt>{escape(field_label(field))}</dt><dd>{shown}</dd>")
    return '<dl class="facts">\n' + "\n".join(items) + "\n</dl>"


def rows_table(records: Records, resource: Resource, rows: pd.DataFrame, skip: str = "") -> str:
    """Rows of a related table, without the column that points back and without sources (those
    are listed in the page's Sources section); shown as cards on narrow screens."""
    name = resource["name"]
    fields = [
        f
        for f in reading_order(resource, records.descriptor)
        if f["name"] != skip and "sourceList" not in f.get("x-ilrs", {})
    ]
    cells = renderers(resource, records.descriptor, BASE) | named_links(records, resource)
    named = name_field(resource) if name in RECORD_TABLES else None
    head = "".join(f'<th scope="col">{escape(field_label(f))}</th>' for f in fields)
    body = []
    for index, row in rows.iterrows():
        tds = []
        for field in fields:
            value = row[field["name"]]
            shown = value_html(field, value, row, cells.get(field["name"]))
            if field["name"] == named and value:
                shown = row_link(name, records.keys[name][index], BASE, value)
            tds.append(f'<td data-label="{escape(field_label(field))}">{shown}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f'<table class="related" data-table="{escape(name)}"><thead><tr>{head}</tr></thead>'
        "<tbody>\n" + "\n".join(body) + "\n</tbody></table>"
    )


def ordered_rows(resource: Resource, rows: pd.DataFrame) -> pd.DataFrame:
    """A history (x-ilrs historyOf) in date order; other rows as the table has them."""
    if resource["schema"].get("x-ilrs", {}).get("historyOf"):
        dates = [f["name"] for f in resource["schema"]["fields"] if is_date(f)]
        return rows.sort_values(dates[:1], kind="stable") if dates else rows
    return rows


def related(records: Records, table: str, key: str) -> tuple[list[str], dict[str, list[str]]]:
    """A section per join onto the record, and the keys of the rows shown, by table."""
    joins = records.joins_to(table)
    sections: list[str] = []
    shown: dict[str, list[str]] = {}
    for join in joins:
        other = join.resource["name"]
        texts = records.texts[other]
        rows = ordered_rows(join.resource, texts[texts[join.field] == key])
        if rows.empty:
            continue
        title = escape(str(join.resource.get("title", other)))
        # A key named as the record's own key reads plainly; another (parent_id,
        # lead_partner_id...) says the role the record plays.
        plain = [join.field] == primary_key(records.resources[table])
        by = escape(field_label_of(join).lower())
        heading = title if plain else f"{title} with this as their {by}"
        shown.setdefault(other, []).extend(records.keys[other][rows.index].tolist())
        sections.append(
            f'<section class="join" id="join-{escape(other)}-{escape(join.field)}">'
            f'<h2>{heading} <span class="count">{len(rows)}</span></h2>\n'
            f'<p class="small muted">Rows of <a href="{BASE}{escape(other)}.html">{title}</a> '
            f"whose <code>{escape(join.field)}</code> is <code>{escape(key)}</code>.</p>\n"
            f'<div class="related-wrap">{rows_table(records, join.resource, rows, join.field)}'
            "</div></section>"
        )
    return sections, shown


def field_label_of(join: Join) -> str:
    field = next(f for f in join.resource["schema"]["fields"] if f["name"] == join.field)
    return field_label(field)


def disagreements(records: Records, concerning: dict[str, list[str]]) -> str:
    """Discrepancy rows about the record or a row shown with it (x-ilrs recordIn, valueOf)."""
    blocks = []
    for resource, field in records.with_marker("recordIn"):
        if resource["schema"].get("x-ilrs", {}).get("claims"):
            continue
        markers = {f["name"]: f.get("x-ilrs", {}) for f in resource["schema"]["fields"]}
        value_of = next((m["valueOf"] for m in markers.values() if "valueOf" in m), None)
        if value_of is None:
            continue
        texts = records.texts[resource["name"]]
        table_column = markers[field]["recordIn"]
        hit = pd.Series(False, index=texts.index)
        for table, keys in concerning.items():
            hit |= (texts[table_column] == table) & texts[field].isin(keys)
        fields = reading_order(resource, records.descriptor)
        cells = renderers(resource, records.descriptor, BASE)
        for _, row in texts[hit].iterrows():
            items = "".join(
                f"<dt>{escape(field_label(f))}</dt>"
                f"<dd>{value_html(f, row[f['name']], row, cells.get(f['name']))}</dd>"
                for f in fields
            )
            blocks.append(f'<dl class="facts disagreement">{items}</dl>')
    if not blocks:
        return "<h2>Disagreements</h2>\n<p>No source disagrees with another about these rows.</p>"
    return (
        f'<h2>Disagreements <span class="count">{len(blocks)}</span></h2>\n'
        "<p>Where sources differ, the value kept and the other one, each with its sources.</p>\n"
        + "\n".join(blocks)
    )


@dataclass(frozen=True)
class ClaimFields:
    """Which fields of the claims table say the table, record, field, source and where."""

    table: str
    record: str
    field: str
    source: str
    locator: str | None

    @classmethod
    def of(cls, resource: Resource) -> ClaimFields:
        marked = {
            marker: f["name"]
            for f in resource["schema"]["fields"]
            for marker in f.get("x-ilrs", {})
        }
        record = marked["recordIn"]
        table = next(
            f["x-ilrs"]["recordIn"] for f in resource["schema"]["fields"] if f["name"] == record
        )
        used = {table, record, marked["fieldIn"], marked["sourceList"]}
        rest = [f["name"] for f in resource["schema"]["fields"] if f["name"] not in used]
        return cls(table, record, marked["fieldIn"], marked["sourceList"], next(iter(rest), None))


Uses = dict[tuple[str, str], dict[str, list[str]]]  # (table, key) -> locator -> field labels


def source_uses(records: Records, concerning: dict[str, list[str]]) -> dict[str, Uses]:
    """For each source cited by the rows shown, what it is cited for, row by row: the fields
    it supports grouped by where in the source (claims), or, where no claim says so, the
    whole row (an empty field list)."""
    uses: dict[str, Uses] = {}
    claims = records.claims_table()
    if claims is not None:
        texts = records.texts[claims]
        by = ClaimFields.of(records.resources[claims])
        for table, keys in concerning.items():
            rows = texts[(texts[by.table] == table) & texts[by.record].isin(keys)]
            fields = {f["name"]: f for f in records.resources[table]["schema"]["fields"]}
            for _, claim in rows.iterrows():
                locator = claim[by.locator] if by.locator else ""
                where = uses.setdefault(claim[by.source], {}).setdefault(
                    (table, claim[by.record]), {}
                )
                where.setdefault(locator, []).append(field_label(fields[claim[by.field]]))
    for table, keys in concerning.items():
        resource = records.resources[table]
        texts, all_keys = records.texts[table], records.keys[table]
        for field in resource["schema"]["fields"]:
            if "sourceList" not in field.get("x-ilrs", {}):
                continue
            for index in texts.index[all_keys.isin(keys)]:
                for source in filter(None, texts.at[index, field["name"]].split(";")):
                    uses.setdefault(source, {}).setdefault((table, all_keys[index]), {})
    return uses


def uses_html(records: Records, own: str, uses: Uses) -> str:
    """One line per row the source is cited for: its fields and where the source says so."""
    lines = []
    for (table, key), by_locator in uses.items():
        title = escape(str(records.resources[table].get("title", table)))
        row = "This record" if table == own else f"{title} <code>{escape(key)}</code>"
        said = "; ".join(
            ", ".join(f"<strong>{escape(label)}</strong>" for label in labels)
            + (f" ({escape(locator)})" if locator else "")
            for locator, labels in by_locator.items()
        )
        lines.append(f"<li>{row}: {said or 'the whole row'}</li>")
    own_first = sorted(lines, key=lambda line: not line.startswith("<li>This record"))
    return '<ul class="supports">' + "".join(own_first) + "</ul>"


@dataclass(frozen=True)
class SourceFields:
    """The sources table as the x-ilrs sourceList marker names it, with its title (its name
    field), its address (httpsUrl) and its date (the marker's datedBy)."""

    table: str
    title: str | None
    url: str | None
    date: str | None

    @classmethod
    def of(cls, records: Records) -> SourceFields:
        resource, field = records.with_marker("sourceList")[0]
        marker = next(
            f["x-ilrs"]["sourceList"] for f in resource["schema"]["fields"] if f["name"] == field
        )
        table = records.resources[marker["resource"]]
        url = next(
            (f["name"] for f in table["schema"]["fields"] if f.get("x-ilrs", {}).get("httpsUrl")),
            None,
        )
        return cls(marker["resource"], name_field(table), url, marker.get("datedBy"))


def sources_section(records: Records, own: str, concerning: dict[str, list[str]]) -> str:
    """Each source the rows rest on: what it is, and which fields it supports."""
    uses = source_uses(records, concerning)
    by = SourceFields.of(records)
    sources = records.texts[by.table].set_index(records.keys[by.table])
    shown = {by.title, by.url, by.date, *primary_key(records.resources[by.table])}
    # Beside the title and date, the first other plain field the schema lists: the publisher.
    others = [
        f["name"]
        for f in reading_order(records.resources[by.table], records.descriptor)
        if f["name"] not in shown and not is_date(f)
    ][:1]

    def cell(source: str, field: str | None) -> str:
        return str(sources.at[source, field]) if field else ""

    items = []
    for source in sorted(uses, key=lambda s: (cell(s, by.date) or "0", s), reverse=True):
        date = date_html(cell(source, by.date)) if cell(source, by.date) else "undated"
        title = escape(cell(source, by.title) or source)
        heading = (
            f'<a href="{escape(cell(source, by.url))}" rel="noopener noreferrer">{title}</a>'
            if cell(source, by.url)
            else title
        )
        meta = [escape(cell(source, field)) for field in others if cell(source, field)]
        items.append(
            f'<li id="source-{escape(source)}">{heading}<span class="meta">'
            + " · ".join([*meta, date])
            + f' · <a href="{BASE}{escape(by.table)}.html#{escape(source)}">{escape(source)}</a>'
            f"</span>{uses_html(records, own, uses[source])}</li>"
        )
    return (
        f'<h2>Sources <span class="count">{len(items)}</span></h2>\n'
        "<p>Newest first. Where the data records which field a source supports (and where in "
        "it), that is named; otherwise the source is cited for the whole row.</p>\n"
        f'<ul class="sources">\n{"".join(items)}\n</ul>'
    )


def country_note(members: list[str], row: pd.Series) -> str:
    """For a record whose own table lists bodies belonging to it (a state's agencies), a
    pointer to the country view, which gathers their agreements and payloads too."""
    code = row.get(COUNTRY_FIELD, "")
    if not members or not code:
        return ""
    href = f"{BASE}{record_path(COUNTRIES, code)}"
    return (
        f'<p class="note">Bodies belonging to it sign agreements and carry payloads in their own '
        f'name: the <a href="{escape(href)}">country view of {escape(code)}</a> gathers them all.'
        "</p>"
    )


def permalink(path: str) -> str:
    """A page's stable address, as a link to itself."""
    return f'<a href="{BASE}{escape(path)}" rel="bookmark"><code>{escape(path)}</code></a>'


def record_page(records: Records, table: str, index: int) -> Page:
    resource = records.resources[table]
    row = records.texts[table].loc[index]
    key = str(records.keys[table][index])
    name = records.name_of(table, key)
    path = record_path(table, key)
    joins, shown = related(records, table, key)
    # Rows of the record's own table shown with it (a state's agencies) have their own pages.
    concerning = {table: [key], **{t: k for t, k in shown.items() if t != table}}
    singular = escape(resource.get("title", table))
    body = "\n".join(
        [
            f'<p class="crumbs small"><a href="{BASE}{escape(table)}.html">{singular}</a> · '
            f"permalink {permalink(path)}</p>",
            f"<h1>{escape(name)}</h1>",
            facts(records, table, row),
            country_note(shown.get(table, []), row),
            *joins,
            disagreements(records, concerning),
            sources_section(records, table, concerning),
        ]
    )
    # The row's prose, for the page's description and the search index.
    summary = next((row[f] for f in PROSE_FIELDS if row.get(f)), "")
    return Page(path, name, str(summary), body)


def country_pages(records: Records) -> list[Page]:
    """One page per country: its state (if the data has it) and every partner seated there."""
    partners = records.texts["partners"]
    keys = records.keys["partners"]
    pages = []
    for code, members in partners[partners[COUNTRY_FIELD] != ""].groupby(COUNTRY_FIELD):
        states = members[members["kind"] == STATE_KIND]
        named = name_field(records.resources["partners"]) or COUNTRY_FIELD
        title = str(states[named].iloc[0]) if not states.empty else str(code)
        table = rows_table(records, records.resources["partners"], members, COUNTRY_FIELD)
        member_keys = keys[members.index].tolist()
        parties = [j for j in records.joins_to("partners") if j.resource["name"] != "partners"]
        sections = []
        for join in parties:
            texts = records.texts[join.resource["name"]]
            rows = texts[texts[join.field].isin(member_keys)]
            if rows.empty:
                continue
            sections.append(
                f"<h2>{escape(str(join.resource.get('title', join.resource['name'])))} "
                f'<span class="count">{len(rows)}</span></h2>\n<div class="related-wrap">'
                + rows_table(records, join.resource, ordered_rows(join.resource, rows))
                + "</div>"
            )
        path = record_path(COUNTRIES, str(code))
        body = "\n".join(
            [
                f'<p class="crumbs small">Country view · permalink {permalink(path)}</p>',
                f"<h1>{escape(title)}</h1>",
                f'<p class="lede">Every partner whose <code>{COUNTRY_FIELD}</code> is '
                f"<code>{escape(str(code))}</code>: the state and its agencies and "
                "institutions.</p>",
                f'<h2>Partners <span class="count">{len(members)}</span></h2>',
                f'<div class="related-wrap">{table}</div>',
                *sections,
            ]
        )
        pages.append(Page(path, title, f"The partners of {title} in the ILRS data.", body))
    return pages


def all_record_pages(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame]) -> list[Page]:
    """Every record page and country page of the site."""
    records = Records(descriptor, tables)
    pages = [
        record_page(records, table, index)
        for table in RECORD_TABLES
        for index in records.texts[table].index
    ]
    return pages + country_pages(records)
