"""The ESF+ participant breakdowns of the progress sheet, checked cell by cell."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_helpers import TODAY
from sqlalchemy import Engine

from skills_roadmap.ingest import dry_run

HEADERS = [
    "Programme ID",
    "Period",
    "Enrolled",
    "Completed",
    "Women",
    "Men",
    "Non-binary",
    "Under 18",
    "Aged 18-29",
    "Aged 30-54",
    "Aged 55 and over",
    "Employed",
    "Unemployed",
    "Long-term unemployed",
    "Inactive",
    "ISCED 0-2",
    "ISCED 3-4",
    "ISCED 5-8",
]


def sheet(*rows: str) -> bytes:
    return ("\n".join([",".join(HEADERS), *rows]) + "\n").encode()


def errors(engine: Engine, *rows: str) -> list[tuple[object, ...]]:
    report = dry_run(engine, sheet(*rows), "x.csv", today=TODAY)
    return [(p["row"], p["cell"], p["value"], p["message"]) for p in report.errors]


def test_bands_within_enrolled_and_blanks_are_accepted_as_not_reported(
    network_engine: Engine,
) -> None:
    report = dry_run(
        network_engine,
        sheet(
            "ARA-1,2025-01,120,0,60,50,10,10,50,40,20,70,30,20,20,40,40,40",
            "ARA-1,2025-02,10,0,,,,,,,,,,,,,,",  # nothing reported
        ),
        "x.csv",
        today=TODAY,
    )
    assert report.errors == []
    reported, blank = report.clean.iloc[0], report.clean.iloc[1]
    assert [reported[k] for k in ("men", "age_55_over", "long_term_unemployed", "isced_5_8")] == [
        50,
        20,
        20,
        40,
    ]
    assert blank[["men", "age_under_18", "employed", "isced_0_2"]].tolist() == [pd.NA] * 4


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # the age bands: 10 + 50 + 40 + 30 = 130 > 120, shown in the first band given
        (
            "ARA-1,2025-01,120,0,,,,10,50,40,30,,,,,,,",
            [(2, "H2", "10", "the age bands add up to 130, more than the 120 enrolled")],
        ),
        # a blank band is not reported: the others are summed without it
        (
            "ARA-1,2025-01,120,0,,,,,70,60,,,,,,,,",
            [(2, "I2", "70", "the age bands add up to 130, more than the 120 enrolled")],
        ),
        # women and men together
        (
            "ARA-1,2025-01,10,0,6,5,,,,,,,,,,,,",
            [(2, "E2", "6", "the gender bands add up to 11, more than the 10 enrolled")],
        ),
        # one band alone above Enrolled: said in its own cell, not again as a sum
        (
            "ARA-1,2025-01,10,0,,,,,,,,,,,,12,1,",
            [(2, "P2", "12", "more than Enrolled (10) in the same row")],
        ),
        # long-term unemployed are some of the unemployed, and not added to the status sum
        (
            "ARA-1,2025-01,10,0,,,,,,,,2,4,5,4,,,",
            [(2, "N2", "5", "more than Unemployed (4) in the same row")],
        ),
        ("ARA-1,2025-01,10,0,,,,,,,,2,4,4,4,,,", []),
        # every breakdown at once, each its own error
        (
            "ARA-1,2025-01,10,0,5,6,,6,5,,,6,5,,,6,6,",
            [
                (2, "E2", "5", "the gender bands add up to 11, more than the 10 enrolled"),
                (2, "H2", "6", "the age bands add up to 11, more than the 10 enrolled"),
                (
                    2,
                    "L2",
                    "6",
                    "the labour-market status bands add up to 11, more than the 10 enrolled",
                ),
                (2, "P2", "6", "the education bands add up to 12, more than the 10 enrolled"),
            ],
        ),
    ],
)
def test_breakdown_cells_over_enrolled_are_errors(
    network_engine: Engine, row: str, expected: list[tuple[object, ...]]
) -> None:
    assert errors(network_engine, row) == expected


def test_a_breakdown_error_says_which_bands_must_add_up(network_engine: Engine) -> None:
    report = dry_run(
        network_engine, sheet("ARA-1,2025-01,1,0,,,,,,,,,,,,1,1,"), "x.csv", today=TODAY
    )
    assert [(p["cell"], p["expected"]) for p in report.errors] == [
        ("P2", "ISCED 0-2, ISCED 3-4, ISCED 5-8 adding up to at most Enrolled")
    ]
