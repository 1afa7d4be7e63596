"""Fetch a release zip over https (plain http only from this machine, for tests and mirrors)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ilrs_data._errors import ReleaseError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
TIMEOUT_SECONDS = 60


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.startswith(("https://", "http://"))


def download(url: str) -> bytes:
    """The body of `url`, or a ReleaseError saying why it could not be had."""
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        msg = f"refusing to download {url}: releases are fetched over https only"
        raise ReleaseError(msg)
    # Imported here: urllib.request pulls in http and ssl, which `import ilrs_data` should not pay.
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        msg = f"could not download {url}: HTTP {error.code} {error.reason}"
        raise ReleaseError(msg) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        msg = f"could not download {url}: {reason}"
        raise ReleaseError(msg) from error
