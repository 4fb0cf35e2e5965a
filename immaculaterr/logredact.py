"""A logging filter that masks anything shaped like a credential before it is written.

What it has to catch, as seen at DEBUG: urllib3's request lines and retry warnings carry full
URLs (`?api_key=…` for TMDB, `?key=…` for Google, `?X-Plex-Token=…` for Plex image URLs);
plex.tv answers carry `authToken="…"`/`accessToken="…"` attributes; header dicts and JSON carry
`"X-Api-Key": "…"`; OpenAI keys look like `sk-…`. Tracebacks are masked too.
"""

import logging
import re

_NAMES = r"[\w-]*(?:token|api[_-]?key|apikey|password|secret|authorization)"
_PATTERNS = [
    re.compile(r"(?i)(x-plex-token|api_key|apikey|api-key|token|key|cx|password)=([^&\s'\"]+)"),
    re.compile(r"(?i)(authorization:\s*bearer\s+|x-api-key:\s*|x-plex-token:\s*)(\S+)"),
    re.compile(rf"(?i)(['\"]{_NAMES}['\"]:\s*['\"])([^'\"]+)"),
    re.compile(rf"(?i)(\b{_NAMES}\s*=\s*['\"])([^'\"]+)"),
    re.compile(r"(?i)(\bbearer\s+)([\w.~+/=-]{8,})"),
    re.compile(r"(\bsk-)([\w-]{8,})"),
]


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}***", text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the masked traceback is what prints.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class CapLength(logging.Filter):
    """Cuts a message longer than `limit` characters, marking the cut with an ellipsis.

    Tracebacks are not the message and stay whole."""

    def __init__(self, limit: int = 300):
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if len(message) > self.limit:
            record.msg, record.args = message[: self.limit - 1] + "…", None
        return True
