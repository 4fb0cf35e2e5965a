"""The Observatory deck's cost as the dataset grows (issue 13, must-show 4).

    python -m tests.bench --only observatory

Figures:
  observatory_deck_queries_100    database queries of one deck request (GET /observatory, the
                                  next cards) with 100 titles in the viewer's dataset
  observatory_deck_queries_10000  the same with 10,000 titles (target: equal to the 100 one)
  observatory_deck_ms_10000       server time of that request, median of 7 (target <= 50)
"""

from __future__ import annotations

import statistics
import time

from tests.bench import benchmark

SIZES = (100, 10_000)
REPEATS = 7


@benchmark("observatory")
def run(small: bool) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.jobs.factories import libraries, viewers

    people, libs = viewers(), libraries()
    client = Client()
    client.force_login(_admin())
    url = f"/observatory?viewer={people['bea'].pk}&library={libs['1'].pk}"
    figures = {}
    for size in SIZES:
        _dataset(people["bea"], libs["1"], size)
        client.get(url)  # warm: session, templates, caches
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200 and b"Title " in answer.content, answer.status_code
        figures[f"observatory_deck_queries_{size}"] = len(queries)
        took = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            client.get(url)
            took.append((time.perf_counter() - started) * 1000)
        figures[f"observatory_deck_ms_{size}"] = round(statistics.median(took), 1)
    del figures[f"observatory_deck_ms_{SIZES[0]}"]  # the issue names the large one only
    return figures


def _admin():
    from django.contrib.auth import get_user_model

    users = get_user_model()
    return users.objects.filter(username="bench").first() or users.objects.create_superuser(
        "bench", "bench@example.com", "bench-password-123")


def _dataset(viewer, library, size: int) -> None:
    """`size` Immaculate Taste titles for the viewer, half of them not in Plex."""
    from django.utils import timezone

    from recommendations.models import ImmaculateTasteTitle

    ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library).delete()
    now = timezone.now()
    ImmaculateTasteTitle.objects.bulk_create([ImmaculateTasteTitle(
        viewer=viewer, library=library, media_type="movie", tmdb_id=t, title=f"Title {t}",
        year=2000 + t % 20, vote_average=7.1, vote_count=300 + t, why="Because you watched Heat",
        points=50 - t % 50, rating_key=None if t % 2 else 90_000 + t,
        status="pending" if t % 2 else "active", first_suggested_at=now, last_suggested_at=now)
        for t in range(1, size + 1)], batch_size=1000)
