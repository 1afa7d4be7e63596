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
import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import ilrs_data
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
    texts = page.locator("table.data tbody tr:visible").all_inner_texts()
    assert all(needle.lower() in text.lower() for text in texts)
    assert page.locator("#row-count").inner_text() == f"Showing {shown} of {len(frame)} rows"
    page.click("#reset")
    assert visible_rows(page) == len(frame)
    assert visit.problems == []


def test_choosing_a_status_shows_only_partners_with_it(visit, base_url):
    """The status drop-down keeps exactly the partners of that status."""
    partners = ilrs_data.load("partners", REPO_ROOT)
    page = visit.open(f"{base_url}/partners.html")
    column = list(partners.columns).index("status")
    page.select_option(f'select[data-column="{column}"]', "founder")
    assert visible_rows(page) == int((partners["status"] == "founder").sum())
    statuses = page.locator(f"table.data tbody tr:visible td:nth-child({column + 1})")
    assert set(statuses.all_inner_texts()) == {"founder"}


def test_clicking_a_header_sorts_the_column_both_ways(visit, base_url):
    """First click sorts ascending, the second descending."""
    ids = ilrs_data.load("partners", REPO_ROOT)["partner_id"].tolist()
    page = visit.open(f"{base_url}/partners.html")
    header = page.locator("table.data thead th").first
    first_cell = page.locator("table.data tbody tr").first.locator("td").first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert first_cell.inner_text() == min(ids)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.locator("table.data tbody tr").first.locator("td").first.inner_text() == max(ids)


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
    for chart in ("#timeline svg", "#chart-kind svg", "#chart-region svg"):
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
    """Relative links (pages, rows of other tables, sources, downloads) all resolve."""
    ids = {
        page.name: set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        for page in site.glob("*.html")
    }
    broken = []
    for page in site.glob("*.html"):
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", href):
                continue
            target, _, fragment = href.partition("#")
            target_path = site / (target or page.name)
            missing_row = fragment and fragment not in ids.get(target_path.name, set())
            if not target_path.is_file() or missing_row:
                broken.append(f"{page.name}: {href}")
    assert broken == []
