"""Colours shared by figures and components: Okabe-Ito, safe for colour-blind readers."""

from __future__ import annotations

# Status is always shown with a word and an icon too; colour only reinforces it.
STATUS_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00"}
# Darker shades of the same hues for text on white (WCAG AA contrast >= 4.5:1).
STATUS_TEXT_COLOURS = {"on_track": "#00664A", "at_risk": "#7A5200", "off_track": "#A33A00"}
LEVEL_COLOURS = {"basic": "#56B4E9", "intermediate": "#0072B2", "expert": "#CC79A7"}
TRAJECTORY_COLOUR = "#555555"
