"""The analysis layer: pure, typed functions over the roadmap's tables as pandas DataFrames.

Load once with :func:`load_frames`, narrow with :func:`apply_filters`, then ask questions;
no function here touches the database or the dashboard. Definitions: ``docs/analysis.md``.
"""

from skills_roadmap.analysis.ambition import ambition_gap
from skills_roadmap.analysis.attainment import attainment, headline_targets, summarise_attainment
from skills_roadmap.analysis.breakdowns import esf_breakdowns
from skills_roadmap.analysis.completeness import reporting_completeness
from skills_roadmap.analysis.contribution import contribution
from skills_roadmap.analysis.drag import cluster_drag
from skills_roadmap.analysis.facilities import (
    facilities_as_of,
    facilities_status,
    facility_slippage,
)
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.forecast import forecast
from skills_roadmap.analysis.frames import Frames, build_frames
from skills_roadmap.analysis.funnel import funnel
from skills_roadmap.analysis.helix import cluster_helix_roles, trained_by_helix
from skills_roadmap.analysis.inclusion import inclusion
from skills_roadmap.analysis.loader import load_frames
from skills_roadmap.analysis.matrix import region_cluster_matrix
from skills_roadmap.analysis.money import money
from skills_roadmap.analysis.overview import overview
from skills_roadmap.analysis.peers import peers
from skills_roadmap.analysis.periods import month_to_period, period_to_month
from skills_roadmap.analysis.status import Status, classify_status
from skills_roadmap.analysis.thresholds import AnalysisSettings
from skills_roadmap.analysis.trajectory import attainment_trend, expected_values

__all__ = [
    "AnalysisSettings",
    "Filters",
    "Frames",
    "Status",
    "ambition_gap",
    "apply_filters",
    "attainment",
    "attainment_trend",
    "build_frames",
    "classify_status",
    "cluster_drag",
    "cluster_helix_roles",
    "contribution",
    "esf_breakdowns",
    "expected_values",
    "facilities_as_of",
    "facilities_status",
    "facility_slippage",
    "forecast",
    "funnel",
    "headline_targets",
    "inclusion",
    "load_frames",
    "money",
    "month_to_period",
    "overview",
    "peers",
    "period_to_month",
    "region_cluster_matrix",
    "reporting_completeness",
    "summarise_attainment",
    "trained_by_helix",
]
