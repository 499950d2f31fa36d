"""Readers' feedback and unanswered questions: the SQLite store and its reports."""
