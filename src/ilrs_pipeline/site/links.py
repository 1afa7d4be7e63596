"""Where each thing of the site lives: a record's permanent page, a row of a table page.

Partners, missions and agreements each get a page per row at records/<table>/<id>.html, a URL
that stays the same from release to release; a row of any other table is an anchor of its
table page. Every href is relative, led by `base`, so links work from any folder and from disk.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

RECORD_TABLES = ("partners", "missions", "agreements")
COUNTRIES = "countries"


def record_path(table: str, key: str) -> str:
    """The permalink of a record, relative to the site's root."""
    return f"records/{table}/{quote(key, safe='')}.html"


def row_href(table: str, key: str, base: str = "") -> str:
    """A record's page if its table has them, else its row on the table page."""
    if table in RECORD_TABLES:
        return base + record_path(table, key)
    return f"{base}{table}.html#{key}"


def row_link(table: str, key: str, base: str = "", words: str | None = None) -> str:
    return f'<a href="{escape(row_href(table, key, base))}">{escape(words or key)}</a>'
