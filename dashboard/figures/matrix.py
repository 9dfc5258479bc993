"""The region × cluster matrix as a heat map: a tile per region and cluster working there,
coloured by the cluster's contribution to the region's target at one level."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent
from dashboard.figures.base import Chart, axis_titles, empty_chart, labelled, level_label, short
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.reports.safety import chart_text

__all__ = ["MATRIX_AXIS_MAX", "matrix_chart", "matrix_rows"]

MATRIX_AXIS_MAX = 25  # regions (rows) and clusters (columns) drawn; the table lists all
_TABLE_COLUMNS = [
    "region_name",
    "region_code",
    "cluster_name",
    "cluster_id",
    "home_name",
    "level",
    "programmes",
    "completed",
    "target",
    "counted",
    "contribution_pct",
]


def matrix_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The matrix's rows as its table view, CSV and page table show them: level names, the
    home region's name and the contribution in per cent."""
    return table.assign(
        level=table["level"].map(level_label),
        home_name=table["home_region_name"],
        contribution_pct=table["attainment"].map(as_percent),
    )


def _largest(table: pd.DataFrame, key: str) -> list[str]:
    """The ``key`` values (regions or clusters) with the most completions, at most
    ``MATRIX_AXIS_MAX``, in the table's order."""
    totals = table.groupby(key, sort=False)["completed"].sum()
    chosen = set(totals.sort_values(ascending=False, kind="stable").index[:MATRIX_AXIS_MAX])
    return [value for value in dict.fromkeys(table[key]) if value in chosen]


def matrix_chart(table: pd.DataFrame, level: str, selection: str = "") -> Chart:
    """The tiles of ``level``: regions down, clusters across; the colour is the cluster's
    contribution to the region's target, a hollow tile a region without a target there."""
    data = table[table["level"] == level] if not table.empty else table
    if data.empty:
        return empty_chart(strings.MATRIX_EMPTY.format(selection=selection).strip())
    regions, clusters = _largest(data, "region_code"), _largest(data, "cluster_id")
    drawn = data[data["region_code"].isin(regions) & data["cluster_id"].isin(clusters)]
    drawn = drawn.assign(
        x=drawn["cluster_name"].map(short).map(chart_text),
        y=(drawn["region_name"] + " (" + drawn["region_code"] + ")").map(short).map(chart_text),
        pct=drawn["attainment"].map(as_percent),
        hover=drawn["cluster_name"].map(chart_text) + " · " + drawn["region_name"].map(chart_text),
    )
    figure = new_figure()
    targeted = drawn[drawn["target"].notna()]
    hover = (
        "%{customdata[1]}<br>"
        + strings.COLUMNS["completed"]
        + ": %{customdata[2]:,.0f}<br>"
        + strings.COLUMNS["contribution_pct"]
        + ": %{customdata[3]:.1f}<extra></extra>"
    )
    if not targeted.empty:
        figure.add_scatter(
            x=targeted["x"],
            y=targeted["y"],
            mode="markers",
            customdata=targeted[["cluster_id", "hover", "completed", "pct"]].to_numpy(object),
            marker={
                "symbol": "square",
                "size": 22,
                "color": targeted["pct"].fillna(0),
                "colorscale": [[0.0, palette.GRID], [1.0, palette.ACCENT]],
                "cmin": 0,
                "showscale": True,
                "colorbar": {"title": {"text": "%"}},
                "line": {"color": palette.RULE, "width": 1},
            },
            hovertemplate=hover,
            showlegend=False,
        )
    untargeted = drawn[drawn["target"].isna()]
    if not untargeted.empty:
        figure.add_scatter(
            x=untargeted["x"],
            y=untargeted["y"],
            mode="markers",
            customdata=untargeted[["cluster_id", "hover", "completed", "pct"]].to_numpy(object),
            marker={
                "symbol": "square-open",
                "size": 22,
                "color": palette.MUTED,
                "line": {"width": 2},
            },
            hovertemplate="%{customdata[1]}<br>"
            + strings.COLUMNS["completed"]
            + ": %{customdata[2]:,.0f}<extra></extra>",
            showlegend=False,
        )
    axis_titles(figure)
    figure.update_xaxes(categoryorder="array", categoryarray=list(dict.fromkeys(drawn["x"])))
    figure.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=list(dict.fromkeys(drawn["y"]))
    )
    title = strings.MATRIX_CHART_TITLE.format(
        level=level_label(level),
        pairs=len(data),
        regions=data["region_code"].nunique(),
        away=int((~data["based_here"].astype(bool)).sum()),
    )
    if len(regions) < data["region_code"].nunique() or len(clusters) < data["cluster_id"].nunique():
        title += strings.MATRIX_SHOWN.format(regions=len(regions), clusters=len(clusters))
    return Chart(title, figure, labelled(matrix_rows(data), _TABLE_COLUMNS))


def matrix_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region and cluster working there (the matrix's rows side by side per
    level): names, where the cluster is based, and per level ``completed_<level>`` and
    ``contribution_<level>`` (per cent of the region's target; blank without one)."""
    keys = [
        "region_code",
        "region_name",
        "cluster_id",
        "cluster_name",
        "home_region",
        "home_name",
        "based_here",
    ]
    rows = matrix_rows(table) if not table.empty else table.assign(contribution_pct=None)
    if rows.empty:
        return pd.DataFrame(columns=keys)
    wide = rows[keys].drop_duplicates(ignore_index=True)
    for level in dict.fromkeys(table["level"]):
        mine = rows[(table["level"] == level).to_numpy()][
            [*keys[:1], "cluster_id", "completed", "contribution_pct"]
        ]
        wide = wide.merge(
            mine.rename(
                columns={
                    "completed": f"completed_{level}",
                    "contribution_pct": f"contribution_{level}",
                }
            ),
            on=["region_code", "cluster_id"],
            how="left",
        )
    return wide


def region_clusters_chart(pairs: pd.DataFrame, region: str) -> Chart:
    """The clusters working in one region (rows of :func:`matrix_pairs`), a table-only card:
    where each is based and the people it completed there per level."""
    if pairs.empty:
        return empty_chart(strings.REGION_CLUSTERS_NONE.format(region=region))
    levels = [
        str(column).removeprefix("completed_")
        for column in pairs
        if str(column).startswith("completed_")
    ]
    per_level = {
        f"completed_{level}": f"{level_label(level)}: {strings.COLUMNS['completed']}"
        for level in levels
    }
    out = pairs.rename(columns=per_level)[
        ["cluster_name", "cluster_id", "home_name", *per_level.values()]
    ]
    out = out.rename(columns=strings.COLUMNS)
    title = strings.REGION_CLUSTERS_TITLE.format(
        count=len(pairs), region=region, away=int((~pairs["based_here"].astype(bool)).sum())
    )
    return Chart(title, None, out.reset_index(drop=True))
