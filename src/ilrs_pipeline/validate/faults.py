"""Where a value breaks the grammar of its field's kind: an id slug or a `;`-separated id list.

A pattern failure says only "does not match"; these point at the first offending character (by
its position, counted from 1) and suggest the value as it was probably meant, so a contributor
sees `','` at character 5 rather than a regular expression. Partial dates have theirs in
model/dates.py. Each returns None when it finds nothing wrong: the schema's pattern is then
stricter than the grammar read here, and the report falls back to quoting the pattern.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
LIST_SEPARATOR = ";"
# What contributors type instead of ';' between two ids.
WRONG_SEPARATORS = ",|"


def slug_fault(text: str, offset: int = 0) -> str | None:
    """The first character that keeps `text` from being a lower-case slug like south-africa;
    `offset` is where `text` starts inside a longer cell."""
    for index, char in enumerate(text):
        fault = None if char in SLUG_CHARS else _slug_char_fault(text, index, offset + index + 1)
        if fault:
            return fault
    return None


def _slug_char_fault(text: str, index: int, position: int) -> str | None:
    """What is wrong with the character at `index` of a would-be slug (at `position` of the
    cell), or None for a '-' that joins two words."""
    char, at = text[index], f"at character {position}"
    if char == "-":
        if index in {0, len(text) - 1}:
            return f"'-' {at} {'starts' if index == 0 else 'ends'} the id"
        doubled = text[index - 1] == "-"
        return f"'--' at character {position - 1}: one '-' joins two words" if doubled else None
    if "A" <= char <= "Z":
        return f"upper-case {char!r} {at}: ids are lower-case"
    if char.isspace():
        return f"a space {at}: ids join words with '-'"
    if char == "_":
        return f"'_' {at}: ids join words with '-', not '_'"
    return f"{char!r} {at} is not a-z, 0-9 or '-'"


def list_fault(text: str) -> str | None:
    """The first stray separator, space or malformed id in a `;`-separated list of ids."""
    entries = text.split(LIST_SEPARATOR)
    position = 0
    for number, entry in enumerate(entries):
        fault = _entry_fault(entry, position, number, len(entries))
        if fault:
            return fault
        position += len(entry) + 1
    return None


def _entry_fault(entry: str, position: int, number: int, count: int) -> str | None:
    """What is wrong with one entry of a list, which starts after `position` characters."""
    if not entry:
        if number == 0:
            return "';' at character 1 starts the list"
        if number == count - 1:
            return f"';' at character {position} ends the list"
        return f"';;' at character {position}: an empty entry between two ';'"
    for index, char in enumerate(entry):
        where = f"at character {position + index + 1}"
        if char in WRONG_SEPARATORS:
            return f"{char!r} {where} separates two ids: use ';'"
        if char.isspace() and index in {0, len(entry) - 1}:
            return f"a space {where}, next to ';': no spaces around ';'"
    return slug_fault(entry, position)


def as_slug(text: str) -> str:
    """`text` as a slug (accents dropped, lower case, '-' between words): a likely fix."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def as_list(text: str) -> str:
    """`text` as a `;`-separated list of slugs: a likely fix."""
    parts = (as_slug(part) for part in re.split(rf"[{LIST_SEPARATOR}{WRONG_SEPARATORS}\s]+", text))
    return LIST_SEPARATOR.join(part for part in parts if part)
