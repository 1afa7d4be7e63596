"""The release's citation facts in one dict, read from datapackage.json and CITATION.cff.

The SQLite `metadata` table, the Datasette metadata, the workbook's README sheet and the
Parquet files' key-value metadata all say the same version, licence and citation because they
all take them from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def citation(root: Path) -> dict[str, Any]:
    """CITATION.cff as a dict."""
    loaded: dict[str, Any] = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    return loaded


def citation_text(cff: dict[str, Any]) -> str:
    """A one-line citation in the README's form, from CITATION.cff."""
    authors = ", ".join(
        author.get("name", author.get("family-names", "")) for author in cff["authors"]
    )
    where = f"https://doi.org/{cff['doi']}" if cff.get("doi") else cff.get("url", "")
    text = f"{authors}. {cff['title']}, version {cff['version']}. Dataset, {cff['license']}."
    return f"{text} {where}".strip()


def release_metadata(descriptor: dict[str, Any], root: Path) -> dict[str, str]:
    """Package-level facts, in the order they are shown."""
    licence = descriptor["licenses"][0]
    return {
        "title": descriptor["title"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "licence": licence["name"],
        "licence_url": licence.get("path", ""),
        "homepage": descriptor.get("homepage", ""),
        "id": descriptor.get("id", ""),
        "citation": citation_text(citation(root)),
    }
