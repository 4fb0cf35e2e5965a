"""A logging filter that masks anything shaped like a credential before it is written."""

import logging
import re

_PATTERNS = [
    re.compile(r"(?i)(x-plex-token|api_key|apikey|api-key|token|key|cx|password)=([^&\s'\"]+)"),
    re.compile(r"(?i)(authorization:\s*bearer\s+|x-api-key:\s*|x-plex-token:\s*)(\S+)"),
    re.compile(r"(?i)(['\"](?:x-plex-token|x-api-key|authorization|api_key|apikey)['\"]:\s*['\"])"
               r"([^'\"]+)"),
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
        return True
