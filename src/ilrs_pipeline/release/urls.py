"""The project's addresses, read from pyproject.toml's [project.urls], the one place naming them.

The release build rewrites relative links with them, and release-check compares them with what
datapackage.json, CITATION.cff and .zenodo.json say, so no address is kept in two places unchecked.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ilrs_pipeline.errors import PipelineError


class ProjectUrlError(PipelineError):
    """pyproject.toml lacks an address the release needs."""


def project_urls(root: Path) -> dict[str, str]:
    """[project.urls] of pyproject.toml, by label."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    except (tomllib.TOMLDecodeError, KeyError) as error:
        msg = f"pyproject.toml cannot be read ({error}); fix it so it declares [project]"
        raise ProjectUrlError(msg) from error
    urls: dict[str, str] = project.get("urls", {})
    return urls


def repository_url(root: Path) -> str:
    """The repository's address, without a trailing slash."""
    url = project_urls(root).get("Repository")
    if not url:
        msg = "pyproject.toml has no [project.urls] Repository; add the repository's https address"
        raise ProjectUrlError(msg)
    return url.rstrip("/")


def file_url(root: Path, version: str, path: str) -> str:
    """Where a file of the repository is read as it was at the release's tag."""
    return f"{repository_url(root)}/blob/v{version}/{path}"
