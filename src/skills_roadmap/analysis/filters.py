"""The one filter the dashboard, the reports and the command line all apply to the frames."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.domain import DeliveryMode, NutsCode, Period, ScopeKind, TrainingLevel
from skills_roadmap.exceptions import NotFoundError


class Filters(BaseModel):
    """What to look at: empty selections mean "all"; ``as_of`` ``None`` means the latest month.

    >>> Filters(regions=("ES24",), levels=("basic",)).levels
    (<TrainingLevel.BASIC: 'basic'>,)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: tuple[NutsCode, ...] = ()
    clusters: tuple[str, ...] = ()
    levels: tuple[TrainingLevel, ...] = ()
    funding_sources: tuple[str, ...] = ()
    delivery_modes: tuple[DeliveryMode, ...] = ()
    as_of: Period | None = None


def _require_known(kind: str, wanted: Iterable[str], known: pd.Series) -> None:
    asked = set(wanted)
    if not asked:
        return
    # Distinct values first: text for every one of tens of thousands of rows is what costs.
    known_values = set(known.drop_duplicates().astype(str))
    unknown = sorted(asked - known_values)
    if unknown:
        examples = ", ".join(sorted(known_values)[:10]) or "none"
        raise NotFoundError(
            f"unknown {kind} {', '.join(unknown)}: pick from those in the database "
            f"(e.g. {examples})"
        )


def _is_in(values: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Boolean mask of ``values`` in ``wanted``; an empty selection keeps everything."""
    wanted = [str(value) for value in wanted]
    if not wanted:
        return np.ones(len(values), dtype=bool)
    return values.isin(wanted).to_numpy()


def _selected_programmes(frames: Frames, filters: Filters) -> pd.DataFrame:
    programmes = frames.programmes
    mask = (
        _is_in(programmes["region_code"], filters.regions)
        & _is_in(programmes["cluster_id"], filters.clusters)
        & _is_in(programmes["level"], filters.levels)
        & _is_in(programmes["funding_source"], filters.funding_sources)
        & _is_in(programmes["delivery_mode"], filters.delivery_modes)
    )
    return programmes[mask]


def _clusters_of(programmes: pd.DataFrame) -> list[str]:
    """The clusters running ``programmes`` (from the category codes: no pass over the text)."""
    column = programmes["cluster_id"]
    used = np.unique(column.cat.codes.to_numpy())
    return [str(cluster) for cluster in column.cat.categories[used[used >= 0]]]


def _selected_progress(frames: Frames, programmes: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """The progress of ``programmes`` through ``as_of``; the frame itself when that is all."""
    progress = frames.progress
    mask = None
    # Progress only refers to the frames' programmes, so with all of them selected there is
    # no programme to drop.
    if len(programmes) < len(frames.programmes):
        kept = np.zeros(len(progress["programme_id"].cat.categories), dtype=bool)
        kept[programmes["programme_id"].cat.codes.to_numpy()] = True
        mask = kept[progress["programme_id"].cat.codes.to_numpy()]
    months = progress["month"].to_numpy()
    if as_of is not None and len(months) and months.max() > as_of:
        mask = months <= as_of if mask is None else mask & (months <= as_of)
    return progress if mask is None or mask.all() else progress[mask].reset_index(drop=True)


def _selected_targets(
    frames: Frames, filters: Filters, regions: pd.Series, clusters: pd.Series
) -> pd.DataFrame:
    targets = frames.targets
    scope_id = targets["scope_id"]
    in_scope = np.select(
        [targets["scope"] == ScopeKind.NETWORK, targets["scope"] == ScopeKind.REGION],
        [
            not (filters.regions or filters.clusters),
            scope_id.isin(regions.astype(str)),
        ],
        default=scope_id.isin(clusters.astype(str)),
    )
    return targets[in_scope & _is_in(targets["level"], filters.levels)]


def apply_filters(frames: Frames, filters: Filters | None, *, progress: bool = True) -> Frames:
    """``frames`` narrowed to a selection and an as-of month.

    Filters narrow which programmes count (region, cluster, level, funding source, delivery
    mode) and which targets are shown; they never change a definition. A target is kept when
    its level is selected and its scope lies inside the selection: region targets of the
    selected regions (or of the selected clusters' home regions), cluster targets of the
    selected clusters (or of the clusters in the selected regions), and the network's targets
    only when no region or cluster is selected. Progress after ``as_of`` is dropped. A region
    target seen through a cluster, funding-source or delivery-mode filter counts only that
    part's contribution.

    With ``progress=False`` the narrowed frames hold no progress rows at all (but the as-of
    month all the same): for callers that read progress through the running totals of the
    unfiltered frames (:mod:`~skills_roadmap.analysis.running`), skipping the one step that
    costs at EU scale.

    Raises:
        NotFoundError: a region, cluster or funding source in ``filters`` does not exist.
    """
    if filters is None:
        return frames
    _require_known("region", filters.regions, frames.regions["region_code"])
    _require_known("cluster", filters.clusters, frames.clusters["cluster_id"])
    _require_known(
        "funding source", filters.funding_sources, frames.programmes["funding_source"].dropna()
    )
    as_of = frames.as_of if filters.as_of is None else period_to_month(filters.as_of)

    programmes = _selected_programmes(frames, filters)
    # A cluster may run programmes outside its home region: a selected cluster is kept wherever
    # its home is, and a region's clusters are those based there or running a programme there.
    if filters.clusters:
        kept = _is_in(frames.clusters["cluster_id"], filters.clusters)
    elif filters.regions:
        running = frames.clusters["cluster_id"].astype(str).isin(_clusters_of(programmes))
        kept = _is_in(frames.clusters["region_code"], filters.regions) | running.to_numpy()
    else:
        kept = np.ones(len(frames.clusters), dtype=bool)
    clusters = frames.clusters[kept]
    region_codes = filters.regions or (
        tuple(clusters["region_code"].astype(str)) if filters.clusters else ()
    )
    regions = frames.regions[_is_in(frames.regions["region_code"], region_codes)]
    targets = _selected_targets(frames, filters, regions["region_code"], clusters["cluster_id"])
    facilities = frames.facilities[
        _is_in(frames.facilities["region_code"], regions["region_code"].astype(str))
        & _is_in(frames.facilities["cluster_id"], filters.clusters)
    ]
    return replace(
        frames,
        regions=regions,
        clusters=clusters,
        programmes=programmes,
        targets=targets,
        milestones=frames.milestones[frames.milestones["target_id"].isin(targets["target_id"])],
        progress=(
            _selected_progress(frames, programmes, as_of) if progress else frames.progress.iloc[:0]
        ),
        facilities=facilities,
        as_of=as_of,
    )
