"""The ESF+ participant breakdowns card of the inclusion section: the figure and its callback."""

from __future__ import annotations

from collections.abc import Iterator

import dash
import pandas as pd
import pytest

from dashboard import ids, strings
from dashboard.app import create_app
from dashboard.components import chart_card, filter_bar
from dashboard.figures.breakdowns import esf_chart
from skills_roadmap.analysis import Filters, Frames, build_frames, esf_breakdowns

N = None
COLUMNS = ["programme_id", "period", "enrolled", "completed", "women", "men", "age_18_29"]
PROGRESS = pd.DataFrame(
    [
        ("a", "2025-01", 100, 0, 40, 60, 30),
        ("a", "2025-02", 100, 0, N, N, N),
        ("b", "2025-01", 50, 0, N, N, 10),
        ("b", "2025-02", 50, 0, N, N, N),
    ],
    columns=COLUMNS,
)


def tiny_frames(progress: pd.DataFrame = PROGRESS) -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["AA11"], "name": ["Alpha"]}),
        clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["AA11"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["a", "b"],
                "cluster_id": "c",
                "region_code": "AA11",
                "level": ["basic", "expert"],
                "start": "2025-01-01",
                "end": "2025-12-31",
            }
        ),
        progress=progress,
    )


def test_the_chart_draws_the_reported_bands_and_tables_every_band() -> None:
    """All enrolled: 300. Aged 18-29: 40 of the 150 enrolled in months reporting it (27%),
    which are half of all enrolments."""
    chart = esf_chart(esf_breakdowns(tiny_frames()))
    assert chart.figure is not None

    assert chart.title == (
        "Share of enrolments reporting each ESF+ breakdown: "
        "gender 33%, age 50%, labour-market status 0%, education 0%"
    )
    assert [(trace.name, list(trace.y), list(trace.x)) for trace in chart.figure.data] == [
        ("Gender", ["Women", "Men"], [40.0, 60.0]),
        ("Age", ["Aged 18-29"], [26.7]),
    ]
    assert list(chart.table.columns) == [
        strings.COLUMNS[key]
        for key in ("breakdown", "band", "people", "band_share_pct", "band_reported_pct")
    ]
    rows = chart.table.astype(object).where(chart.table.notna(), None).values.tolist()
    assert rows[:5] == [
        ["Gender", "Women", 40.0, 40.0, 33.3],
        ["Gender", "Men", 60.0, 60.0, 33.3],
        ["Gender", "Non-binary", None, None, 0.0],
        ["Age", "Under 18", None, None, 0.0],
        ["Age", "Aged 18-29", 40.0, 26.7, 50.0],
    ]
    assert len(rows) == 14


def test_nothing_reported_says_so() -> None:
    bare = PROGRESS[["programme_id", "period", "enrolled", "completed"]]
    chart = esf_chart(esf_breakdowns(tiny_frames(bare)), "in Alpha")
    assert (chart.empty, chart.title) == (
        True,
        "No programme in Alpha has reported ESF+ participant breakdowns yet",
    )


@pytest.fixture
def app() -> Iterator[dash.Dash]:
    application = create_app(frames=tiny_frames())
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application


@pytest.mark.usefixtures("app")
def test_the_section_card_follows_the_selection() -> None:
    """The expert level is programme b alone: 10 of its 50 enrolled in January."""
    redraw = chart_card.REDRAWS[ids.ESF]
    title, payload, figure = redraw(
        filter_bar.filters_data(Filters(levels=("expert",), as_of="2025-02")), {}
    )
    assert title == (
        "Share of enrolments reporting each ESF+ breakdown: "
        "gender 0%, age 50%, labour-market status 0%, education 0%"
    )
    assert [(trace.name, list(trace.x)) for trace in figure.data] == [("Age", [20.0])]
    assert payload["rows"][4] == ["Age", "Aged 18-29", 10.0, 20.0, 50.0]
