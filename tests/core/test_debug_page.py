"""The DEBUG=true error page and error reports never show a Redis or database password."""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter, technical_500_response

PASSWORD = "s3cret-redis-pw"
REDIS = f"redis://:{PASSWORD}@127.0.0.1:6379/0"


@pytest.fixture
def secret_settings(settings):
    settings.DEBUG = True
    settings.REDIS_URL = REDIS
    settings.CELERY_BROKER_URL = REDIS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS}}
    settings.TMDB_BASE_URL = f"https://user:{PASSWORD}@api.example.com/3"
    return settings


def raised(request):
    broker_url = REDIS  # a local variable holding the URL, as a crash inside a client might
    try:
        raise RuntimeError(f"cannot reach {broker_url.split('@')[-1]}")
    except RuntimeError:
        return sys.exc_info()


def test_debug_page_masks_every_setting_with_a_credential(secret_settings):
    request = RequestFactory().get("/boom", REDIS_URL=REDIS)

    page = technical_500_response(request, *raised(request)).content.decode()

    assert PASSWORD not in page
    assert "RuntimeError" in page and "cannot reach 127.0.0.1:6379/0" in page
    assert "CELERY_BROKER_URL" in page and "REDIS_URL" in page


def test_debug_text_report_masks_credentials_too(secret_settings):
    request = RequestFactory().get("/boom")

    text = ExceptionReporter(request, *raised(request)).get_traceback_text()

    assert PASSWORD not in text
    assert "https://********************@api.example.com/3" in text
