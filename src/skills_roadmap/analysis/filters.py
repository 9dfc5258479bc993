"""The one filter the dashboard, the reports and the command line all apply to the frames."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from skills_roadmap.analysis.frames import Frames
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.domain import (
    DeliveryMode,
    HelixRole,
    Period,
    RegionCode,
    ScopeKind,
    TrainingLevel,
)
from skills_roadmap.exceptions import NotFoundError


class Filters(BaseModel):
    """What to look at: empty selections mean "all"; ``as_of`` ``None`` means the latest month.

    >>> Filters(regions=("ES24",), levels=("basic",)).levels
    (<TrainingLevel.BASIC: 'basic'>,)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: tuple[RegionCode, ...] = ()
    clusters: tuple[str, ...] = ()
    levels: tuple[TrainingLevel, ...] = ()
    funding_sources: tuple[str, ...] = ()
    delivery_modes: tuple[DeliveryMode, ...] = ()
    provider_helices: tuple[HelixRole, ...] = ()
    as_of: Period | None = None


def _used_categories(values: pd.Series) -> pd.Index:
    """The categories a categorical column uses (from the codes: no pass over the text)."""
    codes = values.cat.codes.to_numpy()
    used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
    return values.cat.categories[used]


def _require_known(kind: str, wanted: Iterable[str], known: pd.Series) -> None:
    asked = sorted({str(value) for value in wanted})
    if not asked:
        return
    distinct = (
        _used_categories(known)
        if isinstance(known.dtype, pd.CategoricalDtype)
        else pd.Index(known.dropna().unique())
    )
    unknown = [
        value
        for value, at in zip(asked, distinct.get_indexer(pd.Index(asked)), strict=True)
        if at < 0
    ]
    if unknown:
        examples = ", ".join(sorted(map(str, distinct))[:10]) or "none"
        raise NotFoundError(
            f"unknown {kind} {', '.join(unknown)}: pick from those in the database "
            f"(e.g. {examples})"
        )


def _is_in(values: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Boolean mask of ``values`` in ``wanted``; an empty selection keeps everything."""
    wanted = [str(value) for value in wanted]
    if not wanted:
        return np.ones(len(values), dtype=bool)
    if isinstance(values.dtype, pd.CategoricalDtype):  # a look-up per category code
        categories = values.cat.categories
        chosen = np.zeros(len(categories) + 1, dtype=bool)  # the last: code -1, missing
        found = categories.get_indexer(pd.Index(wanted))
        chosen[found[found >= 0]] = True
        return chosen[values.cat.codes.to_numpy()]
    return values.isin(wanted).to_numpy()


def _selected_programmes(frames: Frames, filters: Filters) -> pd.DataFrame:
    programmes = frames.programmes
    chosen = {
        "region_code": filters.regions,
        "cluster_id": filters.clusters,
        "level": filters.levels,
        "funding_source": filters.funding_sources,
        "delivery_mode": filters.delivery_modes,
        "provider_helix": filters.provider_helices,
    }
    mask = None
    for column, wanted in chosen.items():
        if wanted:
            kept = _is_in(programmes[column], wanted)
            mask = kept if mask is None else mask & kept
    return programmes if mask is None else programmes[mask]


def _clusters_running(clusters: pd.Series, programmes: pd.DataFrame) -> np.ndarray:
    """Which of ``clusters`` (a categorical cluster id column) run any of ``programmes``, from
    the category codes: no pass over the text."""
    running = _used_categories(programmes["cluster_id"])
    used = np.zeros(len(clusters.cat.categories) + 1, dtype=bool)  # the last: code -1
    found = clusters.cat.categories.get_indexer(running)
    used[found[found >= 0]] = True
    return used[clusters.cat.codes.to_numpy()]


def _selected_progress(
    frames: Frames, programmes: pd.DataFrame, as_of: int | None, progress: pd.DataFrame
) -> pd.DataFrame:
    """The rows of ``progress`` (the progress or the breakdowns of ``frames``) of
    ``programmes`` through ``as_of``; the frame itself when that is all."""
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
    mode, provider helix) and which targets are shown; they never change a definition. A
    target is kept when its level is selected and its scope lies inside the selection: region
    targets of the selected regions (or of the selected clusters' home regions), cluster
    targets of the selected clusters (or of the clusters in the selected regions), and the
    network's targets only when no region or cluster is selected. Progress after ``as_of`` is
    dropped. A region
    target seen through a cluster, funding-source, delivery-mode or provider-helix filter
    counts only that part's contribution.

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
    _require_known("funding source", filters.funding_sources, frames.programmes["funding_source"])
    as_of = frames.default_as_of if filters.as_of is None else period_to_month(filters.as_of)

    programmes = _selected_programmes(frames, filters)
    # A cluster may work outside its home region: a selected cluster is kept wherever its home
    # is, and a region's clusters are those based there, working there or running a programme
    # there.
    if filters.clusters:
        kept = _is_in(frames.clusters["cluster_id"], filters.clusters)
    elif filters.regions:
        running = _clusters_running(frames.clusters["cluster_id"], programmes)
        works = frames.cluster_regions
        working = works.loc[_is_in(works["region_code"], filters.regions), "cluster_id"]
        kept = (
            _is_in(frames.clusters["region_code"], filters.regions)
            | running
            | frames.clusters["cluster_id"].isin(working.astype(str)).to_numpy()
        )
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
    cluster_regions = frames.cluster_regions[
        frames.cluster_regions["cluster_id"].isin(clusters["cluster_id"].astype(str))
    ]
    return replace(
        frames,
        regions=regions,
        clusters=clusters,
        cluster_regions=cluster_regions,
        programmes=programmes,
        targets=targets,
        milestones=frames.milestones[frames.milestones["target_id"].isin(targets["target_id"])],
        progress=(
            _selected_progress(frames, programmes, as_of, frames.progress)
            if progress
            else frames.progress.iloc[:0]
        ),
        facilities=facilities,
        breakdowns=_selected_progress(frames, programmes, as_of, frames.breakdowns),
        as_of=as_of,
        default_as_of=as_of,
    )
