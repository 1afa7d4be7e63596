"""Fetch a release over https, bounded in size and in total time, every redirect hop checked.

Plain http is accepted only for this machine (127.0.0.1, ::1, localhost: tests and local
mirrors), on the first URL and on every redirect. http.client is used rather than urllib's
opener so that each hop is checked before it is followed and the socket can be closed when the
deadline passes, even while a server trickles its headers byte by byte.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ilrs_data import _settings
from ilrs_data._errors import DownloadError

if TYPE_CHECKING:
    import http.client
    import socket
    import threading
    from urllib.parse import SplitResult

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
USER_AGENT = "ilrs-data-loader"


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.startswith(("https://", "http://"))


def checked_url(url: str) -> SplitResult:
    """The URL's parts, or DownloadError if fetching it is not allowed."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        # Never sent (the loader does no HTTP authentication), and never shown in a message.
        shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        msg = (
            f"refusing to download {shown}: its address holds a user name or password, which "
            "the loader does not send and will not write into messages; publish the release "
            "where it can be read without them, or download it yourself and pass its path"
        )
        raise DownloadError(msg)
    allowed = parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    )
    if not allowed or not parts.hostname:
        msg = f"refusing to download {url}: releases are fetched over https only"
        raise DownloadError(msg)
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is asked for
    except ValueError as error:
        msg = f"refusing to download {url}: {error} (a port is 0 to 65535); check the address"
        raise DownloadError(msg) from error
    return parts


def download(url: str, max_bytes: int | None = None) -> bytes:
    """The body of `url`, or a DownloadError saying why it could not be had.

    At most `max_bytes` (default $ILRS_DATA_MAX_BYTES) are read; the whole download, redirects
    included, ends within $ILRS_DATA_DEADLINE seconds, and each read waits at most
    $ILRS_DATA_TIMEOUT seconds.
    """
    cap = _settings.max_download_bytes()
    limit = cap if max_bytes is None else min(max_bytes, cap)
    timeout, deadline = _settings.timeout(), _settings.deadline()
    ends = time.monotonic() + deadline
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts = checked_url(current)
        location = _fetch(current, parts, limit, timeout, ends)
        if isinstance(location, bytes):
            return location
        current = urljoin(current, location)
    msg = f"could not download {url}: more than {MAX_REDIRECTS} redirects"
    raise DownloadError(msg)


def _fetch(url: str, parts: SplitResult, limit: int, timeout: float, ends: float) -> bytes | str:
    """One request: the body, or the Location a redirect points to."""
    # Imported here: http.client and ssl cost `import ilrs_data` time it should not pay offline.
    import http.client  # noqa: PLC0415
    import threading  # noqa: PLC0415

    remaining = ends - time.monotonic()
    if remaining <= 0:
        raise _too_slow(url)
    connection = _connection(parts, min(timeout, remaining))
    expired = threading.Event()
    sockets: list[socket.socket] = []  # getresponse() drops connection.sock; keep our own
    watchdog = threading.Timer(remaining, _abort, (sockets, expired))
    watchdog.daemon = True
    watchdog.start()
    try:
        target = parts.path or "/"
        if parts.query:
            target += f"?{parts.query}"
        connection.connect()
        if connection.sock is not None:
            sockets.append(connection.sock)
        if expired.is_set():  # the deadline passed while connecting, before the watchdog
            raise _too_slow(url)  # had a socket to shut: nothing would stop a trickle now
        connection.request(
            "GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        )
        # The response holds the socket once the server says it will close: close it on every
        # way out (a redirect, a refusal), not when it is collected.
        with connection.getresponse() as response:
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    msg = f"could not download {url}: HTTP {response.status} without a Location"
                    raise DownloadError(msg)
                return location
            if response.status != 200:
                raise _refused(url, response)
            _check_length(url, response.getheader("Content-Length"), limit)
            return _body(url, response, limit, ends)
    except DownloadError:
        raise
    except (http.client.HTTPException, OSError, ValueError) as error:
        if expired.is_set():
            raise _too_slow(url) from error
        msg = (
            f"could not download {url}: {type(error).__name__}: {error or 'connection closed'}. "
            "Check the network and try again."
        )
        raise DownloadError(msg) from error
    finally:
        watchdog.cancel()
        connection.close()


def _connection(parts: SplitResult, timeout: float) -> http.client.HTTPConnection:
    """A connection to the URL's host; https through $https_proxy when one is set."""
    import http.client  # noqa: PLC0415

    host, port = parts.hostname or "", parts.port
    if parts.scheme == "http":
        return http.client.HTTPConnection(host, port, timeout=timeout)
    import ssl  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    context = ssl.create_default_context()
    proxy = urllib.request.getproxies().get("https")
    if proxy and not urllib.request.proxy_bypass(host):
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        try:
            port = via.port
        except ValueError as error:
            msg = f"$https_proxy is {proxy!r}, which is no proxy address ({error}); fix or unset it"
            raise DownloadError(msg) from error
        connection = http.client.HTTPSConnection(
            via.hostname or "", port or 8080, timeout=timeout, context=context
        )
        connection.set_tunnel(host, port or 443)
        return connection
    return http.client.HTTPSConnection(host, port, timeout=timeout, context=context)


def _abort(sockets: list[socket.socket], expired: threading.Event) -> None:
    """At the deadline: shut the socket, which wakes a read blocked on it."""
    import socket  # noqa: PLC0415

    expired.set()
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _refused(url: str, response: http.client.HTTPResponse) -> DownloadError:
    """An HTTP status other than 200, with what to do about it: a missing file is a wrong
    address or version; a busy or failing server is worth trying again later."""
    status = response.status
    if status in (404, 410):
        advice = "check the address, or that this version has been released"
    elif status == 429 or status >= 500:
        wait = response.getheader("Retry-After", "").strip()
        later = f"in {wait} s" if wait.isdigit() else "later"
        advice = f"the server is busy or failing; try again {later}"
    else:
        advice = "check the address"
    return DownloadError(f"could not download {url}: HTTP {status} {response.reason}; {advice}")


def _check_length(url: str, header: str | None, limit: int) -> None:
    if header is not None and header.strip().isdigit() and int(header) > limit:
        raise _too_big(url, limit, f"it announces {int(header):,} bytes")


def _body(url: str, response: http.client.HTTPResponse, limit: int, ends: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read1(min(_settings.CHUNK_BYTES, limit + 1 - total)):
        total += len(chunk)
        if total > limit:
            raise _too_big(url, limit, "its body goes on past that")
        if time.monotonic() > ends:
            raise _too_slow(url)
        chunks.append(chunk)
    if time.monotonic() > ends:
        raise _too_slow(url)
    if response.length:  # the server closed before the Content-Length it announced
        msg = f"could not download {url}: the connection closed {response.length:,} bytes early"
        raise DownloadError(msg)
    return b"".join(chunks)


def _too_big(url: str, limit: int, why: str) -> DownloadError:
    msg = (
        f"refusing to download {url}: at most {limit:,} bytes are allowed and {why}. A release "
        f"is far smaller; check the address, or raise ${_settings.MAX_BYTES_ENV} if it is right."
    )
    return DownloadError(msg)


def _too_slow(url: str) -> DownloadError:
    msg = (
        f"could not download {url}: it took longer than {_settings.deadline():g} s, the limit for "
        f"one download. Try again on a better connection, or raise ${_settings.DEADLINE_ENV}."
    )
    return DownloadError(msg)
