"""Properties of the analysis on random small networks: unions add up, filters never add,
row order never matters."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills_roadmap.analysis import (
    Filters,
    Frames,
    apply_filters,
    attainment,
    build_frames,
    forecast,
    funnel,
    money,
    summarise_attainment,
)

REGIONS = ["AA1", "BB2", "CC3"]
CLUSTERS = {"c1": "AA1", "c2": "AA1", "c3": "BB2", "c4": "CC3"}
LEVELS = ["basic", "intermediate", "expert"]
FUNDING = ["ERDF", "ESF+"]
METRICS = ["enrolled", "completed", "certified"]
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def networks(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """Plain tables of a random network: programmes in clusters, monthly progress, and for one
    level and metric a target for the network and for every region, all from a 0 baseline."""
    count = draw(st.integers(1, 8))
    programmes = pd.DataFrame(
        {
            "programme_id": [f"p{i}" for i in range(count)],
            "cluster_id": draw(
                st.lists(st.sampled_from(list(CLUSTERS)), min_size=count, max_size=count)
            ),
            "level": draw(st.lists(st.sampled_from(LEVELS), min_size=count, max_size=count)),
            "funding_source": draw(
                st.lists(st.sampled_from(FUNDING), min_size=count, max_size=count)
            ),
            "budget_eur": draw(st.lists(st.floats(0, 1e5), min_size=count, max_size=count)),
            "start": "2023-06-01",
            "end": "2026-12-31",
        }
    )
    programmes["region_code"] = programmes["cluster_id"].map(CLUSTERS)
    reports: list[dict[str, Any]] = []
    for programme in programmes["programme_id"]:
        for month in draw(st.sets(st.integers(0, 29), max_size=8)):
            completed = draw(st.integers(0, 50))
            reports.append(
                {
                    "programme_id": programme,
                    "period": f"{2023 + (month + 6) // 12}-{(month + 6) % 12 + 1:02d}",
                    "enrolled": draw(st.integers(0, 80)),
                    "completed": completed,
                    "certified": draw(st.none() | st.integers(0, completed)),
                    "spend_eur": draw(st.none() | st.floats(0, 1e4)),
                }
            )
    progress = pd.DataFrame(
        reports,
        columns=["programme_id", "period", "enrolled", "completed", "certified", "spend_eur"],
    )
    level, metric = draw(st.sampled_from(LEVELS)), draw(st.sampled_from(METRICS))
    deadline = draw(st.integers(2025, 2027))
    scopes = [("network", None), *(("region", code) for code in REGIONS)]
    targets = pd.DataFrame(
        {
            "target_id": [f"t-{scope_id or 'network'}" for _, scope_id in scopes],
            "scope": [scope for scope, _ in scopes],
            "scope_id": [scope_id for _, scope_id in scopes],
            "level": level,
            "metric": metric,
            "baseline_year": 2024,
            "deadline_year": deadline,
            "value": draw(st.lists(st.integers(1, 2000), min_size=4, max_size=4)),
        }
    )
    return {
        "regions": pd.DataFrame({"region_code": REGIONS}),
        "clusters": pd.DataFrame(
            {"cluster_id": list(CLUSTERS), "region_code": list(CLUSTERS.values())}
        ),
        "programmes": programmes,
        "progress": progress,
        "targets": targets,
    }


def frames_of(tables: dict[str, pd.DataFrame]) -> Frames:
    return build_frames(
        regions=tables["regions"],
        clusters=tables["clusters"],
        programmes=tables["programmes"],
        progress=tables["progress"],
        targets=tables["targets"],
    )


@PROPERTY_SETTINGS
@given(networks())
def test_attainment_of_a_union_is_its_summed_achieved_over_its_summed_targets(
    tables: dict[str, pd.DataFrame],
) -> None:
    table = attainment(frames_of(tables)).set_index("target_id")
    regional = table[table["scope"] == "region"]
    # The regions partition the network's programmes, so their achievements add up to it.
    assert table.loc["t-network", "achieved"] == pytest.approx(regional["achieved"].sum())
    union = summarise_attainment(regional.reset_index())
    assert union["attainment"].iloc[0] == pytest.approx(
        regional["achieved"].sum() / regional["target"].sum()
    )
    assert union["expected"].iloc[0] == pytest.approx(
        regional["expected"].sum(min_count=1), nan_ok=True
    )


@st.composite
def selections(draw: st.DrawFn) -> Filters:
    return Filters(
        regions=tuple(draw(st.sets(st.sampled_from(REGIONS), max_size=2))),
        clusters=tuple(draw(st.sets(st.sampled_from(list(CLUSTERS)), max_size=2))),
        levels=tuple(draw(st.sets(st.sampled_from(LEVELS), max_size=2))),
        funding_sources=tuple(draw(st.sets(st.sampled_from(FUNDING), max_size=1))),
        as_of=draw(st.none() | st.sampled_from(["2024-03", "2024-12", "2025-06"])),
    )


def _total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].fillna(0).sum())


@PROPERTY_SETTINGS
@given(networks(), selections())
def test_filtering_never_increases_totals(
    tables: dict[str, pd.DataFrame], filters: Filters
) -> None:
    frames = frames_of(tables)
    # Funding sources must exist in the data to be selectable.
    present = set(tables["programmes"]["funding_source"])
    filters = filters.model_copy(
        update={"funding_sources": tuple(s for s in filters.funding_sources if s in present)}
    )
    narrowed = apply_filters(frames, filters)
    # Compare at the same as-of month so only the selection differs.
    everything = apply_filters(frames, Filters(as_of=narrowed.as_of_period))
    full = attainment(everything).set_index("target_id")
    part = attainment(narrowed).set_index("target_id")
    assert set(part.index) <= set(full.index)
    assert (part["achieved"] <= full.loc[part.index, "achieved"] + 1e-9).all()
    assert _total(part, "target") <= _total(full, "target")
    for measure in ["enrolled", "completed", "certified"]:
        assert _total(funnel(narrowed, by=()), measure) <= _total(
            funnel(everything, by=()), measure
        )
    for measure in ["budget_eur", "spend_eur"]:
        assert (
            _total(money(narrowed, by=()), measure)
            <= _total(money(everything, by=()), measure) + 1e-6
        )


def _shuffled(tables: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    generator = np.random.default_rng(seed)
    return {
        name: frame.iloc[generator.permutation(len(frame))].reset_index(drop=True)
        for name, frame in tables.items()
    }


def _canonical(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.astype({key: str for key in keys}).sort_values(keys).reset_index(drop=True)


@PROPERTY_SETTINGS
@given(networks(), st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_row_order(tables: dict[str, pd.DataFrame], seed: int) -> None:
    original, shuffled = frames_of(tables), frames_of(_shuffled(tables, seed))
    pd.testing.assert_frame_equal(
        _canonical(attainment(original), ["target_id"]),
        _canonical(attainment(shuffled), ["target_id"]),
    )
    pd.testing.assert_frame_equal(
        _canonical(forecast(original), ["target_id"]),
        _canonical(forecast(shuffled), ["target_id"]),
    )
    keys = ["region_code", "level"]
    pd.testing.assert_frame_equal(
        _canonical(funnel(original, by=keys), keys), _canonical(funnel(shuffled, by=keys), keys)
    )
    pd.testing.assert_frame_equal(
        _canonical(money(original, by=keys), keys), _canonical(money(shuffled, by=keys), keys)
    )
