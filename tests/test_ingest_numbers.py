"""Numbers as European spreadsheets write them: read by the file's convention, never guessed."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ingest_helpers import HEADERS, TODAY, add_network, programme, stored_progress
from sqlalchemy import Engine

from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import commit_upload, dry_run
from skills_roadmap.ingest.cells import numbers, read_numbers
from skills_roadmap.ingest.numbers import (
    Convention,
    ambiguity,
    column_convention,
    parse,
    read_texts,
)

FIXTURES = Path(__file__).parent / "fixtures"
POINT, COMMA = Convention.DECIMAL_POINT, Convention.DECIMAL_COMMA
NAN = math.nan


def column(*values: object) -> np.ndarray:
    cells = np.empty(len(values), dtype=object)
    cells[:] = list(values)
    return cells


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


# (text, number with a decimal point, number with a decimal comma); NaN: not a number.
READINGS = [
    ("12", 12.0, 12.0),
    ("-3", -3.0, -3.0),
    ("1.5", 1.5, NAN),  # "." before 1 digit: never a thousands separator
    ("12,5", NAN, 12.5),
    ("1.234", 1.234, 1234.0),  # the one form with two readings
    ("12,345", 12345.0, 12.345),
    ("-1.234", -1.234, -1234.0),
    ("1.234,50", NAN, 1234.5),
    ("1,234.50", 1234.5, NAN),
    ("1.234.567", NAN, 1234567.0),  # two decimal points cannot be
    ("1,234,567", 1234567.0, NAN),
    ("1\u00a0234,50", NAN, 1234.5),  # French: a no-break space
    ("1\u202f234\u202f567,89", NAN, 1234567.89),  # a narrow no-break space
    ("1 234", 1234.0, 1234.0),  # a space only ever separates thousands
    ("1'234.50", 1234.5, NAN),  # Swiss: an apostrophe
    ("1\u2019234", 1234.0, 1234.0),
    ("0.123", 0.123, NAN),  # no thousands group starts with 0
    ("0,5", NAN, 0.5),
    ("01.234", 1.234, NAN),
    ("1.2345", 1.2345, NAN),  # groups of exactly three digits
    ("12.34", 12.34, NAN),
    ("1.23.456", NAN, NAN),
    ("1 234.5", 1234.5, NAN),  # a space and a point cannot both group
    ("12 34", NAN, NAN),
    ("1.234,5.6", NAN, NAN),
    ("\u22125", -5.0, -5.0),  # the minus sign
    ("abc", NAN, NAN),
    ("nan", NAN, NAN),
    ("inf", NAN, NAN),
    ("\u0661\u0662", NAN, NAN),  # Arabic-Indic digits are not read
]


@pytest.mark.parametrize(("text", "point", "comma"), READINGS)
def test_each_text_is_read_under_both_conventions(text: str, point: float, comma: float) -> None:
    parsed = parse(text)
    readings = read_texts(column(text))  # the bulk path: pandas first, then the parser
    assert same(parsed[0], point) and same(parsed[1], comma)
    assert same(readings.point[0], point) and same(readings.comma[0], comma)


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("€ 1.234,50", True, (NAN, 1234.5)),
        ("1.234 €", True, (1.234, 1234.0)),
        ("1234 EUR", True, (1234.0, 1234.0)),
        ("-€5", True, (-5.0, -5.0)),
        ("€ 1.234,50", False, (NAN, NAN)),  # a currency only in amount columns
    ],
)
def test_a_euro_sign_is_allowed_in_amounts(
    text: str, currency: bool, expected: tuple[float, float]
) -> None:
    point, comma = parse(text, currency=currency)
    assert same(point, expected[0]) and same(comma, expected[1])


@pytest.mark.parametrize(
    ("texts", "evidence"),
    [
        (["12", "1.234", "1 000"], frozenset()),
        (["1.234", "12,5"], frozenset({COMMA})),
        (["1.234", "1.5"], frozenset({POINT})),
        (["1.234,50", "1,234.50"], frozenset({POINT, COMMA})),
    ],
)
def test_only_texts_with_one_reading_are_evidence(
    texts: list[str], evidence: frozenset[Convention]
) -> None:
    assert read_texts(column(*texts)).evidence == evidence


@pytest.mark.parametrize(
    ("own", "file", "convention"),
    [
        (frozenset({COMMA}), frozenset({POINT}), COMMA),  # the column's own evidence first
        (frozenset(), frozenset({COMMA}), COMMA),
        (frozenset(), frozenset({POINT, COMMA}), None),
        (frozenset({POINT, COMMA}), frozenset({COMMA}), None),  # a column that disagrees
        (frozenset(), frozenset(), None),
    ],
)
def test_a_column_is_read_by_its_own_convention_or_else_the_files(
    own: frozenset[Convention], file: frozenset[Convention], convention: Convention | None
) -> None:
    assert column_convention(own, file) == convention


def test_a_two_way_text_is_ambiguous_without_a_convention_and_read_with_one() -> None:
    cells = column("1.234", "1.234", 12.0, "", "12,5")
    alone = numbers(cells)
    assert alone.ambiguous is not None
    assert alone.ambiguous.tolist() == [True, True, False, False, False]
    assert alone.invalid.tolist() == [True, True, False, False, False]
    assert numbers(cells, convention=COMMA).values[[0, 2, 4]].tolist() == [1234.0, 12.0, 12.5]
    assert numbers(cells, convention=POINT).values[[0, 2, 4]].tolist() == [1.234, 12.0, 12.5]


def test_each_distinct_text_is_parsed_once() -> None:
    read = read_numbers(column(*(["1.234,50", "12"] * 5_000), 3.0))
    assert read.readings is not None and len(read.readings.point) == 2
    assert read.evidence == frozenset({COMMA})


def test_a_numeric_column_takes_the_fast_path() -> None:
    read = read_numbers(column(1.0, 2.5, 3))
    assert (read.readings, read.evidence) == (None, frozenset())
    assert read.converted().values.tolist() == [1.0, 2.5, 3.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.234", "1234 with '.' separating thousands, or 1.234 with a decimal point"),
        ("12,345", "12345 with ',' separating thousands, or 12,345 with a decimal comma"),
        ("€ -1.500", "-1500 with '.' separating thousands, or -1.500 with a decimal point"),
    ],
)
def test_the_message_shows_both_readings(text: str, message: str) -> None:
    assert ambiguity(text, currency=True) == f"unclear: {message}"


@given(
    cents=st.integers(min_value=0, max_value=10**11),
    convention=st.sampled_from(list(Convention)),
    grouping=st.sampled_from(["", " ", "\u00a0", "\u202f", "'", "thousands"]),
)
def test_a_number_shown_with_two_decimals_is_read_back_exactly(
    cents: int, convention: Convention, grouping: str
) -> None:
    """``#,##0.00`` in any country: the decimals tell the convention, nothing is scaled."""
    thousands = "," if convention is POINT else "."
    separator = thousands if grouping == "thousands" else grouping
    whole = f"{cents // 100:,}".replace(",", separator)
    text = f"{whole}{convention.value}{cents % 100:02d}"
    values = numbers(column(text)).values
    assert values[0] == cents / 100


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    convention=st.sampled_from([POINT, COMMA, None]),
)
def test_a_whole_number_with_thousands_separators_is_never_scaled(
    whole: int, convention: Convention | None
) -> None:
    """``#,##0``: the number itself, or (when nothing tells the convention) no number at all;
    never a thousandth of it."""
    for thousands, own in ((".", COMMA), (",", POINT)):
        text = f"{whole:,}".replace(",", thousands)
        result = numbers(column(text), convention=convention)
        assert result.ambiguous is not None
        if convention is own:
            assert result.values[0] == whole
        elif convention is None:
            assert result.values[0] == whole or bool(result.ambiguous[0])


# What the sheet of numbers holds (see make_fixtures.NUMBER_ROWS), as stored.
STORED = [
    {
        "programme_id": "ARA-1",
        "period": "2025-01",
        "enrolled": 1236,
        "completed": 12,
        "certified": None,
        "dropped_out": 0,
        "women": 600,
        "spend_eur": 1234.5,
        "notes": None,
    },
    {
        "programme_id": "ARA-1",
        "period": "2025-02",
        "enrolled": 1500,
        "completed": 1234,
        "certified": 1000,
        "dropped_out": 3,
        "women": 750,
        "spend_eur": 1236.0,
        "notes": None,
    },
    {
        "programme_id": "ARA-2",
        "period": "2025-02",
        "enrolled": 12,
        "completed": 10,
        "certified": 10,
        "dropped_out": 0,
        "women": 6,
        "spend_eur": 1234567.89,
        "notes": None,
    },
    {
        "programme_id": "CLJ-1",
        "period": "2025-03",
        "enrolled": 7,
        "completed": 3,
        "certified": None,
        "dropped_out": 2,
        "women": 4,
        "spend_eur": 0.5,
        "notes": None,
    },
]


@pytest.fixture
def roomy_network(any_engine: Engine) -> Engine:
    """The ingestion network with programmes big enough for thousands (no warnings)."""
    add_network(
        any_engine,
        programme("ARA-1", capacity=100_000, budget_eur=1e7),
        programme("ARA-2", capacity=100_000, budget_eur=1e7),
        programme("CLJ-1", "cluj-it", capacity=100_000, budget_eur=1e7),
    )
    return any_engine


@pytest.mark.parametrize(
    "name",
    [
        "progress_numbers_es.csv",  # LibreOffice in Spain: 1.236 and "1.234,50", split on ;
        "progress_numbers_es_comma.csv",  # the same split on , (decimals quoted)
        "progress_numbers_de.csv",
        "progress_numbers_fr.csv",  # 1 236 and 1 234,50 with no-break spaces
        "progress_numbers_de_ch.csv",  # Switzerland: 1'234.50, split on ; all the same
    ],
)
def test_csv_saved_by_libreoffice_in_a_european_locale_stores_the_numbers_shown(
    roomy_network: Engine, name: str
) -> None:
    data = (FIXTURES / name).read_bytes()
    report = dry_run(roomy_network, data, name, today=TODAY)
    assert (report.errors, report.warnings, report.new) == ([], [], 4)
    result = commit_upload(roomy_network, data, name, today=TODAY)
    assert result.report is not None and result.report.new == 4
    assert stored_progress(roomy_network) == STORED


def test_numbers_typed_as_text_cells_in_a_workbook_are_read_by_their_convention(
    roomy_network: Engine,
) -> None:
    """Spend as text: ``1.234,50``, ``€ 1.236`` (1236, as the comma of the first says),
    ``1 234 567,89`` with no-break spaces, ``0,50``."""
    data = (FIXTURES / "progress_numbers_text.xlsx").read_bytes()
    result = commit_upload(roomy_network, data, "text.xlsx", today=TODAY)
    assert result.report is not None and result.report.errors == []
    stored = stored_progress(roomy_network)
    assert [(row["enrolled"], row["spend_eur"]) for row in stored] == [
        (1236, 1234.5),
        (1500, 1236.0),
        (12, 1234567.89),
        (7, 0.5),
    ]


def test_a_number_whose_separator_nothing_explains_is_an_error_and_nothing_is_stored(
    roomy_network: Engine,
) -> None:
    """LibreOffice in Spain, ``#,##0`` only: 1.236 may be 1236 or 1.236; never 1.24 EUR."""
    data = (FIXTURES / "progress_numbers_es_thousands.csv").read_bytes()
    result = commit_upload(roomy_network, data, "es.csv", today=TODAY)
    assert result.report is not None
    expected = "typed without thousands separators (e.g. 1234)"
    assert [(p["cell"], p["value"], p["message"], p["expected"]) for p in result.report.errors] == [
        (
            "C2",
            "1.236",
            "unclear: 1236 with '.' separating thousands, or 1.236 with a decimal point",
            f"a whole number of 0 or more, {expected}",
        ),
        (
            "H2",
            "1.235",
            "unclear: 1235 with '.' separating thousands, or 1.235 with a decimal point",
            f"a number of 0 or more, {expected}",
        ),
        (
            "C3",
            "1.500",
            "unclear: 1500 with '.' separating thousands, or 1.500 with a decimal point",
            f"a whole number of 0 or more, {expected}",
        ),
        (
            "D3",
            "1.234",
            "unclear: 1234 with '.' separating thousands, or 1.234 with a decimal point",
            f"a whole number of 0 or more, {expected}",
        ),
        (
            "E3",
            "1.000",
            "unclear: 1000 with '.' separating thousands, or 1.000 with a decimal point",
            f"a whole number of 0 or more, {expected}",
        ),
        (
            "H3",
            "1.236",
            "unclear: 1236 with '.' separating thousands, or 1.236 with a decimal point",
            f"a number of 0 or more, {expected}",
        ),
    ]
    assert stored_progress(roomy_network) == []


def test_text_1_236_alone_in_a_workbook_is_an_error_not_1_24_eur(roomy_network: Engine) -> None:
    data = (FIXTURES / "progress_numbers_text_ambiguous.xlsx").read_bytes()
    report = dry_run(roomy_network, data, "text.xlsx", today=TODAY)
    assert [(p["cell"], p["value"], p["message"]) for p in report.errors] == [
        (
            "H2",
            "1.236",
            "unclear: 1236 with '.' separating thousands, or 1.236 with a decimal point",
        )
    ]
    assert report.problem_counts[0].rule == "a thousands separator or a decimal sign?"


def test_an_unclear_number_is_explained_in_the_readers_language(network_engine: Engine) -> None:
    """The cell's message, what is expected and the rule are translated (marked in the
    pseudo-language); the text and its two readings are the cell's own."""
    data = (FIXTURES / "progress_numbers_text_ambiguous.xlsx").read_bytes()
    with use_language(PSEUDO_LANGUAGE):
        report = dry_run(network_engine, data, "text.xlsx", today=TODAY)
        comma = ambiguity("12,345")
    assert [(p["value"], p["message"], p["expected"]) for p in report.errors] == [
        (
            "1.236",
            "⟦üncléår: 1236 wîth '.' sépåråtîng thöüsånds, ör 1.236 wîth å décîmål pöînt⟧",
            "⟦⟦å nümbér öf 0 ör möré⟧, typéd wîthöüt thöüsånds sépåråtörs (é.g. 1234)⟧",
        )
    ]
    assert report.problem_counts[0].rule == "⟦å thöüsånds sépåråtör ör å décîmål sîgn?⟧"
    assert comma == "⟦üncléår: 12345 wîth ',' sépåråtîng thöüsånds, ör 12,345 wîth å décîmål cömmå⟧"


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Progress"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_another_column_of_the_file_settles_the_convention(roomy_network: Engine) -> None:
    """Enrolled ``1.236`` is 1236 because Spend ``12,5`` shows the decimal comma."""
    data = workbook_bytes([["ARA-1", "2025-01", "1.236", 1, None, None, None, "12,5"]])
    result = commit_upload(roomy_network, data, "x.xlsx", today=TODAY)
    assert result.report is not None and result.report.errors == []
    assert [(r["enrolled"], r["spend_eur"]) for r in stored_progress(roomy_network)] == [
        (1236, 12.5)
    ]


def test_whole_numbers_stay_whole(roomy_network: Engine) -> None:
    """Counts: ``12.0`` is 12, ``12.5`` is not a whole number, in text as in numbers."""
    data = workbook_bytes(
        [
            ["ARA-1", "2025-01", "12.0", 1],
            ["ARA-1", "2025-02", "12.5", 1],
            ["ARA-1", "2025-03", 12.5, 1],
        ]
    )
    report = dry_run(roomy_network, data, "x.xlsx", today=TODAY)
    assert [(p["cell"], p["message"]) for p in report.errors] == [
        ("C3", "not a whole number"),
        ("C4", "not a whole number"),
    ]
    assert report.clean["enrolled"].tolist() == [12]
