"""Datasette metadata for the release's SQLite database, so that
`datasette ilrs-data-X.sqlite -m ilrs-data-X-datasette.json` shows each table's title and
description, each column's description, the licence and the source links.

Everything comes from the release's descriptor (schemas inlined) and its citation facts.
"""

from __future__ import annotations

import json
from typing import Any


def datasette_metadata(
    descriptor: dict[str, Any], facts: dict[str, str], database: str
) -> dict[str, Any]:
    """The metadata document; `database` is the SQLite file's name without `.sqlite`."""
    tables = {
        resource["name"]: {
            "title": resource.get("title", resource["name"]),
            "description": resource.get("description", ""),
            "columns": {
                field["name"]: field.get("description", "")
                for field in resource["schema"]["fields"]
            },
        }
        for resource in descriptor["resources"]
    }
    tables["metadata"] = {"description": "Version, licence and citation of this release."}
    tables["fields"] = {"description": "Every column of every table: type and description."}
    tables["partial_dates"] = {
        "description": "Every partial date (YYYY, YYYY-MM or YYYY-MM-DD) with its precision "
        "and its first and last possible day."
    }
    source = facts["id"] or facts["homepage"]
    return {
        "title": f"{facts['title']} {facts['version']}",
        "description": facts["description"],
        "license": facts["licence"],
        "license_url": facts["licence_url"],
        "source": source,
        "source_url": source,
        "about": "Citation: " + facts["citation"],
        "about_url": facts["homepage"],
        "databases": {database: {"title": facts["title"], "tables": tables}},
    }


def datasette_bytes(descriptor: dict[str, Any], facts: dict[str, str], database: str) -> bytes:
    document = datasette_metadata(descriptor, facts, database)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
