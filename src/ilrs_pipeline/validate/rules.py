"""Every rule the validator can report, by stable id, with a one-line hint on how to fix it.

Ids are what contributors, tests and CI annotations share: never rename one, add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ilrs_pipeline.release import descriptor_version

# On one cell only the findings of the lowest tier are shown, so a stray space is reported once
# as a stray space, not again as a broken pattern and a dangling reference.
ROOT_CAUSE = 0  # what is wrong with the characters themselves
FORM = 1  # a value not written in its field's form, which breaks the keys that use it too
SCHEMA = 2  # files, descriptor and what the Table Schemas say
SEMANTIC = 3  # rules that assume a value the schema accepts


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    hint: str
    tier: int = SCHEMA


_RULES = [
    # The package and its files.
    Rule(
        "package/unreadable",
        "datapackage.json or a schema cannot be read",
        "Make the file valid UTF-8 JSON (a trailing comma or a missing quote is the usual cause).",
    ),
    Rule(
        "package/invalid",
        "the descriptor breaks the Data Package spec",
        "Compare the named property with the Data Package spec and the other resources.",
    ),
    Rule(
        "package/version",
        "datapackage.json has no usable version",
        descriptor_version.HINT,
    ),
    Rule(
        "file/symlink",
        "a file or folder of the package is a symbolic link",
        "Replace the link with the real file (git: commit the file, not a link); links are "
        "never followed, so the validator did not read it.",
    ),
    Rule(
        "file/undeclared",
        "a CSV or JSON file in data/ or schemas/ is not declared in datapackage.json",
        "Declare it as a resource in datapackage.json (path and schema), or delete the file; "
        "if you removed its resource on purpose, delete its CSV and schema too.",
    ),
    Rule(
        "file/missing",
        "a table's file is missing",
        "Restore the CSV at the path datapackage.json names, or fix the path.",
    ),
    Rule(
        "file/empty",
        "a table's file is empty",
        "A table needs at least its header line: copy the header from the schema.",
    ),
    Rule(
        "file/encoding",
        "the file is not UTF-8",
        "Save as UTF-8 (in a spreadsheet: 'CSV UTF-8'); the line holds the first bad byte.",
    ),
    Rule(
        "file/utf-16",
        "the file is UTF-16, not UTF-8",
        "Save as UTF-8: in Excel 'CSV UTF-8 (Comma delimited)', not 'Unicode Text'; in "
        "PowerShell add -Encoding utf8 to Export-Csv or Out-File; in an editor, Save As UTF-8.",
    ),
    Rule(
        "file/separator",
        "the file is separated by semicolons or tabs, not commas",
        "Export with commas: Excel 'CSV UTF-8 (Comma delimited)' (where the list separator is "
        "';', set it to ',' in the region settings), or LibreOffice's field delimiter ','.",
    ),
    Rule(
        "file/merge-conflict",
        "the file holds git's merge-conflict markers",
        "Resolve the conflict: keep the right lines between <<<<<<<, ======= and >>>>>>>, "
        "delete the three marker lines, then validate again.",
    ),
    Rule(
        "file/trailing-empty-columns",
        "the header ends in empty columns",
        "In the spreadsheet select the empty columns right of the table and delete them (not "
        "just clear them), then save; or delete the trailing commas of every line in an editor.",
    ),
    Rule(
        "file/repeated-header",
        "the header line appears again inside the file",
        "Delete the repeated header line: two exports were pasted or joined into one file.",
    ),
    Rule(
        "file/empty-row",
        "a row has only empty cells",
        "Delete the row: in a spreadsheet select the empty rows below or inside the table and "
        "delete them (not just clear them); in an editor delete the lines of commas.",
    ),
    Rule(
        "file/byte-order-mark",
        "the file starts with a byte-order mark",
        "Save as UTF-8 without BOM, or remove the invisible first character of the header.",
    ),
    Rule(
        "file/binary",
        "the file holds NUL bytes, so it is not text",
        "Replace the file with the CSV export; a NUL byte means a binary file was saved here.",
    ),
    Rule(
        "file/unparsable",
        "the CSV cannot be parsed",
        "Close every quoted cell with a double quote, and double any quote inside a quoted cell.",
    ),
    Rule(
        "file/cell-too-long",
        "a cell is too long to be one value",
        "Usually a quote opened on this line is never closed and swallows the lines after it.",
    ),
    Rule(
        "file/header",
        "the header differs from the schema",
        "Make the first line exactly the schema's field names, in order, comma-separated.",
    ),
    Rule(
        "file/blank-line",
        "the file has an empty line",
        "Delete the empty line: every line after the header is one row.",
    ),
    Rule(
        "file/ragged-row",
        "a row has more or fewer cells than the header",
        "Give the row one cell per header column: put a cell holding a comma or a line break "
        "in double quotes, and separate the ids of a list with ';'.",
    ),
    Rule(
        "report/capped",
        "too many problems of one kind in one file to list them all",
        "Fix the problems listed (so many usually share one cause: a wrong column, a bulk edit "
        "or a broken export), then run the validator again to see what remains.",
    ),
    # What the Table Schemas say (checked by frictionless).
    Rule(
        "schema/type",
        "a value is not of the field's type",
        "Write the value as its type: dates as YYYY-MM-DD, integers without decimals.",
    ),
    Rule("schema/required", "a required cell is empty", "Fill in the cell; every row needs it."),
    Rule(
        "schema/pattern",
        "a value does not match the field's pattern",
        "Write the value in the form the pattern in the message gives; docs/data-dictionary.md "
        "shows examples of every field.",
        tier=FORM,
    ),
    Rule(
        "id/format",
        "an id is not a lower-case slug",
        "Write ids with a-z, 0-9 and a single '-' between words, like south-africa; the "
        "message names the first character that does not fit.",
        tier=FORM,
    ),
    Rule(
        "date/format",
        "a date is not written YYYY, YYYY-MM or YYYY-MM-DD",
        "Write the date year first at the precision the source gives: 2023, 2023-06 or "
        "2023-06-21; never add a month or day the source does not give.",
        tier=FORM,
    ),
    Rule(
        "source/list-format",
        "a source list is not ids separated by ';'",
        "Separate source ids with ';' alone, no spaces or commas: a;b, not 'a; b' or 'a,b'.",
        tier=FORM,
    ),
    Rule(
        "schema/enum",
        "a value is not one of the allowed values",
        "Use one of the values listed in the message, spelt exactly.",
    ),
    Rule(
        "schema/constraint",
        "a value breaks a field constraint",
        "Read the field's constraints in schemas/ and correct the value.",
    ),
    Rule(
        "schema/unique",
        "a value that must be unique appears in two rows",
        "Merge the two rows if they describe the same thing, or correct one of the values.",
    ),
    Rule(
        "schema/primary-key",
        "an id is used by two rows",
        "Give each row its own id; if both rows describe the same thing, merge them.",
    ),
    Rule(
        "schema/foreign-key",
        "a reference points to no row of the referenced table",
        "Use an id that exists in the referenced table, or add that row first.",
    ),
    Rule(
        "schema/structure",
        "a row or label is malformed",
        "Compare the row with the header: blank rows, extra or missing cells are not allowed.",
    ),
    # The characters of a cell (vectorised checks on every cell).
    Rule(
        "text/whitespace",
        "a cell starts or ends with whitespace",
        tier=ROOT_CAUSE,
        hint="Delete the spaces before and after the value (spreadsheets hide them).",
    ),
    Rule(
        "text/control-character",
        "a cell holds a control character",
        tier=ROOT_CAUSE,
        hint="Remove the line break, tab or other invisible control character from the cell.",
    ),
    Rule(
        "text/formula",
        "a cell starts with = + - or @, so a spreadsheet would run it",
        tier=ROOT_CAUSE,
        hint="Reword the cell so it starts with a letter or digit (e.g. 'minus 5', not '-5').",
    ),
    Rule(
        "text/mixed-script",
        "a word mixes Latin letters with Cyrillic or Greek look-alikes",
        tier=ROOT_CAUSE,
        hint="Retype the word in one alphabet; a look-alike letter was pasted in from elsewhere.",
    ),
    Rule(
        "id/look-alike",
        "an identifier holds a character that is not plain ASCII",
        tier=ROOT_CAUSE,
        hint="Retype the id with a-z, 0-9 and '-' only; a look-alike letter or dash was pasted in.",
    ),
    Rule(
        "text/zero-width",
        "a cell holds an invisible zero-width character",
        tier=ROOT_CAUSE,
        hint="Retype the value or delete the invisible character the message names (pasted "
        "from a web page or a chat, it makes equal-looking values differ).",
    ),
    Rule(
        "text/non-breaking-space",
        "a cell holds a non-breaking space",
        tier=ROOT_CAUSE,
        hint="Replace the non-breaking space with an ordinary space (word processors and web "
        "pages insert them; searches and joins then miss the value).",
    ),
    Rule(
        "text/bidi-control",
        "a cell holds a character that reorders how text is displayed",
        tier=ROOT_CAUSE,
        hint="Delete the direction-control character: what it displays differs from what the "
        "cell holds, so a reviewer cannot trust what they read.",
    ),
    Rule(
        "text/mojibake",
        "a cell holds text encoded twice (UniversitÃ© for Université)",
        tier=ROOT_CAUSE,
        hint="Retype the garbled letters as the message suggests, or export the file again as "
        "UTF-8 from the original; do not open and re-save a UTF-8 file as Windows-1252.",
    ),
    Rule(
        "text/placeholder",
        "a cell holds a placeholder (N/A, unknown, TBD, -) instead of a value",
        tier=ROOT_CAUSE,
        hint="Leave the cell empty when the value is not known; a required field needs the "
        "real value, from a source.",
    ),
    Rule(
        "text/markup",
        "a plain-text cell holds HTML or Markdown markup",
        tier=ROOT_CAUSE,
        hint="Write plain text: remove the tags or Markdown, and write '&' for '&amp;'.",
    ),
    # Semantic rules a schema cannot say (great-expectations and vectorised checks).
    Rule(
        "date/not-a-date",
        "a partial date is well formed but is not a real calendar date",
        tier=SEMANTIC,
        hint="Use a real date (months 01-12, days that exist in that month).",
    ),
    Rule(
        "date/implausible",
        "a date lies outside the range the schema allows",
        tier=SEMANTIC,
        hint="Check the year for a typo; the allowed range is the field's x-ilrs earliest/latest.",
    ),
    Rule(
        "date/in-future",
        "an event is dated after today",
        tier=SEMANTIC,
        hint="Events that happened cannot be in the future: check the year, or mark it planned.",
    ),
    Rule(
        "date/order",
        "a date range ends before it starts",
        tier=SEMANTIC,
        hint="Correct or swap the two dates so that the first is not after the second.",
    ),
    Rule(
        "name/duplicate",
        "two rows have the same name",
        tier=SEMANTIC,
        hint="Names must be unique (ignoring case and spacing): merge the rows or be precise.",
    ),
    Rule(
        "source/https-url",
        "a source URL is not a well-formed https address",
        tier=SEMANTIC,
        hint="Use the https:// address of the page, with no spaces.",
    ),
    Rule(
        "source/indirect-url",
        "a source URL is a redirect link or a page of search results, not the page read",
        tier=SEMANTIC,
        hint="Open the page and copy the address from the browser's address bar (for a "
        "redirect, the address the message names); a search result link or a search page is "
        "not a source.",
    ),
    Rule(
        "source/unknown-id",
        "a row cites a source that is not in sources.csv",
        tier=SEMANTIC,
        hint="Add the source to data/sources.csv or correct the id in the source list.",
    ),
    Rule(
        "source/repeated-id",
        "a row cites the same source twice",
        tier=SEMANTIC,
        hint="List each source once in the cell.",
    ),
    Rule(
        "source/uncited",
        "a source is cited by no row",
        tier=SEMANTIC,
        hint="Cite the source from the rows it supports, or remove it from data/sources.csv.",
    ),
    Rule(
        "source/missing",
        "a fact row cites no source",
        tier=ROOT_CAUSE,
        hint="Add at least one source_id; every fact must be traceable.",
    ),
    Rule(
        "source/undated-only",
        "a row rests only on sources without a publication date",
        tier=SEMANTIC,
        hint="Add a dated source (news report, press release) next to the undated page.",
    ),
    Rule(
        "reference/unknown-record",
        "a claim or discrepancy names a row that does not exist",
        tier=SEMANTIC,
        hint="Use the key of an existing row (for agreement_parties: agreement_id/partner_id).",
    ),
    Rule(
        "reference/unknown-field",
        "a claim or discrepancy names a field the table does not have",
        tier=SEMANTIC,
        hint="Use one of the field names of that table's schema.",
    ),
    Rule(
        "country/unknown-code",
        "a country code is not an ISO 3166-1 alpha-3 code",
        tier=SEMANTIC,
        hint="Use the three-letter ISO code, e.g. CHN, RUS, ZAF.",
    ),
    Rule(
        "language/unknown-code",
        "a language code is not an ISO 639-1 code",
        tier=SEMANTIC,
        hint="Use the two-letter ISO 639-1 code of the source's language, e.g. en, zh, ru, fa.",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def register(*rules: Rule) -> None:
    """Add the rules a check family declares; an id may be declared once only."""
    for rule in rules:
        if RULES.get(rule.id, rule) != rule:
            msg = f"rule id {rule.id!r} is declared twice"
            raise ValueError(msg)
        RULES[rule.id] = rule
