"""Inclusion: the share of women among participants, against the roadmap's goal."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from skills_roadmap.analysis.flows import divide, group_sums, progress_with
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.thresholds import AnalysisSettings


def inclusion(
    frames: Frames, by: Sequence[str] = ("level",), settings: AnalysisSettings | None = None
) -> pd.DataFrame:
    """The share of women among enrolled participants per group, against the goal.

    Definitions (sums over every reported month through the as-of month):
        women_share: women / enrolled, both over the months that reported women (a blank
            women count is "not reported", so it neither adds women nor dilutes the share).
        reported_share: the part of all enrolments whose month reported women, i.e. how far
            the share can be trusted.
        goal_gap: women_share - ``settings.women_goal`` (negative: below the goal).

    Progress reports count women among those enrolled only; the share among completers needs
    a count the progress sheet does not hold.

    Args:
        frames: the (filtered) frames.
        by: programme columns and/or ``year`` / ``month``; empty for one total row.
        settings: gives the goal (default 50 %).

    Returns:
        ``by`` columns, then ``enrolled, women, enrolled_reporting_women, women_share,
        reported_share, goal, goal_gap, meets_goal``; one row per group that has progress.
    """
    goal = (settings or AnalysisSettings()).women_goal
    data = progress_with(frames, by, ["enrolled", "women"])
    data["enrolled_reporting_women"] = data["enrolled"].where(data["women"].notna())
    sums = group_sums(data, by, ["enrolled", "women", "enrolled_reporting_women"])
    share = divide(sums["women"], sums["enrolled_reporting_women"])
    return sums.assign(
        women_share=share,
        reported_share=divide(sums["enrolled_reporting_women"].fillna(0.0), sums["enrolled"]),
        goal=goal,
        goal_gap=share - goal,
        meets_goal=share >= goal,
    )
