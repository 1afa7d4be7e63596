"""The overview, downloads and citation pages of the site (table pages are in site_table)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from ilrs_pipeline.model.dates import moment
from ilrs_pipeline.render.headlines import Headline

# What each kind of release file is, by how its name ends (first match wins); a file of a new
# kind is listed with no description.
FILE_KINDS = (
    ("-parquet.zip", "The tables as Parquet files, typed as the schemas say."),
    (
        ".zip",
        "The data package: every table as CSV with its schema, datapackage.json, README, "
        "licences and CITATION.cff.",
    ),
    (
        ".whl",
        "The Python package (wheel), with the data inside: <code>pip install</code> it and "
        "<code>import ilrs_data</code>.",
    ),
    (".tar.gz", "The Python source distribution."),
    (".xlsx", "The tables as one Excel workbook, a sheet per table."),
    (
        "-datasette.json",
        "Datasette metadata for the SQLite database: titles, descriptions, licence.",
    ),
    (".sqlite", "The tables as one SQLite database."),
    (".db", "The tables as one SQLite database."),
    ("SHA256SUMS", "The SHA-256 checksum of every other file, for <code>sha256sum -c</code>."),
    (".md", "Release notes."),
)


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> ReleaseFile:
        return cls(path.name, path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())

    @property
    def description(self) -> str:
        return next((words for end, words in FILE_KINDS if self.name.endswith(end)), "")


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def freshness_list(newest: dict[str, str]) -> str:
    """Per table, the newest date among the sources it cites, as a list: statuses are only as
    current as their table's sources, and the tables differ."""
    items = "".join(
        f'<li><a href="{escape(name)}.html"><code>{escape(name)}</code></a> '
        f"{escape(moment(date).human())}</li>"
        for name, date in newest.items()
    )
    return f'<ul class="freshness">{items}</ul>'


def overview_body(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    numbers: list[Headline],
    charts: dict[str, str],
    freshness: str,
) -> str:
    """Headline numbers, the timeline and partner charts, and the list of tables. The timeline
    and each partner chart come twice, wide and narrow; the stylesheet shows the one that fits
    (the timeline's narrow form is the vertical rail, in HTML, shown wherever the SVG would
    have to shrink below its own width)."""
    figures = "\n".join(
        f'<li><span class="figure">{n.figure}</span><span class="caption">{escape(n.caption)}'
        "</span></li>"
        for n in numbers
    )
    listing = "\n".join(
        f'<li><a href="{escape(r["name"])}.html">{escape(r.get("title", r["name"]))}</a> '
        f'<span class="muted small">{len(tables[r["name"]])} rows</span>'
        f"<p>{escape(r.get('description', ''))}</p></li>"
        for r in descriptor["resources"]
    )
    return f"""<h1>{escape(descriptor.get("title", descriptor["name"]))}</h1>
<p class="lede">{escape(descriptor.get("description", ""))}</p>
<p class="small muted">Version {escape(descriptor["version"])} ·
<a href="downloads.html">download the data</a> · <a href="cite.html">how to cite</a> ·
search any partner, mission or agreement from the box at the top of every page</p>
<ul class="headlines">
{figures}
</ul>
<details class="fresh"><summary>How current each table is</summary>
<p class="small">The newest publication date among the sources each table cites; a row's status
is as of its own <code>status_as_of</code> date, which may be older.</p>
{freshness}
</details>
<h2>Timeline</h2>
<p>Who joined when, what was signed, and which missions flew or are planned. Dates are drawn as
precisely as the sources give them: a bar spans a whole year when only the year is known.
<span class="timeline-wide">Point at a mark to see its name and date.</span></p>
<div class="timeline-wide"><figure class="chart" id="timeline">
{charts["timeline"]}</figure>
{charts["chronology"]}</div>
<div class="timeline-narrow"><a class="small" href="#partners-charts">Skip past the timeline</a>
{charts["rail"]}</div>
<h2 id="partners-charts">Who the partners are</h2>
<p>Every partner in the data, by kind and by world region. The dark part of each bar is the
founders and members; the light part is partners with another tie, such as a payload on a
mission or talks about joining.</p>
<div class="charts">
<figure class="chart" id="chart-kind"><div class="wide">{charts["kind"]}</div>
<div class="narrow">{charts["kind-narrow"]}</div></figure>
<figure class="chart" id="chart-region"><div class="wide">{charts["region"]}</div>
<div class="narrow">{charts["region-narrow"]}</div></figure>
</div>
<h2>The tables</h2>
<p>Each table has its own page where you can filter and sort every row. Every row cites its
sources, linked to the <a href="sources.html">sources</a> table.</p>
<ul class="tables-list">
{listing}
</ul>"""


def file_row(href: str, name: str, description: str, file: ReleaseFile) -> str:
    """One file: link, what it is, size, and its SHA-256 in a box that wraps on its own."""
    return (
        f'<tr><td data-label="File"><a href="{escape(href)}" download>{escape(name)}</a></td>'
        f'<td data-label="What it is">{description}</td>'
        f'<td class="size" data-label="Size">{size_words(file.size)}</td>'
        f'<td data-label="SHA-256"><code class="sha">{file.sha256}</code></td></tr>'
    )


def _files_table(table_id: str, rows: str) -> str:
    """A table of files with what each is, its size and its SHA-256 (release files, loose CSVs)."""
    return f"""<table class="files" id="{table_id}">
<thead><tr><th scope="col">File</th><th scope="col">What it is</th><th scope="col">Size</th>
<th scope="col">SHA-256</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""


def downloads_body(
    version: str, release: list[ReleaseFile], tables: Sequence[tuple[str, ReleaseFile]] = ()
) -> str:
    """Every file of the current release with its size and SHA-256 checksum, then each table
    as a loose CSV file."""
    rows = "\n".join(
        file_row(f"downloads/{f.name}", f.name, f.description, f)
        for f in sorted(release, key=lambda f: (f.name == "SHA256SUMS", f.name))
    )
    loose = "\n".join(
        file_row(f"data/{name}.csv", f"{name}.csv", f"The <code>{escape(name)}</code> table.", f)
        for name, f in tables
    )
    return f"""<h1>Downloads</h1>
<p class="lede">The files of release {escape(version)}, the same as a build of this version
gives: the data, the Python package and checksums to verify them.</p>
{_files_table("release-files", rows)}
<h2>Single tables as CSV</h2>
<p>Each table on its own, as in the data package's <code>data/</code> folder.</p>
{_files_table("table-files", loose)}
<h2>Check a download</h2>
<p>Put the files in one folder with <code>SHA256SUMS</code> and run:</p>
<pre>sha256sum -c --ignore-missing SHA256SUMS</pre>
<p>Each table's CSV is also linked from its own page.</p>"""


def citation_text(citation: dict[str, Any], version: str, year: int, url: str) -> tuple[str, str]:
    """A reference in author-date style, and the same as BibTeX; `url` is the repository's
    address from pyproject.toml, given with the DOI when CITATION.cff has one."""
    authors = ", ".join(
        a.get("name") or f"{a['family-names']}, {a['given-names']}"
        for a in citation.get("authors", [])
    )
    title = citation["title"]
    doi = citation.get("doi")
    where = (f" https://doi.org/{doi}" if doi else "") + f" {url}"
    reference = f"{authors} ({year}). {title} (Version {version}) [Data set].{where}"
    fields = {
        "author": "{" + authors + "}",
        "title": title,
        "year": str(year),
        "version": version,
        "note": "Data set",
        **({"doi": doi} if doi else {}),
        "url": url,
    }
    entries = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    key = f"ilrs_data_{version.replace('.', '_')}"
    return reference, f"@misc{{{key},\n{entries}\n}}"


def cite_body(
    citation: dict[str, Any], descriptor: dict[str, Any], year: int, url: str, freshness: str
) -> str:
    reference, bibtex = citation_text(citation, descriptor["version"], year, url)
    licences = ", ".join(
        f'<a href="{escape(lic["path"])}" rel="noopener noreferrer">'
        f"{escape(lic.get('title', lic['name']))}</a>"
        if "path" in lic
        else escape(lic.get("title", lic["name"]))
        for lic in descriptor.get("licenses", [])
    )
    return f"""<h1>How to cite</h1>
<p class="lede">{escape(citation.get("message", "Please cite this dataset."))}</p>
<h2>Reference</h2>
<pre id="reference">{escape(reference)}</pre>
<h2>BibTeX</h2>
<pre id="bibtex">{escape(bibtex)}</pre>
<p>The repository: <a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>.</p>
<h2>How current it is</h2>
<p>Per table, the newest publication date among the sources its rows cite. Say so when you
quote a status: each row is as of its own <code>status_as_of</code> date.</p>
{freshness}
<h2>Licence</h2>
<p>The data is published under {licences}: you may share and adapt it, also commercially, as long
as you credit it. Name the dataset and its version as above.</p>
<h2>Cite the original sources too</h2>
<p>Every row of every table names its sources in <code>source_ids</code>; the
<a href="sources.html">sources</a> table gives each one's address, publisher, title and dates.
When you report a single fact, cite the source it rests on as well as this dataset.</p>"""
