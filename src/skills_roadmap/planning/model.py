"""The planner's mixed-integer programme: cohorts of each type, region and deadline, built as
sparse matrices and solved with SciPy's HiGHS."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

# A solve that runs longer stops with the best plan found so far (and says so).
TIME_LIMIT_SECONDS = 60.0
# HiGHS stops a large plan once it is proven within this share of the best possible. Proving the
# last fraction of a percent of an EU-scale plan takes HiGHS ten times as long (measured: 1.5 s
# to reach 0.24 %, 18 s to reach 0.01 %).
MIP_RELATIVE_GAP = 0.005
# A plan of at most this many integer variables (a region's plan has a few dozen) is solved to
# proven optimality: with the tolerance above HiGHS stopped the 16-variable plan of one EU-scale
# demo region at a plan 0.2 % dearer than the least, and a plan checked by hand must cost exactly
# the least possible.
EXACT_VARIABLES = 500
# In the most-people mode, money breaks ties between plans that train as many people: the
# cost term is scaled so that the whole budget weighs this many people, well under one.
_TIE_BREAK_PEOPLE = 1e-3


class PlanMode(StrEnum):
    """What the plan optimises."""

    LEAST_COST = "least-cost"  # close every gap, spending as little as possible
    MOST_PEOPLE = "most-people"  # train as many people as the budgets allow


class RowKind(StrEnum):
    """What a constraint of the model stands for."""

    GAP = "gap"  # a target's gap is closed (least cost)
    CAPACITY = "capacity"  # a region starts at most K cohorts of a level a month
    BUDGET = "budget"  # the budgets are not exceeded
    SHORTFALL = "shortfall"  # the gaps stay no more short than the fewest people possible


@dataclass(frozen=True)
class Model:
    """The programme: one variable per row of ``variables``, one constraint per row of
    ``rows`` (``lb <= matrix @ x <= ub``), minimising ``objective @ x``."""

    variables: pd.DataFrame
    rows: pd.DataFrame
    matrix: csr_matrix
    lb: np.ndarray
    ub: np.ndarray
    objective: np.ndarray
    upper: np.ndarray
    seconds: float


@dataclass(frozen=True)
class Solution:
    """Whole cohorts per variable (``None`` when the solver found no plan), the solver's
    status and message, whether HiGHS finished (the plan proven within ``gap`` of the best,
    at most ``tolerance``: see :func:`relative_gap`), and the solve time."""

    cohorts: np.ndarray | None
    status: int
    message: str
    optimal: bool
    seconds: float
    gap: float = 0.0
    shortfall: np.ndarray | None = None
    tolerance: float = 0.0


def relative_gap(variables: int) -> float:
    """The share of the best possible within which HiGHS may stop a plan of ``variables``
    cohort variables: 0 (proven optimal) up to :data:`EXACT_VARIABLES`, else
    :data:`MIP_RELATIVE_GAP`.

    >>> relative_gap(16), relative_gap(2866)
    (0.0, 0.005)
    """
    return 0.0 if variables <= EXACT_VARIABLES else MIP_RELATIVE_GAP


def cells_of_targets(targets: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The region x level cells each target covers (``target_id, region_code, level,
    deadline_month``): its own region for a region target, every planned region for a
    network target."""
    own = targets[targets["scope"] == "region"].assign(region_code=lambda t: t["scope_id"])
    network = targets[targets["scope"] == "network"].merge(
        pd.DataFrame({"region_code": regions}), how="cross"
    )
    columns = ["target_id", "region_code", "level", "deadline_month"]
    both = pd.concat([own[columns], network[columns]], ignore_index=True)
    return both.astype({"region_code": object, "level": object})


def variables_of(
    types: pd.DataFrame,
    cells: pd.DataFrame,
    capacity: pd.DataFrame,
    as_of: int,
) -> pd.DataFrame:
    """One variable per plannable type of a cell and deadline class.

    A cohort of deadline class ``class_month`` completes by that month, so it counts for every
    target of its cell whose deadline is no earlier; its ``window`` is the number of months it
    may start in (the month after ``as_of`` through ``class_month - lag``); a type that cannot
    complete by a class has no variable for it.
    """
    classes = cells[["region_code", "level", "deadline_month"]].drop_duplicates()
    classes = classes.rename(columns={"deadline_month": "class_month"})
    keyed = types.astype({"region_code": object, "level": object})
    per_class = keyed.merge(classes, on=["region_code", "level"])
    window = per_class["class_month"] - as_of - per_class["duration_months"] + 1
    per_class = per_class.assign(window=window.astype(np.int64))[window >= 1]
    per_class = per_class.merge(
        capacity.astype({"region_code": object, "level": object}), on=["region_code", "level"]
    )
    per_class = _undominated(per_class.reset_index(drop=True))
    cell = pd.MultiIndex.from_frame(per_class[["region_code", "level"]])
    return per_class.assign(cell=pd.factorize(cell)[0]).reset_index(drop=True)


def _undominated(per_class: pd.DataFrame) -> pd.DataFrame:
    """``per_class`` without the types another type of the same cell and deadline class beats:
    no dearer per cohort, no fewer completers, no fewer months to start in, and better in
    one. Swapping a cohort of the beaten type for one of the other keeps any plan within
    every constraint at no more cost and no fewer people, so the plan never needs it; and
    HiGHS's search is shorter without it."""
    keys = ["region_code", "level", "class_month"]
    figures = ["cost_per_cohort", "completers_per_cohort", "window"]
    numbered = per_class[keys + figures].assign(row=np.arange(len(per_class)))
    pairs = numbered.merge(numbered, on=keys, suffixes=("", "_other"))
    cost, other_cost = pairs["cost_per_cohort"], pairs["cost_per_cohort_other"]
    people, other_people = pairs["completers_per_cohort"], pairs["completers_per_cohort_other"]
    window, other_window = pairs["window"], pairs["window_other"]
    no_worse = (other_cost <= cost) & (other_people >= people) & (other_window >= window)
    better = (other_cost < cost) | (other_people > people) | (other_window > window)
    beaten = np.zeros(len(per_class), dtype=bool)
    beaten[pairs.loc[no_worse & better, "row"].to_numpy()] = True
    return per_class[~beaten].reset_index(drop=True)


def _gap_rows(variables: pd.DataFrame, cells: pd.DataFrame, gaps: pd.DataFrame) -> tuple:
    """Per target with a gap: completers of the cohorts counting for it >= the gap."""
    wanted = cells.merge(gaps[["target_id", "gap"]], on="target_id")
    numbered = variables.assign(variable=np.arange(len(variables)))
    pairs = wanted.merge(numbered, on=["region_code", "level"])
    pairs = pairs[pairs["class_month"] <= pairs["deadline_month"]]
    row_of = {target: row for row, target in enumerate(gaps["target_id"])}
    rows = pairs["target_id"].map(row_of).to_numpy(np.int64)
    return (
        rows,
        pairs["variable"].to_numpy(np.int64),
        pairs["completers_per_cohort"].to_numpy("float64"),
        gaps["gap"].to_numpy("float64"),
    )


def _capacity_rows(variables: pd.DataFrame) -> tuple:
    """Per cell and window w: the cohorts that must start within w months fit in K x w."""
    numbered = variables.assign(variable=np.arange(len(variables)))
    limits = numbered[["cell", "window", "cohorts_per_month"]].drop_duplicates(["cell", "window"])
    limits = limits.reset_index(drop=True).assign(row=lambda t: np.arange(len(t)))
    pairs = limits.merge(numbered[["cell", "window", "variable"]], on="cell", suffixes=("", "_v"))
    pairs = pairs[pairs["window_v"] <= pairs["window"]]
    bound = (limits["cohorts_per_month"] * limits["window"]).to_numpy("float64")
    return (
        pairs["row"].to_numpy(np.int64),
        pairs["variable"].to_numpy(np.int64),
        np.ones(len(pairs)),
        bound,
        limits[["cell", "window"]],
    )


def build_model(
    variables: pd.DataFrame,
    cells: pd.DataFrame,
    gaps: pd.DataFrame,
    budgets: dict[str, float],
    mode: PlanMode,
    *,
    elastic: bool = False,
    shortfall_cap: float | None = None,
) -> Model:
    """The constraint matrix, bounds and objective of a plan over ``variables``.

    Least cost: minimise the cohorts' cost with every gap (``gaps``: ``target_id, gap``)
    closed. Most people: maximise the completers (money breaks ties). Both keep each funding
    source within its budget and each region within its pace of new cohorts (see
    :func:`_capacity_rows`).

    ``elastic`` adds one continuous variable per gap, the people it stays short, so that a
    plan always exists: without ``shortfall_cap`` the model minimises their sum (the most
    people the gaps can get); with it, the cost, their sum kept within the cap.
    """
    started = time.perf_counter()
    blocks, kinds, lbs, ubs, keys = [], [], [], [], []
    size = len(variables)
    short = len(gaps) if elastic else 0
    width = size + short
    if mode is PlanMode.LEAST_COST and len(gaps):
        rows, cols, values, gap = _gap_rows(variables, cells, gaps)
        if short:  # the shortfall of row i is variable size + i
            rows = np.concatenate([rows, np.arange(short)])
            cols = np.concatenate([cols, size + np.arange(short)])
            values = np.concatenate([values, np.ones(short)])
        blocks.append(coo_matrix((values, (rows, cols)), shape=(len(gap), width)))
        kinds.append(np.full(len(gap), RowKind.GAP.value))
        lbs.append(gap)
        ubs.append(np.full(len(gap), np.inf))
        keys.append(gaps["target_id"].astype(str).to_numpy())
    rows, cols, values, bound, limits = _capacity_rows(variables)
    blocks.append(coo_matrix((values, (rows, cols)), shape=(len(bound), width)))
    kinds.append(np.full(len(bound), RowKind.CAPACITY.value))
    lbs.append(np.full(len(bound), -np.inf))
    ubs.append(bound)
    keys.append((limits["cell"].astype(str) + "/" + limits["window"].astype(str)).to_numpy())
    if budgets:
        # One row for all the budgets: any source may pay for any cohort, and a cohort that
        # no single remainder covers is co-financed, so only their total binds the plan
        # (which source pays what is laid out afterwards). A row per source would make every
        # cohort a choice among identical columns, and HiGHS's search many times longer.
        cost = variables["cost_per_cohort"].to_numpy("float64")
        blocks.append(coo_matrix((cost, (np.zeros(size), np.arange(size))), shape=(1, width)))
        kinds.append(np.array([RowKind.BUDGET.value]))
        lbs.append(np.array([-np.inf]))
        ubs.append(np.array([sum(budgets.values())], dtype="float64"))
        keys.append(np.array(["budgets"], dtype=object))
    if short and shortfall_cap is not None:
        cols = size + np.arange(short)
        blocks.append(coo_matrix((np.ones(short), (np.zeros(short), cols)), shape=(1, width)))
        kinds.append(np.array([RowKind.SHORTFALL.value]))
        lbs.append(np.array([-np.inf]))
        ubs.append(np.array([shortfall_cap]))
        keys.append(np.array(["shortfall"], dtype=object))
    cost = variables["cost_per_cohort"].to_numpy("float64")
    if short and shortfall_cap is None:
        # Money breaks ties between plans leaving as few people short (as in most people).
        money = max(float(cost @ upper_bounds(variables)), 1.0)
        objective = np.concatenate([cost * (_TIE_BREAK_PEOPLE / money), np.ones(short)])
    elif mode is PlanMode.LEAST_COST:
        objective = np.concatenate([cost, np.zeros(short)])
    else:
        money = max(sum(budgets.values()), 1.0)
        objective = -variables["completers_per_cohort"].to_numpy("float64")
        objective = objective + cost * (_TIE_BREAK_PEOPLE / money)
    upper = upper_bounds(variables)
    return Model(
        variables=variables,
        rows=pd.DataFrame({"kind": np.concatenate(kinds), "key": np.concatenate(keys)}),
        matrix=vstack(blocks).tocsr(),
        lb=np.concatenate(lbs),
        ub=np.concatenate(ubs),
        objective=objective,
        upper=np.concatenate([upper, np.full(short, np.inf)]),
        seconds=time.perf_counter() - started,
    )


def upper_bounds(variables: pd.DataFrame) -> np.ndarray:
    """The most cohorts of each variable: its region's pace times the months it may start in."""
    return (variables["cohorts_per_month"] * variables["window"]).to_numpy("float64")


def solve(model: Model, time_limit: float = TIME_LIMIT_SECONDS) -> Solution:
    """Whole cohorts per variable from HiGHS's branch and bound (``scipy.optimize.milp``);
    an elastic model's shortfalls (continuous) follow the cohorts."""
    started = time.perf_counter()
    size = len(model.variables)
    tolerance = relative_gap(size)
    if not len(model.objective):
        return Solution(np.zeros(0, dtype=np.int64), 0, "nothing to plan", True, 0.0)
    integrality = np.zeros(len(model.objective))
    integrality[:size] = 1
    result = milp(
        model.objective,
        integrality=integrality,
        bounds=Bounds(0, model.upper),
        constraints=LinearConstraint(model.matrix, model.lb, model.ub),
        options={"time_limit": time_limit, "mip_rel_gap": tolerance},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        return Solution(None, result.status, result.message, False, seconds, tolerance=tolerance)
    cohorts = np.rint(result.x[:size]).astype(np.int64)
    gap = float(result.mip_gap) if result.mip_gap is not None else 0.0
    shortfall = result.x[size:] if len(result.x) > size else None
    return Solution(
        cohorts,
        result.status,
        result.message,
        result.status == 0,
        seconds,
        gap,
        shortfall,
        tolerance,
    )


def _relaxation(model: Model) -> Any:
    """The linear relaxation of ``model`` solved by HiGHS (``scipy.optimize.linprog``), with
    its >= rows written as negated <= rows after the <= rows."""
    upper = np.isfinite(model.ub)
    lower = np.isfinite(model.lb)
    matrix = vstack([model.matrix[upper], -model.matrix[lower]]).tocsr()
    bounds_ub = np.concatenate([model.ub[upper], -model.lb[lower]])
    return linprog(
        model.objective,
        A_ub=matrix,
        b_ub=bounds_ub,
        bounds=np.column_stack([np.zeros(len(model.upper)), model.upper]),
        method="highs",
    )


def relaxed_cost(model: Model) -> float | None:
    """The least objective of the linear relaxation: a bound no plan of ``model`` beats."""
    result = _relaxation(model)
    return float(result.fun) if result.status == 0 else None


def relaxed_duals(model: Model) -> pd.Series | None:
    """Per gap row (by target id): what one more completer for that target would cost, from
    the duals of the linear relaxation (HiGHS through ``scipy.optimize.linprog``); ``None``
    when the relaxation cannot be solved."""
    gap = (model.rows["kind"] == RowKind.GAP.value).to_numpy()
    if not gap.any():
        return pd.Series(dtype="float64")
    result = _relaxation(model)
    if result.status != 0:
        return None
    # The >= rows come after the <= rows, negated: their marginal is minus the dual.
    upper = np.isfinite(model.ub)
    lower = np.isfinite(model.lb)
    marginals = result.ineqlin.marginals[int(upper.sum()) :]
    lower_rows = model.rows[lower]
    duals = pd.Series(-marginals, index=lower_rows["key"].to_numpy())
    return duals[(lower_rows["kind"] == RowKind.GAP.value).to_numpy()]
