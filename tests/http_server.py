"""A local HTTP server for performer tests: scripted routes, a record of what it received, concurrency counts."""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Server:
    """The running server: its base URL, routes by path, and what it saw."""

    httpd: ThreadingHTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.httpd.server_address[1])

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def hits(self, path: str) -> list[Seen]:
        """The requests it received for ``path`` (query string ignored)."""
        return [s for s in self.seen if urlsplit(s.path).path == path]

    def close(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()


class Handler(BaseHTTPRequestHandler):
    """Records the request, counts it as active while its route runs."""

    server_state: Server

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.server_state
        with state.lock:
            state.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                   time.monotonic()))
            state.active += 1
            state.max_active = max(state.max_active, state.active)
        try:
            route = state.routes.get(urlsplit(self.path).path)
            if route is None:
                self.reply(404, b"no route", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with state.lock:
                state.active -= 1

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815 - http.server's naming

    def reply(self, status: int, body: bytes = b"", content_type: str | None = "application/json",
              headers: dict[str, str] | None = None, length: bool = True) -> None:
        """Send a whole response."""
        self.send_response(status)
        if content_type:
            self.send_header("content-type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("content-length", str(len(body)))
        else:
            self.close_connection = True
            self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or fails the TLS handshake is part of the tests, not news."""


def start_server(tls: ssl.SSLContext | None = None) -> Server:
    """A server on a free loopback port, serving from daemon threads (over TLS with ``tls``)."""
    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    state = Server(httpd)
    handler = type("BoundHandler", (Handler,), {"server_state": state})
    httpd.RequestHandlerClass = handler
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return state
