"""First-run setup, sign-in, sign-out and the lock after repeated failures."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_setup_without_admin_every_page_leads_to_setup(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/setup"


def test_setup_creates_the_one_admin_then_disappears(client):
    response = client.post("/setup", {"username": "ava", "password": "long-enough-pw",
                                      "password_again": "long-enough-pw"})
    assert response.status_code == 302
    assert list(get_user_model().objects.values_list("username", "is_superuser")) == [
        ("ava", True)]
    client.logout()
    assert client.get("/setup")["Location"] == "/login"  # issue 15: sign-in, not a 404
    assert client.post("/setup", {"username": "eve", "password": "long-enough-pw",
                                  "password_again": "long-enough-pw"})["Location"] == "/login"
    assert get_user_model().objects.count() == 1


def test_setup_short_or_mismatched_password_shows_errors(client):
    response = client.post("/setup", {"username": "ava", "password": "short",
                                      "password_again": "other"})
    assert response.status_code == 200
    assert "Ensure this value has at least 10 characters" in response.content.decode()
    assert get_user_model().objects.count() == 0
    response = client.post("/setup", {"username": "ava", "password": "long-enough-pw",
                                      "password_again": "long-enough-px"})
    assert "The two passwords differ." in response.content.decode()


def test_login_and_logout(client, admin_user):
    response = client.post("/login?next=/help", {"username": "ava",
                                                 "password": "correct-horse-battery"})
    assert response["Location"] == "/help"
    assert client.get("/help").status_code == 200
    client.post("/logout")
    assert client.get("/help")["Location"] == "/login?next=%2Fhelp"


def test_login_wrong_password_says_so(client, admin_user):
    response = client.post("/login", {"username": "ava", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password." in response.content.decode()


def test_login_sixth_wrong_password_is_locked_even_with_right_one(client, admin_user):
    for _ in range(5):
        client.post("/login", {"username": "ava", "password": "wrong-password"})
    response = client.post("/login", {"username": "ava", "password": "correct-horse-battery"})
    assert "Sign-in is locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lock_applies_per_address_across_usernames(client, admin_user):
    for i in range(5):
        client.post("/login", {"username": f"guess{i}", "password": "x"})
    response = client.post("/login", {"username": "ava", "password": "correct-horse-battery"})
    assert "Sign-in is locked" in response.content.decode()


def test_login_lock_expires_after_15_minutes(client, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    from immaculaterr.models import LoginAttempt

    for _ in range(5):
        client.post("/login", {"username": "ava", "password": "wrong-password"})
    LoginAttempt.objects.update(at=timezone.now() - timedelta(minutes=16))
    response = client.post("/login", {"username": "ava", "password": "correct-horse-battery"})
    assert response.status_code == 302
