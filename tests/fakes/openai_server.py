"""An OpenAI-compatible chat completions double that curates candidate lists.

The contract with the product: the last user message lists candidates one per line as
`[id:1234] Title (Year)` and says `exactly N`; the request asks for structured output with
schema `{"picks": [{"id": int, "reason": str}]}`. The double picks the LAST N candidates in
reverse order, so a test can tell its picks from any top-N ranking the product computes.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
import uuid
from collections import deque

from tests.fakes.base import FakeServer, Request, Response, route

CANDIDATE = re.compile(r"\[id:(\d+)\]\s*(.*?)\s*$", re.MULTILINE)
COUNT = re.compile(r"\bexactly\s+(\d+)\b", re.IGNORECASE)
REASONS = ("Shares the brooding tone", "Matches the slow-burn pacing",
           "Same sharp, witty dialogue", "A similar sense of scale and wonder",
           "Echoes the tense moral dilemmas", "The same warm ensemble energy")
UNKNOWN_ID_BASE = 99_000_000  # never a catalog id, never a candidate
MODES = ("ok", "garbage", "wrong_count", "unknown_ids", "timeout", "error500", "length",
         "refusal", "rate_limit")
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1", "gpt-5-mini", "gpt-5")


def openai_error(status: int, message: str, type_: str, code: str | None = None,
                 param: str | None = None) -> Response:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return Response(status, body, {"x-request-id": f"req_{uuid.uuid4().hex}"})


def message_text(message: dict) -> str:
    """Content is a string or a list of parts ({"type": "text", "text": …})."""
    content = message.get("content") or ""
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content if isinstance(p, dict))


def last_user_text(messages: list) -> str:
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    return message_text(users[-1]) if users else ""


def strict_schema_problem(schema: dict, context: tuple = ()) -> str | None:
    """What OpenAI's strict mode would refuse: objects must close additionalProperties and
    require every property. Returns a sentence like OpenAI's, or None."""
    if schema.get("type") == "object" or "properties" in schema:
        where = f"In context={context!r}, "
        if schema.get("additionalProperties") is not False:
            return where + "'additionalProperties' is required to be supplied and to be false."
        missing = set(schema.get("properties", {})) - set(schema.get("required", []))
        if missing:
            return where + f"'required' is required to be supplied and to be an array " \
                           f"including every key in properties. Missing '{sorted(missing)[0]}'."
    children = [(("properties", k), v) for k, v in schema.get("properties", {}).items()]
    children += [(("$defs", k), v) for k, v in schema.get("$defs", {}).items()]
    if isinstance(schema.get("items"), dict):
        children.append((("items",), schema["items"]))
    for path, child in children:
        problem = strict_schema_problem(child, context + path)
        if problem:
            return problem
    return None


class OpenAiDouble(FakeServer):
    """`POST /v1/chat/completions` and `GET /v1/models`, Bearer auth.

    Set `mode` (one of MODES) for every later request, or `queue(*modes)` for the next few.
    `delay` is how long "timeout" sleeps (longer than the client's timeout); `chats` keeps
    every parsed request body. `clear()` also empties `chats` and the queue and sets "ok".
    """

    name = "openai"

    def __init__(self, api_key: str = "sk-test-openai", models=MODELS, delay: float = 3.0,
                 **kwargs):
        self.api_key = api_key
        self.models = list(models)
        self.delay = delay
        self.mode = "ok"
        self.queued: deque[str] = deque()
        self.chats: list[dict] = []
        self._wake = threading.Event()  # lets stop() end a "timeout" sleep early
        super().__init__(**kwargs)
        self._quiet_disconnects()

    def _quiet_disconnects(self) -> None:
        """A "timeout" answer lands on a socket the client already closed: not an error."""
        loud = self._httpd.handle_error

        def handle_error(request, client_address):
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                loud(request, client_address)

        self._httpd.handle_error = handle_error

    @property
    def base(self) -> str:
        return f"{self.url}/v1"

    # test helpers ---------------------------------------------------------------------------
    def queue(self, *modes: str) -> None:
        unknown = set(modes) - set(MODES)
        if unknown:
            raise ValueError(f"unknown modes {sorted(unknown)}; choose from {MODES}")
        with self.lock:
            self.queued.extend(modes)

    @property
    def last_body(self) -> dict | None:
        return self.chats[-1] if self.chats else None

    @property
    def last_prompt(self) -> str | None:
        return last_user_text(self.last_body["messages"]) if self.chats else None

    @property
    def last_schema(self) -> dict | None:
        fmt = (self.last_body or {}).get("response_format") or {}
        return (fmt.get("json_schema") or {}).get("schema")

    def clear(self) -> None:
        super().clear()
        with self.lock:
            self.chats.clear()
            self.queued.clear()
            self.mode = "ok"

    def stop(self) -> None:
        self._wake.set()
        super().stop()

    # protocol -------------------------------------------------------------------------------
    def error_body(self, status):
        if status == 429:
            return openai_error(429, "Rate limit reached. Please try again in 1s.", "requests",
                                "rate_limit_exceeded").body
        if status and status >= 500:
            return openai_error(status, "The server had an error while processing your "
                                "request. Sorry about that!", "server_error").body
        return openai_error(status or 400, f"HTTP {status}", "invalid_request_error").body

    def authorize(self, req: Request) -> Response | None:
        header = req.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return openai_error(401, "You didn't provide an API key. You need to provide your "
                                "API key in an Authorization header using Bearer auth (i.e. "
                                "Authorization: Bearer YOUR_KEY).", "invalid_request_error")
        key = header.removeprefix("Bearer ")
        if key != self.api_key:
            return openai_error(401, f"Incorrect API key provided: {key[:3]}****{key[-4:]}.",
                                "invalid_request_error", "invalid_api_key")
        return None

    @route("GET", r"/v1/models")
    def list_models(self, req: Request):
        return {"object": "list", "data": [
            {"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "system"}
            for m in self.models]}

    @route("POST", r"/v1/chat/completions")
    def chat(self, req: Request):
        try:
            body = req.json()
        except ValueError:
            return openai_error(400, "We could not parse the JSON body of your request.",
                                "invalid_request_error")
        refused = self._refuse(body)
        if refused:
            return refused
        with self.lock:
            self.chats.append(body)
            mode = self.queued.popleft() if self.queued else self.mode
        return self._answer(body, mode)

    def _refuse(self, body: dict) -> Response | None:
        """The 400/404s OpenAI gives before generating anything."""
        if not isinstance(body, dict) or not body.get("messages"):
            return openai_error(400, "Missing required parameter: 'messages'.",
                                "invalid_request_error", param="messages")
        if body.get("model") not in self.models:
            return openai_error(404, f"The model `{body.get('model')}` does not exist or you "
                                "do not have access to it.", "invalid_request_error",
                                "model_not_found")
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema" and fmt.get("json_schema", {}).get("strict"):
            problem = strict_schema_problem(fmt["json_schema"].get("schema") or {})
            if problem:
                name = fmt["json_schema"].get("name")
                return openai_error(400, f"Invalid schema for response_format '{name}': "
                                    f"{problem}", "invalid_request_error",
                                    "invalid_json_schema", "response_format")
        return None

    # answers --------------------------------------------------------------------------------
    def _answer(self, body: dict, mode: str) -> Response:
        if mode == "error500":
            return Response(500, self.error_body(500))
        if mode == "rate_limit":
            refused = Response(429, self.error_body(429))
            refused.headers["retry-after"] = "1"
            return refused
        if mode == "timeout":
            self._wake.wait(self.delay)  # the client has given up by now
        prompt = last_user_text(body["messages"])
        picks = self._picks(prompt, mode)
        content = json.dumps({"picks": picks})
        finish, refusal = "stop", None
        if mode == "garbage":
            content = "Sure! Here are some great picks you might enjoy: " + \
                      ", ".join(str(p["id"]) for p in picks)
        elif mode == "length":
            content, finish = content[: len(content) // 2], "length"
        elif mode == "refusal":
            content, refusal = None, "I'm sorry, but I can't help with that request."
        return Response(200, self._completion(body, prompt, content, finish, refusal),
                        {"x-request-id": f"req_{uuid.uuid4().hex}",
                         "openai-processing-ms": "42"})

    def _picks(self, prompt: str, mode: str) -> list[dict]:
        candidates = CANDIDATE.findall(prompt)
        found = COUNT.search(prompt)
        n = int(found.group(1)) if found else 0
        if mode == "wrong_count":
            n = n - 1 if n > 1 else n + 1
        chosen = list(reversed(candidates))[:n]
        picks = [{"id": int(cid), "reason": REASONS[i % len(REASONS)]}
                 for i, (cid, _title) in enumerate(chosen)]
        if mode == "unknown_ids":  # every second pick names something never offered
            for i in range(1, len(picks), 2):
                picks[i]["id"] = UNKNOWN_ID_BASE + i
        return picks

    @staticmethod
    def _completion(body: dict, prompt: str, content, finish: str, refusal) -> dict:
        completion_tokens = max(1, len(content or refusal) // 4)
        if finish == "length":
            completion_tokens = body.get("max_completion_tokens") or body.get("max_tokens") \
                or completion_tokens
        prompt_tokens = max(1, len(prompt) // 4)
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion",
            "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "logprobs": None, "finish_reason": finish, "message": {
                "role": "assistant", "content": content, "refusal": refusal,
                "annotations": []}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
            "service_tier": "default", "system_fingerprint": "fp_double",
        }
