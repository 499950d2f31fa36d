"""A small fake Telegram Bot API server on 127.0.0.1 for end-to-end tests: it queues updates
for getUpdates, records every call, and can answer with 400, 429 (retry_after) or 5xx."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

TOKEN = "123456789:AAF-fake-token-for-tests-only-0123456789"
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "qabot", "username": "qabot_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True}
RAW_STRING_FIELDS = {"text", "query", "data", "description"}


class FakeBotAPI:
    """State shared between the HTTP handler threads and the test."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str, int | None]]] = {}
        self._next_update = 1
        self._next_message = 1000
        self._chat_types: dict[int, str] = {}
        self._random_failures: dict[str, tuple[int, tuple[tuple[int, int | None], ...]]] = {}
        self._seen_requests: dict[str, set[str]] = {}
        self.injected: dict[str, int] = {}  # method -> failures fail_randomly injected
        self._delivered: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self._lock = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeBotAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what tests call ----------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        with self._lock:
            update_id = self._next_update
            self._next_update += 1
            self._updates.append({"update_id": update_id, **update})
            self._lock.notify_all()
            return update_id

    def message(self, text: str | None, chat_id: int = 111, user_id: int = 111,
                chat_type: str = "private", reply_to: dict[str, Any] | None = None,
                extra: dict[str, Any] | None = None) -> int:
        """Queue a message update from user `user_id` in chat `chat_id`."""
        with self._lock:
            self._chat_types[chat_id] = chat_type
            self._next_message += 1
            message_id = self._next_message
        message: dict[str, Any] = {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **(
                {"title": "Nhóm"} if chat_type != "private" else {"first_name": "Lan"})},
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"}, **(extra or {})}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.push({"message": message})

    def document(self, name: str, content: bytes, chat_id: int = 111,
                 user_id: int = 111) -> int:
        """Queue a message carrying a document (a file the bot may download)."""
        with self._lock:
            file_id = f"doc{len(self.files) + 1}"
            self.files[file_id] = content
        return self.message(None, chat_id, user_id, extra={"document": {
            "file_id": file_id, "file_unique_id": file_id, "file_name": name,
            "file_size": len(content)}})

    def callback(self, data: str, user_id: int = 111, chat_id: int = 111) -> int:
        """Queue a press on an inline button carrying `data`."""
        return self.push({"callback_query": {
            "id": f"cb{self._next_update}", "chat_instance": "ci", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            "message": {"message_id": 5, "date": 0, "chat": {"id": chat_id, "type": "private"},
                        "from": BOT_USER, "text": "…"}}})

    def fail(self, method: str, status: int, description: str = "fail",
             retry_after: int | None = None, times: int = 1) -> None:
        with self._lock:
            self._failures.setdefault(method, []).extend(
                [(status, description, retry_after)] * times)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    # --- the HTTP side ------------------------------------------------------------------------
    def fail_randomly(self, method: str, every: int,
                      kinds: tuple[tuple[int, int | None], ...]) -> None:
        """Fail the first attempt of one distinct `method` request in `every`, cycling through
        (status, retry_after) kinds; status 0 drops the connection without an answer (and
        without doing the call). Each request fails at most once, so its retry goes through
        however the bot's calls interleave (counted by call, one reply once met the failure on
        all five retries). A request identical to an earlier one counts as its retry."""
        with self._lock:
            self._random_failures[method] = (every, kinds)

    def _injected_failure(self, method: str,
                          params: dict[str, Any]) -> list[tuple[int, str, int | None]]:
        """The failure `fail_randomly` injects into this call, if any (under the lock)."""
        every, kinds = self._random_failures[method]
        seen = self._seen_requests.setdefault(method, set())
        request = json.dumps(params, sort_keys=True, default=str)
        if request in seen:
            return []
        seen.add(request)
        if len(seen) % every:
            return []
        status, retry_after = kinds[(len(seen) // every) % len(kinds)]
        self.injected[method] = self.injected.get(method, 0) + 1
        return [(status, "injected failure", retry_after)]

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            failures = self._failures.get(method)
            if method in self._random_failures and not failures:
                failures = self._injected_failure(method, params)
            if failures:
                status, description, retry_after = failures.pop(0)
                body: dict[str, Any] = {"ok": False, "error_code": status,
                                        "description": description}
                if retry_after is not None:
                    body["parameters"] = {"retry_after": retry_after}
                return status, body
            self.calls.append((method, params))
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "sendMessage":
            return 200, {"ok": True, "result": self._sent_message(params)}
        if method == "getFile" and str(params.get("file_id")) in self.files:
            file_id = str(params["file_id"])
            return 200, {"ok": True, "result": {
                "file_id": file_id, "file_unique_id": file_id,
                "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}}
        return 200, {"ok": True, "result": True}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.time() + min(float(params.get("timeout") or 0), 0.5)
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.time() < deadline:
                self._lock.wait(max(0.0, deadline - time.time()))
            return list(self._updates)

    def delivered(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The messages the bot sent, as Telegram returned them (to reply to one)."""
        with self._lock:
            return [m for m in self._delivered if chat_id is None or m["chat"]["id"] == chat_id]

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._next_message += 1
            chat_id = int(params["chat_id"])
            message = {"message_id": self._next_message, "date": int(time.time()),
                       "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private")},
                       "from": BOT_USER, "text": params.get("text", "")}
            self._delivered.append(message)
            return message

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                status, body = api._respond(self.path[len(prefix):], _parse(
                    raw, self.headers.get("Content-Type", "")))
                if status == 0:  # a dropped connection: no answer at all
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self._send(status, body)

            def do_GET(self) -> None:  # noqa: N802 - a file download
                path = unquote(self.path)  # PTB quotes the token's colon
                content = api.files.get(path.rpartition("/documents/")[2])
                if not path.startswith(f"/file/bot{api.token}/") or content is None:
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        parsed: dict[str, Any] = json.loads(raw)
        return parsed
    params: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        if key in RAW_STRING_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params
