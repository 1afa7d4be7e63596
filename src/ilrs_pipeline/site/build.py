"""`ilrs site`: build the dataset's static site into dist/site/.

The site is self-contained: every page, chart, table and release file is in the folder, and no
page loads anything from the network, so it can be opened from disk or served from anywhere.
It shows an overview with headline numbers and charts, one filterable page per table, a page
per partner, mission, agreement and country, the current release files with their checksums,
and how to cite; a search box on every page finds any record from an index built here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import ilrs_data
from ilrs_pipeline.docs.readme import newest_sources
from ilrs_pipeline.errors import PipelineError
from ilrs_pipeline.model.package import Package
from ilrs_pipeline.release.build import build, source_date_epoch
from ilrs_pipeline.release.scratch import scratch_folder
from ilrs_pipeline.release.urls import repository_url
from ilrs_pipeline.render.charts import NARROW, kind_chart, region_chart
from ilrs_pipeline.render.events import timeline
from ilrs_pipeline.render.headlines import headlines
from ilrs_pipeline.render.timeline import render_timeline
from ilrs_pipeline.site.chronology import chronology, rail
from ilrs_pipeline.site.html import ASSET_FILES, ASSETS, NavItem, page
from ilrs_pipeline.site.pages import (
    ReleaseFile,
    cite_body,
    downloads_body,
    freshness_list,
    overview_body,
)
from ilrs_pipeline.site.records import BASE, all_record_pages
from ilrs_pipeline.site.search import search_index
from ilrs_pipeline.site.table import table_body
from ilrs_pipeline.validate import stopped_by_problems

DEFAULT_OUT = Path("dist/site")
SITE_MARK = "index.html"


class SiteError(PipelineError):
    """The site cannot be written where asked."""


def navigation(descriptor: dict[str, Any]) -> list[NavItem]:
    return [
        NavItem("index.html", "Overview"),
        *(NavItem(f"{r['name']}.html", r.get("title", r["name"])) for r in descriptor["resources"]),
        NavItem("downloads.html", "Downloads"),
        NavItem("cite.html", "Cite"),
    ]


def footer(descriptor: dict[str, Any], base: str = "") -> str:
    licences = ", ".join(lic.get("name", "") for lic in descriptor.get("licenses", []))
    return (
        f"ilrs-data {descriptor['version']} · data licence {licences} · generated from the data "
        f'package, every row citing its sources · <a href="{base}cite.html">how to cite</a>'
    )


def freshness(package: Package, tables: dict[str, Any]) -> dict[str, str]:
    """Per table, the newest date among the sources its rows cite (the README's measure)."""
    newest: dict[str, str] = {}
    for name, date in newest_sources(package, tables):
        if date != "none" and date > newest.get(name, ""):
            newest[name] = date
    return newest


def write_pages(root: Path, out: Path, release: list[Path]) -> None:
    """Every HTML page of the site, plus its assets and one CSV per table."""
    descriptor = ilrs_data.package(root)
    tables = ilrs_data.load_all(root)
    nav = navigation(descriptor)
    shared_footer = footer(descriptor)
    package = Package.parse(descriptor)
    partners = package.table("partners")
    fresh = freshness(package, tables)
    records = all_record_pages(descriptor, tables)
    events = timeline(package, tables)
    charts = {
        "timeline": render_timeline(events),
        "chronology": chronology(events, records),
        "rail": rail(events, records),
        "kind": kind_chart(tables["partners"], partners),
        "region": region_chart(tables["partners"], partners),
        "kind-narrow": kind_chart(tables["partners"], partners, NARROW),
        "region-narrow": region_chart(tables["partners"], partners, NARROW),
    }
    pages = {
        "index.html": page(
            title="Overview",
            description=descriptor.get("description", ""),
            current="index.html",
            body=overview_body(
                descriptor, tables, headlines(package, tables), charts, freshness_list(fresh)
            ),
            nav=nav,
            footer=shared_footer,
        ),
        "downloads.html": page(
            title="Downloads",
            description="The current release files and their checksums.",
            current="downloads.html",
            body=downloads_body(
                descriptor["version"],
                [ReleaseFile.of(p) for p in release],
                [(r["name"], ReleaseFile.of(root / r["path"])) for r in descriptor["resources"]],
            ),
            nav=nav,
            footer=shared_footer,
        ),
        "cite.html": page(
            title="How to cite",
            description="How to cite the ILRS dataset.",
            current="cite.html",
            body=cite_body(
                read_citation(root),
                descriptor,
                release_year(root),
                repository_url(root),
                freshness_list(fresh),
            ),
            nav=nav,
            footer=shared_footer,
        ),
    }
    for resource in descriptor["resources"]:
        name = resource["name"]
        pages[f"{name}.html"] = page(
            title=resource.get("title", name),
            description=resource.get("description", ""),
            current=f"{name}.html",
            body=table_body(resource, tables[name], descriptor, fresh.get(name, "")),
            scripts=("table.js",),
            nav=nav,
            footer=shared_footer,
        )
        (out / "data").mkdir(exist_ok=True)
        shutil.copyfile(root / resource["path"], out / "data" / f"{name}.csv")
    for record in records:
        pages[record.path] = page(
            title=record.title,
            description=record.description,
            current="",
            body=record.body,
            nav=nav,
            footer=footer(descriptor, BASE),
            base=BASE,
        )
    for name, html in pages.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(html, encoding="utf-8", newline="\n")
    (out / "assets").mkdir(exist_ok=True)
    for name in ASSET_FILES:
        (out / "assets" / name).write_bytes(ASSETS.joinpath(name).read_bytes())
    (out / "assets" / "search-index.js").write_text(
        search_index(descriptor, records), encoding="utf-8", newline="\n"
    )


def read_citation(root: Path) -> dict[str, Any]:
    citation: dict[str, Any] = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    return citation


def release_year(root: Path) -> int:
    """The year of the release: that of the commit it is built from, as the archives record."""
    return dt.datetime.fromtimestamp(source_date_epoch(root), tz=dt.UTC).year


def build_site(root: Path, out: Path) -> list[Path]:
    """Write the site into `out`, replacing an earlier site there; returns the release files.

    Everything is made in a scratch folder first, so a failure leaves an earlier site intact.
    """
    if out.exists() and any(out.iterdir()) and not (out / SITE_MARK).is_file():
        msg = f"{out} holds files but no site; refusing to replace it"
        raise SiteError(msg)
    with scratch_folder(out.parent, "site") as scratch:
        staging = Path(scratch) / "site"
        staging.mkdir()
        built = build(root, staging / "downloads")
        write_pages(root, staging, built)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    return [out / "downloads" / path.name for path in built]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="folder holding datapackage.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the site to")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if stopped_by_problems(root, "Site not built"):
        return 1
    try:
        build_site(root, args.out.resolve())
    except (OSError, subprocess.CalledProcessError, SiteError) as error:
        print(f"Site not built ({error}).", file=sys.stderr)
        return 1
    print(f"wrote {args.out / SITE_MARK}")
    return 0
