"""Links to the pages of the regions, clusters and programmes a chart's table names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash

from dashboard import strings
from dashboard.data import cached
from skills_roadmap.analysis import Filters, Frames

CODE_COLUMNS = {
    strings.COLUMNS["scope_id"]: (strings.COLUMNS["name"],),
    strings.COLUMNS["id"]: (strings.COLUMNS["name"],),
    strings.COLUMNS["region_code"]: (strings.COLUMNS["region_name"], strings.COLUMNS["name"]),
    strings.COLUMNS["cluster_id"]: (strings.COLUMNS["cluster_name"],),
}
"""A column that may hold codes, and the columns that name what it codes (the first one the
table has is the link; without one, the code itself is)."""

PAGES = {
    "regions": "/region/{code}",
    "clusters": "/cluster/{code}",
    "programmes": "/programmes?programme={code}",
}


def _codes(frames: Frames, _filters: Filters) -> dict[str, frozenset[str]]:
    return {
        "regions": frozenset(frames.regions["region_code"].astype(str)),
        "clusters": frozenset(frames.clusters["cluster_id"].astype(str)),
        "programmes": frozenset(frames.programmes["programme_id"].astype(str)),
    }


def known_codes() -> dict[str, frozenset[str]]:
    """The network's region codes, cluster ids and programme ids, once per data version."""
    return cached("link-codes", Filters(), _codes)


def _kind(values: list[Any], codes: dict[str, frozenset[str]]) -> str | None:
    """Which kind of code every non-blank value of a column is, if one is."""
    present = {str(value) for value in values if value is not None}
    if not present:
        return None
    return next((kind for kind, known in codes.items() if present <= known), None)


def row_links(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[int, int]:
    """Which columns of a table become links: ``{shown column: column of its code}``, for
    each column of codes whose every value is a region, cluster or programme of the network.
    Nothing is asked of the data when no column may hold codes (an empty chart's message)."""
    candidates = [i for i, column in enumerate(columns) if column in CODE_COLUMNS]
    if not candidates:
        return {}
    codes = known_codes()
    links: dict[int, int] = {}
    for i in candidates:
        if _kind([row[i] for row in rows], codes) is None:
            continue
        named = [columns.index(name) for name in CODE_COLUMNS[columns[i]] if name in columns]
        shown = next((j for j in named if j not in links), i)
        links[shown] = i
    return links


def code_path(code: str) -> str | None:
    """The page of a region, cluster or programme by its code; None for anything else."""
    for kind, known in known_codes().items():
        if code in known:
            return dash.get_relative_path(PAGES[kind].format(code=code))
    return None
