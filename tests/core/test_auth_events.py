"""Failed sign-ins and lockouts reach the Logs page (issue 11 must-show 5), not only the file."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_failed_sign_in_and_the_lockout_appear_in_logs():
    admin = get_user_model().objects.create_superuser("admin", "", "correct horse battery")
    stranger = Client(REMOTE_ADDR="192.0.2.77")
    for _ in range(settings.LOGIN_LOCK_ATTEMPTS):
        stranger.post("/login", {"username": "ava", "password": "wrong password!"})
    viewer = Client()
    viewer.force_login(admin)

    page = viewer.get("/logs").content.decode()

    assert "Failed sign-in for user &#x27;ava&#x27; from 192.0.2.77." in page
    assert (f"Sign-in locked for {settings.LOGIN_LOCK_MINUTES} minutes for user &#x27;ava&#x27; "
            "and address 192.0.2.77") in page
    assert "wrong password!" not in page
