"""What in the index folder is qabot's: a marker file in each generation folder qabot writes.
Only marked generations are ever removed, and a non-empty folder that is not a qabot index (no
CURRENT, and something other than qabot's own files in it) is refused rather than written into."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
from pathlib import Path

from bot.errors import IndexError_

logger = logging.getLogger(__name__)

GENERATION_MARKER = ".qabot-generation"
POINTER = "CURRENT"
GENERATION_NAME = re.compile(r"^gen-\d{8}T\d{6}-\d{9}-\d+$")  # as `generations.publish` names
_MARKER_TEXT = "written by qabot; the folder holding this file may be deleted by qabot\n"
# Names qabot itself leaves in the index folder, and files a checked-out repository keeps in
# an otherwise generated folder: neither makes a folder "someone else's".
ADDING_LOCK = ".adding.lock"  # `qabot add`'s, beside the build's ".lock"
_OWN_NAMES = frozenset({POINTER, ".lock", ADDING_LOCK})
_OWN_PREFIXES = (".probe-", f".{POINTER}.")
_HARMLESS = frozenset({"README", "README.md", "README.txt", ".gitignore", ".gitkeep"})


def _is_ours(entry: Path) -> bool:
    name = entry.name
    if name in _OWN_NAMES or name in _HARMLESS or name.startswith(_OWN_PREFIXES):
        return True
    return name.startswith("gen-") and is_marked(entry)


def is_marked(folder: Path) -> bool:
    """True for a real (not linked) generation folder carrying qabot's marker."""
    return (folder.is_dir() and not folder.is_symlink()
            and (folder / GENERATION_MARKER).is_file())


def mark_generation(folder: Path) -> None:
    """Mark a generation folder qabot has just created (before anything else goes in).

    Raises:
        OSError: the marker cannot be written.
    """
    (folder / GENERATION_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def claim_index_folder(index_dir: Path, live: Path | None) -> None:
    """Make sure `index_dir` is qabot's to write into; an index built before markers existed
    gets its live generation marked.

    Raises:
        IndexError_: the path is a file, or a non-empty folder that is not a qabot index.
        OSError: the folder cannot be created or the marker written.
    """
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexError_(f"the index folder {index_dir} is a file, not a folder; choose "
                          "another one with --index")
    index_dir.mkdir(parents=True, exist_ok=True)
    if not (index_dir / POINTER).is_file():
        strangers = sorted(p.name for p in index_dir.iterdir() if not _is_ours(p))
        if strangers:
            raise IndexError_(
                f"refusing to use {index_dir} as the index folder: it is not empty and not a "
                f"qabot index (it holds {_shown(strangers[0])}"
                f"{' and more' if len(strangers) > 1 else ''}); choose an empty or new folder "
                "with --index")
    elif live is not None and live.parent == index_dir and not is_marked(live):
        mark_generation(live)  # CURRENT names it: qabot wrote it, before markers existed


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def remove_stale_generations(index_dir: Path, live: Path | None) -> None:
    """Delete marked generation folders other than the live one, and pointer drafts, left by
    older or killed builds (called under the build lock). Anything unmarked stays, except an
    empty folder with a generation's exact name (a build killed between creating the folder
    and marking it): removing it loses nothing."""
    for path in index_dir.glob("gen-*"):
        if path == live:
            continue
        if is_marked(path):
            _remove_marked(path)
        elif GENERATION_NAME.match(path.name) and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()  # fails unless empty
    for pattern in (f".{POINTER}.*.tmp", ".probe-*"):  # drafts and probes of killed builds
        for draft in index_dir.glob(pattern):
            if draft.is_file() and not draft.is_symlink():
                draft.unlink(missing_ok=True)


def _remove_marked(folder: Path) -> None:
    """Remove a marked generation, its marker last: a removal killed halfway leaves a folder
    that is still marked, so the next build finishes the job."""
    for entry in folder.iterdir():
        if entry.name == GENERATION_MARKER:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    with contextlib.suppress(OSError):
        (folder / GENERATION_MARKER).unlink()
        folder.rmdir()


def is_within(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or below it (both resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return False
    return True
