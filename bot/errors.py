"""The exception tree; the CLI turns each into a one-line `Error: ...` and exit code 1.

QabotError
├── SettingsError     a flag or environment variable has a bad value
├── SourcesError      the sources folder is missing, empty or unreadable
├── ModelError        the embedding model cannot be loaded or converted
├── IndexError_       the index cannot be built, read or written
│   ├── IndexLockedError  another process holds the index lock too long
│   └── IndexWriteError   the index folder is read-only or the disk is full
├── QuestionError     the question is empty or unusable
└── AddError          an article cannot be added (or removed)
    └── FetchError        its link is refused or cannot be fetched as a web page
"""

from __future__ import annotations


class QabotError(Exception):
    """Base class: a problem the user can fix; the message says how."""


class SettingsError(QabotError):
    """A flag or environment variable has a bad value (or a required one is missing)."""


class SourcesError(QabotError):
    """The sources folder is missing, empty or holds no readable article."""


class ModelError(QabotError):
    """The embedding model cannot be loaded (offline) or converted."""


class IndexError_(QabotError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """The index cannot be built, read or written."""


class IndexLockedError(IndexError_):
    """Another process is building the index and did not finish in time."""


class QuestionError(QabotError):
    """The question is empty or holds nothing to search for."""


class IndexWriteError(IndexError_):
    """A new index could not be written (read-only folder, full disk); the old one is intact."""


class AddError(QabotError):
    """An article cannot be added (no article text, an unsupported file) or removed."""


class FetchError(AddError):
    """A link is refused (not http(s), a private address) or its page cannot be fetched (an
    error status, a timeout, too large, not HTML)."""
