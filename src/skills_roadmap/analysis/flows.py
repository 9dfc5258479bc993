"""Progress flows summed per programme attribute, and per target over the programmes it covers.

Progress rows carry only the programme; its region, cluster, level and the rest are looked up
by position (a numpy take), which is much cheaper than a merge on millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import ScopeKind

Time = Literal["year", "month"]

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


def _binned_sums(
    progress: pd.DataFrame, bins: np.ndarray, size: int, measures: Sequence[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Rows per bin, and each measure summed per bin (NaN where every value was blank).

    ``np.bincount`` sums millions of rows into integer bins an order of magnitude faster
    than a groupby.
    """
    rows = np.bincount(bins, minlength=size)
    sums = {}
    for name in measures:
        column = progress[name]
        if pd.api.types.is_integer_dtype(column):  # a required count: blank only without rows
            total = np.bincount(bins, weights=column.to_numpy("float64"), minlength=size)
            sums[name] = np.where(rows > 0, total, np.nan)
            continue
        values = column.to_numpy("float64")
        reported = ~np.isnan(values)
        total = np.bincount(bins, weights=np.where(reported, values, 0.0), minlength=size)
        count = np.bincount(bins, weights=reported, minlength=size)
        sums[name] = np.where(count > 0, total, np.nan)
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


def programme_year_sums(frames: Frames, measures: Sequence[str]) -> pd.DataFrame:
    """Progress measures summed per programme and year: ``programme_id``, ``year`` and the
    measures, one row per programme and year that has progress."""
    progress = frames.progress
    codes = progress["programme_id"].cat.codes.to_numpy(np.int64)
    years = progress["year"].to_numpy(np.int64)
    first = int(years.min()) if len(years) else 0
    span = int(years.max()) - first + 1 if len(years) else 1
    size = len(progress["programme_id"].cat.categories) * span
    rows, sums = _binned_sums(progress, codes * span + years - first, size, measures)
    present = np.flatnonzero(rows)
    return pd.DataFrame(
        {
            "programme_id": pd.Categorical.from_codes(
                present // span, categories=progress["programme_id"].cat.categories
            ),
            "year": (first + present % span).astype(np.int16),
            **{name: total[present] for name, total in sums.items()},
        }
    )


def target_flows(frames: Frames, targets: pd.DataFrame, time: Time) -> pd.DataFrame:
    """Per target and ``time`` bucket, the target's metric summed over the programmes it covers.

    A programme counts towards a target when it has the target's level and lies in the target's
    scope: any programme for the network, the region's programmes for a region, the cluster's
    for a cluster. Columns: ``target_id``, ``time``, ``flow``; buckets without progress are absent.
    """
    scopes = [str(scope) for scope in targets["scope"].unique()]
    keys = [key for scope, key in SCOPE_KEY.items() if scope in scopes and key is not None]
    metrics = [str(metric) for metric in targets["metric"].unique()]
    if not len(targets) or not len(frames.progress):
        return pd.DataFrame(
            {
                "target_id": pd.Series(dtype=str),
                time: pd.Series(dtype=np.int32),
                "flow": pd.Series(dtype="float64"),
            }
        )
    # One pass over the big table at the finest grain any scope needs; scopes roll up from it.
    # Progress is already one row per programme and month; years are summed per programme
    # first, so the grouping below runs on a table a dozen times smaller.
    table = programme_year_sums(frames, metrics) if time == "year" else frames.progress
    by = [*keys, "level", time]
    grouped = group_sums(with_programme_columns(frames, table, by, metrics), by, metrics)
    long = grouped.melt(
        id_vars=[*keys, "level", time], value_vars=metrics, var_name="metric", value_name="flow"
    )
    pieces = []
    for scope, scoped in targets.groupby("scope", observed=True):
        key = SCOPE_KEY[str(scope)]
        scope_keys = [key] if key else []
        rolled = (
            long.groupby([*scope_keys, "level", "metric", time], observed=True)["flow"]
            .sum()
            .reset_index()
            .rename(columns={key: "scope_id"} if key else {})
        )
        join = ["level", "metric"]
        if key:
            rolled["scope_id"] = rolled["scope_id"].astype(str)
            join.insert(0, "scope_id")
        wanted = scoped[["target_id", *join]].astype({"metric": str})
        pieces.append(wanted.merge(rolled, on=join)[["target_id", time, "flow"]])
    return pd.concat(pieces, ignore_index=True)


def divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator``, missing where the denominator is not positive.

    >>> divide(pd.Series([1.0, 1.0]), pd.Series([4.0, 0.0])).tolist()
    [0.25, nan]
    """
    return numerator / denominator.where(denominator > 0)
