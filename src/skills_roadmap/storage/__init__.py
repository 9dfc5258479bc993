"""Storage: the schema, engines and sessions, migrations and repository functions."""

from skills_roadmap.storage.database import (
    as_utc,
    check_connection,
    database_url,
    get_engine,
    is_initialised,
    make_engine,
    private_engine,
    require_initialised,
    session_scope,
)
from skills_roadmap.storage.migrate import upgrade

__all__ = [
    "as_utc",
    "check_connection",
    "database_url",
    "get_engine",
    "is_initialised",
    "make_engine",
    "private_engine",
    "require_initialised",
    "session_scope",
    "upgrade",
]
