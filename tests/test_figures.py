"""Figure functions: the finding in the title, what is drawn and the numbers kept beside it,
from small hand-written analysis results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import strings
from dashboard.components.formats import euros, percent, points, quantity
from dashboard.figures.ambition import ambition_chart
from dashboard.figures.base import BUNDLED_TRACES, Chart, labelled
from dashboard.figures.completeness import completeness_chart
from dashboard.figures.contribution import contribution_chart, programmes_chart
from dashboard.figures.facilities import facilities_chart
from dashboard.figures.funnel import funnel_chart
from dashboard.figures.inclusion import inclusion_chart
from dashboard.figures.league import league_chart
from dashboard.figures.map import map_chart
from dashboard.figures.money import money_chart
from dashboard.figures.peers import peers_chart
from dashboard.figures.trend import trend_chart
from skills_roadmap import palette
from skills_roadmap.reports import charts as report_charts
from skills_roadmap.status_words import NO_STATUS_LEGEND


def drawn(chart: Chart) -> go.Figure:
    """The chart's figure (every chart here has one), drawn only with the trace types the
    browser's plotly.js bundle holds."""
    assert chart.figure is not None
    assert {trace.type for trace in chart.figure.data} <= BUNDLED_TRACES
    return chart.figure


def trend_rows() -> pd.DataFrame:
    # Two regions' basic targets of 100 and 300 at three months; the last month is unreported.
    return pd.DataFrame(
        {
            "target_id": ["a", "a", "a", "b", "b", "b"],
            "period": ["2025-01", "2025-02", "2025-03"] * 2,
            "target": [100.0] * 3 + [300.0] * 3,
            "achieved": [10.0, 20.0, None, 50.0, 80.0, None],
            "expected": [20.0, 25.0, 30.0, 60.0, 75.0, 90.0],
        }
    )


HEADLINE = pd.DataFrame(
    {"target_id": ["a", "b"], "level": ["basic", "basic"], "deadline_year": [2027, 2028]}
)


def test_the_trend_sums_targets_and_states_the_gap_at_the_last_reported_month() -> None:
    chart = trend_chart(trend_rows(), HEADLINE)

    # February: (20 + 80) / 400 = 25% achieved against (25 + 75) / 400 = 25% expected.
    assert chart.title == "Basic: 25% of the 2027 target, on the trajectory"
    assert chart.table[strings.COLUMNS["achieved_pct"]].fillna(-1).tolist() == [15.0, 25.0, -1]
    assert [trace.name for trace in drawn(chart).data] == ["Basic: achieved", "Basic: trajectory"]


def test_the_report_draws_the_trend_the_dashboard_draws() -> None:
    """The report's trajectory chart is the dashboard's trend figure: same lines, same numbers,
    levels in the same order (the report's per-level sums come level by level, expert first)."""
    rows = pd.concat([trend_rows(), trend_rows().assign(target_id=lambda r: r["target_id"] + "x")])
    headline = pd.concat(
        [HEADLINE, HEADLINE.assign(target_id=["ax", "bx"], level=["expert", "expert"])]
    )
    sums = (
        rows.merge(headline, on="target_id")
        .groupby(["level", "period"])[["target", "achieved", "expected"]]
        .sum(min_count=1)
        .reset_index()
        .sort_values(["level", "period"], ascending=[False, True])
    )

    def lines(figure: go.Figure) -> list[tuple[list[Any], list[float], str, str | None]]:
        return [
            (list(trace.x), list(np.nan_to_num(trace.y, nan=-1)), trace.line.color, trace.line.dash)
            for trace in figure.data
        ]

    dashboard = lines(drawn(trend_chart(rows, headline)))
    report = report_charts.trajectory_figure(sums)

    assert lines(report) == dashboard
    assert [trace.name for trace in report.data] == [
        "Basic: achieved",
        "Expert: achieved",
        "Basic, Expert: trajectory",  # the same line as a share of each level's target
    ]
    # Each level's targets sum to 400: achieved 60, 100, unreported; expected 80, 100, 120.
    achieved, expected = [15.0, 25.0, -1], [20.0, 25.0, 30.0]
    assert [y for _, y, _, _ in dashboard] == [achieved, achieved, expected]


def test_provisional_months_are_drawn_dotted_apart_and_leave_the_title_alone() -> None:
    """March is reported by few programmes yet: the solid line stops at February, a dotted
    line carries on from it into March, the table marks March, and the title still speaks of
    February, the latest complete month."""
    rows = trend_rows().assign(achieved=[10.0, 20.0, 22.0, 50.0, 80.0, 82.0])

    chart = trend_chart(rows, HEADLINE, provisional_after="2025-02")

    figure = drawn(chart)
    assert [(trace.name, trace.line.dash, trace.showlegend) for trace in figure.data] == [
        ("Basic: achieved", None, None),
        ("Basic: provisional", "dot", False),  # in the achieved line's legend group
        ("Basic: trajectory", "dash", None),
    ]
    assert [list(trace.y) for trace in figure.data[:2]] == [[15.0, 25.0], [25.0, 26.0]]
    assert chart.table[strings.COLUMNS["provisional"]].tolist() == ["", "", strings.YES]
    assert chart.title == "Basic: 25% of the 2027 target, on the trajectory"


def test_the_trend_says_how_far_behind_the_trajectory() -> None:
    rows = trend_rows().assign(expected=[20.0, 30.0, 30.0, 60.0, 110.0, 90.0])

    chart = trend_chart(rows, HEADLINE)

    assert chart.title == "Basic: 25% of the 2027 target, 10 points behind the trajectory"


def test_the_trend_without_targets_says_so() -> None:
    chart = trend_chart(pd.DataFrame(), HEADLINE.iloc[:0], "in Beta")

    assert chart.title == "No targets set in Beta yet"
    assert not drawn(chart).data


OVERVIEW = pd.DataFrame(
    {
        "scope": ["region"] * 3,
        "scope_id": ["AA11", "BB22", "CC33"],
        "level": ["basic"] * 3,
        "name": ["Alpha", "Beta", "Gamma"],
        "target": [100.0, 400.0, None],
        "achieved": [90.0, 100.0, None],
        "attainment": [0.9, 0.25, None],
        "gap": [-10.0, 150.0, None],
        "status": ["on_track", "off_track", None],
    }
)
REGIONS = pd.DataFrame(
    {"region_code": ["AA11", "BB22", "CC33"], "lat": [40.0, 46.0, 50.0], "lon": [0.0, 24.0, 10.0]}
)


def test_the_map_draws_one_trace_per_status_with_shapes_that_differ() -> None:
    chart = map_chart(OVERVIEW, REGIONS, "basic")

    assert chart.title == "Basic: 1 of 2 regions on track, 1 off track (1 without a target)"
    assert [(trace.name, trace.marker.symbol) for trace in drawn(chart).data] == [
        ("✔ On track", "circle"),
        ("✖ Off track", "square"),
        (NO_STATUS_LEGEND, "circle-open"),
    ]
    assert drawn(chart).layout.geo.scope == "europe"


def test_the_map_draws_region_shapes_when_a_geojson_is_given() -> None:
    shapes = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "geometry": None} for code in ("AA11", "BB22")
        ],
    }

    chart = map_chart(OVERVIEW, REGIONS, "basic", shapes)

    # Gamma has no shape in the file, so it stays a marker.
    assert [(trace.type, list(trace.customdata)) for trace in drawn(chart).data] == [
        ("choropleth", ["AA11"]),
        ("choropleth", ["BB22"]),
        ("scattergeo", ["CC33"]),
    ]


def test_the_league_names_the_leader_and_the_laggard() -> None:
    chart = league_chart(OVERVIEW)

    assert chart.title == "Basic: Alpha leads with 90% of its target; Beta trails with 25%"
    assert chart.figure is None
    assert list(chart.table.columns) == ["Name", "Basic: attainment (%)", "Basic: status", "Code"]


def test_the_league_lists_the_regions_that_need_attention_first() -> None:
    rows = pd.DataFrame(
        {
            "scope": ["region"] * 5,
            "scope_id": ["A", "B", "C", "D", "E"],
            "level": ["basic"] * 5,
            "name": ["On", "Risk", "Off small", "Off large", "None"],
            "attainment": [0.95, 0.6, 0.5, 0.4, None],
            "gap": [-5.0, 20.0, 10.0, 90.0, None],
            "status": ["on_track", "at_risk", "off_track", "off_track", None],
        }
    )

    table = league_chart(rows).table
    shown = table.astype(object).where(table.notna(), None)

    # Off track before at risk before on track, the largest gap first; no target last.
    assert shown.to_dict("list") == {
        "Name": ["Off large", "Off small", "Risk", "On", "None"],
        "Basic: attainment (%)": [40.0, 50.0, 60.0, 95.0, None],
        "Basic: status": [
            "✖ Off track",
            "✖ Off track",
            "▲ At risk",
            "✔ On track",
            "— No target",
        ],
        "Code": ["D", "C", "B", "A", "E"],
    }


@pytest.mark.parametrize(
    ("network", "regional", "title"),
    [
        (1000.0, 1000.0, strings.AMBITION_BALANCED),
        (
            1000.0,
            800.0,
            "Basic: the regions' targets fall 200 people short of the network's 2027 target",
        ),
        (
            1000.0,
            1500.0,
            "Basic: the regions' targets exceed the network's 2027 target by 500 people",
        ),
        (None, 800.0, strings.AMBITION_NO_NETWORK),
    ],
)
def test_the_ambition_gap_states_the_shortfall(
    network: float | None, regional: float, title: str
) -> None:
    difference = None if network is None else regional - network
    verdict = "no network target" if network is None else ("balanced" if not difference else "x")
    table = pd.DataFrame(
        {
            "level": ["basic"],
            "metric": ["completed"],
            "deadline_year": [2027],
            "network_target": [network],
            "regional_total": [regional],
            "regions": [3],
            "difference": [difference],
            "verdict": [verdict],
        }
    )

    assert ambition_chart(table).title == title


CONTRIBUTION = pd.DataFrame(
    {
        "cluster_id": ["c1", "c2", "c3"],
        "name": ["One", "Two", "Three"],
        "achieved": [70.0, 20.0, 10.0],
        "share": [0.7, 0.2, 0.1],
        "cumulative_share": [0.7, 0.9, 1.0],
        "carries": [True, True, False],
        "enrolled": [80.0, 30.0, 5.0],
        "capacity": [100.0, 40.0, 50.0],
        "expected_enrolled": [80.0, 30.0, 25.0],
        "capacity_use": [1.0, 1.0, 0.2],
        "lag": [0.0, 0.0, 20.0],
    }
)


def test_the_contribution_names_the_pareto_head_and_the_laggard() -> None:
    chart = contribution_chart(CONTRIBUTION)

    assert chart.title == (
        "2 of 3 clusters carry 80% of the people completed; "
        "Three lags most (20% of its expected enrolment)"
    )
    assert [trace.name for trace in drawn(chart).data] == [
        "Carry 80% of completions",
        "Others",
        "Cumulative share",
    ]
    assert list(drawn(chart).data[-1].y) == [70.0, 90.0, 100.0]


def test_the_contribution_marks_the_cluster_a_page_is_about() -> None:
    chart = contribution_chart(CONTRIBUTION, highlight="c2")

    marked = [trace for trace in drawn(chart).data if trace.name == strings.CONTRIBUTION_HIGHLIGHT]
    assert list(marked[0].x) == ["Two"]
    assert marked[0].marker.pattern.shape == "x"  # not colour alone


def test_a_contribution_with_nobody_trained_says_so() -> None:
    chart = contribution_chart(CONTRIBUTION.assign(achieved=0.0), selection="in Beta")

    assert chart.title == "No clusters have trained anyone in Beta yet"


@pytest.mark.parametrize(
    ("clear", "title"),
    [
        ("", "No programmes at expert level in Beta yet"),
        (
            "the funding source ERDF",
            "No programmes at expert level in Beta match these filters: "
            "clear the funding source ERDF",
        ),
    ],
)
def test_an_empty_programmes_table_says_whether_the_filters_are_why(clear: str, title: str) -> None:
    chart = programmes_chart(pd.DataFrame(), "at expert level in Beta", clear)

    assert (chart.title, chart.empty, chart.table.empty) == (title, True, True)


def test_an_empty_state_of_the_whole_network_has_no_double_space() -> None:
    assert funnel_chart(pd.DataFrame()).title == "No progress reported yet"


def test_the_money_chart_totals_the_budget_and_names_the_lowest_absorption() -> None:
    table = pd.DataFrame(
        {
            "funding_source": ["ESF+", None],
            "budget_eur": [2_000_000.0, 500_000.0],
            "spend_eur": [1_000_000.0, 50_000.0],
            "completed": [100.0, 10.0],
            "certified": [50.0, None],
            "absorption": [0.5, 0.1],
            "cost_per_completer": [10_000.0, 5_000.0],
            "cost_per_certified": [20_000.0, None],
        }
    )

    chart = money_chart(table)

    assert chart.title == "42% of the €2.5M budget spent; lowest absorption: Not recorded (10%)"
    assert chart.table[strings.COLUMNS["funding_source"]].tolist() == ["ESF+", "Not recorded"]


def test_inclusion_compares_the_share_of_women_with_the_goal() -> None:
    table = pd.DataFrame(
        {
            "level": ["basic", "expert"],
            "enrolled": [100.0, 50.0],
            "women": [55.0, 10.0],
            "enrolled_reporting_women": [100.0, 40.0],
            "women_share": [0.55, 0.25],
            "reported_share": [1.0, 0.8],
            "goal": [0.5, 0.5],
            "goal_gap": [0.05, -0.25],
            "meets_goal": [True, False],
        }
    )

    chart = inclusion_chart(table)

    # 65 women among the 140 enrolments that reported women: 46%.
    assert chart.title == "Women are 46% of participants, 4 points below the goal (goal 50%)"
    # The goal line spans the whole plot (paper x from 0 to 1), at 50%.
    [goal] = drawn(chart).layout.shapes
    assert (goal.y0, goal.y1, goal.x0, goal.x1, goal.xref) == (50.0, 50.0, 0, 1, "x domain")
    assert drawn(chart).data[1].name == "Goal (50%)"


def test_the_funnel_speaks_about_the_widest_level() -> None:
    table = pd.DataFrame(
        {
            "level": ["expert", "basic"],
            "enrolled": [10.0, 200.0],
            "completed": [9.0, 150.0],
            "certified": [9.0, 60.0],
            "dropped_out": [0.0, 20.0],
            "completion_rate": [0.9, 0.75],
            "certification_rate": [1.0, 0.4],
            "dropout_rate": [0.0, 0.1],
        }
    )

    chart = funnel_chart(table)

    assert chart.title == "Basic: 75% of enrolled people completed, 10% dropped out"
    assert list(drawn(chart).data[0].x) == ["Basic", "Expert"]


PEERS = pd.DataFrame(
    {
        "region_code": ["AA11", "BB22", "CC33", "DD44"],
        "name": ["Alpha", "Beta", "Gamma", "Delta"],
        "attainment": [0.4, 0.6, 0.8, None],
        "attainment_q1": [0.5] * 4,
        "attainment_median": [0.6] * 4,
        "attainment_q3": [0.7] * 4,
        "attainment_quartile": [1.0, 2.0, 4.0, None],
        "cost_per_completer": [300.0, 200.0, 100.0, None],
        "cost_q1": [150.0] * 4,
        "cost_median": [200.0] * 4,
        "cost_q3": [250.0] * 4,
        "cost_quartile": [4.0, 2.0, 1.0, None],
    }
)


@pytest.mark.parametrize(
    ("highlight", "title"),
    [
        (
            "AA11",
            "Alpha: 40% of its targets, lowest quarter of 3 regions; "
            "€300 per completer (median €200)",
        ),
        (None, "3 regions: median attainment 60%, median cost per completer €200"),
    ],
)
def test_peers_place_the_region_among_the_others(highlight: str | None, title: str) -> None:
    assert peers_chart(PEERS, highlight).title == title


def test_completeness_counts_the_late_programmes() -> None:
    table = pd.DataFrame(
        {
            "programme_id": ["p1", "p2", "p3"],
            "name": ["One", "Two", "Three"],
            "region_code": ["AA11"] * 3,
            "cluster_id": ["c1"] * 3,
            "level": ["basic"] * 3,
            "due_period": ["2025-01"] * 3,
            "last_period": ["2024-11", "2024-12", "2025-01"],
            "months_late": [2, 1, 0],
            "late": [True, True, False],
        }
    )

    chart = completeness_chart(table, "2025-01")

    assert chart.title == (
        "2 of 3 programmes have not reported January 2025; the latest is 2 months behind"
    )
    months = [strings.COLUMNS[key] for key in ("due_period", "last_period", "months_late")]
    assert chart.table[months].to_numpy().tolist() == [  # months in short words in cells
        ["Jan 2025", "Nov 2024", 2],
        ["Jan 2025", "Dec 2024", 1],
    ]


def test_completeness_with_everyone_reported_says_so() -> None:
    table = pd.DataFrame(
        {
            "programme_id": ["p1"],
            "name": ["One"],
            "region_code": ["AA11"],
            "cluster_id": ["c1"],
            "level": ["basic"],
            "due_period": ["2025-01"],
            "last_period": ["2025-01"],
            "months_late": [0],
            "late": [False],
        }
    )

    chart = completeness_chart(table, "2025-01")

    assert (chart.title, chart.empty) == (
        "The 1 programme due has reported through January 2025",
        True,  # nothing to list: the card shrinks and offers no table or download
    )


def test_the_facilities_timeline_marks_planned_and_actual_openings() -> None:
    table = pd.DataFrame(
        {
            "facility_id": ["f1", "f2"],
            "name": ["Lab", "Test bed"],
            "kind": ["demonstration", "testing"],
            "region_code": ["AA11", "AA11"],
            "cluster_id": [None, None],
            "status": ["operational", "building"],
            "planned_open": pd.to_datetime(["2024-06-01", "2024-09-01"]),
            "actual_open": pd.to_datetime(pd.Series(["2024-08-10", None])),
            "slippage_months": [2.0, 4.0],
            "overdue": [False, True],
        }
    )

    chart = facilities_chart(table, "2025-01")

    assert chart.title == "1 of 2 facilities operational; 1 overdue, the latest by 4 months"
    assert chart.table[strings.COLUMNS["actual_period"]].fillna("").tolist() == ["Aug 2024", ""]


def test_a_long_facility_timeline_draws_the_most_pressing_and_lists_them_all() -> None:
    """30 facilities: 2 overdue, 8 still to open, 20 open; the timeline holds 25 (every
    overdue and upcoming one, then the 15 opened last) and the table all 30."""
    count = 30
    planned = pd.date_range("2023-01-01", periods=count, freq="MS")
    state = ["overdue"] * 2 + ["on_schedule"] * 8 + ["operational"] * 20
    opened = [None] * 10 + [str(day.date()) for day in planned[10:]]
    table = pd.DataFrame(
        {
            "facility_id": [f"f{i:02d}" for i in range(count)],
            "name": [f"Facility {i:02d}" for i in range(count)],
            "kind": "testing",
            "status": ["planned" if s != "operational" else "operational" for s in state],
            "planned_open": planned,
            "planned_month": planned.year * 12 + planned.month - 1,
            "actual_open": pd.to_datetime(pd.Series(opened)),
            "actual_month": pd.to_datetime(pd.Series(opened)).dt.year * 12
            + pd.to_datetime(pd.Series(opened)).dt.month
            - 1,
            "slippage_months": [30.0, 29.0] + [0.0] * 8 + [0.0] * 20,
            "overdue": [s == "overdue" for s in state],
        }
    )

    chart = facilities_chart(table, "2025-07")

    assert chart.title == (
        "20 of 30 facilities operational; 2 overdue, the latest by 30 months"
        + strings.FACILITIES_SHOWN.format(shown=25)
    )
    assert chart.figure is not None
    drawn = {label for trace in chart.figure.data for label in trace.y if label is not None}
    assert drawn == {f"Facility {i:02d}" for i in [*range(10), *range(15, 30)]}
    assert len(chart.table) == count


# --- names with markup are shown as written, never as links or markup -----------------------

HOSTILE = '<a href="javascript:alert(1)">R&D <b>Lab</b></a>'


def texts(value: object) -> Iterator[str]:
    """Every string anywhere in a figure's JSON (data, layout, annotations)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple | np.ndarray | pd.Series):
        for item in list(value):
            yield from texts(item)


def facilities_table(name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "facility_id": ["f1"],
            "name": [name],
            "kind": ["testing"],
            "region_code": ["AA11"],
            "cluster_id": [None],
            "status": ["building"],
            "planned_open": pd.to_datetime(["2024-06-01"]),
            "actual_open": pd.to_datetime(pd.Series([None])),
            "slippage_months": [4.0],
            "overdue": [True],
        }
    )


def completeness_table(name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "programme_id": ["p1"],
            "name": [name],
            "region_code": ["AA11"],
            "cluster_id": ["c1"],
            "level": ["basic"],
            "due_period": ["2025-01"],
            "last_period": ["2024-11"],
            "months_late": [2],
            "late": [True],
        }
    )


def money_table(source: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "funding_source": [source, "ERDF"],
            "budget_eur": [2_000_000.0, 500_000.0],
            "spend_eur": [1_000_000.0, 50_000.0],
            "completed": [100.0, 10.0],
            "certified": [50.0, None],
            "absorption": [0.5, 0.1],
            "cost_per_completer": [10_000.0, 5_000.0],
            "cost_per_certified": [20_000.0, None],
        }
    )


NAMED_CHARTS = {
    "map": lambda name: map_chart(OVERVIEW.assign(name=[name, "Beta", "Gamma"]), REGIONS, "basic"),
    "contribution": lambda name: contribution_chart(
        CONTRIBUTION.assign(name=[name, "Two", "Three"]), highlight="c1"
    ),
    "money": lambda name: money_chart(money_table(name)),
    "peers": lambda name: peers_chart(PEERS.assign(name=[name, "B", "C", "D"]), "AA11"),
    "peers without a highlight": lambda name: peers_chart(PEERS.assign(name=["A", name, "C", "D"])),
    "completeness": lambda name: completeness_chart(completeness_table(name), "2025-01"),
    "facilities": lambda name: facilities_chart(facilities_table(name), "2025-01"),
    "empty, naming the selection": lambda name: contribution_chart(
        CONTRIBUTION.assign(achieved=0.0), selection=f"in {name}"
    ),
}


@pytest.mark.parametrize("chart", list(NAMED_CHARTS))
def test_a_name_with_markup_is_shown_as_written_never_as_a_link(chart: str) -> None:
    built = NAMED_CHARTS[chart](HOSTILE)
    shown = list(texts(drawn(built).to_plotly_json()))

    markup = ("<a ", "</a>", "<b>", "</b>")
    assert [text for text in shown if any(tag in text for tag in markup)] == []
    # Plotly turns the entities back into the characters typed: the name reads as written
    # (an axis label may show it cut short, a message may break it across lines).
    lines = [text.replace("<br>", " ") for text in shown]
    assert any('&lt;a href="javascript:alert(1)"&gt;R' in text for text in lines)


def test_a_name_with_markup_stays_as_typed_in_the_table() -> None:
    chart = NAMED_CHARTS["contribution"](HOSTILE)

    assert chart.table[strings.COLUMNS["name"]].tolist()[0] == HOSTILE


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (lambda: euros(12_345_678), "€12.3M"),
        (lambda: euros(45_200), "€45,200"),
        (lambda: euros(310.4), "€310"),
        (lambda: euros(None), strings.NOT_AVAILABLE),
        (lambda: percent(0.625), "62%"),  # half to even, as Python formats
        (lambda: points(-0.081), "8 points"),
        (lambda: points(0.012), "1 point"),
        (lambda: quantity(1, "month"), "1 month"),
    ],
)
def test_numbers_read_the_same_everywhere(value: object, shown: str) -> None:
    assert value() == shown  # type: ignore[operator]


def three_levels(expected_gap: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One target per level: 100 people, 50 achieved, expected 50 + the level's gap."""
    levels = list(expected_gap)
    rows = pd.DataFrame(
        {
            "target_id": levels,
            "period": ["2025-01"] * 3,
            "target": [100.0] * 3,
            "achieved": [50.0] * 3,
            "expected": [50.0 + expected_gap[level] for level in levels],
        }
    )
    headline = pd.DataFrame({"target_id": levels, "level": levels, "deadline_year": [2027] * 3})
    return rows, headline


def test_over_several_levels_the_title_names_the_one_furthest_behind() -> None:
    chart = trend_chart(*three_levels({"basic": -5.0, "intermediate": 12.0, "expert": 3.0}))

    assert chart.title == (
        "Intermediate is furthest behind: 50% of its 2027 target, 12 points behind the trajectory"
    )


def test_over_several_levels_none_behind_the_title_says_so() -> None:
    chart = trend_chart(*three_levels({"basic": -5.0, "intermediate": 0.0, "expert": -1.0}))

    assert chart.title == "Every level on or ahead of its trajectory; Basic: 50% of the 2027 target"


def test_tables_count_whole_people_and_keep_other_decimals() -> None:
    frame = pd.DataFrame({"expected": [338.7], "achieved_pct": [26.66], "name": ["x"]})

    table = labelled(frame, ["expected", "achieved_pct", "name"])

    assert table.to_dict("records") == [
        {"Trajectory (people)": 339.0, "Achieved (percent of target)": 26.66, "Name": "x"}
    ]


def test_the_contribution_colours_the_clusters_behind_their_target_or_share_as_lagging() -> None:
    drag = pd.DataFrame(
        {
            "cluster_id": ["c2", "c3", "c1"],
            "name": ["Two", "Three", "One"],
            "achieved": [10.0, 8.0, 70.0],
            "expected": [20.0, 10.0, 60.0],
            "own_target": [True, False, False],
            "ratio": [0.5, 0.8, 70 / 60],
            "gap": [10.0, 2.0, -10.0],
            "status": pd.Categorical(["off_track", "at_risk", "on_track"]),
        }
    )

    chart = contribution_chart(CONTRIBUTION, drag=drag)

    # Two carries the region (it is in the Pareto head) and still lags its own target most.
    assert chart.title == (
        "2 of 3 clusters carry 80% of the people completed; "
        "Two lags most (50% of what its own target expects by now)"
    )
    bars = {
        trace.name: (list(trace.x), trace.marker.color, trace.marker.pattern.shape)
        for trace in drawn(chart).data
        if trace.type == "bar"
    }
    assert bars == {
        "Carry 80% of completions": (["One"], palette.LEVEL_COLOURS["intermediate"], ""),
        "At risk against its target or share": (["Three"], palette.STATUS_COLOURS["at_risk"], "/"),
        "Off track against its target or share": (
            ["Two"],
            palette.STATUS_COLOURS["off_track"],
            "x",
        ),
    }
    assert chart.table[list(chart.table.columns[-3:])].values.tolist() == [
        [60.0, 116.7, "✔ On track"],
        [20.0, 50.0, "✖ Off track"],
        [10.0, 80.0, "▲ At risk"],
    ]


def test_the_contribution_says_when_no_cluster_lags() -> None:
    drag = pd.DataFrame(
        {
            "cluster_id": ["c1"],
            "name": ["One"],
            "achieved": [70.0],
            "expected": [60.0],
            "own_target": [False],
            "ratio": [70 / 60],
            "gap": [-10.0],
            "status": pd.Categorical(["on_track"]),
        }
    )

    chart = contribution_chart(CONTRIBUTION, drag=drag)

    assert chart.title == (
        "2 of 3 clusters carry 80% of the people completed; "
        "no cluster lags its own target or its share"
    )
