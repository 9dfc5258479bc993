"""The progress template: a cluster's programmes running in the month to report, ready to fill
in; an empty one says why."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from ingest_helpers import HEADERS, TODAY, add_network, programme
from sqlalchemy import Engine

from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.fields import BREAKDOWN_MEASURES
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import dry_run, progress_template
from skills_roadmap.ingest.template import TemplateMonthError, template_month, template_workbook
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import ProgrammeRow, ProgressRow


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def cluster_engine(engine: Engine) -> Engine:
    """aragon-ai runs ARA-1 (active), ARA-OLD (ended May 2025) and ARA-NEW (starts 30 June)."""
    add_network(
        engine,
        programme("ARA-1"),
        programme("ARA-OLD", start=date(2024, 1, 1), end=date(2025, 5, 31)),
        programme("ARA-NEW", start=date(2025, 6, 30), end=date(2026, 6, 30)),
        programme("CLJ-1", "cluj-it"),
    )
    return engine


def test_template_lists_the_clusters_programmes_active_this_month(cluster_engine: Engine) -> None:
    sheet = load(progress_template(cluster_engine, "aragon-ai", TODAY))["Progress"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, *(f.header for f in BREAKDOWN_MEASURES)]
    assert [row[:2] for row in rows[1:]] == [("ARA-1", "2025-06"), ("ARA-NEW", "2025-06")]


def test_template_without_a_cluster_lists_every_cluster(cluster_engine: Engine) -> None:
    sheet = load(progress_template(cluster_engine, None, TODAY))["Progress"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "ARA-1",
        "ARA-NEW",
        "CLJ-1",
    ]


def test_template_has_a_frozen_header_validation_and_instructions(cluster_engine: Engine) -> None:
    workbook = load(progress_template(cluster_engine, "aragon-ai", TODAY))
    assert workbook.sheetnames == ["Progress", "Instructions"]
    sheet = workbook["Progress"]
    assert sheet.freeze_panes == "A2"
    rules = {
        str(v.sqref): (v.type, v.operator, v.formula1)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        "C2:C5001": ("whole", "greaterThanOrEqual", "0"),
        "D2:D5001": ("whole", "greaterThanOrEqual", "0"),
        "E2:E5001": ("whole", "greaterThanOrEqual", "0"),
        "F2:F5001": ("whole", "greaterThanOrEqual", "0"),
        "G2:G5001": ("whole", "greaterThanOrEqual", "0"),
        "H2:H5001": ("decimal", "greaterThanOrEqual", "0"),
        # the ESF+ bands, J (Men) to V (ISCED 5-8), after Notes
        **{
            f"{column}2:{column}5001": ("whole", "greaterThanOrEqual", "0")
            for column in "JKLMNOPQRSTUV"
        },
    }
    instructions = [row for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert instructions[0][0] == "How to fill in this progress sheet"
    assert any(
        str(row[0]).startswith("Men to ISCED 5-8 are the participant") for row in instructions
    )
    explained = {
        row[0]: row[1:4] for row in instructions if row[0] in ("Under 18", "Long-term unemployed")
    }
    assert explained == {
        "Under 18": (
            "no",
            "a whole number of 0 or more; the age bands together at most Enrolled",
            "Enrolled aged under 18; blank: not reported.",
        ),
        "Long-term unemployed": (
            "no",
            "a whole number of 0 or more, at most Unemployed",
            "Of the unemployed enrolled, those long-term unemployed; blank: not reported.",
        ),
    }
    assert ("ARA-1", "basic", "Programme ARA-1", "2024-01-01", "2026-12-31", 500) in [
        row[:6] for row in instructions
    ]


def test_unknown_cluster_is_refused(cluster_engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="no cluster has the ID 'nowhere'"):
        progress_template(cluster_engine, "nowhere", TODAY)


def test_an_unfilled_template_is_not_accepted_as_zeros(cluster_engine: Engine) -> None:
    data = progress_template(cluster_engine, "aragon-ai", TODAY)
    report = dry_run(cluster_engine, data, "template.xlsx", today=TODAY)
    assert [(p["cell"], p["message"]) for p in report.errors] == [
        ("C2", "a value is required here"),
        ("D2", "a value is required here"),
        ("C3", "a value is required here"),
        ("D3", "a value is required here"),
    ]


def add_progress(engine: Engine, programme_id: str, *periods: str) -> None:
    """Stored reports of ``programme_id`` for ``periods`` (the demo's way: no upload)."""
    with session_scope(engine, write=True) as session:
        session.add_all(
            ProgressRow(programme_id=programme_id, period=period, enrolled=1, completed=0)
            for period in periods
        )


def test_template_month_defaults_to_the_month_after_the_clusters_last_report(
    cluster_engine: Engine,
) -> None:
    """At month's end a manager reports the month before: not the calendar month."""
    add_progress(cluster_engine, "ARA-1", "2025-03", "2025-04")
    add_progress(cluster_engine, "CLJ-1", "2025-05")  # another cluster's report does not count
    chosen = template_month(cluster_engine, "aragon-ai", today=TODAY)
    assert (chosen.period, [p.id for p in chosen.programmes], chosen.empty_reason()) == (
        "2025-05",
        ["ARA-1", "ARA-OLD"],  # ARA-OLD's last month
        None,
    )
    assert template_month(cluster_engine, None, today=TODAY).period == "2025-06"


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ((), "2025-06"),  # nothing reported yet: the calendar month
        (("2025-06",), "2025-06"),  # reported this month already: not a month ahead
    ],
)
def test_template_month_never_defaults_to_a_month_that_has_not_begun(
    cluster_engine: Engine, reported: tuple[str, ...], expected: str
) -> None:
    add_progress(cluster_engine, "ARA-1", *reported)
    assert template_month(cluster_engine, "aragon-ai", today=TODAY).period == expected


def test_a_chosen_month_lists_the_programmes_running_in_it(cluster_engine: Engine) -> None:
    sheet = load(progress_template(cluster_engine, "aragon-ai", TODAY, month="2025-02"))["Progress"]
    assert [row[:2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("ARA-1", "2025-02"),
        ("ARA-OLD", "2025-02"),
    ]


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2025-13", "'2025-13' is not a month: expected YYYY-MM, e.g. '2025-03'"),
        (
            "2025-07",
            "2025-07 has not begun: progress is reported for months that have begun; "
            "choose 2025-06 or earlier",
        ),
    ],
)
def test_a_template_for_a_malformed_or_future_month_is_refused(
    cluster_engine: Engine, month: str, message: str
) -> None:
    with pytest.raises(TemplateMonthError) as refused:
        template_month(cluster_engine, "aragon-ai", month, TODAY)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2025-13", "⟦'2025-13' îs nöt å mönth: éxpéctéd YYYY-MM, é.g. '2025-03'⟧"),
        (
            "2025-07",
            "⟦2025-07 hås nöt bégün: prögréss îs répörtéd för mönths thåt håvé bégün; chöösé "
            "2025-06 ör éårlîér⟧",
        ),
    ],
)
def test_a_template_month_refusal_is_in_the_readers_language(
    cluster_engine: Engine, month: str, message: str
) -> None:
    with use_language(PSEUDO_LANGUAGE), pytest.raises(TemplateMonthError) as refused:
        template_month(cluster_engine, "aragon-ai", month, TODAY)
    assert str(refused.value) == message


def test_an_unknown_cluster_is_refused_in_the_readers_language(cluster_engine: Engine) -> None:
    with use_language(PSEUDO_LANGUAGE), pytest.raises(NotFoundError) as refused:
        template_month(cluster_engine, "nowhere", None, TODAY)
    assert str(refused.value) == (
        "⟦nö clüstér hås thé ÎD 'nowhere': chéck thé spéllîng, ör léåvé öüt thé clüstér tö lîst "
        "évéry clüstér's prögråmmés⟧"
    )


def test_an_empty_template_says_why_and_offers_the_month_its_programmes_last_ran(
    engine: Engine,
) -> None:
    add_network(engine, programme("ARA-1", end=date(2025, 3, 31)))
    chosen = template_month(engine, "aragon-ai", "2025-05", TODAY)
    reason = (
        "No programme of Aragón AI runs in May 2025; its programmes last ran in March 2025: "
        "download the template of March 2025 instead."
    )
    assert (chosen.empty, chosen.instead, chosen.empty_reason()) == (True, "2025-03", reason)
    instructions = load(template_workbook(chosen))["Instructions"]
    assert [row[0] for row in instructions.iter_rows(max_row=3, values_only=True)] == [
        "How to fill in this progress sheet",
        reason,
        None,
    ]


@pytest.mark.parametrize(
    ("programmes", "instead", "reason"),
    [
        (
            (programme("ARA-1", start=date(2025, 4, 1)),),
            "2025-04",
            "No programme of Aragón AI runs in February 2025; its programmes start in April 2025: "
            "download the template of April 2025 instead.",
        ),
        (
            (programme("ARA-1", start=date(2025, 9, 1)),),
            None,  # the first programme starts after this month: nothing to offer yet
            "No programme of Aragón AI runs in February 2025, and none has begun yet: come back "
            "when its first one starts.",
        ),
        (
            (programme("CLJ-1", "cluj-it"),),
            None,
            "Aragón AI has no programmes yet: an administrator adds them (network workbook, "
            "Programmes sheet) before progress can be reported.",
        ),
    ],
)
def test_an_empty_template_offers_a_later_month_only_once_it_has_begun(
    engine: Engine, programmes: tuple[ProgrammeRow, ...], instead: str | None, reason: str
) -> None:
    add_network(engine, *programmes)
    chosen = template_month(engine, "aragon-ai", "2025-02", TODAY)
    assert (chosen.instead, chosen.empty_reason()) == (instead, reason)
