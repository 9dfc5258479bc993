"""Progress flows summed per programme attribute, and per target over the programmes it covers.

Progress rows carry only the programme; its region, cluster, level and the rest are looked up
by position (a numpy take), which is much cheaper than a merge on millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import ScopeKind

# The programme columns that place a programme in the scopes of targets, with its level.
_CELL_KEYS = ("region_code", "cluster_id", "level")

# The programme column that decides whether a programme counts towards a target of a scope.
SCOPE_KEY: dict[str, str | None] = {
    ScopeKind.NETWORK.value: None,
    ScopeKind.REGION.value: "region_code",
    ScopeKind.CLUSTER.value: "cluster_id",
}


def with_programme_columns(
    frames: Frames, table: pd.DataFrame, by: Sequence[str], columns: Sequence[str]
) -> pd.DataFrame:
    """``columns`` of a table keyed by ``programme_id`` (progress, or sums of it) with the
    ``by`` keys alongside.

    A key is a column of ``table`` (``programme_id``, ``year``, ``month``) or else a column of
    the programmes frame (``region_code``, ``level``, ``funding_source``, …), looked up for
    each row's programme.
    """
    programmes = frames.programmes
    position = np.zeros(len(table["programme_id"].cat.categories), dtype=np.int64)
    position[programmes["programme_id"].cat.codes.to_numpy()] = np.arange(len(programmes))
    rows = position[table["programme_id"].cat.codes.to_numpy()]
    data = {
        name: table[name].array if name in table else programmes[name].array.take(rows)
        for name in dict.fromkeys([*by, *columns])
    }
    return pd.DataFrame(data)


def progress_with(frames: Frames, by: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """Progress ``columns`` with the ``by`` keys alongside (see :func:`with_programme_columns`)."""
    return with_programme_columns(frames, frames.progress, by, columns)


def group_sums(data: pd.DataFrame, by: Sequence[str], measures: Sequence[str]) -> pd.DataFrame:
    """Sums of ``measures`` per ``by`` (one total row when ``by`` is empty).

    Blanks are skipped; a group whose values are all blank sums to NaN ("not reported"), not
    0. A missing key (e.g. no funding source recorded) forms a group of its own.
    """
    if not by:
        return data[list(measures)].sum(min_count=1).to_frame().T.astype("float64")
    grouped = data.groupby(list(by), observed=True, dropna=False)[list(measures)]
    return grouped.sum(min_count=1).reset_index()


def _blank_as_zero(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A progress measure as ``np.bincount`` weights (floats, a blank as 0), and which rows
    were blank."""
    values = column.to_numpy("float64")
    blank = np.isnan(values)
    return (np.where(blank, 0.0, values) if blank.any() else values), blank


def _binned_sums(
    progress: pd.DataFrame, bins: np.ndarray, size: int, measures: Sequence[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Rows per bin, and each measure summed per bin (NaN where every value was blank).

    ``np.bincount`` sums millions of rows into integer bins an order of magnitude faster
    than a groupby; the blanks per bin are counted from the (few) blank rows alone.
    """
    rows = np.bincount(bins, minlength=size)
    sums = {}
    for name in measures:
        weights, blank = _blank_as_zero(progress[name])
        total = np.bincount(bins, weights=weights, minlength=size)
        reported = rows - np.bincount(bins[blank], minlength=size)
        sums[name] = np.where(reported > 0, total, np.nan)
    return rows, sums


def programme_totals(frames: Frames, measures: Sequence[str]) -> pd.DataFrame:
    """The programmes frame with each progress measure summed over all its reported months.

    Every programme keeps its row; a measure it never reported is NaN.
    """
    progress = frames.progress
    codes = progress["programme_id"].cat.codes.to_numpy(np.int64)
    size = len(progress["programme_id"].cat.categories)
    _, sums = _binned_sums(progress, codes, size, measures)
    own = frames.programmes["programme_id"].cat.codes.to_numpy()
    return frames.programmes.assign(**{name: total[own] for name, total in sums.items()})


@dataclass(frozen=True)
class TargetFlows:
    """Each target's metric summed per month over the programmes it covers.

    A dense table, one row per target and one column per month from the first to the last
    month with progress (a month without progress holds 0), so that sums over a window and
    running totals are array arithmetic instead of groupbys and merges.
    """

    target_ids: pd.Index
    first_month: int
    values: np.ndarray

    @property
    def months(self) -> np.ndarray:
        """The month index of each column."""
        return self.first_month + np.arange(self.values.shape[1])

    def since(self, target_ids: pd.Series, start: pd.Series) -> np.ndarray:
        """The flows of ``target_ids`` (rows in that order), zero before each one's ``start``
        month (a missing start counts nothing)."""
        rows = self.target_ids.get_indexer(pd.Index(target_ids))
        if (rows < 0).any():
            raise KeyError("flows asked for a target they were not computed for")
        counted = self.months >= start.to_numpy("float64")[:, np.newaxis]
        return np.where(counted, self.values[rows], 0.0)

    def total_since(self, target_ids: pd.Series, start: pd.Series, end: np.ndarray) -> np.ndarray:
        """The flows of ``target_ids`` summed from each one's ``start`` through ``end`` month."""
        through_end = self.months <= np.asarray(end, dtype="float64")[:, np.newaxis]
        return np.where(through_end, self.since(target_ids, start), 0.0).sum(axis=1)


class Flows(Protocol):
    """Each target's metric summed over the programmes it covers, from a month on: what
    attainment and pace read (:class:`TargetFlows`, or the running totals of a selection).

    ``total_since(target_ids, start, end)`` sums each target's metric from its ``start`` month
    through its ``end`` month (one per row: a table of targets may be assessed at several
    months at once); a missing month, or a start after the end, counts nothing."""

    def total_since(
        self, target_ids: pd.Series, start: pd.Series, end: np.ndarray
    ) -> np.ndarray: ...


def _sum_rows(table: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """The rows of a 2-D ``table`` summed per group (``groups`` holds one of ``0 … size-1``
    per row)."""
    width = table.shape[1]
    cells = (groups[:, np.newaxis] * width + np.arange(width)).ravel()
    sums = np.bincount(cells, weights=table.ravel(), minlength=size * width)
    return sums.reshape(size, width)


def _programme_cells(frames: Frames) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The programmes' distinct combinations of region, cluster and level ("cells"): every
    scope of a target is a union of cells, so progress is binned once per cell and each scope
    rolls up from there.

    Returns the cell of each programme category code, with one more slot at the end for code
    -1 (a missing programme), and the ``region_code``, ``cluster_id`` and ``level`` codes of
    each cell (-1 where missing). Code -1 and a programme outside the frames fall into an
    extra last cell whose codes are all -1, which no target counts.
    """
    programmes = frames.programmes
    keys = {name: programmes[name].cat.codes.to_numpy(np.int64) for name in _CELL_KEYS}
    combined = np.zeros(len(programmes), dtype=np.int64)
    for name, codes in keys.items():
        combined = combined * (len(programmes[name].cat.categories) + 1) + codes + 1
    cells, distinct = pd.factorize(combined)
    cell_keys = {}
    for name, codes in keys.items():
        cell_keys[name] = np.full(len(distinct) + 1, -1, dtype=np.int64)
        cell_keys[name][cells] = codes
    categories = len(programmes["programme_id"].cat.categories)
    cell_of_programme = np.full(categories + 1, len(distinct), dtype=np.int64)
    cell_of_programme[programmes["programme_id"].cat.codes.to_numpy()] = cells
    return cell_of_programme, cell_keys


def _scope_groups(
    frames: Frames, scope: str, cell_keys: dict[str, np.ndarray], targets: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, int]:
    """For one scope kind: each cell's group and each target's group (a scope id × level),
    and the number of groups. A cell or target without a group gets the extra group
    ``size``, which nothing reads."""
    key = SCOPE_KEY[scope]
    levels = frames.programmes["level"].cat.categories
    cell_level = cell_keys["level"]
    target_level = levels.get_indexer(pd.Index(targets["level"].astype(object)))
    if key is None:
        cell_key = np.zeros_like(cell_level)
        target_key = np.zeros_like(target_level)
        keys = 1
    else:
        categories = frames.programmes[key].cat.categories
        cell_key = cell_keys[key]
        target_key = categories.get_indexer(pd.Index(targets["scope_id"].astype(object)))
        keys = len(categories)
    size = keys * len(levels)

    def group(key_codes: np.ndarray, level_codes: np.ndarray) -> np.ndarray:
        known = (key_codes >= 0) & (level_codes >= 0)
        return np.where(known, key_codes * len(levels) + level_codes, size)

    return group(cell_key, cell_level), group(target_key, target_level), size


def target_flows(frames: Frames, targets: pd.DataFrame) -> TargetFlows:
    """Per target (rows in the order of ``targets``) and month, the target's metric summed
    over the programmes it covers.

    A programme counts towards a target when it has the target's level and lies in the target's
    scope: any programme for the network, the region's programmes for a region, the cluster's
    for a cluster. Blank (not reported) values add nothing.
    """
    progress = frames.progress
    months = progress["month"].to_numpy()
    first = int(months.min()) if len(months) else 0
    span = int(months.max()) - first + 1 if len(months) else 0
    values = np.zeros((len(targets), span))
    if span and len(targets):
        # One pass over the big table into cells × months; each scope rolls up from there.
        cell_of_programme, cell_keys = _programme_cells(frames)
        cells = len(cell_keys["level"])
        # Bin of (cell, month) = cell × span + month - first; the per-programme part first.
        offsets = cell_of_programme * span - first
        bins = offsets[progress["programme_id"].cat.codes.to_numpy()] + months
        scopes = targets["scope"].astype(object).to_numpy()
        metrics = targets["metric"].astype(object).to_numpy()
        for metric in pd.unique(targets["metric"].dropna().astype(object)):
            weights, _ = _blank_as_zero(progress[str(metric)])
            per_cell = np.bincount(bins, weights=weights, minlength=cells * span)
            per_cell = per_cell.reshape(cells, span)
            for scope in pd.unique(targets["scope"].dropna().astype(object)):
                chosen = (scopes == scope) & (metrics == metric)
                if not chosen.any():
                    continue
                cell_group, target_group, size = _scope_groups(
                    frames, str(scope), cell_keys, targets[chosen]
                )
                rolled = _sum_rows(per_cell, cell_group, size + 1)
                rolled[size] = 0.0  # the extra group holds what no target counts
                values[chosen] = rolled[target_group]
    return TargetFlows(pd.Index(targets["target_id"]), first, values)


def divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator``, missing where the denominator is not positive.

    >>> divide(pd.Series([1.0, 1.0]), pd.Series([4.0, 0.0])).tolist()
    [0.25, nan]
    """
    return numerator / denominator.where(denominator > 0)
