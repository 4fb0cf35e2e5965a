"""OpenAI (or any OpenAI-compatible server) through the openai SDK, with its base URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import openai
import pydantic

from vault.clients import http
from vault.clients.errors import (
    AnswerError,
    ServiceError,
    UnavailableError,
    for_status,
    from_exception,
    malformed,
    name_of,
)

SchemaT = TypeVar("SchemaT", bound=pydantic.BaseModel)


class _OpenAI(openai.OpenAI):
    """The SDK retries 408/409/429/5xx itself; cap its Retry-After waits like http.py does."""

    def _calculate_retry_timeout(self, *args, **kwargs) -> float:
        return min(super()._calculate_retry_timeout(*args, **kwargs), http.max_wait())


def make(api_key: str, base_url: str) -> openai.OpenAI:
    # The SDK's own httpx client, passing every request through http.before_request.
    client = openai.DefaultHttpxClient(timeout=http.timeout(), event_hooks={"request": [
        lambda req: http.before_request("openai", req.method, str(req.url))]})
    return _OpenAI(api_key=api_key, base_url=base_url.rstrip("/"), http_client=client,
                   timeout=http.timeout(), max_retries=http.retries())


def map_error(exc: Exception) -> ServiceError:
    """An openai SDK exception as a typed error (its text can echo part of the key: unused)."""
    if isinstance(exc, ServiceError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return from_transport_timeout()
    if isinstance(exc, openai.APIConnectionError):
        return from_exception("openai", exc.__cause__ or exc, http.timeout()) \
            if exc.__cause__ is not None else for_status("openai", 503)
    if isinstance(exc, openai.APIStatusError):
        retry = exc.response.headers.get("retry-after") if exc.response is not None else None
        detail = "the model or address; check the model name and base URL in the Vault" \
            if exc.status_code == 404 else ""
        try:
            wait = float(retry) if retry else None
        except ValueError:
            wait = None
        return for_status("openai", exc.status_code, retry_after=wait, detail=detail)
    if isinstance(exc, (openai.APIResponseValidationError, ValueError)):
        return malformed("openai", "not valid JSON")
    return from_exception("openai", exc, http.timeout())


def from_transport_timeout() -> ServiceError:
    return UnavailableError("openai", f"{name_of('openai')} did not answer within "
                                      f"{http.timeout():g} seconds.")


@contextmanager
def translate() -> Iterator[None]:
    try:
        yield
    except ServiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error
        raise map_error(exc) from exc


def model_ids(client: openai.OpenAI) -> list[str]:
    with translate():
        return sorted(m.id for m in client.models.list())


def structured(client: openai.OpenAI, model: str, messages: list[dict],
               schema: type[SchemaT]) -> SchemaT:
    """The model's answer to `messages`, parsed into `schema` (a pydantic model), or an
    AnswerError whose text is the short reason the caller reports."""
    try:
        answer = client.chat.completions.parse(model=model, response_format=schema,
                                               messages=messages)
    except openai.APITimeoutError as exc:  # before APIConnectionError, its base class
        raise AnswerError("openai", "timeout") from exc
    except openai.APIStatusError as exc:
        raise AnswerError("openai", f"HTTP {exc.status_code}", status=exc.status_code) from exc
    except openai.APIConnectionError as exc:
        raise AnswerError("openai", "cannot connect") from exc
    except openai.LengthFinishReasonError as exc:
        raise AnswerError("openai", "answer cut off (length)") from exc
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise AnswerError("openai", "answer is not the requested JSON") from exc
    except openai.OpenAIError as exc:
        raise AnswerError("openai", type(exc).__name__) from exc
    message = answer.choices[0].message
    if message.parsed is None:
        raise AnswerError("openai", "the model refused" if message.refusal else "empty answer")
    return message.parsed
