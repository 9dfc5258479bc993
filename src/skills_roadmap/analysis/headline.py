"""The headline of a selection: whose targets head it and, per level, how far they are.

The dashboard's cards, the read API's ``/api/v1/summary``, ``skills-roadmap summary`` and the
reports' Summary table all show :func:`headline`; none of them chooses targets or sums them
itself. The rules are written down in ``docs/analysis.md`` ("The headline of a selection").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import (
    assessed_by_month,
    assessed_targets,
    group_sum,
    grouped_attainment,
    headline_targets,
)
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.parts import as_parts, covered_in_part, or_none
from skills_roadmap.analysis.periods import january, month_to_period
from skills_roadmap.analysis.running import SelectionFlows, measure_by, per_snapshot
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.analysis.trajectory import attainment_trend
from skills_roadmap.domain import ScopeKind

LEVELS = tuple(str(level) for level in LEVEL_DTYPE.categories)
# One row per selected level, in this order: what every place that shows the headline shows.
LEVEL_COLUMNS = [
    "level",
    "targets",
    "part",
    "metric",
    "deadline_year",
    "target",
    "achieved",
    "expected",
    "attainment",
    "expected_attainment",
    "points_behind",
    "ratio",
    "gap",
    "status",
    "forecast",
    "on_time",
    "run_rate",
    "required_run_rate",
    "completed",
]


@dataclass(frozen=True)
class Provisional:
    """The latest reported month, while it is not complete (see
    :mod:`~skills_roadmap.analysis.complete_months`): shown only when picked."""

    period: str
    reported: int
    due: int
    completeness: float
    complete_through: str | None = None
    """The latest complete (or closed) month, the one shown by default; the months after it
    up to ``period`` are provisional (``None``: no month is complete yet)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "completeness": self.completeness,
            "reported": self.reported,
            "due": self.due,
        }


def provisional_month(frames: Frames) -> Provisional | None:
    """The latest month of the unfiltered ``frames`` when it is provisional (later than the
    month shown by default), with how many programmes due then have reported it."""
    if frames.as_of is None or frames.default_as_of == frames.as_of:
        return None
    reported, due, share = frames.month_reports.at(frames.as_of)
    complete = None if frames.default_as_of is None else month_to_period(frames.default_as_of)
    return Provisional(month_to_period(frames.as_of), reported, due, share, complete)


@dataclass(frozen=True)
class Headline:
    """The headline of a selection.

    Attributes:
        as_of: the month shown (``YYYY-MM``), ``None`` before anything is reported.
        scope: whose targets head the selection: the network's, the regions' or the
            clusters'.
        scope_ids: the region codes or cluster ids of those places (empty for the network).
        levels: one row per selected level with :data:`LEVEL_COLUMNS`: the headline targets
            of the level summed (a level without one has no target and shows ``completed``).
            Where the selection is a **part** of the places' programmes (``part``: a funding
            source, a delivery mode, or a cluster inside a region), ``achieved`` is the
            part's contribution since the baseline (no baseline value) and ``attainment``
            its share of the target; the whole target's expected value, status and forecast
            are left out, since a part cannot tell them.
        targets: the headline targets themselves, one per place and level (with the columns
            of :func:`~skills_roadmap.analysis.attainment.assessed_targets` and ``part``);
            the trend chart traces them.
        provisional: the latest reported month when it is provisional (whichever month is
            shown).
    """

    as_of: str | None
    scope: ScopeKind
    scope_ids: tuple[str, ...]
    levels: pd.DataFrame
    targets: pd.DataFrame
    provisional: Provisional | None = None

    def to_dict(self) -> dict[str, Any]:
        """The headline as plain JSON values (``None`` for a missing number; ``provisional``
        only when there is a provisional month)."""
        provisional = (
            {} if self.provisional is None else {"provisional": self.provisional.to_dict()}
        )
        return {
            "as_of": self.as_of,
            **provisional,
            "scope": self.scope.value,
            "scope_ids": list(self.scope_ids),
            "levels": [
                {name: _plain(value) for name, value in row.items()}
                for row in self.levels.to_dict("records")
            ],
        }


def _plain(value: Any) -> Any:
    """A JSON value: numpy scalars as Python ones, NaN and NA as ``None``."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def headline_scope(selected: Frames, filters: Filters) -> ScopeKind:
    """Whose targets head a selection: the selected clusters' when they have any target at a
    selected level; else the regions' when a region or cluster is selected (the selected
    regions, or the selected clusters' home regions); else the network's."""
    scopes = set(selected.targets["scope"].astype(str))
    if filters.clusters and ScopeKind.CLUSTER.value in scopes:
        return ScopeKind.CLUSTER
    if filters.regions or filters.clusters:
        return ScopeKind.REGION
    return ScopeKind.NETWORK


def _scope_ids(selected: Frames, scope: ScopeKind) -> tuple[str, ...]:
    if scope is ScopeKind.CLUSTER:
        return tuple(selected.clusters["cluster_id"].astype(str))
    if scope is ScopeKind.REGION:
        return tuple(selected.regions["region_code"].astype(str))
    return ()


def _level_rows(
    targets: pd.DataFrame, levels: list[str], completed: pd.Series, settings: AnalysisSettings
) -> pd.DataFrame:
    """The headline targets summed per level of ``levels`` (in that order; see
    :func:`headline`), with :data:`LEVEL_COLUMNS`; ``targets`` carry ``part``, true for every
    target of a level where any is covered only in part; ``completed`` is per level.

    A handful of rows: plain numpy per column, not a groupby or a merge, since this runs on
    every request for the cards and ``/api/v1/summary``."""
    size = len(levels)
    codes = pd.Index(levels).get_indexer(pd.Index(targets["level"].astype(str)))
    sums = grouped_attainment(targets, codes, size, settings)
    count = np.bincount(codes, minlength=size)
    part = np.bincount(codes, weights=targets["part"].to_numpy(bool), minlength=size) > 0
    on_time = np.bincount(codes, weights=targets["on_time"].to_numpy(float), minlength=size)
    deadline = np.full(size, np.iinfo(np.int64).max)
    np.minimum.at(deadline, codes, targets["deadline_year"].to_numpy(np.int64))
    # Each level's first target (its metric, and its forecast when it is the only one).
    first = np.full(size, -1)
    found, at = np.unique(codes, return_index=True)
    first[found] = at
    has = first >= 0

    def first_of(column: str) -> np.ndarray:
        # Position -1 (a level without targets) reads the None appended.
        values = targets[column].to_numpy(object)
        return np.concatenate([values, np.array([None], dtype=object)])[first]

    several = (count > 1) & ~part
    forecast = np.where(
        several,
        [f"{int(k)} of {n}" for k, n in zip(on_time, count, strict=True)],
        first_of("forecast"),
    )
    target, achieved, expected = (sums[name] for name in ("target", "achieved", "expected"))
    status = np.asarray(sums["status"], dtype=object)
    rows = {
        "level": levels,
        "targets": count,
        "part": part,
        "metric": first_of("metric"),
        "deadline_year": pd.arrays.IntegerArray(np.where(has, deadline, 0), ~has),
        "target": target,
        "achieved": achieved,
        "expected": expected,
        "attainment": sums["attainment"],
        "expected_attainment": expected / target,
        "points_behind": (expected - achieved) / target * 100,
        "ratio": sums["ratio"],
        "gap": sums["gap"],
        "status": or_none(status, has & ~part & pd.notna(status)),
        "forecast": or_none(forecast, has),
        "on_time": on_time.astype(int),
        "run_rate": group_sum(targets["run_rate"], codes, size),
        "required_run_rate": group_sum(targets["required_run_rate"], codes, size),
        "completed": completed.reindex(levels).fillna(0.0).to_numpy("float64"),
    }
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def _every_programme(frames: Frames) -> SelectionFlows:
    """Flows of every target over every programme (once per snapshot; any month)."""
    key = ("every programme", id(frames.targets), id(frames.programmes))
    return per_snapshot(frames, key, lambda: SelectionFlows(frames, frames, frames.targets))


def _assessed_at(frames: Frames, as_of: int | None, settings: AnalysisSettings) -> pd.DataFrame:
    """Every target assessed whole at ``as_of``, with ``headline``."""
    table = assessed_targets(replace(frames, as_of=as_of), _every_programme(frames), settings)
    chosen = headline_targets(table, None if as_of is None else as_of // 12)
    return table.assign(headline=table["target_id"].isin(chosen["target_id"]))


def _assessed_earlier_months(frames: Frames, settings: AnalysisSettings) -> dict[int, pd.DataFrame]:
    """:func:`_assessed_at` at every month from the first with progress to the one before
    the as-of month, in one vectorised pass."""
    if frames.as_of is None or frames.progress.empty:
        return {}
    months = range(int(frames.progress["month"].min()), frames.as_of)
    table = assessed_by_month(frames, _every_programme(frames), months, settings)
    chosen = headline_targets(table, table["month"] // 12, by=["month"])
    table["headline"] = table.index.isin(chosen.index)
    size = len(frames.targets)  # each month's rows, the table being ordered by month
    return {
        month: table.iloc[at * size : (at + 1) * size].drop(columns="month").reset_index(drop=True)
        for at, month in enumerate(months)
    }


def whole_targets(frames: Frames, as_of: int | None, settings: AnalysisSettings) -> pd.DataFrame:
    """Every target of ``frames`` assessed as a whole at ``as_of`` (every programme it covers
    counted), with ``headline``: whether it is its place's headline target that month.

    Computed once per snapshot, settings and month. The month shown by default and the latest
    month, which pages ask for first after an upload, are assessed alone (tens of
    milliseconds at EU scale); the first request for another earlier month assesses all of
    them at once in one vectorised pass
    (about half a second), so that no earlier month a user picks is slow to show after it.
    A selection that covers a target whole shows exactly these numbers, so a request only
    picks rows (and recounts its parts).
    """
    snapshot = (id(frames.targets), id(frames.milestones), id(frames.programmes))
    settings_key = settings.model_dump_json()
    earlier = as_of is not None and frames.as_of is not None and as_of < frames.as_of
    if earlier and as_of != frames.default_as_of:
        every = per_snapshot(
            frames,
            ("whole targets of earlier months", *snapshot, settings_key),
            lambda: _assessed_earlier_months(frames, settings),
        )
        if as_of in every:
            return every[as_of]
    return per_snapshot(
        frames,
        ("whole targets", *snapshot, as_of, settings_key),
        lambda: _assessed_at(frames, as_of, settings),
    )


def selection_targets(
    frames: Frames, selected: Frames, own: pd.Series, settings: AnalysisSettings
) -> tuple[pd.DataFrame, pd.Series]:
    """The headline targets among ``own`` (target ids) at the ``selected`` frames' month,
    assessed whole (:func:`whole_targets`), and which of them the selection covers only in
    part: for those, ``achieved`` is recounted over the selected programmes (the baseline
    plus their progress since the baseline year; see
    :func:`~skills_roadmap.analysis.parts.as_parts` for what a part then shows)."""
    whole = whole_targets(frames, selected.as_of, settings)
    chosen = whole.loc[whole["target_id"].isin(own) & whole["headline"]].reset_index(drop=True)
    in_part = covered_in_part(frames, selected, chosen)
    if in_part.any():  # a part: its own progress since each target's baseline
        parts = chosen[in_part]
        flows = SelectionFlows(frames, selected, parts)
        through = np.full(len(parts), np.nan if selected.as_of is None else selected.as_of)
        counted = flows.total_since(parts["target_id"], january(parts["baseline_year"]), through)
        chosen.loc[in_part, "achieved"] = parts["baseline_value"].to_numpy() + counted
    return chosen, in_part


def headline(
    frames: Frames, filters: Filters | None = None, settings: AnalysisSettings | None = None
) -> Headline:
    """The headline of ``filters`` over the unfiltered ``frames``.

    Per selected level: the headline target of each place (see
    :func:`~skills_roadmap.analysis.attainment.headline_targets`) of the selection's scope
    (:func:`headline_scope`), summed (sum of achieved over sum of targets; see
    :func:`~skills_roadmap.analysis.attainment.summarise_attainment`), with the status and
    the forecast; ``forecast`` is the single target's forecast or "k of n" targets on time.

    Raises:
        NotFoundError: ``filters`` names a region, cluster or funding source that does not
            exist.
    """
    filters = filters or Filters()
    settings = settings or AnalysisSettings()
    # No pass over the progress rows: the running totals of all of them answer every sum.
    selected = apply_filters(frames, filters, progress=False)
    scope = headline_scope(selected, filters)
    own = selected.targets.loc[selected.targets["scope"] == scope.value, "target_id"]
    chosen, in_part = selection_targets(frames, selected, own, settings)
    # A level where any headline target is covered in part shows contributions throughout.
    level_codes = chosen["level"].cat.codes.to_numpy()
    in_part_level = np.bincount(level_codes, weights=in_part.to_numpy(bool)) > 0
    chosen = as_parts(chosen, pd.Series(in_part_level[level_codes], index=chosen.index))
    levels = [str(level) for level in filters.levels] or list(LEVELS)
    completed = measure_by(frames, selected, "completed", "level").rename(index=str)
    return Headline(
        as_of=selected.as_of_period,
        scope=scope,
        scope_ids=_scope_ids(selected, scope),
        levels=_level_rows(
            chosen, [level for level in LEVELS if level in levels], completed, settings
        ),
        targets=chosen,
        provisional=provisional_month(frames),
    )


def headline_trend(selected: Frames, targets: pd.DataFrame) -> pd.DataFrame:
    """:func:`~skills_roadmap.analysis.trajectory.attainment_trend` of the headline
    ``targets`` over the ``selected`` frames; for a target the selection covers only in part,
    its contribution alone (no baseline) and no trajectory, which belongs to the whole."""
    trend = attainment_trend(selected, targets["target_id"])
    parts = targets.loc[targets["part"], ["target_id", "baseline_value"]]
    if parts.empty:
        return trend
    baseline = trend["target_id"].map(parts.set_index("target_id")["baseline_value"])
    part = baseline.notna()
    return trend.assign(
        achieved=trend["achieved"] - baseline.fillna(0.0),
        expected=trend["expected"].where(~part),
    )
