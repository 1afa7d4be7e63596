"""What spreadsheets, editors and git leave in a CSV, named by its cause before the file is
parsed: read as plain CSV, each would be reported as something else (one long column, ragged
rows, a header that differs, empty required cells).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from ilrs_pipeline.validate.problems import Problem, shorten

UTF16_BOMS = {
    b"\xff\xfe": "UTF-16 (little-endian, with byte-order mark)",
    b"\xfe\xff": "UTF-16 (big-endian, with byte-order mark)",
}
# Text in UTF-16 without a BOM: one of every two bytes is NUL for ASCII letters.
UTF16_NUL_SHARE = 0.4
UTF16_PRINTABLE_SHARE = 0.95
SEPARATORS = {";": "`;`", "\t": "tabs"}
CONFLICT = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
CONFLICT_MARKERS = re.compile(r"^(?:<{7}|={7}|>{7})(?: |\r?$)", re.MULTILINE)
EMPTY_ROW = re.compile(r"^,+\r?$", re.MULTILINE)


def utf16(file: str, raw: bytes) -> Problem | None:
    """A file saved as UTF-16 (Excel's 'Unicode Text', PowerShell's default redirection)."""
    kind = UTF16_BOMS.get(raw[:2]) or _utf16_without_bom(raw)
    if kind is None:
        return None
    message = f"this file is {kind}; save it as UTF-8"
    return Problem(file, None, None, "file/utf-16", raw[:4].hex(" ").upper(), message)


def _utf16_without_bom(raw: bytes) -> str | None:
    if len(raw) < 2 or raw.count(0) < UTF16_NUL_SHARE * len(raw):
        return None
    little = raw[1::2].count(0) > raw[0::2].count(0)
    try:
        text = raw.decode("utf-16-le" if little else "utf-16-be")
    except UnicodeDecodeError:
        return None
    # Zero-padded binary also decodes; text has no NUL and few unprintable characters.
    shown = sum(char.isprintable() or char in "\r\n\t" for char in text)
    if "\x00" in text or shown < UTF16_PRINTABLE_SHARE * len(text):
        return None
    return f"UTF-16 ({'little' if little else 'big'}-endian, no byte-order mark)"


def before_parsing(file: str, text: str, header_line: str, expected: list[str]) -> list[Problem]:
    """What would make the csv module misread the whole file: conflict markers, another
    separator."""
    split = separator(file, header_line, expected)
    return merge_conflicts(file, text) or ([split] if split else [])


def merge_conflicts(file: str, text: str) -> list[Problem]:
    """Each block of git's conflict markers, at the line of its `<<<<<<<`."""
    problems: list[Problem] = []
    if "<<<<<<<" not in text:  # a substring search is many times faster than the regex
        return problems
    for start in CONFLICT.finditer(text):
        line = _line_at(text, start.start())
        markers = [
            _line_at(text, found.start())
            for found in islice(CONFLICT_MARKERS.finditer(text, start.start()), 3)
        ]
        message = (
            f"unresolved merge conflict at line {line} "
            f"(markers <<<<<<< ======= >>>>>>> on lines {', '.join(map(str, markers))})"
        )
        problems.append(Problem(file, line, None, "file/merge-conflict", None, message))
    return problems


def separator(file: str, header: str, expected: list[str]) -> Problem | None:
    """A header split by `;` or tabs (Excel's CSV in locales whose decimal mark is a comma,
    or its 'Text (Tab delimited)'), where the schema has several fields."""
    if len(expected) < 2 or "," in header:
        return None
    found = max(SEPARATORS, key=header.count)
    if header.count(found) == 0:
        return None
    message = f"this file is separated by {SEPARATORS[found]}, not commas"
    return Problem(file, 1, None, "file/separator", shorten(header), message)


def trailing_empty_columns(file: str, header: list[str], expected: list[str]) -> Problem | None:
    """The schema's header followed by empty names: a spreadsheet saved columns right of the
    table that once held something."""
    extra = header[len(expected) :]
    if header[: len(expected)] != expected or not extra or any(extra):
        return None
    message = f"the header ends in {len(extra)} empty column(s) after {expected[-1]!r}"
    return Problem(file, 1, None, "file/trailing-empty-columns", shorten(",".join(header)), message)


def repeated_headers(file: str, text: str, header_line: str) -> Iterator[Problem]:
    """The header again below line 1: two exports pasted or concatenated into one file."""
    if f"\n{header_line}" not in text:
        return
    pattern = re.compile(rf"^{re.escape(header_line)}\r?$", re.MULTILINE)
    for line in _lines_of(text, pattern.finditer(text, len(header_line))):
        message = f"the header appears again at line {line}"
        yield Problem(file, line, None, "file/repeated-header", None, message)


def empty_rows(file: str, text: str) -> Iterator[Problem]:
    """Rows of commas only: a spreadsheet saved rows that were cleared, or only formatted."""
    if "\n," not in text:
        return
    for line in _lines_of(text, EMPTY_ROW.finditer(text)):
        yield Problem(file, line, None, "file/empty-row", None, "the row has only empty cells")


def _lines_of(text: str, matches: Iterator[re.Match[str]]) -> Iterator[int]:
    """The line of each match, counted on from the last (a file of 200,000 bad rows must not
    be counted from its start 200,000 times)."""
    line, offset = 1, 0
    for found in matches:
        line += text.count("\n", offset, found.start())
        offset = found.start()
        yield line


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
