"""The budget planner on networks small enough to solve by hand: costs, words and schedules."""

from __future__ import annotations

import doctest
import importlib
import json

import pandas as pd
import pytest
from planning_helpers import Past, network_frames, same
from pseudo_text import escaped_words

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.planning import PlanningError, PlanRequest, plan
from skills_roadmap.planning.explain import euros, month_words, optimality_words

# Two basic types in Aragón, three past programmes each, all started in January 2024 (so six
# new cohorts a month at most): A gives 10 completers for EUR 1,000 a cohort and completes a
# month after its start; B gives 20 for EUR 1,500, two months after.
A = Past("ES24", "basic", "online", "industry", 10, 10, 10, 1000.0, lag=1)
B = Past("ES24", "basic", "in-person", "academia", 20, 20, 20, 1500.0, lag=2)
TWO_TYPES = same(3, A) + same(3, B)
AS_OF = "2025-12"


# A and B again, started in six different months: one new cohort a month at most.
ONE_COHORT_A_MONTH = [
    Past("ES24", "basic", "online", "industry", 10, 10, 10, 1000.0, lag=1, start=start)
    for start in ("2024-01", "2024-02", "2024-03")
] + [
    Past("ES24", "basic", "in-person", "academia", 20, 20, 20, 1500.0, lag=2, start=start)
    for start in ("2024-04", "2024-05", "2024-06")
]


def one_target(value: float, deadline: int = 2027, level: str = "basic") -> list:
    return [("t", "region", "ES24", level, deadline, value)]


def row_values(table: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in table[columns].itertuples(index=False)]


PLAN_COLUMNS = [
    "region_code",
    "level",
    "delivery_mode",
    "provider_helix",
    "funding_source",
    "start",
    "completes",
    "cohorts",
    "places",
    "completers",
    "cost",
    "basis",
]


def test_least_cost_closes_a_gap_of_35_with_two_cohorts_of_the_cheaper_completer() -> None:
    """Gap 35: four cohorts of A cost 4,000, one of B and two of A 3,500, two of B 3,000."""
    result = plan(network_frames(TWO_TYPES, one_target(35)), PlanRequest(as_of=AS_OF))
    assert row_values(result.rows, PLAN_COLUMNS) == [
        ("ES24", "basic", "in-person", "academia", None, "2026-01", "2026-03", 2, 40.0, 40.0,
         3000.0, "region"),
    ]  # fmt: skip
    assert result.totals == {"cohorts": 2.0, "places": 40.0, "completers": 40.0, "cost": 3000.0}
    assert result.words == []
    effect = result.targets.iloc[0]
    measures = ["target", "forecast", "gap", "plan_completers", "forecast_with_plan"]
    assert effect[measures].tolist() == [35.0, 0.0, 35.0, 40.0, 40.0]
    assert effect["attainment_after"] == pytest.approx(40 / 35)
    # In the linear relaxation every completer comes from B at EUR 75 each.
    assert row_values(result.marginal, ["region_code", "level", "source"]) == [
        ("ES24", "basic", "dual")
    ]
    assert result.marginal["marginal_cost"].tolist() == pytest.approx([75.0])


def test_a_small_plan_is_proven_optimal_not_stopped_within_half_a_percent() -> None:
    """Gap 191 from C (20 completers for EUR 2,037) and D (13 for EUR 1,327), six cohorts a
    month: five of C and seven of D cost 19,474, the least; seven of C and four of D cost
    19,567, within 0.5 % of it, where HiGHS stopped before small plans were solved exactly."""
    c = Past("ES24", "basic", "online", "industry", 20, 20, 20, 2037.0, lag=1)
    d = Past("ES24", "basic", "in-person", "academia", 13, 13, 13, 1327.0, lag=1)
    frames = network_frames(same(3, c) + same(3, d), one_target(191))
    result = plan(frames, PlanRequest(as_of=AS_OF))
    assert row_values(result.rows, ["delivery_mode", "start", "cohorts", "cost"]) == [
        ("in-person", "2026-01", 6, 7962.0),
        ("in-person", "2026-02", 1, 1327.0),
        ("online", "2026-02", 5, 10185.0),
    ]
    assert result.totals == {"cohorts": 12.0, "places": 191.0, "completers": 191.0, "cost": 19474.0}
    solver = {key: result.solver[key] for key in ("optimal", "gap", "gap_tolerance")}
    assert solver == {"optimal": True, "gap": 0.0, "gap_tolerance": 0.0}


def test_a_target_on_course_needs_no_plan() -> None:
    result = plan(network_frames(TWO_TYPES, one_target(0)), PlanRequest(as_of=AS_OF))
    assert result.rows.empty
    assert result.words == ["every selected target is on course for its deadline: nothing to plan"]


def test_a_cohort_longer_than_the_months_left_is_explained_in_words() -> None:
    expert = Past("ES24", "expert", "in-person", "academia", 5, 5, 5, 50_000.0, lag=13)
    frames = network_frames(same(3, expert), one_target(10, level="expert"))
    result = plan(frames, PlanRequest(as_of="2026-12"))
    assert result.rows.empty
    assert result.words == [
        "the expert target of ES24 cannot be met by December 2027 at any cost: a cohort needs "
        "14 months and 12 are left"
    ]
    assert result.targets["plan_completers"].tolist() == [0.0]


def test_regions_short_of_time_for_one_deadline_are_named_in_one_sentence() -> None:
    """Three regions' expert targets and the network's miss December 2027 for want of time:
    one sentence names the three regions (in the targets' order); the network's target keeps its
    own."""
    expert = Past("ES24", "expert", "in-person", "academia", 5, 5, 5, 50_000.0, lag=13)
    targets = [
        ("a", "region", "ES24", "expert", 2027, 10),
        ("b", "region", "SE11", "expert", 2027, 10),
        ("c", "region", "RO11", "expert", 2027, 10),
        ("n", "network", None, "expert", 2027, 30),
    ]
    frames = network_frames(same(3, expert), targets, regions=("ES24", "SE11", "RO11"))
    result = plan(frames, PlanRequest(as_of="2026-12"))
    assert result.words == [
        "the expert target of the network cannot be met by December 2027 at any cost: a cohort "
        "needs 14 months and 12 are left",
        "the expert targets of ES24, RO11 and SE11 cannot be met by December 2027 at any cost: "
        "a cohort needs 14 months and 12 are left",
    ]


def test_most_people_within_a_budget_buys_one_cohort_of_each_type() -> None:
    """EUR 2,999: two of A train 20, one of B 20, one of each 30 for EUR 2,500."""
    frames = network_frames(TWO_TYPES, one_target(1000))
    request = PlanRequest(as_of=AS_OF, budgets={"ERDF": 2999}, mode="most-people")
    result = plan(frames, request)
    assert row_values(result.rows, ["delivery_mode", "funding_source", "cohorts", "cost"]) == [
        ("in-person", "ERDF", 1, 1500.0),
        ("online", "ERDF", 1, 1000.0),
    ]
    assert result.totals["completers"] == 30.0
    assert row_values(result.budgets, ["funding_source", "budget", "planned", "left"]) == [
        ("ERDF", 2999.0, 2500.0, 499.0)
    ]


def test_a_budget_below_the_least_cost_says_what_the_gaps_need_and_spends_what_it_has() -> None:
    """EUR 2,000 brings 20 of the 35 at best, as two of A or one of B: the cheaper, B."""
    frames = network_frames(TWO_TYPES, one_target(35))
    result = plan(frames, PlanRequest(as_of=AS_OF, budgets={"ERDF": 2000}))
    assert row_values(result.rows, ["delivery_mode", "funding_source", "cohorts", "cost"]) == [
        ("in-person", "ERDF", 1, 1500.0)
    ]
    assert result.words == [
        "closing every gap needs at least €3,000; the ERDF budget is €2,000: raise a "
        "budget, or plan in the most-people mode to train the most people within it"
    ]


def test_the_pace_of_new_cohorts_bounds_a_target_and_the_plan_brings_as_many_as_it_can() -> None:
    """One cohort a month (no month ever saw two starts), twelve months to December 2026: B's
    cohorts may start in the first ten months, A's in eleven; the most is ten of B then one
    of A, 210 people, scheduled with the earliest deadline first."""
    result = plan(
        network_frames(ONE_COHORT_A_MONTH, one_target(500, 2026)), PlanRequest(as_of=AS_OF)
    )
    assert result.words == [
        "the basic target of ES24 cannot be met by December 2026 at any cost: at most 210 more "
        "people can complete by then at 1 new cohort a month, and 500 are missing; the plan "
        "brings as many as it can"
    ]
    schedule = row_values(result.rows, ["delivery_mode", "start", "completes", "cohorts"])
    assert schedule == [
        ("in-person", f"2026-{month:02d}", f"2026-{month + 2:02d}", 1) for month in range(1, 11)
    ] + [("online", "2026-11", "2026-12", 1)]
    assert result.totals == {
        "cohorts": 11.0,
        "places": 210.0,
        "completers": 210.0,
        "cost": 16_000.0,
    }


def test_the_plan_is_json_without_missing_numbers_as_nan() -> None:
    result = plan(network_frames(TWO_TYPES, one_target(35)), PlanRequest(as_of=AS_OF))
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert sorted(data) == [
        "as_of",
        "budgets",
        "marginal_costs",
        "mode",
        "optimality",
        "rows",
        "solver",
        "targets",
        "totals",
        "types",
        "words",
    ]
    assert data["rows"][0]["funding_source"] is None
    assert data["mode"] == "least-cost"
    assert data["as_of"] == AS_OF


def test_most_people_without_a_budget_is_refused_with_what_to_give() -> None:
    with pytest.raises(PlanningError, match=r"needs a budget: give one per funding source"):
        plan(network_frames(TWO_TYPES, one_target(35)), PlanRequest(mode="most-people"))


def test_a_level_without_completions_to_learn_from_is_explained() -> None:
    never = Past("ES24", "expert", "online", "industry", 10, 10, 0, 1000.0, lag=1)
    frames = network_frames([*TWO_TYPES, never], one_target(10, level="expert"))
    result = plan(frames, PlanRequest(as_of=AS_OF))
    assert result.rows.empty
    assert result.words == [
        "the expert target of ES24 cannot be planned: no expert programme of the network has "
        "reported completions to learn from yet"
    ]


def test_an_unknown_region_is_refused_with_the_known_ones() -> None:
    from skills_roadmap.exceptions import NotFoundError

    with pytest.raises(NotFoundError, match="unknown region ZZ99"):
        plan(network_frames(TWO_TYPES, one_target(35)), PlanRequest(regions=("ZZ99",)))


def test_budgets_are_spent_in_the_order_given_and_a_cohort_between_two_is_co_financed() -> None:
    """Two cohorts of B, EUR 1,500 each: ERDF's 1,000 pays two thirds of the first, ESF+ the
    rest of it and the second."""
    frames = network_frames(TWO_TYPES, one_target(35))
    result = plan(frames, PlanRequest(as_of=AS_OF, budgets={"ERDF": 1000, "ESF+": 2000}))
    assert row_values(result.rows, ["funding_source", "cohorts", "cost"]) == [
        ("ERDF + ESF+", 1, 1500.0),
        ("ESF+", 1, 1500.0),
    ]
    assert row_values(result.budgets, ["funding_source", "budget", "planned", "left"]) == [
        ("ERDF", 1000.0, 1000.0, 0.0),
        ("ESF+", 2000.0, 2000.0, 0.0),
    ]
    assert result.words == []


def test_what_ifs_on_cost_and_completion_change_the_least_cost_plan() -> None:
    """Half the completion rate and twice the cost: A gives 5 completers for EUR 2,000, B 10
    for EUR 3,000; a gap of 35 is then three of B and one of A (EUR 11,000), not four of B
    (12,000) or two of B and three of A (12,000)."""
    frames = network_frames(TWO_TYPES, one_target(35))
    request = PlanRequest(as_of=AS_OF, cost_factor=2.0, completion_factor=0.5)
    result = plan(frames, request)
    assert row_values(result.rows, ["delivery_mode", "cohorts", "completers", "cost"]) == [
        ("in-person", 3, 30.0, 9000.0),
        ("online", 1, 5.0, 2000.0),
    ]
    assert result.totals == {"cohorts": 4.0, "places": 70.0, "completers": 35.0, "cost": 11000.0}
    assert row_values(result.types, ["delivery_mode", "completion_rate", "cost_per_completer"]) == [
        ("in-person", 0.5, 300.0),
        ("online", 0.5, 400.0),
    ]


@pytest.mark.parametrize(
    "factors",
    [
        {"cost_factor": 0.0},  # a cohort costs something
        {"completion_factor": -1.0},
        {"cost_factor": float("inf")},
    ],
)
def test_what_if_factors_must_be_positive_and_finite(factors: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="factor"):
        PlanRequest(**factors)


@pytest.mark.parametrize(
    ("solver", "words"),
    [
        (
            {"optimal": True, "gap": 0.0, "gap_tolerance": 0.0, "variables": 16},
            "proven the best plan possible",
        ),
        # An EU-scale plan stops within 0.5 %: the plan says how close it is proven.
        (
            {"optimal": True, "gap": 0.0024, "gap_tolerance": 0.005, "variables": 2866},
            "proven within 0.24% of the best plan possible (a plan of 2,866 choices is solved "
            "to 0.5%)",
        ),
        # A large plan proven exactly needs no caveat.
        (
            {"optimal": True, "gap": 0.0, "gap_tolerance": 0.005, "variables": 2866},
            "proven the best plan possible",
        ),
        (
            {"optimal": False, "gap": 0.03, "gap_tolerance": 0.005, "variables": 2866},
            "not proven the best plan possible: the solver stopped early",
        ),
    ],
)
def test_the_plan_says_how_close_to_the_best_it_is_proven(solver: dict, words: str) -> None:
    assert optimality_words(solver) == words


@pytest.mark.parametrize("name", ["explain", "model", "planner", "types"])
def test_the_planners_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"skills_roadmap.planning.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert (result.failed, result.attempted > 0) == (0, True)


def _expert_short_of_time() -> Frames:
    """An expert target of ES24 whose quickest cohort needs 14 months, 12 before December 2027
    (as of December 2026)."""
    expert = Past("ES24", "expert", "in-person", "academia", 5, 5, 5, 50_000.0, lag=13)
    return network_frames(same(3, expert), one_target(10, level="expert"))


def test_an_infeasible_plans_words_are_translated_whole_with_the_month_in_words() -> None:
    """In the pseudo-language the sentence, the target's name, the month and the unit are each
    marked: nothing a reader reads escaped translation."""
    with use_language(PSEUDO_LANGUAGE):
        result = plan(_expert_short_of_time(), PlanRequest(as_of="2026-12"))
    assert result.words == [
        "⟦⟦thé éxpért tårgét öf ES24⟧ cånnöt bé mét by ⟦Décémbér 2027⟧ åt åny cöst: å cöhört "
        "nééds 14 ⟦mönths⟧ ånd 12 åré léft⟧"
    ]


def test_a_budget_bound_plans_note_and_its_optimality_are_translated_whole() -> None:
    with use_language(PSEUDO_LANGUAGE):
        result = plan(
            network_frames(TWO_TYPES, one_target(35)),
            PlanRequest(as_of=AS_OF, budgets={"ERDF": 2000}),
        )
        optimality = result.optimality
    assert result.words == [
        "⟦clösîng évéry gåp nééds åt léåst €3,000; thé ERDF büdgét îs €2,000: råîsé å büdgét, "
        "ör plån în thé möst-péöplé mödé tö tråîn thé möst péöplé wîthîn ît⟧"
    ]
    assert optimality == "⟦prövén thé bést plån pössîblé⟧"


@pytest.mark.parametrize(
    ("solver", "words"),
    [
        (
            {"optimal": True, "gap": 0.0024, "gap_tolerance": 0.005, "variables": 2866},
            "⟦prövén wîthîn 0.24% öf thé bést plån pössîblé (å plån öf 2,866 chöîcés îs sölvéd "
            "tö 0.5%)⟧",
        ),
        (
            {"optimal": False, "gap": 0.03, "gap_tolerance": 0.005, "variables": 2866},
            "⟦nöt prövén thé bést plån pössîblé: thé sölvér stöppéd éårly⟧",
        ),
    ],
)
def test_the_optimality_note_is_translated_whole(solver: dict, words: str) -> None:
    with use_language(PSEUDO_LANGUAGE):
        assert optimality_words(solver) == words


def test_a_spanish_plan_writes_months_and_euros_the_spanish_way() -> None:
    """The planner's sentences in Spanish, their months, euros and numbers the Spanish way (a
    no-break space before the euro sign); the mode is named as the command line takes it."""
    with use_language("es"):
        late = plan(_expert_short_of_time(), PlanRequest(as_of="2026-12"))
        short = plan(
            network_frames(TWO_TYPES, one_target(35)),
            PlanRequest(as_of=AS_OF, budgets={"ERDF": 2000}),
        )
        amount, month = euros(1_234_000), month_words(period_to_month("2027-12"))
    assert (amount, month) == ("1.234.000\xa0€", "diciembre de 2027")
    assert late.words == [
        "el objetivo experto de ES24 no puede cumplirse para diciembre de 2027 a ningún coste: "
        "una cohorte necesita 14 meses y quedan 12"
    ]
    assert short.words == [
        "cerrar todas las brechas requiere al menos 3.000\xa0€; el presupuesto de ERDF es de "
        "2.000\xa0€: aumente un presupuesto o planifique en el modo most-people para formar al "
        "mayor número de personas con él"
    ]


def test_every_reason_a_gap_stays_open_is_marked_in_the_pseudo_language() -> None:
    """No programme to learn from, the pace of new cohorts, regions short of time said once,
    and the targets left out: every sentence is one translated message."""
    never = Past("ES24", "expert", "online", "industry", 10, 10, 0, 1000.0, lag=1)
    expert = Past("ES24", "expert", "in-person", "academia", 5, 5, 5, 50_000.0, lag=13)
    regions = [(name, "region", name, "expert", 2027, 10) for name in ("ES24", "SE11")]
    cases = [
        (network_frames([*TWO_TYPES, never], one_target(10, level="expert")), AS_OF),
        (network_frames(ONE_COHORT_A_MONTH, one_target(500, 2026)), AS_OF),
        (network_frames(same(3, expert), regions, regions=("ES24", "SE11")), "2026-12"),
        (network_frames(TWO_TYPES, [("c", "cluster", "C-ES24", "basic", 2027, 10)]), AS_OF),
    ]
    with use_language(PSEUDO_LANGUAGE):
        words = [plan(frames, PlanRequest(as_of=as_of)).words for frames, as_of in cases]
    assert [len(said) for said in words] == [1, 1, 1, 2]
    assert [escaped_words(text) for said in words for text in said] == [[]] * 5
