"""The HTML refusals the Plex double answers with, shaped like a real server's (text/html)."""

from __future__ import annotations

from tests.fakes.base import Response


def bad_request(message: str) -> Response:
    return Response(400, f"<html><body><h1>400 Bad Request</h1><p>{message}</p></body></html>",
                    content_type="text/html")


def not_found() -> Response:
    return Response(404, "<html><body><h1>404 Not Found</h1></body></html>",
                    content_type="text/html")
