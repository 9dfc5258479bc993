"""What one dashboard app serves from: its settings, its database and its data source.

``create_app(settings, engine)`` builds the context and keeps it on the Flask app; pages,
callbacks and the APIs read it from the app serving the request (:func:`app_context`), so no
module holds an engine or settings of its own and a test can build an app around any
database, settings or frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import flask
from sqlalchemy import Engine

from skills_roadmap.settings import Settings

if TYPE_CHECKING:
    from dashboard.data import DataSource

_KEY = "skills_roadmap"


@dataclass(frozen=True)
class AppContext:
    """One app's settings, database engine and data source."""

    settings: Settings
    engine: Engine
    data: DataSource


def install(server: flask.Flask, context: AppContext) -> None:
    """Keep ``context`` on ``server`` for its requests."""
    server.extensions[_KEY] = context


def app_context(server: flask.Flask | None = None) -> AppContext:
    """The context of ``server`` (default: the app serving the current request)."""
    context: AppContext = (server or flask.current_app).extensions[_KEY]
    return context
