"""Doubles that check what they receive and answer against the published OpenAPI extracts.

Every JSON request body a double receives for a documented operation is validated; failures
land in `server.schema_violations` (and in VIOLATIONS, which the suite-wide pytest plugin in
tests/fidelity/arr/plugin.py reads, so any test whose product code sends a bad body fails).
Answers that disagree with the documented success schema land in `answer_violations`, which
the fidelity tests assert empty. `clear()`/`reset()` empty both.
"""

from __future__ import annotations

import json
import threading

from tests.fakes.base import Request, Response
from tests.fidelity.arr.openapi import validate_request, validate_response

VIOLATIONS: list[str] = []
_LOCK = threading.Lock()


class SchemaChecked:
    """Mixin for a FakeServer subclass; `schema_service` names its extract."""

    schema_service = ""

    def __init__(self, *args, **kwargs):
        self.schema_violations: list[str] = []
        self.answer_violations: list[str] = []
        super().__init__(*args, **kwargs)

    def clear(self) -> None:
        super().clear()
        self.schema_violations: list[str] = []
        self.answer_violations: list[str] = []

    def dispatch(self, req: Request) -> Response:
        self._check_request(req)
        resp = super().dispatch(req)
        self._check_answer(req, resp)
        return resp

    def _check_request(self, req: Request) -> None:
        if not req.body or req.method in ("GET", "HEAD"):
            return
        try:
            body = json.loads(req.body)
        except ValueError:
            found = [f"{self.schema_service} {req.method} {req.path}: body is not JSON"]
        else:
            found = validate_request(self.schema_service, req.method, req.path, body)
        self._record(self.schema_violations, found, VIOLATIONS)

    def _check_answer(self, req: Request, resp: Response) -> None:
        if not isinstance(resp.body, dict | list):
            return
        body = json.loads(resp.encoded())  # as the client sees it
        found = validate_response(self.schema_service, req.method, req.path, resp.status, body)
        self._record(self.answer_violations, found)

    def _record(self, mine: list[str], found: list[str], shared: list[str] | None = None):
        if not found:
            return
        with _LOCK:
            mine.extend(found)
            if shared is not None:
                shared.extend(found)
