"""Issue 9 item 3: a TMDB outage is reported as TMDB's failure, never as "no match"."""

from __future__ import annotations

import socket

import pytest

from jobs import runner
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun

pytestmark = pytest.mark.django_db


def a_seed():
    from vault.models import PlexItem

    return PlexItem.objects.filter(library__key="1", tmdb_id__isnull=False).order_by(
        "rating_key").first()


def run_seeded(stack, seed: dict) -> JobRun:
    run = dispatch("immaculate_taste", scope=Scope.of(stack["viewers"]["bea"],
                                                      stack["libraries"]["1"], "movie"),
                   seed=seed, enqueue_now=False)
    runner.execute(run.pk, sync=True)
    run.refresh_from_db()
    return run


def tmdb_card(run: JobRun) -> dict:
    return next(c for c in run.report["services"] if c["name"] == "tmdb")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEEDS = {
    "rating_key": lambda item: {"rating_key": str(item.rating_key), "media_type": "movie"},
    "title": lambda item: {"title": item.title, "year": item.year, "media_type": "movie"},
}


@pytest.mark.parametrize("how", SEEDS)
def test_tmdb_unreachable_fails_naming_tmdb_not_seed_not_found(stack, settings, how):
    seed = SEEDS[how](a_seed())
    settings.TMDB_BASE_URL = f"http://127.0.0.1:{closed_port()}/3"

    run = run_seeded(stack, seed)

    assert run.status == "failed"
    assert run.reason_code == "tmdb_unavailable", (run.reason_code, run.reason)
    assert "TMDB" in run.reason and "refused" in run.reason, run.reason
    assert "no match" not in run.reason
    card = tmdb_card(run)
    assert card["status"] == "failed" and "refused" in card["detail"], card


@pytest.mark.parametrize("status, code, words", [
    (401, "tmdb_error", "refused the API key"),
    (429, "tmdb_unavailable", "rate limiting"),
    (503, "tmdb_unavailable", "server error"),
])
def test_tmdb_error_status_fails_with_its_reason(stack, status, code, words):
    stack["tmdb"].fault(status=status, path="^/3/", count=None)

    run = run_seeded(stack, {"title": a_seed().title, "media_type": "movie"})

    assert run.status == "failed"
    assert run.reason_code == code, (run.reason_code, run.reason)
    assert "TMDB" in run.reason and words in run.reason, run.reason
    card = tmdb_card(run)
    assert card["status"] == "failed" and words in card["detail"], card


def test_tmdb_timeout_fails_with_a_timeout_reason(stack, settings):
    settings.VAULT_HTTP_TIMEOUT = 0.3
    stack["tmdb"].fault(delay=1.0, path="^/3/", count=None)

    run = run_seeded(stack, {"title": a_seed().title, "media_type": "movie"})

    assert run.status == "failed"
    assert run.reason_code == "tmdb_unavailable", (run.reason_code, run.reason)
    assert "TMDB did not answer within 0.3 seconds" in run.reason, run.reason
    assert tmdb_card(run)["status"] == "failed"


def test_a_transient_tmdb_blip_is_retried_within_the_run(stack, settings):
    settings.VAULT_HTTP_RETRIES, settings.VAULT_HTTP_BACKOFF = 2, 0.01
    stack["tmdb"].fault(status=503, path="^/3/", count=1)

    run = run_seeded(stack, {"title": a_seed().title, "media_type": "movie"})

    assert run.status == "succeeded", run.reason
    assert tmdb_card(run)["status"] == "ok"


def test_a_seed_tmdb_truly_lacks_is_still_seed_not_found(stack):
    run = run_seeded(stack, {"title": "Zzqx No Such Film", "media_type": "movie"})

    assert (run.status, run.reason_code) == ("failed", "seed_not_found"), run.reason


def test_a_lasting_tmdb_outage_requeues_the_run_then_a_401_does_not(stack, settings):
    """Transient: the runner's bounded retries re-queue the run; an auth failure is final."""
    seed = {"title": a_seed().title, "media_type": "movie"}
    stack["tmdb"].fault(status=503, path="^/3/", count=None)
    run = dispatch("immaculate_taste", scope=Scope.of(stack["viewers"]["bea"],
                                                      stack["libraries"]["1"], "movie"),
                   seed=seed, enqueue_now=False)

    outcome = runner.execute(run.pk)

    run.refresh_from_db()
    assert outcome.retry_in and run.status == "queued", (run.status, run.reason)
    assert run.reason_code == "tmdb_unavailable" and "TMDB" in run.reason

    stack["tmdb"].clear()
    stack["tmdb"].fault(status=401, path="^/3/", count=None)
    runner.execute(run.pk)

    run.refresh_from_db()
    assert (run.status, run.reason_code) == ("failed", "tmdb_error"), run.reason


def test_the_run_budget_spent_on_the_seed_look_up_is_not_no_match(stack, monkeypatch):
    from recommendations.engine import tmdbcache

    real_init = tmdbcache.CachedTmdb.__init__

    def no_budget(self, client, budget=120, now=None):
        real_init(self, client, budget=0, **({"now": now} if now else {}))

    monkeypatch.setattr(tmdbcache.CachedTmdb, "__init__", no_budget)

    run = run_seeded(stack, {"title": "Some Uncached Title", "media_type": "movie"})

    assert (run.status, run.reason_code) == ("failed", "tmdb_budget_spent"), run.reason
    assert "TMDB" in run.reason and "budget" in run.reason
    assert tmdb_card(run)["status"] == "failed"
