"""The analysis input: every table of the roadmap as a typed DataFrame, built in one place.

Identifiers and levels are categoricals (small, fast to group and filter); months are integer
indexes (see :mod:`skills_roadmap.analysis.periods`). A blank optional count is ``NaN``, so sums
skip it: blank means "not reported", never zero.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from skills_roadmap.analysis.complete_months import (
    DEFAULT_SHARE,
    MonthCompleteness,
    complete_month,
    month_completeness,
)
from skills_roadmap.analysis.periods import month_to_period, months_of_dates, period_to_month
from skills_roadmap.domain import (
    DeliveryMode,
    FacilityKind,
    FacilityStatus,
    HelixRole,
    Metric,
    ScopeKind,
    TrainingLevel,
)
from skills_roadmap.fields import (
    BREAKDOWN_MEASURES,
    NUMBER_KINDS,
    PROGRAMME_FIELDS,
    measure_dtype,
)
from skills_roadmap.fields import PROGRESS_MEASURES as MEASURE_FIELDS

# The progress numbers, in the catalogue's order; a blank one ("not reported") is NaN.
PROGRESS_MEASURES = tuple(field.key for field in MEASURE_FIELDS)
# The ESF+ bands kept apart, for the rows that report any (blank: NaN). float32 holds every
# count of a month exactly and halves their memory; sums are taken in float64.
BREAKDOWN_BANDS = tuple(field.key for field in BREAKDOWN_MEASURES)
BAND_DTYPE: Literal["float32"] = "float32"
BREAKDOWN_COLUMNS = ("programme_id", "month", "year", "enrolled", *BREAKDOWN_BANDS)
# The programme fields the analysis cannot do without; the others may be left out (missing).
_REQUIRED_PROGRAMME_COLUMNS = ("programme_id", "cluster_id", "region_code", "level", "start", "end")

LEVEL_DTYPE = pd.CategoricalDtype([level.value for level in TrainingLevel], ordered=True)


@dataclass(frozen=True, eq=False)
class Frames:
    """The roadmap's tables, consistent with each other, as of one month.

    ``progress`` never holds a month after ``as_of``; ``as_of`` is ``None`` only when no
    progress has been reported at all. ``default_as_of`` is the month a selection shows when
    no month is picked: the latest complete month (see
    :mod:`~skills_roadmap.analysis.complete_months`), by ``complete_month_share`` and
    ``month_reports`` (the whole network's programmes due and reported per month, kept as
    they were when frames are narrowed) and ``closed_months`` (the months an administrator
    closed, each complete whatever its share); frames narrowed by
    :func:`~skills_roadmap.analysis.filters.apply_filters` show their ``as_of``.
    Build it with :func:`build_frames` (or :func:`~skills_roadmap.analysis.loader.load_frames`),
    narrow it with :func:`~skills_roadmap.analysis.filters.apply_filters`.

    ``cluster_regions`` has one row per region a cluster works in (``cluster_id``,
    ``region_code``, ``home``): its home region (``home`` true) and every other region it
    also works in, across borders too.

    ``breakdowns`` holds the ESF+ bands other than women (``fields.BREAKDOWN_MEASURES``) of
    the progress rows that report any of them, with their month and enrolled, ordered by
    programme and month: few rows report them, so they are not columns of every progress row
    (at EU scale that would be millions of blanks).
    """

    regions: pd.DataFrame
    clusters: pd.DataFrame
    cluster_regions: pd.DataFrame
    programmes: pd.DataFrame
    targets: pd.DataFrame
    milestones: pd.DataFrame
    progress: pd.DataFrame
    facilities: pd.DataFrame
    breakdowns: pd.DataFrame
    as_of: int | None
    default_as_of: int | None
    complete_month_share: float
    month_reports: MonthCompleteness
    closed_months: tuple[int, ...] = ()

    @property
    def as_of_period(self) -> str | None:
        """The as-of month as ``YYYY-MM`` text."""
        return None if self.as_of is None else month_to_period(self.as_of)


def _columns(
    frame: pd.DataFrame | None, name: str, required: tuple[str, ...], optional: Mapping[str, Any]
) -> pd.DataFrame:
    """``frame`` with its required columns checked and missing optional ones added."""
    frame = pd.DataFrame(columns=list(required)) if frame is None else frame
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(f"the {name} frame lacks the column(s) {', '.join(missing)}")
    frame = frame.reset_index(drop=True)
    extra = {column: default for column, default in optional.items() if column not in frame}
    return frame.assign(**extra)[[*required, *optional]]


def _category(values: pd.Series, dtype: object, what: str) -> pd.Series:
    """``values`` as the categorical ``dtype``; a value outside it is a programming error."""
    assert isinstance(dtype, pd.CategoricalDtype)
    if values.dtype == dtype:
        return values
    unknown = values[values.notna() & ~values.isin(dtype.categories)]
    if len(unknown):
        raise ValueError(f"unknown {what}: {', '.join(map(str, unknown.unique()[:5]))}")
    return values.astype(dtype)


def _sorted_dtype(values: pd.Series) -> pd.CategoricalDtype:
    """A categorical dtype whose categories are the distinct values of ``values``, sorted."""
    return pd.CategoricalDtype(sorted(values.dropna().astype(str).unique()))


def _enum_dtype(enum: type[StrEnum]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype([member.value for member in enum])


def _regions(frame: pd.DataFrame | None) -> pd.DataFrame:
    regions = _columns(
        frame,
        "regions",
        ("region_code",),
        {"name": None, "country": None, "lat": np.nan, "lon": np.nan, "adults": np.nan},
    )
    codes = regions["region_code"].astype(str)
    return regions.assign(
        region_code=codes.astype(_sorted_dtype(codes)),
        name=regions["name"].fillna(codes),
        lat=regions["lat"].astype("float64"),
        lon=regions["lon"].astype("float64"),
        adults=regions["adults"].astype("float64"),
    )


def _clusters(frame: pd.DataFrame | None, regions: pd.DataFrame) -> pd.DataFrame:
    clusters = _columns(
        frame,
        "clusters",
        ("cluster_id", "region_code"),
        {"name": None, "helix_roles": None, "website": None},
    )
    ids = clusters["cluster_id"].astype(str)
    return clusters.assign(
        cluster_id=ids.astype(_sorted_dtype(ids)),
        name=clusters["name"].fillna(ids),
        region_code=_category(clusters["region_code"], regions["region_code"].dtype, "region"),
    )


def _cluster_regions(
    frame: pd.DataFrame | None, regions: pd.DataFrame, clusters: pd.DataFrame
) -> pd.DataFrame:
    """Every region each cluster works in: its home region (``home``), then the others."""
    others = _columns(frame, "cluster regions", ("cluster_id", "region_code"), {})
    homes = clusters[["cluster_id", "region_code"]].astype(object)
    both = pd.concat(
        [homes.assign(home=True), others.astype(object).assign(home=False)], ignore_index=True
    ).drop_duplicates(["cluster_id", "region_code"])
    return both.assign(
        cluster_id=_category(both["cluster_id"], clusters["cluster_id"].dtype, "cluster"),
        region_code=_category(both["region_code"], regions["region_code"].dtype, "region"),
        home=both["home"].astype(bool),
    ).reset_index(drop=True)


def _programmes(
    frame: pd.DataFrame | None, regions: pd.DataFrame, clusters: pd.DataFrame
) -> pd.DataFrame:
    programmes = _columns(
        frame,
        "programmes",
        _REQUIRED_PROGRAMME_COLUMNS,
        {
            field.frame_key: np.nan if field.kind in NUMBER_KINDS else None
            for field in PROGRAMME_FIELDS
            if field.frame_key not in _REQUIRED_PROGRAMME_COLUMNS
        },
    )
    ids = programmes["programme_id"].astype(str)
    start = pd.to_datetime(programmes["start"])
    end = pd.to_datetime(programmes["end"])
    return programmes.assign(
        programme_id=ids.astype(_sorted_dtype(ids)),
        name=programmes["name"].fillna(ids),
        cluster_id=_category(programmes["cluster_id"], clusters["cluster_id"].dtype, "cluster"),
        region_code=_category(programmes["region_code"], regions["region_code"].dtype, "region"),
        level=_category(programmes["level"], LEVEL_DTYPE, "level"),
        provider_helix=_category(programmes["provider_helix"], _enum_dtype(HelixRole), "helix"),
        delivery_mode=_category(
            programmes["delivery_mode"], _enum_dtype(DeliveryMode), "delivery mode"
        ),
        funding_source=programmes["funding_source"].astype(
            _sorted_dtype(programmes["funding_source"])
        ),
        start=start,
        end=end,
        start_month=months_of_dates(start),
        end_month=months_of_dates(end),
        capacity=programmes["capacity"].astype("float64"),
        budget_eur=programmes["budget_eur"].astype("float64"),
    )


def _targets(frame: pd.DataFrame | None) -> pd.DataFrame:
    targets = _columns(
        frame,
        "targets",
        ("target_id", "scope", "scope_id", "level", "deadline_year", "value", "baseline_year"),
        {"metric": Metric.COMPLETED.value, "baseline_value": 0},
    )
    return targets.assign(
        target_id=targets["target_id"].astype(str),
        scope=_category(targets["scope"], _enum_dtype(ScopeKind), "scope"),
        scope_id=targets["scope_id"].astype(object).where(targets["scope_id"].notna(), None),
        level=_category(targets["level"], LEVEL_DTYPE, "level"),
        metric=_category(targets["metric"], _enum_dtype(Metric), "metric"),
        deadline_year=targets["deadline_year"].astype(np.int32),
        value=targets["value"].astype("float64"),
        baseline_year=targets["baseline_year"].astype(np.int32),
        baseline_value=targets["baseline_value"].fillna(0).astype("float64"),
    )


def _milestones(frame: pd.DataFrame | None) -> pd.DataFrame:
    milestones = _columns(frame, "milestones", ("target_id", "year", "value"), {})
    return milestones.astype({"target_id": str, "year": np.int32, "value": "float64"})


def _progress(frame: pd.DataFrame | None, programmes: pd.DataFrame) -> pd.DataFrame:
    if frame is not None and "month" not in frame and "period" in frame:
        frame = frame.assign(month=frame["period"].map(period_to_month))
    progress = _columns(
        frame,
        "progress",
        (
            "programme_id",
            "month",
            *(field.key for field in MEASURE_FIELDS if not field.not_reported_if_blank),
        ),
        {field.key: np.nan for field in MEASURE_FIELDS if field.not_reported_if_blank},
    )
    month = progress["month"].astype(np.int32)
    return progress.assign(
        programme_id=_category(
            progress["programme_id"], programmes["programme_id"].dtype, "programme"
        ),
        month=month,
        year=(month // 12).astype(np.int16),
        **{field.key: progress[field.key].astype(measure_dtype(field)) for field in MEASURE_FIELDS},
    )[["programme_id", "month", "year", *PROGRESS_MEASURES]]


def _breakdowns(
    frame: pd.DataFrame | None, progress: pd.DataFrame | None, programmes: pd.DataFrame
) -> pd.DataFrame:
    """The rows that report any ESF+ band (``Frames.breakdowns``), from ``frame`` or else from
    the band columns ``progress`` has, ordered by programme and month."""
    if frame is None and progress is not None and set(BREAKDOWN_BANDS) & set(progress.columns):
        frame = progress
    if frame is not None and "month" not in frame and "period" in frame:
        frame = frame.assign(month=frame["period"].map(period_to_month))
    rows = _columns(
        frame,
        "breakdowns",
        ("programme_id", "month", "enrolled"),
        dict.fromkeys(BREAKDOWN_BANDS, np.nan),
    )
    bands = rows[list(BREAKDOWN_BANDS)].astype(BAND_DTYPE)
    reporting = bands.notna().any(axis=1).to_numpy()
    month = rows["month"].astype(np.int32)
    rows = rows.assign(
        programme_id=_category(rows["programme_id"], programmes["programme_id"].dtype, "programme"),
        month=month,
        year=(month // 12).astype(np.int16),
        enrolled=rows["enrolled"].astype(np.int32),
        **{key: bands[key] for key in BREAKDOWN_BANDS},
    )[list(BREAKDOWN_COLUMNS)][reporting]
    return sort_by_programme_and_month(rows)


def sort_by_programme_and_month(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (a categorical ``programme_id`` and a ``month``) ordered by programme, then
    month: one order however they were read, so float sums over them agree to the last bit."""
    order = np.lexsort((rows["month"].to_numpy(), rows["programme_id"].cat.codes.to_numpy()))
    return rows.take(order).reset_index(drop=True)


def _facilities(
    frame: pd.DataFrame | None, regions: pd.DataFrame, clusters: pd.DataFrame
) -> pd.DataFrame:
    facilities = _columns(
        frame,
        "facilities",
        ("facility_id", "kind", "region_code", "status", "planned_open"),
        {"name": None, "cluster_id": None, "actual_open": None, "notes": None},
    )
    planned = pd.to_datetime(facilities["planned_open"])
    opened = pd.to_datetime(facilities["actual_open"])
    return facilities.assign(
        facility_id=facilities["facility_id"].astype(str),
        name=facilities["name"].fillna(facilities["facility_id"].astype(str)),
        kind=_category(facilities["kind"], _enum_dtype(FacilityKind), "facility kind"),
        region_code=_category(facilities["region_code"], regions["region_code"].dtype, "region"),
        cluster_id=_category(facilities["cluster_id"], clusters["cluster_id"].dtype, "cluster"),
        status=_category(facilities["status"], _enum_dtype(FacilityStatus), "facility status"),
        planned_open=planned,
        actual_open=opened,
        planned_month=months_of_dates(planned),
        actual_month=months_of_dates(opened),
    )


def build_frames(
    *,
    regions: pd.DataFrame,
    clusters: pd.DataFrame,
    programmes: pd.DataFrame,
    cluster_regions: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    progress: pd.DataFrame | None = None,
    facilities: pd.DataFrame | None = None,
    breakdowns: pd.DataFrame | None = None,
    as_of: str | None = None,
    complete_month_share: float = DEFAULT_SHARE,
    closed_periods: Collection[str] = (),
) -> Frames:
    """Typed, mutually consistent :class:`Frames` from plain tables (database rows, CSV, tests).

    Column names follow the schema with the key of each table spelt out: ``region_code``,
    ``cluster_id``, ``programme_id``, ``target_id``, ``facility_id``. ``cluster_regions``
    lists the regions clusters work in besides their home region (``cluster_id``,
    ``region_code``; default: none). Progress takes a
    ``period`` ('YYYY-MM') or a ``month`` index. ``breakdowns`` (the same keys, ``enrolled``
    and ESF+ bands) defaults to the band columns of ``progress``, if it has any. Descriptive
    columns may be left out (a name defaults to the id, anything else to missing). ``as_of``
    (default: the latest reported month) drops progress after it; ``complete_month_share``
    and ``closed_periods`` (closed months, ``YYYY-MM``) decide which month a selection shows by
    default (``Frames.default_as_of``).

    Raises:
        ValueError: a table lacks a required column or refers to an unknown region, cluster,
            programme, level or other enumerated value.
    """
    region_frame = _regions(regions)
    cluster_frame = _clusters(clusters, region_frame)
    programme_frame = _programmes(programmes, region_frame, cluster_frame)
    progress_frame = _progress(progress, programme_frame)
    latest = int(progress_frame["month"].max()) if len(progress_frame) else None
    month = latest if as_of is None else period_to_month(as_of)
    breakdown_frame = _breakdowns(breakdowns, progress, programme_frame)
    if month is not None and latest is not None and latest > month:
        progress_frame = progress_frame[progress_frame["month"] <= month].reset_index(drop=True)
        breakdown_frame = breakdown_frame[breakdown_frame["month"] <= month].reset_index(drop=True)
    reports = month_completeness(programme_frame, progress_frame, month)
    closed = tuple(sorted(period_to_month(period) for period in closed_periods))
    return Frames(
        regions=region_frame,
        clusters=cluster_frame,
        cluster_regions=_cluster_regions(cluster_regions, region_frame, cluster_frame),
        programmes=programme_frame,
        targets=_targets(targets),
        milestones=_milestones(milestones),
        progress=progress_frame,
        facilities=_facilities(facilities, region_frame, cluster_frame),
        breakdowns=breakdown_frame,
        as_of=month,
        default_as_of=complete_month(reports, complete_month_share, closed),
        complete_month_share=complete_month_share,
        month_reports=reports,
        closed_months=closed,
    )
