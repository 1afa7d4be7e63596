"""What a source URL says about the page: when two URLs are one page (they differ only by
tracking parameters such as utm_* and fbclid, or trivially: http or https, a leading `www.`, a
trailing `/`, the case of the host, the default port, a text fragment `#:~:text=`, or as the
mobile or AMP edition of the page: an `m.` or `amp.` host, an `/amp/` segment, `?amp=1`), and
when a URL is not the page at all but a way to it (a search engine's redirect link, a page of
search results).

The key keeps everything else, the fragment's anchor and the other query parameters in their
order included, so pages that a site tells apart by a parameter (`?id=12`) stay apart.
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


# The same page's edition for phones or Google's AMP: a host prefix, a path segment `amp` (or
# `.amp` before the extension), and query parameters (with the values that ask for it; None:
# any value).
EDITION_HOST = re.compile(r"(?:www|m|mobile|amp)\.(?=[^.]+\.)", re.IGNORECASE)
EDITION_PATH = re.compile(r"/amp(?=/|$)|\.amp(?=\.[a-z]+$)", re.IGNORECASE)
EDITION_QUERY: dict[str, set[str] | None] = {"amp": None, "outputtype": {"amp"}}
DEFAULT_PORTS = (":443", ":80")


# Links that only forward to another address, by host and path, with the parameter holding it:
# what a copied search result or a link from a mail or chat often is.
REDIRECTS = {
    (re.compile(r"(www\.)?google(\.[a-z]{2,3}){1,2}"), "/url"): ("a Google redirect", ("q", "url")),
    (re.compile(r"(l|lm|m)\.facebook\.com"), "/l.php"): ("a Facebook redirect", ("u",)),
    (re.compile(r"(www\.)?bing\.com"), "/ck/a"): ("a Bing redirect", ("u",)),
    (re.compile(r"out\.reddit\.com"), ""): ("a Reddit redirect", ("url",)),
}
# The last path segment of a page of search results: its content changes with every search.
SEARCH_PAGES = re.compile(r"search|results|s", re.IGNORECASE)


def indirection(url: str) -> str | None:
    """Why `url` is not the page that was read but a way to it, in words; None when it is the
    page. A redirect names the address it leads to, when the link holds one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None  # not a URL at all: source/https-url says so
    host = parts.netloc.lower()
    for (hosts, path), (what, names) in REDIRECTS.items():
        if hosts.fullmatch(host) and parts.path.startswith(path):
            target = next((v for n, v in _query(parts.query) if n in names), "")
            return f"{what} to {target}" if target.startswith("http") else what
    segment = parts.path.rstrip("/").rpartition("/")[2]
    if parts.query and SEARCH_PAGES.fullmatch(segment):
        return "a page of search results"
    return None


def page_key(url: str) -> str:
    """What identifies the page a URL shows: host without `www.`, a mobile or AMP prefix and
    the default port, path without a trailing `/` or an `amp` segment, the query without tracking
    or AMP parameters; the scheme is left out. A URL that cannot be split (a stray '[' in the
    host) is its own key."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    query = [(name, value) for name, value in _query(parts.query) if not _ignored(name, value)]
    path = EDITION_PATH.sub("", parts.path).rstrip("/")
    return f"{_split_host(parts.netloc)[1]}{path}?{urlencode(query)}#{_anchor(parts.fragment)}"


def _split_host(netloc: str) -> tuple[str, str]:
    """The host, lower case and without the default port, as its edition prefixes (www., m.,
    mobile., amp., however many are stacked) and the site they are prefixes of."""
    host = netloc.lower()
    for port in DEFAULT_PORTS:
        host = host.removesuffix(port)
    site = host
    while EDITION_HOST.match(site):
        site = EDITION_HOST.sub("", site, count=1)
    return host.removesuffix(site), site


def differences(url: str, other: str) -> list[str]:
    """How two URLs with the same page key differ, in words."""
    mine, theirs = urlsplit(url.strip()), urlsplit(other.strip())  # both split in page_key
    found = []
    if mine.scheme.lower() != theirs.scheme.lower():
        found.append(f"{mine.scheme}:// for {theirs.scheme}://")
    found.extend(_host_differences(mine.netloc, theirs.netloc))
    if bool(EDITION_PATH.search(mine.path)) != bool(EDITION_PATH.search(theirs.path)):
        found.append("an AMP path (/amp/ or .amp.html, the page's edition for phones)")
    elif mine.path != theirs.path:
        found.append("a trailing '/'")
    if mine.fragment != theirs.fragment:
        found.append("a text fragment (#:~:text=, added by 'copy link to highlight')")
    pairs = [*_query(mine.query), *_query(theirs.query)]
    tracking = sorted({name for name, _ in pairs if _tracking(name)})
    if tracking:
        noun = "parameter" if len(tracking) == 1 else "parameters"
        found.append(f"the tracking {noun} {', '.join(tracking)}")
    editions = sorted({name for name, value in pairs if _edition(name, value)})
    if editions:
        found.append(f"the AMP parameter {', '.join(editions)}")
    return found


def _host_differences(mine: str, theirs: str) -> list[str]:
    """How two hosts of one site differ, in words: an edition prefix, the port, the case."""
    (mine_prefix, _), (their_prefix, _) = _split_host(mine), _split_host(theirs)
    labels = (set(mine_prefix.split(".")) ^ set(their_prefix.split("."))) - {"", "www"}
    found = []
    if labels:
        shown = ", ".join(f"'{label}.'" for label in sorted(labels))
        found.append(f"a mobile or AMP host ({shown})")
    elif mine_prefix != their_prefix:
        found.append("'www.'")
    if mine.lower().endswith(DEFAULT_PORTS) != theirs.lower().endswith(DEFAULT_PORTS):
        found.append("the default port")
    if not found and mine != theirs:
        found.append("the case of the host")
    return found


def _anchor(fragment: str) -> str:
    """The fragment without its directive (`:~:text=...`): a browser scrolls to the quoted
    text of the same page, and never sends it to the site."""
    return fragment.partition(":~:")[0]


def _query(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _tracking(name: str) -> bool:
    return TRACKING.fullmatch(name) is not None


def _edition(name: str, value: str) -> bool:
    """Whether a query parameter asks for the AMP edition of the page (?amp=1, ?outputType=amp)."""
    values = EDITION_QUERY.get(name.lower(), set())
    return values is None or value.lower() in values


def _ignored(name: str, value: str) -> bool:
    return _tracking(name) or _edition(name, value)
