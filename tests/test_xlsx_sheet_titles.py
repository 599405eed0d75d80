"""XLSX sheet names: Excel allows 31 characters; long titles are cut after a whole word, and stay unique."""

import io

from openpyxl import load_workbook

from core.exports import xlsx_bytes


def sheet_names(*titles):
    book = load_workbook(io.BytesIO(xlsx_bytes([(title, ["A"], [[1]]) for title in titles])), read_only=True)
    return book.sheetnames


def test_a_long_title_is_cut_after_a_whole_word():
    # 43 characters; the first 31 end inside "specialist".
    assert sheet_names("Competitive job starts by specialist and team") == ["Competitive job starts by"]


def test_names_within_the_limit_are_kept_and_forbidden_characters_go():
    assert sheet_names("Rates: Q1/Q2 [draft]", "Trend 8 quarters %") == ["Rates Q1 Q2 draft", "Trend 8 quarters %"]


def test_titles_alike_in_their_first_words_stay_unique_and_whole_worded():
    names = sheet_names(
        "Follow-along supports per month for the program",
        "Follow-along supports per month for each specialist",
    )
    # "Follow-along supports per month" is exactly 31 characters: the second needs room for " (2)".
    assert names == ["Follow-along supports per month", "Follow-along supports per (2)"]
    assert all(len(name) <= 31 for name in names)


def test_a_single_word_longer_than_the_limit_is_cut_inside_it():
    assert sheet_names("Supercalifragilisticexpialidocious-ness") == ["Supercalifragilisticexpialidoci"]
