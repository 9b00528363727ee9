"""Alembic environment: runs on the engine factbase hands over, or on FACTBASE_DB."""

from __future__ import annotations

import logging.config
import os

from alembic import context

from factbase.models import Base
from factbase.store import make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("engine") is None:
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Full-text objects (SQLite FTS5 tables, the PostgreSQL GIN index) live outside the models."""
    return not (name and "_fts" in name)


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(
        os.environ.get("FACTBASE_DB") or config.get_main_option("sqlalchemy.url")
    )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode recreates tables that others reference (DROP of the old table
            # fails their foreign keys). SQLite's own recipe (ALTER TABLE, "other kinds
            # of table schema changes"): foreign keys off outside the transaction, then
            # `foreign_key_check` before committing.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                include_name=include_name,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows whose foreign keys dangle")
            connection.commit()
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    raise SystemExit("factbase migrations run online only")
run_migrations_online()
