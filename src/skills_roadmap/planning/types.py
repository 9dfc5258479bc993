"""Programme types learnt from the network's history: what a new cohort of each type costs,
yields and takes, and how many cohorts a region can start in a month."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import programme_totals
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.loader import progress_keys
from skills_roadmap.analysis.running import per_snapshot

# A programme type: what the history is grouped by, and what a planned cohort is.
TYPE_KEYS = ["level", "delivery_mode", "provider_helix"]
# A region's own figures are used once it has this many programmes of the type with
# completions; below that its figures would be one or two programmes' luck.
MIN_REGION_PROGRAMMES = 3
TYPE_COLUMNS = [
    "region_code",
    *TYPE_KEYS,
    "basis",
    "programmes",
    "cost_per_completer",
    "completion_rate",
    "places",
    "lag_months",
    "duration_months",
    "completers_per_cohort",
    "cost_per_cohort",
]


def half_completion_months(frames: Frames) -> pd.Series:
    """Per programme id: the months from its start to the month its reported completions
    reached half their total (missing for a programme without completions).

    >>> import pandas as pd
    >>> from skills_roadmap.analysis.frames import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["C"], "region_code": ["ES24"]}),
    ...     programmes=pd.DataFrame({"programme_id": ["P"], "cluster_id": ["C"],
    ...         "region_code": ["ES24"], "level": ["basic"], "start": ["2025-01-01"],
    ...         "end": ["2025-12-31"]}),
    ...     progress=pd.DataFrame({"programme_id": ["P"] * 3,
    ...         "period": ["2025-02", "2025-04", "2025-06"], "enrolled": [10, 0, 0],
    ...         "completed": [1, 4, 5]}))
    >>> half_completion_months(frames).to_dict()
    {'P': 3.0}
    """
    progress = frames.progress
    keys = progress_keys(progress)
    order = None if (keys[1:] > keys[:-1]).all() else np.argsort(keys, kind="stable")
    codes = progress["programme_id"].cat.codes.to_numpy(np.int64)
    months = progress["month"].to_numpy(np.int64)
    completed = np.nan_to_num(progress["completed"].to_numpy("float64"))
    if order is not None:  # loaded frames come in this order already
        codes, months, completed = codes[order], months[order], completed[order]
    size = len(progress["programme_id"].cat.categories)
    total = np.bincount(codes, weights=completed, minlength=size)
    running = np.cumsum(completed)
    first_row = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.zeros(0, dtype=bool)
    before = np.zeros(size)  # the running sum before each programme's first row
    before[codes[first_row]] = (running - completed)[first_row]
    # Completions are never negative, so once half is reached it stays reached.
    reached = ((running - before[codes]) * 2 >= total[codes]) & (total[codes] > 0)
    newly = reached & (first_row | ~np.r_[False, reached[:-1]])
    programmes = frames.programmes
    start = np.full(size, np.nan)
    start[programmes["programme_id"].cat.codes.to_numpy()] = programmes["start_month"]
    lag = np.clip(months[newly] - start[codes[newly]], 0, None)
    categories = progress["programme_id"].cat.categories
    return pd.Series(lag.astype("float64"), index=categories[codes[newly]])


def _learn_types(frames: Frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures of every type network-wide, and per region (see :func:`programme_types`).

    Computed once per snapshot (they read every progress row, whatever is planned)."""
    learnt = _learnt(frames)
    return _statistics(learnt, TYPE_KEYS), _statistics(learnt, ["region_code", *TYPE_KEYS])


def _learnt(frames: Frames) -> pd.DataFrame:
    totals = programme_totals(frames, ["enrolled", "completed", "spend_eur"])
    lags = half_completion_months(frames)
    spent = totals["spend_eur"].where(totals["spend_eur"] > 0)
    learnt = totals.assign(
        cost=spent.fillna(totals["budget_eur"]),
        lag=lags.reindex(totals["programme_id"].astype(str)).to_numpy(),
    )
    return learnt[learnt["completed"] > 0]


def _statistics(learnt: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Per group of ``keys``: the type's figures (see :func:`programme_types`)."""
    costed = learnt["cost"].notna()
    grouped = learnt.assign(
        cost=learnt["cost"].where(costed, 0.0),
        costed_completed=learnt["completed"].where(costed, 0.0),
        places=learnt["capacity"].fillna(learnt["enrolled"]),
    ).groupby(list(keys), observed=True)
    table = grouped.agg(
        programmes=("programme_id", "size"),
        cost=("cost", "sum"),
        costed_completed=("costed_completed", "sum"),
        completed=("completed", "sum"),
        enrolled=("enrolled", "sum"),
        places=("places", "median"),
        lag=("lag", "median"),
    ).reset_index()
    rate = (table["completed"] / table["enrolled"].where(table["enrolled"] > 0)).clip(upper=1)
    per_completer = table["cost"] / table["costed_completed"].where(table["costed_completed"] > 0)
    lag = np.ceil(table["lag"])
    places = np.ceil(table["places"])  # a cohort has whole places: the median of 125 and 140 is 133
    return table[list(keys)].assign(
        programmes=table["programmes"].astype(np.int64),
        cost_per_completer=per_completer,
        completion_rate=rate,
        places=places,
        lag_months=lag,
        duration_months=lag + 1,
        completers_per_cohort=places * rate,
        cost_per_cohort=per_completer * places * rate,
    )


def programme_types(frames: Frames, regions: Sequence[str], levels: Sequence[str]) -> pd.DataFrame:
    """Every plannable programme type of ``levels`` in each of ``regions``, with its figures.

    A type is level x delivery mode x provider helix. Its figures come from the programmes
    with reported completions: the region's own programmes of the type when it has at least
    :data:`MIN_REGION_PROGRAMMES` of them (``basis`` "region"), else the whole network's
    (``basis`` "network"). Definitions:

        cost_per_completer: the programmes' cost (spend when reported, else budget) over their
            completions.
        completion_rate: completions over enrolments (at most 1).
        places: the median capacity (enrolments where none is recorded), rounded up.
        lag_months: the median months from a programme's start to the month its completions
            reached half their total, rounded up; a cohort's completers count at its start
            plus this lag, and ``duration_months`` (lag + 1) counts the start month too.
        completers_per_cohort: places x completion rate.
        cost_per_cohort: cost per completer x places x completion rate.

    A type without completions, enrolments or cost is not plannable and has no row.

    Returns:
        Columns :data:`TYPE_COLUMNS`, ordered by region, level and type.
    """
    network, own = per_snapshot(frames, "planning.types", lambda: _learn_types(frames))
    network = network[network["level"].isin(list(levels))]
    own = own[own["region_code"].isin(list(regions)) & (own["programmes"] >= MIN_REGION_PROGRAMMES)]
    places = pd.DataFrame({"region_code": pd.Series(list(regions), dtype=object)})
    everywhere = places.merge(network.astype({key: object for key in TYPE_KEYS}), how="cross")
    own = own.astype({"region_code": object, **{key: object for key in TYPE_KEYS}})
    keys = ["region_code", *TYPE_KEYS]
    combined = pd.concat(
        [own.assign(basis="region"), everywhere.assign(basis="network")], ignore_index=True
    ).drop_duplicates(keys)
    plannable = (
        (combined["completers_per_cohort"] > 0)
        & np.isfinite(combined["cost_per_cohort"])
        & (combined["cost_per_cohort"] > 0)
    )
    return combined[plannable][TYPE_COLUMNS].sort_values(keys, kind="stable").reset_index(drop=True)


def what_if(types: pd.DataFrame, cost_factor: float, completion_factor: float) -> pd.DataFrame:
    """``types`` (see :func:`programme_types`) as a coordinator's what-if would have them: each
    cohort costing ``cost_factor`` times its history, and completing ``completion_factor``
    times its completion rate (at most 1).

    A cohort's places are what is paid for, so a lower completion rate makes each completer
    dearer and a higher one cheaper; the factors apply to new cohorts only, never to the
    forecast of what the running programmes bring.

    >>> types = pd.DataFrame({"places": [20.0], "completion_rate": [0.5],
    ...     "completers_per_cohort": [10.0], "cost_per_cohort": [1000.0],
    ...     "cost_per_completer": [100.0]})
    >>> what_if(types, 1.5, 0.8).iloc[0].round(3).tolist()
    [20.0, 0.4, 8.0, 1500.0, 187.5]
    """
    if cost_factor == 1 and completion_factor == 1:
        return types
    rate = (types["completion_rate"] * completion_factor).clip(upper=1)
    completers = types["places"] * rate
    cost = types["cost_per_cohort"] * cost_factor
    return types.assign(
        completion_rate=rate,
        completers_per_cohort=completers,
        cost_per_cohort=cost,
        cost_per_completer=cost / completers,
    )


def monthly_capacity(frames: Frames) -> pd.DataFrame:
    """Per region and level: the most programmes of the level the region ever started in one
    month (``cohorts_per_month``), at least 1 for every region and level.

    How many new cohorts a region can start at once is bounded by what its providers have
    shown they can run; the planner never asks more of them in any month.
    """
    programmes = frames.programmes
    started = (
        programmes.groupby(["region_code", "level", "start_month"], observed=True)
        .size()
        .rename("started")
        .reset_index()
        .astype({"region_code": object, "level": object})
        .groupby(["region_code", "level"])["started"]
        .max()
    )
    grid = pd.MultiIndex.from_product(
        [
            frames.regions["region_code"].astype(str).tolist(),
            [str(level) for level in LEVEL_DTYPE.categories],
        ],
        names=["region_code", "level"],
    )
    most = started.reindex(grid).fillna(0).clip(lower=1).astype(np.int64)
    return most.rename("cohorts_per_month").reset_index()
