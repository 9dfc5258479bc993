"""The budget planner's public entry: the plan of new cohorts that closes a selection's gaps at
the least cost, or trains the most people within its budgets."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.flows import divide
from skills_roadmap.analysis.forecast import forecast
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.periods import december, month_to_period, periods_of_months
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.domain import Metric, Period, RegionCode, ScopeKind, TrainingLevel
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n import ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.planning.explain import (
    budget_words,
    grouped_words,
    month_words,
    optimality_words,
    reachable,
    target_words,
    unreachable,
)
from skills_roadmap.planning.model import (
    Model,
    PlanMode,
    Solution,
    build_model,
    cells_of_targets,
    relative_gap,
    relaxed_cost,
    relaxed_duals,
    solve,
    variables_of,
)
from skills_roadmap.planning.types import TYPE_KEYS, monthly_capacity, programme_types, what_if

ROW_COLUMNS = [
    "region_code",
    *TYPE_KEYS,
    "funding_source",
    "start",
    "completes",
    "cohorts",
    "places",
    "completers",
    "cost",
    "basis",
]
TARGET_COLUMNS = [
    "target_id",
    "scope",
    "scope_id",
    "level",
    "deadline",
    "target",
    "achieved",
    "forecast",
    "gap",
    "plan_completers",
    "forecast_with_plan",
    "attainment_before",
    "attainment_after",
]
MARGINAL_COLUMNS = ["region_code", "level", "marginal_cost", "source"]
# Whole people: a gap of 12.0000001 forecast people is 12, not 13.
_TOLERANCE = 1e-6


class PlanningError(SkillsRoadmapError):
    """A plan cannot be asked for as it stands (no history yet, no budget to spend)."""


class PlanRequest(BaseModel):
    """What to plan: the selection (empty: every region and level), a budget per funding
    source in euros (empty: unlimited, least cost only), the mode, the as-of month
    (``None``: the latest complete month) and two what-ifs on new cohorts: their cost and
    their completion rate as multiples of the history's (see
    :func:`~skills_roadmap.planning.types.what_if`).

    >>> PlanRequest(regions=("ES24",), budgets={"ERDF": 1e6}).mode
    <PlanMode.LEAST_COST: 'least-cost'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: tuple[RegionCode, ...] = ()
    levels: tuple[TrainingLevel, ...] = ()
    budgets: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = {}
    mode: PlanMode = PlanMode.LEAST_COST
    as_of: Period | None = None
    cost_factor: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] = 1.0
    completion_factor: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] = 1.0


@dataclass(frozen=True)
class Plan:
    """A plan and its reasons (see :func:`plan` for each table's columns)."""

    mode: PlanMode
    as_of: str
    rows: pd.DataFrame
    targets: pd.DataFrame
    budgets: pd.DataFrame
    marginal: pd.DataFrame
    types: pd.DataFrame
    words: list[str]
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, float]:
        """Cohorts, places, completers and cost of the whole plan."""
        sums = self.rows[["cohorts", "places", "completers", "cost"]].sum()
        return {str(name): float(value) for name, value in sums.items()}

    @property
    def optimality(self) -> str:
        """How close the plan is proven to the best possible, in words (see
        :func:`~skills_roadmap.planning.explain.optimality_words`)."""
        return optimality_words(self.solver)

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (missing numbers as ``null``); see ``docs/planner.md``."""
        return {
            "mode": self.mode.value,
            "as_of": self.as_of,
            "totals": self.totals,
            "rows": _records(self.rows),
            "targets": _records(self.targets),
            "budgets": _records(self.budgets),
            "marginal_costs": _records(self.marginal),
            "types": _records(self.types),
            "words": self.words,
            "optimality": self.optimality,
            "solver": self.solver,
        }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    def plain(value: Any) -> Any:
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return None if value is pd.NA else value

    return [
        {str(key): plain(value) for key, value in row.items()} for row in table.to_dict("records")
    ]


def _selected_targets(
    frames: Frames, request: PlanRequest, settings: AnalysisSettings
) -> tuple[pd.DataFrame, int, list[str]]:
    """The selection's region and network targets of completions, with their forecast at the
    deadline and their gap; the as-of month; and words for the targets left out."""
    filters = Filters(regions=request.regions, levels=request.levels, as_of=request.as_of)
    selected = apply_filters(frames, filters)
    if selected.as_of is None:
        raise PlanningError(
            _(
                "nothing to learn from yet: the planner needs reported progress; upload the "
                "managers' progress sheets first"
            )
        )
    table = forecast(selected, settings)
    words = []
    clusters = int((table["scope"] == ScopeKind.CLUSTER.value).sum())
    if clusters:
        words.append(
            Message(
                ngettext(
                    "{count:,} cluster target left out: the planner places new cohorts in "
                    "regions, not in clusters",
                    "{count:,} cluster targets left out: the planner places new cohorts in "
                    "regions, not in clusters",
                    clusters,
                )
            ).format(count=clusters)
        )
    other_metric = (table["scope"] != ScopeKind.CLUSTER.value) & (
        table["metric"] != Metric.COMPLETED.value
    )
    if other_metric.any():
        others = int(other_metric.sum())
        words.append(
            Message(
                ngettext(
                    "{count:,} target of enrolments or certificates left out: the planner "
                    "plans completions",
                    "{count:,} targets of enrolments or certificates left out: the planner "
                    "plans completions",
                    others,
                )
            ).format(count=others)
        )
    table = table[(table["scope"] != ScopeKind.CLUSTER.value) & ~other_metric]
    at_deadline = table["achieved"] + table["run_rate"].fillna(0) * table["months_left"]
    gap = np.ceil((table["target"] - at_deadline - _TOLERANCE).clip(lower=0))
    targets = table.assign(
        scope=table["scope"].astype(str),
        level=table["level"].astype(str),
        deadline_month=december(table["deadline_year"]).astype(np.int64),
        forecast=at_deadline,
        gap=gap,
    ).reset_index(drop=True)
    return targets, selected.as_of, words


def _schedule(variables: pd.DataFrame, cohorts: np.ndarray, as_of: int) -> pd.DataFrame:
    """The solved cohorts as start months: in each region and level, the cohorts with the
    fewest months to start in go first (earliest deadline first), K a month from the month
    after ``as_of``; the capacity constraints make every cohort start in time."""
    chosen = np.flatnonzero(cohorts > 0)
    each = np.repeat(chosen, cohorts[chosen])  # one entry per cohort
    cell = variables["cell"].to_numpy()[each]
    window = variables["window"].to_numpy()[each]
    order = np.lexsort((each, window, cell))
    each, cell = each[order], cell[order]
    first = np.r_[0, np.flatnonzero(np.diff(cell)) + 1]
    position = np.arange(len(each)) - np.repeat(first, np.diff(np.r_[first, len(each)]))
    pace = variables["cohorts_per_month"].to_numpy()[each]
    start = as_of + 1 + position // pace
    counted = (
        pd.DataFrame({"variable": each, "start_month": start})
        .groupby(["variable", "start_month"])
        .size()
        .rename("cohorts")
        .reset_index()
    )
    chosen_rows = variables.iloc[counted["variable"].to_numpy()].reset_index(drop=True)
    number = counted["cohorts"].to_numpy()
    completes = counted["start_month"].to_numpy() + chosen_rows["lag_months"].to_numpy()
    rows = chosen_rows.assign(
        start_month=counted["start_month"].to_numpy(),
        completes_month=completes.astype(np.int64),
        latest_start=as_of + chosen_rows["window"].to_numpy(),
        cohorts=number,
        places_per_cohort=chosen_rows["places"].to_numpy(),
        places=number * chosen_rows["places"].to_numpy(),
        completers=number * chosen_rows["completers_per_cohort"].to_numpy(),
        cost=number * chosen_rows["cost_per_cohort"].to_numpy(),
    )
    return rows.assign(
        start=periods_of_months(rows["start_month"]),
        completes=periods_of_months(rows["completes_month"]),
    ).sort_values(["region_code", "level", "start_month", *TYPE_KEYS[1:]], kind="stable")


def _effect(targets: pd.DataFrame, cells: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Per target: the plan's completers counted for it (cohorts of its level, in its scope,
    completing by its deadline) and its forecast and attainment at the deadline with them."""
    counted = pd.Series(0.0, index=targets["target_id"])
    if len(rows):
        pairs = cells.merge(
            rows[["region_code", "level", "completes_month", "completers"]],
            on=["region_code", "level"],
        )
        pairs = pairs[pairs["completes_month"] <= pairs["deadline_month"]]
        counted = counted.add(pairs.groupby("target_id")["completers"].sum(), fill_value=0)
    plan_completers = counted.reindex(targets["target_id"]).to_numpy()
    with_plan = targets["forecast"] + plan_completers
    return targets.assign(
        deadline=periods_of_months(targets["deadline_month"]),
        plan_completers=plan_completers,
        forecast_with_plan=with_plan,
        attainment_before=divide(targets["forecast"], targets["target"]),
        attainment_after=divide(with_plan, targets["target"]),
    )[TARGET_COLUMNS]


def _marginal(
    variables: pd.DataFrame, targets: pd.DataFrame, duals: pd.Series | None
) -> pd.DataFrame:
    """Per region and level planned: one more completer's cost. Where the region's gap row
    binds in the linear relaxation, its dual (what the least-cost plan would rise by);
    elsewhere the cheapest type's cost per completer among those that finish in time."""
    cheapest = (
        variables.groupby(["region_code", "level"], sort=True)["cost_per_completer"]
        .min()
        .rename("marginal_cost")
        .reset_index()
        .assign(source="cheapest type")
    )
    if duals is None or not len(duals):
        return cheapest[MARGINAL_COLUMNS]
    own = targets[targets["scope"] == ScopeKind.REGION.value].assign(
        dual=lambda t: t["target_id"].map(duals)
    )
    own = own[own["dual"] > _TOLERANCE].sort_values("deadline_month")
    binding = own.drop_duplicates(["scope_id", "level"]).rename(columns={"scope_id": "region_code"})
    merged = cheapest.merge(binding[["region_code", "level", "dual"]], how="left")
    bound = merged["dual"].notna()
    return merged.assign(
        marginal_cost=merged["dual"].where(bound, merged["marginal_cost"]),
        source=np.where(bound, "dual", "cheapest type"),
    )[MARGINAL_COLUMNS]


def _spending_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The schedule in the order the budgets are spent: by start month, region and type."""
    return rows.sort_values(["start_month", "region_code", "level", *TYPE_KEYS[1:]], kind="stable")


def _fund(rows: pd.DataFrame, budgets: dict[str, float]) -> pd.DataFrame:
    """The schedule with each cohort's funding source: the budgets are spent in the order given,
    cohort after cohort in :func:`_spending_order`; a cohort that one budget's remainder cannot
    pay is co-financed with the next ("ERDF + ESF+"). Without budgets the source is blank."""
    if not budgets or not len(rows):
        return rows.assign(funding_source=None)
    ordered = _spending_order(rows).reset_index(drop=True)
    each = np.repeat(np.arange(len(ordered)), ordered["cohorts"].to_numpy())
    cost = ordered["cost_per_cohort"].to_numpy()[each]
    ends = np.cumsum(cost)
    starts = ends - cost
    bounds = np.cumsum(list(budgets.values()))
    names = np.array(list(budgets), dtype=object)
    last = len(names) - 1
    # Sources whose share of the laid-out budgets overlaps the cohort's cost (a hair inside,
    # so that a cohort ending exactly on a budget's end is that budget's alone).
    tolerance = 1e-9 * max(float(ends[-1]), 1.0)
    first = np.minimum(np.searchsorted(bounds, starts + tolerance, side="right"), last)
    final = np.minimum(np.searchsorted(bounds, ends - tolerance, side="right"), last)
    label = names[first]
    shared = first != final
    pairs = zip(first[shared], final[shared], strict=True)
    label[shared] = [" + ".join(names[a : z + 1]) for a, z in pairs]
    funded = (
        pd.DataFrame({"row": each, "funding_source": label})
        .groupby(["row", "funding_source"], sort=False)
        .size()
        .rename("cohorts")
        .reset_index()
    )
    chosen = ordered.drop(columns=["cohorts"]).iloc[funded["row"].to_numpy()]
    number = funded["cohorts"].to_numpy()
    return chosen.reset_index(drop=True).assign(
        funding_source=funded["funding_source"].to_numpy(),
        cohorts=number,
        places=number * chosen["places_per_cohort"].to_numpy(),
        completers=number * chosen["completers_per_cohort"].to_numpy(),
        cost=number * chosen["cost_per_cohort"].to_numpy(),
    )


def _budgets(request: PlanRequest, rows: pd.DataFrame) -> pd.DataFrame:
    """Per funding source given a budget: the budget, what the plan spends of it (the
    budgets spent in the order given, see :func:`_fund`), what is left."""
    names = list(request.budgets)
    budget = np.array([request.budgets[name] for name in names], dtype="float64")
    total = float(rows["cost"].sum()) if len(rows) else 0.0
    ends = np.cumsum(budget)
    planned = np.clip(total - (ends - budget), 0.0, budget)
    planned[-1:] = total - planned[:-1].sum() if len(names) else planned[-1:]
    return pd.DataFrame(
        {"funding_source": names, "budget": budget, "planned": planned, "left": budget - planned}
    )


def plan(
    frames: Frames, request: PlanRequest | None = None, settings: AnalysisSettings | None = None
) -> Plan:
    """The plan of new cohorts for ``request`` over the unfiltered ``frames``.

    The gap of a target is what its forecast at the deadline (achieved plus the recent run
    rate until December of the deadline year, see
    :func:`~skills_roadmap.analysis.forecast.forecast`) leaves short of it, in whole people.
    Cohorts of the programme types learnt from the history
    (:func:`~skills_roadmap.planning.types.programme_types`) start from the month after the
    as-of month, at most K a month per region and level
    (:func:`~skills_roadmap.planning.types.monthly_capacity`); a cohort counts for a target
    of its level and scope when it completes by the deadline. Least cost closes every gap
    that can be closed for the least money within the budgets; most people trains the most
    completers the budgets pay for. The model is in ``docs/planner.md``.

    Returns:
        A :class:`Plan`: ``rows`` (``ROW_COLUMNS``: a type's cohorts in a region, by funding
        source and start month), ``targets`` (``TARGET_COLUMNS``: the effect on each target),
        ``budgets``, ``marginal`` (``MARGINAL_COLUMNS``), ``types`` (the figures used),
        ``words`` (why a gap stays open, what was left out) and ``solver`` figures.

    Raises:
        NotFoundError: a region of the request does not exist.
        PlanningError: no progress has been reported yet, or the most-people mode has no
            budget.
    """
    request = request or PlanRequest()
    settings = settings or AnalysisSettings()
    if request.mode is PlanMode.MOST_PEOPLE and not request.budgets:
        raise PlanningError(
            _(
                "the most-people mode needs a budget: give one per funding source "
                "(e.g. --budget ERDF=2000000)"
            )
        )
    targets, as_of, words = _selected_targets(frames, request, settings)
    regions = [str(code) for code in request.regions] or [
        str(code) for code in frames.regions["region_code"]
    ]
    levels = [str(level) for level in request.levels] or list(LEVEL_DTYPE.categories)
    types = what_if(
        programme_types(frames, regions, levels), request.cost_factor, request.completion_factor
    )
    capacity = monthly_capacity(frames)
    typed = types.merge(capacity.astype({"region_code": object, "level": object}))
    cells = cells_of_targets(targets, regions)

    beyond = unreachable(targets, reachable(targets, cells, typed, as_of))
    words.extend(grouped_words(beyond, targets))
    open_gaps = _open_gaps(targets, beyond)
    if request.mode is PlanMode.LEAST_COST and not len(open_gaps) and not len(beyond):
        words.append(_("every selected target is on course for its deadline: nothing to plan"))

    variables = variables_of(types, cells, capacity, as_of)
    if request.mode is PlanMode.LEAST_COST:
        # Only the cells of open gaps need cohorts: the others would only add cost.
        needed = cells[cells["target_id"].isin(open_gaps["target_id"])]
        wanted = needed[["region_code", "level"]].drop_duplicates()
        variables = variables.merge(wanted, on=["region_code", "level"]).reset_index(drop=True)
        every_gap = not (beyond["reason"] == "pace").any()
        model, solution = _least_cost(variables, cells, open_gaps, request.budgets)
        if solution.shortfall is not None:
            short = pd.Series(solution.shortfall, index=open_gaps["target_id"].to_numpy())
            left = short[(short > 0.5) & ~short.index.isin(beyond["target_id"])]
            words.extend(
                _shortfall_words(targets, left, variables, cells, open_gaps, request, every_gap)
            )
    else:
        model = build_model(variables, cells, open_gaps, request.budgets, request.mode)
        solution = solve(model)
    if solution.cohorts is None:
        words.append(_("no plan could be found: {status}", status=solution.message))
    elif not solution.optimal:
        words.append(
            _(
                "the solver stopped before proving this plan the best: {status}",
                status=solution.message,
            )
        )
    none = np.zeros(len(variables), dtype=np.int64)
    cohorts = none if solution.cohorts is None else solution.cohorts
    rows = _fund(_schedule(variables, cohorts, as_of), request.budgets).sort_values(
        ["region_code", "level", "start_month", *TYPE_KEYS[1:], "funding_source"], kind="stable"
    )
    duals = relaxed_duals(model) if request.mode is PlanMode.LEAST_COST else None
    return Plan(
        mode=request.mode,
        as_of=month_to_period(as_of),
        rows=rows.reindex(columns=ROW_COLUMNS).reset_index(drop=True),
        targets=_effect(targets, cells, rows),
        budgets=_budgets(request, rows),
        marginal=_marginal(variables, targets, duals),
        types=types,
        words=words,
        solver=_solver_figures(model, solution),
    )


def _open_gaps(targets: pd.DataFrame, beyond: pd.DataFrame) -> pd.DataFrame:
    """The gaps the least-cost plan is to close (``target_id, gap``): every positive gap but
    those no cohort can reach in time (or no history can plan), and those beyond their
    regions' pace cut to the most the pace allows (a hair under it, so that rounding never
    puts it out of reach). Closing each as far as it can be closed is then one plan, not the
    two solves of leaving the fewest people short (measured: 1.5 s against 5 s at EU scale)."""
    most = beyond.loc[beyond["reason"] == "pace"].set_index("target_id")["most_people"]
    out = beyond.loc[beyond["reason"] != "pace", "target_id"]
    gaps = targets[(targets["gap"] > 0) & ~targets["target_id"].isin(out)]
    capped = most.reindex(gaps["target_id"]).to_numpy("float64")
    reachable_gap = np.where(np.isnan(capped), gaps["gap"], np.floor(capped * (1 - 1e-9)))
    return gaps.assign(gap=reachable_gap)[["target_id", "gap"]].reset_index(drop=True)


def _least_cost(
    variables: pd.DataFrame,
    cells: pd.DataFrame,
    gaps: pd.DataFrame,
    budgets: dict[str, float],
) -> tuple[Model, Solution]:
    """The least-cost plan closing every gap; when no plan can (too little money, or targets
    sharing a region's pace), the least-cost plan among
    those leaving the gaps the fewest people short (two solves: the fewest people short, then
    the cost at that; the second is skipped when the first spends the budgets to within the
    solver's tolerance, :func:`~skills_roadmap.planning.model.relative_gap`, as it could save
    no more). The solution's seconds are those of every solve."""
    strict = build_model(variables, cells, gaps, budgets, PlanMode.LEAST_COST)
    solution = solve(strict)
    if solution.cohorts is not None or not len(gaps):
        return strict, solution
    spent = solution.seconds
    elastic, fewest = _fewest_short(variables, cells, gaps, budgets)
    spent += fewest.seconds
    if fewest.shortfall is None or fewest.cohorts is None:
        return elastic, replace(fewest, seconds=spent)
    cost = float(fewest.cohorts @ variables["cost_per_cohort"].to_numpy())
    if budgets and cost >= (1 - relative_gap(len(variables))) * sum(budgets.values()):
        return elastic, replace(fewest, seconds=spent)
    model = _at_shortfall(variables, cells, gaps, budgets, fewest)
    cheapest = solve(model)
    best = cheapest if cheapest.cohorts is not None else fewest
    return model, replace(best, seconds=spent + cheapest.seconds)


def _fewest_short(
    variables: pd.DataFrame, cells: pd.DataFrame, gaps: pd.DataFrame, budgets: dict[str, float]
) -> tuple[Model, Solution]:
    """The plan leaving the gaps the fewest people short."""
    model = build_model(variables, cells, gaps, budgets, PlanMode.LEAST_COST, elastic=True)
    return model, solve(model)


def _at_shortfall(
    variables: pd.DataFrame,
    cells: pd.DataFrame,
    gaps: pd.DataFrame,
    budgets: dict[str, float],
    fewest: Solution,
) -> Model:
    """The least-cost model among plans leaving no more people short than ``fewest``."""
    assert fewest.shortfall is not None
    cap = float(fewest.shortfall.sum()) * (1 + 1e-9) + 1e-6
    return build_model(
        variables, cells, gaps, budgets, PlanMode.LEAST_COST, elastic=True, shortfall_cap=cap
    )


def _shortfall_words(
    targets: pd.DataFrame,
    short: pd.Series,
    variables: pd.DataFrame,
    cells: pd.DataFrame,
    gaps: pd.DataFrame,
    request: PlanRequest,
    every_gap: bool,
) -> list[str]:
    """Why gaps that each alone could be closed stay short: the money (then the least that
    closing them would cost without a budget), or targets sharing a region's pace of new
    cohorts."""
    if not len(short):
        return []
    if request.budgets:
        needed = _least_unbudgeted_cost(variables, cells, gaps)
        if needed is not None:
            return [budget_words(needed, request.budgets, every_gap=every_gap)]
    named = targets.set_index("target_id").loc[short.index].assign(short=short.to_numpy())
    return [
        _(
            "{target} cannot be met by {month} together with the other targets at each "
            "region's pace of new cohorts: the plan leaves it {short:,.0f} short",
            target=target_words(row),
            month=month_words(int(row["deadline_month"])),
            short=float(row["short"]),
        )
        for row in named.reset_index().to_dict("records")
    ]


def _least_unbudgeted_cost(
    variables: pd.DataFrame, cells: pd.DataFrame, gaps: pd.DataFrame
) -> float | None:
    """The least the gaps cost without a budget: the least-cost plan's cost when every gap
    can be closed together; else the linear relaxation's bound at the fewest people short, a
    bound found in a fraction of the time the plan would take."""
    strict = solve(build_model(variables, cells, gaps, {}, PlanMode.LEAST_COST))
    if strict.cohorts is not None:
        return float(strict.cohorts @ variables["cost_per_cohort"].to_numpy())
    _, fewest = _fewest_short(variables, cells, gaps, {})
    if fewest.shortfall is None:
        return None
    return relaxed_cost(_at_shortfall(variables, cells, gaps, {}, fewest))


def _solver_figures(model: Model, solution: Solution) -> dict[str, Any]:
    return {
        "variables": len(model.variables),
        "constraints": len(model.rows),
        "status": solution.message,
        "optimal": solution.optimal,
        "gap": round(solution.gap, 6),
        "gap_tolerance": solution.tolerance,
        "build_seconds": round(model.seconds, 3),
        "solve_seconds": round(solution.seconds, 3),
    }
