"""Showing how a long build advances: a rich progress bar on a terminal, a log line every few
seconds elsewhere (the bot, pipes). Both are `ProgressFn`s handed to the `Engine`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from bot.store.building import BuildProgress, ProgressFn

if TYPE_CHECKING:
    from rich.console import Console

logger = logging.getLogger(__name__)

LOG_EVERY_S = 10.0


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def describe(step: BuildProgress) -> str:
    """`embedded 1200/5000 texts (85/s, about 45 s left)`, or the total when done."""
    if step.done >= step.total:
        return f"embedded {step.total} texts in {_eta(step.elapsed)} ({step.rate:.0f}/s)"
    return (f"embedded {step.done}/{step.total} texts ({step.rate:.0f}/s, "
            f"about {_eta(step.eta)} left)")


def log_progress(clock: Callable[[], float] = time.monotonic,
                 every: float = LOG_EVERY_S) -> ProgressFn:
    """Log a progress line at most every `every` seconds, and the last one if any was logged:
    a short build stays silent."""
    last = [clock()]
    logged = [False]

    def report(step: BuildProgress) -> None:
        now = clock()
        if now - last[0] >= every or (logged[0] and step.done >= step.total):
            last[0], logged[0] = now, True
            logger.info("%s", describe(step))

    return report


def bar_progress(console: Console | None = None) -> ProgressFn:
    """A progress bar (texts embedded / total, rate, time left) that disappears when done;
    on `console` (e.g. the REPL's, where it nests inside its status line) or on stderr."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    state: dict[str, Any] = {}

    def report(step: BuildProgress) -> None:
        if "bar" not in state:
            bar = Progress(TextColumn("Đang nhúng văn bản (embedding)"), BarColumn(),
                           MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                           TimeRemainingColumn(), transient=True,
                           console=console or Console(stderr=True))
            state["bar"], state["task"] = bar, bar.add_task("embed", total=step.total, rate="")
            bar.start()
        state["bar"].update(state["task"], completed=step.done, total=step.total,
                            rate=f"{step.rate:.0f}/s", refresh=True)
        if step.done >= step.total:
            state.pop("bar").stop()

    return report


def progress_for(stream: IO[str]) -> ProgressFn:
    """A bar when `stream` is a terminal, log lines otherwise."""
    return bar_progress() if stream.isatty() else log_progress()
