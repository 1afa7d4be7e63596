"""One page per table: its fields in words, then every row, filterable and sortable.

All rows are written into the page (table.js only hides and reorders them), so the page shows
the whole table without a server. Columns come in reading order (name, status, dates first),
enum values show their titles, and each cell carries its field's label so a narrow screen can
show every row as a card. References become links: a row's name to its record page, a foreign
key to the record or row it names, each cited source to its row of the sources table, a URL to
the page it names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

import pandas as pd

from ilrs_pipeline.model.dates import moment
from ilrs_pipeline.render.schema_words import field_rules, is_required, table_rules, type_words
from ilrs_pipeline.render.words import as_text
from ilrs_pipeline.site.html import inline_code
from ilrs_pipeline.site.labels import enum_title, field_label, is_enum, name_field, reading_order
from ilrs_pipeline.site.links import RECORD_TABLES, row_link

Resource = dict[str, Any]
CellRenderer = Callable[[str, pd.Series], str]
LONG_TEXT = 60  # mean characters above which a column gets room to be read as prose
CARD_FIELDS = 4  # the leading fields a record table's card shows on a narrow screen


def row_key(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Each row's primary key as text, several fields joined by '/' (as discrepancies cite them)."""
    return as_texts(frame[keys]).agg("/".join, axis=1)


def as_texts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(as_text).fillna("")


def primary_key(resource: Resource) -> list[str]:
    key = resource["schema"].get("primaryKey", [])
    return key if isinstance(key, list) else [key]


def renderers(
    resource: Resource, descriptor: dict[str, Any], base: str = ""
) -> dict[str, CellRenderer]:
    """How to write each field that refers to something else or has a closed list of values,
    keyed by field name; `base` leads back to the site's root from the page they are on."""
    schema = resource["schema"]
    keyed_by = {r["name"]: primary_key(r) for r in descriptor["resources"]}
    found: dict[str, CellRenderer] = {}
    for key in schema.get("foreignKeys", []):
        target = key["reference"].get("resource") or resource["name"]
        if [key["reference"]["fields"]] == keyed_by.get(target) and isinstance(key["fields"], str):
            found[key["fields"]] = partial(_linked, target=target, base=base)
    for field in schema["fields"]:
        markers = field.get("x-ilrs", {})
        if "sourceList" in markers:
            sources = markers["sourceList"]["resource"]
            found[field["name"]] = partial(_linked_list, target=sources, base=base)
        elif markers.get("httpsUrl"):
            found[field["name"]] = _external_link
        elif "recordIn" in markers:
            column = markers["recordIn"]
            found[field["name"]] = partial(_linked_by_column, column=column, base=base)
        elif is_enum(field):
            found[field["name"]] = partial(_enum_value, field=field)
    return found


def _enum_value(value: str, _row: pd.Series, field: dict[str, Any]) -> str:
    return escape(enum_title(field, value))


def _external_link(value: str, _row: pd.Series) -> str:
    return f'<a href="{escape(value)}" rel="noopener noreferrer">{escape(value)}</a>'


def _linked(value: str, _row: pd.Series, target: str, base: str) -> str:
    return row_link(target, value, base)


def _linked_list(value: str, _row: pd.Series, target: str, base: str) -> str:
    return " ".join(
        f'<a href="{escape(base)}{escape(target)}.html#{escape(part)}">{escape(part)}</a>'
        for part in value.split(";")
    )


def _linked_by_column(value: str, row: pd.Series, column: str, base: str) -> str:
    return row_link(str(row[column]), value, base)


def field_row(field: dict[str, Any], schema: dict[str, Any], table: str) -> str:
    rules = "<br>".join(inline_code(rule) for rule in field_rules(field, schema, table))
    return (
        f'<tr><th scope="row"><code>{escape(field["name"])}</code></th>'
        f"<td>{escape(type_words(field))}</td><td>{'yes' if is_required(field) else 'no'}</td>"
        f"<td>{inline_code(field.get('description', ''))}</td>"
        f'<td class="rules">{rules}</td></tr>'
    )


def fields_section(resource: Resource) -> str:
    """The table's fields in words, collapsed by default."""
    schema = resource["schema"]
    rows = "\n".join(field_row(field, schema, resource["name"]) for field in schema["fields"])
    notes = "".join(f"<li>{inline_code(rule)}</li>" for rule in table_rules(schema))
    return (
        f'<details class="fields"><summary>The {len(schema["fields"])} fields of this table'
        f"</summary>\n<ul>{notes}</ul>\n"
        '<div class="scroll-x scrollable" tabindex="0" role="region" '
        'aria-label="Fields (scrolls sideways)"><table class="schema"><thead><tr><th>Field</th>'
        "<th>Type</th>"
        "<th>Required</th><th>Description</th><th>Rules</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></div></details>"
    )


def controls(resource: Resource, texts: pd.DataFrame, fields: list[dict[str, Any]]) -> str:
    """A text filter plus one drop-down per field with a closed list of values; `fields` in the
    order the table shows them, so each drop-down names its column."""
    selects = []
    for index, field in enumerate(fields):
        enum = field.get("constraints", {}).get("enum")
        if not enum:
            continue
        counts = texts[field["name"]].value_counts()
        options = "".join(
            f'<option value="{escape(v)}">{escape(enum_title(field, v))} ({counts[v]})</option>'
            for v in enum
            if v in counts
        )
        selects.append(
            f'<label>{escape(field_label(field))}<select data-column="{index}">'
            f'<option value="">all</option>{options}</select></label>'
        )
    return (
        '<div class="controls" role="search" aria-label="Filter this table">'
        '<label>Filter rows<input type="search" id="filter" placeholder="Any word, name or id"'
        ' autocomplete="off"></label>'
        + "".join(selects)
        + '<button type="button" id="reset" hidden>Clear filters</button></div>'
    )


def data_table(resource: Resource, frame: pd.DataFrame, descriptor: dict[str, Any]) -> str:
    """Every row, columns in reading order; a record table's name cell links to its page."""
    ordered = reading_order(resource, descriptor)
    fields = [f["name"] for f in ordered]
    texts = as_texts(frame[fields])
    special = renderers(resource, descriptor)
    named = name_field(resource) if resource["name"] in RECORD_TABLES else None
    # Mean length as a float: an empty table's mean is NaN, which is not long.
    long = {name for name in fields if texts[name].str.len().astype(float).mean() > LONG_TEXT}
    keys = row_key(frame, primary_key(resource)) if primary_key(resource) else None
    # On a phone a record table's cards show only the leading fields: its record page has all.
    more = set(fields[CARD_FIELDS:]) if named else set()
    head = "".join(
        f'<th scope="col" data-field="{escape(f["name"])}"'
        + (' class="more"' if f["name"] in more else "")
        + f'><button type="button">{escape(field_label(f))}</button></th>'
        for f in ordered
    )
    labels = {f["name"]: escape(field_label(f)) for f in ordered}
    body = []
    for index, row in texts.iterrows():
        cells = []
        for name in fields:
            value = row[name]
            shown = special[name](value, row) if value and name in special else escape(value)
            if name == named and keys is not None:
                shown = row_link(resource["name"], keys[index], words=value)
            classes = " ".join(
                c for c, on in (("long", name in long), ("more", name in more)) if on
            )
            kind = f' class="{classes}"' if classes else ""
            cells.append(
                f'<td{kind} data-label="{labels[name]}" data-value="{escape(value)}">{shown}</td>'
            )
        anchor = f' id="{escape(keys[index])}"' if keys is not None else ""
        body.append(f"<tr{anchor}>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap"><table class="data" id="table-{escape(resource["name"])}">'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def table_body(
    resource: Resource, frame: pd.DataFrame, descriptor: dict[str, Any], newest: str = ""
) -> str:
    """The main content of a table page; `newest` is the newest date among its cited sources."""
    name = resource["name"]
    texts = as_texts(frame)
    fresh = f" · newest cited source {escape(moment(newest).human())}" if newest else ""
    return "\n".join(
        [
            f"<h1>{escape(str(resource.get('title', name)))}</h1>",
            f'<p class="lede">{inline_code(resource.get("description", ""))}</p>',
            f'<p class="small muted">{len(frame)} rows · table <code>{escape(name)}</code>'
            f"{fresh} · "
            f'<a href="data/{escape(name)}.csv" download>Download this table as CSV</a> · '
            '<a href="downloads.html">the whole release</a></p>',
            fields_section(resource),
            controls(resource, texts, reading_order(resource, descriptor)),
            f'<p id="row-count" aria-live="polite">Showing {len(frame)} of {len(frame)} rows</p>',
            (
                '<p class="phone-note small muted">On a narrow screen each card shows the first '
                f"{CARD_FIELDS} fields; open a name for the whole record.</p>"
                if name in RECORD_TABLES
                else ""
            ),
            data_table(resource, frame, descriptor),
        ]
    )
