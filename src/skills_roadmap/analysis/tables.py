"""A selection's tables row by row (targets, clusters, programmes, progress), shared by the
reports and the read API so that a row reads the same in both."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import assessed_targets
from skills_roadmap.analysis.completeness import reporting_completeness
from skills_roadmap.analysis.contribution import contribution
from skills_roadmap.analysis.flows import divide, programme_totals, target_flows
from skills_roadmap.analysis.frames import BREAKDOWN_BANDS, PROGRESS_MEASURES, Frames
from skills_roadmap.analysis.funnel import funnel
from skills_roadmap.analysis.money import money
from skills_roadmap.analysis.overview import NETWORK_NAME
from skills_roadmap.analysis.periods import months_of_periods
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.domain import ScopeKind

__all__ = [
    "cluster_table",
    "programme_table",
    "progress_order",
    "progress_table",
    "scope_names",
    "str_keys",
    "target_table",
]

_MEASURES = list(PROGRESS_MEASURES)
# Programmes and months packed into one sortable key: a month index stays below 2**20.
_MONTH_BITS = 20


def str_keys(frame: pd.DataFrame, *keys: str) -> pd.DataFrame:
    """``frame`` with categorical key columns as plain text, so merges never mix categories."""
    return frame.astype({key: object for key in keys if key in frame})


def scope_names(frames: Frames, targets: pd.DataFrame) -> pd.Series:
    """The name of each target's network, region or cluster."""
    names = {
        **frames.regions.set_index(frames.regions["region_code"].astype(str))["name"].to_dict(),
        **frames.clusters.set_index(frames.clusters["cluster_id"].astype(str))["name"].to_dict(),
    }
    network = targets["scope"] == ScopeKind.NETWORK.value
    return pd.Series(
        np.where(network, NETWORK_NAME, targets["scope_id"].map(names)), index=targets.index
    )


def target_table(frames: Frames, selected: Frames, settings: AnalysisSettings) -> pd.DataFrame:
    """Attainment, status and forecast of every selected target, one row each, with the name
    of its scope: one pass over the progress serves achieved values, run rates and status.

    ``frames`` are the unfiltered frames (for the names), ``selected`` the selection's.
    """
    table = assessed_targets(selected, target_flows(selected, selected.targets), settings)
    table["scope_name"] = scope_names(frames, table)
    return table.astype({"scope": object, "level": object, "metric": object, "status": object})


def cluster_table(frames: Frames, selected: Frames) -> pd.DataFrame:
    """Every cluster selected or running a selected programme: its programmes, people,
    capacity use, share of the completions and money, ordered by cluster id."""
    key: Literal["cluster_id"] = "cluster_id"
    ids = set(selected.clusters[key].astype(str)) | set(selected.programmes[key].astype(str))
    base = str_keys(frames.clusters[frames.clusters[key].astype(str).isin(ids)], key)
    counts = selected.programmes.groupby(key, observed=True).size().rename("programmes")
    share = contribution(selected, key)[
        [
            key,
            "enrolled",
            "achieved",
            "capacity",
            "expected_enrolled",
            "capacity_use",
            "share",
            "carries",
        ]
    ].rename(columns={"achieved": "completed", "share": "completed_share"})
    certified = funnel(selected, [key])[[key, "certified"]]
    spend = money(selected, [key])[[key, "budget_eur", "spend_eur", "absorption"]]
    table = base[[key, "name", "region_code", "helix_roles"]].astype({"region_code": object})
    for part_table in (counts.reset_index(), share, certified, spend):
        table = table.merge(str_keys(part_table, key), on=key, how="left")
    return table.assign(programmes=table["programmes"].fillna(0)).sort_values(key, kind="stable")


def programme_table(selected: Frames, completeness: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every selected programme with its totals so far, completion rate, absorption, capacity
    use and reporting: ``last_period`` (``YYYY-MM``) and ``months_late``.

    A total is blank (NaN) when the programme never reported that measure, never 0.
    ``completeness`` is :func:`~skills_roadmap.analysis.completeness.reporting_completeness`
    of ``selected`` when the caller has it already.
    """
    key: Literal["programme_id"] = "programme_id"
    totals = programme_totals(selected, _MEASURES)
    use = contribution(selected, key)[[key, "capacity_use"]]
    if completeness is None:
        completeness = reporting_completeness(selected)
    late = completeness[[key, "last_period", "months_late"]]
    table = str_keys(
        totals,
        key,
        "cluster_id",
        "region_code",
        "level",
        "provider_helix",
        "delivery_mode",
        "funding_source",
    )
    for part_table in (use, late):
        table = table.merge(str_keys(part_table, key), on=key, how="left")
    return table.assign(
        completion_rate=divide(table["completed"], table["enrolled"]),
        absorption=divide(table["spend_eur"], table["budget_eur"]),
    )


def _progress_keys(selected: Frames, rows: pd.DataFrame | None = None) -> np.ndarray:
    progress = selected.progress if rows is None else rows
    codes = progress["programme_id"].cat.codes.to_numpy(np.int64)
    return codes << _MONTH_BITS | progress["month"].to_numpy(np.int64)


def _bands(selected: Frames, keys: np.ndarray) -> dict[str, np.ndarray]:
    """The ESF+ bands (``Frames.breakdowns``) of the progress rows ``keys``, NaN where a row
    reported none: looked up by key among the few rows that report any."""
    breakdowns = selected.breakdowns
    position = pd.Index(_progress_keys(selected, breakdowns)).get_indexer(keys)
    found = position >= 0
    bands = {}
    for name in BREAKDOWN_BANDS:
        values = np.full(len(keys), np.nan)
        values[found] = breakdowns[name].to_numpy("float64")[position[found]]
        bands[name] = values
    return bands


def progress_order(selected: Frames) -> np.ndarray:
    """Positions of the selection's progress rows ordered by programme and month (the order of
    the Progress table and of ``/api/v1/progress``)."""
    keys = _progress_keys(selected)
    if (np.diff(keys) >= 0).all():
        return np.arange(len(keys))
    return np.argsort(keys, kind="stable")


def progress_table(
    selected: Frames, notes: pd.DataFrame | None = None, positions: np.ndarray | None = None
) -> pd.DataFrame:
    """The selection's progress rows in the progress sheet's columns: ``programme_id``,
    ``period`` (a month index), the measures (blank: not reported), ``notes`` and the ESF+
    bands (blank: not reported).

    Args:
        selected: the selection's frames.
        notes: ``programme_id``, ``period`` ('YYYY-MM') and ``notes``, one row per non-empty
            note (the frames leave notes out); without them notes are blank.
        positions: which rows, from :func:`progress_order` (a page of it); all by default.
    """
    progress = selected.progress
    if positions is None:
        positions = progress_order(selected)
    keys = _progress_keys(selected)[positions]
    months = keys & ((1 << _MONTH_BITS) - 1)
    note_text: np.ndarray = np.full(len(positions), None, dtype=object)
    if notes is not None and len(notes):
        categories = progress["programme_id"].cat.categories
        note_codes = categories.get_indexer(pd.Index(notes["programme_id"].astype(str)))
        note_keys = pd.Index(
            note_codes.astype(np.int64) << _MONTH_BITS | months_of_periods(notes["period"])
        )
        position = note_keys.get_indexer(keys)
        note_text = np.concatenate([notes["notes"].to_numpy(object), [None]])[position]
    return pd.DataFrame(
        {
            "programme_id": progress["programme_id"].array.take(positions),
            "period": months,
            **{name: progress[name].to_numpy()[positions] for name in _MEASURES},
            "notes": pd.Series(note_text, dtype=object),  # mostly blank: no string copy
            **_bands(selected, keys),
        }
    )
