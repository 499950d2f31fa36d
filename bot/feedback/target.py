"""Where `qabot feedback export` may write: never over the feedback database (or its -wal,
-shm, -journal files, or any SQLite file), and only whole (a temporary file, then a rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bot.errors import QabotError

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def check_target(database: Path, target: Path) -> None:
    """Refuse a `target` that is the database, one of its side files (by name, symlink or
    hard link) or any existing SQLite file.

    Raises:
        QabotError: the export would overwrite a database.
    """
    protected = [database.with_name(database.name + suffix) for suffix in SIDE_FILES]
    resolved = target.resolve()
    if any(resolved == path.resolve() for path in protected) or _same_file(target, protected):
        raise QabotError(f"{target} is the feedback database (or one of its files); "
                         "export to a .jsonl file elsewhere")
    if _is_sqlite(target):
        raise QabotError(f"{target} is an SQLite database; export to a .jsonl file elsewhere")


def _same_file(target: Path, protected: list[Path]) -> bool:
    try:
        mine = target.stat()
    except OSError:
        return False  # it does not exist yet
    for path in protected:
        with contextlib.suppress(OSError):
            other = path.stat()
            if (mine.st_dev, mine.st_ino) == (other.st_dev, other.st_ino):
                return True
    return False


def _is_sqlite(target: Path) -> bool:
    try:
        with target.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False  # missing or unreadable: writing it reports the problem


def write_whole(target: Path, text: str) -> None:
    """Write `text` to a temporary file beside `target`, then rename it over `target`, so a
    failure leaves the old file (or none), never half of the new one.

    Raises:
        QabotError: the folder cannot be written.
    """
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise QabotError(f"cannot write {target}: {exc.strerror or exc}") from None
