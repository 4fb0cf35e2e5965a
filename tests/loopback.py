"""Real HTTP over loopback: a cookie-keeping client and a reverse proxy that acts like nginx.

The proxy adds X-Forwarded-Proto/-For/-Host as an HTTPS proxy would, so the app sees what
it sees behind TLS termination; it never follows redirects.
"""

from __future__ import annotations

import http.client
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One visitor: keeps its cookies, sends the headers it is given, reads every answer."""

    def __init__(self, base_url: str, headers: dict | None = None):
        parts = urlsplit(base_url)
        self.host, self.port, self.prefix = parts.hostname, parts.port, parts.path.rstrip("/")
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        body = urlencode(form).encode() if form is not None else None
        sent = {**self.headers, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, self.prefix + path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path: str, form: dict, **kw):
        """GET the page for its CSRF token, then POST the form with it."""
        _, _, page = self.get(path)
        token = CSRF_FIELD.search(page)
        return self.request("POST", path, {**form, "csrfmiddlewaretoken":
                                           token.group(1) if token else ""}, **kw)


def _handler(upstream: str, forwarded_for: list[str]):
    target = urlsplit(upstream)

    class Forward(BaseHTTPRequestHandler):
        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            client = self.headers.get("X-Test-Client") or self.client_address[0]
            headers.update({"Host": target.netloc, "X-Forwarded-Proto": "https",
                            "X-Forwarded-Host": self.headers.get("Host", ""),
                            "X-Forwarded-For": ", ".join([*forwarded_for, client])})
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                payload = answer.read()
            finally:
                conn.close()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_HEAD = do_TRACE = do_PUT = do_DELETE = _forward

        def log_message(self, *args):
            pass

    return Forward


@contextmanager
def https_proxy(upstream: str, forwarded_for: list[str] | None = None):
    """A proxy on a free loopback port in front of `upstream`; yields its base URL.

    The client address it forwards is the X-Test-Client header (a stand-in for the visitor's
    real address) or its own peer; `forwarded_for` adds earlier hops in front.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, forwarded_for or []))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
