"""Component ids of the dashboard's pages, as constants, so layouts, callbacks and tests agree."""

from __future__ import annotations

from typing import Any

# The app shell's address bar (dashboard/app.py): setting its href navigates between pages.
APP_LOCATION = "url"

# The selection: a page-local URL bar, the filters it holds, and what the page path fixes.
FILTER_LOCATION = "filter-location"
FILTERS = "filters"
PAGE_SCOPE = "page-scope"
FILTER_MESSAGE = "filter-message"
FILTER = "filter"  # pattern type: {"type": FILTER, "name": <Filters field>}
FILTER_RESET = "filter-reset"
# Below Bootstrap's lg breakpoint the filters live in a drawer, summarised as removable chips.
FILTER_DRAWER = "filter-drawer"
FILTER_DRAWER_OPEN = "filter-drawer-open"
FILTER_DRAWER_CLOSE = "filter-drawer-close"
FILTER_DRAWER_BACKDROP = "filter-drawer-backdrop"
FILTER_CHIPS = "filter-chips"
CLUSTER_LINKS = "cluster-links"  # region pages: a link per cluster the contribution chart shows
FILTER_CHIP = "filter-chip"  # pattern type: {"type": FILTER_CHIP, "name": field, "value": value}

# Chart cards: pattern types, one component of each per card, told apart by the chart name.
CHART_TITLE = "chart-title"
CHART_GRAPH = "chart-graph"
CHART_DATA = "chart-data"
CHART_TABLE = "chart-table"
CHART_TABLE_TOGGLE = "chart-table-toggle"
CHART_TABLE_COLLAPSE = "chart-table-collapse"
CHART_CSV = "chart-csv"
CHART_PNG = "chart-png"
CHART_DOWNLOAD = "chart-download"

# Chart names.
TREND = "trend"
MAP = "map"
LEAGUE = "league"
AMBITION = "ambition"
CONTRIBUTION = "contribution"
PROGRAMMES = "programmes"
FUNNEL = "funnel"
MONEY = "money"
INCLUSION = "inclusion"
ESF = "esf"
PEERS = "peers"
CLUSTER_PEERS = "cluster-peers"
EU_REACH = "eu-reach"
EU_SPECIALISTS = "eu-specialists"
EU_COUNTRIES = "eu-countries"
COMPLETENESS = "completeness"
FACILITIES = "facilities"

# Headline cards, one per level: f"{KPI}-{level}" shows the attainment as a percentage.
KPI = "kpi"
KPI_CARDS = "kpi-cards"

# Page headings and links filled from the selection.
SCOPE_SUBTITLE = "scope-subtitle"
REGION_SUBTITLE = "region-subtitle"
CLUSTER_SUBTITLE = "cluster-subtitle"
REPORT_LINK = "report-link"
PROGRAMMES_LINK = "programmes-link"

# The overview's league table of regions (its own table view), its sort order and the button
# that shows all its rows (its ``aria-expanded`` says whether they show).
LEAGUE_TABLE = "overview-regions"
LEAGUE_SORT = "overview-regions-sort"
LEAGUE_ALL = "overview-regions-all"
SORT = "sort"  # a column's sort button: {"type": SORT, "table": …, "column": …}

# Grids of rows (their own table view).
REGION_PROGRAMMES_GRID = "region-programmes"

# The programmes page.
PROGRAMMES_GRID = "programmes-grid"
PROGRAMME_DETAIL = "programme-detail"
PROGRAMMES_COUNT = "programmes-count"


def chart(kind: str, name: Any) -> dict[str, Any]:
    """The id of one part (``kind``, e.g. :data:`CHART_GRAPH`) of the chart card ``name``."""
    return {"type": kind, "chart": name}


def kpi(level: str, part: str = "") -> str:
    """The id of a level's headline card or of a part of it (``kpi-basic``, ``kpi-basic-card``)."""
    return f"{KPI}-{level}-{part}" if part else f"{KPI}-{level}"


# The quadruple helix, the region × cluster matrix and a region's clusters.
HELIX_TRAINED = "helix-trained"
HELIX_PARTNERS = "helix-partners"
MATRIX = "matrix"
MATRIX_SUBTITLE = "matrix-subtitle"
MATRIX_TABLE = "matrix-table"
REGION_CLUSTERS = "region-clusters"
REGION_CLUSTERS_LIST = "region-clusters-list"

# The Plan page: its inputs, the plan's request (what the download rebuilds), its results.
PLAN_MODE = "plan-mode"
PLAN_SOURCE = "plan-source"  # a budget row's funding source: {"type": PLAN_SOURCE, "row": n}
PLAN_AMOUNT = "plan-amount"  # a budget row's amount: {"type": PLAN_AMOUNT, "row": n}
PLAN_SOURCES = "plan-sources"  # the datalist of the network's funding sources
PLAN_COST_FACTOR = "plan-cost-factor"
PLAN_COMPLETION_FACTOR = "plan-completion-factor"
PLAN_RUN = "plan-run"
PLAN_REQUEST = "plan-request"
PLAN_RESULTS = "plan-results"
PLAN_WORDS = "plan-words"
PLAN_TOTALS = "plan-totals"
PLAN_TABLE = "plan-table"
PLAN_EFFECT = "plan-effect"
PLAN_MARGINAL = "plan-marginal"
PLAN_DOWNLOAD = "plan-download"
PLAN_DOWNLOAD_BUTTON = "plan-download-button"

# Plan & EU (#19, last part)
PLAN_BUDGETS = "plan-budgets"  # what each funding source pays of the plan
PLAN_OPTIMALITY = "plan-optimality"  # how close to the best the plan is proven
