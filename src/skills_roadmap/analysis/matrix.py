"""The region × cluster matrix: what each cluster trains in each region it works in, per level."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.attainment import headline_targets
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import LEVEL_DTYPE, Frames
from skills_roadmap.analysis.periods import january
from skills_roadmap.domain import Metric, ScopeKind

__all__ = ["MATRIX_COLUMNS", "region_cluster_matrix"]

MATRIX_COLUMNS = [
    "region_code",
    "region_name",
    "cluster_id",
    "cluster_name",
    "home_region",
    "home_region_name",
    "based_here",
    "level",
    "programmes",
    "completed",
    "target_id",
    "metric",
    "target",
    "counted",
    "attainment",
]
_PAIR = ["region_code", "cluster_id"]
_CELL = [*_PAIR, "level"]


def _pairs(frames: Frames, selected: Frames, filters: Filters) -> pd.DataFrame:
    """The regions each selected cluster works in (inside the selected regions, if any) and
    the region-cluster pairs the selected programmes run in, as text."""
    works = frames.cluster_regions[_PAIR].astype(str)
    works = works[works["cluster_id"].isin(selected.clusters["cluster_id"].astype(str))]
    if filters.regions:
        works = works[works["region_code"].isin([str(code) for code in filters.regions])]
    runs = selected.programmes[_PAIR].astype(str)
    return pd.concat([works, runs], ignore_index=True).drop_duplicates(ignore_index=True)


def _cell_codes(frame: pd.DataFrame, frames: Frames) -> np.ndarray:
    """One integer per region × cluster × level of ``frame``'s rows (from the categories of the
    unfiltered frames; -1 where one is unknown)."""
    region = frames.regions["region_code"].cat.categories.get_indexer(
        pd.Index(frame["region_code"].astype(str))
    )
    cluster = frames.clusters["cluster_id"].cat.categories.get_indexer(
        pd.Index(frame["cluster_id"].astype(str))
    )
    level = LEVEL_DTYPE.categories.get_indexer(pd.Index(frame["level"].astype(str)))
    clusters, levels = (
        len(frames.clusters["cluster_id"].cat.categories),
        len(LEVEL_DTYPE.categories),
    )
    codes = (region.astype(np.int64) * clusters + cluster) * levels + level
    return np.where((region < 0) | (cluster < 0) | (level < 0), -1, codes)


def _headline_region_targets(
    frames: Frames, regions: pd.Series, levels: list[str], as_of: int | None
) -> pd.DataFrame:
    """The target heading each region and level (see ``headline_targets``), keyed by
    ``region_code`` and ``level`` as text, with the month it starts counting from."""
    targets = frames.targets
    own = targets[
        (targets["scope"] == ScopeKind.REGION.value)
        & targets["scope_id"].isin(set(regions))
        & targets["level"].astype(str).isin(levels)
    ]
    heads = headline_targets(own, None if as_of is None else as_of // 12)
    return pd.DataFrame(
        {
            "region_code": heads["scope_id"].astype(str).to_numpy(),
            "level": heads["level"].astype(str).to_numpy(),
            "target_id": heads["target_id"].to_numpy(),
            "metric": heads["metric"].astype(str).to_numpy(),
            "target": heads["value"].to_numpy("float64"),
            "since": january(heads["baseline_year"]).to_numpy(np.int64),
        }
    )


def _sums(bins: np.ndarray, values: pd.Series, counted: np.ndarray, size: int) -> np.ndarray:
    """``values`` of the rows where ``counted`` summed per bin; NaN for a bin none reported."""
    numbers = values.to_numpy("float64")
    kept = counted & ~np.isnan(numbers)
    total = np.bincount(bins[kept], weights=numbers[kept], minlength=size)
    return np.where(np.bincount(bins[kept], minlength=size) > 0, total, np.nan)


def region_cluster_matrix(
    frames: Frames, filters: Filters | None = None, selected: Frames | None = None
) -> pd.DataFrame:
    """Per region, cluster working there and level: the people it trained there and its
    contribution to the region's target, for a selection of the unfiltered ``frames``.

    A cluster works in its home region, in every region it says it also works in and in
    every region it runs a programme in. The selection's filters narrow the regions, the
    clusters, the levels and the programmes counted, and set the as-of month.

    Definitions (each cell is one region × cluster × level):
        programmes: the selected programmes the cluster runs in the region at that level.
        completed: people who completed them, summed through the as-of month (blank when
            none of them has reported).
        target, metric, target_id: the region's headline target at that level (the one the
            region's page heads with: the earliest deadline not yet past); blank without one.
        counted: the target's metric summed over the cell's programmes from January of the
            target's baseline year through the as-of month: the cluster's part of what the
            region achieved since its baseline (the baseline value is nobody's part).
        attainment: counted / target, the cluster's contribution to the region's target;
            the cells of a region at one level add up to the region's attainment less its
            baseline's share. Never a status: a cluster inside a region is a part.

    Returns:
        :data:`MATRIX_COLUMNS`, keys as text: one row per region, cluster and level
        (``based_here``: the region is the cluster's home), ordered by region, then the
        clusters based there first, then cluster and level.

    ``selected`` is ``apply_filters(frames, filters)`` when the caller has it already.

    Raises:
        NotFoundError: ``filters`` names a region, cluster or funding source that does not
            exist.

    >>> from skills_roadmap.analysis import build_frames
    >>> frames = build_frames(
    ...     regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
    ...     clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
    ...     cluster_regions=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["RO11"]}),
    ...     programmes=pd.DataFrame({"programme_id": ["p"], "cluster_id": ["ai"],
    ...         "region_code": ["RO11"], "level": ["basic"], "start": ["2025-01-01"],
    ...         "end": ["2025-12-31"]}),
    ...     progress=pd.DataFrame({"programme_id": ["p"], "period": ["2025-03"],
    ...         "enrolled": [10], "completed": [4]}),
    ... )
    >>> table = region_cluster_matrix(frames, Filters(levels=("basic",)))
    >>> table[["region_code", "cluster_id", "based_here", "programmes", "completed"]]
      region_code cluster_id  based_here  programmes  completed
    0        ES24         ai        True           0        NaN
    1        RO11         ai       False           1        4.0
    """
    filters = filters or Filters()
    selected = apply_filters(frames, filters) if selected is None else selected
    levels = [str(level) for level in filters.levels] or list(LEVEL_DTYPE.categories)
    pairs = _pairs(frames, selected, filters)
    if pairs.empty:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    cells = pairs.merge(pd.DataFrame({"level": levels}), how="cross")
    homes = dict(
        zip(
            frames.clusters["cluster_id"].astype(str),
            frames.clusters["region_code"].astype(str),
            strict=True,
        )
    )
    cells["home_region"] = cells["cluster_id"].map(homes)
    cells["based_here"] = cells["home_region"] == cells["region_code"]
    heads = _headline_region_targets(frames, pairs["region_code"], levels, selected.as_of)
    cells = cells.merge(heads, on=["region_code", "level"], how="left")

    # Cells as compact groups: the output's cells first, so a programme's cell is found by
    # position; programmes outside them (none, by construction) fall in no group.
    cell_keys = _cell_codes(cells, frames)
    programmes = selected.programmes
    programme_cells = pd.Index(cell_keys).get_indexer(_cell_codes(programmes, frames))
    size = len(cells)
    counts = np.bincount(programme_cells[programme_cells >= 0], minlength=size)

    progress = selected.progress
    position = np.full(len(programmes["programme_id"].cat.categories), -1, dtype=np.int64)
    position[programmes["programme_id"].cat.codes.to_numpy()] = np.arange(len(programmes))
    rows = position[progress["programme_id"].cat.codes.to_numpy()]
    bins = np.where(rows >= 0, programme_cells[rows], -1)
    known = bins >= 0
    bins = np.where(known, bins, 0)
    completed = _sums(bins, progress["completed"], known, size)

    # The rows each cell's target counts: its metric, from January of its baseline year.
    counting = known & (progress["month"].to_numpy(np.int64) >= cells["since"].to_numpy()[bins])
    cell_metric = cells["metric"].to_numpy(object)
    metric_codes = pd.Index([member.value for member in Metric]).get_indexer(pd.Index(cell_metric))
    row_metric = metric_codes[bins]
    counted = np.full(size, np.nan)
    for code, member in enumerate(Metric):
        if not (metric_codes == code).any():
            continue
        sums = _sums(bins, progress[member.value], counting & (row_metric == code), size)
        counted = np.where(metric_codes == code, sums, counted)
    region_names = dict(
        zip(frames.regions["region_code"].astype(str), frames.regions["name"], strict=True)
    )
    cells = cells.assign(
        region_name=cells["region_code"].map(region_names),
        home_region_name=cells["home_region"].map(region_names),
        cluster_name=cells["cluster_id"].map(
            dict(
                zip(frames.clusters["cluster_id"].astype(str), frames.clusters["name"], strict=True)
            )
        ),
        programmes=counts,
        completed=completed,
        counted=counted,
        attainment=counted / cells["target"].to_numpy("float64"),
        _level=pd.Categorical(cells["level"], dtype=LEVEL_DTYPE),
    )
    ordered = cells.sort_values(
        ["region_code", "based_here", "cluster_id", "_level"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    return ordered[MATRIX_COLUMNS].reset_index(drop=True)
