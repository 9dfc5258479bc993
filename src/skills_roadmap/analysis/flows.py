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


def progress_with(frames: Frames, by: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """Progress ``columns`` with the ``by`` keys alongside.

    A key is a progress column (``programme_id``, ``year``, ``month``) or else a column of the
    programmes frame (``region_code``, ``level``, ``funding_source``, …), looked up for each
    row's programme.
    """
    progress, programmes = frames.progress, frames.programmes
    position = np.zeros(len(progress["programme_id"].cat.categories), dtype=np.int64)
    position[programmes["programme_id"].cat.codes.to_numpy()] = np.arange(len(programmes))
    rows = position[progress["programme_id"].cat.codes.to_numpy()]
    data = {
        name: progress[name].array if name in progress else programmes[name].array.take(rows)
        for name in dict.fromkeys([*by, *columns])
    }
    return pd.DataFrame(data)


def group_sums(data: pd.DataFrame, by: Sequence[str], measures: Sequence[str]) -> pd.DataFrame:
    """Sums of ``measures`` per ``by`` (one total row when ``by`` is empty).

    Blanks are skipped; a group whose values are all blank sums to NaN ("not reported"), not
    0. A missing key (e.g. no funding source recorded) forms a group of its own.
    """
    if not by:
        return data[list(measures)].sum(min_count=1).to_frame().T.astype("float64")
    grouped = data.groupby(list(by), observed=True, dropna=False)[list(measures)]
    return grouped.sum(min_count=1).reset_index()


def programme_totals(frames: Frames, measures: Sequence[str]) -> pd.DataFrame:
    """The programmes frame with each progress measure summed over all its reported months.

    Every programme keeps its row; a measure it never reported is NaN.
    """
    codes = frames.progress["programme_id"].cat.codes.to_numpy()
    size = len(frames.progress["programme_id"].cat.categories)
    own = frames.programmes["programme_id"].cat.codes.to_numpy()
    sums = {}
    for name in measures:
        values = frames.progress[name].to_numpy("float64")
        reported = ~np.isnan(values)
        total = np.bincount(codes, weights=np.where(reported, values, 0.0), minlength=size)
        count = np.bincount(codes, weights=reported, minlength=size)
        sums[name] = np.where(count > 0, total, np.nan)[own]
    return frames.programmes.assign(**sums)


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
    by = [*keys, "level", time]
    grouped = group_sums(progress_with(frames, by, metrics), by, metrics)
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
