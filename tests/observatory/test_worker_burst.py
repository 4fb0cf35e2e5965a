"""Must-show 2 on a real Celery worker with Redis: 30 swipes in 10 s for Bea · Movies (posted
to the deck like the page does) cost one apply run: one send batch to the Radarr double and
one row sync in the Plex double, both after the last swipe, not 30."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from observatory.models import Decision
from recommendations.models import MissingSend, RejectedTitle
from tests.core.procs import wait_for
from tests.jobs import procs
from tests.observatory.conftest import row_keys, seed_live

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
APPLIED = re.compile(r"observatory\.apply_decisions\[[^]]+\] succeeded in [\d.]+s: \{'applied'")


def test_thirty_swipes_in_ten_seconds_one_row_sync_and_one_send_batch(live, admin_client):
    doubles = live["doubles"]
    plex, radarr = doubles.plex, doubles.radarr
    seeded = seed_live(doubles, n_waiting=10, n_review=20)
    bea, movies, items = seeded["bea"], seeded["movies"], seeded["items"]
    assert row_keys(plex, movies) == sorted(i.rating_key for i in items)
    plan = [(m.tmdb_id, ("approve", "reject")[n % 2]) for n, m in enumerate(seeded["waiting"])]
    plan += [(i.tmdb_id, ("keep", "remove")[n % 2]) for n, i in enumerate(items)]
    plex.clear(), radarr.clear()

    started = time.monotonic()
    for n, (tmdb_id, action) in enumerate(plan):
        answer = admin_client.post("/observatory/decide", {
            "viewer": bea.pk, "library": movies.pk, "tmdb_id": tmdb_id, "action": action},
            HTTP_HX_REQUEST="true")
        assert answer.status_code == 200 and b"already decided" not in answer.content
        time.sleep(max(0.0, started + (n + 1) * 0.15 - time.monotonic()))
    last_swipe = time.time()
    assert time.monotonic() - started <= 10
    assert plex.writes() == 0 and radarr.count("POST") == 0  # nothing applied mid-burst

    kept_row = sorted(i.rating_key for i in items[::2])
    assert wait_for(lambda: not Decision.objects.filter(applied_at=None).exists()
                    and row_keys(plex, movies) == kept_row, timeout=40, every=0.3), (
        procs.tail(live["worker"]))

    def log() -> str:
        return Path(live["worker"].log_path).read_text()

    assert wait_for(lambda: APPLIED.findall(log()), timeout=10, every=0.2), log()[-3000:]
    assert len(APPLIED.findall(log())) == 1, log()[-3000:]  # one apply run
    adds = [r for r in radarr.requests if (r.method, r.path) == ("POST", "/api/v3/movie")]
    approved = [t for t, action in plan if action == "approve"]
    assert sorted(r.json()["tmdbId"] for r in adds) == sorted(approved)
    assert all(r.time > last_swipe for r in adds)
    writes = [r for r in plex.requests if r.method not in ("GET", "HEAD")]
    assert writes and all(r.time > last_swipe for r in writes)
    # one sync: its writes come in one stretch, none after the row was right
    assert max(r.time for r in writes) - min(r.time for r in writes) < 5
    assert set(MissingSend.objects.filter(tmdb_id__in=approved)
               .values_list("state", flat=True)) == {"sent"}
    assert RejectedTitle.objects.filter(viewer=bea).count() == 15
