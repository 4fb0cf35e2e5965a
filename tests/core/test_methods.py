"""TRACE and any other method a page does not take answer 405, never 200."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/help", "/login", "/setup", "/healthz", "/command-center", "/tasks", "/logs"]


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", PAGES)
def test_methods_unsupported_answer_405(admin_client, method, path):
    response = admin_client.generic(method, path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_methods_trace_anonymous_is_405_with_a_sentence(client):
    response = client.generic("TRACE", "/login")

    assert response.status_code == 405
    assert response.content.decode() == "This address does not accept TRACE requests."


@pytest.mark.parametrize("path", ["/", "/help", "/healthz"])
def test_methods_post_to_a_read_only_core_page_is_405(admin_client, path):
    assert admin_client.post(path).status_code == 405


def test_methods_get_and_head_still_work(admin_client):
    assert admin_client.get("/help").status_code == 200
    assert admin_client.head("/help").status_code == 200
