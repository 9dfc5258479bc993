"""The league table of regions: attainment and status per level."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent
from dashboard.figures.base import LEVELS, Chart, focus_level, level_label
from skills_roadmap.analysis.status import Status
from skills_roadmap.status_words import status_words

__all__ = ["league_chart"]


def league_chart(table: pd.DataFrame) -> Chart:
    """The league table of regions: attainment and status per level (no figure: it is a grid).

    The rows come problem first (see :func:`problems_first`), so the regions that need
    attention open the table. The finding names the region furthest ahead and the one
    furthest behind at the widest level shown.
    """
    rows = table[table["scope"] == "region"]
    if rows.empty:
        return Chart(strings.EMPTY_REGIONS, None, pd.DataFrame())
    levels = [level for level in LEVELS if level in set(rows["level"].astype(str))]
    wide = problems_first(rows, focus_level(levels))
    columns = ["name"]
    for level in levels:
        part = rows[rows["level"].astype(str) == level].set_index("scope_id")
        wide[f"{level}_attainment"] = wide["scope_id"].map(part["attainment"].map(as_percent))
        wide[f"{level}_status"] = wide["scope_id"].map(
            part["status"].astype(object).map(status_words)
        )
        columns += [f"{level}_attainment", f"{level}_status"]
    columns.append("scope_id")
    labels = {"name": strings.COLUMNS["name"], "scope_id": strings.COLUMNS["scope_id"]}
    for level in levels:
        labels[f"{level}_attainment"] = strings.LEAGUE_ATTAINMENT.format(level=level_label(level))
        labels[f"{level}_status"] = strings.LEAGUE_STATUS.format(level=level_label(level))
    out = wide[columns].rename(columns=labels)
    return Chart(_league_title(wide, levels), None, out)


STATUS_RANK = {Status.OFF_TRACK.value: 0, Status.AT_RISK.value: 1, Status.ON_TRACK.value: 2}
"""The order of statuses when the problems come first; a region without one comes last."""


def problems_first(rows: pd.DataFrame, level: str | None) -> pd.DataFrame:
    """The regions of ``rows`` (one ``scope_id`` and ``name`` each) with the ones that need
    attention first: by status at ``level`` (off track, at risk, on track, no target), then
    by gap (people behind the expected pace), the largest first.

    >>> rows = pd.DataFrame({"scope_id": ["A", "B", "C"], "name": ["a", "b", "c"],
    ...     "level": "basic", "status": ["on_track", "off_track", "off_track"],
    ...     "gap": [-5.0, 10.0, 40.0]})
    >>> list(problems_first(rows, "basic")["scope_id"])
    ['C', 'B', 'A']
    """
    wide = rows[["scope_id", "name"]].drop_duplicates("scope_id")
    part = rows[rows["level"].astype(str) == level].drop_duplicates("scope_id")
    part = part.set_index("scope_id")
    rank = wide["scope_id"].map(part["status"].astype(object).map(STATUS_RANK)).fillna(3)
    gap = -wide["scope_id"].map(part["gap"]).astype("float64")
    order = pd.DataFrame({"rank": rank, "gap": gap}).sort_values(
        ["rank", "gap"], kind="stable", na_position="last"
    )
    return wide.loc[order.index].reset_index(drop=True)


def _league_title(wide: pd.DataFrame, levels: list[str]) -> str:
    level = focus_level(levels)
    if level is None:
        return strings.EMPTY_REGIONS
    scores = wide.dropna(subset=[f"{level}_attainment"]).sort_values(
        f"{level}_attainment", ascending=False, kind="stable"
    )
    if scores.empty:
        return strings.LEAGUE_NO_TARGETS.format(level=level_label(level).lower())
    best, worst = scores.iloc[0], scores.iloc[-1]
    if len(scores) == 1:
        return strings.LEAGUE_ONE.format(
            name=best["name"],
            attainment=f"{best[f'{level}_attainment']:.0f}%",
            level=level_label(level).lower(),
        )
    return strings.LEAGUE_TITLE.format(
        level=level_label(level),
        best=best["name"],
        best_value=f"{best[f'{level}_attainment']:.0f}%",
        worst=worst["name"],
        worst_value=f"{worst[f'{level}_attainment']:.0f}%",
    )
