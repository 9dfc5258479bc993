"""The regions of a level on a map of Europe, coloured and shaped by status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import strings
from dashboard.components.formats import as_percent, missing, people, percent
from dashboard.figures.base import Chart, axis_titles, empty_chart, labelled, level_label
from skills_roadmap import palette
from skills_roadmap.analysis.status import Status
from skills_roadmap.charts.style import new_figure
from skills_roadmap.i18n import gettext
from skills_roadmap.reports.safety import chart_text
from skills_roadmap.status_words import NO_STATUS_LEGEND, status_words

__all__ = ["STATUS_SYMBOLS", "map_chart"]

STATUS_SYMBOLS = {
    "on_track": "circle",
    "at_risk": "triangle-up",
    "off_track": "square",
    "none": "circle-open",
}


def _status_key(status: object) -> str:
    return status if isinstance(status, str) and status in palette.STATUS_COLOURS else "none"


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
        status_text=status.map(status_words),
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
    figure = new_figure()
    for key in ("on_track", "at_risk", "off_track", "none"):
        name = status_words(key) if key != "none" else gettext(NO_STATUS_LEGEND)
        colour = palette.STATUS_COLOURS.get(key, palette.MUTED)
        part = data[data["status_key"] == key]
        as_shape = part["scope_id"].isin(shaped)
        if as_shape.any():
            _add_shapes(figure, part[as_shape], geojson or {}, name, colour)
        if (~as_shape).any():  # no shape for it in the file: a marker at its coordinates
            _add_markers(figure, part[~as_shape], name, colour, key)
    axis_titles(figure)
    figure.update_geos(
        scope="europe",
        resolution=50,
        projection_type="mercator",
        showcountries=True,
        countrycolor=palette.GREY,
        showland=True,
        landcolor=palette.LAND,
        showocean=True,
        oceancolor=palette.OCEAN,
        showlakes=False,
        showframe=False,
        lataxis_range=[34, 71],
        lonaxis_range=[-25, 42],
    )
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    table_out = labelled(
        data.assign(level=level_label(level), status=data["status_text"]),
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
        strings.MAP_COUNT.format(count=int(counts.get(key, 0)), label=Status(key).label.lower())
        for key in ("at_risk", "off_track")
        if counts.get(key, 0)
    ]
    title = strings.MAP_TITLE.format(
        level=level_label(level),
        on_track=int(counts.get("on_track", 0)),
        regions=judged,
        others="".join(f", {part}" for part in parts),
    )
    if counts.get("none", 0):
        title += strings.MAP_WITHOUT_TARGET.format(count=int(counts["none"]))
    return title
