"""The DEBUG error page and error reports never show a credential.

Django hides settings whose names look secret; Redis, broker, cache and database settings
carry passwords inside URLs under harmless names, so those names are hidden too, and any
value shaped like scheme://user:password@host loses its user part wherever it appears.
"""

from __future__ import annotations

import re

from django.template.defaultfilters import pprint
from django.views.debug import SafeExceptionReporterFilter

CREDENTIAL_IN_URL = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)


def mask_urls(text: str) -> str:
    return CREDENTIAL_IN_URL.sub(
        lambda m: f"{m['scheme']}{SafeExceptionReporterFilter.cleansed_substitute}@", text)


class CredentialFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CREDENTIAL|DSN|"
        "REDIS|BROKER|CACHES|DATABASE|LOCATION", flags=re.I)

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        return mask_urls(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, _masked(value))
                for name, value in super().get_traceback_frame_variables(request, tb_frame)]


def _masked(value):
    """A local variable as it is, or as masked text when its repr carries a credential."""
    text = value if isinstance(value, str) else pprint(value)
    masked = mask_urls(text)
    return value if masked == text else masked
