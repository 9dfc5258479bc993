"""The Plan page's callbacks on networks small enough to plan by hand: the numbers shown are
the planner's, its words show, refusals show their one line, and only planners may plan."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import dash
import openpyxl
import pytest
from planning_helpers import Past, network_frames, same
from sqlalchemy import Engine
from werkzeug.exceptions import Forbidden

from dashboard import auth, ids, strings
from dashboard.app import create_app, navbar
from dashboard.components.filter_bar import filters_data
from skills_roadmap.analysis import Filters, Frames
from skills_roadmap.domain import Role
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.planning import PlanRequest, plan
from skills_roadmap.users import ROLE_PERMISSIONS

# As in test_planning: two basic types in Aragón; A gives 10 completers for EUR 1,000 a
# cohort, B 20 for EUR 1,500.
A = Past("ES24", "basic", "online", "industry", 10, 10, 10, 1000.0, lag=1)
B = Past("ES24", "basic", "in-person", "academia", 20, 20, 20, 1500.0, lag=2)
TWO_TYPES = same(3, A) + same(3, B)
GAP_35 = [("t", "region", "ES24", "basic", 2027, 35)]
SELECTION = filters_data(Filters(as_of="2025-12"))
NO_BUDGET = ("", "", "", None, None, None)


def build(frames: Frames, engine: Engine) -> Iterator[dash.Dash]:
    application = create_app(engine=engine, frames=frames)
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application


@pytest.fixture
def two_types(engine: Engine) -> Iterator[dash.Dash]:
    yield from build(network_frames(TWO_TYPES, GAP_35), engine)


def run(
    mode: str = "least-cost",
    budget: tuple[Any, ...] = NO_BUDGET,
    cost: float = 1.0,
    completion: float = 1.0,
) -> tuple[Any, Any]:
    from dashboard.pages import plan as page

    return page.run_plan(1, SELECTION, mode, cost, completion, *budget)


def find(component: Any, component_id: str | dict[str, str]) -> Any:
    """The component of ``component_id`` in a tree of components (None if absent)."""
    if isinstance(component, list | tuple):
        return next(
            (found for child in component if (found := find(child, component_id)) is not None),
            None,
        )
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    return None if children is None or isinstance(children, str) else find(children, component_id)


def text(component: Any) -> str:
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(part for part in (text(child) for child in component) if part)
    return text(getattr(component, "children", None))


def body_rows(table_region: Any) -> list[list[str]]:
    """The cells of a shown table's body, as text."""
    table = table_region.children
    body = table.children[2]
    return [[text(cell) for cell in row.children] for row in body.children]


def cards(results: Any) -> dict[str, str]:
    return {
        name: text(find(results, f"{ids.PLAN_TOTALS}-{name}"))
        for name in strings.PLAN_TOTAL_LABELS
        if find(results, f"{ids.PLAN_TOTALS}-{name}") is not None
    }


@pytest.mark.usefixtures("two_types")
def test_the_plan_shown_is_the_planners_plan_with_its_totals_and_tables() -> None:
    from dashboard.pages import plan as page

    results, request = run(budget=("ERDF", "", "", 5000, None, None))

    assert request == {
        "regions": [],
        "levels": [],
        "budgets": {"ERDF": 5000.0},
        "mode": "least-cost",
        "as_of": "2025-12",
        "cost_factor": 1.0,
        "completion_factor": 1.0,
    }
    expected = plan(network_frames(TWO_TYPES, GAP_35), PlanRequest.model_validate(request))
    # Two cohorts of B close the gap of 35 for EUR 3,000; EUR 2,000 of the budget is left.
    assert cards(results) == {
        "cohorts": "2",
        "places": "40",
        "completers": "40",
        "cost": "€3,000",
        "left": "€2,000",
    }
    assert cards(results) == page.totals(expected)
    assert body_rows(find(results, f"{ids.PLAN_TABLE}-table")) == [
        ["Basic", "In person", "Academia", "ES24", "ERDF", "Jan 2026", "2", "40", "40", "3,000"]
    ]
    assert [
        [row["cohorts"], row["places"], row["completers"], row["cost"]]
        for row in expected.rows.to_dict("records")
    ] == [[2, 40.0, 40.0, 3000.0]]
    assert text(find(results, ids.PLAN_WORDS)) == strings.PLAN_ALL_CLOSED
    effect = find(results, {"type": "chart-data", "chart": ids.PLAN_EFFECT})
    assert effect.data["rows"] == [
        ["t", "ES24", "Basic", "Dec 2027", 35.0, 0.0, 40.0, 40.0, 0.0, 114.3]
    ]
    # In the linear relaxation every completer comes from B at EUR 75 each.
    assert body_rows(find(results, f"{ids.PLAN_MARGINAL}-table")) == [
        ["ES24", "Basic", "75", "least-cost plan"]
    ]
    # What the one funding source pays, and how close to the best the plan is proven.
    assert body_rows(find(results, f"{ids.PLAN_BUDGETS}-table")) == [
        ["ERDF", "5,000", "3,000", "2,000"]
    ]
    assert text(find(results, ids.PLAN_OPTIMALITY)) == "Optimality: proven the best plan possible."


@pytest.mark.usefixtures("two_types")
def test_the_what_ifs_reach_the_planner() -> None:
    """Twice the cost and half the completion rate: three of B and one of A, EUR 11,000."""
    results, request = run(cost=2.0, completion=0.5)

    assert (request["cost_factor"], request["completion_factor"]) == (2.0, 0.5)
    assert find(results, f"{ids.PLAN_BUDGETS}-table") is None  # no budget, no spending table
    assert cards(results) == {
        "cohorts": "4",
        "places": "70",
        "completers": "35",
        "cost": "€11,000",  # the dashboard shortens euros above ten thousand
    }


@pytest.mark.usefixtures("two_types")
def test_a_budget_below_the_least_cost_shows_the_planners_words_first() -> None:
    results, _request = run(budget=("ERDF", "", "", 2000, None, None))

    words = find(results, ids.PLAN_WORDS)
    assert words.color == "warning"
    assert text(words) == (
        f"{strings.PLAN_WORDS_HEADING} closing every gap needs at least €3,000; the ERDF "
        "budget is €2,000: raise a budget, or plan in the most-people mode to train the "
        "most people within it"
    )
    assert cards(results)["cost"] == "€1,500"


def test_a_target_no_cohort_can_reach_in_time_is_explained_and_nothing_is_planned(
    engine: Engine,
) -> None:
    expert = Past("ES24", "expert", "in-person", "academia", 5, 5, 5, 50_000.0, lag=13)
    frames = network_frames(same(3, expert), [("t", "region", "ES24", "expert", 2027, 10)])
    for _app in build(frames, engine):
        from dashboard.pages import plan as page

        results, _request = page.run_plan(
            1, filters_data(Filters(as_of="2026-12")), "least-cost", 1.0, 1.0, *NO_BUDGET
        )
        assert text(find(results, ids.PLAN_WORDS)) == (
            f"{strings.PLAN_WORDS_HEADING} the expert target of ES24 cannot be met by December "
            "2027 at any cost: a cohort needs 14 months and 12 are left"
        )
        assert text(find(results, ids.PLAN_TABLE)) == strings.PLAN_TABLE_EMPTY


@pytest.mark.usefixtures("two_types")
@pytest.mark.parametrize(
    ("mode", "budget", "message"),
    [
        (
            "most-people",
            NO_BUDGET,
            "the most-people mode needs a budget: give one per funding source "
            "(e.g. --budget ERDF=2000000)",
        ),
        ("least-cost", ("ERDF", "", "", None, None, None), "Give the budget of ERDF, or clear "
         "its name."),
        ("least-cost", ("", "", "", 1000, None, None), "Name the funding source of the budget "
         "of EUR 1,000."),
        ("least-cost", ("ESF+", "", "", -5, None, None), "The budget of ESF+ cannot be below "
         "zero."),
    ],
)  # fmt: skip
def test_a_plan_the_planner_refuses_shows_its_one_line_and_nothing_to_download(
    mode: str, budget: tuple[Any, ...], message: str
) -> None:
    results, request = run(mode=mode, budget=budget)

    assert (results.color, text(results), request) == ("danger", message, None)


def test_budget_rows_add_up_per_source_and_blank_rows_are_left_out() -> None:
    from dashboard.pages import plan as page

    assert page.budgets_of(["ERDF", " ESF+ ", "ERDF"], [1000, "250.5", 500]) == {
        "ERDF": 1500.0,
        "ESF+": 250.5,
    }
    assert page.budgets_of(["", None, ""], [None, "", None]) == {}


@pytest.mark.usefixtures("two_types")
def test_the_download_is_the_plan_shown_as_its_workbook() -> None:
    from dashboard.pages import plan as page

    _results, request = run(budget=("ERDF", "", "", 5000, None, None))
    download = page.download_plan(1, request)

    assert download["filename"] == "plan.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert workbook.sheetnames == [
        "Plan",
        "Cohorts",
        "Targets",
        "Budgets",
        "Marginal costs",
        "Programme types",
    ]
    cohorts = list(workbook["Cohorts"].iter_rows(values_only=True))
    assert [row[:4] + row[7:11] for row in cohorts[1:]] == [
        ("ES24", "Basic", "In person", "Academia", 2, 40, 40, 3000)  # codes in words
    ]


def hrefs(component: Any) -> list[str]:
    """Every link's address in a tree of components."""
    if isinstance(component, list | tuple):
        return [href for child in component for href in hrefs(child)]
    own = [component.href] if isinstance(getattr(component, "href", None), str) else []
    children = getattr(component, "children", None)
    return own + ([] if children is None or isinstance(children, str) else hrefs(children))


def as_role(role: Role) -> auth.AuthUser:
    return auth.AuthUser(f"a-{role.value}", role, ROLE_PERMISSIONS[role], frozenset())


@pytest.mark.usefixtures("two_types")
def test_only_officials_admins_and_analysts_see_the_plan_link_and_may_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    links = {role: "/plan" in hrefs(navbar(as_role(role))) for role in Role}
    assert links == {Role.ADMIN: True, Role.OFFICIAL: True, Role.MANAGER: False, Role.ANALYST: True}

    from dashboard.pages import plan as page

    monkeypatch.setattr(auth, "current_user_or_none", lambda: as_role(Role.MANAGER))
    with pytest.raises(Forbidden):
        run()
    with pytest.raises(Forbidden):
        page.download_plan(1, {"mode": "least-cost"})


@pytest.mark.usefixtures("two_types")
def test_the_planners_words_heading_and_tables_read_in_the_pages_language() -> None:
    """In the pseudo-language the heading's month, the planner's reasons, how close to the best
    the plan is proven, the type's words and the start month in the table are all marked;
    codes stay."""
    with use_language(PSEUDO_LANGUAGE):
        results, _request = run(budget=("ERDF", "", "", 2000, None, None))
        reasons = find(results, ids.PLAN_WORDS).children[1].children
        shown = {
            "heading": text(results[0]),
            "reasons": [text(reason) for reason in reasons],
            "optimality": text(find(results, ids.PLAN_OPTIMALITY)),
            "cohorts": body_rows(find(results, f"{ids.PLAN_TABLE}-table")),
        }
    assert shown == {
        "heading": "⟦Thé plån ås öf ⟦Décémbér 2025⟧⟧",
        "reasons": [
            "⟦clösîng évéry gåp nééds åt léåst €3,000; thé ERDF büdgét îs €2,000: råîsé å "
            "büdgét, ör plån în thé möst-péöplé mödé tö tråîn thé möst péöplé wîthîn ît⟧"
        ],
        "optimality": "⟦Öptîmålîty: ⟦prövén thé bést plån pössîblé⟧.⟧",
        "cohorts": [
            [
                "⟦Båsîc⟧",
                "⟦În pérsön⟧",
                "⟦Åcådémîå⟧",
                "ES24",
                "ERDF",
                "⟦Jån 2026⟧",
                "1",
                "20",
                "20",
                "1,500",
            ]
        ],
    }
