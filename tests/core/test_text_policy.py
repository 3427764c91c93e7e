"""The text policy (``wardapp.core.text``) and the date range (``wardapp.core.dates``) as pure
functions, against the plain oracle in ``support.text``."""

import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from support.text import TEXT, as_exported, as_stored, is_refused, unsafe_in
from wardapp.core import dates
from wardapp.core.text import (
    clean_text,
    code_points,
    export_safe,
    is_hidden_in_name,
    refused_characters,
)

ANY_TEXT = st.one_of(TEXT, st.text(max_size=40))  # the second may hold lone surrogates


@given(ANY_TEXT)
def test_clean_text_keeps_what_the_policy_keeps_and_nothing_else(value):
    cleaned = clean_text(value)
    assert cleaned == as_stored(value)
    assert not unsafe_in(cleaned) and unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned


@given(ANY_TEXT)
def test_an_export_removes_only_what_cannot_be_kept(value):
    safe = export_safe(value)
    assert safe == as_exported(value) and not unsafe_in(safe)
    assert clean_text(safe) == clean_text(value)


@given(ANY_TEXT)
def test_the_characters_refused_are_named_in_the_order_met(value):
    found = refused_characters(value)
    assert found == [c for c in value if is_refused(c)]


def test_code_points_are_named_once_each():
    assert code_points("\u202e\ufffe\u202e") == "U+202E, U+FFFE"
    assert code_points("\U0010ffff") == "U+10FFFF"


def test_text_a_person_wrote_is_kept_as_written():
    text = "Pano tuyên truyền\tCCHC\nđường Hùng Vương (\u200fأ\u200f) — 2 cái"
    assert clean_text(text) == text and export_safe(text) is text


def test_line_breaks_become_one_kind_and_controls_go():
    assert (
        clean_text(" Dòng một\r\nDòng hai\rDòng ba\x00\x1b[0m\x85 ")
        == "Dòng một\nDòng hai\nDòng ba[0m"
    )
    assert export_safe("a\r\nb\x07") == "a\nb"


def test_a_name_loses_every_format_character_but_keeps_its_letters():
    hidden = [c for c in "ảnh\u200f\u202e\u200b\u00ad\ufeff\x00\ufffe.jpg" if is_hidden_in_name(c)]
    assert hidden == ["\u200f", "\u202e", "\u200b", "\u00ad", "\ufeff", "\x00", "\ufffe"]


def test_a_filter_date_outside_the_years_is_brought_to_the_nearest_end():
    assert dates.parse_day("0001-01-01") == dates.EARLIEST == date(1900, 1, 1)
    assert dates.parse_day("9999-12-31") == dates.LATEST == date(2200, 12, 31)
    assert dates.parse_day("2024-03-20") == date(2024, 3, 20)
    assert dates.parse_day("2024-02-30") is None and dates.parse_day("") is None
    assert dates.parse_day("²０２４-01-01") is None
