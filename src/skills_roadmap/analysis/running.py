"""Running totals per programme and month, computed once per snapshot, so that a selection's
sums over any window are two column reads instead of a pass over millions of progress rows.

The headline of a selection (cards, ``/api/v1/summary``) sums each target's metric over the
selected programmes it covers, from its baseline January (or the start of the run-rate
window) through the as-of month. With the totals held per programme as running sums over the
months, that is ``totals[:, as_of] - totals[:, start - 1]`` for the selected programmes,
summed per target with one ``np.bincount`` over the programmes (tens of thousands, not
millions of rows). The numbers are those of
:func:`~skills_roadmap.analysis.flows.target_flows` over the narrowed frames.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import SCOPE_KEY
from skills_roadmap.analysis.frames import Frames


@dataclass(frozen=True)
class RunningTotals:
    """One measure's running total per programme through each month: row ``m - first_month +
    1`` of ``totals`` (row 0: before the first month) holds one value per programme category
    code, plus one for an unknown programme. Months are rows so that reading one month is
    one contiguous read."""

    first_month: int
    totals: np.ndarray

    def through(self, month: float) -> np.ndarray:
        """Each programme's total through ``month`` (before the first month: 0)."""
        row = int(np.clip(month - self.first_month + 1, 0, self.totals.shape[0] - 1))
        return self.totals[row]


# Per frame (by identity, forgotten when the frame is): what was computed from it.
_cache: dict[int, dict[Hashable, Any]] = {}
_cache_lock = threading.Lock()
T = TypeVar("T")


def _forget(key: int) -> None:
    with _cache_lock:
        _cache.pop(key, None)


def _per_frame(frame: pd.DataFrame, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``frame`` object and ``key``, kept while that frame lives
    (frames are never changed in place: new data makes a new frame)."""
    with _cache_lock:
        known = _cache.get(id(frame))
        if known is not None and key in known:
            return cast(T, known[key])
    value = compute()
    with _cache_lock:
        if id(frame) not in _cache:
            _cache[id(frame)] = {}
            weakref.finalize(frame, _forget, id(frame))
        return cast(T, _cache[id(frame)].setdefault(key, value))


def per_snapshot(frames: Frames, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``frames.progress`` object and ``key`` (a snapshot's progress
    frame is never changed in place: a refresh makes a new one), kept while that frame lives.
    ``key`` must name everything else ``compute`` reads."""
    return _per_frame(frames.progress, key, compute)


def per_programmes(frames: Frames, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` of the programmes alone, once per ``frames.programmes`` object and
    ``key``: a refresh that merges uploaded progress in keeps the programmes frame, so what
    follows from the programmes alone is not computed again after every upload."""
    return _per_frame(frames.programmes, key, compute)


def scope_groups(
    frames: Frames, targets: pd.DataFrame, kind: str
) -> tuple[np.ndarray, np.ndarray, int]:
    """The groups a target of scope ``kind`` counts over: a scope id × a level.

    Returns each programme row's group (-1: no region, cluster or level; computed once per
    programmes frame), each target's group (-1: not of this kind, or an unknown place or level) and
    the number of groups.
    """
    programmes = frames.programmes
    programme_group, size = per_programmes(
        frames, ("programme groups", kind), lambda: _programme_groups(programmes, kind)
    )
    levels = programmes["level"].cat.categories
    target_levels = levels.get_indexer(pd.Index(targets["level"].astype(object)))
    key = SCOPE_KEY[kind]
    if key is None:
        target_keys = np.zeros(len(targets), dtype=np.int64)
    else:
        categories = programmes[key].cat.categories
        target_keys = categories.get_indexer(pd.Index(targets["scope_id"].astype(object)))
    mine = (targets["scope"].astype(str).to_numpy() == kind) & (target_keys >= 0)
    mine &= target_levels >= 0
    target_group = np.where(mine, target_keys * len(levels) + target_levels, -1)
    return programme_group, target_group, size


def _programme_groups(programmes: pd.DataFrame, kind: str) -> tuple[np.ndarray, int]:
    levels = len(programmes["level"].cat.categories)
    level_codes = programmes["level"].cat.codes.to_numpy(np.int64)
    key = SCOPE_KEY[kind]
    if key is None:
        key_codes, size = np.zeros_like(level_codes), levels
    else:
        key_codes = programmes[key].cat.codes.to_numpy(np.int64)
        size = len(programmes[key].cat.categories) * levels
    known = (key_codes >= 0) & (level_codes >= 0)
    return np.where(known, key_codes * levels + level_codes, -1), size


def running_totals(frames: Frames, measure: str) -> RunningTotals:
    """``measure``'s running totals over ``frames.progress`` (a blank adds nothing), computed
    once per progress frame and kept while the frame lives."""
    key = ("running totals", measure, id(frames.programmes))
    return per_snapshot(frames, key, lambda: _running_totals(frames, measure))


def _running_totals(frames: Frames, measure: str) -> RunningTotals:
    progress = frames.progress
    categories = frames.programmes["programme_id"].cat.categories
    months = progress["month"].to_numpy(np.int64)
    first = int(months.min()) if len(months) else 0
    width = (int(months.max()) - first + 2) if len(months) else 1
    rows = progress["programme_id"].cat.codes.to_numpy().astype(np.int64)
    if not progress["programme_id"].cat.categories.equals(categories):  # not as built
        codes = categories.get_indexer(progress["programme_id"].cat.categories)
        rows = codes[rows]
    rows[rows < 0] = len(categories)  # an unknown programme: the extra column
    values = progress[measure].to_numpy("float64")
    cells = (months - (first - 1)) * (len(categories) + 1) + rows
    flows = np.bincount(
        cells,
        weights=np.nan_to_num(values, nan=0.0),
        minlength=(len(categories) + 1) * width,
    ).reshape(width, len(categories) + 1)
    return RunningTotals(first, np.cumsum(flows, axis=0, out=flows))


class SelectionFlows:
    """What :class:`~skills_roadmap.analysis.flows.TargetFlows` answers, for the targets of a
    selection, from the running totals of all of ``frames``: each target's metric over the
    selected programmes it covers (same level, in its region or cluster), between any months.

    Each group's total through a month (one ``np.bincount`` over the selected programmes) is
    kept once computed, so flows cached with a snapshot answer a month asked again, or every
    month at once, by indexing."""

    def __init__(self, frames: Frames, selected: Frames, targets: pd.DataFrame) -> None:
        # Weakly: flows cached with a snapshot must not keep its frames (and so themselves)
        # alive after the snapshot is replaced.
        self._frames = weakref.ref(frames)
        programmes = frames.programmes
        codes = programmes["programme_id"].cat.codes.to_numpy()
        chosen = np.zeros(len(programmes["programme_id"].cat.categories) + 1, dtype=bool)
        chosen[selected.programmes["programme_id"].cat.codes.to_numpy()] = True
        self._ids = pd.Index(targets["target_id"])
        self._metric = targets["metric"].astype(str).to_numpy()
        self._kind = targets["scope"].astype(str).to_numpy()
        # Per target, its group (scope id × level) among its scope kind's groups; per kind,
        # the selected programmes counted (by category code) and the group of each.
        self._group = np.full(len(targets), -1, dtype=np.int64)
        self._members: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        for kind in map(str, np.unique(self._kind)):
            programme_group, target_group, size = scope_groups(frames, targets, kind)
            counted = (programme_group >= 0) & chosen[codes]
            self._members[kind] = (codes[counted], programme_group[counted], size)
            mine = target_group >= 0
            self._group[mine] = target_group[mine]
        self._through: dict[tuple[str, str, int], np.ndarray] = {}

    def _snapshot(self) -> Frames:
        frames = self._frames()
        if frames is None:
            raise RuntimeError("the flows outlived the frames they were computed from")
        return frames

    def _group_totals(self, metric: str, kind: str, months: np.ndarray) -> np.ndarray:
        """Each group's total of ``metric`` through each of ``months``: months × groups."""
        members, groups, size = self._members[kind]
        rows = []
        for month in map(int, months):
            key = (metric, kind, month)
            through = self._through.get(key)
            if through is None:
                totals = running_totals(self._snapshot(), metric).through(month)[members]
                through = self._through.setdefault(key, np.bincount(groups, totals, size))
            rows.append(through)
        return np.vstack(rows) if rows else np.zeros((0, size))

    def total_since(self, target_ids: pd.Series, start: pd.Series, end: np.ndarray) -> np.ndarray:
        """Each target's metric summed from its ``start`` through its ``end`` month (in the
        order of ``target_ids``; a missing month counts nothing)."""
        rows = self._ids.get_indexer(pd.Index(target_ids))
        if (rows < 0).any():
            raise KeyError("flows asked for a target they were not computed for")
        starts = start.to_numpy("float64")
        ends = np.broadcast_to(np.asarray(end, dtype="float64"), starts.shape)
        metrics, kinds, groups = self._metric[rows], self._kind[rows], self._group[rows]
        counted = ~np.isnan(starts) & ~np.isnan(ends) & (starts <= ends) & (groups >= 0)
        result = np.zeros(len(rows))
        for metric in map(str, np.unique(metrics[counted])):
            for kind in map(str, np.unique(kinds[counted & (metrics == metric)])):
                picked = np.flatnonzero(counted & (metrics == metric) & (kinds == kind))
                last, before = ends[picked], starts[picked] - 1
                months = np.unique(np.concatenate([last, before]))
                totals = self._group_totals(metric, kind, months)
                at_end = totals[np.searchsorted(months, last), groups[picked]]
                at_start = totals[np.searchsorted(months, before), groups[picked]]
                result[picked] = at_end - at_start
        return result


def measure_by(frames: Frames, selected: Frames, measure: str, by: str) -> pd.Series:
    """``measure`` summed per value of the programme column ``by`` over the selected
    programmes through the as-of month (groups without any programme left out); ``by`` is a
    categorical column (region, cluster, level, funding source, delivery mode)."""
    if selected.as_of is None:
        return pd.Series(dtype="float64")
    totals = running_totals(frames, measure).through(selected.as_of)
    programmes = selected.programmes
    column = programmes[by]  # categorical, as every programme key column: summed per code
    values = totals[programmes["programme_id"].cat.codes.to_numpy()]
    codes = column.cat.codes.to_numpy()
    size = len(column.cat.categories)
    known = codes >= 0
    sums = np.bincount(codes[known], weights=values[known], minlength=size)
    present = np.bincount(codes[known], minlength=size) > 0
    return pd.Series(sums[present], index=column.cat.categories[present], name=measure)
