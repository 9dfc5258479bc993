"""Every colour of the product, for the dashboard, its stylesheet and the reports alike.

The hues are Okabe and Ito's, safe for colour-blind readers; a status is always shown with an
icon and words too (see :mod:`skills_roadmap.status_words`), so colour only reinforces it. The
dashboard's stylesheet (``dashboard/assets/style.css``) declares :data:`CSS_PROPERTIES` as
custom properties with these same values (a test keeps them equal) and uses them by name.
"""

from __future__ import annotations

# Okabe-Ito hues.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

STATUS_COLOURS = {"on_track": BLUISH_GREEN, "at_risk": ORANGE, "off_track": VERMILLION}
"""Marks, bars and borders of a status."""
STATUS_TEXT_COLOURS = {"on_track": "#00664A", "at_risk": "#7A5200", "off_track": "#A33A00"}
"""Darker shades of the status hues, for text on white or on a tint (WCAG AA >= 4.5:1)."""
STATUS_TINTS = {"on_track": "#D4F0E6", "at_risk": "#FCEBCB", "off_track": "#F8DCCB"}
"""Light tints of the status hues, for cell backgrounds."""
LEVEL_COLOURS = {"basic": SKY_BLUE, "intermediate": BLUE, "expert": REDDISH_PURPLE}
STAGE_COLOURS = {
    "enrolled": BLUE,
    "completed": BLUISH_GREEN,
    "certified": SKY_BLUE,
    "dropped_out": VERMILLION,
}
"""The funnel's stages; dropped out is hatched as well."""
BREAKDOWN_COLOURS = (REDDISH_PURPLE, SKY_BLUE, BLUE, BLUISH_GREEN)
"""The ESF+ breakdowns' bars, in the order of ``fields.BREAKDOWNS``."""
FACILITY_COLOURS = {"operational": BLUE, "on_schedule": SKY_BLUE, "overdue": VERMILLION}
ACCENT = BLUE
"""Spinners and other marks of the product itself."""

# Neutrals.
INK = "#212529"
"""Text (Bootstrap's body colour)."""
INK_SECONDARY = "#495057"
"""Notes, a chart's message, secondary buttons."""
TRAJECTORY = "#555555"
"""Reference lines: the trajectory, goals, medians, the as-of month."""
MUTED = "#8C8C8C"
"""Marks that are not the subject: other regions, a region without a target."""
GREY = "#999999"
"""Targets in the report's bars, country borders on the map."""
CONTROL_BORDER = "#6C757D"
"""Borders of secondary buttons."""
RULE = "#D0D7DE"
"""Lines between table rows in the report."""
HEADER_FILL = "#E8ECEF"
"""Table headers in the reports."""
ERROR_FILL = "#FFC7CE"
"""A cell with an error in a marked upload workbook (the fill Excel users know as "bad")."""
WARNING_FILL = "#FFEB9C"
"""A cell with a warning in a marked upload workbook (Excel's "neutral" fill)."""
GRID = "#EBF0F8"
"""Chart grid lines and axes."""
LAND = "#F1F1EE"
OCEAN = "#E8F1F8"
NAVBAR = "#0A58CA"
"""The navigation bar: Bootstrap's primary, darker, for white links at WCAG AA contrast."""

CSS_PROPERTIES = {
    "--sr-on-track": STATUS_COLOURS["on_track"],
    "--sr-at-risk": STATUS_COLOURS["at_risk"],
    "--sr-off-track": STATUS_COLOURS["off_track"],
    "--sr-navbar": NAVBAR,
    "--sr-secondary-text": INK_SECONDARY,
    "--sr-control-border": CONTROL_BORDER,
}
"""The custom properties the dashboard's stylesheet declares on ``:root``, with their values."""
