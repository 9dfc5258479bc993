"""Contribution: which clusters or programmes carry an achievement, and which lag their capacity."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from skills_roadmap.analysis.flows import divide, group_sums, programme_totals
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.domain import Metric


def _columns(by: str) -> list[str]:
    return [
        by,
        "name",
        "achieved",
        "share",
        "cumulative_share",
        "carries",
        "enrolled",
        "capacity",
        "expected_enrolled",
        "capacity_use",
        "lag",
    ]


def elapsed_share(programmes: pd.DataFrame, as_of: int | None) -> pd.Series:
    """The part of each programme's run (start to end month, inclusive) passed by the as-of
    month, between 0 and 1."""
    if as_of is None:
        return pd.Series(0.0, index=programmes.index)
    months = programmes["end_month"] - programmes["start_month"] + 1
    return ((as_of - programmes["start_month"] + 1) / months).clip(0.0, 1.0)


def contribution(
    frames: Frames,
    by: Literal["programme_id", "cluster_id"] = "programme_id",
    *,
    metric: Metric | str = Metric.COMPLETED,
    pareto_share: float = 0.8,
) -> pd.DataFrame:
    """Each programme's (or cluster's) part in the achievement of the selection, largest first.

    Narrow ``frames`` to a region and level with
    :func:`~skills_roadmap.analysis.filters.apply_filters` to see who carries that region.

    Definitions (sums over every reported month through the as-of month):
        achieved: the ``metric`` summed over the group's programmes.
        share: achieved / the total achieved of all groups; cumulative_share runs down the
            table from the largest contributor.
        carries: the group belongs to the fewest largest contributors that together reach
            ``pareto_share`` of the total (the Pareto head).
        expected_enrolled: capacity × the elapsed share of each programme's run at the
            as-of month, summed.
        capacity_use: enrolled / expected_enrolled; the lowest values lag most against
            their own capacity. lag: expected_enrolled - enrolled.

    Returns:
        ``by, name, achieved, share, cumulative_share, carries, enrolled, capacity,
        expected_enrolled, capacity_use, lag``; every programme of the selection appears,
        reported or not.
    """
    metric_column = Metric(metric).value
    measures = list(dict.fromkeys([metric_column, "enrolled"]))
    # A programme that has not reported has achieved and enrolled nobody yet.
    totals = programme_totals(frames, measures).fillna({name: 0.0 for name in measures})
    totals = totals.assign(
        achieved=totals[metric_column],
        expected_enrolled=totals["capacity"] * elapsed_share(totals, frames.as_of),
    )
    sums = group_sums(totals, [by], ["achieved", "enrolled", "capacity", "expected_enrolled"])
    names = (frames.programmes if by == "programme_id" else frames.clusters)[[by, "name"]]
    table = sums.merge(names, on=by, how="left").sort_values(
        ["achieved", by], ascending=[False, True], kind="stable"
    )
    share = divide(table["achieved"], pd.Series(table["achieved"].sum(), index=table.index))
    cumulative = share.cumsum()
    return table.assign(
        share=share,
        cumulative_share=cumulative,
        carries=(table["achieved"] > 0) & (cumulative - share < pareto_share),
        capacity_use=divide(table["enrolled"], table["expected_enrolled"]),
        lag=table["expected_enrolled"] - table["enrolled"],
    )[_columns(by)].reset_index(drop=True)
