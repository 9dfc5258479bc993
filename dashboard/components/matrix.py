"""What the matrix page and the region page share: the cached region × cluster matrix of a
selection, and a cluster's cell (a link to its page, where it is based when elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc

from dashboard import strings
from dashboard.components.sections import cluster_path
from dashboard.data import cached, selected_frames
from dashboard.figures.base import LEVELS
from skills_roadmap.analysis import Filters, region_cluster_matrix


def matrix_of(filters: Filters) -> pd.DataFrame:
    """The region × cluster matrix of a selection, once per data version."""
    return cached(
        "matrix",
        filters,
        lambda frames, chosen: region_cluster_matrix(frames, chosen, selected_frames(chosen)),
    )


def cluster_cell(row: Mapping[Any, Any], filters: Filters) -> list[Any]:
    """A cluster's name as a link to its page, and where it is based when not here."""
    cell: list[Any] = [dcc.Link(row["cluster_name"], href=cluster_path(row["cluster_id"], filters))]
    if not row["based_here"]:
        based = strings.BASED_IN.format(region=row["home_name"])
        cell.append(dbc.Badge(based, color="light", text_color="dark", className="ms-2 border"))
    return cell


def level_columns(pairs: pd.DataFrame) -> list[str]:
    """The levels the pairs hold, widest first."""
    return [level for level in LEVELS if f"completed_{level}" in pairs]
