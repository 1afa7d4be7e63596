"""What a report says about a value: the offending part of a malformed date, id or source list,
the character behind text that is not what it seems, and when two names or URLs are one thing.

The corpus (test_validation_corpus.py) shows each rule on a broken file; these pin down the
explanations on the variants a contributor types, and what must not be flagged.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ilrs_pipeline.model.dates import calendar_fault, format_fault
from ilrs_pipeline.validate import disguise
from ilrs_pipeline.validate.faults import as_list, list_fault, slug_fault
from ilrs_pipeline.validate.names import one_entity
from ilrs_pipeline.validate.urls import indirection, page_key


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2023-06-31", "June 2023 has 30 days"),
        ("2023-02-29", "February 2023 has 28 days (2023 is not a leap year)"),
        ("2023-13", "there is no month 13"),
        ("2023-04-00", "there is no day 00"),
    ],
)
def test_a_date_off_the_calendar_says_which_part_does_not_exist(value, said):
    assert said in (calendar_fault(value) or "")


@pytest.mark.parametrize("value", ["2024-02-29", "2023-06-30", "2023-06", "2023"])
def test_a_real_partial_date_has_no_calendar_fault(value):
    assert calendar_fault(value) is None


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("21/06/2023", "the year comes last"),
        ("June 2023", "the month is a word"),
        ("2023/06/21", "separated by '/'"),
        ("2023-6-1", "write 2023-06-01"),
        ("2023-06-21T10:00", "'T10:00' follows the date"),
        ("c. 2021", "'c' at character 1"),
        ("2021-0a", "'a' at character 7"),
    ],
)
def test_a_malformed_date_is_explained_at_its_offending_part(value, said):
    assert said in format_fault(value)


@pytest.mark.parametrize(
    ("value", "said", "fixed"),
    [
        ("a; b", "a space at character 3, next to ';'", "a;b"),
        ("a,b", "',' at character 2 separates two ids", "a;b"),
        ("a;;b", "';;' at character 2", "a;b"),
        ("a;", "';' at character 2 ends the list", "a"),
        ("a;B-c", "upper-case 'B' at character 3", "a;b-c"),
        ("a;b--c", "'--' at character 4", "a;b-c"),
    ],
)
def test_a_source_list_points_at_the_stray_separator(value, said, fixed):
    assert said in (list_fault(value) or "")
    assert as_list(value) == fixed


def test_a_well_formed_list_and_slug_have_no_fault():
    assert list_fault("tass-2021-ilrs-mou;cnsa-2024") is None
    assert slug_fault("south-africa") is None
    assert slug_fault("south_africa") == "'_' at character 6: ids join words with '-', not '_'"


def _matches(pattern: str, value: str) -> bool:
    """The column regex run as the validator runs it: RE2, through pyarrow."""
    return bool(pc.match_substring_regex(pa.array([value]), pattern)[0].as_py())


@pytest.mark.parametrize(
    "value",
    [
        "Centre national d'études spatiales",
        "Roscosmos–CNSA programme",  # noqa: RUF001 - the dash is the point
        "Глава НПО Лавочкина",
        "«Луны-30»",
        "ساخت محموله ایرانی برای چانگ\u200cئه",  # noqa: RUF001 - a non-joiner where it belongs
        "Chang'e-7",
        "AT&T and C++ < 5 km",
    ],
)
def test_real_text_is_not_taken_for_a_disguise(value):
    """Diacritics, dashes, guillemets, other scripts and a joiner where it belongs stay valid."""
    for pattern in (disguise.BIDI, disguise.MOJIBAKE, disguise.MARKUP, disguise.NO_BREAK):
        assert not _matches(pattern, value), (pattern, value)
    assert not disguise.is_zero_width(value)


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (disguise.ZERO_WIDTH, "Ser\u200bbia"),
        (disguise.ZERO_WIDTH, "Ser\u200cbia"),  # a non-joiner between Latin letters
        (disguise.NO_BREAK, "South\u00a0Africa"),
        (disguise.BIDI, "abc\u202edef"),
        (disguise.MOJIBAKE, "Universit\u00c3\u00a9"),
        (disguise.MOJIBAKE, "\u00e2\u20ac\u0153quoted"),
        (disguise.PLACEHOLDER, "N/A"),
        (disguise.PLACEHOLDER, "TBD"),
        (disguise.PLACEHOLDER, "?"),
        (disguise.MARKUP, "see [the page](https://a.org)"),
        (disguise.MARKUP, "Tom &amp; Jerry"),
    ],
)
def test_each_disguise_is_caught(pattern, value):
    assert _matches(pattern, value)
    assert pattern != disguise.ZERO_WIDTH or disguise.is_zero_width(value)


def test_a_word_that_holds_a_placeholder_is_not_one():
    assert not _matches(disguise.PLACEHOLDER, "none of the partners")


def test_mojibake_is_shown_with_the_text_it_stood_for():
    said = disguise.describe_mojibake("Università di Roma".encode().decode("cp1252"))
    assert "probably reads 'Università di Roma'" in said


def test_a_joiner_beside_latin_letters_is_named_by_code_point_and_position():
    said = disguise.describe_zero_width("Ser\u200cbia")
    assert said.startswith("holds the invisible U+200C (zero width non-joiner) at character 4")


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("https://a.org/news/1?utm_source=rss&id=2", "https://a.org/news/1?id=2"),
        ("http://www.a.org/news/1/", "https://a.org/news/1"),
        ("https://A.org/news/1?fbclid=x", "https://a.org/news/1"),
        ("https://a.org/news/1#:~:text=lunar%20station", "https://a.org/news/1"),
        ("https://a.org/news/1#part-2:~:text=lunar", "https://a.org/news/1#part-2"),
    ],
)
def test_urls_that_differ_only_by_tracking_or_trivia_are_one_page(url, other):
    assert page_key(url) == page_key(other)


def test_urls_a_site_tells_apart_stay_apart():
    assert page_key("https://a.org/?p=1") != page_key("https://a.org/?p=2")
    assert page_key("https://[a.org/x") != page_key("https://[a.org/y")  # not even splittable
    assert page_key("https://a.org/news") != page_key("https://b.org/news")


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("https://www.google.com/url?q=https://tass.com/science/1&sa=D", "a Google redirect to "
         "https://tass.com/science/1"),
        ("https://www.google.co.uk/url?sa=t&url=https://a.org/x&ved=2ah", "to https://a.org/x"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fa.org%2Fx", "to https://a.org/x"),
        ("https://www.google.com/search?q=ilrs", "a page of search results"),
        ("https://www.baidu.com/s?wd=ilrs", "a page of search results"),
        ("https://tass.com/search/?searchStr=lunar", "a page of search results"),
    ],
)  # fmt: skip
def test_a_redirect_or_search_url_is_not_the_page(url, said):
    assert said in (indirection(url) or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://tass.com/science/1263979",
        "https://spacenews.com/?p=442671",
        "https://www.google.com/about/",
        "https://example.org/research/lunar-station?id=3",  # 'research' is not 'search'
        "https://example.org/search",  # a search form without a query is a page
    ],
)
def test_an_ordinary_page_url_is_direct(url):
    assert indirection(url) is None


def test_one_entity_by_acronym_and_only_within_a_country():
    rows = [
        ("ARE", "United Arab Emirates"),
        ("ARE", "UAE"),
        ("CHN", "China National Space Administration"),
        ("RUS", "CNSA"),  # same initials, other country: another body
        ("CHN", "China Nuclear Safety Agency"),  # same initials as a long name: not matched
    ]
    assert [(i, j) for i, j, _ in one_entity(rows)] == [(1, 0)]


def test_bracketed_words_that_tell_names_apart_are_kept():
    rows = [
        ("CHN", "African Business Alliance (非洲商务联盟)"),
        ("CHN", "African Business Alliance"),  # a translation in brackets: the same body
        ("CHN", "China"),
        ("CHN", "China (copy 1)"),  # words in brackets: another row
    ]
    assert [(i, j) for i, j, _ in one_entity(rows)] == [(1, 0)]
