"""Every user-visible string of the dashboard, in one place so translation can follow."""

from __future__ import annotations

from skills_roadmap import choice_words
from skills_roadmap.fields import PROGRAMME_FIELDS, Field, labels
from skills_roadmap.i18n.constants import translated_constants


def _report_header(fields: tuple[Field, ...], frame_key: str) -> str:
    """The catalogue's report header of a field, e.g. the programme's name: "Programme"."""
    return next(field.report_header for field in fields if field.frame_key == frame_key)


APP_TITLE = "Skills Roadmap"
LANGUAGE_MENU = "Language: "
GRID_TEXT = {
    "loadingOoo": "Loading…",
    "noRowsToShow": "No rows to show",
    "page": "Page",
    "of": "of",
    "to": "to",
    "more": "more",
    "firstPage": "First page",
    "lastPage": "Last page",
    "nextPage": "Next page",
    "previousPage": "Previous page",
    "pageSizeSelectorLabel": "Page size:",
    "pageLastRowUnknown": "?",
    "filterOoo": "Filter…",
    "searchOoo": "Search…",
    "selectAll": "(Select all)",
    "blanks": "(Blanks)",
    "equals": "Equals",
    "notEqual": "Does not equal",
    "contains": "Contains",
    "notContains": "Does not contain",
    "startsWith": "Begins with",
    "endsWith": "Ends with",
    "blank": "Blank",
    "notBlank": "Not blank",
    "lessThan": "Less than",
    "greaterThan": "Greater than",
    "lessThanOrEqual": "Less than or equal to",
    "greaterThanOrEqual": "Greater than or equal to",
    "inRange": "Between",
    "inRangeStart": "From",
    "inRangeEnd": "To",
    "andCondition": "AND",
    "orCondition": "OR",
    "applyFilter": "Apply",
    "resetFilter": "Reset",
    "clearFilter": "Clear",
    "cancelFilter": "Cancel",
    "filterConditions": "Conditions",
    "columnFilter": "Column filter",
    "ariaFilterValue": "Filter value",
    "ariaFilteringOperator": "Filtering operator",
}
"""AG Grid's own words, by its keys (``localeText``)."""
LOCAL_MODE_NOTICE = "Local single-user mode · no log-in"

# The words of levels, delivery modes, helix roles and uploads' kinds and outcomes are the
# library's (choice_words): the pages and the reports show the same ones.
LEVEL_LABELS = choice_words.LEVEL_LABELS
LEVEL_DESCRIPTIONS = {
    "basic": "wide workforce and citizens using AI",
    "intermediate": "service providers and digital professionals",
    "expert": "specialists who build and research AI",
}
# A status's words and icons are the library's (skills_roadmap.status_words): the pages and
# the reports show the same ones.

OVERVIEW_NAME = "Overview"
OVERVIEW_TITLE = "Is the roadmap on track?"
OVERVIEW_SUBTITLE = "People trained against target per level, network-wide, as of {as_of}."
OVERVIEW_SUBTITLE_SELECTION = "People trained against target per level {selection}, as of {as_of}."
KPI_ACHIEVED = "{achieved:,} of {target:,} people ({metric})"
METRIC_WORDS = {"enrolled": "enrolled", "completed": "completed", "certified": "certified"}
"""What a target counts, as KPI_ACHIEVED names it."""
KPI_EXPECTED = "Trajectory expects {expected:,} {by}"
BY_NOW = "by now"
BY_MONTH = "by {month}"
REGIONS_TABLE_TITLE = "Regions: attainment of the target per level"
REGIONS_TABLE_NOTE = (
    "Attainment = people trained so far ÷ the region's target. "
    "Status compares people trained with the trajectory expected by now."
)
COLUMN_REGION = "Region"
COLUMN_CODE = "Code"
NO_NETWORK = (
    "No network yet: an administrator uploads the network's workbook on the Upload page (or "
    "with `skills-roadmap import`; the empty workbook is on that page, or "
    "`skills-roadmap template --kind network`), or loads the demo network with "
    "`skills-roadmap demo`."
)
NO_PROGRESS = (
    "No progress has been reported yet for the {programmes} programmes of this network in "
    "{regions}: programme managers download their template on the Upload page, fill in the "
    "month, and upload it."
)
NO_PROGRESS_REGIONS_NAMED = 8  # the regions named before "and N more regions"
NO_PROGRESS_LAST_REGION = "{names} and {last}"
NO_PROGRESS_MORE_REGIONS = "{names} and {more:,} more regions"
NO_TARGET = "No target set at this level."
NOT_AVAILABLE = "—"
UNITS = {
    "point": ("point", "points"),
    "month": ("month", "months"),
    "error": ("error", "errors"),
    "problem": ("problem", "problems"),
    "data row": ("data row", "data rows"),
    "new row": ("new row", "new rows"),
    "changed row": ("changed row", "changed rows"),
}
YES = "yes"
NO = "no"
NOT_RECORDED = "Not recorded"

# Navigation and page headings.
REGION_NAME = "Region"
REGION_PAGE_TITLE = "{name} ({code}) · Skills Roadmap"
REGION_SUBTITLE = "{country} · as of {as_of}. Is the region on track, and who carries it?"
REGION_UNKNOWN = "There is no region “{code}” in the database. Pick one from the overview."
CLUSTER_NAME = "Cluster"
CLUSTER_PAGE_TITLE = "{name} · Skills Roadmap"
CLUSTER_SUBTITLE = "Cluster based in {region}, working in {regions} · as of {as_of}."
CLUSTER_UNKNOWN = "There is no cluster “{cluster}” in the database. Pick one from a region page."
CLUSTER_KPI_NOTE = (
    "Headline cards show the cluster's own targets when it has any; otherwise its "
    "contribution to the targets of its home region."
)
CLUSTER_CONTRIBUTION = "{achieved} people completed: {share} of {region}'s {deadline} target"
PROGRAMMES_NAME = "Programmes"
PROGRAMMES_TITLE_PAGE = "Programmes"
PROGRAMMES_INTRO = (
    "Every programme in the selection with its progress to date. Sort and filter the columns; "
    "rows load as you scroll."
)
PROGRAMMES_COUNT = "{count:,} programmes in the selection."
SECTION_TARGETS = "Targets and trajectory"
SECTION_WHO = "Who carries it"
SECTION_MONEY = "People, money and inclusion"
SECTION_DELIVERY = "Reporting and facilities"
SECTION_NETWORK = "The network"
REPORT_LINK = "Report of this view (Excel, PDF, HTML)"
VIEW_LINKS_LABEL = "This selection elsewhere"
ALL_PROGRAMMES_LINK = "All programmes of this selection"
REGION_LINK_TITLE = "Open the region page"

# Filters.
FILTERS_HEADING = "Filters"
FILTER_LABELS = {
    "regions": "Region",
    "clusters": "Cluster",
    "levels": "Level",
    "as_of": "As of month",
    "funding_sources": "Funding source",
    "delivery_modes": "Delivery mode",
    "provider_helices": "Provider helix",
}
FILTER_ALL = "All"
FILTER_SEARCH = "All (type a name)"
FILTER_LATEST = "{period} (complete)"
PROVISIONAL_MONTH = "{period} (provisional)"
PROVISIONAL = (
    "{period} is provisional: {reported} of {due} programmes due have reported it; pick it in "
    "the filters to see it."
)
PROVISIONAL_SHOWN = (
    "{period} is provisional: only {reported} of {due} programmes due have reported it yet."
)
FILTER_RESET = "Clear filters"
CLUSTER_LINKS_LABEL = "The clusters' pages"
FILTER_DRAWER_OPEN = "Filters"
FILTER_DRAWER_COUNT = "Filters ({count})"
FILTER_DRAWER_CLOSE = "Close the filters"
FILTER_CHIPS_LABEL = "Active filters"
FILTER_CHIP_REMOVE = "Remove the filter {label}: {value}"
FILTER_MALFORMED = "“{value}” is not a valid {label}, so it was left out of the filters."
FILTER_UNKNOWN = "There is no {label} “{value}” in the database, so it was left out of the filters."
FILTER_TOO_LONG = (
    "A {label} of {length:,} characters (“{start}…”) was left out of the filters: "
    "at most {limit:,} characters are read."
)
FILTER_TOO_MANY = (
    "{count:,} more values of {label} were left out of the filters: at most {limit:,} are read."
)
DELIVERY_LABELS = choice_words.DELIVERY_LABELS
HELIX_LABELS = choice_words.HELIX_LABELS
SELECTION_LEVELS = "at {levels} level"
SELECTION_PLACE = "in {place}"
SELECTION_NETWORK = "in the network"
SELECTION_AND = " and "

# Headline cards.
KPI_TARGETS_NOTE = "Sum of {count} targets, one per selected place."
KPI_NOT_SELECTED = "Level not in the selection."
KPI_FORECAST_REACHED = "Forecast: target already reached."
KPI_FORECAST_ON_TIME = "Forecast: reached by {period} at the recent pace."
KPI_FORECAST_LATE = (
    "Forecast: not before the deadline at the recent pace ({run_rate:,.0f} a month; "
    "{required:,.0f} a month needed)."
)
KPI_FORECAST_UNKNOWN = "Forecast: no recent progress to project."
KPI_FORECAST_MANY = (
    "Forecast: {on_time} of {count} targets reached by their deadline at the recent pace."
)
KPI_OF_TARGET = "of the {deadline} target"
KPI_OF_TARGET_PART = "of the {deadline} target, from this part"
KPI_PART = (
    "The filters select part of the programmes behind this target: this is their "
    "contribution. Clear the filters to see whether the whole target is on track."
)
KPI_PEOPLE_COMPLETED = "people completed"

# Chart cards.
CHART_TABLE = "Table"
CHART_TABLE_LABEL = "Show or hide the numbers of this chart as a table"
CHART_CSV = "CSV"
CHART_CSV_LABEL = "Download the numbers of this chart as a CSV file"
CHART_PNG = "PNG"
CHART_PNG_LABEL = "Download this chart as a PNG image"
CHART_TABLE_TRUNCATED = "First {shown:,} of {count:,} rows; the CSV download has them all."
CHART_TABLE_CAPTION = "The numbers of the chart “{title}”"
SORT_BY = "Sort by {column}"
CONTRIBUTION_NOTE = "Select a cluster's bar to open its page."
MAP_NOTE = (
    "Marker size: the region's target. Shape and colour: status. Select a region on the map to "
    "open it."
)

# Axes and legends.
AXIS_PERCENT_OF_TARGET = "Percent of the target"
AXIS_PEOPLE = "People"
AXIS_PEOPLE_COMPLETED = "People completed"
AXIS_CUMULATIVE_SHARE = "Cumulative share"
AXIS_EUR = "EUR"
AXIS_WOMEN_SHARE = "Women among participants (%)"
AXIS_ATTAINMENT = "Attainment of the targets (%)"
AXIS_COST_PER_COMPLETER = "Cost per completer (EUR)"
AXIS_MONTHS_LATE = "Months late"

# Findings: chart titles computed from the numbers.
TREND_ACHIEVED = "{level}: achieved"
TREND_EXPECTED = "{level}: trajectory"
TREND_PROVISIONAL = "{level}: provisional"
TREND_TITLE = "{level}: {attainment} of the {deadline} target, {position}"
TREND_TITLE_FURTHEST = (
    "{level} is furthest behind: {attainment} of its {deadline} target, {position}"
)
TREND_TITLE_ALL_ON = (
    "Every level on or ahead of its trajectory; {level}: {attainment} of the {deadline} target"
)
TREND_AHEAD = "{points} ahead of the trajectory"
TREND_BEHIND = "{points} behind the trajectory"
TREND_ON = "on the trajectory"
TREND_PART = "from the selected part of its programmes"
TREND_NOTHING_YET = "No progress reported yet against these targets"
MAP_TITLE = "{level}: {on_track} of {regions} regions on track{others}"
MAP_COUNT = "{count} {label}"
MAP_WITHOUT_TARGET = " ({count} without a target)"
MAP_HOVER = "{name} ({code})<br>{attainment} of target · {achieved} / {target}<br>{status}"
LEAGUE_TITLE = (
    "{level}: {best} leads with {best_value} of its target; {worst} trails with {worst_value}"
)
LEAGUE_ONE = "{name}: {attainment} of its {level} target"
LEAGUE_NO_TARGETS = "No region in the selection has a {level} target"
LEAGUE_ATTAINMENT = "{level}: attainment (%)"
LEAGUE_STATUS = "{level}: status"
LEAGUE_REGION = "League table of regions"
LEAGUE_SHOW_ALL = "Show all {count} regions"
LEAGUE_SHOW_FIRST = "Show the first {count}"
AMBITION_NETWORK = "Network target"
AMBITION_REGIONS = "Sum of the regions' targets"
AMBITION_BALANCED = "The regions' targets add up to the network's target at every level"
AMBITION_SHORT = (
    "{level}: the regions' targets fall {amount} people short of the network's {deadline} target"
)
AMBITION_OVER = (
    "{level}: the regions' targets exceed the network's {deadline} target by {amount} people"
)
AMBITION_NO_NETWORK = "No network target is set to compare the regions' targets with"
AMBITION_VERDICTS = {
    "surplus": "regions aim higher",
    "shortfall": "regions aim lower",
    "balanced": "balanced",
    "no network target": "no network target",
}
NOUNS = {"cluster_id": "clusters", "programme_id": "programmes"}
CONTRIBUTION_TITLE = "{carriers} of {count} {noun} carry {share} of the people completed"
CONTRIBUTION_LAG = "; {name} lags most ({use} of its expected enrolment)"
CONTRIBUTION_CARRIES = "Carry {share} of completions"
CONTRIBUTION_OTHERS = "Others"
CONTRIBUTION_HIGHLIGHT = "This cluster"
CONTRIBUTION_CUMULATIVE = "Cumulative share"
PROGRAMMES_TITLE = "{count} programmes; {behind} below 80 percent of their expected enrolment"
FUNNEL_TITLE = "{level}: {completed} of enrolled people completed, {dropped} dropped out"
MONEY_TITLE = "{share} of the {budget} budget spent"
MONEY_LOWEST = "; lowest absorption: {source} ({share})"
INCLUSION_TITLE = "Women are {share} of participants, {position} (goal {goal})"
INCLUSION_ABOVE = "{points} above the goal"
INCLUSION_BELOW = "{points} below the goal"
INCLUSION_AT_GOAL = "at the goal"
INCLUSION_GOAL = "Goal ({goal})"
PEERS_TITLE = (
    "{name}: {attainment} of its targets, {quartile} quarter of {count} regions; "
    "{cost} per completer (median {median})"
)
PEERS_SPREAD = "{count} regions: median attainment {attainment}, median cost per completer {cost}"
PEERS_OTHERS = "Other regions"
QUARTILES = {1: "lowest", 2: "second", 3: "third", 4: "highest"}
COMPLETENESS_TITLE = (
    "{late} of {count} programmes have not reported {period}; the latest is {months} behind"
)
COMPLETENESS_ALL = (
    "The {count} programme due has reported through {period}",
    "All {count} programmes due have reported through {period}",
)  # a plural: i18n.constants.plural
FACILITIES_TITLE = "{operational} of {count} facilities operational"
FACILITIES_NONE_OVERDUE = "; none overdue"
FACILITIES_OVERDUE = "; {count} overdue, the latest by {months}"
FACILITIES_SHOWN = " (the timeline shows {shown}, the most pressing; the table lists all)"
FACILITY_PLANNED = "Planned opening ({state})"
FACILITY_OPENED = "Opened"
FACILITY_STATES = {"operational": "opened", "on_schedule": "not due yet", "overdue": "overdue"}
FACILITY_KINDS = {
    "idea_generation": "Idea generation",
    "demonstration": "Demonstration",
    "testing": "Testing",
}
FACILITY_STATUSES = {"planned": "Planned", "building": "Building", "operational": "Operational"}

# Empty states: say why there is nothing to show.
EMPTY_TARGETS = "No targets set {selection} yet"
EMPTY_REGIONS = "No regions in this selection"
EMPTY_CONTRIBUTION = "No {noun} have trained anyone {selection} yet"
EMPTY_PROGRAMMES = "No programmes {selection} yet"
EMPTY_PROGRESS = "No progress reported {selection} yet"
EMPTY_BUDGET = "No programme budgets recorded {selection} yet"
EMPTY_WOMEN = "No programme {selection} has reported women among participants yet"
EMPTY_DUE = "No programmes due to report {selection} yet"
EMPTY_FACILITIES = "No facilities planned {selection} yet"
# The same when the filters are why: {clear} names the filters to clear (CLEAR_*).
EMPTY_TARGETS_FILTERED = "No targets set {selection} match these filters: clear {clear}"
EMPTY_CONTRIBUTION_FILTERED = (
    "No {noun} have trained anyone {selection} with these filters: clear {clear}"
)
EMPTY_PROGRAMMES_FILTERED = "No programmes {selection} match these filters: clear {clear}"
EMPTY_PROGRESS_FILTERED = "No progress reported {selection} matches these filters: clear {clear}"
EMPTY_BUDGET_FILTERED = "No programme budgets {selection} match these filters: clear {clear}"
EMPTY_WOMEN_FILTERED = (
    "No programme {selection} matching these filters has reported women among participants: "
    "clear {clear}"
)
EMPTY_DUE_FILTERED = "No programmes due to report {selection} match these filters: clear {clear}"
# A filter to clear, by its field in the selection; a filter's values are alternatives.
CLEAR_FILTER = {
    "levels": "the level {values}",
    "funding_sources": "the funding source {values}",
    "delivery_modes": "the delivery mode {values}",
    "provider_helices": "the provider helix {values}",
    "as_of": "the month {values}",
}
CLEAR_OR = " or "
CLEAR_AND = " and "

# Column labels of tables and CSV files, with units: those of the analysis results here, the
# sheets' fields' from the catalogue of fields (skills_roadmap.fields), for every table.
RESULT_COLUMNS = {
    "message": "Message",
    "id": "ID",
    "target": "Target (people)",
    "achieved": "Achieved (people)",
    "expected": "Trajectory (people)",
    "achieved_pct": "Achieved (percent of target)",
    "expected_pct": "Trajectory (percent of target)",
    "provisional": "Provisional",
    "attainment_pct": "Attainment (%)",
    "status": "Status",
    "network_target": "Network target (people)",
    "regional_total": "Sum of regional targets (people)",
    "regions": "Regions",
    "difference": "Difference (people)",
    "verdict": "Verdict",
    "share_pct": "Share (%)",
    "cumulative_pct": "Cumulative share (%)",
    "carries_text": "Carries 80%",
    "expected_enrolled": "Expected enrolment (people)",
    "capacity_use_pct": "Enrolment vs expected (%)",
    "completion_pct": "Completion rate (%)",
    "certification_pct": "Certification rate (%)",
    "dropout_pct": "Drop-out rate (%)",
    "absorption_pct": "Absorption (%)",
    "cost_per_completer": "Cost per completer (EUR)",
    "cost_per_certified": "Cost per certified (EUR)",
    "women_pct": "Women (%)",
    "reported_pct": "Enrolments reporting women (%)",
    "goal_pct": "Goal (%)",
    "cost": "Cost per completer (EUR)",
    "attainment_quartile": "Attainment quartile",
    "cost_quartile": "Cost quartile",
    "due_period": "Due month",
    "last_period": "Last reported",
    "months_late": "Months late",
    "kind": "Kind",
    "planned_period": "Planned opening",
    "actual_period": "Actual opening",
    "slippage_months": "Slippage (months)",
    "overdue": "Overdue",
    "late": "Reporting",
    "country": "Country",
    "adults": "Adults aged 16-74",
    "reached": "People reached",
    "share_of_adults_pct": "Share of adults (%)",
    "share_of_goal_pct": "Share of the goal of 80% (%)",
    "frame": "EU frame",
    "digital_decade": "Digital Decade",
    "ai_act": "AI Act, Article 4",
    "digcomp": "DigComp 2.2",
    "programmes": "Programmes",
    "region_name": "Region name",
    "cluster_name": "Cluster name",
    "home_name": "Based in",
    "counted": "Counted towards the region's target (people)",
    "contribution_pct": "Contribution to the region's target (%)",
    "completed_share_pct": "Share of the level's completions (%)",
    "helix_role": "Partner role",
    "clusters": "Clusters",
    "clusters_pct": "Share of the clusters (%)",
    # ESF+ participant breakdowns
    "breakdown": "ESF+ indicator",
    "band": "Band",
    "people": "Participants (people)",
    "band_share_pct": "Share of participants (%)",
    "band_reported_pct": "Enrolments reporting the band (%)",
}
COLUMNS = {**labels(), **RESULT_COLUMNS}

# The ESF+ participant breakdowns card (inclusion section).
ESF_TITLE = "Share of enrolments reporting each ESF+ breakdown: {reported}"
ESF_REPORTED = "{breakdown} {share}"
ESF_AXIS = "Share of participants (%)"
ESF_HOVER = "{band}: {share} of participants ({people} people); {reported} of enrolments reported"
EMPTY_ESF = "No programme {selection} has reported ESF+ participant breakdowns yet"
EMPTY_ESF_FILTERED = (
    "No programme {selection} matching these filters has reported ESF+ participant breakdowns: "
    "clear {clear}"
)

PROGRAMME_LATE = "✖ {months} late"
PROGRAMME_UP_TO_DATE = "✔ Up to date"
PROGRAMME_NOT_DUE = "Not started"

NOT_FOUND_TITLE = "Page not found"
NOT_FOUND_TEXT = "There is no page at this address."
BACK_HOME = "Back to the overview"

LOGIN_TITLE = "Sign in · Skills Roadmap"
LOGIN_HEADING = "Sign in to Skills Roadmap"
LOGIN_NAME = "User name"
LOGIN_PASSWORD = "Password"
LOGIN_SUBMIT = "Sign in"
LOGIN_FAILED = "Wrong user name or password, or the account is disabled."
LOGIN_THROTTLED = "Too many failed attempts. Wait {wait} and try again."
LOGIN_BUSY = "Too many sign-ins right now. Try again in a few seconds."
WAIT_SECONDS = "{count} s"
WAIT_MINUTES = "{count} min"
SIGNED_IN_AS = "Signed in as {name} ({role})"
LOG_OUT = "Log out"
FORBIDDEN_TEXT = "Your role does not allow this. Ask an administrator if you need access."
LOCAL_ONLY_TEXT = (
    "Local single-user mode answers only on this computer (127.0.0.1). "
    "Turn on log-in (SKILLS_ROADMAP_AUTH_ENABLED) to serve other people."
)

AUDIT_NAME = "Audit log"
AUDIT_TITLE = "Audit log"
AUDIT_INTRO = (
    "Log-ins, failed log-ins, uploads, exports, refused requests and every administrator "
    "change, newest first. Times are UTC."
)
AUDIT_FILTER_USER = "User"
AUDIT_FILTER_ACTION = "Action"
AUDIT_FILTER_SINCE = "From (UTC day)"
AUDIT_FILTER_UNTIL = "To (UTC day)"
AUDIT_FILTER_TEXT = "Object or detail contains"
AUDIT_ANY = "Any"
AUDIT_COLUMNS = {
    "at": "Time (UTC)",
    "user_name": "User",
    "action": "Action",
    "object": "Object",
    "detail": "Detail",
}
AUDIT_SHOWN = "{count:,} entries shown (at most {limit:,}; narrow the filters to see older ones)."
AUDIT_ACTION_LABELS = {
    "login": "Log-in",
    "login_failed": "Failed log-in",
    "login_throttled": "Log-in rate-limited",
    "logout": "Log-out",
    "forbidden": "Refused request",
    "upload_dry_run": "Upload (dry run)",
    "upload_commit": "Upload (committed)",
    "export": "Export",
    "user_create": "User created",
    "user_role": "Role changed",
    "user_password": "Password changed",
    "user_disable": "User disabled",
    "programmes_change": "Programmes changed",
    "targets_change": "Targets changed",
    "period_close": "Month closed",
    "period_reopen": "Month reopened",
    "user_email": "E-mail address changed",
    "reminders_sent": "Reminders sent",
    "upload_revert": "Upload reverted",
    "period_submit": "Month submitted",
    "period_approve": "Month approved",
    "period_return": "Month returned",
}

# The upload page: template → fill → upload → check → confirm.
UPLOAD_NAME = "Upload"
UPLOAD_TITLE = "Upload progress"
UPLOAD_INTRO = (
    "Report your programmes' monthly progress: download the template, fill it in, upload it "
    "and check what would change. Nothing is stored until you confirm."
)
UPLOAD_STEP_TEMPLATE = "1. Get the month's template"
UPLOAD_TEMPLATE_TEXT = (
    "A Progress sheet listing the programmes that run in the month you report (first chosen: "
    "the month after your cluster's last report), with instructions on a second sheet. You "
    "may also keep using your own workbook with the same headers."
)
UPLOAD_TEMPLATE_CLUSTER = "Cluster"
UPLOAD_TEMPLATE_ALL = "All clusters"
UPLOAD_TEMPLATE_BUTTON = "Download the template (.xlsx)"
UPLOAD_TEMPLATE_MONTH = "Month to report"
UPLOAD_TEMPLATE_INSTEAD = "Download the template of {month}"
UPLOAD_STEP_FILE = "2. Upload your filled-in sheet"
UPLOAD_DROP = "Drag and drop your progress sheet here, or click to choose it"
UPLOAD_DROP_HINT = (
    ".xlsx, .xlsm, .xlsb, .xls, .ods or .csv, up to {size}. Macros never run and formulas are "
    "never evaluated: the values shown in the cells are read."
)
UPLOAD_CHECKING = "Reading and checking your sheet…"
UPLOAD_COMMITTING = "Storing your upload…"
UPLOAD_QUEUED = "Other uploads are being read right now; yours is next, then it is checked…"
UPLOAD_STEP_REPORT = "3. Check what would change, then confirm"
UPLOAD_REPORT_HEADING = "{kind} sheet “{sheet}” in {file}"
UPLOAD_REPORT_META = "{format} file, header on row {header_row}, {rows} read."
UPLOAD_COUNTS = {
    "new": "New rows",
    "changed": "Changed rows",
    "unchanged": "Unchanged rows",
    "errors": "Errors",
    "warnings": "Warnings",
}
UPLOAD_READY = "No errors. Confirm to store {new} and {changed}."
UPLOAD_NOTHING_NEW = "No errors, and nothing would change: every row is stored as it is."
UPLOAD_HAS_ERRORS = (
    "{errors} to fix: nothing can be stored while the sheet has errors. Download the sheet "
    "with the problems marked (above), fix it and upload it again."
)
UPLOAD_ERRORS_HEADING = "Errors: fix these, then upload the sheet again"
UPLOAD_WARNINGS_HEADING = "Warnings: please check these; they do not stop the upload"
UPLOAD_CHANGES_HEADING = "Changed values (old → new)"
UPLOAD_NEW_HEADING = "New rows"
UPLOAD_TABLE_TRUNCATED = "First {shown:,} of {count:,}; the marked-up sheet lists them all."
UPLOAD_PROBLEMS_NOT_LISTED = (
    "First {shown:,} of {count:,}; the marked-up sheet lists and marks the first {listed}: "
    "fix those and upload the sheet again to see the rest."
)
UPLOAD_RULES_HEADING = "Problems per rule"
UPLOAD_RULE_COLUMNS = {"severity": "Kind", "column": "Column", "rule": "Rule", "count": "Cells"}
UPLOAD_SEVERITIES = {"error": "Error", "warning": "Warning"}
UPLOAD_PROBLEM_COLUMNS = {
    "sheet": "Sheet",
    "row": "Row",
    "column": "Column",
    "cell": "Cell",
    "value": "Value found",
    "expected": "Expected",
    "message": "Problem",
}
UPLOAD_ROW = "Row"
UPLOAD_ROW_ID = "ID"
UPLOAD_ROW_ID_LABELS = {
    "programme_id": _report_header(PROGRAMME_FIELDS, "programme_id"),
    "code": "Code",
}
UPLOAD_PROGRAMME_NAME = "Programme"
UPLOAD_FIELD = "Field"
UPLOAD_OLD_NEW = "Old → new"
UPLOAD_KEY_LABELS = {
    "programme_id": "Programme",
    "period": COLUMNS["period"],
    "sheet": "Sheet",
    "id": "ID",
}
UPLOAD_BLANK = "(blank)"
UPLOAD_ARROW = "{old} → {new}"
UPLOAD_CONFIRM = "Confirm and store"
UPLOAD_CANCEL = "Cancel"
UPLOAD_ANNOTATED = "Download the sheet with the problems marked"
UPLOAD_CANCELLED = "Cancelled: nothing was stored."
UPLOAD_EXPIRED = (
    "This check is no longer available: it was confirmed, cancelled or has expired. "
    "Upload the file again."
)
UPLOAD_UNREADABLE = "The file could not be read: {reason}."
UPLOAD_REFUSED = "This upload is not allowed: {reason}."
UPLOAD_NOT_BASE64 = "the browser sent the file in a form the server does not understand; try again"
UPLOAD_COMMITTED = (
    "Stored as upload #{id}: {new:,} new, {changed:,} changed and {unchanged:,} unchanged rows."
)
UPLOAD_DUPLICATE = "This file was already stored as upload #{id}; nothing changed."
UPLOAD_REJECTED = (
    "Nothing was stored: checked again against the data as it is now, the sheet has "
    "{errors}. Upload it again to see them."
)
UPLOAD_OVERVIEW_LINK = "See the overview"
UPLOAD_HISTORY_HEADING = "Your uploads"
UPLOAD_HISTORY_EMPTY = "You have not uploaded anything yet."
UPLOAD_HISTORY_COLUMNS = {
    "upload_id": "Upload",
    "uploaded_at": "Time (UTC)",
    "file_name": "File",
    "kind": "Sheet",
    "outcome": "Outcome",
    "rows_new": "New",
    "rows_changed": "Changed",
    "rows_unchanged": "Unchanged",
    "errors": "Errors",
    "warnings": "Warnings",
}
UPLOAD_OUTCOMES = choice_words.UPLOAD_OUTCOMES
UPLOAD_KINDS = choice_words.UPLOAD_KINDS
UPLOAD_CHOOSE_CLUSTER = "choose the cluster of the template: one of {clusters}"
UPLOAD_NO_FILE = "send the sheet as the multipart form field 'file'"
# The upload page for administrators: the network workbook.
UPLOAD_NETWORK_TITLE = "Upload the network"
UPLOAD_NETWORK_INTRO = (
    "Set up or update your network: download the network workbook, fill in its sheets, upload "
    "it and check what would change, sheet by sheet. Nothing is stored until you confirm."
)
UPLOAD_STEP_NETWORK_TEMPLATE = "1. Get the network workbook"
UPLOAD_NETWORK_HEADING = "The network workbook (administrators)"
UPLOAD_NETWORK_TEXT = (
    "You may upload the network workbook: {sheets}. Any of these sheets in one file, stored in "
    "that order, all or none; rows are matched by their ID. The empty workbook has "
    "instructions, drop-down lists and a Reference sheet of the NUTS-2 regions. To change the "
    "network later, edit the workbook `skills-roadmap export --format network` writes and "
    "upload it again."
)
UPLOAD_NETWORK_BUTTON = "Download the empty network workbook (.xlsx)"
UPLOAD_NETWORK_FILE_NAME = "network.xlsx"
UPLOAD_DROP_NETWORK = "Drag and drop your network workbook here, or click to choose it"
UPLOAD_DROP_ANY = (
    "Drag and drop your progress sheet or network workbook here, or click to choose it"
)
UPLOAD_WORKBOOK_HEADING = "{kind} “{file}”: {sheet}"
UPLOAD_WORKBOOK_META = "{format} file, {sheets} sheets, {rows} read."
UPLOAD_SHEETS_HEADING = "Per sheet"
UPLOAD_SHEET_COLUMNS = {
    "sheet": "Sheet",
    "new": "New",
    "changed": "Changed",
    "unchanged": "Unchanged",
    "errors": "Errors",
    "warnings": "Warnings",
}
UPLOAD_TOTAL = "Total"

# Reports for analysts: the Reports page and the download buttons any page can show.
REPORTS_NAME = "Reports"
REPORTS_TITLE = "Reports"
REPORTS_INTRO = (
    "Export the figures of any selection: choose the filters, then a format. Every format "
    "shows the same numbers as the dashboard, with the same executive summary."
)
REPORT_DOWNLOAD_HEADING = "Download the report of this selection"
REPORT_DOWNLOAD_GROUP = "Report formats"
REPORT_FORMAT_LABELS = {
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV tables (.zip)",
    "html": "HTML, works offline",
    "pdf": "PDF (A4)",
}
REPORT_FORMAT_HELP = {
    "xlsx": "Summary with chart, then Regions, Clusters, Matrix (regions × clusters), "
    "Programmes, Progress, Targets, Target revisions, Attainment, EU frames and Uploads "
    "sheets, and the definitions on a Notes sheet; set up to print one page wide.",
    "csv": "Tidy tables for analysis (UTF-8, ISO dates) with columns.csv describing every column.",
    "html": "One file with the executive summary, interactive charts and tables; opens "
    "without internet and prints well.",
    "pdf": "The HTML report on A4 pages with page numbers.",
}

SKIP_TO_CONTENT = "Skip to content"
NAVBAR_TOGGLE = "Show or hide the menu"

# The EU frames page (dashboard/pages/eu_frames.py).
EU_NAME = "EU frames"
EU_TITLE_PAGE = "The roadmap against the EU's frames"
EU_INTRO = (
    "How the people the network trains count toward the goals funds and ministries report "
    "against: the Digital Decade's basic digital skills for 80 percent of adults and its 20 "
    "million ICT specialists, and the AI Act's duty of AI literacy. People are completions through "
    "the month shown; a region's adults come from the network workbook's Regions sheet."
)
EU_MAPPING_TITLE = "What each level counts toward"
EU_FRAME_FILTER = "Filter by frame"
EU_ALL_FRAMES = "All frames (every level)"
EU_AI_ACT_YES = "AI literacy of staff"
EU_REACH_TITLE = (
    "Basic level: {reached} people, {share} of the adults of {regions} (the goal of 80%: {goal})"
)
EU_REGIONS = "{count} regions"
EU_REACH_NO_ADULTS = (
    "Basic level: {reached} people; no selected region has its adults recorded, so no share "
    "can be shown (add them on the Regions sheet)"
)
EU_REACH_NOTE = "Regions without their adults recorded have no bar; the table lists every region."
EU_SPECIALISTS_TITLE = (
    "Specialist levels: {reached} people, {share} of the Digital Decade's 20 million ICT "
    "specialists"
)
EU_COUNTRIES_TITLE = "Per country, over the regions whose adults are known"
EU_COUNTRIES_NONE = "No selected region has its adults recorded"
EU_SOURCES = "Sources and the reasoning behind the mapping: docs/eu-frames.md."
# The quadruple helix (who provides the programmes, who the clusters' partners are), the
# region × cluster matrix and a region's clusters.
SECTION_HELIX = "The quadruple helix and the facilities"
HELIX_TRAINED_TITLE = "{helix} providers trained {share} of the people completed at {level} level"
HELIX_PARTNERS_TITLE = "{count} of {total} clusters have {role} partners"
EMPTY_HELIX_PARTNERS = "No cluster {selection} has named the helix roles of its partners yet"
MATRIX_NAME = "Regions × clusters"
MATRIX_PAGE_TITLE = "Regions × clusters · Skills Roadmap"
MATRIX_TITLE = "Regions × clusters"
MATRIX_SUBTITLE = (
    "What each cluster trained in each region it works in, {selection}, as of {as_of}."
)
MATRIX_CHART_TITLE = (
    "{level}: {pairs} clusters at work across {regions} regions, {away} of them in a region "
    "they are not based in"
)
MATRIX_SHOWN = " (the {regions} regions and {clusters} clusters training most; the table lists all)"
MATRIX_EMPTY = "No cluster works {selection} yet"
MATRIX_NOTE = (
    "A cell is a cluster's part of a region: its share of the region's target at that level, "
    "never a status. A hollow cell: the region has no target at that level. Select a cell to "
    "open the cluster's page."
)
MATRIX_TABLE_HEADING = "Every region and cluster working there"
MATRIX_TABLE_SHOWN = "The first {shown} of {count} rows; the CSV download has them all."
MATRIX_LEVEL_CAPTION = "{level}: completed · contribution"
REGION_CLUSTERS_TITLE = "{count} clusters work in {region}, {away} of them based elsewhere"
REGION_CLUSTERS_NONE = "No cluster works in {region} yet"
BASED_IN = "based in {region}"

# Who has not reported a month: the Upload page's "Still due" and the region page's section.
STILL_DUE_HEADING = "Still due"
STILL_DUE_INTRO = (
    "Programmes of your clusters that ran in these months and have not reported them yet: "
    "add them to your next upload."
)
STILL_DUE_DEFAULT = "{period}, the month the pages show by default"
STILL_DUE_PROVISIONAL = "{period}, provisional: {reported} of {due} programmes have reported it"
NOT_REPORTED_HEADING = "Who has not reported {period}"
NOT_REPORTED_INTRO = (
    "Programmes that ran in {period} and have not reported it, with their clusters' managers."
)
NOT_REPORTED_DOWNLOAD = "Download as CSV"
EVERYONE_REPORTED = "Everyone due has reported {period}."


LATE_TABLE_COLUMNS = {
    "programme_id": _report_header(PROGRAMME_FIELDS, "programme_id"),
    "name": _report_header(PROGRAMME_FIELDS, "name"),
    "cluster_name": "Cluster",
    "last_period": "Last month reported",
    "managers": "Managers",
}
LATE_TABLE_LABEL = "Programmes that have not reported {period}"
LATE_NEVER = "never"
LATE_MORE = "… and {count} more: the download (CSV) has the whole list."
LATE_MORE_UPLOAD = "… and {count} more: your cluster's template lists every programme."
LATE_NO_MANAGER = "no manager"
# History and undo: a programme's values, the targets' revisions, reverting an upload.
PROGRAMME_NAME_LINK_TITLE = "Open the programme's details and the history of its values"
PROGRAMME_DETAIL_TITLE = "{name} ({programme_id})"
PROGRAMME_DETAIL_FACTS = "{level} · cluster {cluster_id} · region {region_code} · {start} to {end}"
PROGRAMME_UNKNOWN = "No programme has the ID {programme_id}."
PROGRAMME_DETAIL_CLOSE = "Back to all programmes"
VALUE_HISTORY_TITLE = "History of its values"
VALUE_HISTORY_INTRO = (
    "Every value stored for this programme, newest first: which upload stored it, who and "
    "when. A blank upload: the value was stored before uploads were recorded for it."
)
VALUE_HISTORY_EMPTY = "Nothing has been reported for this programme yet."
VALUE_HISTORY_COLUMNS = {
    "period": COLUMNS["period"],
    "field": "Field",
    "value": COLUMNS["value"],
    "upload_id": "Upload",
    "file_name": "File",
    "changed_by": "By",
    "changed_at": "When (UTC)",
}
BLANK_VALUE = "(blank)"
TARGET_REVISIONS_TITLE = "Target revisions"
TARGET_REVISIONS_INTRO = "Every change to this page's targets, newest first, with its reason."
TARGET_REVISIONS_EMPTY = "No target of this page has been revised since it was set."
TARGET_REVISIONS_COLUMNS = {
    "target_id": "Target",
    "level": COLUMNS["level"],
    "field": "Field",
    "old_value": "Was",
    "new_value": "Now",
    "reason": COLUMNS["reason"],
    "changed_by": "By",
    "changed_at": "When (UTC)",
}
REVERT_TITLE = "Revert an upload"
REVERT_INTRO = (
    "Choose a stored upload: its earlier values are stored again, as a new upload that can "
    "itself be reverted. Months it reported first are removed. A closed month must be reopened "
    "first."
)
REVERT_REASON = "Reason (kept in the audit log)"
REVERT_BUTTON = "Revert the chosen upload"
REVERT_CHOOSE = "Choose the upload to revert in the table first."
REVERT_NEED_REASON = "Say why the upload is reverted: the reason is kept in the audit log."
REVERT_CONFIRM = (
    "Revert upload #{upload_id} ({file_name})? The values it replaced are stored again and "
    "the months it reported first are removed."
)
REVERT_DONE = (
    "Reverted upload #{reverted} as upload #{upload_id}. Rows restored: {restored:,}; "
    "removed: {removed:,}; stored again: {recreated:,}."
)
REVERT_COLUMNS = {
    "upload_id": "Upload",
    "uploaded_at": "Time (UTC)",
    "file_name": "File",
    "kind": "Kind",
    "uploaded_by": "By",
    "rows_new": "New",
    "rows_changed": "Changed",
}
# Months: each cluster's submission on the Upload page; the officials' and admins' Months page.
MONTHS_HEADING = "Months"
MONTHS_INTRO = (
    "Once a month's reports of a cluster are all in, submit it: an official then approves it "
    "or returns it with a comment, and you can submit it again after fixing it."
)
MONTHS_NONE = "No month is due for your clusters yet."
MONTHS_COLUMNS = {
    "period": COLUMNS["period"],
    "cluster": "Cluster",
    "reported": "Reported",
    "state": "State",
    "action": "",
}
MONTHS_REPORTED = "{reported:,} of {due:,}"
MONTHS_SUBMIT = "Submit"
MONTHS_STATES = {
    "not_submitted": "Not submitted",
    "submitted": "Submitted",
    "approved": "Approved",
    "returned": "Returned",
}
MONTHS_CHANGED = "by {who} on {when}"
MONTHS_COMMENT = "Comment: {comment}"
MONTHS_CLOSED_NOTE = "Closed"
PERIODS_NAME = "Months"
PERIODS_TITLE = "Reporting months"
PERIODS_INTRO = (
    "Each month's reports: how many of the programmes running then have reported it, and "
    "whether it is complete (shown by default), provisional or closed. Officials approve or "
    "return the months managers submit; administrators close a month, and reopen it with a "
    "reason."
)
PERIODS_MONTH_STATES = {
    "closed": "Closed",
    "complete": "Complete",
    "provisional": "Provisional",
    "incomplete": "Incomplete",
}
PERIODS_MONTH_COLUMNS = {
    "period": COLUMNS["period"],
    "reported": "Reported",
    "completeness": "Share",
    "state": "State",
    "action": "",
}
PERIODS_CLOSE = "Close"
PERIODS_REOPEN = "Reopen"
PERIODS_REASON = "Reason to reopen"
PERIODS_REASON_OF = "Reason to reopen {month}"  # the reason box of a month, for screen readers
PERIODS_REASON_NEEDED = "Say why the month is reopened."
PERIODS_CLOSED_BY = "closed by {who}"
PERIODS_NOT_CLOSED = "{period} is not closed."
PERIODS_CLUSTERS_HEADING = "{period}: clusters"
PERIODS_PICK = "Pick a month above to see its clusters."
PERIODS_APPROVE = "Approve"
PERIODS_RETURN = "Return"
PERIODS_COMMENT = "Comment for the manager"
PERIODS_COMMENT_OF = "Comment for the manager of {cluster} on {month}"  # for screen readers
PERIODS_APPROVAL_OFF = (
    "Month approval is off: managers do not submit months "
    "(SKILLS_ROADMAP_MONTH_APPROVAL turns it on)."
)

# The Plan page: the budget planner (docs/planner.md).
PLAN_NAME = "Plan"
PLAN_TITLE = "Plan the budget"
PLAN_INTRO = (
    "Which new cohorts, of which programme type, starting where and when, close the selected "
    "targets' gaps for the least money, or train the most people within the budgets. The "
    "figures of each type come from the network's own history."
)
PLAN_INPUTS_HEADING = "What to plan"
PLAN_MODE_LABEL = "Mode"
PLAN_MODES = {
    "least-cost": "Least cost: close every gap for the least money",
    "most-people": "Most people: train the most people within the budgets",
}
PLAN_BUDGETS_LABEL = "Budget per funding source"
PLAN_BUDGETS_HELP = "No budget: money is no limit (least cost only)."
PLAN_SOURCE_LABEL = "Funding source {row}"
PLAN_AMOUNT_LABEL = "Budget of funding source {row} (EUR)"
PLAN_SOURCE_PLACEHOLDER = "e.g. ERDF"
PLAN_AMOUNT_PLACEHOLDER = "EUR"
PLAN_COST_FACTOR_LABEL = "What if new cohorts cost"
PLAN_COMPLETION_FACTOR_LABEL = "What if their completion rate were"
PLAN_FACTOR = "×{factor} the history's"
PLAN_RUN = "Plan"
PLAN_NOT_RUN = "Choose the scope and the budgets, then press Plan."
PLAN_BUDGET_NO_AMOUNT = "Give the budget of {source}, or clear its name."
PLAN_BUDGET_NO_SOURCE = "Name the funding source of the budget of EUR {amount:,.0f}."
PLAN_BUDGET_NEGATIVE = "The budget of {source} cannot be below zero."
PLAN_WORDS_HEADING = "Why gaps stay open"
PLAN_ALL_CLOSED = "The plan closes every selected gap by its deadline."
PLAN_NO_WORDS = "Nothing stands in the plan's way."
PLAN_TOTALS_HEADING = "The plan as of {as_of}"
PLAN_TOTAL_LABELS = {
    "cohorts": "New cohorts",
    "places": "Places",
    "completers": "Completers",
    "cost": "Cost",
    "left": "Budget left",
}
PLAN_TABLE_TITLE = "New cohorts"
PLAN_TABLE_EMPTY = "No new cohort: nothing to plan, or nothing that can be planned."
PLAN_EFFECT_TITLE = "Attainment at the deadline, before and after the plan"
PLAN_EFFECT_EMPTY = "No target of completions in the selection"
PLAN_EFFECT_BEFORE = "Before the plan"
PLAN_EFFECT_AFTER = "With the plan"
PLAN_MARGINAL_TITLE = "One more completer: marginal cost per region and level"
PLAN_DOWNLOAD = "Download the plan (Excel)"
PLAN_PERCENT = "{header} (%)"

# Plan & EU (#19, last part)
PLAN_EUROS = "{header} (EUR)"
PLAN_MARGINAL_FROM = {"dual": "least-cost plan", "cheapest type": "cheapest type"}
PLAN_MARGINAL_NOTE = (
    "Least-cost plan: what the least-cost plan would rise by for one more completer of the "
    "region's target. Cheapest type: the cost per completer of the cheapest programme type "
    "that finishes in time, where the plan is not bound by the region's target."
)
PLAN_BUDGETS_TITLE = "Spending per funding source"
PLAN_OPTIMALITY = "Optimality: {words}."
PLAN_EFFECT_X_AXIS = "Attainment (%)"  # the chart's title says "at the deadline"
PLAN_NETWORK = "The network"  # a network target's place, where a region's code would be

# Experience (#17, second part)
CONTRIBUTION_LAGGING = {
    "at_risk": "At risk against its target or share",
    "off_track": "Off track against its target or share",
}
CONTRIBUTION_DRAG_OWN = "; {name} lags most ({ratio} of what its own target expects by now)"
CONTRIBUTION_DRAG_SHARE = "; {name} lags most ({ratio} of its expected share of the target)"
CONTRIBUTION_NONE_LAGS = "; no cluster lags its own target or its share"
COLUMNS.update(
    {
        "drag_expected": "Expected by now (people)",
        "drag_ratio_pct": "Achieved vs expected (%)",
        "drag_status": "Against its target or share",
    }
)


# Keep this last: the constants above are read in the current language (i18n.constants).
__getattr__ = translated_constants(globals())
