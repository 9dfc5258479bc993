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

import copy
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from skills_roadmap.analysis.flows import scope_groups
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


# Per progress frame (by identity, forgotten when the frame is): what was computed from it.
_cache: dict[int, dict[Hashable, Any]] = {}
_cache_lock = threading.Lock()
T = TypeVar("T")


def _forget(key: int) -> None:
    with _cache_lock:
        _cache.pop(key, None)


def per_snapshot(frames: Frames, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``frames.progress`` object and ``key`` (a snapshot's progress
    frame is never changed in place: a refresh makes a new one), kept while that frame lives.
    ``key`` must name everything else ``compute`` reads."""
    progress = frames.progress
    with _cache_lock:
        known = _cache.get(id(progress))
        if known is not None and key in known:
            return cast(T, known[key])
    value = compute()
    with _cache_lock:
        if id(progress) not in _cache:
            _cache[id(progress)] = {}
            weakref.finalize(progress, _forget, id(progress))
        return cast(T, _cache[id(progress)].setdefault(key, value))


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
    codes = categories.get_indexer(progress["programme_id"].cat.categories)
    rows = codes[progress["programme_id"].cat.codes.to_numpy()]
    rows = np.where(rows < 0, len(categories), rows)  # an unknown programme: the extra row
    values = progress[measure].to_numpy("float64")
    cells = (months - first + 1) * (len(categories) + 1) + rows
    flows = np.bincount(
        cells,
        weights=np.where(np.isnan(values), 0.0, values),
        minlength=(len(categories) + 1) * width,
    ).reshape(width, len(categories) + 1)
    return RunningTotals(first, np.cumsum(flows, axis=0))


class SelectionFlows:
    """What :class:`~skills_roadmap.analysis.flows.TargetFlows` answers, for the targets of a
    selection, from the running totals of all of ``frames``: each target's metric over the
    selected programmes it covers (same level, in its region or cluster)."""

    def __init__(self, frames: Frames, selected: Frames, targets: pd.DataFrame) -> None:
        # Weakly: flows cached with a snapshot must not keep its frames (and so themselves)
        # alive after the snapshot is replaced.
        self._frames = weakref.ref(frames)
        self._as_of = selected.as_of
        programmes = frames.programmes
        codes = programmes["programme_id"].cat.codes.to_numpy()
        chosen = np.zeros(len(programmes["programme_id"].cat.categories) + 1, dtype=bool)
        chosen[selected.programmes["programme_id"].cat.codes.to_numpy()] = True
        self._ids = pd.Index(targets["target_id"])
        self._metric = targets["metric"].astype(str).to_numpy()
        self._kind = targets["scope"].astype(str).to_numpy()
        # Per target, its group (scope id × level) among its scope kind's groups; per kind,
        # the group of each selected programme (by category code; -1: not counted).
        self._group = np.full(len(targets), -1, dtype=np.int64)
        self._groups: dict[str, tuple[np.ndarray, int]] = {}
        for kind in map(str, np.unique(self._kind)):
            programme_group, target_group, size = scope_groups(programmes, targets, kind)
            counted = (programme_group >= 0) & chosen[codes]
            group = np.full(len(chosen), -1, dtype=np.int64)
            group[codes[counted]] = programme_group[counted]
            self._groups[kind] = (group, size)
            mine = target_group >= 0
            self._group[mine] = target_group[mine]

    def _snapshot(self) -> Frames:
        frames = self._frames()
        if frames is None:
            raise RuntimeError("the flows outlived the frames they were computed from")
        return frames

    def at(self, as_of: int | None) -> SelectionFlows:
        """The same flows read through another as-of month (the groups do not depend on it)."""
        moved = copy.copy(self)
        moved._as_of = as_of
        return moved

    def total_since(self, target_ids: pd.Series, start: pd.Series) -> np.ndarray:
        """Each target's metric summed from its ``start`` month through the as-of month (in the
        order of ``target_ids``; a missing start counts nothing)."""
        rows = self._ids.get_indexer(pd.Index(target_ids))
        if (rows < 0).any():
            raise KeyError("flows asked for a target they were not computed for")
        starts = start.to_numpy("float64")
        result = np.zeros(len(rows))
        if self._as_of is None:
            return result
        metrics, kinds, groups = self._metric[rows], self._kind[rows], self._group[rows]
        counted_once = ~np.isnan(starts) & (starts <= self._as_of) & (groups >= 0)
        for metric in map(str, np.unique(metrics)):
            totals = running_totals(self._snapshot(), metric)
            for kind, (group, size) in self._groups.items():
                picked = counted_once & (metrics == metric) & (kinds == kind)
                if not picked.any():
                    continue
                member = np.flatnonzero(group >= 0)
                member_groups = group[member]
                end = np.bincount(member_groups, totals.through(self._as_of)[member], size)
                for first in np.unique(starts[picked]):
                    before = totals.through(first - 1)[member]
                    sums = end - np.bincount(member_groups, before, size)
                    now = picked & (starts == first)
                    result[now] = sums[groups[now]]
        return result


def measure_by(frames: Frames, selected: Frames, measure: str, by: str) -> pd.Series:
    """``measure`` summed per value of the programme column ``by`` over the selected
    programmes through the as-of month (groups without any programme left out)."""
    if selected.as_of is None:
        return pd.Series(dtype="float64")
    totals = running_totals(frames, measure).through(selected.as_of)
    codes = selected.programmes["programme_id"].cat.codes.to_numpy()
    values = pd.Series(totals[codes], index=selected.programmes.index)
    return values.groupby(selected.programmes[by], observed=True).sum()
