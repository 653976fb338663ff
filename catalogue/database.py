"""The catalogue's database: SQLite beside the instance by default, PostgreSQL named by a URL; its
schema brought up to date by the migrations when it is opened, and writers taken one at a time."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from .. import settings
from ..errors import PressroomError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration (tests/test_catalogue.py checks it is the chain's head): a catalogue already
# there opens without loading Alembic.
HEAD = "0005_account_options"
# PostgreSQL's advisory lock taken by whoever writes the catalogue (any number for this purpose alone).
WRITER_LOCK = 7_028_001
SQLITE_BUSY_SECONDS = 60


class CatalogueError(PressroomError):
    """The catalogue's database cannot be opened or used."""


def database_url(content_dir: Path) -> str:
    """The database of the content folder `content_dir`: $PRESSROOM_DATABASE, else a SQLite file named
    after the folder in $PRESSROOM_CATALOGUE_DIR (default: catalogues/ in the instance folder)."""
    configured = settings.text("PRESSROOM_DATABASE")
    if configured:
        if not configured.startswith(("postgresql://", "postgres://", "sqlite:///")):
            raise settings.SettingError(f"PRESSROOM_DATABASE={configured.split(':')[0]}:... names no database "
                                        "Pressroom can use: give postgresql://user:password@host:port/name "
                                        "(or unset it for a SQLite file)")
        return configured
    from ..locations import instance_dir

    folder = Path(settings.text("PRESSROOM_CATALOGUE_DIR") or instance_dir() / "catalogues").expanduser()
    resolved = Path(content_dir).resolve()
    name = f"{resolved.name or 'content'}-{hashlib.sha256(str(resolved).encode()).hexdigest()[:16]}.sqlite"
    return f"sqlite:///{folder.absolute() / name}"


def connect(url: str) -> Engine:
    """An engine on the database at `url`; its SQLite folder made, WAL and waiting for locks set."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connected)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _sqlite_connected(connection, _record) -> None:
    # Transactions begin where _sqlite_begin says, not where the driver guesses.
    connection.isolation_level = None
    connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    # Switching a new database to WAL needs it to itself, and SQLite answers "locked" at once (no busy
    # wait) while another process creates it: ask again until the busy time is over.
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock at its start, so two writers queue instead of one failing midway.
    writing = connection.get_execution_options().get("pressroom_writing", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other writer (thread or process) shares; committed when the block ends."""
    try:
        with engine.connect().execution_options(pressroom_writing=True) as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
            yield connection
    except SQLAlchemyError as error:
        raise CatalogueError(f"the catalogue cannot be written: {_reason(error)}") from None


_migrated: set[str] = set()
_migrating = threading.Lock()


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD (a new database gets every table); tables the migrations do not name
    are left alone. Two processes opening one database at once migrate it once."""
    key = engine.url.render_as_string(hide_password=False)
    with _migrating:
        if key in _migrated:
            return
        try:
            if _revision(engine) != HEAD:
                from alembic import command
                from alembic.config import Config

                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                with writing(engine) as connection:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
        except SQLAlchemyError as error:
            raise CatalogueError(f"the catalogue at {engine.url.render_as_string()} cannot be opened: "
                                 f"{_reason(error)}") from None
        _migrated.add(key)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _reason(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]
