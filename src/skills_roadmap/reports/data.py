"""The report's content, assembled once for any filter and shared by every format.

Every figure comes from the analysis layer (the same functions the dashboard calls), so the
Excel, CSV, HTML and PDF exports agree with each other and with the dashboard.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import numpy as np
import pandas as pd

from skills_roadmap.analysis import (
    AnalysisSettings,
    Filters,
    Frames,
    apply_filters,
    esf_breakdowns,
    funnel,
    inclusion,
    money,
    overview,
    region_cluster_matrix,
    reporting_completeness,
)
from skills_roadmap.analysis.eu_reach import adult_reach, ict_specialists
from skills_roadmap.analysis.headline import headline, headline_trend
from skills_roadmap.analysis.periods import months_of_periods
from skills_roadmap.analysis.tables import (
    cluster_table,
    programme_table,
    progress_table,
    scope_names,
    str_keys,
    target_table,
)
from skills_roadmap.choice_words import DELIVERY_LABELS, HELIX_LABELS, choice_words
from skills_roadmap.domain import ScopeKind
from skills_roadmap.i18n import N_, gettext, ngettext
from skills_roadmap.i18n.formats import Message, listing
from skills_roadmap.i18n.languages import current_language
from skills_roadmap.reference.sheet_terms import TermKind, spelling
from skills_roadmap.reports import columns as spec
from skills_roadmap.reports.cells import utc
from skills_roadmap.reports.columns import Column, ReportTable, translated_columns
from skills_roadmap.reports.records import StoredRecords
from skills_roadmap.reports.summary import (
    SummaryFacts,
    executive_summary,
    level_words,
    month_words,
    percent,
)
from skills_roadmap.reports.tracking import Tracker, part


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
        tables: the data tables: regions, clusters, matrix (region × cluster), programmes,
            progress, targets, target revisions, attainment, EU frames, uploads.
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
        """When the data and the report are from, in words, for every format's header: each
        label in English (``gettext`` it where shown), each value in the current language."""
        last = self.last_upload
        return (
            (
                N_("Data as of"),
                month_words(self.as_of) if self.as_of else gettext("no progress reported yet"),
            ),
            (
                N_("Last upload"),
                gettext("none") if last is None else f"{utc(last):%Y-%m-%d %H:%M} UTC",
            ),
            (N_("Generated"), f"{utc(self.generated_at):%Y-%m-%d %H:%M} UTC"),
        )

    @property
    def definitions(self) -> tuple[tuple[str, str], ...]:
        """The definitions behind the figures, with this report's thresholds: each term in
        English (``gettext`` it where shown), each definition in the current language."""
        settings = self.settings
        thresholds = Message(
            gettext(
                "On track: achieved at least {on_track:.0%} of expected; at risk: at least "
                "{at_risk:.0%}; run rate over the last {months} months; goal for the share of "
                "women: {women:.0%}."
            )
        ).format(
            on_track=settings.on_track,
            at_risk=settings.at_risk,
            months=settings.run_rate_months,
            women=settings.women_goal,
        )
        defined = tuple((term, gettext(text)) for term, text in spec.DEFINITIONS)
        return (*defined, (N_("Thresholds used"), thresholds))

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
    frame = frame[keys].reset_index(drop=True)
    return ReportTable(key, title, description, translated_columns(columns), frame)


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
        return _Scope(ScopeKind.NETWORK, gettext("Network"), gettext("the network"), False)
    places = selected.clusters if kind is ScopeKind.CLUSTER else selected.regions
    names = places["name"].astype(str).tolist()
    if len(names) == 1:
        return _Scope(kind, names[0], names[0], False)
    count = len(names)
    if kind is ScopeKind.CLUSTER:
        noun = ngettext("{count} cluster", "{count} clusters", count)
        subject = ngettext("the {count} selected cluster", "the {count} selected clusters", count)
    else:
        noun = ngettext("{count} region", "{count} regions", count)
        subject = ngettext("the {count} selected region", "the {count} selected regions", count)
    return _Scope(kind, noun.format(count=count), subject.format(count=count), True)


def _qualifier(frames: Frames, filters: Filters, scope: _Scope) -> str | None:
    """What narrows the count below the scope's own programmes, in words."""
    parts = []
    if filters.clusters and scope.kind is not ScopeKind.CLUSTER:
        names = frames.clusters.set_index("cluster_id")["name"]
        clusters = listing([str(names[c]) for c in filters.clusters])
        parts.append(gettext("the programmes of {clusters}").format(clusters=clusters))
    if filters.funding_sources:
        sources = listing(list(filters.funding_sources))
        parts.append(gettext("programmes funded by {sources}").format(sources=sources))
    if filters.delivery_modes:
        modes = listing([_value_words(mode.value) for mode in filters.delivery_modes])
        parts.append(gettext("{modes} programmes").format(modes=modes))
    if filters.provider_helices:
        helices = listing([_value_words(helix.value) for helix in filters.provider_helices])
        parts.append(gettext("programmes run by {helices} providers").format(helices=helices))
    if not parts:
        return None
    return gettext("Counting only {programmes}").format(programmes=listing(parts))


def _value_words(value: str) -> str:
    """A list value (a delivery mode, a provider helix) as the sheets of the current language
    write it: the glossary's word, ``presencial`` for ``in-person`` in Spanish."""
    return spelling(TermKind.VALUE, value, current_language())


def _named(labels: Mapping[str, str], codes: tuple[StrEnum, ...]) -> str:
    """Chosen list values in the dashboard's words ("Online, In person")."""
    return ", ".join(choice_words(labels, code.value) for code in codes)


def _filter_lines(frames: Frames, filters: Filters) -> tuple[tuple[str, str], ...]:
    regions = frames.regions.set_index("region_code")["name"]
    clusters = frames.clusters.set_index("cluster_id")["name"]

    every = gettext("all")

    def named(codes: tuple[str, ...], names: pd.Series) -> str:
        return "; ".join(f"{names[code]} ({code})" for code in codes) or every

    levels = ", ".join(level_words(level.value) for level in filters.levels)
    as_of = month_words(filters.as_of) if filters.as_of else gettext("latest reported month")
    return (
        (N_("Regions"), named(filters.regions, regions)),
        (N_("Clusters"), named(filters.clusters, clusters)),
        (N_("Levels"), levels or every),
        (N_("Funding sources"), "; ".join(filters.funding_sources) or every),
        (N_("Delivery modes"), _named(DELIVERY_LABELS, filters.delivery_modes) or every),
        (N_("Provider helices"), _named(HELIX_LABELS, filters.provider_helices) or every),
        (N_("As of"), as_of),
    )


def _regions(
    selected: Frames, league: pd.DataFrame, settings: AnalysisSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Regions table, and the headline targets it shows (name, level, status, ratio).

    ``league`` is the dashboard's league table
    (:func:`~skills_roadmap.analysis.overview.overview` of the same selection).
    """
    key = "region_code"
    base = str_keys(selected.regions[[key, "name", "country"]], key)
    counts = selected.programmes.groupby(key, observed=True).size().rename("programmes")
    people = funnel(selected, [key])
    women = inclusion(selected, [key], settings)[[key, "women_share"]]
    spend = money(selected, [key])[
        [key, "budget_eur", "spend_eur", "absorption", "cost_per_completer"]
    ]
    table = base.merge(str_keys(counts.reset_index(), key), on=key, how="left")
    for part_table in (people, women, spend):
        table = table.merge(str_keys(part_table, key), on=key, how="left")
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


def _programmes(selected: Frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Programmes table (the last reported month as a month index), and the reporting
    completeness it was built from."""
    completeness = reporting_completeness(selected)
    table = programme_table(selected, completeness)
    known = table["last_period"].dropna()
    last = pd.Series(months_of_periods(known), index=known.index, dtype="float64")
    return table.assign(last_period=last.reindex(table.index)), completeness


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
        scope_name=scope_names(frames, targets),
        target=targets["value"],
        milestones=targets["target_id"].map(text),
    )


def _target_revisions(selected: Frames, revisions: pd.DataFrame) -> pd.DataFrame:
    """The Target revisions table: the revisions of the selection's targets, with each
    target's scope and level."""
    targets = selected.targets[["target_id", "scope", "scope_id", "level"]].astype(
        {"scope": object, "level": object}
    )
    return revisions.merge(targets, on="target_id", how="inner", sort=False)


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


def _eu_frames_description(frames: Frames, selected: Frames) -> str:
    specialists = ict_specialists(frames, selected)
    message = gettext(
        "One row per selected region: people trained at the basic level against the Digital "
        "Decade's goal of at least basic digital skills for {goal} of people aged 16-74 by 2030 "
        "(the basic level also answers the AI Act's Article 4 literacy duty). The "
        "intermediate and expert levels' {reached:,.0f} people completed count "
        "toward its 20 million ICT specialists ({share:.4%} of them). "
        "Sources and mapping: `docs/eu-frames.md`."
    )
    return Message(message.replace("`", "")).format(
        goal=percent(0.8),
        reached=float(specialists["reached"]),
        share=float(specialists["share_of_goal"]),
    )


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
    per_target = target_table(frames, selected, settings)
    step(0.3)
    regions, league = _regions(selected, overview(frames, filters, settings), settings)
    clusters = cluster_table(frames, selected)
    programmes, completeness = _programmes(selected)
    step(0.6)
    progress = progress_table(selected, records.notes)
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
        _table(
            "regions",
            gettext("Regions"),
            gettext("One row per selected region."),
            spec.REGIONS_COLUMNS,
            regions,
        ),
        _table(
            "clusters",
            gettext("Clusters"),
            gettext("One row per cluster with programmes in the selection."),
            spec.CLUSTERS_COLUMNS,
            clusters,
        ),
        _table(
            "matrix",
            gettext("Matrix"),
            gettext(
                "One row per region, cluster working there (based there or elsewhere) and level: "
                "people completed and the cluster's contribution to the region's target."
            ),
            spec.MATRIX_COLUMNS,
            region_cluster_matrix(frames, filters),
        ),
        _table(
            "programmes",
            gettext("Programmes"),
            gettext("One row per selected programme, with its totals so far."),
            spec.PROGRAMMES_COLUMNS,
            programmes,
        ),
        _table(
            "progress",
            gettext("Progress"),
            gettext("One row per programme and month: the progress-sheet contract's columns."),
            spec.PROGRESS_COLUMNS,
            progress,
        ),
        _table(
            "targets",
            gettext("Targets"),
            gettext("One row per selected target, as set."),
            spec.TARGETS_COLUMNS,
            _targets(frames, selected),
        ),
        _table(
            "target_revisions",
            gettext("Target revisions"),
            gettext("One row per change to a selected target, newest first, with its reason."),
            spec.TARGET_REVISIONS_COLUMNS,
            _target_revisions(selected, records.target_revisions),
        ),
        _table(
            "attainment",
            gettext("Attainment"),
            gettext(
                "One row per selected target: attainment, status and forecast at the as-of month."
            ),
            spec.ATTAINMENT_COLUMNS,
            per_target,
        ),
        _table(
            "eu_frames",
            gettext("EU frames"),
            _eu_frames_description(frames, selected),
            spec.EU_FRAMES_COLUMNS,
            adult_reach(frames, selected),
        ),
        _table(
            "esf",
            gettext("ESF+"),
            gettext(
                "ESF+ common output indicators on participants: one row per band of gender, age, "
                "labour-market status and education, with the share of enrolments that reported it."
            ),
            spec.ESF_COLUMNS,
            esf_breakdowns(selected),
        ),
        _table(
            "uploads",
            gettext("Uploads"),
            records.uploads_description,
            spec.UPLOADS_COLUMNS,
            records.visible_uploads,
        ),
    )
    content = ReportContent(
        title=gettext("Skills Roadmap report: {scope}").format(scope=scope.name),
        scope_name=scope.name,
        filters=filters,
        filter_lines=_filter_lines(frames, filters),
        as_of=selected.as_of_period,
        last_upload=records.last_upload,
        generated_at=generated_at or datetime.now(UTC),
        summary=executive_summary(facts),
        levels=_table(
            "summary",
            gettext("Summary"),
            gettext("Attainment per level of the selection's headline targets."),
            spec.LEVELS_COLUMNS,
            summary.levels,
        ),
        tables=tables,
        trend=_trend(selected, summary.targets),
        settings=settings,
    )
    step(1.0)
    return content
