"""What a sheet's rows may refer to: the stored regions and clusters, and those the earlier
sheets of the same workbook define (a workbook is stored in one transaction, in order)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from skills_roadmap.ingest.context import CheckContext
from skills_roadmap.ingest.contract import SheetKind
from skills_roadmap.ingest.row_rules import split_list
from skills_roadmap.storage.admin_tables import (
    cluster_ids,
    region_codes,
    stored_cluster_regions,
)


def known_regions(session: Session, context: CheckContext) -> set[str]:
    """The codes of the stored regions and of the valid rows of the workbook's Regions sheet."""
    codes = region_codes(session)
    regions = context.checked.get(SheetKind.REGIONS)
    if regions is not None:
        codes |= set(regions.clean["code"])
    return codes


def known_clusters(session: Session, context: CheckContext) -> set[str]:
    """The IDs of the stored clusters and of the valid rows of the workbook's Clusters sheet."""
    ids = cluster_ids(session)
    clusters = context.checked.get(SheetKind.CLUSTERS)
    if clusters is not None:
        ids |= set(clusters.clean["id"])
    return ids


def cluster_regions(session: Session, context: CheckContext) -> dict[str, tuple[str, ...]]:
    """Every region each known cluster works in, its home region first, as they will be once
    the workbook is stored: a cluster of the Clusters sheet as the sheet has it (its other
    regions as stored when the sheet has no Also works in column)."""
    works_in = stored_cluster_regions(session)
    clusters = context.checked.get(SheetKind.CLUSTERS)
    if clusters is not None:
        sheet_lists = "also_works_in" in clusters.diff.fields
        for cluster_id, home, also in zip(
            clusters.clean["id"],
            clusters.clean["region_code"],
            clusters.clean["also_works_in"],
            strict=True,
        ):
            others = split_list(also) if sheet_lists else list(works_in.get(cluster_id, ())[1:])
            works_in[cluster_id] = tuple(dict.fromkeys([home, *others]))
    return works_in
