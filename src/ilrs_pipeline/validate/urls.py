"""What a source URL says about the page: when two URLs are one page (they differ only by
tracking parameters such as utm_* and fbclid, or trivially: http or https, a leading `www.`, a
trailing `/`, the case of the host, a text fragment `#:~:text=`), and when a URL is not the
page at all but a way to it (a search engine's redirect link, a page of search results).

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
    return f"{host}{path}?{urlencode(query)}#{_anchor(parts.fragment)}"


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
    if mine.fragment != theirs.fragment:
        found.append("a text fragment (#:~:text=, added by 'copy link to highlight')")
    tracking = sorted(
        {name for name, _ in [*_query(mine.query), *_query(theirs.query)] if _tracking(name)}
    )
    if tracking:
        noun = "parameter" if len(tracking) == 1 else "parameters"
        found.append(f"the tracking {noun} {', '.join(tracking)}")
    return found


def _anchor(fragment: str) -> str:
    """The fragment without its directive (`:~:text=...`): a browser scrolls to the quoted
    text of the same page, and never sends it to the site."""
    return fragment.partition(":~:")[0]


def _query(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _tracking(name: str) -> bool:
    return TRACKING.fullmatch(name) is not None
