"""A real HTTP server on 127.0.0.1, in a thread, for `check`'s tests: it serves recorded
package index answers and pages, and every failure `check` must survive. Tests never touch the
internet: the index is this server's address, and link checks go through `local_opener`,
which sends every request (whatever its host, http or https) to this server, the original
host kept in the Host header for the routes to tell sites apart."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from dlcompare import web

RECORDED = Path(__file__).parent / "data" / "index"
"""Answers of the public index's JSON API (pypi.org, 2026-12-04), trimmed to the fields
`check` reads: `info.name`, `info.version`, and per release its files' upload times and
`yanked`."""


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    """Never answer (until the server stops)."""
    stream: int = 0
    """Send this many bytes of zeros without a Content-Length."""
    delay: float = 0.0


def json_reply(document: Any) -> Reply:
    return Reply(body=json.dumps(document).encode(), headers={"Content-Type": "application/json"})


def index_answer(
    version: str, releases: dict[str, str], yanked: frozenset[str] = frozenset()
) -> Reply:
    """An answer of the JSON API: `releases` maps each version to its upload day."""
    return json_reply(
        {
            "info": {"version": version},
            "releases": {
                v: [
                    {
                        "upload_time": f"{day}T10:00:00",
                        "upload_time_iso_8601": f"{day}T10:00:00.000000Z",
                        "yanked": v in yanked,
                    }
                ]
                for v, day in releases.items()
            },
        }
    )


def recorded(name: str) -> Reply:
    return Reply(body=(RECORDED / f"{name}.json").read_bytes())


Route = Reply | list[Reply] | Callable[[], Reply]


class LocalServer:
    """`routes[path]` or `routes[(host, path)]`: a reply, or a list served in turn (the last
    one repeated). Every request is recorded in `seen` as (method, host, path)."""

    def __init__(self) -> None:
        self.routes: dict[Any, Route] = {}
        self.fallback: Reply = Reply(404, b"not found")
        """The reply where no route matches."""
        self.seen: list[tuple[str, str, str]] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.answer(self)

            def do_HEAD(self) -> None:
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        host = request.headers.get("Host", "").split(":")[0]
        self.seen.append((request.command, host, request.path))
        route = self.routes.get((host, request.path), self.routes.get(request.path))
        if route is None:
            reply = self.fallback
        elif isinstance(route, list):
            reply = route.pop(0) if len(route) > 1 else route[0]
        elif callable(route):
            reply = route()
        else:
            reply = route
        with suppress(BrokenPipeError, ConnectionResetError):
            self._send(request, reply)

    def _send(self, request: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.hang:
            self.stopping.wait(60)
            return
        if reply.delay:
            self.stopping.wait(reply.delay)
        request.send_response(reply.status)
        for key, value in reply.headers.items():
            request.send_header(key, value)
        if reply.stream:
            request.send_header("Connection", "close")
            request.end_headers()
            chunk = b"\0" * 65536
            sent = 0
            while sent < reply.stream and not self.stopping.is_set():
                request.wfile.write(chunk)
                sent += len(chunk)
            request.close_connection = True
            return
        if "Content-Length" not in reply.headers:
            request.send_header("Content-Length", str(len(reply.body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(reply.body)

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


class _ToLocal(urllib.request.HTTPHandler):
    """Opens every http and https request on the local server (before urllib's own handlers)."""

    handler_order = 100

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port

    def _connection(self, host: str, **options: Any) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=options.get("timeout"))

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)

    https_open = http_open


def local_opener(server: LocalServer) -> urllib.request.OpenerDirector:
    """An opener like `web.Client`'s own (its redirect handling), that reaches only `server`."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), web._Redirects(), _ToLocal(server.port)
    )


PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
)
