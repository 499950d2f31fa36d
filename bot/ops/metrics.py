"""The bot's Prometheus metrics (prometheus_client), in a registry of their own so that each
bot (and each test) counts separately. Front ends call the small methods; nothing else here
knows about Telegram or the engine."""

from __future__ import annotations

import math
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Seconds from a question's arrival to its answer sent: the model takes tens of milliseconds,
# a rebuild or flood control seconds.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REBUILD_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)


def _or_nan(read: Callable[[], float]) -> Callable[[], float]:
    """A gauge callback that reads NaN (Prometheus' "no value") while nothing is known."""
    def value() -> float:
        try:
            return read()
        except Exception:  # no index yet: a scrape must never fail for it
            return math.nan
    return value


class Metrics:
    """Counters for questions and their outcomes, the answer latency, the index and feedback."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.questions = Counter("qabot_questions", "Questions answered in chats", registry=r)
        self.answered = Counter("qabot_answered", "Questions answered with a quote", registry=r)
        self.refused = Counter("qabot_refused", "Questions the articles do not answer",
                               registry=r)
        self.follow_ups = Counter("qabot_follow_ups",
                                  "Answers that used the conversation's earlier questions",
                                  registry=r)
        self.errors = Counter("qabot_errors", "Updates that ended in an error", registry=r)
        self.rate_limited = Counter("qabot_rate_limited", "Questions refused by the rate limit",
                                    registry=r)
        self.latency = Histogram("qabot_answer_latency_seconds",
                                 "From a question to its first reply sent",
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.rebuilds = Counter("qabot_index_rebuilds", "Index rebuilds", registry=r)
        self.rebuild_seconds = Histogram("qabot_index_rebuild_duration_seconds",
                                         "How long each rebuild took",
                                         buckets=REBUILD_BUCKETS, registry=r)
        self.votes = Counter("qabot_feedback_votes", "Readers' feedback presses", ["vote"],
                             registry=r)
        self.db_failures = Counter("qabot_feedback_write_failures",
                                   "Records the feedback database could not take", ["reason"],
                                   registry=r)
        self._index_age = Gauge("qabot_index_age_seconds", "Age of the live index", registry=r)
        self._passages = Gauge("qabot_passages_indexed", "Passages in the live index",
                               registry=r)
        self._contact_age = Gauge("qabot_bot_api_contact_age_seconds",
                                  "Since the last successful Bot API call", registry=r)

    def watch(self, index_age: Callable[[], float], passages: Callable[[], float],
              contact_age: Callable[[], float]) -> None:
        """Read the index and Bot API gauges from these callbacks at each scrape."""
        self._index_age.set_function(_or_nan(index_age))
        self._passages.set_function(_or_nan(passages))
        self._contact_age.set_function(_or_nan(contact_age))

    def answer(self, answered: bool, follow_up: bool, seconds: float) -> None:
        self.questions.inc()
        (self.answered if answered else self.refused).inc()
        if follow_up:
            self.follow_ups.inc()
        self.latency.observe(seconds)

    def db_failure(self, reason: str) -> None:
        """A record the feedback database did not take (its SQLite error name)."""
        self.db_failures.labels(reason).inc()

    def rebuilt(self, seconds: float) -> None:
        self.rebuilds.inc()
        self.rebuild_seconds.observe(seconds)
