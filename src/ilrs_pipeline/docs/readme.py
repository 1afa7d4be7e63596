"""`ilrs docs [--check]`, part 2: the generated sections of README.md and CONTRIBUTING.md.

Each section between `<!-- NAME:start -->` and `<!-- NAME:end -->` is generated from the schemas
and the data, never edited by hand, so the table list, counts, freshness, known gaps and the
marker reference always describe the package as it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import ilrs_data
from ilrs_pipeline.docs.sections import Section, stale_sections, write_sections
from ilrs_pipeline.model.package import Package
from ilrs_pipeline.render.events import member_statuses, phase_kinds
from ilrs_pipeline.render.schema_words import FIELD_MARKER_WORDING, TABLE_MARKER_WORDING


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def counts_by(frame: pd.DataFrame, column: str) -> str:
    counts = frame[column].value_counts(sort=False)
    rows = [[f"`{value}`", count] for value, count in counts.items() if count]
    return markdown_table([column, "rows"], rows)


def gaps(package: Package, tables: dict[str, pd.DataFrame]) -> list[str]:
    """What the data itself shows to be unknown."""
    partners, missions = tables["partners"], tables["missions"]
    members = partners[partners["status"].isin(member_statuses(package.table("partners")))]
    no_date = sorted(members.loc[members["joined_date"].isna(), "partner_id"])
    undated_missions = sorted(
        missions.loc[
            missions["launch_date"].isna() & ~missions["kind"].isin(phase_kinds(package)),
            "mission_id",
        ]
    )
    agreements, parties, sources = (
        tables["agreements"],
        tables["agreement_parties"],
        tables["sources"],
    )
    no_place = int(agreements["place"].isna().sum())
    no_signer = int(parties["signed_by"].isna().sum())
    undated_sources = int(sources["published_date"].isna().sum())
    return [
        f"{len(no_date)} founders or members with no known joining date: {_names(no_date)}.",
        f"{len(undated_missions)} missions with no reported launch date: "
        f"{_names(undated_missions)}.",
        f"{no_place} of {len(agreements)} agreements with no known place of signature.",
        f"{no_signer} of {len(parties)} agreement parties whose signing person is not recorded.",
        f"{undated_sources} of {len(sources)} sources show no publication date "
        "(each row also cites a dated source).",
    ]


def _names(ids: list[str]) -> str:
    return ", ".join(ids) or "none"


def coverage_section(root: Path) -> str:
    tables = ilrs_data.load_all(root)
    package = Package.parse(ilrs_data.package(root))
    overview = markdown_table(
        ["table", "rows"], [[f"`{name}`", len(frame)] for name, frame in tables.items()]
    )
    blocks = [
        f"Counts for version {package.version}.",
        overview,
        "**Partners by kind**\n\n" + counts_by(tables["partners"], "kind"),
        "**Partners by status**\n\n" + counts_by(tables["partners"], "status"),
        "**Agreements by kind**\n\n" + counts_by(tables["agreements"], "kind"),
        "**Missions by status**\n\n" + counts_by(tables["missions"], "status"),
        "**Payloads by status**\n\n" + counts_by(tables["mission_payloads"], "status"),
        "**Known to be missing** (computed from the data)\n\n"
        + "\n".join(f"- {gap}" for gap in gaps(package, tables)),
        "**How fresh each table is** (the newest publication date among the sources its rows "
        "cite; rows may be older)\n\n" + freshness(package, tables),
    ]
    return "\n\n".join(blocks)


def tables_section(root: Path) -> str:
    """Each table with its description and allowed values, from datapackage.json and schemas."""
    rows: list[list[object]] = []
    for table in Package.parse(ilrs_data.package(root)).tables:
        enums = [
            f"`{field.name}`: " + ", ".join(f"`{value}`" for value in field.enum)
            for field in table.fields
            if field.enum is not None
        ]
        rows.append([f"`{table.name}`", table.description or "", "<br>".join(enums)])
    return markdown_table(["table", "what a row is", "allowed values"], rows)


def newest_sources(package: Package, tables: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """(table, newest publication date among the sources its rows cite, or "none"), per source
    list; the README and the site both state freshness from this."""
    found: list[tuple[str, str]] = []
    for table in package.tables:
        for field in table.source_lists():
            target = field.markers.source_list
            if target is None or target.dated_by is None:
                continue
            dates = tables[target.resource].set_index(target.field)[target.dated_by]
            cited = tables[table.name][field.name].str.split(";").explode().dropna().unique()
            found.append((table.name, str(max(dates.reindex(cited).dropna(), default="none"))))
    return found


def freshness(package: Package, tables: dict[str, pd.DataFrame]) -> str:
    """Per table, the newest publication date among the sources its rows cite."""
    rows: list[list[object]] = [
        [f"`{name}`", newest] for name, newest in newest_sources(package, tables)
    ]
    return markdown_table(["table", "newest source"], rows)


def markers_section(root: Path) -> str:
    """Every x-ilrs marker the docs can explain, with the fields that use it now."""
    users: dict[str, list[str]] = {}
    for table in Package.parse(ilrs_data.package(root)).tables:
        for name in table.table_markers:
            users.setdefault(name, []).append(f"`{table.name}`")
        for field in table.fields:
            for name in field.markers.names:
                users.setdefault(name, []).append(f"`{table.name}.{field.name}`")
    rows: list[list[object]] = []
    for level, wording in (("table", TABLE_MARKER_WORDING), ("field", FIELD_MARKER_WORDING)):
        rows += [
            [f"`{name}`", level, ", ".join(users.get(name, [])) or "(unused)"] for name in wording
        ]
    return markdown_table(["marker", "on", "used by"], rows)


SECTIONS: tuple[Section, ...] = (
    Section("README.md", "tables", tables_section),
    Section("README.md", "coverage", coverage_section),
    Section("CONTRIBUTING.md", "markers", markers_section),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path())
    parser.add_argument("--check", action="store_true", help="fail if a section is out of date")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.check:
        stale = stale_sections(root, SECTIONS)
        for section in stale:
            print(f"{section.file}: the {section.name} section is stale: run `nox -s docs`.")
        return 1 if stale else 0
    for path in write_sections(root, SECTIONS):
        print(f"wrote {path.relative_to(root)}")
    return 0
