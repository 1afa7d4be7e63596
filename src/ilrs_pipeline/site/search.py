"""The offline search index: every record page, country page and table page, as one small script.

It is a script (window.ILRS_SEARCH = [...]) rather than JSON, because a page opened from disk
may not fetch a file next to it but may load a script; search.js reads it on every page.
"""

from __future__ import annotations

import json
from typing import Any

from ilrs_pipeline.site.links import COUNTRIES
from ilrs_pipeline.site.records import Page

COUNTRY_KIND = "Country"


def entry(name: str, kind: str, path: str, words: str) -> dict[str, str]:
    return {"n": name, "k": kind, "u": path, "w": words}


def search_index(descriptor: dict[str, Any], records: list[Page]) -> str:
    """The index script: name, kind of page, path from the root and words to match on."""
    titles = {r["name"]: str(r.get("title", r["name"])) for r in descriptor["resources"]}
    entries = []
    for record in records:
        table = record.path.split("/")[1]
        kind = COUNTRY_KIND if table == COUNTRIES else titles[table]
        key = record.path.rsplit("/", 1)[1].removesuffix(".html")
        entries.append(entry(record.title, kind, record.path, f"{key} {record.description}"))
    for name, title in titles.items():
        entries.append(entry(title, "Table", f"{name}.html", name))
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.ILRS_SEARCH = {text};\n"
