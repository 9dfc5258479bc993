"""Running totals per programme and month answer a selection's sums exactly as a pass over its
progress rows does: any window, any scope, any filter, an earlier month."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from reports_helpers import tiny_frames
from sqlalchemy import Engine

from skills_roadmap.analysis import AnalysisSettings, Filters, apply_filters, load_frames, running
from skills_roadmap.analysis.attainment import assessed_by_month, assessed_targets, headline_targets
from skills_roadmap.analysis.flows import target_flows
from skills_roadmap.analysis.headline import headline, whole_targets
from skills_roadmap.analysis.periods import month_to_period, period_to_month
from skills_roadmap.analysis.running import SelectionFlows, measure_by


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("ES24",)),
        Filters(funding_sources=("ERDF",)),
        Filters(levels=("basic",), as_of="2024-06"),
        Filters(regions=("RO11",), as_of="2024-01"),
    ],
)
def test_selection_flows_equal_the_flows_of_the_narrowed_progress(filters: Filters) -> None:
    frames = tiny_frames()
    narrowed = apply_filters(frames, filters)
    light = apply_filters(frames, filters, progress=False)
    targets = narrowed.targets
    assert light.progress.empty and light.as_of == narrowed.as_of
    months = [period_to_month(p) for p in ("2023-01", "2024-01", "2024-07", "2025-01")]
    for month in [*months, float("nan")]:
        start = pd.Series(month, index=targets.index, dtype="float64")
        end = np.full(len(targets), np.nan if light.as_of is None else light.as_of)
        expected = target_flows(narrowed, targets).total_since(targets["target_id"], start, end)
        got = SelectionFlows(frames, light, targets).total_since(targets["target_id"], start, end)
        np.testing.assert_allclose(got, expected)


def test_a_measure_by_level_sums_the_selected_programmes_through_the_as_of_month() -> None:
    frames = tiny_frames()
    filters = Filters(regions=("ES24",), as_of="2024-12")
    narrowed = apply_filters(frames, filters)
    expected = (
        narrowed.progress.merge(narrowed.programmes[["programme_id", "level"]], on="programme_id")
        .groupby("level", observed=True)["completed"]
        .sum()
    )
    got = measure_by(frames, apply_filters(frames, filters, progress=False), "completed", "level")
    assert got.to_dict() == expected.astype(float).to_dict()


def test_what_a_snapshot_caches_is_dropped_with_the_snapshot() -> None:
    """A server replaces its snapshot after every upload: nothing cached from the old one may
    keep it (and its progress rows) alive."""
    frames = tiny_frames()
    headline(frames, Filters(regions=("ES24",)))
    headline(frames, Filters(funding_sources=("ERDF",), as_of="2024-06"))
    progress = weakref.ref(frames.progress)
    key = id(frames.progress)
    assert key in running._cache

    del frames
    gc.collect()
    assert progress() is None
    assert key not in running._cache


def test_programme_groups_are_computed_once_per_programmes_frame_not_per_snapshot() -> None:
    """A refresh that merges uploaded progress in keeps the programmes frame: the groups
    that follow from the programmes alone are the very ones computed before, and they go
    with the programmes frame."""
    frames = tiny_frames()
    targets = frames.targets
    before = running.scope_groups(frames, targets, "region")
    merged = replace(frames, progress=frames.progress.copy())  # what a merged upload leaves
    after = running.scope_groups(merged, targets, "region")
    programmes = weakref.ref(frames.programmes)
    key = id(frames.programmes)

    assert after[0] is before[0] and after[2] == before[2]
    assert key in running._cache
    del frames, merged
    gc.collect()
    assert programmes() is None
    assert key not in running._cache


def test_every_month_assessed_at_once_equals_each_month_assessed_alone(
    demo_engine: Engine,
) -> None:
    """The headline's whole targets come from one vectorised pass over every month; each
    month's rows are those of :func:`assessed_targets` with the frames read through it."""
    frames = load_frames(demo_engine)
    settings = AnalysisSettings()
    assert frames.as_of is not None
    months = [frames.as_of - back for back in (0, 1, 7, 13, 30)]
    every = assessed_by_month(frames, SelectionFlows(frames, frames, frames.targets), months)
    assert list(every["month"].unique()) == sorted(months)
    for month in months:
        through = apply_filters(frames, Filters(as_of=month_to_period(month)))
        alone = assessed_targets(through, target_flows(through, through.targets), settings)
        at_month = every[every["month"] == month].drop(columns="month").reset_index(drop=True)
        pd.testing.assert_frame_equal(at_month, alone, check_dtype=False)
        picked = whole_targets(frames, month, settings)
        pd.testing.assert_frame_equal(picked.drop(columns="headline"), alone, check_dtype=False)
        chosen = set(picked.loc[picked["headline"], "target_id"])
        assert chosen == set(headline_targets(alone, month // 12)["target_id"])
