"""Every user-visible string of the dashboard, in one place so translation can follow."""

from __future__ import annotations

APP_TITLE = "Skills Roadmap"
LOCAL_MODE_NOTICE = "Local single-user mode · no log-in"

LEVEL_LABELS = {
    "basic": "Basic",
    "intermediate": "Intermediate",
    "expert": "Expert",
}
LEVEL_DESCRIPTIONS = {
    "basic": "wide workforce and citizens using AI",
    "intermediate": "service providers and digital professionals",
    "expert": "specialists who build and research AI",
}
STATUS_LABELS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
}
STATUS_ICONS = {"on_track": "✔", "at_risk": "▲", "off_track": "✖"}

OVERVIEW_NAME = "Overview"
OVERVIEW_TITLE = "Is the roadmap on track?"
OVERVIEW_SUBTITLE = "People trained against target per level, network-wide, as of {as_of}."
KPI_ACHIEVED = "{achieved:,} of {target:,} people ({metric})"
KPI_ATTAINMENT = "{attainment:.0%} of the {deadline} target"
KPI_EXPECTED = "Trajectory expects {expected:,} by now"
REGIONS_TABLE_TITLE = "Regions: attainment of the target per level"
REGIONS_TABLE_NOTE = (
    "Attainment = people trained so far ÷ the region's target. "
    "Status compares people trained with the trajectory expected by now."
)
COLUMN_REGION = "Region"
COLUMN_CODE = "Code"
NO_DATA = "No data yet: load the demo network with `skills-roadmap demo` or upload a progress sheet."
NO_TARGET = "No target set at this level."

NOT_FOUND_TITLE = "Page not found"
NOT_FOUND_TEXT = "There is no page at this address."
BACK_HOME = "Back to the overview"
