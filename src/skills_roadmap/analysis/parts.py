"""A part of a target: a selection that leaves out some of the programmes a target covers (a
funding source, a delivery mode, a cluster inside a region) shows its contribution to the
target, never a status of the whole target computed from the part."""

from __future__ import annotations

import numpy as np
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


def covered_in_part(frames: Frames, selected: Frames, targets: pd.DataFrame) -> pd.Series:
    """Whether the ``selected`` frames (``frames`` narrowed by filters) leave out programmes
    that each target (rows with ``scope``, ``scope_id``, ``level``) covers."""
    programmes = frames.programmes
    levels = programmes["level"].cat.categories
    chosen = np.zeros(len(programmes["programme_id"].cat.categories) + 1, dtype=bool)
    chosen[selected.programmes["programme_id"].cat.codes.to_numpy()] = True
    chosen = chosen[programmes["programme_id"].cat.codes.to_numpy()]
    level_codes = programmes["level"].cat.codes.to_numpy(np.int64)
    target_levels = levels.get_indexer(pd.Index(targets["level"].astype(object)))
    kinds = targets["scope"].astype(str).to_numpy()
    part = np.zeros(len(targets), dtype=bool)
    for kind in map(str, np.unique(kinds)):
        key = SCOPE_KEY[kind]
        if key is None:
            key_codes = np.zeros_like(level_codes)
            target_keys = np.zeros(len(targets), dtype=np.int64)
            size = len(levels)
        else:
            categories = programmes[key].cat.categories
            key_codes = programmes[key].cat.codes.to_numpy(np.int64)
            target_keys = categories.get_indexer(pd.Index(targets["scope_id"].astype(object)))
            size = len(categories) * len(levels)
        known = (key_codes >= 0) & (level_codes >= 0)
        group = key_codes[known] * len(levels) + level_codes[known]
        left_out = np.bincount(group, weights=~chosen[known], minlength=size) > 0
        mine = (kinds == kind) & (target_keys >= 0) & (target_levels >= 0)
        part[mine] = left_out[target_keys[mine] * len(levels) + target_levels[mine]]
    return pd.Series(part, index=targets.index)


def as_parts(table: pd.DataFrame, part: pd.Series) -> pd.DataFrame:
    """Rows of assessed targets where ``part`` is true, turned into contributions: achieved
    without the baseline value (the part's own progress), attainment its share of the
    target, and the whole target's measures left out. Adds the ``part`` column."""
    if not part.any():  # the usual case: whole targets, nothing to change
        return table.assign(part=part)
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
