"""The REPL's command words: which a script runs, and the bare words a new user types for
them ("quit", "help")."""

from __future__ import annotations

# The scripted REPL (`qabot repl < file`) runs these like the session does; its other
# commands change only what a terminal shows, so they are skipped with a note.
SCRIPT_QUIT, SCRIPT_NEW = frozenset({":quit", ":q", ":exit"}), ":new"
REPL_COMMANDS = frozenset({":help", ":sources", ":reload", ":k", ":json", *SCRIPT_QUIT,
                           SCRIPT_NEW})
# What a new user types without the colon: the whole line, in either language. No question
# about an article is only one of these words.
BARE_COMMANDS = {"quit": ":quit", "exit": ":quit", "thoát": ":quit", "thoat": ":quit",
                 "help": ":help", "trợ giúp": ":help", "tro giup": ":help"}


def as_command(line: str) -> str:
    """`line` stripped, or the command a bare word stands for ("quit" → ":quit")."""
    return BARE_COMMANDS.get(line.strip().strip("!.?").strip().lower(), line.strip())
