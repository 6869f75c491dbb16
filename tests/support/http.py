"""A small HTTP server on 127.0.0.1 for install tests: routes give bytes, a status, or a misbehaving body."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# How long a stalled route holds its connection at most: longer than any read timeout a test sets,
# short enough that a test never hangs on it.
STALL_SECONDS = 5.0


@dataclass(frozen=True)
class Route:
    """What the server answers on one path.

    `body` with `status` 200 is served whole; `cut` sends only that many bytes of it (the declared
    Content-Length stays whole) and closes; `stall` sends the headers and then nothing; `drip` sends
    one byte every `drip` seconds; `redirect` answers 302 to that location.
    """

    body: bytes = b""
    status: int = 200
    cut: int | None = None
    stall: bool = False
    drip: float | None = None
    redirect: str | None = None


class Server:
    """The running server: `url(path)` for a route's address, `hits` for the paths asked for."""

    def __init__(self, httpd: ThreadingHTTPServer, routes: dict[str, Route], stop: threading.Event) -> None:
        self.httpd, self.routes, self.stop = httpd, routes, stop
        self.hits: list[str] = []

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Server]:
    """Serve `routes` on 127.0.0.1 (a free port) while the block runs; stalled answers end with it."""
    stop = threading.Event()
    server: Server

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            server.hits.append(self.path)
            route = server.routes.get(self.path, Route(status=404))
            if route.redirect is not None:
                self.send_response(302)
                self.send_header("Location", route.redirect)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.status == 200:
                self._body(route)

        def _body(self, route: Route) -> None:
            if route.stall:
                stop.wait(STALL_SECONDS)
            elif route.drip is not None:
                for byte in route.body:
                    if stop.wait(route.drip):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            else:
                self.wfile.write(route.body[: route.cut])
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # tests read the hits, not a log on stderr

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server = Server(httpd, routes, stop)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=STALL_SECONDS)
