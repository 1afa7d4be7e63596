"""When two source URLs are one page: they differ only by tracking parameters (utm_*, fbclid...)
or trivially (http or https, a leading `www.`, a trailing `/`, the case of the host).

The key keeps everything else, the fragment and the other query parameters in their order
included, so pages that a site tells apart by a parameter (`?id=12`) stay apart.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Parameters that say how a reader reached the page, never which page it is.
TRACKING = re.compile(
    r"utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl"
    r"|spm|scm|ref_src|cmpid",
    re.IGNORECASE,
)


def page_key(url: str) -> str:
    """What identifies the page a URL shows: host without `www.`, path without a trailing
    `/`, and the query without tracking parameters; the scheme is left out. A URL that
    cannot be split (a stray '[' in the host) is its own key."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = parts.netloc.lower().removeprefix("www.")
    query = [(name, value) for name, value in _query(parts.query) if not _tracking(name)]
    path = parts.path.rstrip("/")
    return f"{host}{path}?{urlencode(query)}#{parts.fragment}"


def differences(url: str, other: str) -> list[str]:
    """How two URLs with the same page key differ, in words."""
    mine, theirs = urlsplit(url.strip()), urlsplit(other.strip())  # both split in page_key
    found = []
    if mine.scheme.lower() != theirs.scheme.lower():
        found.append(f"{mine.scheme}:// for {theirs.scheme}://")
    if mine.netloc.lower().startswith("www.") != theirs.netloc.lower().startswith("www."):
        found.append("'www.'")
    elif mine.netloc != theirs.netloc:
        found.append("the case of the host")
    if mine.path != theirs.path:
        found.append("a trailing '/'")
    tracking = sorted(
        {name for name, _ in [*_query(mine.query), *_query(theirs.query)] if _tracking(name)}
    )
    if tracking:
        noun = "parameter" if len(tracking) == 1 else "parameters"
        found.append(f"the tracking {noun} {', '.join(tracking)}")
    return found


def _query(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _tracking(name: str) -> bool:
    return TRACKING.fullmatch(name) is not None
