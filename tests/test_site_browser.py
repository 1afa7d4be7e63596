"""The built site in a real headless Chromium: pages load cleanly, tables filter and sort, and
every download resolves to a file of the release.

Chromium comes from the system packages (/usr/bin/chromium) and is driven by Playwright. Without
it these tests skip, unless ILRS_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import itertools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

import ilrs_data
from ilrs_pipeline.model.package import Package
from ilrs_pipeline.render.events import Event, timeline
from ilrs_pipeline.render.timeline import LANES
from ilrs_pipeline.site.build import build_site

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
TABLES = ilrs_data.table_names(REPO_ROOT)
PAGES = ["index.html", "downloads.html", "cite.html", *(f"{name}.html" for name in TABLES)]


def playwright_and_chromium() -> tuple[object, str]:
    """Playwright's sync API and the system Chromium; skip if either is missing (fail instead
    when ILRS_REQUIRE_BROWSER=1, as CI sets it, so a missing browser cannot pass unnoticed)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    reason, api = None, None
    if found is None:
        reason = "no system Chromium (apt-get install chromium)"
    else:
        try:
            api = importlib.import_module("playwright.sync_api")
        except ImportError:
            reason = "Playwright is not installed (pip install playwright)"
    if reason is not None:
        if os.environ.get("ILRS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ILRS_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return api, str(found)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(REPO_ROOT, out)
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    api, executable = playwright_and_chromium()
    with api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A browser page that records console errors, page errors, failed and non-local requests."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("request", self._request)
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        self.page.on("response", self._response)

    def _console(self, message: object) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _request(self, request: object) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("file", "data") and parts.hostname not in LOCAL_HOSTS:
            self.problems.append(f"request to a non-local host: {request.url}")

    def _response(self, response: object) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, url: str) -> object:
        self.page.goto(url, wait_until="load")
        return self.page


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    visiting = Visit(browser)
    yield visiting
    visiting.context.close()


def visible_rows(page: object) -> int:
    return page.locator("table.data tbody tr:visible").count()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_no_console_error_and_no_outside_request(visit, base_url, name):
    """Each page renders its heading with nothing logged, failed or fetched from elsewhere."""
    page = visit.open(f"{base_url}/{name}")
    assert page.locator("h1").first.is_visible()
    assert visit.problems == []


@pytest.mark.parametrize("name", TABLES)
def test_table_page_shows_every_row_of_the_data(visit, base_url, name):
    """The table holds exactly as many rows as the loader reads, all shown before filtering."""
    expected = len(ilrs_data.load(name, REPO_ROOT))
    page = visit.open(f"{base_url}/{name}.html")
    assert page.locator("table.data tbody tr").count() == expected
    assert visible_rows(page) == expected
    assert page.locator("#row-count").inner_text() == f"Showing {expected} of {expected} rows"


@pytest.mark.parametrize("name", TABLES)
def test_filtering_narrows_the_table_to_matching_rows(visit, base_url, name):
    """Typing a row's key leaves only rows that contain it; clearing brings every row back."""
    frame = ilrs_data.load(name, REPO_ROOT)
    key = ilrs_data.package(REPO_ROOT)["resources"][TABLES.index(name)]["schema"]["primaryKey"]
    needle = str(frame[key if isinstance(key, str) else key[0]].iloc[len(frame) // 2])
    page = visit.open(f"{base_url}/{name}.html")
    page.fill("#filter", needle)
    shown = visible_rows(page)
    assert 0 < shown < len(frame)
    texts = page.locator("table.data tbody tr:visible").evaluate_all(
        "rows => rows.map(row => [row.innerText,"
        " ...Array.from(row.cells, cell => cell.dataset.value || '')].join(' '))"
    )
    assert all(needle.lower() in text.lower() for text in texts)
    assert page.locator("#row-count").inner_text() == f"Showing {shown} of {len(frame)} rows"
    page.click("#reset")
    assert visible_rows(page) == len(frame)
    assert visit.problems == []


def column_of(page: object, field: str) -> int:
    """The 0-based position of a field's column in a table page (columns are in reading order)."""
    fields = page.locator("table.data thead th").evaluate_all("hs => hs.map(h => h.dataset.field)")
    return fields.index(field)


def test_choosing_a_status_shows_only_partners_with_it(visit, base_url):
    """The status drop-down keeps exactly the partners of that status, shown by its title."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    page = visit.open(f"{base_url}/partners.html")
    column = column_of(page, "status")
    page.select_option(f'select[data-column="{column}"]', "founder")
    assert visible_rows(page) == int((partners["status"] == "founder").sum())
    cells = page.locator(f"table.data tbody tr:visible td:nth-child({column + 1})")
    assert set(cells.evaluate_all("cs => cs.map(c => c.dataset.value)")) == {"founder"}
    assert set(cells.all_inner_texts()) == {"Founder"}


def test_clicking_a_header_sorts_the_column_both_ways(visit, base_url):
    """First click sorts ascending, the second descending."""
    ids = ilrs_data.load("partners", REPO_ROOT)["partner_id"].tolist()
    page = visit.open(f"{base_url}/partners.html")
    column = column_of(page, "partner_id")
    header = page.locator('table.data thead th[data-field="partner_id"]')
    first_cell = f"table.data tbody tr >> nth=0 >> td >> nth={column}"
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.locator(first_cell).inner_text() == min(ids)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator(first_cell).inner_text() == max(ids)


def test_every_download_link_resolves_to_a_file_of_the_release(visit, base_url, site):
    """Each link fetches a release file whose SHA-256 is the one shown and in SHA256SUMS."""
    page = visit.open(f"{base_url}/downloads.html")
    rows = page.locator("#release-files tbody tr")
    release = {path.name for path in (site / "downloads").iterdir()}
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (site / "downloads" / "SHA256SUMS").read_text().splitlines()
    )
    linked = set()
    for index in range(rows.count()):
        row = rows.nth(index)
        href = row.locator("a").get_attribute("href")
        name = href.removeprefix("downloads/")
        response = page.request.get(f"{base_url}/{href}")
        assert response.status == 200, href
        digest = hashlib.sha256(response.body()).hexdigest()
        assert row.locator("code.sha").inner_text() == digest
        if name != "SHA256SUMS":
            assert sums[name] == digest
        linked.add(name)
    assert linked == release
    assert set(sums) == release - {"SHA256SUMS"}


@pytest.mark.parametrize("name", TABLES)
def test_table_csv_link_gives_the_table(visit, base_url, name):
    """The per-table CSV link downloads the table with every row."""
    page = visit.open(f"{base_url}/{name}.html")
    href = page.get_by_text("Download this table as CSV").get_attribute("href")
    response = page.request.get(f"{base_url}/{href}")
    assert response.status == 200
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8"))))
    assert len(rows) - 1 == len(ilrs_data.load(name, REPO_ROOT))


def test_overview_shows_the_charts_and_headline_numbers(visit, base_url):
    """The timeline and both partner charts are drawn, and the first figure counts members."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    page = visit.open(f"{base_url}/index.html")
    for chart in ("#timeline svg", "#chart-kind .wide svg", "#chart-region .wide svg"):
        box = page.locator(chart).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150, chart
    members = int(partners["status"].isin(["founder", "member"]).sum())
    assert page.locator(".headlines .figure").first.inner_text() == str(members)
    assert page.locator("#timeline g.event").count() > 0


def test_table_page_works_opened_from_disk(visit, site):
    """From file:// the page loads with no error and the filter still works."""
    page = visit.open((site / "partners.html").as_uri())
    total = visible_rows(page)
    page.fill("#filter", "roscosmos")
    assert 0 < visible_rows(page) < total
    assert visit.problems == []


def test_every_link_inside_the_site_points_to_an_existing_page_and_row(site):
    """Relative links (pages, record pages, rows of other tables, sources, downloads) from every
    page, also those in records/ folders, all resolve."""
    pages = list(site.rglob("*.html"))
    ids = {
        page.resolve(): set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        for page in pages
    }
    broken = []
    for page in pages:
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", href):
                continue
            target, _, fragment = href.partition("#")
            target_path = (page.parent / target).resolve() if target else page.resolve()
            missing_row = fragment and fragment not in ids.get(target_path, set())
            if not target_path.is_file() or missing_row:
                broken.append(f"{page.relative_to(site)}: {href}")
    assert broken == []


# Record pages, search, phone layout and accessibility ------------------------------------------

WIDTHS = {"desktop": 1400, "phone": 390}
SHOTS = Path(os.environ.get("ILRS_SHOTS", "")) if os.environ.get("ILRS_SHOTS") else None


def claims_of(table: str, key: str) -> pd.DataFrame:
    claims = ilrs_data.load("claims", REPO_ROOT)
    return claims[(claims["table_name"] == table) & (claims["record_id"] == key)]


def busiest(table: str, key: str, joined: list[tuple[str, str]]) -> str:
    """The record with rows in every joined table and the most claims, so the page test shows
    every kind of join (chosen from the data, not named here)."""
    frame = ilrs_data.load(table, REPO_ROOT)
    candidates = set(frame[key])
    for other, field in joined:
        candidates &= set(ilrs_data.load(other, REPO_ROOT)[field].dropna())
    claims = ilrs_data.load("claims", REPO_ROOT)
    counts = claims[claims["table_name"] == table]["record_id"].value_counts()
    return max(sorted(candidates), key=lambda k: counts.get(k, 0))


RECORDS = {
    "partner": (
        "partners",
        "partner_id",
        [("agreement_parties", "partner_id"), ("partner_events", "partner_id")],
    ),
    "mission": (
        "missions",
        "mission_id",
        [("mission_payloads", "mission_id"), ("mission_events", "mission_id")],
    ),
    "agreement": ("agreements", "agreement_id", [("agreement_parties", "agreement_id")]),
}


def open_at(browser: object, url: str, width: int) -> tuple[object, Visit]:
    visiting = Visit(browser)
    visiting.page.set_viewport_size({"width": width, "height": 900})
    return visiting.open(url), visiting


@pytest.fixture
def sized(browser: object) -> Iterator[object]:
    """Open a page at a width; every page opened is closed after the test."""
    opened: list[Visit] = []

    def opener(url: str, width: int) -> tuple[object, Visit]:
        page, visiting = open_at(browser, url, width)
        opened.append(visiting)
        return page, visiting

    yield opener
    for visiting in opened:
        visiting.context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("what", RECORDS)
def test_a_record_page_shows_its_joins_and_sources(sized, base_url, what, width):
    """A partner's, mission's and agreement's page lists every row that refers to it in each
    joined table, each source its row cites, and the fields its claims say a source supports."""
    table, key_field, joined = RECORDS[what]
    key = busiest(table, key_field, joined)
    page, visiting = sized(f"{base_url}/records/{table}/{key}.html", width)
    row = ilrs_data.load(table, REPO_ROOT).set_index(key_field).loc[key]
    for other, field in joined:
        expected = int((ilrs_data.load(other, REPO_ROOT)[field] == key).sum())
        section = page.locator(f"#join-{other}-{field}")
        assert section.is_visible()
        assert section.locator("tbody tr").count() == expected
    cited = row["source_ids"].split(";")
    for source in cited:
        assert page.locator(f'ul.sources li[id="source-{source}"]').is_visible()
    claims = claims_of(table, key)
    assert not claims.empty
    for _, claim in claims.head(5).iterrows():
        words = page.locator(f'li[id="source-{claim["source_id"]}"] .supports').inner_text()
        assert claim["field_name"].replace("_", " ").lower() in words.lower()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"record-{what}-{key}-{width}-full.png"), full_page=True)
    assert visiting.problems == []


def test_filtering_hides_cards_on_a_phone(sized, base_url):
    """At 390 px rows are cards; the filter still hides those that do not match."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    page, visiting = sized(f"{base_url}/partners.html", WIDTHS["phone"])
    assert visible_rows(page) == len(partners)
    page.fill("#filter", str(partners["name"].iloc[0]))
    assert 0 < visible_rows(page) < len(partners)
    assert visiting.problems == []


def test_table_rows_link_to_their_record_pages(visit, base_url):
    """A partner's name in the table opens its page, which names it in the heading."""
    page = visit.open(f"{base_url}/partners.html")
    link = page.locator("table.data tbody tr").first.locator("a").first
    name = link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert "/records/partners/" in page.url
    assert page.locator("h1").inner_text() == name


def test_a_country_page_groups_a_state_with_its_bodies(visit, base_url):
    """The country view of a state lists every partner with its country code."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    children = partners.dropna(subset=["parent_id"])
    code = children["country_code"].dropna().value_counts().index[0]
    page = visit.open(f"{base_url}/records/countries/{code}.html")
    rows = page.locator("table.related").first.locator("tbody tr")
    assert rows.count() == int((partners["country_code"] == code).sum())
    assert visit.problems == []


@pytest.mark.parametrize("start", ["index.html", "records/missions/{mission}.html"])
def test_search_finds_a_record_from_any_page_with_the_keyboard(visit, base_url, start):
    """Typing a name lists it; arrow down and Enter open its page, from the root or a record."""
    missions = ilrs_data.load("missions", REPO_ROOT)
    target = missions.iloc[len(missions) // 2]
    page = visit.open(f"{base_url}/{start.format(mission=missions['mission_id'].iloc[0])}")
    page.locator("#site-search").focus()
    page.keyboard.type(target["name"])
    results = page.locator("#site-search-results a")
    assert target["name"] in results.all_inner_texts()[0]
    said = page.locator("#site-search-status").text_content()
    assert re.fullmatch(r"[1-9][0-9]* records? match(es)?", said), said
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#site-search-results') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/records/missions/{target['mission_id']}.html")
    assert page.locator("h1").inner_text() == target["name"]
    assert visit.problems == []


def test_search_works_opened_from_disk(visit, site):
    partners = ilrs_data.load("partners", REPO_ROOT)
    page = visit.open((site / "cite.html").as_uri())
    page.fill("#site-search", partners["name"].iloc[0])
    href = page.locator("#site-search-results a").first.get_attribute("href")
    assert href == f"records/partners/{partners['partner_id'].iloc[0]}.html"
    assert visit.problems == []


def every_page_type() -> list[str]:
    missions = ilrs_data.load("missions", REPO_ROOT)["mission_id"]
    partners = ilrs_data.load("partners", REPO_ROOT)
    agreements = ilrs_data.load("agreements", REPO_ROOT)["agreement_id"]
    code = partners["country_code"].dropna().iloc[0]
    return [
        *PAGES,
        f"records/partners/{partners['partner_id'].iloc[0]}.html",
        f"records/missions/{missions.iloc[0]}.html",
        f"records/agreements/{agreements.iloc[0]}.html",
        f"records/countries/{code}.html",
    ]


@pytest.mark.parametrize("name", every_page_type())
def test_no_page_scrolls_sideways_on_a_phone(sized, base_url, name):
    """At 390 px only a figure marked scrollable may be wider than the screen, never the page."""
    page, visiting = sized(f"{base_url}/{name}", WIDTHS["phone"])
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    too_wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > innerWidth + 1 && !e.closest('.scrollable, svg');
        }).map(e => e.tagName + '.' + e.className)"""
    )
    assert too_wide == []
    assert visiting.problems == []


def test_chart_and_timeline_text_is_at_least_12_px_on_a_phone(sized, base_url):
    """Every text of the partner charts and of the vertical timeline is drawn at 12 px or more
    at 390 px, and the charts fit without scrolling."""
    page, _ = sized(f"{base_url}/index.html", WIDTHS["phone"])
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart svg text'))
            .filter(t => t.ownerSVGElement.getBoundingClientRect().width > 0).map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )
    assert len(sizes) > 20 and min(sizes) >= 12
    for chart in ("#chart-kind", "#chart-region"):  # drawn narrow: no scrolling needed
        assert page.locator(chart).evaluate("f => f.scrollWidth <= f.clientWidth")
    rail_sizes = page.locator("#timeline-rail").evaluate(
        """rail => { const walk = document.createTreeWalker(rail, NodeFilter.SHOW_TEXT);
            const sizes = [];
            while (walk.nextNode()) if (walk.currentNode.textContent.trim())
                sizes.push(parseFloat(getComputedStyle(walk.currentNode.parentElement).fontSize));
            return sizes; }"""
    )
    assert len(rail_sizes) > 100 and min(rail_sizes) >= 12


def timeline_events() -> list[Event]:
    return timeline(
        Package.parse(ilrs_data.package(REPO_ROOT)), ilrs_data.load_all(REPO_ROOT)
    ).events


def test_on_a_phone_the_timeline_runs_down_the_page_instead_of_sideways(sized, base_url):
    """At 390 px the wide SVG and the list under it are gone (from the accessibility tree too)
    and the vertical rail shows every event once, in date order, inside the screen."""
    events = timeline_events()
    page, visiting = sized(f"{base_url}/index.html", WIDTHS["phone"])
    for hidden in ("#timeline", "#chronology"):
        assert not page.locator(hidden).is_visible(), hidden
    rail = page.locator("#timeline-rail")
    assert rail.is_visible()
    items = rail.locator("li.rail-event")
    assert items.count() == len(events)
    shown = items.evaluate_all(
        """lis => lis.map(li => [li.querySelector('time').getAttribute('datetime'),
            li.querySelector('.lane').textContent, li.querySelector('a').textContent])"""
    )
    assert [when for when, _, _ in shown] == [e.when.text for e in events]
    assert [name for _, _, name in shown] == [
        e.label + (f" ({e.flag})" if e.flag else "") for e in events
    ]
    outside = rail.evaluate(
        """rail => [rail, ...rail.querySelectorAll('*')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && (r.left < 0 || r.right > innerWidth);
        }).map(e => e.tagName + '.' + e.className)"""
    )
    assert outside == []
    assert rail.evaluate("r => r.scrollWidth <= r.clientWidth")
    assert visiting.problems == []


def open_every_year(page) -> None:
    page.locator("#timeline-rail details").evaluate_all("ds => ds.forEach(d => d.open = true)")


def test_on_a_phone_the_busiest_years_fold_and_open_on_a_tap(sized, base_url):
    """At 390 px the years with most events start folded, which makes the rail less than half
    as long as with every year open; tapping a folded year's heading shows its events."""
    page, _ = sized(f"{base_url}/index.html", WIDTHS["phone"])
    rail = page.locator("#timeline-rail")
    folded = rail.locator("details:not([open])")
    assert folded.count() >= 1
    shown_folded = rail.locator("li.rail-event").evaluate_all(
        "lis => lis.filter(li => li.checkVisibility()).length"
    )
    height_folded = rail.bounding_box()["height"]
    first = rail.locator("details").nth(
        rail.locator("details").evaluate_all("ds => ds.findIndex(d => !d.open)")
    )  # by position: once opened it no longer matches :not([open])
    hidden = first.locator("li.rail-event")
    assert hidden.count() > 0 and not hidden.first.is_visible()
    first.locator("summary").click()
    assert hidden.first.is_visible()
    open_every_year(page)
    height_open = rail.bounding_box()["height"]
    assert shown_folded < rail.locator("li.rail-event").count()
    assert height_folded < height_open / 2, (height_folded, height_open)


def test_printed_the_timeline_is_the_svg_with_every_event(sized, base_url):
    """On paper folded years would stay folded, so the page prints the SVG, not the rail."""
    page, _ = sized(f"{base_url}/index.html", WIDTHS["phone"])
    page.emulate_media(media="print")
    assert page.locator("#timeline svg").is_visible()
    assert not page.locator("#timeline-rail").is_visible()
    assert page.locator("#timeline g.event").count() == len(timeline_events())


def test_the_rails_markers_have_the_svgs_shapes_and_lane_colours(sized, base_url):
    """A known day is a filled dot, a known month a ring, a known year a bar wider than tall,
    each in the colour the SVG gives its lane."""
    colours = {lane.key: lane.colour for lane in LANES}
    page, _ = sized(f"{base_url}/index.html", WIDTHS["phone"])
    open_every_year(page)
    markers = page.locator("#timeline-rail li.rail-event > .glyph").evaluate_all(
        """gs => gs.map(g => { const s = getComputedStyle(g), r = g.getBoundingClientRect();
            const li = g.parentElement.classList;
            return {lane: li[1], precision: li[2], fill: s.backgroundColor,
                    ring: s.borderTopColor, border: parseFloat(s.borderTopWidth),
                    wide: r.width > 1.5 * r.height}; })"""
    )
    assert {m["precision"] for m in markers} == {"day", "month", "year"}
    for marker in markers:
        colour = "rgb({}, {}, {})".format(*bytes.fromhex(colours[marker["lane"]][1:]))
        if marker["precision"] == "day":
            assert (marker["fill"], marker["border"], marker["wide"]) == (colour, 0, False)
        elif marker["precision"] == "month":
            assert marker["fill"] == "rgb(255, 255, 255)" and marker["ring"] == colour
            assert not marker["wide"]
        else:
            assert marker["ring"] == colour and marker["wide"], marker


def test_on_a_desktop_the_timeline_is_the_wide_svg_as_before(sized, base_url):
    """At 1400 px the SVG fills the column, the collapsed list follows it, and the rail is
    not shown (nor read out)."""
    page, _ = sized(f"{base_url}/index.html", WIDTHS["desktop"])
    svg = page.locator("#timeline svg").bounding_box()
    assert svg is not None and svg["width"] > 1000
    assert page.locator("#chronology summary").is_visible()
    assert page.locator("#timeline g.event").count() == len(timeline_events())
    assert not page.locator("#timeline-rail").is_visible()
    assert page.locator(".narrow").first.evaluate("e => getComputedStyle(e).display") == "none"


@pytest.mark.parametrize("width", [700, 1000, 1056, 1057, 1200])
def test_the_svg_is_shown_only_where_it_keeps_its_own_width(sized, base_url, width):
    """Between phone and desktop the SVG would shrink its 12 px text; wherever it is shown it
    is at least its drawn width of 1000 px, and elsewhere the rail takes its place."""
    page, _ = sized(f"{base_url}/index.html", width)
    svg_shown = page.locator("#timeline svg").is_visible()
    assert svg_shown != page.locator("#timeline-rail").is_visible()
    assert svg_shown == (width > 1056)  # 66rem: 1000 px, the padding and a scroll bar
    if svg_shown:
        assert page.locator("#timeline svg").bounding_box()["width"] >= 1000
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_keyboard_focus_on_the_rail_is_visible(sized, base_url):
    """Tabbing into the rail on a phone outlines the focused record link."""
    page, _ = sized(f"{base_url}/index.html", WIDTHS["phone"])
    page.locator("#timeline-rail a").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
            return [!!e.closest('#timeline-rail'), s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert focused[0] and focused[1] != "none" and focused[2] >= 2


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_downloads_fit_the_screen_and_list_workbook_and_csvs(sized, base_url, site, width):
    """Each SHA-256 wraps inside its own box; the workbook and every table's CSV are listed."""
    page, _ = sized(f"{base_url}/downloads.html", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in page.locator("code.sha").all():
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
        assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width
    names = page.locator("table.files a").all_inner_texts()
    assert any(name.endswith(".xlsx") for name in names)
    assert {f"{table}.csv" for table in TABLES} <= set(names)


def axe_source() -> str:
    """axe-core as the axe-playwright-python package ships it (the test extra installs it)."""
    try:
        package = importlib.import_module("axe_playwright_python")
    except ImportError:
        if os.environ.get("ILRS_REQUIRE_BROWSER") == "1":
            pytest.fail("ILRS_REQUIRE_BROWSER=1 but axe-playwright-python is not installed")
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[test]')")
    return (Path(package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def a11y_pages() -> list[str]:
    """The overview, a table page, downloads, cite and a page of each record kind."""
    records = [name for name in every_page_type() if name.startswith("records/")]
    return ["index.html", "partners.html", "downloads.html", "cite.html", *records]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", a11y_pages())
def test_axe_finds_no_serious_or_critical_violation(sized, base_url, name, width):
    """axe-core, run offline in the page, reports nothing serious or critical (contrast,
    names, landmarks, focusable scroll regions...)."""
    source = axe_source()
    page, visiting = sized(f"{base_url}/{name}", width)
    page.evaluate(source)  # evaluated by the browser, so the page's CSP does not block it
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = name.replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(SHOTS / f"{stem}-{width}.png"))
    assert visiting.problems == []


@pytest.mark.parametrize("name", a11y_pages())
def test_headings_go_down_one_level_at_a_time(visit, base_url, name):
    """One h1, and no heading skips a level below the one before it."""
    page = visit.open(f"{base_url}/{name}")
    levels = page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "hs => hs.map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


def test_keyboard_focus_is_visible(visit, base_url):
    """Tab reaches the skip link first, then the site's links, each drawn with an outline."""
    page = visit.open(f"{base_url}/partners.html")
    for expected in ("Skip to the content", "ILRS"):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                return [e.textContent, s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        assert focused[0].startswith(expected)
        assert focused[1] != "none" and focused[2] >= 2
