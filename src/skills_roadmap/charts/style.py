"""The house style of every chart: plotly_white's look in the palette's colours, readable
fonts, legend above, room for long labels."""

from __future__ import annotations

import plotly.graph_objects as go

from skills_roadmap import palette

__all__ = ["FONT", "HOUSE_TEMPLATE", "new_figure"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_AXIS = {
    "gridcolor": palette.GRID,
    "linecolor": palette.GRID,
    "zerolinecolor": palette.GRID,
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}
HOUSE_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13, "color": palette.INK},
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
"""The house template. Only what the charts use, built once: plotly validates and copies a
template into every figure, and a named one such as ``plotly_white`` cost most of a chart
callback's time (and 7 KB of every chart sent to the browser)."""


def new_figure() -> go.Figure:
    """An empty figure in the house style."""
    return go.Figure(layout={"template": HOUSE_TEMPLATE})
