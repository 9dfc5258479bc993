"""A part of a target: a selection that leaves out some of the programmes a target covers (a
funding source, a delivery mode, a cluster inside a region) shows its contribution to the
target, never a status of the whole target computed from the part."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.running import scope_groups

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


def covered_in_part(frames: Frames, selected: Frames, targets: pd.DataFrame) -> pd.Series:
    """Whether the ``selected`` frames (``frames`` narrowed by filters) leave out programmes
    that each target (rows with ``scope``, ``scope_id``, ``level``) covers."""
    programmes = frames.programmes
    chosen = np.zeros(len(programmes["programme_id"].cat.categories) + 1, dtype=bool)
    chosen[selected.programmes["programme_id"].cat.codes.to_numpy()] = True
    left_out = ~chosen[programmes["programme_id"].cat.codes.to_numpy()]
    part = np.zeros(len(targets), dtype=bool)
    for kind in map(str, np.unique(targets["scope"].astype(str))):
        group, target_group, size = scope_groups(frames, targets, kind)
        known = group >= 0
        missing = np.bincount(group[known], weights=left_out[known], minlength=size) > 0
        mine = target_group >= 0
        part[mine] = missing[target_group[mine]]
    return pd.Series(part, index=targets.index)


def as_parts(table: pd.DataFrame, part: pd.Series) -> pd.DataFrame:
    """Rows of assessed targets where ``part`` is true, turned into contributions: achieved
    without the baseline value (the part's own progress), attainment its share of the
    target, and the whole target's measures left out. Adds the ``part`` column."""
    if not part.any():  # the usual case: whole targets, nothing to change
        return table.assign(part=part)
    whole = ~part.to_numpy(bool)
    achieved = table["achieved"].to_numpy("float64")
    achieved = np.where(whole, achieved, achieved - table["baseline_value"].to_numpy("float64"))
    changed: dict[str, Any] = {
        "achieved": achieved,
        "attainment": achieved / table["target"].to_numpy("float64"),
        "part": part,
    }
    # Plain numpy per column: this runs on every request whose selection is a part.
    for name in WHOLE_ONLY:
        if name not in table:
            continue
        column = table[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = np.where(whole, column.cat.codes.to_numpy(), -1)
            changed[name] = pd.Categorical.from_codes(codes, dtype=column.dtype)
        elif pd.api.types.is_bool_dtype(column):
            changed[name] = column.to_numpy(bool) & whole  # a part is not counted as on time
        elif pd.api.types.is_numeric_dtype(column):
            changed[name] = np.where(whole, column.to_numpy("float64"), np.nan)
        else:  # text: missing
            changed[name] = or_none(column.to_numpy(object), whole)
    return table.assign(**changed)


def or_none(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` as objects, with ``None`` where ``keep`` is false."""
    shown = values.astype(object)
    shown[~keep] = None
    return shown
