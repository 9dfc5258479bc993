"""The ESF+ participant breakdowns of the progress sheet, checked cell by cell."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from ingest_helpers import TODAY
from python_calamine import CalamineWorkbook
from sqlalchemy import Engine

from skills_roadmap.analysis import Filters, esf_breakdowns, month_to_period
from skills_roadmap.analysis.loader import load_snapshot, refresh_snapshot
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.fields import BREAKDOWNS
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import commit_upload, dry_run
from skills_roadmap.ingest.validate import BANDS_OVER
from skills_roadmap.reports import report_content, write_xlsx

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


def test_a_breakdown_sum_is_one_whole_message_in_the_readers_language(
    network_engine: Engine,
) -> None:
    """The breakdown is named inside each message, not put in lower case mid-sentence (German
    capitalises nouns); the headers are the sheet's own."""
    assert set(BANDS_OVER) == set(BREAKDOWNS)
    with use_language(PSEUDO_LANGUAGE):
        report = dry_run(
            network_engine, sheet("ARA-1,2025-01,10,0,,,,,,,,6,5,,,,,"), "x.csv", today=TODAY
        )
    assert [(p["cell"], p["message"], p["expected"]) for p in report.errors] == [
        (
            "L2",
            "⟦thé låböür-mårkét ståtüs bånds ådd üp tö 11, möré thån thé 10 énrölléd⟧",
            "⟦Employed, Unemployed, Inactive åddîng üp tö åt möst Enrolled⟧",
        )
    ]
    assert [count.rule for count in report.problem_counts] == [
        "⟦thé låböür-mårkét ståtüs bånds ådd üp tö möré thån Enrolled⟧"
    ]


def test_breakdowns_flow_from_the_sheet_to_the_reports_esf_sheet(network_engine: Engine) -> None:
    """On SQLite and PostgreSQL: stored, read apart from the progress rows, summed by the one
    analysis function, shown by the report's ESF+ and Progress tables and its Excel sheet; a
    later upload that blanks a row's bands takes it out of the snapshot's breakdowns."""
    first = commit_upload(
        network_engine,
        sheet(
            "ARA-1,2025-01,100,0,40,55,5,10,60,30,,70,20,8,10,,,",
            "ARA-1,2025-02,50,0,,,,,20,,,,,,,,,",
            "ARA-2,2025-01,50,0,,,,,,,,,,,,5,20,25",
            "CLJ-1,2025-01,20,0,10,,,,,,,,,,,,,",  # women only: no row of the breakdowns
        ),
        "esf.csv",
        today=TODAY,
    )
    assert first.outcome is UploadOutcome.COMMITTED
    snapshot = load_snapshot(network_engine)
    frames = snapshot.frames
    assert rows_of(frames.breakdowns, ["age_18_29", "employed", "isced_5_8"]) == [
        ("ARA-1", "2025-01", 100, 60.0, 70.0, None),
        ("ARA-1", "2025-02", 50, 20.0, None, None),
        ("ARA-2", "2025-01", 50, None, None, 25.0),
    ]
    assert str(frames.breakdowns["men"].dtype) == "float32"
    # February is not complete (one programme of three reported it): asked for by name
    content = report_content(frames, Filters(as_of="2025-02"))
    table = content.table("esf").frame
    pd.testing.assert_frame_equal(table, esf_breakdowns(frames)[list(table)], check_exact=True)
    esf = table.set_index("header", drop=False)
    # hand-computed: all enrolled 220; women 50 of the 120 enrolled in months reporting them
    bands = ["Women", "Aged 18-29", "Long-term unemployed", "ISCED 5-8"]
    assert esf.loc[bands].values.tolist() == [
        ["Gender", "Women", 50.0, 50 / 120, 120.0, 120 / 220],
        ["Age", "Aged 18-29", 80.0, 80 / 150, 150.0, 150 / 220],
        ["Labour-market status", "Long-term unemployed", 8.0, 0.08, 100.0, 100 / 220],
        ["Education", "ISCED 5-8", 25.0, 0.5, 50.0, 50 / 220],
    ]
    progress = content.table("progress").frame
    assert progress[["men", "isced_3_4"]].fillna(-1).values.tolist() == [
        [55.0, -1.0],
        [-1.0, -1.0],
        [-1.0, 20.0],
        [-1.0, -1.0],
    ]
    buffer = io.BytesIO()
    write_xlsx(content, buffer)
    header, *lines = (
        CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
        .get_sheet_by_name("ESF+")
        .to_python()
    )
    assert header[:4] == ["Indicator", "Band", "Participants", "Share of participants"]
    assert [line[:3] for line in lines if line[2] != ""] == [
        ["Gender", "Women", 50.0],
        ["Gender", "Men", 55.0],
        ["Gender", "Non-binary", 5.0],
        ["Age", "Under 18", 10.0],
        ["Age", "Aged 18-29", 80.0],
        ["Age", "Aged 30-54", 30.0],
        ["Labour-market status", "Employed", 70.0],
        ["Labour-market status", "Unemployed", 20.0],
        ["Labour-market status", "Long-term unemployed", 8.0],
        ["Labour-market status", "Inactive", 10.0],
        ["Education", "ISCED 0-2", 5.0],
        ["Education", "ISCED 3-4", 20.0],
        ["Education", "ISCED 5-8", 25.0],
    ]

    blanked = commit_upload(
        network_engine, sheet("ARA-1,2025-02,50,0,,,,,,,,,,,,,,"), "again.csv", today=TODAY
    )
    assert blanked.outcome is UploadOutcome.COMMITTED
    refreshed = refresh_snapshot(network_engine, snapshot).frames.breakdowns
    pd.testing.assert_frame_equal(refreshed, load_snapshot(network_engine).frames.breakdowns)
    assert rows_of(refreshed, ["age_18_29"]) == [
        ("ARA-1", "2025-01", 100, 60.0),
        ("ARA-2", "2025-01", 50, None),
    ]


def rows_of(breakdowns: pd.DataFrame, bands: list[str]) -> list[tuple[object, ...]]:
    """Each row's programme, period, enrolled and ``bands`` (None where blank)."""
    return [
        (
            str(row["programme_id"]),
            month_to_period(int(row["month"])),
            int(row["enrolled"]),
            *(None if pd.isna(row[band]) else float(row[band]) for band in bands),
        )
        for _, row in breakdowns.iterrows()
    ]
