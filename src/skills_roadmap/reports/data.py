"""The report's content, assembled once for any filter and shared by every format.

Every figure comes from the analysis layer (the same functions the dashboard calls), so the
Excel, CSV, HTML and PDF exports agree with each other and with the dashboard.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import pandas as pd

from skills_roadmap.analysis import (
    AnalysisSettings,
    Filters,
    Frames,
    apply_filters,
    contribution,
    funnel,
    inclusion,
    money,
    overview,
    reporting_completeness,
)
from skills_roadmap.analysis.attainment import assessed_targets
from skills_roadmap.analysis.flows import divide, programme_totals, target_flows
from skills_roadmap.analysis.headline import headline, headline_trend
from skills_roadmap.domain import ScopeKind
from skills_roadmap.reports import columns as spec
from skills_roadmap.reports.cells import months_of_periods, utc
from skills_roadmap.reports.columns import Column, ReportTable
from skills_roadmap.reports.records import StoredRecords
from skills_roadmap.reports.summary import SummaryFacts, executive_summary, listing
from skills_roadmap.reports.tracking import Tracker, part

NETWORK_NAME = "Network"
_MEASURES = ["enrolled", "completed", "certified", "dropped_out", "women", "spend_eur"]


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows, computed once.

    Attributes:
        title: the report's title, naming what it covers.
        scope_name: the network, the region(s) or the cluster(s) covered.
        filters: the filters applied.
        filter_lines: the filters in words, e.g. ``("Regions", "Aragón (ES24)")``.
        as_of: the as-of month ('YYYY-MM'); ``None`` when nothing has been reported.
        last_upload: when the latest committed upload was made (UTC), if any.
        generated_at: when the report was made (UTC).
        summary: the executive summary sentences.
        levels: the Summary table, attainment per level of the selection's headline targets.
        tables: the data tables: regions, clusters, programmes, progress, targets,
            attainment, uploads.
        trend: achieved and expected per level and month, for the trajectory chart.
        settings: the thresholds and windows the figures were computed with.
    """

    title: str
    scope_name: str
    filters: Filters
    filter_lines: tuple[tuple[str, str], ...]
    as_of: str | None
    last_upload: pd.Timestamp | None
    generated_at: datetime
    summary: tuple[str, ...]
    levels: ReportTable
    tables: tuple[ReportTable, ...]
    trend: pd.DataFrame
    settings: AnalysisSettings

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """When the data and the report are from, in words, for every format's header."""
        last = self.last_upload
        return (
            ("Data as of", self.as_of or "no progress reported yet"),
            ("Last upload", "none" if last is None else f"{utc(last):%Y-%m-%d %H:%M} UTC"),
            ("Generated", f"{utc(self.generated_at):%Y-%m-%d %H:%M} UTC"),
        )

    @property
    def definitions(self) -> tuple[tuple[str, str], ...]:
        """The definitions behind the figures, with this report's thresholds."""
        settings = self.settings
        thresholds = (
            "Thresholds used",
            f"On track: achieved at least {settings.on_track:.0%} of expected; at risk: at "
            f"least {settings.at_risk:.0%}; run rate over the last {settings.run_rate_months} "
            f"months; goal for the share of women: {settings.women_goal:.0%}.",
        )
        return (*spec.DEFINITIONS, thresholds)

    @property
    def documented_tables(self) -> tuple[ReportTable, ...]:
        """The Summary table and the data tables: every table whose columns are documented."""
        return (self.levels, *self.tables)

    def table(self, key: str) -> ReportTable:
        """The data table called ``key`` (``regions``, ``progress`` …)."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def slug(self) -> str:
        """A file-name stem such as ``skills-roadmap-aragon-2026-10``."""
        words = re.sub(r"[^a-z0-9]+", "-", _ascii(self.scope_name).lower()).strip("-")
        return "-".join(piece for piece in ("skills-roadmap", words, self.as_of or "") if piece)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _table(
    key: str, title: str, description: str, columns: tuple[Column, ...], frame: pd.DataFrame
) -> ReportTable:
    keys = [column.key for column in columns]
    return ReportTable(key, title, description, columns, frame[keys].reset_index(drop=True))


def _str_keys(frame: pd.DataFrame, *keys: str) -> pd.DataFrame:
    """``frame`` with categorical key columns as plain text, so merges never mix categories."""
    return frame.astype({key: object for key in keys if key in frame})


@dataclass(frozen=True)
class _Scope:
    """Whose headline targets the Summary shows, and how the summary names them."""

    kind: ScopeKind
    name: str
    subject: str
    plural: bool


def _scope(selected: Frames, kind: ScopeKind) -> _Scope:
    """How the summary names the places whose targets head the selection."""
    if kind is ScopeKind.NETWORK:
        return _Scope(ScopeKind.NETWORK, NETWORK_NAME, "the network", False)
    places = selected.clusters if kind is ScopeKind.CLUSTER else selected.regions
    names = places["name"].astype(str).tolist()
    if len(names) == 1:
        return _Scope(kind, names[0], names[0], False)
    noun = f"{len(names)} {kind.value}s"
    return _Scope(kind, noun, f"the {len(names)} selected {kind.value}s", True)


def _qualifier(frames: Frames, filters: Filters, scope: _Scope) -> str | None:
    """What narrows the count below the scope's own programmes, in words."""
    parts = []
    if filters.clusters and scope.kind is not ScopeKind.CLUSTER:
        names = frames.clusters.set_index("cluster_id")["name"]
        parts.append(f"the programmes of {listing([str(names[c]) for c in filters.clusters])}")
    if filters.funding_sources:
        parts.append(f"programmes funded by {listing(list(filters.funding_sources))}")
    if filters.delivery_modes:
        parts.append(f"{listing([mode.value for mode in filters.delivery_modes])} programmes")
    return f"Counting only {' and '.join(parts)}" if parts else None


def _filter_lines(frames: Frames, filters: Filters) -> tuple[tuple[str, str], ...]:
    regions = frames.regions.set_index("region_code")["name"]
    clusters = frames.clusters.set_index("cluster_id")["name"]

    def named(codes: tuple[str, ...], names: pd.Series) -> str:
        return "; ".join(f"{names[code]} ({code})" for code in codes) or "all"

    return (
        ("Regions", named(filters.regions, regions)),
        ("Clusters", named(filters.clusters, clusters)),
        ("Levels", ", ".join(level.value for level in filters.levels) or "all"),
        ("Funding sources", "; ".join(filters.funding_sources) or "all"),
        ("Delivery modes", ", ".join(mode.value for mode in filters.delivery_modes) or "all"),
        ("As of", filters.as_of or "latest reported month"),
    )


def _scope_names(frames: Frames, targets: pd.DataFrame) -> pd.Series:
    names = {
        **frames.regions.set_index(frames.regions["region_code"].astype(str))["name"].to_dict(),
        **frames.clusters.set_index(frames.clusters["cluster_id"].astype(str))["name"].to_dict(),
    }
    network = targets["scope"] == ScopeKind.NETWORK.value
    return pd.Series(
        np.where(network, NETWORK_NAME, targets["scope_id"].map(names)), index=targets.index
    )


def _per_target(frames: Frames, selected: Frames, settings: AnalysisSettings) -> pd.DataFrame:
    """Attainment and forecast of every selected target (the Attainment table plus on_time)."""
    table = assessed_targets(selected, target_flows(selected, selected.targets), settings)
    table["scope_name"] = _scope_names(frames, table)
    return table.astype({"scope": object, "level": object, "metric": object, "status": object})


def _regions(
    selected: Frames, league: pd.DataFrame, settings: AnalysisSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Regions table, and the headline targets it shows (name, level, status, ratio).

    ``league`` is the dashboard's league table
    (:func:`~skills_roadmap.analysis.overview.overview` of the same selection).
    """
    key = "region_code"
    base = _str_keys(selected.regions[[key, "name", "country"]], key)
    counts = selected.programmes.groupby(key, observed=True).size().rename("programmes")
    people = funnel(selected, [key])
    women = inclusion(selected, [key], settings)[[key, "women_share"]]
    spend = money(selected, [key])[
        [key, "budget_eur", "spend_eur", "absorption", "cost_per_completer"]
    ]
    table = base.merge(_str_keys(counts.reset_index(), key), on=key, how="left")
    for part_table in (people, women, spend):
        table = table.merge(_str_keys(part_table, key), on=key, how="left")
    table["programmes"] = table["programmes"].fillna(0)
    regional = league[(league["scope"] == ScopeKind.REGION.value) & league["target_id"].notna()]
    for level, rows in regional.groupby("level", sort=False, observed=True):
        by_region = rows.set_index("scope_id")
        for measure in ("target", "achieved", "attainment", "status"):
            table[f"{level}_{measure}"] = table[key].map(by_region[measure])
    for column in spec.REGIONS_COLUMNS:
        if column.key not in table:  # a level outside the level filter
            table[column.key] = np.nan
    judged = regional[regional["status"].notna()]
    return table, judged[["name", "level", "status", "ratio"]].astype({"level": str})


def _clusters(frames: Frames, selected: Frames) -> pd.DataFrame:
    """The Clusters table: every cluster selected or running a selected programme."""
    key: Literal["cluster_id"] = "cluster_id"
    ids = set(selected.clusters[key].astype(str)) | set(selected.programmes[key].astype(str))
    base = _str_keys(frames.clusters[frames.clusters[key].astype(str).isin(ids)], key)
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
        table = table.merge(_str_keys(part_table, key), on=key, how="left")
    return table.assign(programmes=table["programmes"].fillna(0)).sort_values(key, kind="stable")


def _months_or_nan(periods: pd.Series) -> pd.Series:
    """Month indexes of ``YYYY-MM`` texts; missing stays missing."""
    known = periods.dropna()
    return pd.Series(months_of_periods(known), index=known.index, dtype="float64").reindex(
        periods.index
    )


def _programmes(selected: Frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Programmes table, and the reporting completeness it was built from."""
    key: Literal["programme_id"] = "programme_id"
    totals = programme_totals(selected, _MEASURES)
    use = contribution(selected, key)[[key, "capacity_use"]]
    completeness = reporting_completeness(selected)
    late = completeness[[key, "last_period", "months_late"]].assign(
        last_period=lambda t: _months_or_nan(t["last_period"])
    )
    table = _str_keys(
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
        table = table.merge(_str_keys(part_table, key), on=key, how="left")
    return (
        table.assign(
            completion_rate=divide(table["completed"], table["enrolled"]),
            absorption=divide(table["spend_eur"], table["budget_eur"]),
        ),
        completeness,
    )


def _progress(selected: Frames, records: StoredRecords) -> pd.DataFrame:
    """Progress rows ordered by programme and month, with their notes."""
    progress = selected.progress
    categories = progress["programme_id"].cat.categories
    codes = progress["programme_id"].cat.codes.to_numpy(np.int64)
    months = progress["month"].to_numpy(np.int64)
    keys = codes << 20 | months
    order = None if (np.diff(keys) >= 0).all() else np.argsort(keys, kind="stable")
    notes = records.notes
    note_months = months_of_periods(notes["period"])
    note_codes = categories.get_indexer(pd.Index(notes["programme_id"].astype(str)))
    note_keys = pd.Index(note_codes.astype(np.int64) << 20 | note_months)
    position = note_keys.get_indexer(keys)
    note_text = np.concatenate([notes["notes"].to_numpy(object), [None]])[position]
    table = pd.DataFrame(
        {
            "programme_id": progress["programme_id"].array,
            "period": months,
            **{name: progress[name].to_numpy() for name in _MEASURES},
            "notes": pd.Series(note_text, dtype=object),  # mostly blank: no string copy
        }
    )
    return table if order is None else table.take(order)


def _targets(frames: Frames, selected: Frames) -> pd.DataFrame:
    """The Targets table: each target as set, its milestones as text."""
    milestones = selected.milestones.sort_values(["target_id", "year"], kind="stable")
    pairs = zip(milestones["year"], milestones["value"], strict=True)
    steps = pd.Series(
        [f"{year}: {value:.0f}" for year, value in pairs], index=milestones.index, dtype=object
    )
    text = steps.groupby(milestones["target_id"]).agg("; ".join)
    targets = selected.targets.astype({"scope": object, "level": object, "metric": object})
    return targets.assign(
        scope_name=_scope_names(frames, targets),
        target=targets["value"],
        milestones=targets["target_id"].map(text),
    )


def _trend(selected: Frames, levels_of: pd.DataFrame) -> pd.DataFrame:
    """Achieved and expected per level and month, summed over the headline targets (as the
    dashboard's trend chart draws them)."""
    columns = ["level", "month", "period", "achieved", "expected", "target"]
    if levels_of.empty:
        return pd.DataFrame(columns=columns)
    trend = headline_trend(selected, levels_of)
    trend["level"] = trend["target_id"].map(levels_of.set_index("target_id")["level"])
    sums = trend.groupby(["level", "month", "period"], observed=True)[
        ["achieved", "expected", "target"]
    ]
    return sums.sum(min_count=1).reset_index()[columns]


def report_content(
    frames: Frames,
    filters: Filters | None = None,
    settings: AnalysisSettings | None = None,
    *,
    records: StoredRecords | None = None,
    generated_at: datetime | None = None,
    tracker: Tracker | None = None,
) -> ReportContent:
    """Assemble what every export of ``filters`` shows, from the unfiltered ``frames``.

    The Summary is the selection's headline (:func:`~skills_roadmap.analysis.headline.
    headline`), the numbers of the dashboard's cards and of ``/api/v1/summary``.

    Args:
        frames: every table, as :func:`~skills_roadmap.analysis.load_frames` gives it.
        filters: what to cover; everything at the latest month when ``None``.
        settings: status thresholds, run-rate window and inclusion goal.
        records: uploads and progress notes (:func:`~skills_roadmap.reports.load_records`);
            without them the Uploads table is empty and notes are blank. The Uploads table
            lists the uploads the records' reader may see.
        generated_at: the time printed on the report (default: now, UTC).
        tracker: told the fraction done as the tables are built.

    Raises:
        NotFoundError: ``filters`` names a region, cluster or funding source that does not
            exist.
    """
    filters = filters or Filters()
    settings = settings or AnalysisSettings()
    records = records or StoredRecords()
    step = part(tracker, 0.0, 1.0)
    selected = apply_filters(frames, filters)
    summary = headline(frames, filters, settings)
    scope = _scope(selected, summary.scope)
    per_target = _per_target(frames, selected, settings)
    step(0.3)
    regions, league = _regions(selected, overview(frames, filters, settings), settings)
    clusters = _clusters(frames, selected)
    programmes, completeness = _programmes(selected)
    step(0.6)
    progress = _progress(selected, records)
    step(0.9)
    several_regions = scope.kind is ScopeKind.NETWORK or (
        scope.kind is ScopeKind.REGION and len(selected.regions) > 1 and not filters.clusters
    )
    by_cluster = programmes["cluster_id"].nunique() > 1
    facts = SummaryFacts(
        subject=scope.subject,
        plural=scope.plural,
        qualifier=_qualifier(frames, filters, scope),
        as_of=selected.as_of_period,
        levels=summary.levels,
        regions=league if several_regions else None,
        lagging=(clusters if by_cluster else programmes)[["name", "capacity_use"]],
        lagging_noun="cluster" if by_cluster else "programme",
        due_programmes=len(completeness),
        late_programmes=int(completeness["late"].sum()),
        enrolled=float(programmes["enrolled"].sum()),
        completed=float(programmes["completed"].sum()),
        budget_eur=float(programmes["budget_eur"].sum()),
        spend_eur=float(programmes["spend_eur"].sum(min_count=1)),
        programmes=len(programmes),
        targets=len(selected.targets),
    )
    tables = (
        _table("regions", "Regions", "One row per selected region.", spec.REGIONS_COLUMNS, regions),
        _table(
            "clusters",
            "Clusters",
            "One row per cluster with programmes in the selection.",
            spec.CLUSTERS_COLUMNS,
            clusters,
        ),
        _table(
            "programmes",
            "Programmes",
            "One row per selected programme, with its totals so far.",
            spec.PROGRAMMES_COLUMNS,
            programmes,
        ),
        _table(
            "progress",
            "Progress",
            "One row per programme and month: the progress-sheet contract's columns.",
            spec.PROGRESS_COLUMNS,
            progress,
        ),
        _table(
            "targets",
            "Targets",
            "One row per selected target, as set.",
            spec.TARGETS_COLUMNS,
            _targets(frames, selected),
        ),
        _table(
            "attainment",
            "Attainment",
            "One row per selected target: attainment, status and forecast at the as-of month.",
            spec.ATTAINMENT_COLUMNS,
            per_target,
        ),
        _table(
            "uploads",
            "Uploads",
            records.uploads_description,
            spec.UPLOADS_COLUMNS,
            records.visible_uploads,
        ),
    )
    content = ReportContent(
        title=f"Skills Roadmap report: {scope.name}",
        scope_name=scope.name,
        filters=filters,
        filter_lines=_filter_lines(frames, filters),
        as_of=selected.as_of_period,
        last_upload=records.last_upload,
        generated_at=generated_at or datetime.now(UTC),
        summary=executive_summary(facts),
        levels=_table(
            "summary",
            "Summary",
            "Attainment per level of the selection's headline targets.",
            spec.LEVELS_COLUMNS,
            summary.levels,
        ),
        tables=tables,
        trend=_trend(selected, summary.targets),
        settings=settings,
    )
    step(1.0)
    return content
