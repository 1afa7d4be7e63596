"""Shared fixtures: the repository root and throwaway copies of the data package to break."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Modules that are integration tests as a whole: a real browser, fuzzing, the command or git run
# as a subprocess, local servers, whole builds, the validator run on every broken package.
# Single slow tests elsewhere carry @pytest.mark.slow themselves.
SLOW_MODULES = {
    "test_changes_diff",
    "test_claims_and_history",
    "test_loader_sources",
    "test_loader_corruption",
    "test_loader_bounds",
    "test_loader_integrity",
    "test_loader_failures",
    "test_loader_redirects_and_cache",
    "test_loader_api",
    "test_loader_history",
    "test_release_check",
    "test_validation_corpus",
    "test_site_browser",
    "test_validation_fuzz",
    "test_validation_cli",
    "test_release_build",
    "test_release_interop",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow modules' tests, so `-m "not slow"` is the contributor's fast lane."""
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


def copy_package(source_root: Path, target: Path) -> Path:
    """Copy datapackage.json, schemas/ and data/ of `source_root` into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_root / "datapackage.json", target / "datapackage.json")
    shutil.copytree(source_root / "schemas", target / "schemas")
    shutil.copytree(source_root / "data", target / "data")
    return target


@pytest.fixture
def small_package(tmp_path: Path) -> Path:
    """A small valid package: the real descriptor and schemas with the rows in fixtures/valid."""
    root = copy_package(REPO_ROOT, tmp_path / "package")
    shutil.rmtree(root / "data")
    shutil.copytree(FIXTURES / "valid" / "data", root / "data")
    return root


@pytest.fixture
def server(monkeypatch, tmp_path):
    """A local release server on 127.0.0.1, with the release URL and the cache pointed at it
    and at tmp_path (the loader's test modules share it)."""
    # loader_helpers imports this module for copy_package, so it is imported here, not above.
    from loader_helpers import Server  # noqa: PLC0415

    running = Server()
    monkeypatch.setenv("ILRS_DATA_RELEASE_URL", running.url + "/v{version}/ilrs-data-{version}.zip")
    monkeypatch.setenv("ILRS_DATA_CACHE", str(tmp_path / "cache"))
    yield running
    if running.thread.is_alive():
        running.stop()


def tiny_package(root: Path, fields: list[dict], csv: str) -> Path:
    """A one-table package, data/t.csv with `fields`, for the loader's value tests."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "t.csv").write_text(csv, encoding="utf-8")
    descriptor = {
        "name": "t",
        "version": "1.0.0",
        "resources": [{"name": "t", "path": "data/t.csv", "schema": {"fields": fields}}],
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def raised_within(seconds: float, action: Callable[[], object]) -> BaseException | None:
    """What `action` raised (None if nothing), run in a thread that is given up on after
    `seconds`: a test of something that must not block fails instead of hanging."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            action()
            outcome.append(None)
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds} s"
    return outcome[0]


NOT_FILES = ["named pipe", "folder"]


def make_not_a_file(path: Path, kind: str) -> None:
    """Put a named pipe or a folder (one of NOT_FILES) where a file is or would be: opening a
    pipe for reading waits for a writer, so whatever reads it must refuse it unopened."""
    path.unlink(missing_ok=True)
    if kind == "named pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        os.mkfifo(path)
    else:
        path.mkdir()
