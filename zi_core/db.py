"""Engine creation (SQLite in WAL mode with serialised writers, or PostgreSQL) and Alembic migrations."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, read_only: bool = False) -> Engine:
    """An engine; for SQLite, writers take the lock at BEGIN and readers (`read_only`) never wait for it."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: safe from corruption, no fsync per commit
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Writers take the lock at the start: two writers never read the same old value.
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


# Any fixed number: the PostgreSQL advisory lock that serialises migrations between processes starting at once.
_MIGRATION_LOCK = 90_2021


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest numbered migration, one process at a time (on PostgreSQL an advisory lock
    held for the transaction; SQLite's BEGIN IMMEDIATE does the same): a second instance starting meanwhile waits,
    then finds the schema current."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


P = ParamSpec("P")
R = TypeVar("R")


def retry_on_conflict(method: Callable[P, R]) -> Callable[P, R]:
    """Run a create-or-update once more when a concurrent transaction inserted the same first-time row (PostgreSQL
    raises IntegrityError at the second insert); the retry finds the row and updates it."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except IntegrityError:
            return method(*args, **kwargs)

    return wrapper
