"""Recording answers and readers' votes: callers queue records and return at once; one writer
thread owns the SQLite connection. A database that is locked, full, read-only or missing costs
a warning and the record, never an answer."""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.feedback import db
from bot.retrieval.answer import Answer

logger = logging.getLogger(__name__)

Job = Callable[[sqlite3.Connection], None]
QUEUE_BOUND = 10_000  # records waiting beyond this are dropped (the writer is stuck)
REOPEN_S = 60.0  # a database that could not be opened is tried again at most this often
WARN_EVERY_S = 60.0  # one warning per kind of failure per minute
PURGE_EVERY_S = 86400.0  # a bot running for months still forgets old rows, daily


@dataclass
class StoreStats:
    """What the writer did, for metrics and tests."""

    written: int = 0
    dropped: int = 0


class FeedbackStore:
    """The feedback database behind a queue and one writer thread; `start()` opens it (moving
    a corrupt file aside) and purges rows older than the retention."""

    def __init__(self, path: Path, retention_days: int = 90, salt: str | None = None,
                 clock: Callable[[], float] = time.time,
                 on_failure: Callable[[str], None] | None = None) -> None:
        self.path, self.retention_days, self.clock = path, retention_days, clock
        self.stats = StoreStats()
        self.on_failure = on_failure  # hears the SQLite error name of each dropped record
        self._salt = salt
        self._conn: sqlite3.Connection | None = None
        self._opened_at: float | None = None
        self._purged_at = -PURGE_EVERY_S
        self._warned: dict[str, float] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue(QUEUE_BOUND)
        self._thread = threading.Thread(target=self._run, name="qabot-feedback", daemon=True)

    # --- the callers' side (any thread, never blocks) ------------------------------------------
    def start(self) -> None:
        self._thread.start()
        self._put(lambda conn: None)  # opens and purges now rather than on the first answer

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the writer."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)

    def flush(self) -> None:
        """Wait until every record queued so far is written or dropped."""
        self._queue.join()

    def record_answer(self, answer_id: str, result: Answer, chat_id: int, shown: int,
                      latency_s: float) -> None:
        """Queue one answer (refused ones too) with the passages it computed."""
        asked_at = self.clock()

        def job(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                answer_id, asked_at, self._hash(chat_id), result.question, result.searched,
                int(result.answered), int(result.context), shown, latency_s * 1000.0))
            conn.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (answer_id, rank, p.source, p.start, p.end, p.highlight_start,
                 p.highlight_end, p.highlight) for rank, p in enumerate(result.passages, 1)])
        self._put(job)

    def record_shown(self, answer_id: str, shown: int) -> None:
        """"Xem thêm" sent more passages of a recorded answer."""
        def job(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE answers SET shown = max(shown, ?) WHERE id = ?",
                         (shown, answer_id))
        self._put(job)

    def record_vote(self, answer_id: str, user_id: int, vote: int) -> None:
        """A reader's 👍 (1) or 👎 (-1); a second press by the same reader replaces it."""
        at = self.clock()

        def job(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, voter) "
                    "DO UPDATE SET vote = excluded.vote, at = excluded.at",
                    (answer_id, self._hash(user_id), vote, at))
            except sqlite3.IntegrityError:  # the answer was never recorded, or purged
                logger.info("a vote for an answer not in the feedback database was ignored")
        self._put(job)

    def _put(self, job: Job) -> None:
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            self._dropped("QUEUE_FULL", "the feedback writer is behind; a record was dropped")

    # --- the writer thread -----------------------------------------------------------------------
    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._write(job)
            finally:
                self._queue.task_done()
        self._queue.task_done()
        if self._conn is not None:
            self._conn.close()

    def _write(self, job: Job) -> None:
        conn = self._conn or self._open()
        if conn is None:
            self._dropped("UNAVAILABLE", None)
            return
        try:
            self._purge_if_due(conn)
            with conn:
                job(conn)
            self.stats.written += 1
        except sqlite3.Error as exc:
            name = db.error_name(exc)
            if name in db.CORRUPT:
                self._set_aside(conn)
            self._dropped(name, f"feedback not recorded ({exc}); the bot goes on")

    def _set_aside(self, conn: sqlite3.Connection) -> None:
        conn.close()
        self._conn, self._opened_at = None, None  # the next record starts a new file
        try:
            aside = db.move_aside(self.path)
        except OSError as exc:
            self._warn("MOVE", f"the feedback database {self.path} is damaged and cannot be "
                               f"moved aside ({exc})")
            return
        logger.warning("the feedback database %s is damaged; moved to %s, a new one starts "
                       "with the next record", self.path, aside.name)

    def _open(self) -> sqlite3.Connection | None:
        now = time.monotonic()
        if self._opened_at is not None and now - self._opened_at < REOPEN_S:
            return None
        self._opened_at = now
        try:
            conn = db.connect(self.path)
            self._salt = self._salt or db.stored_salt(conn)
            self._purged_at = -PURGE_EVERY_S
            self._purge_if_due(conn)
        except (sqlite3.Error, OSError, db.DatabaseError) as exc:
            self._warn("OPEN", f"cannot open the feedback database {self.path} ({exc}); "
                               f"answers go out unrecorded, retrying in {REOPEN_S:.0f} s")
            return None
        self._conn = conn
        return conn

    def _purge_if_due(self, conn: sqlite3.Connection) -> None:
        """At start, then daily: rows older than the retention go."""
        now = self.clock()
        if now - self._purged_at < PURGE_EVERY_S:
            return
        self._purged_at = now
        purged = db.purge(conn, now, self.retention_days)
        if purged:
            logger.info("purged %d answers older than %d days", purged, self.retention_days)

    def _hash(self, number: int) -> str:
        key = (self._salt or "").encode("utf-8")
        return hmac.new(key, str(number).encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def _dropped(self, name: str, message: str | None) -> None:
        self.stats.dropped += 1
        if self.on_failure is not None:
            self.on_failure(name)
        if message is not None:
            self._warn(name, message)

    def _warn(self, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._warned.get(kind, -WARN_EVERY_S) >= WARN_EVERY_S:
            self._warned[kind] = now
            logger.warning("%s", message)
