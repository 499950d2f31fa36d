"""`/healthz` and `/metrics` on a small HTTP server of their own (a thread), off unless a
metrics port is set: healthy while the index is loaded and the Bot API answered recently."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from bot.ops.metrics import Metrics

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


class Health:
    """Whether the bot can serve: `contact()` is called on each successful Bot API call."""

    def __init__(self, index_loaded: Callable[[], bool], window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.index_loaded, self.window_s, self.clock = index_loaded, window_s, clock
        self._contact: float | None = None

    def contact(self) -> None:
        self._contact = self.clock()

    def contact_age(self) -> float:
        """Seconds since the last successful Bot API call.

        Raises:
            LookupError: none yet.
        """
        if self._contact is None:
            raise LookupError("no contact yet")
        return self.clock() - self._contact

    def check(self) -> tuple[bool, str]:
        """(healthy, a one-line reason)."""
        if not self.index_loaded():
            return False, "the index is not loaded"
        if self._contact is None:
            return False, "no successful contact with the Bot API yet"
        age = self.clock() - self._contact
        if age > self.window_s:
            return False, (f"no successful contact with the Bot API for {age:.0f} s "
                           f"(limit {self.window_s:.0f} s)")
        return True, "ok"


def ops_app(metrics: Metrics, health: Health) -> Callable[[dict[str, Any], StartResponse],
                                                          Iterable[bytes]]:
    """The WSGI application: /healthz, /metrics (Prometheus text format), 404 elsewhere."""
    exposition = make_wsgi_app(metrics.registry)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return exposition(environ, start_response)  # type: ignore[no-any-return]
        if path == "/healthz":
            healthy, reason = health.check()
            status = "200 OK" if healthy else "503 Service Unavailable"
        else:
            status, reason = "404 Not Found", "not found: /healthz or /metrics"
        body = (reason + "\n").encode("utf-8")
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body)))])
        return [body]
    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        logger.debug("ops server: " + format, *args)


class OpsServer:
    """The server thread; `port` 0 picks a free port (`self.port` says which)."""

    def __init__(self, host: str, port: int, metrics: Metrics, health: Health) -> None:
        self._server = make_server(host, port, ops_app(metrics, health), server_class=_Server,
                                   handler_class=_QuietHandler)
        self.port = int(self._server.server_port)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="qabot-ops-server", daemon=True)

    def start(self) -> None:
        self._thread.start()
        logger.info("health and metrics on http://%s:%d/healthz and /metrics",
                    self._server.server_name, self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
