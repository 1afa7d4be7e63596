"""Integrity beyond the CSVs: downloads pinned to a hash known before they start, so an edit of
the descriptor or a schema is refused, even one that rewrites the hashes inside; a value that
does not fit its field names the table, column, row and value."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ilrs_data
from conftest import NOT_FILES, copy_package, make_not_a_file, raised_within, tiny_package
from loader_helpers import make_release, read_member, rewrite_zip
from test_loader_values import BAD_DATES, GOOD_DATES

VERSION = "0.0.3"
ZIP_PATH = f"/v{VERSION}/ilrs-data-{VERSION}.zip"


@pytest.fixture
def release(repo_root, tmp_path) -> Path:
    return make_release(repo_root, tmp_path, VERSION)


def without_member(release: Path, tmp_path: Path) -> Path:
    """The release with 'member' dropped from the partners status enum (the schema edited)."""
    schema = json.loads(read_member(release, "schemas/partners.json"))
    status = next(f for f in schema["fields"] if f["name"] == "status")
    status["constraints"]["enum"].remove("member")
    return rewrite_zip(
        release, tmp_path / "edited.zip", {"schemas/partners.json": json.dumps(schema).encode()}
    )


def test_csv_edited_with_its_hash_in_the_descriptor_is_refused(release, server, tmp_path):
    csv = read_member(release, "data/partners.csv").replace(b"member", b"founder", 1)
    descriptor = json.loads(read_member(release, "datapackage.json"))
    partners = next(r for r in descriptor["resources"] if r["name"] == "partners")
    partners["hash"] = "sha256:" + hashlib.sha256(csv).hexdigest()
    partners["bytes"] = len(csv)
    edited = rewrite_zip(
        release,
        tmp_path / "edited.zip",
        {"data/partners.csv": csv, "datapackage.json": json.dumps(descriptor).encode()},
    )
    ilrs_data.verify(source=edited)  # it vouches for itself: only the published hash can tell
    server.publish(ZIP_PATH, release.read_bytes())
    server.files[ZIP_PATH] = edited.read_bytes()

    with pytest.raises(ilrs_data.ChecksumError, match=r"checksum failed for http.*expected"):
        ilrs_data.load("partners", version=VERSION)
    assert not (tmp_path / "cache" / f"ilrs-data-{VERSION}.zip").exists()


def test_a_schema_edit_in_a_download_is_refused(release, server, tmp_path):
    server.publish(ZIP_PATH, release.read_bytes())
    server.files[ZIP_PATH] = without_member(release, tmp_path).read_bytes()
    with pytest.raises(ilrs_data.ChecksumError):
        ilrs_data.load("agreements", version=VERSION)


def test_a_release_without_published_sums_needs_a_hash_from_the_caller(release, server):
    server.files[ZIP_PATH] = release.read_bytes()
    with pytest.raises(ilrs_data.DownloadError, match=r"SHA256SUMS: HTTP 404"):
        ilrs_data.load("partners", version=VERSION)

    frame = ilrs_data.load(
        "partners", version=VERSION, sha256=hashlib.sha256(release.read_bytes()).hexdigest()
    )
    assert frame.attrs["version"] == VERSION
    assert server.requests[-1] == ZIP_PATH and server.requests.count(ZIP_PATH) == 1


def test_a_wrong_hash_from_the_caller_is_refused(release, server):
    server.files[ZIP_PATH] = release.read_bytes()
    with pytest.raises(ilrs_data.ChecksumError, match=f"expected {'a' * 64}"):
        ilrs_data.load("partners", version=VERSION, sha256="a" * 64)


def test_sums_that_do_not_list_the_zip_are_refused(release, server):
    server.files[ZIP_PATH] = release.read_bytes()
    server.files[f"/v{VERSION}/SHA256SUMS"] = f"{'b' * 64}  other.zip\n".encode()
    with pytest.raises(ilrs_data.ReleaseError, match=r"does not list ilrs-data-0\.0\.3\.zip"):
        ilrs_data.load("partners", version=VERSION)


def test_a_local_zip_is_checked_against_the_sha256sums_beside_it(release, tmp_path):
    edited = without_member(release, tmp_path)
    (tmp_path / "SHA256SUMS").write_text(
        f"{hashlib.sha256(release.read_bytes()).hexdigest()}  edited.zip\n", encoding="utf-8"
    )
    with pytest.raises(ilrs_data.ChecksumError, match=r"checksum failed for .*edited\.zip"):
        ilrs_data.load("partners", source=edited)


@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_sha256sums_beside_a_zip_that_is_no_file_is_refused_at_once(release, tmp_path, kind):
    """Opening a named pipe for reading would wait for a writer forever."""
    make_not_a_file(release.parent / "SHA256SUMS", kind)
    error = raised_within(10, lambda: ilrs_data.load("partners", source=release))
    assert isinstance(error, ilrs_data.ReleaseError)
    assert re.search(r"SHA256SUMS .*regular file", str(error))


def test_a_value_outside_the_enum_names_table_column_and_value(release, tmp_path):
    edited = without_member(release, tmp_path)  # no pin: the zip itself is intact
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("partners", source=edited)
    message = str(raised.value)
    assert "table partners, column status" in message
    assert "'member'" in message and "is not one of: founder" in message


@pytest.fixture
def folder(repo_root, tmp_path) -> Path:
    return copy_package(repo_root, tmp_path / "folder")


def test_a_date_that_does_not_parse_names_table_column_row_and_value(folder):
    path = folder / "data" / "partners.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",2024-09-05,Pan", ",2024-09-31,Pan", 1)  # status_as_of
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ilrs_data.TableValueError) as raised:
        ilrs_data.load("partners", source=folder)
    assert "table partners, column " in str(raised.value)
    assert "row 3: '2024-09-31'" in str(raised.value)
    assert "YYYY-MM-DD" in str(raised.value)


@pytest.mark.parametrize("damaged", [False, True])
def test_a_big_file_hashed_beside_the_parse_is_still_checked(tmp_path, damaged):
    """Files past 4 MiB are hashed in a thread while pandas parses them: the frame is handed
    out only if the hash matches, and damage that also breaks a value is still a ChecksumError."""
    body = "v\n" + "a\n" * 3_000_000
    root = tiny_package(tmp_path / "pkg", [FIELD_AB], body)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["hash"] = "sha256:" + hashlib.sha256(body.encode()).hexdigest()
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    if damaged:
        (root / "data" / "t.csv").write_text(body.replace("a\n", "c\n", 1), encoding="utf-8")
        with pytest.raises(ilrs_data.ChecksumError, match=r"checksum failed for data/t\.csv"):
            ilrs_data.load("t", source=root)
    else:
        assert len(ilrs_data.load("t", source=root)) == 3_000_000


FIELD_AB = {"name": "v", "type": "string", "constraints": {"enum": ["a", "b"]}}


def test_without_pyarrow_values_are_checked_the_same_way(tmp_path):
    """The light install (pandas alone: text is not arrow-backed) takes the other enum path."""
    root = tiny_package(tmp_path / "pkg", [{"name": "k"}, FIELD_AB], "k,v\nx,a\ny,c\nz,\n")
    probe = (
        "import sys; sys.modules['pyarrow'] = None; import ilrs_data\n"
        f"try: ilrs_data.load('t', source={str(root)!r})\n"
        "except ilrs_data.TableValueError as error: print(error)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    assert "table t, column v: 1 value(s) is not one of: a, b (row 2: 'c')" in output


PROBE = """
import json, sys
if sys.argv[2] == "light":
    sys.modules["pyarrow"] = None
import ilrs_data
show = {"day": lambda value: str(value.date()), "repr": repr}[sys.argv[3]]
outcomes = {}
for root in json.loads(sys.argv[1]):
    try:
        outcomes[root] = show(ilrs_data.load("t", source=root)["v"].iloc[1])
    except ilrs_data.TableValueError as error:
        outcomes[root] = str(error)
print(json.dumps(outcomes))
"""


def outcomes_by_install(roots: dict[str, str], show: str) -> dict[str, dict[str, str]]:
    """For each install, each package's second value of column v (shown as `show` says) or
    the TableValueError it raised, from a fresh interpreter: "light" hides pyarrow."""
    return {
        install: json.loads(
            subprocess.run(
                [sys.executable, "-c", PROBE, json.dumps(list(roots.values())), install, show],
                capture_output=True, text=True, check=True,
            ).stdout
        )
        for install in ("full", "light")
    }  # fmt: skip


def test_both_installs_take_and_refuse_the_same_dates(tmp_path):
    """YYYY-MM-DD and a real day, nothing else; pyarrow and numpy paths alike (pandas alone
    would take "2024-6-1")."""
    roots = {}
    for number, cell in enumerate(BAD_DATES + GOOD_DATES):
        fields = [{"name": "k"}, {"name": "v", "type": "date"}]
        csv = f'k,v\nx,\ny,"{cell}"\n'
        roots[cell] = str(tiny_package(tmp_path / str(number), fields, csv))
    outcomes = outcomes_by_install(roots, "day")
    for cell, root in roots.items():
        full, light = outcomes["full"][root], outcomes["light"][root]
        if cell in GOOD_DATES:
            assert full == light == cell
        else:
            expected = (
                f"table t, column v: 1 value(s) is not a date written YYYY-MM-DD (row 2: {cell!r})"
            )
            assert expected in full and expected in light, (cell, full, light)


# Each was read by one install's cast and not the other's: pyarrow takes "0x10" as 16, Python
# takes "1_000" and Arabic-Indic digits; none is a Table Schema number.
NOT_NUMBERS = ["0x10", "1_000", "\u0661\u0662"]


@pytest.mark.parametrize("kind", ["integer", "number"])
def test_both_installs_refuse_the_same_numbers(tmp_path, kind):
    roots = {}
    for number, cell in enumerate([*NOT_NUMBERS, "NaN"]):
        fields = [{"name": "k"}, {"name": "v", "type": kind}]
        roots[cell] = str(tiny_package(tmp_path / str(number), fields, f"k,v\nx,1\ny,{cell}\n"))
    outcomes = outcomes_by_install(roots, "repr")
    words = "a whole number" if kind == "integer" else "a number"
    for cell, root in roots.items():
        full, light = outcomes["full"][root], outcomes["light"][root]
        if cell == "NaN" and kind == "number":  # Table Schema's NaN: missing in both
            assert full == light == "<NA>", (full, light)
        else:
            expected = f"table t, column v: 1 value(s) is not {words} (row 2: {cell!r})"
            assert expected in full and expected in light, (cell, full, light)


# Table Schema v1's lexical forms: an integer is a sign and digits, a number a decimal with an
# exponent or NaN, INF, -INF. Each taken cell with the value loaded, as repr shows it.
TAKEN = {
    "integer": {"+5": "5", "-0": "0", "00012": "12", " 5": "5"},
    "number": {
        ".5": "0.5",
        "5.": "5.0",
        "1E3": "1000.0",
        "-1e-3": "-0.001",
        "1e-400": "0.0",
        "INF": "inf",
        "-INF": "-inf",
        "NaN": "<NA>",  # missing in both installs: Float64 holds no NaN apart from NA
    },
}
REFUSED = {
    "integer": ["1.0", "1e3", "1E3", "5.", ".5", "-1e-3", "NaN", "INF", "\uff11\uff12"],
    "number": ["inf", "Infinity", "+INF", "nan", "NAN", "1e", "\uff11\uff12"],
}
OVERFLOWING = ["1e400", "-1e400", "1.8e308"]


@pytest.mark.parametrize("first", ["1", ""], ids=["inferred-whole", "inferred-float"])
@pytest.mark.parametrize("kind", ["integer", "number"])
def test_both_installs_take_table_schemas_numbers_and_only_those(tmp_path, kind, first):
    """An empty first cell makes pandas infer floats, where "1.0" and "1e400" hid as 1 and inf."""
    overflowing = OVERFLOWING if kind == "number" else []
    cells = [*TAKEN[kind], *REFUSED[kind], *overflowing]
    fields = [{"name": "k"}, {"name": "v", "type": kind}]
    roots = {
        cell: str(tiny_package(tmp_path / str(n), fields, f'k,v\nx,{first}\ny,"{cell}"\n'))
        for n, cell in enumerate(cells)
    }
    outcomes = outcomes_by_install(roots, "repr")
    words = "a whole number" if kind == "integer" else "a number"
    for cell, root in roots.items():
        full, light = outcomes["full"][root], outcomes["light"][root]
        if cell in TAKEN[kind]:
            shown = {full.removeprefix("np.float64(").removeprefix("np.int64(").rstrip(")")}
            assert full == light and shown == {TAKEN[kind][cell]}, (cell, full, light)
            continue
        problem = "is too large for a float64 number" if cell in overflowing else f"is not {words}"
        expected = f"table t, column v: 1 value(s) {problem} (row 2: {cell!r})"
        assert expected in full and expected in light, (cell, full, light)
