"""Release zips and a real HTTP server on 127.0.0.1, shared by the loader's test modules."""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from conftest import copy_package
from ilrs_pipeline.release.build import (
    RELEASE_DOCUMENTS,
    release_descriptor,
    release_members,
    write_zip,
)

Respond = Callable[[http.server.BaseHTTPRequestHandler], None]


def make_release(
    repo_root: Path, workdir: Path, version: str, tables: list[str] | None = None
) -> Path:
    """A release zip of the repository's data relabelled as `version`, as the build writes it;
    `tables` keeps only those tables (a small release for byte-by-byte tests)."""
    root = copy_package(repo_root, workdir / f"package-{version}")
    for name in RELEASE_DOCUMENTS:
        shutil.copy(repo_root / name, root / name)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = version
    if tables is not None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in tables]
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    path = workdir / f"ilrs-data-{version}.zip"
    members = release_members(root, release_descriptor(root))
    if tables is not None:
        members = {k: v for k, v in members.items() if k not in RELEASE_DOCUMENTS}
    write_zip(path, f"ilrs-data-{version}", members, 0)
    return path


def rewrite_zip(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    """A copy of a zip with some entries' bytes replaced (names relative to its top folder)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        top = old.namelist()[0].split("/")[0]
        for info in old.infolist():
            name = info.filename.removeprefix(f"{top}/")
            new.writestr(info, change.get(name, old.read(info)))
    return target


def read_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        top = archive.namelist()[0].split("/")[0]
        return archive.read(f"{top}/{name}")


def crafted_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


class Server:
    """A release server on 127.0.0.1 that counts the requests it answers. `files` maps a path to
    a body; `routes` maps a path to a function answering the request itself (redirects, slow or
    broken answers)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.routes: dict[str, Respond] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path in server.routes:
                    server.routes[self.path](self)
                    return
                body = server.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def publish(self, path: str, body: bytes) -> None:
        """Serve `body` at `path` and list it in the SHA256SUMS of its folder, as a release
        page does."""
        self.files[path] = body
        folder = str(PurePosixPath(path).parent).rstrip("/")
        sums = self.files.get(f"{folder}/SHA256SUMS", b"").decode()
        line = f"{hashlib.sha256(body).hexdigest()}  {PurePosixPath(path).name}\n"
        self.files[f"{folder}/SHA256SUMS"] = (sums + line).encode()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
