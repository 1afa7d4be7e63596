"""When two names are one entity's: alike once case, accents, punctuation, spacing, a leading
"the" and a bracketed acronym or translation are set aside, or one is the other's acronym (UAE
and United Arab Emirates). Checked only between rows that also agree on another field (the
country), so that different bodies with similar names stay apart; two long names that merely
share their initials are not matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Words an acronym skips: "Asia-Pacific Space Cooperation Organization" is APSCO.
_MINOR_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "de", "la", "le", "des", "du"})
_BRACKETED = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[^\W_]+")
# One word with at least two capitals (EgSA, MBRSC, UAE): a name's acronym, not a phrase.
_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9&.-]+")
MIN_ACRONYM = 2
_TRIVIAL = "case, accents, punctuation or a bracketed acronym or translation"


def name_key(text: str) -> str:
    """A name as uniqueName and uniqueTogether compare names: spacing and case set aside."""
    return " ".join(text.split()).casefold()


def plain(text: str) -> str:
    """Lower case, accents dropped, letters and digits only, without a leading "the"."""
    folded = unicodedata.normalize("NFKD", text)
    words = _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)).casefold())
    return "".join(words[1:] if words[:1] == ["the"] else words)


@dataclass(frozen=True)
class NameForms:
    """The spellings of a name that another row's name may share."""

    bare: str  # plain, without bracketed parts
    stated: frozenset[str]  # acronyms the name states: in brackets, or a name in capitals
    initials: str  # the initials of its words ('' for a one-word name)

    @classmethod
    def of(cls, name: str) -> NameForms:
        bare = _BRACKETED.sub(_aside, name)
        words = _WORD.findall(bare)
        stated = [part for part in _BRACKETED.findall(name) if _ACRONYM.fullmatch(part.strip())]
        if len(words) == 1 and _ACRONYM.fullmatch(words[0]):
            stated.append(words[0])
        major = [word for word in words if word.casefold() not in _MINOR_WORDS]
        initials = plain("".join(word[0] for word in major)) if len(major) >= MIN_ACRONYM else ""
        acronyms = frozenset(plain(part) for part in stated if len(plain(part)) >= MIN_ACRONYM)
        return cls(plain(bare), acronyms, initials)


def _aside(bracketed: re.Match[str]) -> str:
    """A bracketed acronym (EgSA) or name in another script (非洲商务联盟) is set aside; other
    words in brackets, "(orbiter)" or "(copy 2)", tell names apart and are kept."""
    part = bracketed.group(1).strip()
    latin = any("a" <= char.casefold() <= "z" for char in part)
    return " " if _ACRONYM.fullmatch(part) or not latin else bracketed.group()


def one_entity(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[int, int, str]]:
    """For rows given as (group, name), each later row whose name is an earlier row's in the
    same group: (its index, the earlier row's index, how the names match)."""
    bare: dict[tuple[str, str], int] = {}
    stated: dict[tuple[str, str], int] = {}
    initials: dict[tuple[str, str], int] = {}
    for index, (group, name) in enumerate(rows):
        forms = NameForms.of(name)
        match = _earlier(group, forms, bare, stated, initials)
        if match is not None:
            yield index, *match
        bare.setdefault((group, forms.bare), index)
        for acronym in forms.stated:
            stated.setdefault((group, acronym), index)
        if forms.initials:
            initials.setdefault((group, forms.initials), index)


def _earlier(
    group: str,
    forms: NameForms,
    bare: dict[tuple[str, str], int],
    stated: dict[tuple[str, str], int],
    initials: dict[tuple[str, str], int],
) -> tuple[int, str] | None:
    if forms.bare and (group, forms.bare) in bare:
        return bare[
            group, forms.bare
        ], "the names differ only in case, accents, punctuation or a part in brackets"
    for acronym in sorted(forms.stated):
        if (group, acronym) in stated:
            return stated[group, acronym], f"both names give the acronym {acronym.upper()}"
        if (group, acronym) in initials:
            return initials[group, acronym], f"{acronym.upper()} is the other name's acronym"
    if forms.initials and (group, forms.initials) in stated:
        return stated[
            group, forms.initials
        ], f"the other name is its acronym, {forms.initials.upper()}"
    return None
