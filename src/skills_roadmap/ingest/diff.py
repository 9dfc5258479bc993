"""Compare an upload's valid rows with the stored ones: new, changed (old -> new), unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from skills_roadmap.ingest.cells import python_values

STORED_SUFFIX = "__stored"


@dataclass(frozen=True)
class RowDiff:
    """How an upload's rows relate to the stored ones, by key.

    Attributes:
        new: incoming rows whose key is not stored yet.
        changed: incoming rows whose key is stored with at least one different field.
        unchanged: incoming rows identical to what is stored (in the compared fields).
        changes: one record per changed field: the key columns, ``row``, ``field``, ``old``,
            ``new``.
        fields: the fields compared (the columns the sheet has).
    """

    new: pd.DataFrame
    changed: pd.DataFrame
    unchanged: pd.DataFrame
    changes: pd.DataFrame
    fields: tuple[str, ...]


def diff_rows(
    incoming: pd.DataFrame, stored: pd.DataFrame, *, key: Sequence[str], fields: Sequence[str]
) -> RowDiff:
    """Split ``incoming`` into new, changed and unchanged rows against ``stored``.

    Two missing values are equal (a field left "not reported" stays so); a missing value and a
    number differ. Only ``fields`` are compared: a column absent from the sheet changes nothing.
    """
    key, fields = list(key), list(fields)
    change_columns = [*key, "row", "field", "old", "new"]
    if stored.empty or incoming.empty:
        return RowDiff(
            new=incoming,
            changed=incoming.iloc[0:0],
            unchanged=incoming.iloc[0:0],
            changes=pd.DataFrame(columns=change_columns),
            fields=tuple(fields),
        )
    merged = incoming.merge(
        stored[[*key, *fields]],
        on=key,
        how="left",
        suffixes=("", STORED_SUFFIX),
        indicator=True,
    )
    merged.index = incoming.index
    exists = (merged["_merge"] == "both").to_numpy()
    differs = {}
    for field in fields:
        new, old = merged[field], merged[field + STORED_SUFFIX]
        same = (new == old).fillna(False).to_numpy(dtype=bool) | (
            new.isna().to_numpy() & old.isna().to_numpy()
        )
        differs[field] = exists & ~same
    any_change = np.logical_or.reduce(list(differs.values())) if fields else np.zeros_like(exists)
    changes = [
        pd.DataFrame(
            {
                **{name: _objects(merged.loc[mask, name]) for name in key},
                "row": merged.loc[mask, "row"].to_numpy(),
                "field": pd.Series(field, index=range(int(mask.sum())), dtype=object),
                "old": _objects(merged.loc[mask, field + STORED_SUFFIX]),
                "new": _objects(merged.loc[mask, field]),
            }
        )
        for field, mask in differs.items()
        if mask.any()
    ]
    change_frame = (
        pd.concat(changes, ignore_index=True).sort_values("row", kind="stable", ignore_index=True)
        if changes
        else pd.DataFrame(columns=change_columns)
    )
    return RowDiff(
        new=incoming[~exists],
        changed=incoming[any_change],
        unchanged=incoming[exists & ~any_change],
        changes=change_frame,
        fields=tuple(fields),
    )


def _objects(values: pd.Series) -> pd.Series:
    """Plain Python values with ``None`` for missing ones (no string-dtype inference)."""
    return pd.Series(python_values(values), dtype=object)
