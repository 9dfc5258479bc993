"""Figures: pure functions from an analysis DataFrame to a chart, its finding and its numbers.

Each function returns a :class:`Chart`: the plotly figure, a title that states the finding
(computed from the same numbers), and the table of exactly the numbers the figure plots, with
labelled columns and units, for the "Table" view and the CSV download. Percentages are plotted
and listed as numbers from 0 to 100, rounded to one decimal, so chart, table and CSV agree.

Plotly renders a subset of HTML (links, bold, line breaks) in every label, hover text and
annotation, so every name that users typed (regions, clusters, programmes, facilities,
funding sources) passes through :func:`~skills_roadmap.reports.safety.chart_text` on its way
into a figure: it is shown as written and never becomes a link or markup. Tables keep the
names as they are (the grid shows text, never markup).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import strings
from dashboard.components.formats import (
    as_percent,
    euros,
    missing,
    people,
    percent,
    points,
    quantity,
)
from dashboard.theme import LEVEL_COLOURS, STATUS_COLOURS, TRAJECTORY_COLOUR
from skills_roadmap.reports.safety import chart_text

LEVELS = tuple(strings.LEVEL_LABELS)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
MAX_BARS = 25  # more bars than this stop being readable on a laptop; the table lists all
PARETO_SHARE = 0.8  # contribution's default Pareto head
# The trace types the browser's plotly.js bundle holds (assets/plotly, built by
# tools/plotly-bundle): a figure may use no other.
BUNDLED_TRACES = frozenset({"scatter", "bar", "scattergeo", "choropleth"})

# Okabe-Ito hues beyond the status and level colours; shapes and words carry the same meaning.
MUTED_COLOUR = "#8C8C8C"
NEUTRAL_COLOUR = "#495057"
STATUS_SYMBOLS = {
    "on_track": "circle",
    "at_risk": "triangle-up",
    "off_track": "square",
    "none": "circle-open",
}
STAGE_COLOURS = {
    "enrolled": "#0072B2",
    "completed": "#009E73",
    "certified": "#56B4E9",
    "dropped_out": "#D55E00",
}
FACILITY_COLOURS = {"operational": "#0072B2", "on_schedule": "#56B4E9", "overdue": "#D55E00"}


@dataclass(frozen=True)
class Chart:
    """What a chart card shows: the finding, the figure (None for a table-only card) and the
    numbers behind it."""

    title: str
    figure: go.Figure | None
    table: pd.DataFrame


def _labelled(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame``'s ``columns`` renamed to their labels with units (see ``strings.COLUMNS``)."""
    columns = list(columns)
    return frame[columns].rename(columns=strings.COLUMNS).reset_index(drop=True)


_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}
HOUSE_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "font": {"family": FONT}},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "autosize": True,
    }
)
"""The house style: plotly_white's look, readable fonts, legend above, room for long labels.

Only what the charts use, built once: plotly validates and copies a template into every
figure, and a named one such as ``plotly_white`` cost most of a chart callback's time (and
7 KB of every chart sent to the browser)."""


def _figure() -> go.Figure:
    """An empty figure in the house style."""
    return go.Figure(layout={"template": HOUSE_TEMPLATE})


def _style(figure: go.Figure, *, x_title: str | None = None, y_title: str | None = None) -> None:
    """Name the axes (units included)."""
    figure.update_xaxes(title_text=x_title)
    figure.update_yaxes(title_text=y_title)


def empty_chart(message: str) -> Chart:
    """A chart with nothing to plot: the figure and the title both say why."""
    figure = _figure()
    _style(figure)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text=chart_text(message),  # the selection's words name regions and clusters
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 15, "color": NEUTRAL_COLOUR},
    )
    return Chart(message, figure, pd.DataFrame({strings.COLUMNS["message"]: [message]}))


def focus_level(levels: Iterable[object]) -> str | None:
    """The level a finding speaks about: the widest level present (basic first)."""
    present = {str(level) for level in levels}
    return next((level for level in LEVELS if level in present), None)


def _level_order(frame: pd.DataFrame, column: str = "level") -> pd.DataFrame:
    rank = frame[column].astype(str).map({level: i for i, level in enumerate(LEVELS)})
    return frame.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def _level_label(level: object) -> str:
    return strings.LEVEL_LABELS.get(str(level), str(level))


def _status_text(status: object) -> str:
    if not isinstance(status, str) or status not in strings.STATUS_LABELS:
        return strings.NO_STATUS
    return f"{strings.STATUS_ICONS[status]} {strings.STATUS_LABELS[status]}"


def short(name: object, length: int = 32) -> str:
    """A name cut to fit an axis on a phone (the table and the hover keep it whole)."""
    text = str(name)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _months(periods: pd.Series) -> pd.Series:
    return pd.to_datetime(periods, format="%Y-%m")


def trend_chart(trend: pd.DataFrame, headline: pd.DataFrame, selection: str = "") -> Chart:
    """People trained against the trajectory, month by month, as a percentage of the target.

    Args:
        trend: rows of ``attainment_trend`` for the headline targets.
        headline: the headline targets (``target_id, level, deadline_year``); the targets of a
            level are summed (sum of achieved over sum of targets, never an average of shares).
        selection: words naming the selection, for the empty state.
    """
    targets = headline.dropna(subset=["target_id"])[["target_id", "level", "deadline_year"]]
    if trend.empty or targets.empty:
        return empty_chart(strings.EMPTY_TARGETS.format(selection=selection).strip())
    data = trend.merge(targets.astype({"level": str}), on="target_id")
    sums = (
        data.groupby(["level", "period"])[["target", "achieved", "expected"]]
        .sum(min_count=1)
        .reset_index()
    )
    sums = _level_order(sums.sort_values("period", kind="stable"))
    sums["achieved_pct"] = (sums["achieved"] / sums["target"] * 100).round(1)
    sums["expected_pct"] = (sums["expected"] / sums["target"] * 100).round(1)
    figure = _figure()
    for level, rows in sums.groupby("level", sort=False):
        label, colour = _level_label(level), LEVEL_COLOURS[str(level)]
        months = _months(rows["period"])
        figure.add_scatter(
            x=months,
            y=rows["achieved_pct"],
            name=strings.TREND_ACHIEVED.format(level=label),
            mode="lines",
            line={"color": colour, "width": 3},
            hovertemplate="%{x|%Y-%m}: %{y:.1f}%<extra>" + label + "</extra>",
        )
        figure.add_scatter(
            x=months,
            y=rows["expected_pct"],
            name=strings.TREND_EXPECTED.format(level=label),
            mode="lines",
            line={"color": colour, "width": 2, "dash": "dash"},
            hovertemplate="%{x|%Y-%m}: %{y:.1f}%<extra>" + label + "</extra>",
        )
    _style(figure, y_title=strings.AXIS_PERCENT_OF_TARGET)
    figure.update_yaxes(ticksuffix="%", rangemode="tozero")
    table = _labelled(
        sums.assign(level=sums["level"].map(_level_label)),
        ["level", "period", "target", "achieved", "expected", "achieved_pct", "expected_pct"],
    )
    return Chart(_trend_title(sums, targets), figure, table)


def _trend_title(sums: pd.DataFrame, targets: pd.DataFrame) -> str:
    level = focus_level(sums["level"])
    reported = sums[(sums["level"] == level) & sums["achieved"].notna()]
    if reported.empty:
        return strings.TREND_NOTHING_YET
    last = reported.iloc[-1]
    gap = (last["achieved"] - last["expected"]) / last["target"]
    if abs(gap) < 0.005:
        position = strings.TREND_ON
    else:
        template = strings.TREND_AHEAD if gap > 0 else strings.TREND_BEHIND
        position = template.format(points=points(gap))
    deadline = int(targets.loc[targets["level"].astype(str) == level, "deadline_year"].min())
    return strings.TREND_TITLE.format(
        level=_level_label(level),
        attainment=percent(last["achieved"] / last["target"]),
        deadline=deadline,
        position=position,
    )


def _status_key(status: object) -> str:
    return status if isinstance(status, str) and status in STATUS_COLOURS else "none"


def map_chart(
    table: pd.DataFrame,
    regions: pd.DataFrame,
    level: str,
    geojson: Mapping[str, Any] | None = None,
) -> Chart:
    """The regions of a level on a map of Europe, coloured and shaped by status.

    Regions are markers at their coordinates, sized by their target; with a NUTS GeoJSON
    (features whose ``id`` is the region code) they are drawn as shapes instead. Country
    borders come from the topojson shipped in the dashboard's assets.

    Args:
        table: rows of ``overview`` (region rows are used).
        regions: the regions frame (``region_code, lat, lon``).
        level: the level to show.
        geojson: optional region shapes.
    """
    rows = table[(table["scope"] == "region") & (table["level"].astype(str) == level)]
    if rows.empty:
        return empty_chart(strings.EMPTY_REGIONS)
    places = regions[["region_code", "lat", "lon"]].astype({"region_code": str})
    data = rows.astype({"scope_id": str, "name": str}).merge(
        places, left_on="scope_id", right_on="region_code", how="left"
    )
    status = data["status"].astype(object)
    data = data.assign(
        status_key=status.map(_status_key),
        attainment_pct=data["attainment"].map(as_percent),
        status_text=status.map(_status_text),
    )
    largest = data["target"].max()
    scale = 1.0 if missing(largest) or largest <= 0 else float(largest)
    # Markers shrink as regions multiply, so a network of hundreds stays legible.
    largest_marker = 30 if len(data) <= 40 else 16
    data["size"] = 7 + (largest_marker - 7) * np.sqrt(data["target"].fillna(0) / scale)
    data["hover"] = [
        strings.MAP_HOVER.format(
            name=chart_text(row.name),
            code=chart_text(row.scope_id),
            attainment=percent(row.attainment),
            achieved=people(row.achieved),
            target=people(row.target),
            status=row.status_text,
        )
        for row in data.itertuples()
    ]
    shaped = {str(feature.get("id")) for feature in (geojson or {}).get("features", [])}
    figure = _figure()
    for key in ("on_track", "at_risk", "off_track", "none"):
        name = _status_text(key) if key != "none" else strings.NO_TARGET_SHORT
        colour = STATUS_COLOURS.get(key, MUTED_COLOUR)
        part = data[data["status_key"] == key]
        as_shape = part["scope_id"].isin(shaped)
        if as_shape.any():
            _add_shapes(figure, part[as_shape], geojson or {}, name, colour)
        if (~as_shape).any():  # no shape for it in the file: a marker at its coordinates
            _add_markers(figure, part[~as_shape], name, colour, key)
    _style(figure)
    figure.update_geos(
        scope="europe",
        resolution=50,
        projection_type="mercator",
        showcountries=True,
        countrycolor="#9a9a9a",
        showland=True,
        landcolor="#f1f1ee",
        showocean=True,
        oceancolor="#e8f1f8",
        showlakes=False,
        showframe=False,
        lataxis_range=[34, 71],
        lonaxis_range=[-25, 42],
    )
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    table_out = _labelled(
        data.assign(level=_level_label(level), status=data["status_text"]),
        ["name", "scope_id", "level", "target", "achieved", "attainment_pct", "status"],
    )
    return Chart(_map_title(data, level), figure, table_out)


def _add_shapes(
    figure: go.Figure, part: pd.DataFrame, geojson: Mapping[str, Any], name: str, colour: str
) -> None:
    figure.add_choropleth(
        geojson=geojson,
        locations=part["scope_id"],
        z=[1] * len(part),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        name=name,
        legendgroup=name,
        showlegend=True,
        marker_line_color="white",
        marker_line_width=0.6,
        hovertext=part["hover"],
        hoverinfo="text",
        customdata=part["scope_id"],
    )


def _add_markers(figure: go.Figure, part: pd.DataFrame, name: str, colour: str, key: str) -> None:
    figure.add_scattergeo(
        lat=part["lat"],
        lon=part["lon"],
        name=name,
        legendgroup=name,
        mode="markers",
        marker={
            "size": part["size"],
            "color": colour,
            "symbol": STATUS_SYMBOLS[key],
            "line": {"color": "white", "width": 1},
            "opacity": 0.9,
        },
        hovertext=part["hover"],
        hoverinfo="text",
        customdata=part["scope_id"],
    )


def _map_title(data: pd.DataFrame, level: str) -> str:
    counts = data["status_key"].value_counts()
    judged = int(counts.drop("none", errors="ignore").sum())
    parts = [
        strings.MAP_COUNT.format(
            count=int(counts.get(key, 0)), label=strings.STATUS_LABELS[key].lower()
        )
        for key in ("at_risk", "off_track")
        if counts.get(key, 0)
    ]
    title = strings.MAP_TITLE.format(
        level=_level_label(level),
        on_track=int(counts.get("on_track", 0)),
        regions=judged,
        others="".join(f", {part}" for part in parts),
    )
    if counts.get("none", 0):
        title += strings.MAP_WITHOUT_TARGET.format(count=int(counts["none"]))
    return title


def league_chart(table: pd.DataFrame) -> Chart:
    """The league table of regions: attainment and status per level (no figure: it is a grid).

    The finding names the region furthest ahead and the one furthest behind at the widest
    level shown.
    """
    rows = table[table["scope"] == "region"]
    if rows.empty:
        return Chart(strings.EMPTY_REGIONS, None, pd.DataFrame())
    wide = rows[["scope_id", "name"]].drop_duplicates("scope_id").reset_index(drop=True)
    levels = [level for level in LEVELS if level in set(rows["level"].astype(str))]
    columns = ["name"]
    for level in levels:
        part = rows[rows["level"].astype(str) == level].set_index("scope_id")
        wide[f"{level}_attainment"] = wide["scope_id"].map(part["attainment"].map(as_percent))
        wide[f"{level}_status"] = wide["scope_id"].map(
            part["status"].astype(object).map(_status_text)
        )
        columns += [f"{level}_attainment", f"{level}_status"]
    columns.append("scope_id")
    labels = {"name": strings.COLUMNS["name"], "scope_id": strings.COLUMNS["scope_id"]}
    for level in levels:
        labels[f"{level}_attainment"] = strings.LEAGUE_ATTAINMENT.format(level=_level_label(level))
        labels[f"{level}_status"] = strings.LEAGUE_STATUS.format(level=_level_label(level))
    out = wide[columns].rename(columns=labels)
    return Chart(_league_title(wide, levels), None, out)


def _league_title(wide: pd.DataFrame, levels: list[str]) -> str:
    level = focus_level(levels)
    if level is None:
        return strings.EMPTY_REGIONS
    scores = wide.dropna(subset=[f"{level}_attainment"]).sort_values(
        f"{level}_attainment", ascending=False, kind="stable"
    )
    if scores.empty:
        return strings.LEAGUE_NO_TARGETS.format(level=_level_label(level).lower())
    best, worst = scores.iloc[0], scores.iloc[-1]
    if len(scores) == 1:
        return strings.LEAGUE_ONE.format(
            name=best["name"],
            attainment=f"{best[f'{level}_attainment']:.0f}%",
            level=_level_label(level).lower(),
        )
    return strings.LEAGUE_TITLE.format(
        level=_level_label(level),
        best=best["name"],
        best_value=f"{best[f'{level}_attainment']:.0f}%",
        worst=worst["name"],
        worst_value=f"{worst[f'{level}_attainment']:.0f}%",
    )


def ambition_chart(table: pd.DataFrame) -> Chart:
    """The network's target per level against the sum of the regions' targets."""
    if table.empty:
        return empty_chart(strings.EMPTY_TARGETS.format(selection="").strip())
    data = _level_order(table)
    several = data.duplicated("level", keep=False)
    data = data.assign(
        label=[
            f"{_level_label(level)} {year}" if again else _level_label(level)
            for level, year, again in zip(
                data["level"], data["deadline_year"], several, strict=True
            )
        ],
        verdict_text=data["verdict"].map(strings.AMBITION_VERDICTS),
    )
    figure = _figure()
    figure.add_bar(
        x=data["label"],
        y=data["network_target"],
        name=strings.AMBITION_NETWORK,
        marker_color=LEVEL_COLOURS["intermediate"],
        hovertemplate="%{y:,.0f}<extra></extra>",
    )
    figure.add_bar(
        x=data["label"],
        y=data["regional_total"],
        name=strings.AMBITION_REGIONS,
        marker_color=LEVEL_COLOURS["basic"],
        marker_pattern_shape="/",
        hovertemplate="%{y:,.0f}<extra></extra>",
    )
    _style(figure, y_title=strings.AXIS_PEOPLE)
    figure.update_layout(barmode="group")
    out = _labelled(
        data.assign(level=data["level"].map(_level_label), verdict=data["verdict_text"]),
        [
            "level",
            "deadline_year",
            "network_target",
            "regional_total",
            "regions",
            "difference",
            "verdict",
        ],
    )
    return Chart(_ambition_title(data), figure, out)


def _ambition_title(data: pd.DataFrame) -> str:
    compared = data[data["network_target"].notna()]
    if compared.empty:
        return strings.AMBITION_NO_NETWORK
    unbalanced = compared[compared["verdict"] != "balanced"]
    if unbalanced.empty:
        return strings.AMBITION_BALANCED
    largest = unbalanced["difference"].abs().sort_values(ascending=False, kind="stable")
    worst = unbalanced.loc[largest.index[0]]
    template = strings.AMBITION_SHORT if worst["difference"] < 0 else strings.AMBITION_OVER
    return template.format(
        level=_level_label(worst["level"]),
        amount=people(abs(worst["difference"])),
        deadline=int(worst["deadline_year"]),
    )


def contribution_chart(
    table: pd.DataFrame,
    by: str = "cluster_id",
    *,
    highlight: str | None = None,
    selection: str = "",
) -> Chart:
    """Who carries the achievement: people completed per cluster (or programme), largest first,
    with the cumulative share (Pareto) and the group that lags its capacity most.

    Args:
        table: rows of ``contribution``.
        by: ``cluster_id`` or ``programme_id``.
        highlight: a group to mark (the cluster a cluster page is about).
        selection: words naming the selection, for the empty state.
    """
    noun = strings.NOUNS[by]
    if table.empty or not (table["achieved"] > 0).any():
        return empty_chart(strings.EMPTY_CONTRIBUTION.format(noun=noun, selection=selection))
    data = table.assign(
        share_pct=table["share"].map(as_percent),
        cumulative_pct=table["cumulative_share"].map(as_percent),
        capacity_use_pct=table["capacity_use"].map(as_percent),
        carries_text=table["carries"].map({True: strings.YES, False: strings.NO}),
    )
    shown = data.head(MAX_BARS)
    shown = shown.assign(label=shown["name"].map(chart_text))
    figure = _figure()
    groups = [
        (
            shown["carries"],
            strings.CONTRIBUTION_CARRIES.format(share=percent(PARETO_SHARE)),
            LEVEL_COLOURS["intermediate"],
            "",
        ),
        (~shown["carries"], strings.CONTRIBUTION_OTHERS, LEVEL_COLOURS["basic"], ""),
    ]
    if highlight is not None:
        marked = shown[by].astype(str) == highlight
        groups = [(mask & ~marked, name, colour, shape) for mask, name, colour, shape in groups]
        groups.append((marked, strings.CONTRIBUTION_HIGHLIGHT, LEVEL_COLOURS["expert"], "x"))
    for mask, name, colour, shape in groups:
        part = shown[mask]
        if part.empty:
            continue
        figure.add_bar(
            x=part["label"],
            y=part["achieved"],
            name=name,
            marker_color=colour,
            marker_pattern_shape=shape,
            customdata=part[by],
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    figure.add_scatter(
        x=shown["label"],
        y=shown["cumulative_pct"],
        name=strings.CONTRIBUTION_CUMULATIVE,
        yaxis="y2",
        mode="lines+markers",
        line={"color": TRAJECTORY_COLOUR, "width": 2},
        hovertemplate="%{y:.1f}%<extra></extra>",
    )
    _style(figure, y_title=strings.AXIS_PEOPLE_COMPLETED)
    figure.update_layout(
        barmode="overlay",
        xaxis={"categoryorder": "array", "categoryarray": list(shown["label"]), "tickangle": -30},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "ticksuffix": "%",
            "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0%", "25%", "50%", "75%", "100%"],
            "showgrid": False,
            "title": {"text": strings.AXIS_CUMULATIVE_SHARE},
        },
    )
    out = _labelled(
        data.assign(**{"id": data[by]}),
        [
            "name",
            "id",
            "achieved",
            "share_pct",
            "cumulative_pct",
            "carries_text",
            "enrolled",
            "expected_enrolled",
            "capacity_use_pct",
        ],
    )
    return Chart(_contribution_title(data, noun), figure, out)


def _contribution_title(data: pd.DataFrame, noun: str) -> str:
    active = data[data["achieved"] > 0]
    title = strings.CONTRIBUTION_TITLE.format(
        carriers=int(data["carries"].sum()),
        count=len(active),
        noun=noun,
        share=percent(PARETO_SHARE),
    )
    judged = data[data["expected_enrolled"] > 0].sort_values("capacity_use", kind="stable")
    if not judged.empty:
        laggard = judged.iloc[0]
        title += strings.CONTRIBUTION_LAG.format(
            name=laggard["name"], use=percent(laggard["capacity_use"])
        )
    return title


def programmes_chart(table: pd.DataFrame, selection: str = "") -> Chart:
    """The programmes of a selection as a table: people completed, enrolment against capacity.

    Args:
        table: rows of ``contribution(frames, by="programme_id")``.
        selection: words naming the selection, for the empty state.
    """
    if table.empty:
        message = strings.EMPTY_PROGRAMMES.format(selection=selection).strip()
        return Chart(message, None, pd.DataFrame())
    data = table.assign(
        share_pct=table["share"].map(as_percent),
        capacity_use_pct=table["capacity_use"].map(as_percent),
    )
    behind = int((data["capacity_use"] < 0.8).sum())
    title = strings.PROGRAMMES_TITLE.format(count=len(data), behind=behind)
    out = _labelled(
        data.rename(columns={"programme_id": "id"}),
        [
            "name",
            "id",
            "achieved",
            "share_pct",
            "enrolled",
            "capacity",
            "expected_enrolled",
            "capacity_use_pct",
        ],
    )
    return Chart(title, None, out)


def funnel_chart(table: pd.DataFrame, selection: str = "") -> Chart:
    """Enrolled → completed → certified, and dropped out, per level."""
    if table.empty:
        return empty_chart(strings.EMPTY_PROGRESS.format(selection=selection).strip())
    data = _level_order(table)
    data = data.assign(
        completion_pct=data["completion_rate"].map(as_percent),
        certification_pct=data["certification_rate"].map(as_percent),
        dropout_pct=data["dropout_rate"].map(as_percent),
    )
    labels = data["level"].map(_level_label)
    figure = _figure()
    for stage in ("enrolled", "completed", "certified", "dropped_out"):
        figure.add_bar(
            x=labels,
            y=data[stage],
            name=strings.COLUMNS[stage],
            marker_color=STAGE_COLOURS[stage],
            marker_pattern_shape="/" if stage == "dropped_out" else "",
            hovertemplate="%{x}: %{y:,.0f}<extra>" + strings.COLUMNS[stage] + "</extra>",
        )
    _style(figure, y_title=strings.AXIS_PEOPLE)
    figure.update_layout(barmode="group")
    out = _labelled(
        data.assign(level=labels),
        [
            "level",
            "enrolled",
            "completed",
            "certified",
            "dropped_out",
            "completion_pct",
            "certification_pct",
            "dropout_pct",
        ],
    )
    row = data[data["level"].astype(str) == focus_level(data["level"])].iloc[0]
    title = strings.FUNNEL_TITLE.format(
        level=_level_label(row["level"]),
        completed=percent(row["completion_rate"]),
        dropped=percent(row["dropout_rate"]),
    )
    return Chart(title, figure, out)


def money_chart(table: pd.DataFrame, selection: str = "") -> Chart:
    """Spend against budget per funding source, with absorption and unit costs."""
    if table.empty or not (table["budget_eur"].fillna(0) > 0).any():
        return empty_chart(strings.EMPTY_BUDGET.format(selection=selection).strip())
    data = table.assign(
        funding_source=table["funding_source"].astype(object).fillna(strings.NOT_RECORDED),
        absorption_pct=table["absorption"].map(as_percent),
    ).sort_values("budget_eur", ascending=False, kind="stable")
    sources = data["funding_source"].map(chart_text)
    figure = _figure()
    figure.add_bar(
        x=sources,
        y=data["budget_eur"],
        name=strings.COLUMNS["budget_eur"],
        marker_color=LEVEL_COLOURS["basic"],
        hovertemplate="%{x}: €%{y:,.0f}<extra></extra>",
    )
    figure.add_bar(
        x=sources,
        y=data["spend_eur"],
        name=strings.COLUMNS["spend_eur"],
        marker_color=LEVEL_COLOURS["intermediate"],
        text=data["absorption_pct"].map(lambda value: "" if value is None else f"{value:.0f}%"),
        textposition="outside",
        hovertemplate="%{x}: €%{y:,.0f}<extra></extra>",
    )
    _style(figure, y_title=strings.AXIS_EUR)
    figure.update_layout(barmode="group")
    figure.update_yaxes(tickprefix="€", separatethousands=True)
    out = _labelled(
        data,
        [
            "funding_source",
            "budget_eur",
            "spend_eur",
            "absorption_pct",
            "cost_per_completer",
            "cost_per_certified",
        ],
    ).round(0)
    budget, spend = data["budget_eur"].sum(), data["spend_eur"].sum()
    title = strings.MONEY_TITLE.format(share=percent(spend / budget), budget=euros(budget))
    judged = data.dropna(subset=["absorption"])
    if len(judged) > 1:
        lowest = judged.sort_values("absorption", kind="stable").iloc[0]
        title += strings.MONEY_LOWEST.format(
            source=lowest["funding_source"], share=percent(lowest["absorption"])
        )
    return Chart(title, figure, out)


def inclusion_chart(table: pd.DataFrame, selection: str = "") -> Chart:
    """The share of women among participants per level, against the goal."""
    reported = table.dropna(subset=["women_share"]) if not table.empty else table
    if reported.empty:
        return empty_chart(strings.EMPTY_WOMEN.format(selection=selection).strip())
    data = _level_order(reported)
    data = data.assign(
        women_pct=data["women_share"].map(as_percent),
        reported_pct=data["reported_share"].map(as_percent),
        goal_pct=data["goal"].map(as_percent),
    )
    labels = data["level"].map(_level_label)
    goal = float(data["goal"].iloc[0])
    figure = _figure()
    figure.add_bar(
        x=labels,
        y=data["women_pct"],
        name=strings.COLUMNS["women_pct"],
        marker_color=LEVEL_COLOURS["expert"],
        text=data["women_pct"].map(lambda value: f"{value:.0f}%"),
        textposition="outside",
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
    )
    figure.add_scatter(
        x=labels,
        y=[goal * 100] * len(data),
        name=strings.INCLUSION_GOAL.format(goal=percent(goal)),
        mode="lines",
        line={"color": TRAJECTORY_COLOUR, "dash": "dash", "width": 2},
        hoverinfo="skip",
    )
    _style(figure, y_title=strings.AXIS_WOMEN_SHARE)
    figure.update_yaxes(ticksuffix="%", range=[0, 100])
    out = _labelled(
        data.assign(level=labels),
        ["level", "enrolled", "women", "women_pct", "reported_pct", "goal_pct"],
    )
    share = data["women"].sum() / data["enrolled_reporting_women"].sum()
    gap = share - goal
    if abs(gap) < 0.005:
        position = strings.INCLUSION_AT_GOAL
    else:
        template = strings.INCLUSION_ABOVE if gap > 0 else strings.INCLUSION_BELOW
        position = template.format(points=points(gap))
    title = strings.INCLUSION_TITLE.format(
        share=percent(share), position=position, goal=percent(goal)
    )
    return Chart(title, figure, out)


def peers_chart(table: pd.DataFrame, highlight: str | None = None) -> Chart:
    """Every region's attainment against its cost per completer, one region highlighted."""
    data = table.dropna(subset=["attainment"])
    if data.empty:
        return empty_chart(strings.EMPTY_REGIONS)
    data = data.assign(
        region_code=data["region_code"].astype(str),
        attainment_pct=data["attainment"].map(as_percent),
        cost=data["cost_per_completer"].round(0),
        label=data["name"].map(chart_text),
    )
    marked = data["region_code"] == highlight
    figure = _figure()
    figure.add_scatter(
        x=data.loc[~marked, "attainment_pct"],
        y=data.loc[~marked, "cost"],
        name=strings.PEERS_OTHERS,
        mode="markers",
        marker={"color": MUTED_COLOUR, "size": 9, "opacity": 0.7},
        text=data.loc[~marked, "label"],
        customdata=data.loc[~marked, "region_code"],
        hovertemplate="%{text}: %{x:.1f}%, €%{y:,.0f}<extra></extra>",
    )
    if marked.any():
        figure.add_scatter(
            x=data.loc[marked, "attainment_pct"],
            y=data.loc[marked, "cost"],
            name=data.loc[marked, "label"].iloc[0],
            mode="markers+text",
            marker={
                "color": LEVEL_COLOURS["expert"],
                "size": 16,
                "symbol": "diamond",
                "line": {"color": "#222", "width": 1},
            },
            text=data.loc[marked, "label"],
            textposition="top center",
            hovertemplate="%{text}: %{x:.1f}%, €%{y:,.0f}<extra></extra>",
        )
    median_attainment = data["attainment_median"].iloc[0]
    median_cost = data["cost_median"].iloc[0]
    if not missing(median_attainment):
        figure.add_vline(
            x=median_attainment * 100, line={"color": TRAJECTORY_COLOUR, "dash": "dot"}
        )
    if not missing(median_cost):
        figure.add_hline(y=median_cost, line={"color": TRAJECTORY_COLOUR, "dash": "dot"})
    _style(figure, x_title=strings.AXIS_ATTAINMENT, y_title=strings.AXIS_COST_PER_COMPLETER)
    figure.update_xaxes(ticksuffix="%")
    figure.update_yaxes(tickprefix="€")
    out = _labelled(
        data.rename(columns={"region_code": "scope_id"}),
        ["name", "scope_id", "attainment_pct", "attainment_quartile", "cost", "cost_quartile"],
    )
    return Chart(_peers_title(data, marked), figure, out)


def _peers_title(data: pd.DataFrame, marked: pd.Series) -> str:
    if not marked.any():
        return strings.PEERS_SPREAD.format(
            count=len(data),
            attainment=percent(data["attainment_median"].iloc[0]),
            cost=euros(data["cost_median"].iloc[0]),
        )
    row = data[marked].iloc[0]
    quartile = row["attainment_quartile"]
    return strings.PEERS_TITLE.format(
        name=row["name"],
        attainment=percent(row["attainment"]),
        quartile=strings.QUARTILES.get(int(quartile), "") if not missing(quartile) else "",
        count=len(data),
        cost=euros(row["cost_per_completer"]),
        median=euros(row["cost_median"]),
    )


def completeness_chart(table: pd.DataFrame, expected: str | None, selection: str = "") -> Chart:
    """Programmes that have not reported the expected month, by how many months they are late."""
    if table.empty or expected is None:
        return empty_chart(strings.EMPTY_DUE.format(selection=selection).strip())
    late = table[table["late"]]
    figure = _figure()
    if late.empty:
        title = strings.COMPLETENESS_ALL.format(count=len(table), period=expected)
        figure.add_annotation(
            text=title,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 15, "color": NEUTRAL_COLOUR},
        )
        _style(figure)
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
    else:
        title = strings.COMPLETENESS_TITLE.format(
            late=len(late),
            count=len(table),
            period=expected,
            months=quantity(int(late["months_late"].max()), "month"),
        )
        shown = late.head(MAX_BARS).iloc[::-1]
        figure.add_bar(
            y=shown["name"].map(short).map(chart_text),  # cut first: never half an entity
            x=shown["months_late"],
            orientation="h",
            marker_color=STATUS_COLOURS["off_track"],
            name=strings.COLUMNS["months_late"],
            customdata=shown["programme_id"].astype(str),
            hovertemplate="%{y}: %{x} <extra></extra>",
        )
        _style(figure, x_title=strings.AXIS_MONTHS_LATE)
        figure.update_xaxes(dtick=1, rangemode="tozero")
    out = _labelled(
        late.assign(level=late["level"].map(_level_label), id=late["programme_id"].astype(str)),
        ["name", "id", "cluster_id", "level", "due_period", "last_period", "months_late"],
    )
    return Chart(title, figure, out)


def facilities_chart(table: pd.DataFrame, as_of: str | None, selection: str = "") -> Chart:
    """The roadmap's facilities on a timeline: planned against actual opening, overdue marked."""
    if table.empty:
        return empty_chart(strings.EMPTY_FACILITIES.format(selection=selection).strip())
    data = table.sort_values(["planned_open", "facility_id"], kind="stable")
    operational = data["status"].astype(str) == "operational"
    state = np.select(
        [operational, data["overdue"]], ["operational", "overdue"], default="on_schedule"
    )
    as_of_date = pd.Timestamp(f"{as_of}-01") if as_of else pd.NaT
    data = data.assign(
        state=state,
        planned_period=data["planned_open"].dt.strftime("%Y-%m"),
        actual_period=data["actual_open"].dt.strftime("%Y-%m"),
        line_end=data["actual_open"].where(operational, as_of_date),
        label=data["name"].map(short).map(chart_text),
        hover_name=data["name"].map(chart_text),
    )
    figure = _figure()
    for key in ("operational", "on_schedule", "overdue"):
        part = data[data["state"] == key]
        if part.empty:
            continue
        colour = FACILITY_COLOURS[key]
        xs: list[Any] = []
        ys: list[Any] = []
        for _, row in part.iterrows():
            if pd.notna(row["line_end"]) and row["line_end"] > row["planned_open"]:
                xs += [row["planned_open"], row["line_end"], None]
                ys += [row["label"], row["label"], None]
        if xs:
            figure.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 3},
                showlegend=False,
                hoverinfo="skip",
            )
        figure.add_scatter(
            x=part["planned_open"],
            y=part["label"],
            customdata=part["hover_name"],
            mode="markers",
            name=strings.FACILITY_PLANNED.format(state=strings.FACILITY_STATES[key]),
            marker={
                "color": "white",
                "size": 11,
                "symbol": "diamond",
                "line": {"color": colour, "width": 2},
            },
            hovertemplate="%{customdata}: "
            + strings.COLUMNS["planned_period"]
            + " %{x|%Y-%m}<extra></extra>",
        )
        opened = part[part["actual_open"].notna()]
        if not opened.empty:
            figure.add_scatter(
                x=opened["actual_open"],
                y=opened["label"],
                customdata=opened["hover_name"],
                mode="markers",
                name=strings.FACILITY_OPENED,
                marker={"color": colour, "size": 11},
                hovertemplate="%{customdata}: "
                + strings.COLUMNS["actual_period"]
                + " %{x|%Y-%m}<extra></extra>",
            )
    if pd.notna(as_of_date):
        figure.add_vline(x=as_of_date, line={"color": TRAJECTORY_COLOUR, "dash": "dot"})
    _style(figure)
    figure.update_yaxes(
        autorange="reversed", categoryorder="array", categoryarray=list(data["label"])
    )
    out = _labelled(
        data.assign(
            kind=data["kind"].astype(str).map(strings.FACILITY_KINDS),
            status=data["status"].astype(str).map(strings.FACILITY_STATUSES),
            overdue=data["overdue"].map({True: strings.YES, False: strings.NO}),
        ),
        ["name", "kind", "status", "planned_period", "actual_period", "slippage_months", "overdue"],
    )
    return Chart(_facilities_title(data), figure, out)


def _facilities_title(data: pd.DataFrame) -> str:
    operational = int((data["state"] == "operational").sum())
    overdue = data[data["state"] == "overdue"]
    title = strings.FACILITIES_TITLE.format(operational=operational, count=len(data))
    if overdue.empty:
        return title + strings.FACILITIES_NONE_OVERDUE
    return title + strings.FACILITIES_OVERDUE.format(
        count=len(overdue), months=quantity(int(overdue["slippage_months"].max()), "month")
    )
