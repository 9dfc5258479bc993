"""A status shown as icon + word + colour, never colour alone."""

from __future__ import annotations

from dash import html

from skills_roadmap.palette import STATUS_TEXT_COLOURS
from skills_roadmap.status_words import status_words


def status_badge(status: str | None) -> html.Span:
    """A coloured badge such as "▲ At risk"; an em dash when there is no target to judge."""
    if not status:
        return html.Span("—", className="status-badge status-none")
    return html.Span(
        status_words(status),
        className=f"status-badge status-{status}",
        style={"color": STATUS_TEXT_COLOURS[status]},
    )
