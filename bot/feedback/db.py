"""The feedback database file: opening it (WAL), its versioned schema, the salt that hashes chat
ids, retention, and moving a corrupt file aside. Used by the writer thread and by the reports."""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from pathlib import Path

from bot.errors import QabotError

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 1.0  # a locked database costs a write at most this long, then it is dropped
# errors that mean the file is damaged, not merely locked, read-only or full
CORRUPT = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})

# One script per schema version, applied in order; PRAGMA user_version records the last one.
MIGRATIONS = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE answers (
        id TEXT PRIMARY KEY,
        asked_at REAL NOT NULL,          -- seconds since the epoch
        chat TEXT NOT NULL,              -- salted hash of the chat id, never the id
        question TEXT NOT NULL,
        searched TEXT NOT NULL,
        answered INTEGER NOT NULL,       -- 1 answered, 0 refused
        followup INTEGER NOT NULL,       -- the conversation's earlier questions were used
        shown INTEGER NOT NULL,          -- passages sent so far ("Xem thêm" adds more)
        latency_ms REAL NOT NULL
    );
    CREATE INDEX answers_by_time ON answers (asked_at);
    CREATE TABLE passages (
        answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        source TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        highlight_start INTEGER NOT NULL,
        highlight_end INTEGER NOT NULL,
        highlight TEXT NOT NULL,
        PRIMARY KEY (answer_id, rank)
    );
    CREATE TABLE feedback (
        answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        voter TEXT NOT NULL,             -- salted hash of the user id
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        at REAL NOT NULL,
        PRIMARY KEY (answer_id, voter)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(QabotError):
    """The feedback database cannot be opened or is from a newer qabot."""


def error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or type(exc).__name__


def connect(path: Path) -> sqlite3.Connection:
    """A writable connection in WAL mode with the schema up to date; a corrupt file is moved
    aside (with a warning) and a new one started.

    Raises:
        DatabaseError: the schema is newer than this qabot knows.
        sqlite3.Error, OSError: the folder or file cannot be written (read-only, full disk).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        if error_name(exc) not in CORRUPT:
            raise
    aside = move_aside(path)
    logger.warning("the feedback database %s is damaged; moved to %s and started a new one",
                   path, aside.name)
    return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # readers (`qabot feedback`) never block it
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a crash loses a row
        conn.execute("PRAGMA foreign_keys=ON")
        check = conn.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        _migrate(conn)
        return conn
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.DatabaseError) and str(exc) == "quick_check failed":
            exc.sqlite_errorname = "SQLITE_CORRUPT"
        raise


def _migrate(conn: sqlite3.Connection) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"the feedback database has schema {version}, newer than this "
                            f"qabot's {SCHEMA_VERSION}; upgrade qabot or set QABOT_DB")
    for number in range(version, SCHEMA_VERSION):
        with conn:
            conn.executescript(f"BEGIN; {MIGRATIONS[number]}"
                               f" PRAGMA user_version = {number + 1}; COMMIT;")
    with conn:
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)",
                     (secrets.token_hex(16),))


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL files) out of the way; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    path.replace(aside)
    return aside


def stored_salt(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
    return str(row[0]) if row else ""


def purge(conn: sqlite3.Connection, now: float, retention_days: int) -> int:
    """Delete answers (with their passages and feedback) older than the retention."""
    with conn:
        cursor = conn.execute("DELETE FROM answers WHERE asked_at < ?",
                              (now - retention_days * 86400.0,))
    return cursor.rowcount


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection for reports.

    Raises:
        QabotError: no database yet, or it cannot be read.
    """
    if path.is_dir():
        raise QabotError(f"QABOT_DB {path} is a folder; set it to a file such as "
                         f"{path / 'feedback.sqlite3'}")
    if not path.is_file():
        raise QabotError(f"no feedback database at {path} yet; `qabot telegram` creates it "
                         "(QABOT_DB sets where)")
    if path.stat().st_size == 0:  # SQLite's new database; the bot's writer starts it as one
        raise QabotError(f"the feedback database {path} is empty; `qabot telegram` fills it")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_S)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise QabotError(f"cannot read the feedback database {path}: {exc}") from None
    if version != SCHEMA_VERSION:
        conn.close()
        raise QabotError(f"the feedback database {path} has schema {version}; this qabot "
                         f"reads schema {SCHEMA_VERSION}")
    return conn
