"""The report's colours: the dashboard's Okabe-Ito palette, safe for colour-blind readers."""

from __future__ import annotations

STATUS_FILL = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00"}
# Light tints for cell backgrounds, dark shades for text on them (WCAG AA >= 4.5:1).
STATUS_TINT = {"on_track": "#D4F0E6", "at_risk": "#FCEBCB", "off_track": "#F8DCCB"}
STATUS_TEXT = {"on_track": "#00664A", "at_risk": "#7A5200", "off_track": "#A33A00"}
LEVEL_COLOURS = {"basic": "#56B4E9", "intermediate": "#0072B2", "expert": "#CC79A7"}
TRAJECTORY = "#555555"
TARGET = "#999999"
HEADER_FILL = "#E8ECEF"
