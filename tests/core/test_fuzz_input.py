"""Odd input never makes a 500 (issue 11 item 7): every URL pattern, with each parameter its
view reads set to odd digits ("²", "١٢"), a huge number, -1, empty, non-ASCII and 10 KB.

The walk skips only logout (it would sign the admin out mid-walk) and the Vault's Test button
(it probes outside services); see tests/core/fuzzwalk.py.
"""

from __future__ import annotations

import time

import pytest
from django.contrib import admin
from django.test import Client

from jobs import registry
from jobs.dispatch import dispatch
from jobs.models import LogLine
from recommendations.types import KINDS
from tests.core import fuzzwalk
from tests.jobs.factories import libraries, viewers
from vault import integrations

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def walker(admin_user, settings):
    # Sign in with Plex and Plex sync are walked too; their calls go to the closed test port,
    # and without retries a refused connection answers at once.
    settings.VAULT_HTTP_RETRIES = 0
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    viewers(), libraries()
    run = dispatch("immaculate_taste", enqueue_now=False)
    LogLine.objects.create(run=run, job=run.job, message="a line")
    return client, run


def samples(run) -> dict[str, list[str]]:
    models = admin.site._registry
    return {"pk": [str(run.pk)], "key": [next(iter(registry.REGISTRY))],
            "service": list(integrations.SERVICES), "kind": list(KINDS),
            "app_label": sorted({m._meta.app_label for m in models}),
            "model_name": sorted({m._meta.model_name for m in models}),
            "object_id": [str(run.pk)], "content_type_id": ["1"], "url": ["nope"]}


def signed_in(client, admin) -> bool:
    """Sign the admin in again if the walk signed them out: it POSTs odd values to the admin's
    own change and delete forms too (Django admin deletes on any POST to the confirmation
    page), and until this the rest of the walk went on as an anonymous visitor (~80% of its
    requests were redirects to the sign-in page). False when nothing had to be done."""
    intact = type(admin).objects.filter(
        pk=admin.pk, password=admin.password, username=admin.username, is_active=True,
        is_superuser=True, is_staff=True).exists()
    if intact and client.session.get("_auth_user_id") == str(admin.pk):
        return False
    admin.save()  # the admin as the fixture made them (inserted again if deleted)
    client.force_login(admin)
    return True


def sent(client, path: str, params: dict, failures: list, every_way: bool = True) -> int:
    """GET and POST, each plain and from htmx (or, for single-parameter probes, a plain POST
    and an htmx GET: the two ways the pages send them)."""
    count = 0
    ways = [(False, "get"), (False, "post"), (True, "get"), (True, "post")] if every_way \
        else [(False, "post"), (True, "get")]
    for htmx, method in ways:
        response = getattr(client, method)(path, params, headers=HTMX if htmx else {})
        count += 1
        if response.status_code == 500:  # 503 is /healthz saying the worker is down
            failures.append(f"{method.upper()} {path} {params!r:.80} htmx={htmx}")
        elif response.status_code == 302 and response.url.startswith("/login"):
            ANONYMOUS.append(path)
    return count


ANONYMOUS: list[str] = []  # requests answered as to a signed-out visitor (sent to sign in)


def test_fuzz_every_url_and_parameter_never_answers_500(walker, admin_user):
    client, run = walker
    ANONYMOUS.clear()
    signed_out_by: list[str] = []
    walk = [(name, p, view) for name, p, view in fuzzwalk.patterns()
            if name and name not in fuzzwalk.SKIPPED]
    paths = {name: fuzzwalk.paths_for(name, p, samples(run)) for name, p, view in walk}
    from_pages = fuzzwalk.page_fields(client, sorted({ps[0] for ps in paths.values() if ps}))
    failures: list[str] = []
    requests = params_seen = 0
    took: dict[str, float] = {}
    previous = None
    for name, _pattern, view in walk:
        keys = sorted(fuzzwalk.module_params(view) | from_pages.get(view, set()))
        params_seen += len(keys)
        if not paths[name]:
            failures.append(f"{name}: no path could be built for it")
            continue
        valid, *odd_paths = paths[name]
        if signed_in(client, admin_user):
            signed_out_by.append(previous)
        previous = name
        started = time.monotonic()
        for path in odd_paths:  # odd values in the path itself
            requests += sent(client, path, {}, failures)
        for value in fuzzwalk.ODD:
            requests += sent(client, valid, dict.fromkeys(keys, value), failures)
        # One at a time too, so a valid rest of the form lets the odd id reach the code.
        for key in keys if fuzzwalk.first_party(view) else ():
            for value in fuzzwalk.DIGITS:
                requests += sent(client, valid, {key: value}, failures, every_way=False)
        took[name] = time.monotonic() - started
    print(f"fuzz: {len(walk)} URL patterns, {params_seen} parameters, {requests} requests, "
          f"{len(failures)} answered 500; slowest: "
          f"{sorted(took.items(), key=lambda kv: -kv[1])[:5]}")
    print(f"signed in again after: {signed_out_by}; {len(ANONYMOUS)} requests were answered as "
          f"to a signed-out visitor")
    print("\n".join(failures))
    assert failures == []
    assert len(walk) >= 30 and params_seen >= 40 and requests >= 5_000


def test_fuzz_finds_the_parameters_of_the_issue(walker):
    """The walk knows the parameters issue 11 found 500s with (so it cannot walk nothing)."""
    client, run = walker
    by_name = {name: view for name, _p, view in fuzzwalk.patterns() if name}
    pages = fuzzwalk.page_fields(client, ["/rewind", "/logs", "/tasks", "/command-center"])

    def keys(name):
        return fuzzwalk.module_params(by_name[name]) | pages.get(by_name[name], set())

    assert {"viewer", "page"} <= keys("jobs:rewind")
    assert {"run", "after", "level"} <= keys("jobs:logs")
    assert "monitored" in keys("vault:cc_viewers")
    assert "selected" in keys("vault:cc_libraries")
    assert "seed_rating_key" in keys("jobs:run_now")


def test_fuzz_marks_a_500_as_a_failure(walker, monkeypatch):
    """A view that breaks on "²" is caught by the same check."""
    client, _run = walker
    failures: list[str] = []
    monkeypatch.setattr("jobs.views.logs.filtered_lines", lambda params: int(params["run"]))

    count = sent(client, "/logs", {"run": "²"}, failures)

    # the two GETs (plain and htmx) break; POSTs to the read-only Logs page are a 405
    assert (count, [f.split()[0] for f in failures]) == (4, ["GET", "GET"])


def test_fuzz_admin_empty_to_field_is_not_a_500(walker, admin_user):
    """Django admin looked up a field named "" (FieldDoesNotExist, a 500) before
    AdminEmptyToFieldMiddleware dropped the empty `_to_field`."""
    client, _run = walker
    failures: list[str] = []

    sent(client, f"/admin/auth/user/{admin_user.pk}/change/", {"_to_field": ""}, failures)

    assert failures == []
