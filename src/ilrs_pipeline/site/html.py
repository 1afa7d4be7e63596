"""The page shell shared by every page of the site, and small HTML helpers.

The shell (assets/page.html) carries a Content-Security-Policy that allows only the site's
own files, so a page can never load anything from the network, even by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from string import Template

ASSETS = files("ilrs_pipeline.site") / "assets"
ASSET_FILES = ("style.css", "table.js", "search.js", "icon.svg")


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str


def inline_code(words: str) -> str:
    """Escape text and turn `backticked` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(words))


def page(
    *,
    title: str,
    description: str,
    nav: list[NavItem],
    current: str,
    body: str,
    footer: str,
    scripts: tuple[str, ...] = (),
    base: str = "",
) -> str:
    """A whole HTML document: the shared header, navigation and footer around `body`.

    `base` leads from the page back to the site's root ("../../" for a record page), so every
    link and asset of the shell resolves from any folder, also opened from disk.
    """
    links = "\n".join(
        f'<a href="{escape(base + item.href)}"'
        + (' aria-current="page"' if item.href == current else "")
        + f">{escape(item.label)}</a>"
        for item in nav
    )
    head = "".join(
        f'<script src="{escape(base)}assets/{escape(name)}" defer></script>\n'
        for name in ("search-index.js", "search.js", *scripts)
    )
    shell = Template(ASSETS.joinpath("page.html").read_text(encoding="utf-8"))
    return shell.substitute(
        title=escape(title),
        description=escape(description),
        head=head,
        base=escape(base),
        nav=links,
        body=body,
        footer=footer,
    )
