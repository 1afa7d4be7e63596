"""Every failure a user can meet is a ReleaseError subclass saying what to do: broken answers
from a server on 127.0.0.1, an unwritable cache, malformed descriptors and URL templates."""

from __future__ import annotations

import hashlib
import json
import socket
import warnings
from pathlib import Path

import pandas as pd
import pytest

import ilrs_data
from ilrs_data._sources import DEFAULT_RELEASE_URL, release_url
from loader_helpers import make_release

VERSION = "0.0.4"
ZIP_PATH = f"/v{VERSION}/ilrs-data-{VERSION}.zip"
PIN = "0" * 64  # skips SHA256SUMS: these answers fail before any hash is compared


def short_body(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b"PK" * 5)
    handler.close_connection = True


def bad_status_line(handler) -> None:
    handler.wfile.write(b"HELLO THERE\r\n\r\n")
    handler.close_connection = True


def no_answer(handler) -> None:
    handler.close_connection = True  # closes without a status line


@pytest.mark.parametrize(
    ("respond", "words"),
    [
        (short_body, "closed 990 bytes early"),
        (bad_status_line, "BadStatusLine"),
        (no_answer, "RemoteDisconnected"),
    ],
    ids=["incomplete-read", "bad-status-line", "no-answer"],
)
def test_broken_answers_are_download_errors(server, respond, words):
    server.routes["/broken.zip"] = respond
    with pytest.raises(ilrs_data.DownloadError, match=words) as raised:
        ilrs_data.load("partners", source=f"{server.url}/broken.zip", sha256=PIN)
    assert "broken.zip" in str(raised.value)


def status(code: int, retry_after: str | None = None):
    def respond(handler) -> None:
        handler.send_response(code)
        if retry_after is not None:
            handler.send_header("Retry-After", retry_after)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


@pytest.mark.parametrize(
    ("respond", "words"),
    [
        (status(404), "HTTP 404 Not Found; check the address, or that this version has been"),
        (status(503, "30"), "HTTP 503 Service Unavailable; the server is busy or failing; try "
                            "again in 30 s"),
        (status(429), "HTTP 429 Too Many Requests; the server is busy or failing; try again later"),
        (status(403), "HTTP 403 Forbidden; check the address"),
    ],
    ids=["404", "503-retry-after", "429", "403"],
)  # fmt: skip
def test_an_http_status_says_what_to_do(server, respond, words):
    server.routes["/answer.zip"] = respond
    with pytest.raises(ilrs_data.DownloadError) as raised:
        ilrs_data.load("partners", source=f"{server.url}/answer.zip", sha256=PIN)
    assert f"could not download {server.url}/answer.zip: {words}" in str(raised.value)


def test_a_closed_port_is_a_download_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ilrs_data.DownloadError, match="Check the network"):
        ilrs_data.load("partners", source=f"http://127.0.0.1:{port}/x.zip", sha256=PIN)


@pytest.mark.parametrize("blocker", ["file", "file-parent"])
def test_an_unwritable_cache_falls_back_to_a_temporary_folder(
    repo_root, tmp_path, server, monkeypatch, blocker
):
    release = make_release(repo_root, tmp_path, VERSION)
    server.publish(ZIP_PATH, release.read_bytes())
    (tmp_path / "taken").write_text("a file where the cache should be", encoding="utf-8")
    cache = tmp_path / "taken" if blocker == "file" else tmp_path / "taken" / "cache"
    monkeypatch.setenv("ILRS_DATA_CACHE", str(cache))

    with pytest.warns(ilrs_data.CacheWarning, match="cannot be written"):
        frame = ilrs_data.load("partners", version=VERSION)

    pd.testing.assert_frame_equal(frame, ilrs_data.load("partners"), check_flags=False)
    assert frame.attrs["version"] == VERSION
    assert Path(frame.attrs["source"]).parent != cache
    assert Path(frame.attrs["source"]).is_file()


@pytest.mark.parametrize(
    ("template", "error"),
    [("/v{ver}/x.zip", "KeyError"), ("/v{0}/x.zip", "IndexError"), ("/v{version/x", "ValueError")],
)
def test_a_url_template_with_a_wrong_placeholder_is_named(server, monkeypatch, template, error):
    monkeypatch.setenv("ILRS_DATA_RELEASE_URL", server.url + template)
    with pytest.raises(ilrs_data.ReleaseError, match=f"only placeholder \\({error}"):
        ilrs_data.load("partners", version=VERSION)
    assert server.requests == []


def test_an_empty_release_url_setting_means_the_default(monkeypatch):
    """It was taken as the template "", and the download refused as 'SHA256SUMS' over http."""
    monkeypatch.setenv("ILRS_DATA_RELEASE_URL", "")
    assert release_url("1.2.0") == DEFAULT_RELEASE_URL.format(version="1.2.0")


@pytest.mark.parametrize("name", ["ILRS_DATA_TIMEOUT", "ILRS_DATA_DEADLINE", "ILRS_DATA_MAX_BYTES"])
@pytest.mark.parametrize("value", ["soon", "-1", "0", "inf", "nan"])
def test_a_bad_limit_in_the_environment_is_named(server, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ilrs_data.ReleaseError, match=f"\\${name} must be a positive number"):
        ilrs_data.load("partners", version=VERSION)


@pytest.mark.parametrize("name", ["ILRS_DATA_TIMEOUT", "ILRS_DATA_DEADLINE"])
@pytest.mark.parametrize("value", ["1e10", "1e300"])
def test_seconds_no_timer_or_socket_can_wait_are_named(server, monkeypatch, name, value):
    """1e10 crashed the deadline's timer thread (past threading.TIMEOUT_MAX), leaving the
    download unbounded; 1e300 overflowed the socket's timeout with a bare OverflowError."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ilrs_data.ReleaseError, match=f"\\${name} must be a positive number of at"):
        ilrs_data.load("partners", version=VERSION)


@pytest.mark.parametrize("proxy", ["http://127.0.0.1:abc", "proxy.example:99999"])
def test_a_proxy_setting_that_is_no_address_is_named(monkeypatch, proxy):
    monkeypatch.setenv("https_proxy", proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with pytest.raises(ilrs_data.DownloadError) as raised:
        ilrs_data.load("partners", source="https://example.org/ilrs-data.zip", sha256=PIN)
    assert f"$https_proxy is {proxy!r}, which is no proxy address" in str(raised.value)
    assert "fix or unset it" in str(raised.value)


def write_descriptor(root: Path, descriptor: object) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


FIELDS = {"fields": [{"name": "a", "type": "string"}]}


@pytest.mark.parametrize(
    ("descriptor", "words"),
    [
        ([], "is not a JSON object"),
        ({"name": "x"}, "has no list of resources"),
        ({"resources": [{"path": "t.csv", "schema": FIELDS}]}, "has no 'name'"),
        ({"resources": [{"name": "t", "schema": FIELDS}]}, "has no 'path'"),
        ({"resources": [{"name": "t", "path": "t.csv"}]}, "has no schema"),
        ({"resources": [{"name": "t", "path": "t.csv", "schema": {}}]}, "has no list of fields"),
        ({"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{}]}}]}, "no name"),
        (
            {"resources": [{"name": "t", "path": "t.csv", "bytes": "9", "schema": FIELDS}]},
            "has 'bytes' '9', not a size",
        ),
        (
            {"resources": [{"name": "t", "path": "t.csv", "schema": FIELDS}] * 2},
            "names a table twice",
        ),
        (
            {"resources": [{"name": "t", "path": ["t.csv", "t2.csv"], "schema": FIELDS}]},
            r"\(t\) has a list of paths, a table split into parts, .*join the parts into one",
        ),
    ],
    ids=["list", "no-resources", "no-name", "no-path", "no-schema", "no-fields", "field-name",
         "bytes", "twice", "multi-part"],
)  # fmt: skip
def test_a_malformed_descriptor_is_a_descriptor_error(tmp_path, descriptor, words):
    root = write_descriptor(tmp_path / "pkg", descriptor)
    (root / "t.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ilrs_data.DescriptorError, match=words):
        ilrs_data.load("t", source=root)


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ({"constraints": {"enum": [None, "a"]}}, "field 'v' .* has an enum that is no list of"),
        ({"constraints": {"enum": ["a", "a"]}}, "field 'v' .* has an enum that is no list of"),
        ({"constraints": {"enum": "ab"}}, "field 'v' .* has an enum that is no list of"),
        ({"type": "boolean", "trueValues": "yes"}, "has 'trueValues' that is no list of strings"),
        ({"type": "boolean", "falseValues": [0]}, "has 'falseValues' that is no list of strings"),
        ({"type": "date", "format": 5}, "field 'v' .* has 'format' 5, which is no string"),
        ({"name": "k"}, "names the field 'k' twice"),
    ],
    ids=["enum-null", "enum-twice", "enum-text", "true-text", "false-number", "format", "twice"],
)
def test_a_malformed_field_is_a_descriptor_error_naming_it(tmp_path, field, words):
    """Each failed in pandas with a bare ValueError or TypeError, or was misread: "yes" as
    trueValues made "y", "e" and "s" true."""
    fields = [{"name": "k"}, {"name": "v", **field}]
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": fields}}
    root = write_descriptor(tmp_path / "pkg", {"resources": [resource]})
    (root / "t.csv").write_text("k,v\nx,y\n", encoding="utf-8")
    with pytest.raises(ilrs_data.DescriptorError, match=words):
        ilrs_data.load("t", source=root)


def test_missing_values_that_are_not_strings_are_a_descriptor_error(tmp_path):
    schema = {"fields": [{"name": "a"}], "missingValues": [None, ""]}
    root = write_descriptor(
        tmp_path / "pkg", {"resources": [{"name": "t", "path": "t.csv", "schema": schema}]}
    )
    (root / "t.csv").write_text("a\nNone\n", encoding="utf-8")
    with pytest.raises(ilrs_data.DescriptorError, match="'missingValues' that is no list of str"):
        ilrs_data.load("t", source=root)


@pytest.mark.parametrize(
    "declared",
    [
        "sha256:" + hashlib.sha256(b"a\n1\n").hexdigest()[:63],  # a digit lost in an edit
        hashlib.sha256(b"a\n1\n").hexdigest().upper(),  # no prefix
        hashlib.md5(b"a\n1\n").hexdigest(),  # Frictionless' default algorithm
    ],
    ids=["short", "no-prefix", "md5"],
)
def test_a_malformed_hash_is_a_descriptor_error_not_damage(tmp_path, declared):
    """A digit lost from the declared hash was reported as a damaged file to download again."""
    resource = {"name": "t", "path": "t.csv", "schema": FIELDS, "hash": declared}
    root = write_descriptor(tmp_path / "pkg", {"resources": [resource]})
    (root / "t.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ilrs_data.DescriptorError) as raised:
        ilrs_data.load("t", source=root)
    assert f"t.csv: hash {declared!r} in datapackage.json is not of the form 'sha256:<64 hex" in (
        str(raised.value)
    )
    assert "write the file's sha256 so" in str(raised.value)


def test_a_schema_file_that_is_not_json_is_named(tmp_path):
    root = write_descriptor(
        tmp_path / "pkg", {"resources": [{"name": "t", "path": "t.csv", "schema": "s.json"}]}
    )
    (root / "s.json").write_bytes(b"\xff{not json")
    with pytest.raises(ilrs_data.DescriptorError, match=r"s\.json in .* is not valid JSON"):
        ilrs_data.load("t", source=root)


@pytest.mark.parametrize("where", ["descriptor", "schema"])
def test_json_nested_too_deep_is_a_descriptor_error(tmp_path, where):
    """A few hundred kilobytes of [[[[... made json.loads raise a bare RecursionError."""
    deep = "[" * 100_000 + "]" * 100_000
    root = write_descriptor(
        tmp_path / "pkg", {"resources": [{"name": "t", "path": "t.csv", "schema": "s.json"}]}
    )
    (root / ("datapackage.json" if where == "descriptor" else "s.json")).write_text(deep)
    name = "datapackage.json" if where == "descriptor" else "s.json"
    with pytest.raises(ilrs_data.DescriptorError, match=f"{name} in .* is not valid JSON .*; fix"):
        ilrs_data.load("t", source=root)


def test_a_missing_file_is_named_with_what_to_check(tmp_path):
    root = write_descriptor(
        tmp_path / "pkg", {"resources": [{"name": "t", "path": "t.csv", "schema": FIELDS}]}
    )
    with pytest.raises(ilrs_data.ReleaseError, match=r"cannot read t\.csv .* check that the file"):
        ilrs_data.load("t", source=root)


def test_no_warning_when_the_cache_works(repo_root, tmp_path, server):
    release = make_release(repo_root, tmp_path, VERSION)
    server.publish(ZIP_PATH, release.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ilrs_data.load("partners", version=VERSION)


def test_a_file_that_is_no_package_is_named(repo_root):
    with pytest.raises(ilrs_data.ReleaseError, match="source must be a folder holding"):
        ilrs_data.load("partners", source=repo_root / "data" / "partners.csv")
