"""Whatever the network, a plan never spends above a budget, never starts more cohorts in a
month than a region ever has, starts them after the as-of month and closes what it says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning_helpers import Past, network_frames

from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.planning import PlanRequest, monthly_capacity, plan

REGIONS = ("ES24", "RO11")
MODES = ("online", "in-person", "blended")
HELIXES = ("industry", "academia", "public", "society")
AS_OF = "2025-12"

pasts = st.builds(
    Past,
    region=st.sampled_from(REGIONS),
    level=st.sampled_from(["basic", "expert"]),
    mode=st.sampled_from(MODES),
    helix=st.sampled_from(HELIXES),
    capacity=st.integers(5, 60).map(float),
    enrolled=st.integers(5, 60),
    completed=st.integers(1, 5),
    spend=st.integers(500, 20_000).map(float),
    lag=st.integers(0, 14),
    start=st.sampled_from(["2024-01", "2024-02", "2024-03"]),
)
targets = st.lists(
    st.tuples(
        st.sampled_from([("region", "ES24"), ("region", "RO11"), ("network", None)]),
        st.sampled_from(["basic", "expert"]),
        st.sampled_from([2026, 2027]),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda target: (target[0], target[1], target[2]),
)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=st.lists(pasts, min_size=1, max_size=8),
    goals=targets,
    budgets=st.one_of(
        st.just({}),
        st.dictionaries(st.sampled_from(["ERDF", "ESF+"]), st.integers(0, 60_000), min_size=1),
    ),
    most_people=st.booleans(),
)
def test_a_plan_keeps_within_budgets_and_pace_and_closes_the_gaps_it_does_not_explain(
    history: list[Past],
    goals: list[tuple[tuple[str, str | None], str, int, int]],
    budgets: dict[str, int],
    most_people: bool,
) -> None:
    rows = [
        (f"t{number}", scope, scope_id, level, deadline, value)
        for number, ((scope, scope_id), level, deadline, value) in enumerate(goals)
    ]
    frames = network_frames(history, rows, regions=REGIONS)
    mode = "most-people" if most_people and budgets else "least-cost"
    request = PlanRequest(as_of=AS_OF, budgets={k: float(v) for k, v in budgets.items()}, mode=mode)
    result = plan(frames, request)
    schedule = result.rows

    # Every cohort starts after the as-of month and completes by a deadline of its cell.
    starts = schedule["start"].map(period_to_month)
    assert (starts > period_to_month(AS_OF)).all()
    assert (schedule["completes"] <= "2027-12").all()
    # No region starts more cohorts of a level in a month than it ever started at once.
    pace = monthly_capacity(frames).set_index(["region_code", "level"])["cohorts_per_month"]
    started = schedule.groupby(["region_code", "level", "start"])["cohorts"].sum()
    for month in started.reset_index().to_dict("records"):
        assert month["cohorts"] <= pace[(month["region_code"], month["level"])]
    # No funding source spends above its budget, and the sources pay for the whole plan.
    for source in result.budgets.to_dict("records"):
        assert source["planned"] <= source["budget"] * (1 + 1e-9) + 1e-6
    if budgets:
        assert result.budgets["planned"].sum() == pytest.approx(schedule["cost"].sum())
        named = {name for label in schedule["funding_source"] for name in label.split(" + ")}
        assert named <= set(budgets)
    else:
        assert schedule["funding_source"].isna().all()
    # A cohort's cost, places and completers are its type's, times the cohorts.
    types = result.types.set_index(["region_code", "level", "delivery_mode", "provider_helix"])
    keyed = schedule.set_index(["region_code", "level", "delivery_mode", "provider_helix"])
    per_cohort = types.loc[keyed.index]
    assert np.allclose(keyed["cost"], keyed["cohorts"] * per_cohort["cost_per_cohort"])
    assert np.allclose(keyed["completers"], keyed["cohorts"] * per_cohort["completers_per_cohort"])
    # Least cost: a gap the words do not explain is closed.
    if mode == "least-cost" and not any("budget" in words for words in result.words):
        explained = {words.split(" cannot ")[0] for words in result.words if " cannot " in words}
        effect = result.targets
        for target in effect.to_dict("records"):
            place = "the network" if target["scope"] == "network" else target["scope_id"]
            if f"the {target['level']} target of {place}" not in explained:
                assert target["plan_completers"] >= target["gap"] - 1e-6, result.words
