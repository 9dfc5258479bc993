"""A status shown as icon + word + colour, never colour alone."""

from __future__ import annotations

from dash import html

from dashboard import strings
from dashboard.theme import STATUS_TEXT_COLOURS


def status_badge(status: str | None) -> html.Span:
    """A coloured badge such as "▲ At risk"; an em dash when there is no target to judge."""
    if not status:
        return html.Span("—", className="status-badge status-none")
    return html.Span(
        f"{strings.STATUS_ICONS[status]} {strings.STATUS_LABELS[status]}",
        className=f"status-badge status-{status}",
        style={"color": STATUS_TEXT_COLOURS[status]},
    )
