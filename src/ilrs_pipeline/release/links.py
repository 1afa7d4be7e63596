"""Links in released Markdown and HTML: find them, and point those that would break at the web.

A released file may link only to another file of the same release or to an absolute URL; a
relative link to a repository file the release does not carry becomes that file's address at the
release's tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

# [text](target "title") and ![alt](target), and href="..." / src="..." attributes.
MARKDOWN_LINK = re.compile(r"(!?\[[^\]]*\]\()(<[^>]*>|[^)\s]+)((?:\s+\"[^\"]*\")?\))")
HTML_LINK = re.compile(r"""(\b(?:href|src)\s*=\s*)(["'])([^"']*)\2""", re.IGNORECASE)
ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
LINKED_SUFFIXES = (".md", ".html", ".htm")


def link_targets(text: str) -> list[str]:
    """Every link target in a Markdown or HTML text, in order."""
    markdown = [match.group(2).strip("<>") for match in MARKDOWN_LINK.finditer(text)]
    return markdown + [match.group(3) for match in HTML_LINK.finditer(text)]


def is_absolute(target: str) -> bool:
    """A URL with a scheme (https:, mailto:), which needs nothing from the release."""
    return bool(ABSOLUTE.match(target))


def resolved(document: str, target: str) -> str | None:
    """The release path a relative link names, None for a pure fragment ("#section")."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    parts: list[str] = []
    for part in (PurePosixPath(document).parent / path).parts:
        if part == "..":
            if not parts:
                return "../" + path  # leaves the release: never one of its files
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def broken_links(document: str, text: str, present: set[str]) -> list[str]:
    """Relative link targets of `document` that name no file in `present`."""
    return [
        target
        for target in link_targets(text)
        if not is_absolute(target)
        and (path := resolved(document, target)) is not None
        and path not in present
    ]


def rewrite_links(
    document: str, text: str, present: set[str], address: Callable[[str], str]
) -> str:
    """`text` with each relative link that names no file in `present` replaced by
    `address(path)`, keeping its #fragment."""

    def replace(target: str) -> str:
        path = None if is_absolute(target) else resolved(document, target)
        if path is None or path in present or path.startswith("../"):
            return target  # fine as it is, or left for broken_links to report
        fragment = target[len(target.split("#", 1)[0]) :]
        return address(path) + fragment

    text = MARKDOWN_LINK.sub(
        lambda m: m.group(1) + replace(m.group(2).strip("<>")) + m.group(3), text
    )
    return HTML_LINK.sub(lambda m: m.group(1) + m.group(2) + replace(m.group(3)) + m.group(2), text)
