"""A part of a target: a selection that leaves out some of the programmes a target covers (a
funding source, a delivery mode, a cluster inside a region) shows its contribution to the
target, never a status of the whole target computed from the part."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis.flows import SCOPE_KEY
from skills_roadmap.analysis.frames import Frames

# What a part of the programmes cannot say about the whole target.
WHOLE_ONLY = [
    "expected",
    "ratio",
    "gap",
    "status",
    "forecast",
    "run_rate",
    "required_run_rate",
    "remaining",
    "months_left",
    "forecast_period",
    "on_time",
]


def _programme_counts(programmes: pd.DataFrame, scope: pd.Series, level: pd.Series) -> pd.Series:
    """Programmes per (scope kind, scope id, level)."""
    keys = []
    for kind, key in SCOPE_KEY.items():
        ids = programmes[key].astype(str) if key else pd.Series("", index=programmes.index)
        keys.append(pd.DataFrame({"scope": kind, "scope_id": ids, "level": level}))
    stacked = pd.concat(keys, ignore_index=True)
    return stacked.groupby(["scope", "scope_id", "level"]).size()


def covered_in_part(frames: Frames, selected: Frames, targets: pd.DataFrame) -> pd.Series:
    """Whether the ``selected`` frames (``frames`` narrowed by filters) leave out programmes
    that each target (rows with ``scope``, ``scope_id``, ``level``) covers."""
    keys = pd.MultiIndex.from_arrays(
        [
            targets["scope"].astype(str),
            targets["scope_id"].fillna("").astype(str),
            targets["level"].astype(str),
        ]
    )

    def counts(programmes: pd.DataFrame) -> pd.Series:
        level = programmes["level"].astype(str)
        return _programme_counts(programmes, targets["scope"], level).reindex(keys, fill_value=0)

    every = counts(frames.programmes).to_numpy()
    chosen = counts(selected.programmes).to_numpy()
    return pd.Series(chosen < every, index=targets.index)


def as_parts(table: pd.DataFrame, part: pd.Series) -> pd.DataFrame:
    """Rows of assessed targets where ``part`` is true, turned into contributions: achieved
    without the baseline value (the part's own progress), attainment its share of the
    target, and the whole target's measures left out. Adds the ``part`` column."""
    achieved = table["achieved"].where(~part, table["achieved"] - table["baseline_value"])
    changed = {"achieved": achieved, "attainment": achieved / table["target"], "part": part}
    for name in WHOLE_ONLY:
        if name not in table:
            continue
        column = table[name]
        if pd.api.types.is_bool_dtype(column):
            changed[name] = column & ~part  # a part is not counted as on time
        elif pd.api.types.is_object_dtype(column):
            changed[name] = column.where(~part, None)
        else:  # numbers and categories: missing
            changed[name] = column.where(~part)
    return table.assign(**changed)
