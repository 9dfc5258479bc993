"""ESF+ participant breakdowns: each band's share of the participants it was reported for."""

from __future__ import annotations

import pandas as pd

from dashboard import strings
from dashboard.components.formats import as_percent, percent
from dashboard.figures.base import Chart, axis_titles, empty_chart, empty_message, labelled
from skills_roadmap import palette
from skills_roadmap.charts.style import new_figure
from skills_roadmap.fields import BREAKDOWNS
from skills_roadmap.i18n import gettext

__all__ = ["esf_chart"]

COLOURS = dict(zip(BREAKDOWNS, palette.BREAKDOWN_COLOURS, strict=True))
"""Each breakdown's colour, by its name in English (the catalogue's)."""


def esf_chart(table: pd.DataFrame, selection: str = "", clear: str = "") -> Chart:
    """Bars of each reported band's share, coloured by breakdown, the share of enrolments
    that reported it in the hover and the table; the title says how much each breakdown was
    reported (its widest-reported band).

    ``table`` is :func:`~skills_roadmap.analysis.esf_breakdowns`; bands never reported are
    listed in the table view but not drawn.
    """
    reported = table[table["people"].notna()]
    if reported.empty:
        return empty_chart(
            empty_message(strings.EMPTY_ESF, strings.EMPTY_ESF_FILTERED, selection, clear)
        )
    colours = table["breakdown"].map(COLOURS)
    table = table.assign(
        breakdown=table["breakdown"].map(gettext), header=table["header"].map(gettext)
    )
    data = table.assign(
        band=table["breakdown"] + ": " + table["header"],
        band_share_pct=table["share"].map(as_percent),
        band_reported_pct=table["reported_share"].map(as_percent),
    )
    shown = data[data["people"].notna()]
    figure = new_figure()
    for breakdown, bands in shown.groupby("breakdown", sort=False):
        figure.add_bar(
            x=bands["band_share_pct"],
            y=bands["header"],  # the breakdown is the bar's colour and legend: short labels fit
            orientation="h",
            name=str(breakdown),
            marker_color=colours[bands.index[0]],
            text=bands["band_share_pct"].map(lambda value: f"{value:.0f}%"),
            textposition="outside",
            customdata=list(
                zip(bands["people"], bands["band_reported_pct"].fillna(0.0), strict=True)
            ),
            hovertemplate=strings.ESF_HOVER.format(
                band=f"{breakdown}: %{{y}}",
                share="%{x:.1f}%",
                people="%{customdata[0]:,.0f}",
                reported="%{customdata[1]:.0f}%",
            )
            + "<extra></extra>",
        )
    axis_titles(figure, x_title=strings.ESF_AXIS)
    figure.update_xaxes(ticksuffix="%", range=[0, 105])
    figure.update_yaxes(autorange="reversed")
    widest = data.groupby("breakdown", sort=False)["reported_share"].max()
    parts = ", ".join(
        strings.ESF_REPORTED.format(breakdown=str(name).lower(), share=percent(share))
        for name, share in widest.items()
    )
    out = labelled(
        data.assign(band=data["header"]),
        ["breakdown", "band", "people", "band_share_pct", "band_reported_pct"],
    )
    return Chart(strings.ESF_TITLE.format(reported=parts), figure, out)
