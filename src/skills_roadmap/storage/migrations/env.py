"""Alembic environment: runs migrations on the engine handed over by ``storage.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from skills_roadmap.storage.tables import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(
    config.get_main_option("sqlalchemy.url", "")
)

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    driver_connection = connection.connection.driver_connection if sqlite else None
    if driver_connection is not None:
        # A batch migration rebuilds a SQLite table (copy, drop, rename); dropping a table
        # other tables refer to fails while foreign keys are enforced. SQLite ignores this
        # pragma inside a transaction, so it is set before the migrations' transaction begins.
        driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if driver_connection is not None:
            driver_connection.execute("PRAGMA foreign_keys=ON")
