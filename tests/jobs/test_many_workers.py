"""Three real workers on Redis + PostgreSQL share one server's work (issue 16, must-show 2): a
standalone Immaculate Taste refresher sweep of 50 viewers × 2 libraries and 20 auto triggers
fired at once (ten viewers, two movies each, so triggers of one viewer contend for one scope).

Asserts: every trigger produced exactly one run; every run (the sweep, the 20 and the
refreshers they chain) succeeded; no (job, viewer, library) ran twice at once (JobRun start /
finish intervals per scope never overlap); no sweep scope failed; no unique-constraint error
in any worker's log. SQLite allows one writer at a time, so the test needs PostgreSQL
(DATABASE_URL) and skips on SQLite with that reason.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from jobs.dispatch import dispatch
from jobs.models import JobRun
from jobs.triggers import Watch, auto_run
from tests.core.procs import wait_for
from tests.jobs import procs

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WORKERS, TRIGGERS, VIEWERS = 3, 20, 50
ACTIVE = ("queued", "running")


@contextmanager
def broker(url: str):
    """This process sends tasks to `url` too (the workers' broker), whatever the settings."""
    from celery import current_app

    before = current_app.conf.broker_url
    current_app.conf.broker_url = url
    current_app._pool, current_app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        current_app.conf.broker_url = before
        current_app._pool, current_app.amqp._producer_pool = None, None


def _watches(scale) -> list[Watch]:
    from vault.models import PlexItem

    viewers = [v for v in scale.viewers if v.monitored and not v.is_owner][:TRIGGERS // 2]
    movies = list(PlexItem.objects.filter(library__key="1", tmdb_id__isnull=False)
                  .order_by("rating_key")[:TRIGGERS])
    return [Watch(v.account_id, "1", "movie", str(m.rating_key), m.title, m.year, 0, "poll")
            for i, v in enumerate(viewers) for m in movies[2 * i:2 * i + 2]]


def _overlaps(runs) -> list[tuple]:
    by_scope = defaultdict(list)
    for r in runs:
        if r.viewer_account_id is not None and r.started_at:
            by_scope[(r.job, r.viewer_account_id, r.library_key)].append(r)
    clashes = []
    for scope, rows in by_scope.items():
        rows.sort(key=lambda r: r.started_at)
        clashes += [(scope, a.pk, b.pk) for a, b in zip(rows, rows[1:], strict=False)
                    if b.started_at < a.finished_at]
    return clashes


def test_three_workers_sweep_and_20_simultaneous_triggers_run_each_scope_once(
        tmp_path, redis_url, settings):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): SQLite lets one process write at a time, "
                    "so several workers on it prove nothing about concurrency.")
    from tests.fakes.scale import build_scale
    from tests.fakes.tmdb import TmdbDouble
    from vault import integrations

    scale = build_scale(small=True, viewers=VIEWERS)
    tmdb = TmdbDouble(scale.catalog).start()
    settings.TMDB_BASE_URL = tmdb.base
    integrations.save("tmdb", True, {"api_key": tmdb.api_key})
    env = {"REDIS_URL": redis_url, "TMDB_BASE_URL": tmdb.base,
           "PLEX_TV_URL": scale.plextv.url, "VAULT_HTTP_RETRIES": "0"}
    fired, errors = [], []
    try:
        with broker(redis_url), procs.processes() as started:
            for n in range(WORKERS):
                started.append(procs.start_worker(f"w{n}", tmp_path, **env))
            sweep = dispatch("immaculate_taste_refresher", trigger="manual")
            watches = _watches(scale)
            gate = threading.Barrier(len(watches))

            def fire(watch):
                try:
                    gate.wait(timeout=10)
                    fired.append(auto_run("immaculate_taste", watch))
                except Exception as exc:  # noqa: BLE001 - counted below
                    errors.append(exc)
                finally:
                    connection.close()

            threads = [threading.Thread(target=fire, args=(w,)) for w in watches]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
            settled = wait_for(lambda: JobRun.objects.filter(status__in=ACTIVE).count() == 0
                               and JobRun.objects.filter(trigger="chained").count()
                               >= len(watches), timeout=55, every=0.5)
            logs = "\n".join(Path(p.log_path).read_text() for p in started)
    finally:
        tmdb.stop()
        scale.stop()

    runs = list(JobRun.objects.all())
    assert settled, [(r.pk, r.job, r.status) for r in runs if r.status in ACTIVE]
    assert not errors and len(watches) == TRIGGERS
    assert all(r is not None for r in fired) and len({r.pk for r in fired}) == TRIGGERS
    auto = [r for r in runs if r.trigger == "auto"]
    assert len(auto) == TRIGGERS
    assert sorted((r.viewer_account_id, r.item_key) for r in auto) == sorted(
        (w.account_id, w.item_key) for w in watches)
    children = [r for r in runs if r.trigger == "chained"]
    assert sorted(r.parent_id for r in children) == sorted(r.pk for r in auto)
    assert {(r.job, r.status) for r in runs} <= {("immaculate_taste", "succeeded"),
                                                 ("immaculate_taste_refresher", "succeeded")}, \
        [(r.pk, r.job, r.status, r.reason) for r in runs if r.status != "succeeded"]
    assert not _overlaps(runs)
    sweep.refresh_from_db()
    scopes = sweep.report["scopes"]
    assert len(scopes) == scale.pairs and not [s for s in scopes if s["status"] == "failed"]
    assert len({r.worker for r in runs}) > 1  # the work really was shared
    assert "IntegrityError" not in logs and "duplicate key" not in logs


def test_compose_worker_service_scales():
    """`docker compose up --scale worker=3` needs a worker with no fixed container name, no
    published port, and a per-container Celery hostname; the README says how."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    worker = yaml.safe_load((root / "compose.yaml").read_text())["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert any(arg.startswith("--hostname=") and "%h" in arg for arg in worker["command"])
    assert "--scale worker=3" in (root / "README.md").read_text()
