"""OpenAI (or any OpenAI-compatible server) through the openai SDK, with its base URL.

The SDK is imported on first use, not with this module: importing it takes ~0.7 s of CPU, and
every process that sets Django up (web, worker, beat, manage.py commands, each test worker)
imports this module through the client factory, while most installs never use OpenAI.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, TypeVar

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

if TYPE_CHECKING:
    import openai
    import pydantic

SchemaT = TypeVar("SchemaT", bound="pydantic.BaseModel")


def sdk():
    """The openai package, imported the first time a client is made or an error mapped."""
    return importlib.import_module("openai")


@cache
def _client_class() -> type:
    class _OpenAI(sdk().OpenAI):
        """The SDK retries 408/409/429/5xx itself; cap its Retry-After waits like http.py."""

        def _calculate_retry_timeout(self, *args, **kwargs) -> float:
            return min(super()._calculate_retry_timeout(*args, **kwargs), http.max_wait())

    return _OpenAI


def make(api_key: str, base_url: str) -> openai.OpenAI:
    # The SDK's own httpx client, passing every request through http.before_request.
    openai = sdk()
    client = openai.DefaultHttpxClient(timeout=http.timeout(), event_hooks={"request": [
        lambda req: http.before_request("openai", req.method, str(req.url))]})
    return _client_class()(api_key=api_key, base_url=base_url.rstrip("/"), http_client=client,
                   timeout=http.timeout(), max_retries=http.retries())


def map_error(exc: Exception) -> ServiceError:
    """An openai SDK exception as a typed error (its text can echo part of the key: unused)."""
    if isinstance(exc, ServiceError):
        return exc
    openai = sdk()
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
    openai = sdk()
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
