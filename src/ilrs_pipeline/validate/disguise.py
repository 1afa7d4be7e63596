"""Text that is not what it seems: invisible or direction-changing characters, non-breaking
spaces, double-encoded UTF-8, placeholders standing in for a value, and markup in plain text.

Each kind is an RE2 regex (text.py runs it over whole columns with pyarrow) and a function that
names, for one matching cell, the offending character by code point and position (counted from
1), so a contributor can find what the eye cannot see.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL_NAMES = {"\t": "tab", "\n": "line break", "\r": "carriage return"}

# Zero-width characters. ZWNJ and ZWJ (U+200C, U+200D) belong between the letters of scripts
# that join them (a Persian title: چانگ‌ئه), so `is_zero_width` keeps only those beside anything
# else (a regex that says so is ten times slower over a column than this one and a look).
ZERO_WIDTH = r"[\x{200B}-\x{200D}\x{2060}-\x{2064}\x{FEFF}\x{00AD}\x{180E}]"
_PY_ZERO_WIDTH = re.compile("[\u200b\u2060-\u2064\ufeff\u00ad\u180e]")
_PY_JOINERS = re.compile("[\u200c\u200d]")

# A non-breaking space between two characters (at either end, text/whitespace reports it).
NO_BREAK = r"[^\s\pZ][\x{00A0}\x{2007}\x{202F}][^\s\pZ]"
_PY_NO_BREAK = re.compile("[\u00a0\u2007\u202f]")

# Characters that reorder how text is displayed: embeddings, overrides, isolates and marks.
BIDI = r"[\x{202A}-\x{202E}\x{2066}-\x{2069}\x{200E}\x{200F}\x{061C}]"
_PY_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

# UTF-8 read as Windows-1252 (or Latin-1) and saved again: a lead byte shown as Â-ß followed by
# one continuation byte, or as à-ï followed by two; a continuation byte shows as one of these.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_PY_MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}")
MOJIBAKE = "".join(
    f"\\x{{{ord(char):04X}}}" if ord(char) > 0x7F else char for char in _PY_MOJIBAKE.pattern
)

# Whole values that stand in for one: say nothing rather than something false.
_PLACEHOLDERS = (
    r"n/a|n\.a\.?|unknown|not known|not applicable|not available|none|null|nil|nan|tbd|tba|tbc"
    r"|to be (?:determined|confirmed|announced)|todo|xxx+|\?+|-+|\x{2013}|\x{2014}|\.\.\.|\x{2026}"
)
PLACEHOLDER = rf"(?i)^(?:{_PLACEHOLDERS})$"

# HTML tags and entities, Markdown links, bold, code and headings.
_MARKUP_KINDS = (
    ("an HTML tag", r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"),
    ("an HTML entity", r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"),
    ("a Markdown link", r"\[[^\]]+\]\([^)\s]+\)"),
    ("Markdown bold", r"\*\*\S[^*]*\*\*|__\S[^_]*__"),
    ("Markdown code", r"`[^`]+`"),
    ("a Markdown heading", r"^#{1,6}\s"),
)
MARKUP = "|".join(f"(?:{pattern})" for _, pattern in _MARKUP_KINDS)


def character(char: str) -> str:
    """A character as a report names it: code point and Unicode name."""
    if not char:
        return "a character"
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "control character").lower()
    return f"U+{ord(char):04X} ({name})"


def _at(value: str, position: int) -> str:
    return f"{character(value[position])} at character {position + 1}"


def is_zero_width(value: str) -> bool:
    """A cell that holds a zero-width character where none belongs."""
    return _first_zero_width(value) is not None


def _first_zero_width(value: str) -> int | None:
    return next(
        (
            index
            for index, char in enumerate(value)
            if _PY_ZERO_WIDTH.match(char) or (_PY_JOINERS.match(char) and not _joined(value, index))
        ),
        None,
    )


def describe_zero_width(value: str) -> str:
    where = _first_zero_width(value) or 0
    cleaned = _PY_JOINERS.sub("", _PY_ZERO_WIDTH.sub("", value))
    return f"holds the invisible {_at(value, where)}; without it the value is {cleaned!r}"


def _joined(value: str, index: int) -> bool:
    """A joiner between two letters of a script other than Latin, where it belongs."""
    before, after = value[index - 1 : index], value[index + 1 : index + 2]
    return bool(before and after) and _joining_letter(before) and _joining_letter(after)


def _joining_letter(char: str) -> bool:
    is_letter = unicodedata.category(char)[0] in "LM"
    return is_letter and not unicodedata.name(char, "").startswith("LATIN")


def describe_no_break(value: str) -> str:
    found = _PY_NO_BREAK.search(value)
    where = found.start() if found else 0
    return (
        f"holds a non-breaking space, {_at(value, where)}, which looks like a space but does "
        "not match one in a search or a join"
    )


def describe_bidi(value: str) -> str:
    found = _PY_BIDI.search(value)
    where = found.start() if found else 0
    return f"holds {_at(value, where)}, an invisible character that reorders how text is shown"


def describe_mojibake(value: str) -> str:
    found = _PY_MOJIBAKE.search(value)
    if found is None:
        return "looks like text encoded twice as UTF-8"
    meant = _undo_double_encoding(found.group())
    repaired = _PY_MOJIBAKE.sub(lambda match: _undo_double_encoding(match.group()), value)
    return (
        f"{found.group()!r} at character {found.start() + 1} is {meant!r} encoded twice as "
        f"UTF-8; the value probably reads {repaired!r}"
    )


def _undo_double_encoding(text: str) -> str:
    """The characters `text` stood for before its UTF-8 bytes were read as Windows-1252."""
    try:
        raw = bytes(_byte(char) for char in text)
        return raw.decode("utf-8")
    except (UnicodeError, ValueError):
        return text


def _byte(char: str) -> int:
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(char)  # the five bytes Windows-1252 leaves undefined pass through as Latin-1


def describe_placeholder(value: str) -> str:
    return f"{value!r} stands in for a value that is not known"


def describe_markup(value: str) -> str:
    found = [
        (match.start(), kind, match.group())
        for kind, pattern in _MARKUP_KINDS
        if (match := re.search(pattern, value))
    ]
    if not found:
        return "holds markup"
    start, kind, text = min(found)
    return f"holds {kind}, {text!r}, at character {start + 1}"
