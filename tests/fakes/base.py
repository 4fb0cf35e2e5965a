"""The loopback HTTP server every double is built on.

A double subclasses FakeServer and registers routes with @route. Each request is logged
(method, path, query, headers, time) and can be failed on purpose with `fault(...)`, so tests
assert outcomes and request counts against real client libraries.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    time: float

    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: bytes | str | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Fault:
    """A planned failure: `status` (e.g. 401/404/429/500), `delay` seconds (timeouts),
    `body` (malformed answers), for requests whose path matches `path` (regex), `count` times
    (None = until cleared)."""

    status: int | None = None
    delay: float = 0.0
    body: bytes | None = None
    path: str = ""
    count: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)
    method: str | None = None


def route(method: str, pattern: str):
    """Register a handler for METHOD and a path regex; named groups become kwargs."""

    def mark(fn):
        fn._route = (method, re.compile(f"^{pattern}$"))
        return fn

    return mark


class FakeServer:
    name = "fake"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.down = False  # when True every request is answered by closing the connection
        self.lock = threading.RLock()
        self._handlers = {
            getattr(self, n)._route: getattr(self, n) for n in dir(self)
            if callable(getattr(self, n, None)) and hasattr(getattr(self, n), "_route")
        }
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        name=f"fake-{self.name}")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # test helpers ----------------------------------------------------------------------------
    def fault(self, **kwargs) -> Fault:
        f = Fault(**kwargs)
        with self.lock:
            self.faults.append(f)
        return f

    def clear(self) -> None:
        """Forget the request log and any planned faults."""
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            self.down = False

    def count(self, method: str | None = None, path: str = "") -> int:
        """How many logged requests match METHOD and the path regex."""
        rx = re.compile(path)
        with self.lock:
            return sum(1 for r in self.requests
                       if (method is None or r.method == method) and rx.search(r.path))

    def authorize(self, req: Request) -> Response | None:
        """Return a Response to refuse the request, or None to let it through."""
        return None

    # dispatch --------------------------------------------------------------------------------
    def _take_fault(self, req: Request) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.method and f.method != req.method:
                    continue
                if f.path and not re.search(f.path, req.path):
                    continue
                if f.count is not None:
                    f.count -= 1
                    if f.count <= 0:
                        self.faults.remove(f)
                return f
        return None

    def dispatch(self, req: Request) -> Response:
        fault = self._take_fault(req)
        if fault:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status or fault.body is not None:
                return Response(fault.status or 200, fault.body if fault.body is not None
                                else self.error_body(fault.status), dict(fault.headers))
        refused = self.authorize(req)
        if refused is not None:
            return refused
        for (method, rx), handler in self._handlers.items():
            if method != req.method:
                continue
            m = rx.match(req.path)
            if m:
                result = handler(req, **m.groupdict())
                return result if isinstance(result, Response) else Response(200, result)
        return Response(404, self.error_body(404))

    def error_body(self, status: int | None):
        return {"error": f"HTTP {status}"}

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Without this, small responses stall ~40 ms on delayed ACKs (Nagle).
            disable_nagle_algorithm = True

            def log_message(self, *args):  # keep test output quiet
                pass

            def handle(self):
                try:
                    super().handle()
                except (ConnectionResetError, BrokenPipeError):
                    pass  # a client that hung up (timeout tests): nothing to answer

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                req = Request(self.command, parts.path, query,
                              {k.lower(): v for k, v in self.headers.items()}, body, time.time())
                with server.lock:
                    server.requests.append(req)
                if server.down:
                    self.close_connection = True
                    self.connection.close()
                    return
                try:
                    resp = server.dispatch(req)
                except Exception as exc:  # a bug in a double must be loud, not a hang
                    resp = Response(500, {"error": f"double crashed: {exc!r}"})
                payload = resp.encoded()
                self.send_response(resp.status)
                content_type = resp.headers.pop("Content-Type", resp.content_type)
                self.send_header("Content-Type", content_type)
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    try:
                        self.wfile.write(payload)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (a timeout test); nothing to answer

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

        return Handler

